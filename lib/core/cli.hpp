// cli.hpp — a tiny command-line flag parser for the chapter and benchmark programs.
//
//   scratch::Cli cli(argc, argv, "Trains the MNIST TwoLayerNet with SGD.");
//   const scratch::CommonFlags common = cli.common();      // --seed --threads --quick --help
//   const int epochs = cli.get("--epochs", common.quick ? 1 : 16, "training epochs");
//   cli.require(epochs >= 1, "--epochs", "must be at least 1");
//   if (!cli.finish()) return cli.exit_code();            // printed --help, or a flag error
//
// Flags are written `--name value` or `--name=value`, each at most once. Unknown flags, repeated
// flags and values that do not parse are reported with the usage text instead of being ignored.
// A value must be exactly of its flag's type:
//   unsigned (std::size_t, std::uint64_t …)  a count: digits only, no sign, within the type's range
//                                            (`--batch-size -5` is an error, not 2^64 − 5)
//   signed integers (int …)                  an optional '-' and digits, within the type's range
//   floating point (Scalar, double …)        a decimal number, finite (not nan or inf)
//   std::string                              anything
// require() adds the rules a value must follow beyond its type (at least 1, at most the set size),
// so every chapter checks its flags before it loads data or trains, and names the flag that is wrong.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace scratch {

// The flags every chapter accepts (DESIGN.md §4).
struct CommonFlags {
  std::uint64_t seed;  // --seed N: seeds the global random engine
  int threads;         // --threads N: OpenMP threads (default: default_threads(), the cores not busy)
  bool quick;          // --quick: a tiny configuration that finishes in seconds (CI)
};

class Cli {
 public:
  Cli(int argc, char** argv, std::string summary);

  // Declares --seed, --threads and --quick (plus --help, always understood). finish() applies the
  // seed and the thread count.
  CommonFlags common();

  // A boolean switch: true when present. It takes no value.
  bool flag(const std::string& name, const std::string& help);

  // A valued flag; returns `fallback` when absent or when its value is not a T (an error then).
  // T: int, double, std::string, std::size_t, std::uint64_t … (see the table above).
  template <class T>
  T get(const std::string& name, T fallback, const std::string& help) {
    std::ostringstream shown;
    shown << fallback;
    return get(name, fallback, shown.str(), help);
  }

  // A rule the value of `name` must follow: when `ok` is false, records the error
  // "<name>: got <value>, <rule>", e.g. "--batch-size: got 0, must be at least 1" (the value as
  // typed, or "<default> (the default)"); for a switch "<name>: <rule>". Nothing is added for a
  // flag whose value did not parse.
  void require(bool ok, const std::string& name, const std::string& rule);

  // Call after every flag is declared. Returns true when the program should run; false after
  // printing --help (exit code 0) or the errors with the usage text (exit code 2).
  bool finish();
  int exit_code() const { return exit_code_; }

  // The errors found so far, without the program name (what finish() prints).
  const std::vector<std::string>& errors() const { return errors_; }

  // The usage text built from the declarations.
  std::string usage() const;

  // The command as typed (program name and arguments, quoted where needed), to print a command to
  // run again, e.g. with --resume added.
  const std::string& command() const { return command_; }

 private:
  void declare(const std::string& name, const std::string& value_hint, const std::string& help,
               const std::string& fallback);
  void error(const std::string& message);
  // The value given for `name` if the flag needs one and has it; records the error otherwise.
  const std::string* value_text(const std::string& name, const std::string& example);
  // get() with the default shown in --help as `shown`.
  template <class T>
  T get(const std::string& name, T fallback, const std::string& shown, const std::string& help);

  std::string program_;
  std::string summary_;
  std::string command_;
  std::map<std::string, std::optional<std::string>> given_;  // flag → its value, if it had one
  std::map<std::string, std::string> defaults_;              // declared flag → its default, as shown
  std::set<std::string> unreadable_;                         // flags whose value did not parse
  std::set<std::string> switches_;                           // flags declared by flag()
  std::vector<std::string> help_lines_;
  std::vector<std::string> declared_;
  std::vector<std::string> errors_;
  std::optional<CommonFlags> common_;
  int exit_code_ = 0;
};

// The parsers behind Cli::get. Each returns an empty string when `text` is a valid value (stored
// in `value`), otherwise why not, e.g. "-5 is not a count (a whole number >= 0)".
namespace cli_parse {
std::string count(const std::string& text, unsigned long long max, unsigned long long& value);
std::string integer(const std::string& text, long long min, long long max, long long& value);
std::string real(const std::string& text, long double max, long double& value);
}  // namespace cli_parse

template <class T>
T Cli::get(const std::string& name, T fallback, const std::string& shown, const std::string& help) {
  // The placeholder in --help: N for a whole number, X for a real one (as DESIGN.md §4 writes them).
  const char* hint = std::is_floating_point_v<T> ? "X" : std::is_integral_v<T> ? "N" : "VALUE";
  declare(name, hint, help, shown);
  const std::string* text = value_text(name, shown);
  if (text == nullptr) return fallback;
  std::string why;
  T value = fallback;
  if constexpr (std::is_same_v<T, std::string>) {
    value = *text;
  } else if constexpr (std::is_floating_point_v<T>) {
    long double v = 0;
    why = cli_parse::real(*text, std::numeric_limits<T>::max(), v);
    value = static_cast<T>(v);
  } else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T> && !std::is_same_v<T, bool>) {
    unsigned long long v = 0;
    why = cli_parse::count(*text, std::numeric_limits<T>::max(), v);
    value = static_cast<T>(v);
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    long long v = 0;
    why = cli_parse::integer(*text, std::numeric_limits<T>::min(), std::numeric_limits<T>::max(), v);
    value = static_cast<T>(v);
  } else {
    static_assert(std::is_same_v<T, std::string>, "Cli::get: use flag() for switches; T must be a number or a string");
  }
  if (!why.empty()) {
    error(name + ": " + why);
    unreadable_.insert(name);
    return fallback;
  }
  return value;
}

// Runs body(), turning any exception into "program: error: message" on stderr and exit code 1.
int guarded_main(const char* program, int (*body)(void*), void* context);
template <class Body>
int guarded_main(const char* program, Body&& body) {
  return guarded_main(program, [](void* b) { return (*static_cast<Body*>(b))(); }, &body);
}

}  // namespace scratch

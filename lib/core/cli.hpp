// cli.hpp — a tiny command-line flag parser for the chapter and benchmark programs.
//
//   scratch::Cli cli(argc, argv, "Trains the MNIST TwoLayerNet with SGD.");
//   const scratch::CommonFlags common = cli.common();      // --seed --threads --quick --help
//   const int epochs = cli.get("--epochs", common.quick ? 1 : 16, "training epochs");
//   if (!cli.finish()) return cli.exit_code();            // printed --help, or a flag error
//
// Flags are written `--name value` or `--name=value`. Unknown flags and values that do not parse
// are reported with the usage text instead of being ignored.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <string>
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

  // A valued flag; returns `fallback` when absent. T: int, double, std::string, std::uint64_t …
  template <class T>
  T get(const std::string& name, T fallback, const std::string& help);

  // Call after every flag is declared. Returns true when the program should run; false after
  // printing --help (exit code 0) or an error with the usage text (exit code 2).
  bool finish();
  int exit_code() const { return exit_code_; }

  // The usage text built from the declarations.
  std::string usage() const;

 private:
  void declare(const std::string& name, const std::string& value_hint, const std::string& help,
               const std::string& fallback);
  void error(const std::string& message);

  std::string program_;
  std::string summary_;
  std::map<std::string, std::optional<std::string>> given_;  // flag → its value, if it had one
  std::vector<std::string> help_lines_;
  std::vector<std::string> declared_;
  std::vector<std::string> errors_;
  std::optional<CommonFlags> common_;
  int exit_code_ = 0;
};

template <class T>
T Cli::get(const std::string& name, T fallback, const std::string& help) {
  std::ostringstream shown;
  shown << fallback;
  declare(name, "VALUE", help, shown.str());
  const auto it = given_.find(name);
  if (it == given_.end()) return fallback;
  if (!it->second) {
    error(name + " needs a value, e.g. " + name + " " + shown.str());
    return fallback;
  }
  std::istringstream in(*it->second);
  T value{};
  in >> value;
  if (!in || in.peek() != std::char_traits<char>::eof()) {
    error(name + ": cannot read '" + *it->second + "' as a value like " + shown.str());
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

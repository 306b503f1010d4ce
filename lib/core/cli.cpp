// cli.cpp — see cli.hpp.
#include "core/cli.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "core/parallel.hpp"
#include "core/random.hpp"

namespace scratch {
namespace {

bool all_digits(const std::string& text) {
  if (text.empty()) return false;
  for (const char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// `text` as the shell would need it: as is when it is plain, otherwise in single quotes.
std::string shell_quoted(const std::string& text) {
  bool plain = !text.empty();
  for (const char c : text)
    plain = plain &&
            (std::isalnum(static_cast<unsigned char>(c)) || std::string("-_./=:,+@%").find(c) != std::string::npos);
  if (plain) return text;
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

namespace cli_parse {

// strtoull would accept "-5" (and negate it modulo 2^64), leading spaces and a '+': digits only.
std::string count(const std::string& text, unsigned long long max, unsigned long long& value) {
  if (!all_digits(text)) return "'" + text + "' is not a count (a whole number >= 0)";
  errno = 0;
  value = std::strtoull(text.c_str(), nullptr, 10);
  if (errno == ERANGE || value > max) return text + " is out of range (at most " + std::to_string(max) + ")";
  return "";
}

std::string integer(const std::string& text, long long min, long long max, long long& value) {
  const bool negative = !text.empty() && text[0] == '-';
  if (!all_digits(negative ? text.substr(1) : text)) return "'" + text + "' is not a whole number";
  errno = 0;
  value = std::strtoll(text.c_str(), nullptr, 10);
  if (errno == ERANGE || value < min || value > max)
    return text + " is out of range (" + std::to_string(min) + " to " + std::to_string(max) + ")";
  return "";
}

std::string real(const std::string& text, long double max, long double& value) {
  // strtold skips leading spaces and reads "nan", "inf" and hexadecimal: refuse all three.
  char* end = nullptr;
  const bool starts_well = !text.empty() && !std::isspace(static_cast<unsigned char>(text[0]));
  errno = 0;
  value = starts_well ? std::strtold(text.c_str(), &end) : 0;
  if (!starts_well || end != text.c_str() + text.size() || text.find_first_of("xX") != std::string::npos)
    return "'" + text + "' is not a number";
  if (!std::isfinite(value)) return text + " is not a finite number";
  if ((errno == ERANGE && value != 0) || std::fabs(value) > max) {
    std::ostringstream limit;
    limit << std::setprecision(2) << static_cast<double>(max);
    return text + " is out of range (at most " + limit.str() + " in size)";
  }
  return "";
}

}  // namespace cli_parse

Cli::Cli(int argc, char** argv, std::string summary)
    : program_(argc > 0 ? std::filesystem::path(argv[0]).filename().string() : "program"),
      summary_(std::move(summary)) {
  command_ = argc > 0 ? shell_quoted(argv[0]) : program_;
  for (int i = 1; i < argc; ++i) command_ += " " + shell_quoted(argv[i]);
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      error("unexpected argument '" + arg + "' (flags start with --)");
      continue;
    }
    std::optional<std::string> value;
    if (const auto eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0) {
      value = argv[++i];
    }
    // The second value would silently win over the first: say so instead.
    if (given_.count(arg) != 0) {
      error(arg + " given twice");
      continue;
    }
    given_[arg] = value;
  }
}

void Cli::declare(const std::string& name, const std::string& value_hint, const std::string& help,
                  const std::string& fallback) {
  declared_.push_back(name);
  defaults_[name] = fallback;
  std::string line = "  " + name + (value_hint.empty() ? "" : " " + value_hint);
  if (line.size() < 22) line.resize(22, ' ');
  line += "  " + help;
  if (!fallback.empty()) line += " (default " + fallback + ")";
  help_lines_.push_back(line);
}

void Cli::error(const std::string& message) { errors_.push_back(message); }

const std::string* Cli::value_text(const std::string& name, const std::string& example) {
  const auto it = given_.find(name);
  if (it == given_.end()) return nullptr;
  if (!it->second) {
    error(name + " needs a value, e.g. " + name + " " + example);
    unreadable_.insert(name);
    return nullptr;
  }
  return &*it->second;
}

void Cli::require(bool ok, const std::string& name, const std::string& rule) {
  if (ok || unreadable_.count(name) != 0) return;
  if (switches_.count(name) != 0) return error(name + ": " + rule);  // a switch has no value to show
  const auto it = given_.find(name);
  const std::string value = it != given_.end() && it->second ? *it->second : defaults_[name] + " (the default)";
  error(name + ": got " + value + ", " + rule);
}

CommonFlags Cli::common() {
  CommonFlags flags{};
  flags.seed = get<std::uint64_t>("--seed", kDefaultSeed, "seed of the random engine");
  // default_threads() measures for 50 ms: only when the user has not chosen.
  const int automatic = given_.count("--threads") ? max_threads() : default_threads();
  flags.threads = get<int>("--threads", automatic, "the idle cores, measured at start", "OpenMP threads");
  flags.quick = flag("--quick", "tiny configuration that finishes in seconds (used by CI)");
  require(flags.threads >= 1, "--threads", "must be at least 1");
  common_ = flags;
  return flags;
}

bool Cli::flag(const std::string& name, const std::string& help) {
  declare(name, "", help, "");
  switches_.insert(name);
  const auto it = given_.find(name);
  if (it == given_.end()) return false;
  if (it->second) error(name + " is a switch and takes no value (got '" + *it->second + "')");
  return true;
}

std::string Cli::usage() const {
  std::string text = "usage: " + program_ + " [flags]\n" + summary_ + "\n\nflags:\n";
  for (const auto& line : help_lines_) text += line + "\n";
  return text + "  --help                print this text\n";
}

bool Cli::finish() {
  for (const auto& [name, value] : given_) {
    if (name == "--help") continue;
    bool known = false;
    for (const auto& d : declared_) known = known || d == name;
    if (!known) error("unknown flag " + name);
  }
  if (!errors_.empty()) {
    for (const auto& e : errors_) std::cerr << program_ << ": " << e << "\n";
    std::cerr << "\n" << usage();
    exit_code_ = 2;
    return false;
  }
  if (given_.count("--help") != 0) {
    std::cout << usage();
    exit_code_ = 0;
    return false;
  }
  if (common_) {
    set_seed(common_->seed);
    set_threads(common_->threads);
  }
  return true;
}

int guarded_main(const char* program, int (*body)(void*), void* context) {
  try {
    return body(context);
  } catch (const std::exception& e) {
    std::cerr << program << ": error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace scratch

// cli.cpp — see cli.hpp.
#include "core/cli.hpp"

#include <exception>
#include <filesystem>
#include <iostream>

#include "core/parallel.hpp"
#include "core/random.hpp"

namespace scratch {

Cli::Cli(int argc, char** argv, std::string summary)
    : program_(argc > 0 ? std::filesystem::path(argv[0]).filename().string() : "program"),
      summary_(std::move(summary)) {
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
    given_[arg] = value;
  }
}

void Cli::declare(const std::string& name, const std::string& value_hint, const std::string& help,
                  const std::string& fallback) {
  declared_.push_back(name);
  std::string line = "  " + name + (value_hint.empty() ? "" : " " + value_hint);
  if (line.size() < 22) line.resize(22, ' ');
  line += "  " + help;
  if (!fallback.empty()) line += " (default " + fallback + ")";
  help_lines_.push_back(line);
}

void Cli::error(const std::string& message) { errors_.push_back(message); }

CommonFlags Cli::common() {
  CommonFlags flags{};
  flags.seed = get<std::uint64_t>("--seed", kDefaultSeed, "seed of the random engine");
  // default_threads() measures for 50 ms: only when the user has not chosen.
  const int automatic = given_.count("--threads") ? max_threads() : default_threads();
  flags.threads = get<int>("--threads", automatic, "OpenMP threads (default: the idle cores, measured at start)");
  flags.quick = flag("--quick", "tiny configuration that finishes in seconds (used by CI)");
  if (flags.threads < 1) error("--threads must be at least 1");
  common_ = flags;
  return flags;
}

bool Cli::flag(const std::string& name, const std::string& help) {
  declare(name, "", help, "");
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

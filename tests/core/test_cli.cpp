// test_cli.cpp — the chapters' flag parser: a value must be exactly of its flag's type (no
// negative counts wrapping around to 2^64 − n, no trailing junk, no nan), a flag is given at most
// once, require() names the flag, the value and the rule, and --help shows each default once.
#include <cstdint>
#include <initializer_list>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.hpp"

using namespace scratch;

namespace {

// argv for Cli: the program name, then `args`.
class Argv {
 public:
  Argv(std::initializer_list<std::string> args) : strings_{"prog"} {
    strings_.insert(strings_.end(), args.begin(), args.end());
    for (std::string& s : strings_) pointers_.push_back(s.data());
    pointers_.push_back(nullptr);
  }
  int argc() const { return static_cast<int>(strings_.size()); }
  char** argv() { return pointers_.data(); }

 private:
  std::vector<std::string> strings_;
  std::vector<char*> pointers_;
};

// The errors of a Cli that reads one flag of type T with `fallback`.
template <class T>
std::vector<std::string> errors_reading(std::initializer_list<std::string> args, T fallback, T* value = nullptr) {
  Argv a(args);
  Cli cli(a.argc(), a.argv(), "test");
  const T v = cli.get<T>("--x", fallback, "x");
  if (value != nullptr) *value = v;
  return cli.errors();
}

// finish() with std::cerr and std::cout captured.
bool finish_quietly(Cli& cli, std::string* printed = nullptr) {
  std::ostringstream err, out;
  std::streambuf* old_err = std::cerr.rdbuf(err.rdbuf());
  std::streambuf* old_out = std::cout.rdbuf(out.rdbuf());  // --help prints the usage there
  const bool ok = cli.finish();
  std::cerr.rdbuf(old_err);
  std::cout.rdbuf(old_out);
  if (printed != nullptr) *printed = err.str();
  return ok;
}

std::string only(const std::vector<std::string>& errors) {
  return errors.size() == 1 ? errors[0] : "(" + std::to_string(errors.size()) + " errors)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(core_cli)

BOOST_AUTO_TEST_CASE(a_negative_count_is_an_error_naming_the_flag_not_a_huge_number) {
  std::size_t batch = 0;
  Argv a{"--batch-size", "-5"};
  Cli cli(a.argc(), a.argv(), "test");
  batch = cli.get<std::size_t>("--batch-size", 100, "images per mini-batch");
  BOOST_TEST(batch == 100u);  // the fallback, never 18446744073709551611
  BOOST_TEST(only(cli.errors()) == "--batch-size: '-5' is not a count (a whole number >= 0)");
  std::string printed;
  BOOST_TEST(!finish_quietly(cli, &printed));
  BOOST_TEST(cli.exit_code() == 2);
  BOOST_TEST(printed.find("prog: --batch-size: '-5' is not a count") == 0, printed);

  std::uint64_t seed = 0;
  BOOST_TEST(only(errors_reading<std::uint64_t>({"--x", "-1"}, 42, &seed)) ==
             "--x: '-1' is not a count (a whole number >= 0)");
  BOOST_TEST(seed == 42u);  // not 2^64 − 1
  BOOST_TEST(only(errors_reading<std::size_t>({"--x=-0"}, 1)) == "--x: '-0' is not a count (a whole number >= 0)");
}

BOOST_AUTO_TEST_CASE(a_count_is_digits_only_and_within_its_type) {
  for (const std::string bad : {"12x", " 12", "12 ", "+5", "", "1e3", "0x10", "1.0", "five"})
    BOOST_TEST(only(errors_reading<std::size_t>({"--x=" + bad}, 1)) ==
                   "--x: '" + bad + "' is not a count (a whole number >= 0)",
               "value '" << bad << "'");
  std::uint64_t v = 0;
  BOOST_TEST(errors_reading<std::uint64_t>({"--x", "18446744073709551615"}, 1, &v).empty());
  BOOST_TEST(v == UINT64_MAX);
  BOOST_TEST(only(errors_reading<std::uint64_t>({"--x", "18446744073709551616"}, 1)) ==
             "--x: 18446744073709551616 is out of range (at most 18446744073709551615)");
  BOOST_TEST(only(errors_reading<std::uint32_t>({"--x", "4294967296"}, 1)) ==
             "--x: 4294967296 is out of range (at most 4294967295)");
  std::size_t zero = 7;
  BOOST_TEST(errors_reading<std::size_t>({"--x", "0"}, 1, &zero).empty());  // 0 is a count; require() sets a minimum
  BOOST_TEST(zero == 0u);
}

BOOST_AUTO_TEST_CASE(a_signed_integer_has_an_optional_minus_and_its_range) {
  int v = 0;
  BOOST_TEST(errors_reading<int>({"--x", "-3"}, 1, &v).empty());
  BOOST_TEST(v == -3);
  BOOST_TEST(only(errors_reading<int>({"--x", "2x"}, 1)) == "--x: '2x' is not a whole number");
  BOOST_TEST(only(errors_reading<int>({"--x", "2.5"}, 1)) == "--x: '2.5' is not a whole number");
  BOOST_TEST(only(errors_reading<int>({"--x", "--5"}, 1)) == "--x needs a value, e.g. --x 1");  // "--5" is a flag
  BOOST_TEST(only(errors_reading<int>({"--x", "3000000000"}, 1)) ==
             "--x: 3000000000 is out of range (-2147483648 to 2147483647)");
  BOOST_TEST(only(errors_reading<int>({"--x", "-99999999999999999999"}, 1)) ==
             "--x: -99999999999999999999 is out of range (-2147483648 to 2147483647)");
}

BOOST_AUTO_TEST_CASE(a_real_value_is_a_finite_decimal_number) {
  double v = 0;
  for (const auto& [text, expected] : std::vector<std::pair<std::string, double>>{
           {"0.001", 0.001}, {"1e-3", 0.001}, {"-0.5", -0.5}, {".5", 0.5}, {"20", 20}})
    BOOST_TEST((errors_reading<double>({"--x", text}, 1, &v).empty() && v == expected), "value '" << text << "'");
  for (const std::string bad : {"nan", "NaN", "inf", "-inf", "infinity"})
    BOOST_TEST(only(errors_reading<double>({"--x", bad}, 1)) == "--x: " + bad + " is not a finite number", bad);
  for (const std::string bad : {"0.1x", " 0.1", "", "0x10", "1,5", "e3"})
    BOOST_TEST(only(errors_reading<double>({"--x=" + bad}, 1)) == "--x: '" + bad + "' is not a number",
               "value '" << bad << "'");
  BOOST_TEST(only(errors_reading<double>({"--x", "1e400"}, 1)) ==
             "--x: 1e400 is out of range (at most 1.8e+308 in size)");
  float f = 0;
  BOOST_TEST(only(errors_reading<float>({"--x", "1e39"}, 1.0f, &f)) ==
             "--x: 1e39 is out of range (at most 3.4e+38 in size)");
  BOOST_TEST(f == 1.0f);
}

BOOST_AUTO_TEST_CASE(a_flag_given_twice_is_an_error) {
  Argv a{"--epochs", "2", "--quick", "--epochs=3", "--quick"};
  Cli cli(a.argc(), a.argv(), "test");
  const int epochs = cli.get("--epochs", 1, "epochs");
  cli.flag("--quick", "quick");
  BOOST_TEST(epochs == 2);
  BOOST_TEST(cli.errors() == (std::vector<std::string>{"--epochs given twice", "--quick given twice"}),
             boost::test_tools::per_element());
  BOOST_TEST(!finish_quietly(cli));
  BOOST_TEST(cli.exit_code() == 2);
}

BOOST_AUTO_TEST_CASE(require_names_the_flag_the_value_and_the_rule) {
  Argv a{"--batch-size", "0", "--lr=-0.1", "--epochs", "x", "--resume"};
  Cli cli(a.argc(), a.argv(), "test");
  const auto batch = cli.get<std::size_t>("--batch-size", 100, "batch");
  const double lr = cli.get("--lr", 0.1, "learning rate");
  const int epochs = cli.get("--epochs", 0, "epochs");               // unreadable: no second error
  const auto hidden = cli.get<std::size_t>("--hidden", 0, "units");  // a bad default is reported too
  cli.require(batch >= 1, "--batch-size", "must be at least 1");
  cli.require(lr > 0, "--lr", "must be greater than 0");
  cli.require(epochs >= 1, "--epochs", "must be at least 1");
  cli.require(hidden >= 1, "--hidden", "must be at least 1");
  cli.require(true, "--batch-size", "never shown");
  const bool resume = cli.flag("--resume", "continue");
  cli.require(!resume, "--resume", "needs --checkpoint PATH");
  BOOST_TEST(
      cli.errors() == (std::vector<std::string>{
                          "--epochs: 'x' is not a whole number", "--batch-size: got 0, must be at least 1",
                          "--lr: got -0.1, must be greater than 0", "--hidden: got 0 (the default), must be at least 1",
                          "--resume: needs --checkpoint PATH"}),
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(common_flags_check_threads_and_read_the_seed) {
  Argv bad{"--threads", "0", "--seed", "-1"};
  Cli cli(bad.argc(), bad.argv(), "test");
  cli.common();
  BOOST_TEST(cli.errors() == (std::vector<std::string>{"--seed: '-1' is not a count (a whole number >= 0)",
                                                       "--threads: got 0, must be at least 1"}),
             boost::test_tools::per_element());
  Argv good{"--seed", "18446744073709551615", "--threads", "1"};
  Cli ok(good.argc(), good.argv(), "test");
  const CommonFlags flags = ok.common();
  BOOST_TEST(ok.errors().empty());
  BOOST_TEST(flags.seed == UINT64_MAX);
  BOOST_TEST(flags.threads == 1);
}

BOOST_AUTO_TEST_CASE(help_shows_each_default_once) {
  Argv a{"--help"};
  Cli cli(a.argc(), a.argv(), "test");
  cli.common();
  cli.get("--epochs", 16, "training epochs");
  cli.get<std::size_t>("--batch-size", 100, "images per mini-batch");
  cli.get("--lr", 0.1, "SGD learning rate");
  cli.get<std::string>("--checkpoint", "", "checkpoint file");
  const std::string usage = cli.usage();
  std::istringstream lines(usage);
  for (std::string line; std::getline(lines, line);) {
    const auto first = line.find("default");
    BOOST_TEST((first == std::string::npos || line.find("default", first + 1) == std::string::npos), line);
  }
  BOOST_TEST(usage.find("  --threads N           OpenMP threads (default the idle cores, measured at start)\n") !=
                 std::string::npos,
             usage);
  BOOST_TEST(usage.find("  --epochs N            training epochs (default 16)\n") != std::string::npos, usage);
  BOOST_TEST(usage.find("  --lr X                SGD learning rate (default 0.1)\n") != std::string::npos, usage);
  BOOST_TEST(usage.find("  --checkpoint VALUE    checkpoint file\n") != std::string::npos, usage);
  BOOST_TEST(!finish_quietly(cli));
  BOOST_TEST(cli.exit_code() == 0);
}

BOOST_AUTO_TEST_CASE(command_repeats_the_arguments_quoted_for_the_shell) {
  Argv a{"--checkpoint", "my run.ckpt", "--lr=0.1", "--name", "it's"};
  Cli cli(a.argc(), a.argv(), "test");
  BOOST_TEST(cli.command() == "prog --checkpoint 'my run.ckpt' --lr=0.1 --name 'it'\\''s'");
}

BOOST_AUTO_TEST_SUITE_END()

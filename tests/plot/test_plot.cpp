// test_plot.cpp — moving_average, plot_curves, and what every figure does: its three files, the
// PNG when gnuplot is there, the CSV + script and a how-to message when it is not, a failed
// gnuplot reported, errors, NaN values, no temporary files left behind.
#include <cmath>
#include <limits>

#include "plot/gnuplot_process.hpp"
#include "plot_test_util.hpp"

using namespace scratch;
using namespace scratch::test;
using scratch::test::contains;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

void expect_same(const std::vector<double>& actual, const std::vector<double>& expected) {
  BOOST_TEST_REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (std::isnan(expected[i])) {
      BOOST_TEST(std::isnan(actual[i]), "index " << i << ": expected NaN, got " << actual[i]);
    } else {
      BOOST_TEST(actual[i] == expected[i], boost::test_tools::tolerance(1e-12));
    }
  }
}

PlotOptions labelled() {
  PlotOptions options;
  options.title = "loss";
  options.xlabel = "iteration";
  options.ylabel = "loss";
  return options;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(plot_plot)

BOOST_AUTO_TEST_CASE(moving_average_is_centred_and_cut_at_the_ends) {
  const std::vector<double> y = {1, 2, 3, 4, 10};
  // window 3 averages i−1 .. i+1: (1+2)/2, (1+2+3)/3, (2+3+4)/3, (3+4+10)/3, (4+10)/2
  expect_same(moving_average(y, 3), {1.5, 2, 3, 17.0 / 3, 7});
  // window 4 averages i−1 .. i+2: (1+2+3)/3, (1+2+3+4)/4, (2+3+4+10)/4, (3+4+10)/3, (4+10)/2
  expect_same(moving_average(y, 4), {2, 2.5, 4.75, 17.0 / 3, 7});
  // 0 and 1 mean no smoothing; a window longer than y is cut to y.size() = 5 (i−2 .. i+2)
  expect_same(moving_average(y, 0), y);
  expect_same(moving_average(y, 1), y);
  expect_same(moving_average(y, 50), {2, 2.5, 4, 4.75, 17.0 / 3});
  BOOST_TEST(moving_average({}, 3).empty());
}

BOOST_AUTO_TEST_CASE(moving_average_leaves_nan_and_inf_out) {
  // window 3: {1}, {1, 3}, {3} — the NaN and the inf are not counted
  expect_same(moving_average({1, kNaN, 3}, 3), {1, 2, 3});
  expect_same(moving_average({1, kInf, 3}, 3), {1, 2, 3});
  // window 2 averages i .. i+1: no finite value in the first window gives NaN
  expect_same(moving_average({kNaN, kNaN, 5}, 2), {kNaN, 5, 5});
}

BOOST_AUTO_TEST_CASE(csv_holds_every_point_exactly) {
  const TempDir dir;
  const ScopedEnv no_gnuplot("SCRATCH_GNUPLOT", (dir / "missing").string());
  const std::vector<Series> series = {{"a", {0, 0.5}, {1, 0.1}}, {"b,\"c\"", {}, {3, kNaN, -kInf}}};
  const PlotResult result = plot_curves(dir / "two.png", series, labelled());
  BOOST_TEST(read_text(dir / "two.csv") ==
             "series,x,y\n"
             "a,0,1\n"
             "a,0.5,0.1\n"
             "\"b,\"\"c\"\"\",0,3\n"
             "\"b,\"\"c\"\"\",1,nan\n"
             "\"b,\"\"c\"\"\",2,-inf\n");
  BOOST_TEST(result.csv == dir / "two.csv");
  BOOST_TEST(contains(result.message, "2 NaN/inf values of 'b,\"c\"' not drawn"), result.message);

  // With smoothing a y_smooth column follows: window 2 averages i .. i+1.
  PlotOptions smooth = labelled();
  smooth.smooth_window = 2;
  (void)plot_curve(dir / "one.png", {"loss", {}, {4, 2, 1}}, smooth);
  BOOST_TEST(read_text(dir / "one.csv") == "series,x,y,y_smooth\nloss,0,4,3\nloss,1,2,1.5\nloss,2,1,1\n");
}

BOOST_AUTO_TEST_CASE(script_reads_the_csv_by_rows) {
  const TempDir dir;
  const ScopedEnv no_gnuplot("SCRATCH_GNUPLOT", (dir / "missing").string());
  PlotOptions options = labelled();
  options.log_y = true;
  const PlotResult result = plot_curves(dir / "loss.png", {{"SGD", {}, {3, 2, 1}}, {"Adam", {}, {2, 1}}}, options);
  BOOST_TEST(result.script == dir / "loss.gp");
  const std::string gp = read_text(result.script);
  BOOST_TEST(contains(gp, "csv = dir.'loss.csv'"), gp);
  BOOST_TEST(contains(gp, "png = dir.'loss.png'"));
  BOOST_TEST(contains(gp, "set terminal pngcairo size 900,560"));
  BOOST_TEST(contains(gp, "csv every ::1::3 "));  // row 0 is the header
  BOOST_TEST(contains(gp, "csv every ::4::5 "));
  BOOST_TEST(contains(gp, "title 'SGD'"));
  BOOST_TEST(contains(gp, "set logscale y"));
  BOOST_TEST(contains(gp, "set xlabel 'iteration'"));
}

BOOST_AUTO_TEST_CASE(without_gnuplot_csv_and_script_are_written_and_the_message_says_how_to_draw) {
  const TempDir dir;
  const ScopedEnv no_gnuplot("SCRATCH_GNUPLOT", (dir / "no-such-gnuplot").string());
  const PlotResult result = plot_curve(dir / "loss.png", {"loss", {}, {3, 2, 1}}, labelled());
  BOOST_TEST(!result.rendered);
  BOOST_TEST(dir.files() == (std::vector<std::string>{"loss.csv", "loss.gp"}), boost::test_tools::per_element());
  BOOST_TEST(contains(result.message, "gnuplot not found"), result.message);
  BOOST_TEST(contains(result.message, "no-such-gnuplot"), result.message);
  BOOST_TEST(contains(result.message, "gnuplot " + (dir / "loss.gp").string()), result.message);

  // A PNG from an earlier run is left alone, but the message says it is stale.
  std::ofstream(dir / "old.png") << "earlier";
  const PlotResult stale = plot_curve(dir / "old.png", {"loss", {}, {1}}, labelled());
  BOOST_TEST(read_text(dir / "old.png") == "earlier");
  BOOST_TEST(contains(stale.message, "old.png is from an earlier run"), stale.message);
}

BOOST_AUTO_TEST_CASE(a_bare_name_goes_into_the_plots_folder) {
  const TempDir dir;
  const ScopedEnv plots("SCRATCH_PLOTS_DIR", (dir / "figures").string());
  const ScopedEnv no_gnuplot("SCRATCH_GNUPLOT", (dir / "missing").string());
  const PlotResult result = plot_curve("bare", {"loss", {}, {1, 2}}, labelled());  // .png is added
  BOOST_TEST(result.png == dir / "figures" / "bare.png");
  BOOST_TEST(fs::exists(dir / "figures" / "bare.csv"));
  BOOST_TEST(fs::exists(dir / "figures" / "bare.gp"));
}

BOOST_AUTO_TEST_CASE(png_is_drawn_when_gnuplot_is_present, *boost::unit_test::precondition(gnuplot_present)) {
  const TempDir dir;
  PlotOptions options = labelled();
  options.smooth_window = 5;
  std::vector<double> y;
  for (int i = 0; i < 200; ++i) y.push_back(2.3 * std::exp(-i / 50.0) + 0.1 * std::sin(i));
  const PlotResult result = plot_curves(dir / "loss.png", {{"SGD", {}, y}, {"Adam", {}, {2, 1, 0.5}}}, options);
  BOOST_TEST(result.rendered, result.message);
  BOOST_TEST(is_png(dir / "loss.png", 5000));
  BOOST_TEST(contains(result.message, "wrote " + (dir / "loss.png").string()), result.message);
  BOOST_TEST(dir.files() == (std::vector<std::string>{"loss.csv", "loss.gp", "loss.png"}),
             boost::test_tools::per_element());  // no temporary left behind
}

BOOST_AUTO_TEST_CASE(the_script_redraws_the_png_from_any_folder, *boost::unit_test::precondition(gnuplot_present)) {
  const TempDir dir;
  const ScopedEnv no_gnuplot("SCRATCH_GNUPLOT", (dir / "missing").string());
  (void)plot_curve(dir / "loss.png", {"loss", {}, {3, 2, 1}}, labelled());
  BOOST_TEST_REQUIRE(!fs::exists(dir / "loss.png"));
  // What the message tells the user to type, run from another folder (the script finds its CSV).
  const std::string command = "cd / && " + plot_detail::find_executable("gnuplot")->string() + " " +
                              (dir / "loss.gp").string() + " 2>/dev/null";
  BOOST_TEST(std::system(command.c_str()) == 0);
  BOOST_TEST(is_png(dir / "loss.png", 5000));
}

BOOST_AUTO_TEST_CASE(echo_draws_the_chart_in_text, *boost::unit_test::precondition(gnuplot_present)) {
  const TempDir dir;
  PlotOptions options = labelled();
  options.title = "echoed loss";
  options.echo = TerminalEcho::kYes;
  const PlotResult result = plot_curve(dir / "loss.png", {"SGD", {}, {3, 2, 1.5, 1.2, 1}}, options);
  BOOST_TEST(result.rendered, result.message);
  BOOST_TEST(contains(result.terminal_chart, "echoed loss"), result.terminal_chart);
  BOOST_TEST(contains(result.terminal_chart, "SGD"));
  BOOST_TEST(contains(result.terminal_chart, "+----"));  // the frame the dumb terminal draws
}

BOOST_AUTO_TEST_CASE(a_failing_gnuplot_is_reported_and_leaves_no_png) {
  const TempDir dir;
  const ScopedEnv broken("SCRATCH_GNUPLOT",
                         fake_gnuplot(dir, "cat > /dev/null; echo 'boom: bad command' >&2; exit 3").string());
  const PlotResult result = plot_curve(dir / "loss.png", {"loss", {}, {3, 2, 1}}, labelled());
  BOOST_TEST(!result.rendered);
  BOOST_TEST(contains(result.message, "gnuplot failed (exit status 3)"), result.message);
  BOOST_TEST(contains(result.message, "boom: bad command"), result.message);
  BOOST_TEST(dir.files() == (std::vector<std::string>{"fake-gnuplot", "loss.csv", "loss.gp"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_gnuplot_that_exits_at_once_does_not_kill_us) {
  // It never reads its input and the script is far larger than a pipe's buffer, so our writes
  // certainly hit a closed pipe: the SIGPIPE that raises must not end the test run.
  const TempDir dir;
  const fs::path quitter = fake_gnuplot(dir, "exit 4");
  const std::string script(4 << 20, '#');
  const plot_detail::GnuplotRun run = plot_detail::run_gnuplot(quitter, script);
  BOOST_TEST(run.exit_status == 4);
  const ScopedEnv env("SCRATCH_GNUPLOT", quitter.string());
  const PlotResult result = plot_curve(dir / "loss.png", {"loss", {}, {3, 2, 1}}, labelled());
  BOOST_TEST(!result.rendered);
  BOOST_TEST(contains(result.message, "exit status 4"), result.message);
}

BOOST_AUTO_TEST_CASE(gnuplot_output_and_errors_are_captured, *boost::unit_test::precondition(gnuplot_present)) {
  const fs::path gnuplot = *plot_detail::find_executable(plot_detail::gnuplot_command());
  const plot_detail::GnuplotRun ok = plot_detail::run_gnuplot(gnuplot, "set print '-'\nprint 6*7\n");
  BOOST_TEST(ok.exit_status == 0);
  BOOST_TEST(ok.out == "42\n");
  const plot_detail::GnuplotRun bad = plot_detail::run_gnuplot(gnuplot, "no_such_command 1\n");
  BOOST_TEST(bad.exit_status != 0);
  BOOST_TEST(contains(bad.err, "invalid command"), bad.err);
}

BOOST_AUTO_TEST_CASE(bad_input_is_rejected_with_a_message_naming_the_plot) {
  const TempDir dir;
  const ScopedEnv no_gnuplot("SCRATCH_GNUPLOT", (dir / "missing").string());
  const PlotOptions options = labelled();
  BOOST_CHECK_EXCEPTION(plot_curves(dir / "loss.png", {{"SGD", {1, 2, 3}, {1, 2}}}, options), ShapeError,
                        [](const ShapeError& e) {
                          BOOST_TEST(std::string(e.what()) ==
                                     "plot_curves(loss.png): series 'SGD' has 3 x values but 2 y values; give one x "
                                     "per y, or no x at all for 0, 1, 2, ...");
                          return true;
                        });
  BOOST_CHECK_EXCEPTION(plot_curves(dir / "loss.png", {}, options), ValueError, [](const ValueError& e) {
    return contains(e.what(), "plot_curves(loss.png): no series to draw");
  });
  BOOST_CHECK_EXCEPTION(plot_curve(dir / "loss.png", {"empty", {}, {}}, options), ValueError,
                        [](const ValueError& e) { return contains(e.what(), "series 'empty' has no points"); });
  BOOST_CHECK_EXCEPTION(plot_curve(dir / "loss.svg", {"a", {}, {1}}, options), ValueError,
                        [](const ValueError& e) { return contains(e.what(), "must end in .png"); });
  PlotOptions tiny = options;
  tiny.width = 0;
  BOOST_CHECK_EXCEPTION(plot_curve(dir / "loss.png", {"a", {}, {1}}, tiny), ValueError,
                        [](const ValueError& e) { return contains(e.what(), "width = 0 pixels"); });
  PlotOptions reversed = options;
  reversed.y_range = Range{1, 0};
  BOOST_CHECK_THROW(plot_curve(dir / "loss.png", {"a", {}, {1}}, reversed), ValueError);
  BOOST_TEST(dir.files().empty());  // nothing written for a rejected call
}

BOOST_AUTO_TEST_CASE(a_nan_loss_does_not_crash_the_plot) {
  const TempDir dir;
  const std::vector<double> diverged = {2.3, 5.1, 1e30, kInf, kNaN, kNaN};
  const std::vector<double> fine = {2.3, 1.9, 1.5, 1.2, 1.0, 0.9};
  PlotOptions options = labelled();
  options.smooth_window = 3;
  {
    const ScopedEnv no_gnuplot("SCRATCH_GNUPLOT", (dir / "missing").string());
    const PlotResult all_nan = plot_curve(dir / "nan.png", {"lr=10", {}, {kNaN, kNaN}}, options);
    BOOST_TEST(!all_nan.rendered);
    BOOST_TEST(contains(all_nan.message, "nothing to draw (every value is NaN or inf)"), all_nan.message);
    BOOST_TEST(read_text(dir / "nan.csv") == "series,x,y,y_smooth\nlr=10,0,nan,nan\nlr=10,1,nan,nan\n");
  }
  if (!gnuplot_present(0)) return;
  const PlotResult mixed = plot_curves(dir / "mixed.png", {{"lr=10", {}, diverged}, {"lr=0.1", {}, fine}}, options);
  BOOST_TEST(mixed.rendered, mixed.message);
  BOOST_TEST_MESSAGE(mixed.message);
  BOOST_TEST(contains(mixed.message, "3 NaN/inf values of 'lr=10' not drawn"), mixed.message);
  const PlotResult one_lost =
      plot_curves(dir / "lost.png", {{"lr=100", {}, {kNaN, kNaN}}, {"lr=0.1", {}, fine}}, options);
  BOOST_TEST(one_lost.rendered, one_lost.message);
  BOOST_TEST(contains(read_text(one_lost.script), "title 'lr=100 (no finite values)'"));
}

BOOST_AUTO_TEST_SUITE_END()

// bad_inputs_plot_core.cpp — bad inputs to the plots (plot/plot.hpp) and to the core helpers
// (core/parallel.hpp, random.hpp, paths.hpp). Every plot row fails before anything is drawn or
// written. Row format: bad_input.hpp.
#include <limits>

#include "data/data_files.hpp"
#include "robustness/bad_input.hpp"

namespace scratch::test {
namespace {

// Where the plot rows would write, if they got that far.
fs::path png(const char* name) {
  static const TempDir dir;
  return dir / name;
}

const Series kLine{"loss", {}, {3, 2, 1}};
ContourSpec spec_over_unit_square() {
  ContourSpec spec;
  spec.x = Range{-1, 1};
  spec.y = Range{-1, 1};
  return spec;
}
const ContourSpec kSpec = spec_over_unit_square();

double bowl(double x, double y) { return x * x + y * y; }

PlotOptions with_size(int width, int height) {
  PlotOptions o;
  o.width = width;
  o.height = height;
  return o;
}

}  // namespace

BadInputs plot_bad_inputs() {
  // One row per bad input, kept as a table:
  // clang-format off
  constexpr auto S = Expect::kShapeError;
  constexpr auto V = Expect::kValueError;
  return {
      {"plot_curves: no series",
       [] { (void)plot_curves(png("a.png"), {}, {}); },
       V,
       {"plot_curves(a.png)", "no series"}},
      {"plot_curves: a series without points", [] { (void)plot_curves(png("a.png"), {{"empty", {}, {}}}, {}); }, V,
       {"plot_curves(a.png)", "'empty'", "no points"}},
      {"plot_curves: x and y lengths differ",
       [] { (void)plot_curves(png("a.png"), {{"s", {0, 1}, {1, 2, 3}}}, {}); }, S,
       {"plot_curves(a.png)", "'s'", "2 x values", "3 y values"}},
      {"plot_curve: not a .png name", [] { (void)plot_curve(png("a.jpg"), kLine, {}); }, V, {"a.jpg", ".png"}},
      {"plot_curve: an empty file name", [] { (void)plot_curve("", kLine, {}); }, V, {"file name"}},
      {"plot_curve: width 0",
       [] { (void)plot_curve(png("a.png"), kLine, with_size(0, 500)); },
       V,
       {"plot_curve", "width = 0"}},
      {"plot_curve: reversed x_range",
       [] {
         PlotOptions o;
         o.x_range = Range{2, 1};
         (void)plot_curve(png("a.png"), kLine, o);
       },
       V,
       {"x_range [2, 1]", "lo < hi"}},
      {"plot_curve: log axis from 0",
       [] {
         PlotOptions o;
         o.log_y = true;
         o.y_range = Range{0, 1};
         (void)plot_curve(png("a.png"), kLine, o);
       },
       V,
       {"y_range starts at 0", "log axis"}},
      {"plot_contour_trajectories: 1 sample per axis",
       [] {
         ContourSpec spec = kSpec;
         spec.samples = 1;
         (void)plot_contour_trajectories(png("c.png"), bowl, spec, {}, {});
       },
       V,
       {"plot_contour_trajectories(c.png)", "samples = 1"}},
      {"plot_contour_trajectories: an empty x range",
       [] {
         ContourSpec spec = kSpec;
         spec.x = Range{1, 1};
         (void)plot_contour_trajectories(png("c.png"), bowl, spec, {}, {});
       },
       V,
       {"plot_contour_trajectories", "x range [1, 1]"}},
      {"plot_contour_trajectories: no function",
       [] { (void)plot_contour_trajectories(png("c.png"), {}, kSpec, {}, {}); },
       V,
       {"plot_contour_trajectories", "no function"}},
      {"plot_contour_trajectories: a path without points",
       [] { (void)plot_contour_trajectories(png("c.png"), bowl, kSpec, {{"SGD", {}, {}}}, {}); }, V,
       {"plot_contour_trajectories", "'SGD'", "no points"}},
      {"plot_contour_trajectories: a path whose x and y differ",
       [] { (void)plot_contour_trajectories(png("c.png"), bowl, kSpec, {{"Adam", {0, 1}, {0}}}, {}); }, S,
       {"plot_contour_trajectories", "'Adam'", "2 x values", "1 y values"}},
      {"plot_image_grid: no images",
       [] { (void)plot_image_grid(png("g.png"), {}, 2, 2, 1, {}); },
       V,
       {"plot_image_grid(g.png)", "no images"}},
      {"plot_image_grid: image size 0",
       [] { (void)plot_image_grid(png("g.png"), {{1}}, 0, 1, 1, {}); },
       V,
       {"plot_image_grid", "image_rows = 0"}},
      {"plot_image_grid: an image of the wrong size",
       [] { (void)plot_image_grid(png("g.png"), {{1, 2, 3, 4}, {1, 2, 3}}, 2, 2, 2, {}); }, S,
       {"plot_image_grid", "image 1 has 3 values", "2 x 2 = 4"}},
      {"plot_image_grid: a label per image instead of per row",
       [] { (void)plot_image_grid(png("g.png"), {{1}, {2}, {3}}, 1, 1, 3, {}, {"a", "b", "c"}); }, S,
       {"plot_image_grid", "3 row labels for 1 rows"}},
  };
  // clang-format on
}

BadInputs core_bad_inputs() {
  // One row per bad input, kept as a table:
  // clang-format off
  constexpr auto V = Expect::kValueError;
  return {
      {"set_threads: 0", [] { set_threads(0); }, V, {"set_threads", "at least 1", "got 0"}},
      {"set_threads: negative", [] { set_threads(-2); }, V, {"set_threads", "got -2"}},
      {"Rng::below: 0", [] { Rng().below(0); }, V, {"Rng::below", "positive"}},
      {"Rng::set_state: not a state",
       [] { Rng().set_state("hello"); },
       Expect::kFormatError,
       {"Rng::set_state", "not a saved random-engine state"}},
      {"write_file_atomically: below a file",
       [] { write_file_atomically("/dev/null/out.csv", [](std::ostream& out) { out << "x"; }); },
       Expect::kIoError,
       {"write_file_atomically", "/dev/null"}},
  };
  // clang-format on
}

}  // namespace scratch::test

// test_figures.cpp — plot_contour_trajectories, plot_image_grid and plot_class_map: their CSV files exactly, the
// PNG when gnuplot is there, the text echo of an image grid, and their errors.
#include <cmath>
#include <limits>

#include "plot/gnuplot_process.hpp"
#include "plot_test_util.hpp"

using namespace scratch;
using namespace scratch::test;
using scratch::test::contains;

namespace {

double bowl(double x, double y) { return x * x / 20 + y * y; }

// Gradient descent on the bowl: ∂f/∂x = x/10, ∂f/∂y = 2y.
Trajectory descend(const std::string& name, double lr, int steps) {
  Trajectory path{name, {-7}, {2}};
  for (int i = 0; i < steps; ++i) {
    path.x.push_back(path.x.back() - lr * path.x.back() / 10);
    path.y.push_back(path.y.back() - lr * 2 * path.y.back());
  }
  return path;
}

// Class 1 right of x = 0, class 0 left of it (and on it).
std::vector<std::size_t> right_half(const std::vector<double>& x, const std::vector<double>&) {
  std::vector<std::size_t> classes;
  for (const double v : x) classes.push_back(v > 0 ? 1 : 0);
  return classes;
}

ContourSpec bowl_window() {
  ContourSpec spec;
  spec.x = {-10, 10};
  spec.y = {-5, 5};
  spec.minimum = std::pair{0.0, 0.0};
  return spec;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(plot_figures)

BOOST_AUTO_TEST_CASE(contour_csv_files_hold_the_paths_and_the_grid) {
  const TempDir dir;
  const ScopedEnv no_gnuplot("SCRATCH_GNUPLOT", (dir / "missing").string());
  ContourSpec spec;
  spec.x = {-2, 2};
  spec.y = {-1, 1};
  spec.samples = 3;
  const Trajectory path{"SGD", {-2, 0.5}, {1, 0}};
  const PlotResult result = plot_contour_trajectories(dir / "paths.png", bowl, spec, {path}, PlotOptions{});
  BOOST_TEST(!result.rendered);
  // f at the two points: 4/20 + 1 = 1.2 and 0.25/20 + 0 = 0.0125
  BOOST_TEST(read_text(dir / "paths.csv") == "path,step,x,y,f\nSGD,0,-2,1,1.2\nSGD,1,0.5,0,0.0125\n");
  // rows y = -1, 0, 1; columns x = -2, 0, 2: f = x²/20 + y²
  BOOST_TEST(read_text(dir / "paths_grid.csv") == "y\\x,-2,0,2\n-1,1.2,1,1.2\n0,0.2,0,0.2\n1,1.2,1,1.2\n");
  BOOST_TEST(result.extra_csv == std::vector<fs::path>{dir / "paths_grid.csv"}, boost::test_tools::per_element());
  const std::string gp = read_text(dir / "paths.gp");
  BOOST_TEST(contains(gp, "grid_csv = dir.'paths_grid.csv'"), gp);
  BOOST_TEST(contains(gp, "csv every ::1::2 "));
  BOOST_TEST(contains(result.message, "paths_grid.csv"), result.message);
}

BOOST_AUTO_TEST_CASE(automatic_levels_ring_the_minimum_evenly) {
  const TempDir dir;
  const ScopedEnv no_gnuplot("SCRATCH_GNUPLOT", (dir / "missing").string());
  ContourSpec spec;
  spec.x = {-1, 1};
  spec.y = {-1, 1};
  spec.samples = 3;  // f = x² + y² on the grid: 0 .. 2
  (void)plot_contour_trajectories(
      dir / "rings.png", [](double x, double y) { return x * x + y * y; }, spec, {}, PlotOptions{});
  // 2·(k/12)² for k = 1..11: 1/72, 4/72, 9/72, ... — rings at radius √2·k/12, evenly spaced (written
  // with 4 significant digits)
  const std::string gp = read_text(dir / "rings.gp");
  const auto at = gp.find("set cntrparam levels discrete ");
  BOOST_TEST_REQUIRE(at != std::string::npos);
  std::istringstream levels(gp.substr(at + 30, gp.find('\n', at) - at - 30));
  std::string level;
  int k = 0;
  while (std::getline(levels, level, ',')) {
    ++k;
    BOOST_TEST(std::stod(level) == 2.0 * k * k / 144, boost::test_tools::tolerance(5e-4));
  }
  BOOST_TEST(k == 11);
}

BOOST_AUTO_TEST_CASE(contour_png_for_five_paths, *boost::unit_test::precondition(gnuplot_present)) {
  const TempDir dir;
  std::vector<Trajectory> paths;
  for (const double lr : {0.95, 0.5, 0.3, 0.1, 0.05}) paths.push_back(descend("lr " + std::to_string(lr), lr, 30));
  PlotOptions options;
  options.title = "gradient descent on x²/20 + y²";
  for (const ContourLayout layout : {ContourLayout::kPanels, ContourLayout::kOverlay}) {
    ContourSpec spec = bowl_window();
    spec.layout = layout;
    const PlotResult result = plot_contour_trajectories(dir / "paths.png", bowl, spec, paths, options);
    BOOST_TEST(result.rendered, result.message);
    BOOST_TEST(is_png(dir / "paths.png", 20000));
  }
  BOOST_TEST(dir.files() == (std::vector<std::string>{"paths.csv", "paths.gp", "paths.png", "paths_grid.csv"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_diverging_path_is_drawn_up_to_where_it_leaves) {
  const TempDir dir;
  const ScopedEnv no_gnuplot("SCRATCH_GNUPLOT", (dir / "missing").string());
  const double inf = std::numeric_limits<double>::infinity();
  const Trajectory exploding{"lr=2", {-7, 9, -30, inf}, {2, -6, 18, inf}};
  const PlotResult result =
      plot_contour_trajectories(dir / "boom.png", bowl, bowl_window(), {exploding}, PlotOptions{});
  BOOST_TEST(contains(result.message, "1 NaN/inf points of 'lr=2' not drawn"), result.message);
  BOOST_TEST(contains(result.message, "2 points of 'lr=2' lie outside the window"), result.message);
}

BOOST_AUTO_TEST_CASE(contour_errors_name_the_plot) {
  const TempDir dir;
  ContourSpec reversed = bowl_window();
  reversed.x = {1, -1};
  BOOST_CHECK_EXCEPTION(
      plot_contour_trajectories(dir / "c.png", bowl, reversed, {}, PlotOptions{}), ValueError, [](const ValueError& e) {
        return std::string(e.what()) == "plot_contour_trajectories(c.png): x range [1, -1] must be finite with lo < hi";
      });
  ContourSpec coarse = bowl_window();
  coarse.samples = 1;
  BOOST_CHECK_THROW(plot_contour_trajectories(dir / "c.png", bowl, coarse, {}, PlotOptions{}), ValueError);
  BOOST_CHECK_EXCEPTION(
      plot_contour_trajectories(dir / "c.png", bowl, bowl_window(), {{"Adam", {1, 2}, {1}}}, PlotOptions{}), ShapeError,
      [](const ShapeError& e) { return contains(e.what(), "trajectory 'Adam' has 2 x values but 1 y values"); });
  BOOST_CHECK_THROW(plot_contour_trajectories(dir / "c.png", bowl, bowl_window(), {{"Adam", {}, {}}}, PlotOptions{}),
                    ValueError);
  BOOST_CHECK_THROW(plot_contour_trajectories(dir / "c.png", nullptr, bowl_window(), {}, PlotOptions{}), ValueError);
  BOOST_TEST(dir.files().empty());
}

BOOST_AUTO_TEST_CASE(image_grid_csv_and_text_echo) {
  const TempDir dir;
  const ScopedEnv no_gnuplot("SCRATCH_GNUPLOT", (dir / "missing").string());
  // Two 2 x 2 images: a dark right column, a dark left column.
  const std::vector<std::vector<double>> images = {{0, 1, 0, 1}, {1, 0, 1, 0.5}};
  PlotOptions options;
  options.echo = TerminalEcho::kYes;
  const PlotResult result = plot_image_grid(dir / "digits.png", images, 2, 2, 2, options, {"pair"});
  BOOST_TEST(read_text(dir / "digits.csv") ==
             "image,row,col,value\n0,0,0,0\n0,0,1,1\n0,1,0,0\n0,1,1,1\n1,0,0,1\n1,0,1,0\n1,1,0,1\n1,1,1,0.5\n");
  // One text row per two pixel rows; ink " .:-=+*#%@" from 0 to 1 in tenths: a column's mean 0 is ' ',
  // 1 is '@', and image 1's right column (0 + 0.5)/2 = 0.25 falls in the third tenth, ':'.
  BOOST_TEST(result.terminal_chart == "pair\n @ @:\n", result.terminal_chart);
  const std::string gp = read_text(dir / "digits.gp");
  BOOST_TEST(contains(gp, "R = 2; C = 2; GC = 2; N = 2"), gp);
  BOOST_TEST(contains(gp, "set cbrange [0:1]"));
  BOOST_TEST(contains(gp, "set label 1 'pair'"));
}

BOOST_AUTO_TEST_CASE(image_values_outside_0_1_use_their_own_range) {
  const TempDir dir;
  const ScopedEnv no_gnuplot("SCRATCH_GNUPLOT", (dir / "missing").string());
  (void)plot_image_grid(dir / "w.png", {{-3, 1, 2, std::nan("")}}, 2, 2, 8, PlotOptions{});
  BOOST_TEST(contains(read_text(dir / "w.gp"), "set cbrange [-3:2]"));
}

BOOST_AUTO_TEST_CASE(image_grid_png_of_sixteen_digits, *boost::unit_test::precondition(gnuplot_present)) {
  const TempDir dir;
  std::vector<std::vector<double>> images(16, std::vector<double>(28 * 28));
  for (std::size_t i = 0; i < images.size(); ++i) {
    for (std::size_t p = 0; p < images[i].size(); ++p) images[i][p] = std::fmod(0.37 * (i + 1) * p, 1.0);
  }
  PlotOptions options;
  options.title = "originals and reconstructions";
  const PlotResult result = plot_image_grid(dir / "digits.png", images, 28, 28, 8, options, {"original", "decoded"});
  BOOST_TEST(result.rendered, result.message);
  BOOST_TEST(is_png(dir / "digits.png", 20000));
  BOOST_TEST(contains(read_text(dir / "digits.gp"), "set terminal pngcairo size 900,"));
}

BOOST_AUTO_TEST_CASE(image_grid_errors_name_the_sizes) {
  const TempDir dir;
  BOOST_CHECK_EXCEPTION(plot_image_grid(dir / "g.png", {{1, 2, 3, 4}, {1, 2, 3}}, 2, 2, 2, PlotOptions{}), ShapeError,
                        [](const ShapeError& e) {
                          return std::string(e.what()) ==
                                 "plot_image_grid(g.png): image 1 has 3 values but 2 x 2 = 4; every image must be "
                                 "image_rows x image_cols, row-major";
                        });
  BOOST_CHECK_THROW(plot_image_grid(dir / "g.png", {}, 2, 2, 2, PlotOptions{}), ValueError);
  BOOST_CHECK_THROW(plot_image_grid(dir / "g.png", {{1}}, 1, 1, 0, PlotOptions{}), ValueError);
  BOOST_CHECK_EXCEPTION(plot_image_grid(dir / "g.png", {{1}, {2}, {3}}, 1, 1, 2, PlotOptions{}, {"only one"}),
                        ShapeError,
                        [](const ShapeError& e) { return contains(e.what(), "1 row labels for 2 rows of images"); });
  BOOST_TEST(dir.files().empty());
}

BOOST_AUTO_TEST_CASE(class_map_csv_files_hold_the_points_and_the_predicted_grid) {
  const TempDir dir;
  const ScopedEnv no_gnuplot("SCRATCH_GNUPLOT", (dir / "missing").string());
  const ClassMapSpec spec{{-1, 1}, {0, 2}, 3, {"left", "right"}};
  const LabeledPoints points{{-0.5, 0.5}, {1, 1.5}, {0, 1}};
  const PlotResult result = plot_class_map(dir / "regions.png", right_half, spec, points, PlotOptions{});
  BOOST_TEST(!result.rendered);
  BOOST_TEST(read_text(dir / "regions.csv") == "x,y,label\n-0.5,1,0\n0.5,1.5,1\n");
  // rows y = 0, 1, 2; columns x = -1, 0, 1: class 1 only where x > 0
  BOOST_TEST(read_text(dir / "regions_grid.csv") == "y\\x,-1,0,1\n0,0,0,1\n1,0,0,1\n2,0,0,1\n");
  BOOST_TEST(result.extra_csv == std::vector<fs::path>{dir / "regions_grid.csv"}, boost::test_tools::per_element());
  const std::string gp = read_text(dir / "regions.gp");
  BOOST_TEST(contains(gp, "set palette maxcolors 2"), gp);
  BOOST_TEST(contains(gp, "title 'right'"), gp);
}

BOOST_AUTO_TEST_CASE(class_map_png_of_three_classes, *boost::unit_test::precondition(gnuplot_present)) {
  const TempDir dir;
  Rng rng(3);
  const TensorDataset spiral = make_spiral(rng, {50, 3, 0.2, LabelFormat::kIndex});
  LabeledPoints points;
  for (std::size_t n = 0; n < spiral.size(); ++n) {
    points.x.push_back(spiral.x()(n, 0));
    points.y.push_back(spiral.x()(n, 1));
    points.label.push_back(static_cast<std::size_t>(spiral.t()[n]));
  }
  // A fixed classifier: the angle's third of the circle.
  const Classifier by_angle = [](const std::vector<double>& x, const std::vector<double>& y) {
    const double pi = std::acos(-1.0);
    std::vector<std::size_t> classes;
    for (std::size_t i = 0; i < x.size(); ++i)
      classes.push_back(static_cast<std::size_t>((std::atan2(y[i], x[i]) + pi) / (2 * pi) * 2.999));
    return classes;
  };
  PlotOptions options;
  options.title = "three sectors";
  const PlotResult result =
      plot_class_map(dir / "sectors.png", by_angle, {{-1, 1}, {-1, 1}, 100, {"a", "b", "c"}}, points, options);
  BOOST_TEST(result.rendered, result.message);
  BOOST_TEST(is_png(dir / "sectors.png", 5000));
}

BOOST_AUTO_TEST_CASE(class_map_errors_name_the_plot) {
  const TempDir dir;
  const LabeledPoints none;
  const auto message = [&](const ClassMapSpec& spec, const LabeledPoints& points, const Classifier& classify) {
    return message_of([&] { (void)plot_class_map(dir / "m.png", classify, spec, points, PlotOptions{}); });
  };
  const ClassMapSpec good{{-1, 1}, {-1, 1}, 3, {"a", "b"}};
  BOOST_TEST(message({{1, -1}, {-1, 1}, 3, {"a"}}, none, right_half) ==
             "plot_class_map(m.png): x range [1, -1] must be finite with lo < hi");
  BOOST_TEST(message({{-1, 1}, {-1, 1}, 1, {"a"}}, none, right_half) ==
             "plot_class_map(m.png): samples = 1 per axis is outside [2, 2001]; 200 is plenty");
  BOOST_TEST(message({{-1, 1}, {-1, 1}, 3, {}}, none, right_half) ==
             "plot_class_map(m.png): 0 class names; give one per class, 1 to 10");
  BOOST_TEST(message(good, {{0, 1}, {0}, {0, 1}}, right_half) ==
             "plot_class_map(m.png): the points have 2 x, 1 y and 2 labels; each point needs all three");
  BOOST_TEST(message(good, {{0}, {0}, {2}}, right_half) ==
             "plot_class_map(m.png): point 0 has label 2 but there are 2 class names (labels 0 to 1)");
  BOOST_TEST(message(good, none, [](const std::vector<double>&, const std::vector<double>&) {
    return std::vector<std::size_t>(4, 0);
  }) == "plot_class_map(m.png): the classifier answered for 4 points but was asked about 9 (3 x 3 grid)");
  BOOST_TEST(message({{-1, 1}, {-1, 1}, 3, {"a"}}, none, right_half) ==
             "plot_class_map(m.png): the classifier picked class 1 at (1, -1) but there are only 1 class names");
  BOOST_TEST(message(good, none, nullptr) == "plot_class_map(m.png): no classifier given");
  BOOST_TEST(dir.files().empty());
}

BOOST_AUTO_TEST_SUITE_END()

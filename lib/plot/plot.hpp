// plot.hpp — figures for lectures: loss curves, optimizer paths over contour lines, image grids.
//
// Every figure is three files with one stem, written atomically (never half a file):
//   loss.csv   the data, plain CSV with a header row (open it in a spreadsheet or pandas)
//   loss.gp    a gnuplot script that draws loss.png from loss.csv; restyle it and run
//              `gnuplot plots/loss.gp` from any folder
//   loss.png   the picture (pngcairo), drawn by gnuplot through gnuplot-iostream
// A bare file name ("loss.png") goes into scratch::plots_dir() ($SCRATCH_PLOTS_DIR or plots/); a
// path with a folder ("out/loss.png", "/tmp/loss.png") is used as given. The name must end in .png
// (or have no extension, then .png is added).
//
// gnuplot is $SCRATCH_GNUPLOT if set (a path or a name looked up on PATH), else `gnuplot`. If it is
// missing, nothing fails: the CSV and the script are written, `rendered` is false and `message`
// says how to draw them. If gnuplot runs but fails, the PNG is not written and `message` quotes
// gnuplot's error. Bad arguments throw ValueError / ShapeError; a file that cannot be written
// throws IoError.
//
// Non-finite values (a NaN loss, an overflowing step) never crash a plot: they are kept in the CSV
// as nan / inf / -inf and left out of the drawing (a curve shows a gap there). The message counts them.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace scratch {

namespace fs = std::filesystem;

// One named curve: y[i] drawn at x[i]. An empty x means x = 0, 1, ..., y.size() − 1.
struct Series {
  std::string name;
  std::vector<double> x, y;
};

// kYes: after the PNG, also draw the chart in text (gnuplot's `dumb` terminal) on stdout, so it can
// be seen over ssh. Image grids are drawn with characters of increasing ink instead.
enum class TerminalEcho { kNo, kYes };

// Where the legend goes. Outside, right of the plot, it never covers data.
enum class Legend { kOutsideRight, kTopRight, kTopLeft, kBottomRight, kBottomLeft, kNone };

struct Range {
  double lo = 0, hi = 0;
};

struct PlotOptions {
  std::string title, xlabel, ylabel;
  // Moving-average window (see moving_average). 0 or 1 draws the raw data only; larger draws each
  // raw curve faint and its moving average bold — mini-batch loss is noisy.
  std::size_t smooth_window = 0;
  bool log_y = false;                     // logarithmic y axis; values <= 0 are not drawn
  std::optional<Range> x_range, y_range;  // unset: fit the data
  TerminalEcho echo = TerminalEcho::kNo;
  int width = 900, height = 560;  // pixels; plot_image_grid picks its own height up to this
  Legend legend = Legend::kOutsideRight;
};

// What a plot call wrote. `message` is one line for the user: what was written, or why the PNG is
// missing and the command that draws it. Print it.
struct [[nodiscard]] PlotResult {
  fs::path png, csv, script;
  std::vector<fs::path> extra_csv;  // further data the script reads (the contour's grid of f values)
  bool rendered = false;            // the PNG was written by this call
  std::string message;
  std::string terminal_chart;  // the text chart printed when echo == kYes ("" otherwise)
};

// Centred moving average: out[i] is the mean of y[j] for j in [i − (window−1)/2, i + window/2],
// cut at both ends of y (so the first and last points average fewer values). window 0 or 1 returns
// y unchanged; a window longer than y is cut to y.size(). NaN and ±inf are left out of every mean;
// a window without any finite value gives NaN. Costs O(y.size() · window).
std::vector<double> moving_average(const std::vector<double>& y, std::size_t window);

// Several named curves on one chart (distinct colours, legend, grid). Throws ValueError if
// `series` is empty or a series has no points, ShapeError if a series' x and y lengths differ.
PlotResult plot_curves(const fs::path& png, const std::vector<Series>& series, const PlotOptions& options);
PlotResult plot_curve(const fs::path& png, const Series& series, const PlotOptions& options);

// One optimizer's path: the points it visited, start first.
struct Trajectory {
  std::string name;
  std::vector<double> x, y;
};

// kPanels: one small chart per trajectory (the same contours in each), easiest to read when paths
// cross; kOverlay: every path on one chart, best to compare how far each got.
enum class ContourLayout { kPanels, kOverlay };

// Where and how finely to sample f, and how to draw it.
struct ContourSpec {
  Range x, y;                  // the window drawn; f is sampled on its corners and inside
  std::size_t samples = 161;   // grid points per axis (>= 2)
  std::vector<double> levels;  // contour values; empty: 12 levels spaced so that a quadratic
                               // bowl gets evenly spaced rings (denser near the minimum)
  ContourLayout layout = ContourLayout::kPanels;
  std::optional<std::pair<double, double>> minimum;  // marked with a cross when given
};

// f(x, y) as a light heat map with contour lines, and each trajectory over it in its own colour
// with its start (open circle) and end (filled dot) marked. Throws ValueError for an empty or
// reversed range, samples < 2 or a trajectory without points, ShapeError for a trajectory whose x
// and y lengths differ.
PlotResult plot_contour_trajectories(const fs::path& png, const std::function<double(double, double)>& f,
                                     const ContourSpec& spec, const std::vector<Trajectory>& paths,
                                     const PlotOptions& options);

// ---- decision regions: which class a classifier picks at each point of the plane ----

// The classifier's class (0 … C−1) for each point (x[i], y[i]), all points at once (a network
// predicts the whole grid as one batch).
using Classifier = std::function<std::vector<std::size_t>(const std::vector<double>& x, const std::vector<double>& y)>;

// Points of the plane with their true classes, drawn over the regions.
struct LabeledPoints {
  std::vector<double> x, y;
  std::vector<std::size_t> label;  // 0 … C−1
};

struct ClassMapSpec {
  Range x, y;                            // the window; the classifier is asked on a samples × samples grid
  std::size_t samples = 200;             // grid points per axis, in [2, 2001]
  std::vector<std::string> class_names;  // C names, for the legend; C ≤ 10 (the palette's colours)
};

// The plane coloured by the class `classify` picks (a light tint of class k's colour, like the book's
// plt.contourf over a meshgrid), with the points over it in class k's full colour and marker. Files:
// stem.csv (x,y,label: the points) and stem_grid.csv (the classes on the grid, as a "nonuniform
// matrix" like the contour plot's). Throws ValueError for an empty or reversed range, samples outside
// [2, 2001], no or more than 10 class names, a label or a classifier answer that is not below C;
// ShapeError when the points' x, y and label lengths differ or the classifier answers for the wrong
// number of points.
PlotResult plot_class_map(const fs::path& png, const Classifier& classify, const ClassMapSpec& spec,
                          const LabeledPoints& points, const PlotOptions& options);

// A grid of grayscale images, `grid_cols` per row (e.g. MNIST digits: originals in the first row,
// reconstructions in the second). Each image holds image_rows × image_cols values, row-major. Values
// are shown as ink on white: if all lie in [0, 1] that range maps to white..black (so two rows are
// comparable), otherwise the overall min..max does. NaN pixels stay white. `row_labels`, if given,
// has one label per grid row, written left of it. Throws ValueError for no images or a zero size,
// ShapeError for an image of the wrong size or a wrong number of labels.
PlotResult plot_image_grid(const fs::path& png, const std::vector<std::vector<double>>& images, std::size_t image_rows,
                           std::size_t image_cols, std::size_t grid_cols, const PlotOptions& options,
                           const std::vector<std::string>& row_labels = {});

}  // namespace scratch

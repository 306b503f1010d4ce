// class_map.cpp — plot_class_map: a classifier's decision regions as a tinted map, the data over it.
//
// Two CSV files:
//   stem.csv       x,y,label            the labelled points
//   stem_grid.csv  the predicted class on the grid, as a table: the first row is "y\x" and the x
//                  values, each further row a y value and the classes along x (gnuplot's
//                  "nonuniform matrix", drawn `with image`)
// Class k's region is a light tint of palette colour k, its points that colour at full strength,
// so a point on the wrong side of a boundary stands out.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <utility>

#include "core/errors.hpp"
#include "core/paths.hpp"
#include "plot/figure.hpp"
#include "plot/plot.hpp"

namespace scratch {

using namespace plot_detail;

namespace {

constexpr std::size_t kMaxSamples = 2001, kMaxClasses = 10;
constexpr const char* kMarkers[] = {"7", "5", "9", "11", "13"};  // filled circle, square, triangles, diamond

// Palette colour k mixed with white: 30 % colour, light enough for the points to stand out.
std::string tint(std::size_t k) {
  const std::string color = line_color(k);
  std::string out = "#";
  for (std::size_t i = 1; i < 7; i += 2) {
    const long c = std::stol(color.substr(i, 2), nullptr, 16);
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02lx", 255 - (255 - c) * 3 / 10);
    out += hex;
  }
  return out;
}

std::vector<double> grid_values(const Range& range, std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = range.lo + (range.hi - range.lo) * static_cast<double>(i) / (n - 1);
  return v;
}

}  // namespace

PlotResult plot_class_map(const fs::path& png, const Classifier& classify, const ClassMapSpec& spec,
                          const LabeledPoints& points, const PlotOptions& options) {
  const std::string op = operation_name("plot_class_map", png);
  check_options(op, options);
  if (!classify) fail<ValueError>(op, ": no classifier given");
  for (const auto& [axis, range] : {std::pair{"x", spec.x}, std::pair{"y", spec.y}}) {
    if (!std::isfinite(range.lo) || !std::isfinite(range.hi) || !(range.lo < range.hi))
      fail<ValueError>(op, ": ", axis, " range [", range.lo, ", ", range.hi, "] must be finite with lo < hi");
  }
  if (spec.samples < 2 || spec.samples > kMaxSamples)
    fail<ValueError>(op, ": samples = ", spec.samples, " per axis is outside [2, ", kMaxSamples, "]; 200 is plenty");
  const std::size_t classes = spec.class_names.size();
  if (classes == 0 || classes > kMaxClasses)
    fail<ValueError>(op, ": ", classes, " class names; give one per class, 1 to ", kMaxClasses);
  if (points.y.size() != points.x.size() || points.label.size() != points.x.size())
    fail<ShapeError>(op, ": the points have ", points.x.size(), " x, ", points.y.size(), " y and ",
                     points.label.size(), " labels; each point needs all three");
  for (std::size_t i = 0; i < points.label.size(); ++i) {
    if (points.label[i] >= classes)
      fail<ValueError>(op, ": point ", i, " has label ", points.label[i], " but there are ", classes,
                       " class names (labels 0 to ", classes - 1, ")");
  }
  const FigureFiles files = figure_files(op, png);
  const fs::path grid_csv = files.csv.parent_path() / (files.csv.stem().string() + "_grid.csv");

  // Every grid point in one call, row by row (y outer, x inner).
  const std::vector<double> xs = grid_values(spec.x, spec.samples), ys = grid_values(spec.y, spec.samples);
  std::vector<double> grid_x, grid_y;
  for (const double y : ys) {
    for (const double x : xs) grid_x.push_back(x), grid_y.push_back(y);
  }
  const std::vector<std::size_t> predicted = classify(grid_x, grid_y);
  if (predicted.size() != grid_x.size())
    fail<ShapeError>(op, ": the classifier answered for ", predicted.size(), " points but was asked about ",
                     grid_x.size(), " (", spec.samples, " x ", spec.samples, " grid)");
  std::ostringstream grid;
  grid << "y\\x";
  for (const double x : xs) grid << "," << csv_number(x);
  for (std::size_t r = 0, i = 0; r < ys.size(); ++r) {
    grid << "\n" << csv_number(ys[r]);
    for (std::size_t c = 0; c < xs.size(); ++c, ++i) {
      if (predicted[i] >= classes)
        fail<ValueError>(op, ": the classifier picked class ", predicted[i], " at (", grid_x[i], ", ", grid_y[i],
                         ") but there are only ", classes, " class names");
      grid << "," << predicted[i];
    }
  }
  grid << "\n";
  std::ostringstream csv;
  csv << "x,y,label\n";
  for (std::size_t i = 0; i < points.x.size(); ++i)
    csv << csv_number(points.x[i]) << "," << csv_number(points.y[i]) << "," << points.label[i] << "\n";
  const std::string grid_text = grid.str(), csv_text_all = csv.str();
  write_file_atomically(grid_csv, [&](std::ostream& out) { out << grid_text; });
  write_file_atomically(files.csv, [&](std::ostream& out) { out << csv_text_all; });

  // One colour per class: `maxcolors C` over a palette defined at 0 … C−1 gives exactly the C tints.
  std::ostringstream body;
  body << "set datafile separator comma\n"
       << kFiniteFunction << axes_commands(options) << png_style_commands(options)
       << "set size ratio -1  # one unit as long on both axes: the regions' true shapes\n"
       << "set xrange [" << csv_number(spec.x.lo) << ":" << csv_number(spec.x.hi) << "]\n"
       << "set yrange [" << csv_number(spec.y.lo) << ":" << csv_number(spec.y.hi) << "]\n"
       << "unset colorbox\nset grid front\nset palette maxcolors " << std::max<std::size_t>(classes, 2)
       << "\nset palette defined (";
  for (std::size_t k = 0; k < std::max<std::size_t>(classes, 2); ++k)
    body << (k ? ", " : "") << k << " '" << tint(std::min(k, classes - 1)) << "'";
  body << ")\nset cbrange [0:" << std::max<std::size_t>(classes, 2) - 1 << "]\n"
       << "plot grid_csv nonuniform matrix using 1:2:3 with image pixels notitle";
  for (std::size_t k = 0; k < classes; ++k) {
    body << ", \\\n     csv using (finite($1)):($3 == " << k << " ? finite($2) : NaN) with points pt "
         << kMarkers[k % 5] << " ps 0.9 lc rgb '" << line_color(k) << "' title " << gp_string(spec.class_names[k]);
  }
  body << "\n";

  FigureScript script;
  script.data = {{"csv", files.csv}, {"grid_csv", grid_csv}};
  script.body = body.str();
  script.width = options.width;
  script.height = options.height;
  return render_figure(op, files, script, options, {});
}

}  // namespace scratch

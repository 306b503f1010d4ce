// contour.cpp — plot_contour_trajectories: f(x, y) as a light heat map with contour lines, and the
// paths of optimizers over it.
//
// Two CSV files:
//   stem.csv       path,step,x,y,f     every point each path visited, with f there
//   stem_grid.csv  f sampled on the grid, as a table: the first row is "y\x" and the x values,
//                  each further row is a y value and f(x, y) along x (gnuplot's "nonuniform matrix")
// The script turns the grid into contour lines itself (splot with `set contour` into a datablock),
// so a restyle can change the levels.
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "core/errors.hpp"
#include "core/paths.hpp"
#include "plot/figure.hpp"
#include "plot/plot.hpp"

namespace scratch {

using namespace plot_detail;

namespace {

constexpr std::size_t kMaxSamples = 2001;
constexpr std::size_t kAutoLevels = 12;
// Layout in pixels. Overlay: room for tic labels on the left, colour box and legend on the right.
constexpr int kOverlayLeft = 70, kOverlayRight = 260, kOverlayTop = 72, kOverlayBottom = 70, kMinHeight = 200;
constexpr double kOverlayKey = 165;  // the legend's left edge, from the right border
// Panels: a header for the title and the start/end legend, then per cell room for the panel's
// title, its tic labels and the x label.
constexpr int kPanelHeader = 72, kPanelLeft = 62, kPanelRight = 16, kPanelTop = 30, kPanelBottom = 60;
constexpr double kPanelLegendLine = 46;

// Where one path landed in the CSV (row 0 is the header).
struct PathRows {
  std::size_t first_row = 0, last_row = 0;
  bool start_finite = false, end_finite = false;
};

// Everything the chart commands need to know.
struct ContourChart {
  const std::vector<Trajectory>& paths;
  const std::vector<PathRows>& rows;
  const ContourSpec& spec;
  const PlotOptions& options;
  PlotOptions axes;  // options with the window as ranges and, for panels, no title
  std::string background;
  int height = 0;
};

enum class PathTitles { kInLegend, kNone };

std::vector<double> linspace(const Range& range, std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / static_cast<double>(n - 1);
    v[i] = i + 1 == n ? range.hi : range.lo + (range.hi - range.lo) * t;
  }
  return v;
}

// Quadratic spacing: f = fmin + (fmax − fmin)·(k/K)². For a bowl f ∝ r² the rings r ∝ k are evenly
// spaced, so the region near the minimum, where the optimizers end up, still has lines. Rounded to
// 4 significant digits, so the script stays readable.
std::vector<double> automatic_levels(double f_min, double f_max) {
  std::vector<double> levels;
  for (std::size_t k = 1; k < kAutoLevels; ++k) {
    const double s = static_cast<double>(k) / kAutoLevels;
    levels.push_back(std::stod(concat(std::setprecision(4), f_min + (f_max - f_min) * s * s)));
  }
  return levels;
}

std::string join(const std::vector<double>& values) {
  std::string text;
  for (const double v : values) text += (text.empty() ? "" : ",") + csv_number(v);
  return text;
}

// Contour lines of the grid at `levels`, into the datablock $contours.
std::string contour_line_commands(const std::vector<double>& levels) {
  if (levels.empty()) return "";
  return concat(
      "# contour lines of f at these levels, computed from the grid into $contours (gnuplot writes it\n"
      "# space-separated, so it is read back below with word(); the CSVs are comma-separated)\n"
      "set contour base\nunset surface\nset view map\n"
      "set cntrparam levels discrete ",
      join(levels),
      "\nset table $contours\nsplot grid_csv nonuniform matrix using 1:2:3 with lines notitle\nunset table\n"
      "unset contour\nunset view\nword_at(line, n) = real(word(line, n))\n");
}

// The plot clauses of paths [first, last): line with dots, start ring, end dot.
std::string path_clauses(const ContourChart& chart, std::size_t first, std::size_t last, PathTitles titles) {
  std::ostringstream gp;
  const std::string xy = " using (finite($3)):(finite($4)) ";
  for (std::size_t k = first; k < last; ++k) {
    const PathRows& rows = chart.rows[k];
    const std::string color = line_color(k);
    gp << ", \\\n     csv every ::" << rows.first_row << "::" << rows.last_row << xy
       << "with linespoints lw 2 pt 7 ps 0.55 lc rgb '" << color << "' "
       << (titles == PathTitles::kInLegend ? "title " + gp_string(chart.paths[k].name) : std::string("notitle"));
    if (rows.start_finite) {
      gp << ", \\\n     csv every ::" << rows.first_row << "::" << rows.first_row << xy
         << "with points pt 6 ps 2.2 lw 2 lc rgb '" << color << "' notitle";
    }
    if (rows.end_finite) {
      gp << ", \\\n     csv every ::" << rows.last_row << "::" << rows.last_row << xy
         << "with points pt 7 ps 1.9 lc rgb '" << color << "' notitle";
    }
  }
  return gp.str();
}

std::string minimum_clause(const ContourSpec& spec) {
  if (!spec.minimum) return "";
  return concat(", \\\n     '+' using (", csv_number(spec.minimum->first), "):(", csv_number(spec.minimum->second),
                ") every ::0::0 with points pt 1 ps 3 lw 2 lc rgb 'black' title 'minimum'");
}

// One small chart per path in a grid of 2 or 3 columns, the legend as a line under the title.
std::string panel_commands(const ContourChart& chart) {
  const PlotOptions& options = chart.options;
  const std::size_t n = chart.paths.size(), cols = n <= 4 ? 2 : 3, panel_rows = (n + cols - 1) / cols;
  const double width = options.width, height = chart.height;
  const double cell_w = width / static_cast<double>(cols);
  const double cell_h = (height - kPanelHeader) / static_cast<double>(panel_rows);
  std::ostringstream gp;
  gp << "unset colorbox\nunset key\n"
     << "set multiplot title " << gp_string(options.title) << " font ',16'\n"
     << "set label 1 " << gp_string(chart.spec.minimum ? "○ start      ● end      + minimum" : "○ start      ● end")
     << " at screen 0.5, screen " << 1 - kPanelLegendLine / height << " center tc rgb '#303030'\n";
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t r = k / cols, c = k % cols;
    const double left = static_cast<double>(c) * cell_w + kPanelLeft;
    const double right = static_cast<double>(c + 1) * cell_w - kPanelRight;
    const double top = kPanelHeader + static_cast<double>(r) * cell_h + kPanelTop;
    const double bottom = kPanelHeader + static_cast<double>(r + 1) * cell_h - kPanelBottom;
    const bool bottom_panel = k + cols >= n, left_panel = c == 0;
    gp << "\n# panel " << k + 1 << ": " << chart.paths[k].name << "\n"
       << "set lmargin at screen " << left / width << "; set rmargin at screen " << right / width
       << "; set tmargin at screen " << 1 - top / height << "; set bmargin at screen " << 1 - bottom / height << "\n"
       << "set title " << gp_string(chart.paths[k].name) << " tc rgb '" << line_color(k) << "' offset 0,-0.4\n"
       << "set xlabel " << gp_string(bottom_panel ? options.xlabel : "") << "\n"
       << "set ylabel " << gp_string(left_panel ? options.ylabel : "") << "\n";
    if (k == 1) gp << "unset label 1\n";  // the legend line is drawn once
    gp << chart.background << path_clauses(chart, k, k + 1, PathTitles::kNone) << minimum_clause(chart.spec) << "\n";
  }
  gp << "unset multiplot\n";
  return gp.str();
}

// Every path on one chart with true proportions; colour scale and legend on the right.
std::string overlay_commands(const ContourChart& chart) {
  const double width = chart.options.width, height = chart.height;
  const double left = kOverlayLeft / width, right = 1 - kOverlayRight / width;
  const double top = 1 - kOverlayTop / height, bottom = kOverlayBottom / height;
  std::ostringstream gp;
  gp << "set size ratio -1  # one unit is as long on both axes, so the bowl's shape is true\n"
     << "set lmargin at screen " << left << "; set rmargin at screen " << right << "\n"
     << "set tmargin at screen " << top << "; set bmargin at screen " << bottom << "\n"
     << "set colorbox user origin screen " << right + 15 / width << ", screen " << bottom << " size screen "
     << 18 / width << ", screen " << top - bottom << "\n"
     << "set label 1 'f(x, y)' at screen " << right + 24 / width << ", screen " << top + 14 / height
     << " center  # the colour scale's name, above it\n"
     << "set key at screen " << 1 - kOverlayKey / width << ", screen " << top
     << " left top Left reverse samplen 2 spacing 1.2\n"
     << chart.background << path_clauses(chart, 0, chart.paths.size(), PathTitles::kInLegend)
     << ", \\\n     keyentry with points pt 6 ps 2.2 lw 2 lc rgb '#303030' title 'start'"
     << ", \\\n     keyentry with points pt 7 ps 1.9 lc rgb '#303030' title 'end'" << minimum_clause(chart.spec)
     << "\n";
  return gp.str();
}

// The text chart: the paths only (contour lines in characters would bury them).
std::string text_commands(const ContourChart& chart) {
  PlotOptions axes = chart.axes;
  axes.title = chart.options.title;
  std::ostringstream gp;
  gp << "set datafile separator comma\n" << kFiniteFunction << axes_commands(axes) << "set key outside right\n";
  for (std::size_t k = 0; k < chart.paths.size(); ++k) {
    gp << (k == 0 ? "plot " : ", \\\n     ") << "csv every ::" << chart.rows[k].first_row
       << "::" << chart.rows[k].last_row << " using (finite($3)):(finite($4)) with linespoints title "
       << gp_string(chart.paths[k].name);
  }
  gp << "\n";
  return gp.str();
}

}  // namespace

PlotResult plot_contour_trajectories(const fs::path& png, const std::function<double(double, double)>& f,
                                     const ContourSpec& spec, const std::vector<Trajectory>& paths,
                                     const PlotOptions& options) {
  const std::string op = operation_name("plot_contour_trajectories", png);
  check_options(op, options);
  if (!f) fail<ValueError>(op, ": no function f(x, y) given");
  for (const auto& [axis, range] : {std::pair{"x", spec.x}, std::pair{"y", spec.y}}) {
    if (!std::isfinite(range.lo) || !std::isfinite(range.hi) || !(range.lo < range.hi)) {
      fail<ValueError>(op, ": ", axis, " range [", range.lo, ", ", range.hi, "] must be finite with lo < hi");
    }
  }
  if (spec.samples < 2 || spec.samples > kMaxSamples) {
    fail<ValueError>(op, ": samples = ", spec.samples, " per axis is outside [2, ", kMaxSamples, "]; 161 is plenty");
  }
  for (const Trajectory& p : paths) {
    if (p.x.size() != p.y.size()) {
      fail<ShapeError>(op, ": trajectory '", p.name, "' has ", p.x.size(), " x values but ", p.y.size(),
                       " y values; each point needs both");
    }
    if (p.x.empty()) fail<ValueError>(op, ": trajectory '", p.name, "' has no points");
  }
  const FigureFiles files = figure_files(op, png);
  const fs::path grid_csv = files.csv.parent_path() / (files.csv.stem().string() + "_grid.csv");
  std::vector<std::string> notes;

  // f on the grid: row j holds f(x_i, y_j) for every x_i.
  const std::vector<double> xs = linspace(spec.x, spec.samples), ys = linspace(spec.y, spec.samples);
  std::ostringstream grid;
  grid << "y\\x," << join(xs) << "\n";
  double f_min = INFINITY, f_max = -INFINITY;
  std::size_t f_non_finite = 0;
  for (const double y : ys) {
    grid << csv_number(y);
    for (const double x : xs) {
      const double v = f(x, y);
      grid << "," << csv_number(v);
      if (!std::isfinite(v)) {
        ++f_non_finite;
        continue;
      }
      f_min = std::min(f_min, v);
      f_max = std::max(f_max, v);
    }
    grid << "\n";
  }
  if (f_non_finite > 0) notes.push_back(concat("f is NaN/inf at ", f_non_finite, " grid points (left blank)"));

  // The paths, one after the other.
  std::vector<PathRows> rows(paths.size());
  std::ostringstream csv;
  csv << "path,step,x,y,f\n";
  std::size_t row = 1;
  for (std::size_t k = 0; k < paths.size(); ++k) {
    const Trajectory& p = paths[k];
    rows[k].first_row = row;
    std::size_t non_finite = 0, outside = 0;
    for (std::size_t i = 0; i < p.x.size(); ++i, ++row) {
      const double x = p.x[i], y = p.y[i];
      csv << csv_text(p.name) << "," << i << "," << csv_number(x) << "," << csv_number(y) << "," << csv_number(f(x, y))
          << "\n";
      if (!std::isfinite(x) || !std::isfinite(y)) {
        ++non_finite;
      } else if (x < spec.x.lo || x > spec.x.hi || y < spec.y.lo || y > spec.y.hi) {
        ++outside;
      }
    }
    rows[k].last_row = row - 1;
    rows[k].start_finite = std::isfinite(p.x.front()) && std::isfinite(p.y.front());
    rows[k].end_finite = std::isfinite(p.x.back()) && std::isfinite(p.y.back());
    if (non_finite > 0) notes.push_back(concat(non_finite, " NaN/inf points of '", p.name, "' not drawn"));
    if (outside > 0) notes.push_back(concat(outside, " points of '", p.name, "' lie outside the window"));
  }
  const std::string grid_text = grid.str(), csv_all = csv.str();
  write_file_atomically(grid_csv, [&](std::ostream& out) { out << grid_text; });
  write_file_atomically(files.csv, [&](std::ostream& out) { out << csv_all; });

  // The chart.
  const bool any_finite = f_min <= f_max;
  const std::vector<double> levels = !spec.levels.empty() ? spec.levels
                                     : f_max > f_min      ? automatic_levels(f_min, f_max)
                                                          : std::vector<double>{};
  ContourChart chart{paths, rows, spec, options, options, "", options.height};
  chart.axes.x_range = options.x_range ? options.x_range : std::optional<Range>(spec.x);
  chart.axes.y_range = options.y_range ? options.y_range : std::optional<Range>(spec.y);
  chart.axes.log_y = false;
  const bool panels = spec.layout == ContourLayout::kPanels && paths.size() > 1;
  if (panels) chart.axes.title.clear();  // the multiplot carries the title, each panel its path's name
  if (!panels) {                         // fit the canvas to the window's shape
    const Range& xr = *chart.axes.x_range;
    const Range& yr = *chart.axes.y_range;
    const double plot_w = options.width - kOverlayLeft - kOverlayRight;
    chart.height =
        std::clamp(static_cast<int>(plot_w * (yr.hi - yr.lo) / (xr.hi - xr.lo)) + kOverlayTop + kOverlayBottom,
                   kMinHeight, options.height);
  }
  chart.background = std::string("plot grid_csv nonuniform matrix using 1:2:3 with image notitle") +
                     (levels.empty() ? ""
                                     : ", \\\n     $contours using (word_at(strcol(1), 1)):(word_at(strcol(1), 2)) "
                                       "with lines lw 0.7 lc rgb '#999999' notitle");
  const Range colors = f_max > f_min ? Range{f_min, f_max} : Range{f_min - 0.5, f_min + 0.5};
  std::ostringstream body;
  body << "set datafile separator comma\n"
       << kFiniteFunction << contour_line_commands(levels) << axes_commands(chart.axes) << png_style_commands(options)
       << "unset x2tics\nunset y2tics\nset xtics in mirror\nset ytics in mirror\nset border 15\nset grid front\n"
       << "set palette defined (0 '#ffffff', 1 '#b9cde0')  # light: the paths must stand out\n"
       << "set cbrange [" << csv_number(colors.lo) << ":" << csv_number(colors.hi) << "]\n"
       << (panels ? panel_commands(chart) : overlay_commands(chart));

  FigureScript script;
  script.data = {{"csv", files.csv}, {"grid_csv", grid_csv}};
  script.body = body.str();
  script.text_body = paths.empty() ? std::string() : text_commands(chart);
  script.width = options.width;
  script.height = chart.height;
  if (!any_finite) script.nothing_to_draw = "f is NaN or inf everywhere on the grid";
  return render_figure(op, files, script, options, notes);
}

}  // namespace scratch

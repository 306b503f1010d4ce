// curves.cpp — moving_average, plot_curves and plot_curve.
//
// CSV (one row per point, series after series, header first):
//   series,x,y[,y_smooth]
//   SGD,0,2.31,2.29
// The script picks each series by its rows (`every ::first::last`, row 0 being the header) and
// draws it; with smoothing the raw y faint and thin, y_smooth bold in the same colour.
#include <cmath>
#include <limits>
#include <sstream>

#include "core/errors.hpp"
#include "core/paths.hpp"
#include "plot/figure.hpp"
#include "plot/plot.hpp"

namespace scratch {

using namespace plot_detail;

namespace {

constexpr std::size_t kMarkersUpTo = 25;  // a series this short (per-epoch accuracy) gets a dot per point

// One series as written to the CSV: rows [first_row, last_row] of the file (row 0 is the header).
struct SeriesRows {
  std::size_t first_row = 0, last_row = 0;
  std::size_t drawable = 0;  // points with finite x and y (and y > 0 on a log axis)
};

bool drawable(double x, double y, bool log_y) { return std::isfinite(x) && std::isfinite(y) && (!log_y || y > 0); }

// One `plot` clause: `csv every ::a::b using ...`.
std::string clause(const SeriesRows& rows, int y_column, const std::string& style) {
  return concat("csv every ::", rows.first_row, "::", rows.last_row, " using (finite($2)):(finite($", y_column, ")) ",
                style);
}

}  // namespace

std::vector<double> moving_average(const std::vector<double>& y, std::size_t window) {
  if (window <= 1 || y.empty()) return y;
  const std::size_t n = y.size();
  window = std::min(window, n);
  const std::size_t before = (window - 1) / 2, after = window / 2;  // window 4: i−1 .. i+2
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t first = i >= before ? i - before : 0;
    const std::size_t last = std::min(n - 1, i + after);
    double sum = 0;
    std::size_t count = 0;
    for (std::size_t j = first; j <= last; ++j) {
      if (!std::isfinite(y[j])) continue;
      sum += y[j];
      ++count;
    }
    out[i] = count > 0 ? sum / static_cast<double>(count) : std::numeric_limits<double>::quiet_NaN();
  }
  return out;
}

PlotResult plot_curves(const fs::path& png, const std::vector<Series>& series, const PlotOptions& options) {
  const std::string op = operation_name("plot_curves", png);
  check_options(op, options);
  if (series.empty()) fail<ValueError>(op, ": no series to draw (pass at least one Series)");
  for (const Series& s : series) {
    if (s.y.empty()) fail<ValueError>(op, ": series '", s.name, "' has no points");
    if (!s.x.empty() && s.x.size() != s.y.size()) {
      fail<ShapeError>(op, ": series '", s.name, "' has ", s.x.size(), " x values but ", s.y.size(),
                       " y values; give one x per y, or no x at all for 0, 1, 2, ...");
    }
  }
  const FigureFiles files = figure_files(op, png);
  const bool smooth = options.smooth_window > 1;
  std::vector<std::string> notes;

  // The CSV, and where each series landed in it.
  std::vector<SeriesRows> rows(series.size());
  std::ostringstream csv;
  csv << "series,x,y" << (smooth ? ",y_smooth" : "") << "\n";
  std::size_t row = 1, total_drawable = 0;
  for (std::size_t k = 0; k < series.size(); ++k) {
    const Series& s = series[k];
    const std::vector<double> y_smooth = smooth ? moving_average(s.y, options.smooth_window) : std::vector<double>{};
    rows[k].first_row = row;
    std::size_t non_finite = 0;
    for (std::size_t i = 0; i < s.y.size(); ++i, ++row) {
      const double x = s.x.empty() ? static_cast<double>(i) : s.x[i];
      csv << csv_text(s.name) << "," << csv_number(x) << "," << csv_number(s.y[i]);
      if (smooth) csv << "," << csv_number(y_smooth[i]);
      csv << "\n";
      if (drawable(x, s.y[i], options.log_y)) ++rows[k].drawable;
      if (!std::isfinite(x) || !std::isfinite(s.y[i])) ++non_finite;
    }
    rows[k].last_row = row - 1;
    total_drawable += rows[k].drawable;
    if (non_finite > 0) notes.push_back(concat(non_finite, " NaN/inf values of '", s.name, "' not drawn"));
    const std::size_t not_positive = s.y.size() - non_finite - rows[k].drawable;
    if (options.log_y && not_positive > 0) {
      notes.push_back(concat(not_positive, " values <= 0 of '", s.name, "' not drawn on the log axis"));
    }
    if (smooth && options.smooth_window > s.y.size()) {
      notes.push_back(concat("'", s.name, "' has only ", s.y.size(), " points, fewer than the smoothing window ",
                             options.smooth_window));
    }
  }
  const std::string csv_text_all = csv.str();
  write_file_atomically(files.csv, [&](std::ostream& out) { out << csv_text_all; });

  // The PNG: raw faint + smoothed bold, or raw in full colour; dots on short series.
  std::ostringstream body, text_body, plot, text_plot;
  body << "set datafile separator comma\n" << kFiniteFunction << axes_commands(options) << png_style_commands(options);
  if (smooth) {
    body << "set key title \"light: raw\\nbold: mean of " << options.smooth_window << "\"\n";
  }
  text_body << "set datafile separator comma\n" << kFiniteFunction << axes_commands(options) << "set key top right\n";
  const int y_column = smooth ? 4 : 3;  // the text chart draws only the smoothed curve, or the raw one
  for (std::size_t k = 0; k < series.size(); ++k) {
    const std::string title = gp_string(series[k].name);
    const std::string separator = k == 0 ? "plot " : ", \\\n     ";
    if (rows[k].drawable == 0) {  // keep its legend entry, so a diverged run is not silently missing
      plot << separator << "keyentry with lines lw 2.5 lc rgb '" << line_color(k) << "' title "
           << gp_string(series[k].name + " (no finite values)");
      continue;
    }
    const bool dots = series[k].y.size() <= kMarkersUpTo;
    const std::string style = dots ? "with linespoints pt 7 ps 0.9" : "with lines";
    plot << separator;
    if (smooth) {
      plot << clause(rows[k], 3, concat("with lines lw 1 lc rgb '", faint_color(k), "' notitle noautoscale"))
           << ", \\\n     " << clause(rows[k], 4, concat(style, " lw 2.5 lc rgb '", line_color(k), "' title ", title));
    } else {
      plot << clause(rows[k], 3, concat(style, " lw 2 lc rgb '", line_color(k), "' title ", title));
    }
    text_plot << (text_plot.tellp() == 0 ? "plot " : ", \\\n     ")
              << clause(rows[k], y_column, concat("with lines title ", title));
  }
  body << plot.str() << "\n";
  text_body << text_plot.str() << "\n";

  FigureScript script;
  script.data = {{"csv", files.csv}};
  script.body = body.str();
  script.text_body = text_body.str();
  script.width = options.width;
  script.height = options.height;
  if (total_drawable == 0) {
    script.nothing_to_draw =
        options.log_y ? "every value is NaN, inf or <= 0 on the log axis" : "every value is NaN or inf";
  }
  return render_figure(op, files, script, options, notes);
}

PlotResult plot_curve(const fs::path& png, const Series& series, const PlotOptions& options) {
  return plot_curves(png, std::vector<Series>{series}, options);
}

}  // namespace scratch

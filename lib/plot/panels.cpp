// panels.cpp — plot_panels and histogram; see panels.hpp.
//
// CSV: one row per point, panel after panel, series after series:  panel,series,x,y
// The script is a gnuplot multiplot: each panel picks its series by their rows (every ::a::b).
#include "plot/panels.hpp"

#include <cmath>
#include <sstream>

#include "core/errors.hpp"
#include "core/paths.hpp"
#include "plot/figure.hpp"

namespace scratch {

using namespace plot_detail;

Series histogram(const std::string& name, const std::vector<double>& values, std::size_t bins, Range range) {
  if (bins == 0) fail<ValueError>("histogram: bins is 0; give at least 1");
  if (!(std::isfinite(range.lo) && std::isfinite(range.hi) && range.lo < range.hi))
    fail<ValueError>("histogram: range [", range.lo, ", ", range.hi, "] must be finite with lo < hi");
  Series s{name, std::vector<double>(bins), std::vector<double>(bins, 0.0)};
  const double width = (range.hi - range.lo) / static_cast<double>(bins);
  for (std::size_t b = 0; b < bins; ++b) s.x[b] = range.lo + (static_cast<double>(b) + 0.5) * width;
  for (const double v : values) {
    if (!(v >= range.lo && v <= range.hi)) continue;  // also skips NaN
    const auto b = std::min(bins - 1, static_cast<std::size_t>((v - range.lo) / width));
    s.y[b] += 1;
  }
  return s;
}

PlotResult plot_panels(const fs::path& png, const std::vector<Panel>& panels, std::size_t grid_cols,
                       const PlotOptions& options, PanelStyle style) {
  const std::string op = operation_name("plot_panels", png);
  check_options(op, options);
  if (panels.empty()) fail<ValueError>(op, ": no panels to draw");
  if (grid_cols == 0) fail<ValueError>(op, ": grid_cols is 0; give the number of panels per row (at least 1)");
  for (const Panel& p : panels) {
    if (p.series.empty()) fail<ValueError>(op, ": panel '", p.title, "' has no series");
    for (const Series& s : p.series) {
      if (s.y.empty()) fail<ValueError>(op, ": series '", s.name, "' of panel '", p.title, "' has no points");
      if (!s.x.empty() && s.x.size() != s.y.size())
        fail<ShapeError>(op, ": series '", s.name, "' of panel '", p.title, "' has ", s.x.size(), " x values but ",
                         s.y.size(), " y values; give one x per y, or no x at all for 0, 1, 2, ...");
    }
  }
  const FigureFiles files = figure_files(op, png);
  std::ostringstream csv;
  csv << "panel,series,x,y\n";
  std::size_t row = 1, non_finite = 0;
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> rows(panels.size());  // first, last row per series
  for (std::size_t p = 0; p < panels.size(); ++p)
    for (const Series& s : panels[p].series) {
      const std::size_t first = row;
      for (std::size_t i = 0; i < s.y.size(); ++i, ++row) {
        const double x = s.x.empty() ? static_cast<double>(i) : s.x[i];
        csv << csv_text(panels[p].title) << "," << csv_text(s.name) << "," << csv_number(x) << ","
            << csv_number(s.y[i]) << "\n";
        if (!std::isfinite(x) || !std::isfinite(s.y[i])) ++non_finite;
      }
      rows[p].emplace_back(first, row - 1);
    }
  const std::string csv_all = csv.str();
  write_file_atomically(files.csv, [&](std::ostream& out) { out << csv_all; });
  std::vector<std::string> notes;
  if (non_finite > 0) notes.push_back(concat(non_finite, " NaN/inf values not drawn"));

  const std::size_t cols = std::min(grid_cols, panels.size()), grid_rows = (panels.size() + cols - 1) / cols;
  PlotOptions panel_options = options;
  panel_options.title.clear();
  std::ostringstream body;
  body << "set datafile separator comma\n"
       << kFiniteFunction << png_style_commands(panel_options) << axes_commands(panel_options)
       << "set title font ',11'\nset tics font ',9'\n";
  if (style == PanelStyle::kHistogram) {  // counts: bars stand on 0 unless a y range is given
    body << "set style fill transparent solid 0.45 noborder\nset boxwidth 0.95 relative\n";
    if (!options.y_range) body << "set yrange [0:*]\n";
  }
  body << "set multiplot layout " << grid_rows << "," << cols << " rowsfirst";
  if (!options.title.empty()) body << " title " << gp_string(options.title) << " font ',15'";
  body << "\n";
  for (std::size_t p = 0; p < panels.size(); ++p) {
    body << "set title " << gp_string(panels[p].title) << "\n";
    if (p == 1 && options.legend != Legend::kNone) body << "unset key\n";
    body << "plot ";
    for (std::size_t k = 0; k < panels[p].series.size(); ++k) {
      const auto [first, last] = rows[p][k];
      const bool dots = style == PanelStyle::kLines && panels[p].series[k].y.size() <= 25;
      const std::string with = style == PanelStyle::kHistogram ? "with boxes"
                               : style == PanelStyle::kPoints  ? "with points pt 7 ps 0.8"
                               : dots                          ? "with linespoints pt 7 ps 0.5 lw 1.5"
                                                               : "with lines lw 1.5";
      body << (k == 0 ? "" : ", \\\n     ") << "csv every ::" << first << "::" << last
           << " using (finite($3)):(finite($4)) " << with << " lc rgb '" << line_color(k) << "' title "
           << gp_string(panels[p].series[k].name);
    }
    body << "\n";
  }
  body << "unset multiplot\n";

  FigureScript script;
  script.data = {{"csv", files.csv}};
  script.body = body.str();
  script.width = options.width;
  script.height = options.height;
  if (non_finite == row - 1) script.nothing_to_draw = "every value is NaN or inf";
  return render_figure(op, files, script, options, notes);
}

}  // namespace scratch

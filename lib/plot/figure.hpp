// figure.hpp — what every figure shares (internal to lib/plot): its file names, CSV and gnuplot
// quoting, the house style, and render_figure, which writes the .gp script, runs gnuplot and moves
// the PNG into place.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "plot/plot.hpp"

namespace scratch::plot_detail {

// "plot_curves(loss.png)": the prefix of every error message and of the result message.
std::string operation_name(const std::string& function, const fs::path& png);

// Throws ValueError for a width or height outside [100, 10000] pixels or a reversed/non-finite range.
void check_options(const std::string& op, const PlotOptions& options);

// png, csv and script paths of one figure (see plot.hpp for where a bare name goes).
struct FigureFiles {
  fs::path png, csv, script;
};
FigureFiles figure_files(const std::string& op, const fs::path& png);

// `path` relative to the current folder when it lies below it (plots/loss.gp), else as is.
std::string display_path(const fs::path& path);

// Numbers in the shortest form that reads back to the same double; nan, inf, -inf otherwise.
std::string csv_number(double v);
// A CSV field: quoted (with "" for ") when it holds a comma, quote, newline or edge space.
std::string csv_text(const std::string& text);
// A gnuplot string literal in single quotes ('' stands for '); newlines become spaces.
std::string gp_string(const std::string& text);

// Colour i of the house palette (Tableau 10, matplotlib's default: distinct, colour-blind tolerable),
// as '#rrggbb'; faint_color adds transparency (gnuplot's '#aarrggbb', aa = 00 opaque .. ff clear).
std::string line_color(std::size_t i);
std::string faint_color(std::size_t i);

// Defines gnuplot's finite(v): v itself, or NaN for NaN and ±inf. gnuplot skips NaN points, but an
// inf would wreck the autoscaled range, so every `using` goes through finite().
extern const char* const kFiniteFunction;

// title, axis labels, log scale and ranges — shared by the PNG and the text chart.
std::string axes_commands(const PlotOptions& options);
// grid, border, tics and legend of the PNG.
std::string png_style_commands(const PlotOptions& options);

// One figure's gnuplot text, in parts that render_figure assembles.
struct FigureScript {
  // Data files the script reads, each bound to a gnuplot variable: {"csv", loss.csv}, ...
  std::vector<std::pair<std::string, fs::path>> data;
  std::string body;       // everything after `set output png`
  std::string text_body;  // the chart for `set terminal dumb` (empty: no gnuplot text chart)
  int width = 900, height = 560;
  std::string nothing_to_draw;  // non-empty: do not run gnuplot, say this instead
};

// Writes files.script atomically (the CSVs must be written already), then, if gnuplot is found and
// there is something to draw, renders the PNG to a temporary name and renames it over files.png
// once gnuplot exited with status 0 and the file is a complete PNG (png_problem); otherwise the old
// PNG stays, the temporary is removed and the message says why. gnuplot is killed after
// gnuplot_time_limit(). With echo == kYes also draws text_body on the `dumb` terminal and prints
// it. `notes` (skipped NaNs, ...) are appended to the message.
PlotResult render_figure(const std::string& op, const FigureFiles& files, const FigureScript& script,
                         const PlotOptions& options, const std::vector<std::string>& notes);

}  // namespace scratch::plot_detail

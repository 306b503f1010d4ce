// panels.hpp — a grid of small charts in one figure: histogram panels (activation distributions of
// chapter 7), a grid of small line plots (one training curve pair per initial weight scale), or
// scatter plots.
//
// The same three files as every figure (plot.hpp): panels.csv (columns panel,series,x,y), panels.gp
// (gnuplot multiplot) and panels.png. Options: title (over the whole figure), xlabel/ylabel (on every
// panel), x_range/y_range (the same axes on every panel: compare panels at a glance), log_y, legend
// (drawn on the first panel only; the same series names are assumed in each), width/height (of the
// whole figure). smooth_window and echo are not used. Histogram bars start at 0 unless y_range says otherwise.
#pragma once

#include "plot/plot.hpp"

namespace scratch {

// One small chart: its title and its curves (or, as a histogram, its bars).
struct Panel {
  std::string title;
  std::vector<Series> series;
};

// kLines: each series a line (dots on short series); kHistogram: each series as bars, x the bin
// centres and y the counts (see histogram()), bars of several series drawn see-through; kPoints:
// each (x, y) a dot, unconnected (a scatter plot).
enum class PanelStyle { kLines, kHistogram, kPoints };

// Panels row by row, `grid_cols` per row. Throws ValueError for no panels, grid_cols 0, or a panel
// without series or a series without points; ShapeError for a series whose x and y lengths differ.
PlotResult plot_panels(const fs::path& png, const std::vector<Panel>& panels, std::size_t grid_cols,
                       const PlotOptions& options, PanelStyle style = PanelStyle::kLines);

// The histogram of `values` over `bins` equal bins of [range.lo, range.hi]: x the bin centres, y the
// counts (a value equal to range.hi falls in the last bin; values outside, NaN and inf are not
// counted). Throws ValueError for bins 0 or an empty or reversed range.
Series histogram(const std::string& name, const std::vector<double>& values, std::size_t bins, Range range);

}  // namespace scratch

// image_grid.cpp — plot_image_grid: grayscale images side by side, e.g. MNIST digits above their
// reconstructions.
//
// CSV: one row per pixel, image after image, row-major inside each image:
//   image,row,col,value
// The script draws image i from its block of rows, shifted to its cell of the grid; pixel
// (row, col) of image i sits at x = x0(i) + col, y = y0(i) − row (row 0 on top).
#include <algorithm>
#include <cmath>
#include <iostream>
#include <sstream>

#include "core/errors.hpp"
#include "core/paths.hpp"
#include "plot/figure.hpp"
#include "plot/plot.hpp"

namespace scratch {

using namespace plot_detail;

namespace {

constexpr int kCharWidth = 9, kTitleHeight = 48, kEdge = 12, kMinWidth = 420;  // pixels, 13-point font
constexpr std::size_t kTextColumns = 120;                                      // the text echo's width budget
constexpr const char* kInk = " .:-=+*#%@";                                     // light to dark

// The value that maps to white and the one that maps to black.
Range value_range(const std::vector<std::vector<double>>& images) {
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& image : images) {
    for (const double v : image) {
      if (!std::isfinite(v)) continue;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  if (lo > hi) return {0, 0};                 // nothing finite
  if (lo >= 0 && hi <= 1) return {0, 1};      // pixel intensities: keep rows comparable
  if (lo == hi) return {lo - 0.5, hi + 0.5};  // a flat image
  return {lo, hi};
}

// The grid in characters: each cell averages a block of pixels (twice as tall as wide, like a
// character), darker cells get denser characters.
std::string text_grid(const std::vector<std::vector<double>>& images, std::size_t rows, std::size_t cols,
                      std::size_t grid_cols, const Range& range, const std::vector<std::string>& labels) {
  const std::size_t across = std::max<std::size_t>(1, (grid_cols * (cols + 1) + kTextColumns - 1) / kTextColumns);
  const std::size_t down = 2 * across;
  const std::size_t cell_cols = (cols + across - 1) / across, cell_rows = (rows + down - 1) / down;
  const std::size_t levels = std::string(kInk).size();
  std::ostringstream out;
  for (std::size_t first = 0, grid_row = 0; first < images.size(); first += grid_cols, ++grid_row) {
    if (grid_row < labels.size()) out << labels[grid_row] << "\n";
    const std::size_t last = std::min(images.size(), first + grid_cols);
    for (std::size_t r = 0; r < cell_rows; ++r) {
      std::string line;
      for (std::size_t i = first; i < last; ++i) {
        for (std::size_t c = 0; c < cell_cols; ++c) {
          double sum = 0;
          std::size_t count = 0;
          for (std::size_t pr = r * down; pr < std::min(rows, (r + 1) * down); ++pr) {
            for (std::size_t pc = c * across; pc < std::min(cols, (c + 1) * across); ++pc) {
              const double v = images[i][pr * cols + pc];
              if (std::isfinite(v)) sum += v, ++count;
            }
          }
          const double ink = count == 0 ? 0 : std::clamp((sum / count - range.lo) / (range.hi - range.lo), 0.0, 1.0);
          line += kInk[std::min(levels - 1, static_cast<std::size_t>(ink * levels))];
        }
        line += ' ';
      }
      out << line.substr(0, line.find_last_not_of(' ') + 1) << "\n";
    }
  }
  return out.str();
}

}  // namespace

PlotResult plot_image_grid(const fs::path& png, const std::vector<std::vector<double>>& images, std::size_t image_rows,
                           std::size_t image_cols, std::size_t grid_cols, const PlotOptions& options,
                           const std::vector<std::string>& row_labels) {
  const std::string op = operation_name("plot_image_grid", png);
  check_options(op, options);
  if (images.empty()) fail<ValueError>(op, ": no images to draw");
  if (image_rows == 0 || image_cols == 0 || grid_cols == 0) {
    fail<ValueError>(op, ": image_rows = ", image_rows, ", image_cols = ", image_cols, ", grid_cols = ", grid_cols,
                     "; all must be at least 1 (MNIST: 28, 28, and e.g. 8 images per row)");
  }
  const std::size_t pixels = image_rows * image_cols;
  for (std::size_t i = 0; i < images.size(); ++i) {
    if (images[i].size() != pixels) {
      fail<ShapeError>(op, ": image ", i, " has ", images[i].size(), " values but ", image_rows, " x ", image_cols,
                       " = ", pixels, "; every image must be image_rows x image_cols, row-major");
    }
  }
  const std::size_t n = images.size(), columns = std::min(grid_cols, n), grid_rows = (n + columns - 1) / columns;
  if (!row_labels.empty() && row_labels.size() != grid_rows) {
    fail<ShapeError>(op, ": ", row_labels.size(), " row labels for ", grid_rows, " rows of images (", n, " images, ",
                     columns, " per row); give one label per row or none");
  }
  const FigureFiles files = figure_files(op, png);

  std::ostringstream csv;
  csv << "image,row,col,value\n";
  std::size_t non_finite = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t r = 0; r < image_rows; ++r) {
      for (std::size_t c = 0; c < image_cols; ++c) {
        const double v = images[i][r * image_cols + c];
        csv << i << "," << r << "," << c << "," << csv_number(v) << "\n";
        if (!std::isfinite(v)) ++non_finite;
      }
    }
  }
  const std::string csv_all = csv.str();
  write_file_atomically(files.csv, [&](std::ostream& out) { out << csv_all; });
  std::vector<std::string> notes;
  if (non_finite > 0) notes.push_back(concat(non_finite, " NaN/inf pixels left white"));

  // Canvas: the grid's shape at the given width, or, if that is taller than options.height, at that
  // height and narrower (never below kMinWidth, so the title fits), with the grid centred.
  const Range range = value_range(images);
  const std::size_t gap = std::max<std::size_t>(1, image_cols / 8);
  const double data_w = static_cast<double>(columns * image_cols + (columns - 1) * gap);
  const double data_h = static_cast<double>(grid_rows * image_rows + (grid_rows - 1) * gap);
  std::size_t label_chars = 0;
  for (const auto& label : row_labels) label_chars = std::max(label_chars, label.size());
  const double labels = label_chars > 0 ? static_cast<double>(label_chars * kCharWidth + kEdge) : 0;
  const double top = options.title.empty() ? kEdge : kTitleHeight;
  double plot_w = options.width - labels - 2 * kEdge, plot_h = plot_w * data_h / data_w;
  int width = options.width;
  if (plot_h + top + kEdge > options.height) {
    plot_h = options.height - top - kEdge;
    plot_w = plot_h * data_w / data_h;
    width = std::clamp(static_cast<int>(std::ceil(labels + plot_w + 2 * kEdge)), std::min(kMinWidth, options.width),
                       options.width);
  }
  const int height = std::max(static_cast<int>(std::ceil(plot_h + top + kEdge)), 60);
  const double left = (width - plot_w - labels - 2 * kEdge) / 2 + labels + kEdge;  // centred

  std::ostringstream body;
  body << "set datafile separator comma\n"
       << "R = " << image_rows << "; C = " << image_cols << "; GC = " << columns << "; N = " << n << "; gap = " << gap
       << "  # image size, images per row, images, pixels between images\n"
       << "x0(i) = (i % GC) * (C + gap)      # left pixel column of image i\n"
       << "y0(i) = -int(i / GC) * (R + gap)  # top pixel row of image i (rows go down)\n"
       << "set palette gray negative  # ink on white: " << csv_number(range.lo) << " white, " << csv_number(range.hi)
       << " black\n"
       << "set cbrange [" << csv_number(range.lo) << ":" << csv_number(range.hi) << "]\n"
       << "unset colorbox\nunset key\nunset border\nunset tics\nset size ratio -1\n"
       << "set xrange [-0.5:" << data_w - 0.5 << "]\nset yrange [" << 0.5 - data_h << ":0.5]\n"
       << "set lmargin at screen " << left / width << "; set rmargin at screen " << (left + plot_w) / width << "\n"
       << "set tmargin at screen " << 1 - top / height << "; set bmargin at screen " << kEdge / height << "\n";
  if (!options.title.empty()) body << "set title " << gp_string(options.title) << " font ',16'\n";
  for (std::size_t r = 0; r < row_labels.size(); ++r) {
    body << "set label " << r + 1 << " " << gp_string(row_labels[r]) << " at " << -1.0 - static_cast<double>(gap)
         << ", " << -(static_cast<double>(r * (image_rows + gap)) + 0.5 * static_cast<double>(image_rows) - 0.5)
         << " right font ',13'\n";
  }
  body << "do for [i=0:N-1] {  # a light frame around each image, so white pixels show where it ends\n"
       << "  set object i + 1 rectangle from x0(i) - 0.5, y0(i) + 0.5 to x0(i) + C - 0.5, y0(i) - R + 0.5 "
          "fillstyle empty border lc rgb '#c8c8c8' lw 0.5 front\n}\n";
  body << "plot for [i=0:N-1] csv every ::(1 + i*R*C)::((i + 1)*R*C) using (x0(i) + $3):(y0(i) - $2):4 with image\n";

  FigureScript script;
  script.data = {{"csv", files.csv}};
  script.body = body.str();
  script.width = width;
  script.height = height;
  if (range.lo == range.hi) script.nothing_to_draw = "every pixel is NaN or inf";
  PlotResult result = render_figure(op, files, script, options, notes);
  if (options.echo == TerminalEcho::kYes && script.nothing_to_draw.empty()) {
    result.terminal_chart = text_grid(images, image_rows, image_cols, columns, range, row_labels);
    std::cout << (options.title.empty() ? "" : options.title + "\n") << result.terminal_chart << std::flush;
  }
  return result;
}

}  // namespace scratch

// figure.cpp — see figure.hpp.
#include "plot/figure.hpp"

#include <charconv>
#include <cmath>
#include <iostream>
#include <sstream>

#include "core/errors.hpp"
#include "core/paths.hpp"
#include "plot/gnuplot_process.hpp"
#include "plot/png_check.hpp"

namespace scratch::plot_detail {

namespace {

constexpr int kMinPixels = 100, kMaxPixels = 10000;
constexpr const char* kFont = "DejaVu Sans";
constexpr int kFontSize = 13;
constexpr int kTextWidth = 100, kTextHeight = 30;  // the dumb terminal's chart, in characters
constexpr std::size_t kMaxErrorChars = 600;

// gnuplot's stderr in one line: the echoed command and the caret line dropped, the rest joined.
std::string one_line(const std::string& text) {
  std::istringstream lines(text);
  std::string line, joined;
  while (std::getline(lines, line)) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    line = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
    if (line == "^") continue;
    if (!joined.empty()) joined += " | ";
    joined += line;
  }
  if (joined.size() > kMaxErrorChars) joined = joined.substr(0, kMaxErrorChars) + " ...";
  return joined;
}

// The folder of `path` as a gnuplot string that can be prefixed to a file name: 'plots/'.
std::string folder_prefix(const fs::path& path) {
  const fs::path dir = path.parent_path();
  return gp_string(dir.empty() ? std::string("./") : dir.string() + "/");
}

// The .gp file: where its data is, the PNG terminal, then the figure.
std::string script_file_text(const FigureFiles& files, const FigureScript& script) {
  const std::string name = files.script.filename().string();
  std::ostringstream gp;
  gp << "# " << name << " — draws " << files.png.filename().string() << " from its CSV data. Written by ScratchNet"
     << " (lib/plot);\n# restyle freely. Run it from any folder:  gnuplot " << display_path(files.script) << "\n"
     << "# dir, csv and png may be preset:  gnuplot -e \"png='big.png'\" " << name << "\n"
     << "set encoding utf8\n"
     << "if (!exists(\"dir\")) dir = ARG0[1:strlen(ARG0) - strlen(" << gp_string(name)
     << ")]  # this script's folder\n";
  for (const auto& [variable, path] : script.data) {
    gp << "if (!exists(\"" << variable << "\")) " << variable << " = dir." << gp_string(path.filename().string())
       << "\n";
  }
  gp << "if (!exists(\"png\")) png = dir." << gp_string(files.png.filename().string()) << "\n\n"
     << "set terminal pngcairo size " << script.width << "," << script.height << " noenhanced font '" << kFont << ","
     << kFontSize << "' linewidth 1.5\n"
     << "set output png\n"
     << script.body << "unset output\n";
  return gp.str();
}

std::string not_found_reason(const std::string& command) {
  if (std::getenv("SCRATCH_GNUPLOT") != nullptr && !command.empty() && command != "gnuplot") {
    return concat("gnuplot not found (SCRATCH_GNUPLOT='", command, "' is not an executable)");
  }
  return "gnuplot not found on PATH (install it: sudo apt-get install gnuplot-nox, or set SCRATCH_GNUPLOT to its path)";
}

// " (the disk holding plots/ has 12 KB free)" when the folder's file system is nearly full, else "".
std::string free_space_note(const fs::path& file) {
  constexpr std::uintmax_t kNearlyFull = 4u << 20;  // 4 MB: more than any figure
  std::error_code ec;
  const fs::space_info space = fs::space(file.parent_path().empty() ? fs::path(".") : file.parent_path(), ec);
  if (ec || space.available >= kNearlyFull) return "";
  return concat(" (the disk holding ", display_path(file.parent_path()), "/ has ", space.available / 1024,
                " KB free)");
}

}  // namespace

const char* const kFiniteFunction = "finite(v) = (v == v && abs(v) < 1e300) ? v : NaN  # NaN and inf: not drawn\n";

std::string operation_name(const std::string& function, const fs::path& png) {
  return concat(function, "(", png.filename().string(), ")");
}

void check_options(const std::string& op, const PlotOptions& options) {
  for (const auto& [what, pixels] : {std::pair{"width", options.width}, std::pair{"height", options.height}}) {
    if (pixels < kMinPixels || pixels > kMaxPixels) {
      fail<ValueError>(op, ": ", what, " = ", pixels, " pixels is outside [", kMinPixels, ", ", kMaxPixels,
                       "]; the default 900 x 560 suits slides");
    }
  }
  for (const auto& [axis, range] : {std::pair{"x_range", options.x_range}, std::pair{"y_range", options.y_range}}) {
    if (!range) continue;
    if (!std::isfinite(range->lo) || !std::isfinite(range->hi) || !(range->lo < range->hi)) {
      fail<ValueError>(op, ": ", axis, " [", range->lo, ", ", range->hi, "] must be finite with lo < hi");
    }
    if (options.log_y && std::string(axis) == "y_range" && range->lo <= 0) {
      fail<ValueError>(op, ": y_range starts at ", range->lo, " but a log axis needs values > 0");
    }
  }
}

FigureFiles figure_files(const std::string& op, const fs::path& png) {
  if (png.empty() || !png.has_filename()) fail<ValueError>(op, ": the figure needs a file name such as loss.png");
  fs::path path = png;
  if (!path.has_extension()) path += ".png";
  if (path.extension() != ".png") {
    fail<ValueError>(op, ": ", png, " must end in .png (figures are PNG, with .csv and .gp beside them)");
  }
  if (!path.has_parent_path()) path = plots_dir() / path;
  FigureFiles files;
  files.png = path;
  files.csv = fs::path(path).replace_extension(".csv");
  files.script = fs::path(path).replace_extension(".gp");
  return files;
}

std::string display_path(const fs::path& path) {
  std::error_code ec;
  const fs::path relative = fs::proximate(path, ec);
  if (!ec && !relative.empty() && *relative.begin() != "..") return relative.string();
  return path.string();
}

std::string csv_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, result.ptr);
}

std::string csv_text(const std::string& text) {
  const bool quote = text.find_first_of(",\"\n\r") != std::string::npos ||
                     (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) return text;
  std::string quoted = "\"";
  for (const char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string gp_string(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) {
    if (c == '\'') {
      quoted += "''";
    } else if (c == '\n' || c == '\r') {
      quoted += ' ';
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string line_color(std::size_t i) {
  static const char* const kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                         "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  return kPalette[i % (sizeof kPalette / sizeof kPalette[0])];
}

std::string faint_color(std::size_t i) { return "#b0" + line_color(i).substr(1); }

std::string axes_commands(const PlotOptions& options) {
  std::ostringstream gp;
  if (!options.title.empty()) gp << "set title " << gp_string(options.title) << "\n";
  if (!options.xlabel.empty()) gp << "set xlabel " << gp_string(options.xlabel) << "\n";
  if (!options.ylabel.empty()) gp << "set ylabel " << gp_string(options.ylabel) << "\n";
  if (options.log_y) gp << "set logscale y\n";
  if (options.x_range) gp << "set xrange [" << options.x_range->lo << ":" << options.x_range->hi << "]\n";
  if (options.y_range) gp << "set yrange [" << options.y_range->lo << ":" << options.y_range->hi << "]\n";
  return gp.str();
}

std::string png_style_commands(const PlotOptions& options) {
  std::ostringstream gp;
  gp << "set title font '," << kFontSize + 3 << "'\n"
     << "set border 3 lc rgb '#404040'\n"  // left and bottom axes only
     << "set tics nomirror out\n"
     << "set grid back lt 1 lc rgb '#e4e4e4' lw 1\n";
  switch (options.legend) {
    case Legend::kOutsideRight:
      gp << "set key outside right top vertical Left reverse samplen 2.5 spacing 1.3\n";
      break;
    case Legend::kTopRight:
      gp << "set key inside right top opaque box lc rgb '#cccccc' samplen 2.5 spacing 1.2\n";
      break;
    case Legend::kTopLeft:
      gp << "set key inside left top Left reverse opaque box lc rgb '#cccccc' samplen 2.5\n";
      break;
    case Legend::kBottomRight:
      gp << "set key inside right bottom opaque box lc rgb '#cccccc' samplen 2.5\n";
      break;
    case Legend::kBottomLeft:
      gp << "set key inside left bottom Left reverse opaque box lc rgb '#cccccc' samplen 2.5\n";
      break;
    case Legend::kNone:
      gp << "unset key\n";
      break;
  }
  return gp.str();
}

PlotResult render_figure(const std::string& op, const FigureFiles& files, const FigureScript& script,
                         const PlotOptions& options, const std::vector<std::string>& notes) {
  PlotResult result;
  result.png = files.png;
  result.csv = files.csv;
  result.script = files.script;
  for (const auto& entry : script.data) {
    if (entry.second != files.csv) result.extra_csv.push_back(entry.second);
  }
  const std::string gp_text = script_file_text(files, script);
  write_file_atomically(files.script, [&](std::ostream& out) { out << gp_text; });

  const std::string draw_it = "gnuplot " + display_path(files.script);
  std::string data_files = display_path(files.csv);
  for (const auto& extra : result.extra_csv) data_files += ", " + display_path(extra);
  std::ostringstream message;
  message << op << ": ";
  const std::string command = gnuplot_command();
  const auto executable = find_executable(command);
  if (!script.nothing_to_draw.empty()) {
    message << "nothing to draw (" << script.nothing_to_draw << "); wrote " << data_files << " and "
            << display_path(files.script);
  } else if (!executable) {
    message << not_found_reason(command) << ". Wrote " << data_files << " and " << display_path(files.script)
            << "; draw the PNG with:  " << draw_it;
  } else {
    const bool echo = options.echo == TerminalEcho::kYes && !script.text_body.empty();
    const GnuplotTimeLimit time_limit = gnuplot_time_limit();
    GnuplotRun run;
    std::string failure, incomplete;
    bool png_ok = false;
    try {
      // gnuplot draws into a temporary file beside the PNG, which replaces the old PNG only if
      // gnuplot exited with status 0 and the file is a complete PNG: pngcairo exits 0 even when
      // the disk filled up and it wrote half a file.
      png_ok = replace_file_atomically(files.png, [&](const fs::path& tmp) {
        std::string piped =
            "dir = " + folder_prefix(files.script) + "\npng = " + gp_string(tmp.string()) + "\n" + gp_text;
        if (echo) {
          piped += concat("reset\nset terminal dumb size ", kTextWidth, ",", kTextHeight, " noenhanced\nset output\n",
                          script.text_body);
        }
        run = run_gnuplot(*executable, piped, time_limit.limit);
        if (run.exit_status != 0) return false;
        incomplete = png_problem(tmp);
        return incomplete.empty();
      });
    } catch (const IoError& e) {
      failure = e.what();
    }
    const std::string png_name = files.png.filename().string();
    const std::string data_and_script =
        concat(". Data in ", data_files, ", script ", display_path(files.script));
    if (png_ok) {
      result.rendered = true;
      message << "wrote " << display_path(files.png) << " (data " << data_files << "; to restyle, edit and run  "
              << draw_it << ")";
      const std::string warnings = one_line(run.err);
      if (!warnings.empty()) message << "; gnuplot said: " << warnings;
    } else if (!failure.empty()) {
      message << "could not write " << png_name << ": " << failure << free_space_note(files.png)
              << data_and_script;
    } else if (run.timed_out) {
      message << "gnuplot did not finish within " << time_limit.limit.count() / 1000.0
              << " s and was stopped (raise the limit with SCRATCH_GNUPLOT_TIMEOUT=<seconds>, 0 for none), no PNG "
                 "written";
      const std::string said = one_line(run.err);
      if (!said.empty()) message << "; gnuplot said: " << said;
      message << data_and_script;
    } else if (run.exit_status != 0) {
      message << "gnuplot failed (exit status " << run.exit_status << "), no PNG written: " << one_line(run.err)
              << data_and_script;
    } else {
      message << "could not write " << png_name << ": gnuplot exited normally but the PNG it wrote is not complete ("
              << incomplete << ")" << free_space_note(files.png) << ", so it was discarded";
      const std::string said = one_line(run.err);
      if (!said.empty()) message << "; gnuplot said: " << said;
      message << data_and_script;
    }
    if (!time_limit.note.empty()) message << "; " << time_limit.note;
    if (echo && !run.out.empty()) {
      result.terminal_chart = run.out;
      std::cout << run.out << std::flush;
    }
  }
  std::error_code ec;
  if (!result.rendered && fs::exists(files.png, ec)) {
    message << " (" << display_path(files.png) << " is from an earlier run)";
  }
  for (const auto& note : notes) message << "; " << note;
  result.message = message.str();
  return result;
}

}  // namespace scratch::plot_detail

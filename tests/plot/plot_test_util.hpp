// plot_test_util.hpp — what the plot tests share: a temporary folder per test, a scoped environment
// variable, reading a file back, and a fake gnuplot.
#pragma once

#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "plot/gnuplot_process.hpp"
#include "test_util.hpp"

namespace scratch::test {

// A Boost.Test precondition: tests that need gnuplot are skipped, with this message, without it.
inline boost::test_tools::assertion_result gnuplot_present(boost::unit_test::test_unit_id) {
  boost::test_tools::assertion_result found = plot_detail::find_executable(plot_detail::gnuplot_command()).has_value();
  found.message() << "gnuplot is not installed (sudo apt-get install gnuplot-nox)";
  return found;
}

inline std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A shell script standing in for gnuplot: it runs `body` (e.g. "echo boom >&2; exit 3") and is
// made executable.
inline fs::path fake_gnuplot(const TempDir& dir, const std::string& body) {
  const fs::path path = dir / "fake-gnuplot";
  std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
  fs::permissions(path, fs::perms::owner_all);
  return path;
}

// True when the file starts with the 8-byte PNG signature and is bigger than `min_bytes`.
inline bool is_png(const fs::path& path, std::uintmax_t min_bytes) {
  const std::string text = read_text(path);
  return text.size() > min_bytes && text.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0;
}

// A complete, valid PNG made here with zlib (no gnuplot needed): a width × height grayscale image
// whose chunks are IHDR, one IDAT and IEND, each with its CRC-32. Tests cut or damage it.
inline std::string tiny_png(std::uint32_t width = 3, std::uint32_t height = 2) {
  const auto be32 = [](std::uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                       static_cast<char>(v)};
  };
  const auto chunk = [&](const std::string& type, const std::string& data) {
    const std::string type_and_data = type + data;
    const auto crc = ::crc32(0L, reinterpret_cast<const Bytef*>(type_and_data.data()),
                             static_cast<uInt>(type_and_data.size()));
    return be32(static_cast<std::uint32_t>(data.size())) + type_and_data + be32(static_cast<std::uint32_t>(crc));
  };
  // IHDR: width, height, bit depth 8, colour type 0 (gray), compression, filter, interlace 0.
  const std::string ihdr = be32(width) + be32(height) + std::string{8, 0, 0, 0, 0};
  std::string rows;  // each row: filter byte 0, then one gray byte per pixel
  for (std::uint32_t r = 0; r < height; ++r) {
    rows += '\0';
    for (std::uint32_t c = 0; c < width; ++c) rows += static_cast<char>((r * 40 + c * 80) & 0xff);
  }
  uLongf packed_size = ::compressBound(static_cast<uLong>(rows.size()));
  std::string packed(packed_size, '\0');
  ::compress(reinterpret_cast<Bytef*>(packed.data()), &packed_size, reinterpret_cast<const Bytef*>(rows.data()),
             static_cast<uLong>(rows.size()));
  packed.resize(packed_size);
  return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", packed) + chunk("IEND", "");
}

inline void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// The body of a fake gnuplot that writes `source`'s bytes (a prepared good, cut or damaged PNG) to
// the file the piped script names in its `png = '...'` line, then exits 0 as pngcairo does even
// when the disk is full.
inline std::string fake_png_writer(const fs::path& source) {
  return "png=$(sed -n \"s/^png = '\\(.*\\)'$/\\1/p\" | head -n 1)\ncat '" + source.string() +
         "' > \"$png\"\nexit 0";
}

}  // namespace scratch::test

// png_check.hpp — is a file a complete PNG? (internal to lib/plot). gnuplot's pngcairo exits 0 even
// when the disk fills up half-way through the file, so render_figure asks this before a new figure
// may replace the old one.
#pragma once

#include <filesystem>
#include <string>

namespace scratch::plot_detail {

namespace fs = std::filesystem;

// "" when `path` holds a complete PNG; otherwise what is wrong, in words, e.g. "it ends inside
// chunk IDAT (at byte 4096 of 4096; truncated)". Checks the structure of the whole file (PNG
// specification, section 5): the 8-byte signature, then chunks of length (4 bytes, big-endian,
// < 2^31), type (4 ASCII letters), data and a CRC-32 of type + data (zlib's crc32, the same CRC),
// the first being IHDR, up to and including IEND, with nothing after it. It does not decode the
// image data.
std::string png_problem(const fs::path& path);

}  // namespace scratch::plot_detail

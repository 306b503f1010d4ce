// png_check.cpp — see png_check.hpp.
#include "plot/png_check.hpp"

#include <zlib.h>

#include <cctype>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>

namespace scratch::plot_detail {

namespace {

constexpr char kSignature[] = "\x89PNG\r\n\x1a\n";
constexpr std::size_t kSignatureBytes = 8;
constexpr std::uint32_t kMaxChunkLength = 0x7fffffffu;  // the specification's limit, 2^31 − 1

std::uint32_t read_be32(const std::string& bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

std::string describe(std::size_t at, std::size_t size) {
  std::ostringstream text;
  text << "at byte " << at << " of " << size;
  return text.str();
}

}  // namespace

std::string png_problem(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "it cannot be opened";
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return "it cannot be read";
  const std::size_t size = bytes.size();
  if (size == 0) return "it is empty";
  if (size < kSignatureBytes || bytes.compare(0, kSignatureBytes, kSignature, kSignatureBytes) != 0) {
    return size < kSignatureBytes ? "it ends inside the PNG signature (truncated)" : "it does not start with the PNG signature";
  }
  std::size_t at = kSignatureBytes;
  std::string previous = "the signature";
  while (true) {
    if (size - at < 12) {  // length + type + CRC of even an empty chunk
      return (at == size ? "it ends after " + previous + " without an IEND chunk" : "it ends inside the chunk after " + previous) +
             " (" + describe(size, size) + "; truncated)";
    }
    const std::uint32_t length = read_be32(bytes, at);
    const std::string type = bytes.substr(at + 4, 4);
    for (const char c : type) {
      if (!std::isalpha(static_cast<unsigned char>(c))) return "the chunk after " + previous + " has no valid type (" + describe(at + 4, size) + ")";
    }
    if (at == kSignatureBytes && type != "IHDR") return "its first chunk is " + type + ", not IHDR";
    if (length > kMaxChunkLength) return "chunk " + type + " claims " + std::to_string(length) + " bytes (" + describe(at, size) + ")";
    if (size - at - 12 < length) {
      return "it ends inside chunk " + type + ", whose " + std::to_string(length) + " data bytes start " +
             describe(at + 8, size) + " (truncated)";
    }
    const auto* type_and_data = reinterpret_cast<const Bytef*>(bytes.data() + at + 4);
    const auto crc = static_cast<std::uint32_t>(::crc32(0L, type_and_data, static_cast<uInt>(length) + 4));
    if (crc != read_be32(bytes, at + 8 + length)) return "chunk " + type + " fails its CRC (" + describe(at, size) + "; damaged)";
    at += 12 + std::size_t(length);
    previous = "chunk " + type;
    if (type == "IEND") break;
  }
  if (at != size) return std::to_string(size - at) + " bytes follow the IEND chunk";
  return "";
}

}  // namespace scratch::plot_detail

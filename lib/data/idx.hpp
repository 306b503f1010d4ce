// idx.hpp — reading and writing IDX files, the format MNIST is distributed in.
//
// An IDX file is a header followed by the data; every integer in it is big-endian:
//   magic  u32        0x00 0x00 <type> <ndim>   type 0x08 = unsigned byte, ndim = number of dimensions
//   dims   ndim × u32  e.g. 60000, 28, 28
//   data   dims[0] × … × dims[ndim-1] bytes, row-major (the last dimension varies fastest)
// MNIST's label files have magic 0x00000801 (shape (N,)), its image files 0x00000803 (N, 28, 28).
// A file may be gzip-compressed or raw: zlib's gzread recognises both from the content, whatever
// the file is called.
//
// The header is not trusted: a file whose header claims 2³¹ images gets a buffer that grows only
// as data actually arrives, and then a FormatError saying how much was really there.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/paths.hpp"

namespace scratch {

// IDX element type code for unsigned bytes, the only type MNIST (and this reader) uses.
inline constexpr std::uint8_t kIdxUnsignedByte = 0x08;

// The contents of one IDX file of unsigned bytes.
struct IdxArray {
  fs::path path;                    // where it was read from, for error messages further on
  std::vector<std::size_t> dims;    // e.g. {60000, 28, 28}
  std::vector<std::uint8_t> bytes;  // dims[0] × … × dims[ndim-1] values, row-major

  // Number of items along the first dimension (images or labels); 0 for an array without dims.
  std::size_t count() const { return dims.empty() ? 0 : dims[0]; }
};

// Reads an IDX file of unsigned bytes that must have exactly `ndim` dimensions (1 for labels,
// 3 for images). `path` may be gzip-compressed or raw.
// Throws IoError when the file is missing or unreadable, FormatError when its contents break the
// format: wrong magic, wrong element type or number of dimensions, a header whose dimensions
// overflow, data shorter or longer than the header promises, corrupt gzip data. Each message
// names the file, what was expected and what to do.
IdxArray read_idx(const fs::path& path, std::size_t ndim);

// How write_idx stores the file.
enum class Compression {
  kGzip,  // gzip, like the files on the MNIST mirrors (name it *.gz)
  kNone,  // the raw IDX bytes
};

// Writes `bytes` with shape `dims` as an IDX file of unsigned bytes, atomically (a temporary file
// renamed into place). Throws ValueError when the dims do not multiply to bytes.size() or do not
// fit the format (1 to 255 dims, each below 2³²), IoError when the file cannot be written.
void write_idx(const fs::path& path, const std::vector<std::size_t>& dims, const std::vector<std::uint8_t>& bytes,
               Compression compression);

}  // namespace scratch

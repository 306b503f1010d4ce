// checkpoint_io.hpp — the byte level of the checkpoint format (train/checkpoint.hpp): numbers in
// little-endian order whatever the machine, strings and tensors, a running CRC-32, and reads that
// never run past the end of the data.
//
//   u8, u32, u64   unsigned integers, least significant byte first
//   f64            an IEEE-754 double, its 8 bytes as a u64
//   scalar         a Scalar: IEEE-754 float (4 bytes, as a u32) or double (8 bytes, as a u64)
//   string         u32 length, then that many bytes (UTF-8, no terminator)
//   tensor         string name, u32 ndim, ndim × u64 dims, then shape_size(dims) × scalar, row-major
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "core/paths.hpp"
#include "tensor/tensor.hpp"

namespace scratch {

// Writes bytes to a stream through a buffer while counting them and updating their CRC-32; with no
// stream it only counts (a first pass that measures the file, for its header).
class ByteWriter {
 public:
  explicit ByteWriter(std::ostream* out);

  void u8(std::uint8_t x);
  void u32(std::uint32_t x);
  void u64(std::uint64_t x);
  void f64(double x);
  void scalar(Scalar x);
  void string(const std::string& s);
  void tensor(const std::string& name, const Tensor& x);
  void bytes(const void* data, std::size_t n);

  // Sends the buffered bytes to the stream; throws IoError if the stream has failed.
  void flush();

  std::uint64_t size() const { return size_; }  // bytes written so far
  std::uint32_t crc() const { return crc_; }    // zlib's crc32 of those bytes (not in counting mode)

 private:
  std::ostream* out_;
  std::vector<unsigned char> buffer_;
  std::uint64_t size_ = 0;
  std::uint32_t crc_ = 0;
};

// Reads from bytes [begin, end) of a file's contents held in memory. Every read first checks that
// enough bytes remain; if not it throws FormatError naming the file, what was being read and where.
class ByteReader {
 public:
  ByteReader(const std::vector<unsigned char>& data, std::size_t begin, std::size_t end, fs::path path);

  std::uint8_t u8(const char* what);
  std::uint32_t u32(const char* what);
  std::uint64_t u64(const char* what);
  double f64(const char* what);
  Scalar scalar(const char* what);
  std::string string(const char* what);
  // Reads a tensor record; its name goes to `name`.
  Tensor tensor(const char* what, std::string& name);

  std::size_t offset() const { return pos_; }
  std::size_t remaining() const { return end_ - pos_; }
  const fs::path& path() const { return path_; }

 private:
  const unsigned char* take(std::size_t n, const char* what);

  const std::vector<unsigned char>& data_;
  std::size_t pos_, end_;
  fs::path path_;
};

}  // namespace scratch

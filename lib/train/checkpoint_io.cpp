// checkpoint_io.cpp — see checkpoint_io.hpp.
#include "train/checkpoint_io.hpp"

#include <zlib.h>

#include <cstring>
#include <limits>
#include <type_traits>

namespace scratch {
namespace {

// Bytes gathered before they go to the stream.
constexpr std::size_t kBufferSize = std::size_t{1} << 16;

// The integer whose bits a Scalar is stored as.
using ScalarBits = std::conditional_t<sizeof(Scalar) == 8, std::uint64_t, std::uint32_t>;
static_assert(sizeof(Scalar) == sizeof(ScalarBits), "Scalar must be a 4- or 8-byte IEEE-754 type");

template <class U>
void put_le(unsigned char* out, U x) {
  for (std::size_t i = 0; i < sizeof(U); ++i) out[i] = static_cast<unsigned char>(x >> (8 * i));
}

template <class U>
U get_le(const unsigned char* in) {
  U x = 0;
  for (std::size_t i = 0; i < sizeof(U); ++i) x |= static_cast<U>(in[i]) << (8 * i);
  return x;
}

}  // namespace

// ---- writing ----

ByteWriter::ByteWriter(std::ostream* out) : out_(out) {
  if (out_ != nullptr) buffer_.reserve(kBufferSize);
}

void ByteWriter::bytes(const void* data, std::size_t n) {
  size_ += n;
  if (out_ == nullptr) return;
  const auto* p = static_cast<const unsigned char*>(data);
  while (n > 0) {
    const std::size_t chunk = std::min(n, kBufferSize - buffer_.size());
    buffer_.insert(buffer_.end(), p, p + chunk);
    p += chunk;
    n -= chunk;
    if (buffer_.size() == kBufferSize) flush();
  }
}

void ByteWriter::flush() {
  if (out_ == nullptr || buffer_.empty()) return;
  crc_ = static_cast<std::uint32_t>(::crc32(crc_, buffer_.data(), static_cast<uInt>(buffer_.size())));
  out_->write(reinterpret_cast<const char*>(buffer_.data()), static_cast<std::streamsize>(buffer_.size()));
  buffer_.clear();
  if (!*out_) fail<IoError>("checkpoint: writing failed after ", size_, " bytes (disk full?)");
}

void ByteWriter::u8(std::uint8_t x) { bytes(&x, 1); }

void ByteWriter::u32(std::uint32_t x) {
  unsigned char b[4];
  put_le(b, x);
  bytes(b, 4);
}

void ByteWriter::u64(std::uint64_t x) {
  unsigned char b[8];
  put_le(b, x);
  bytes(b, 8);
}

void ByteWriter::f64(double x) {
  std::uint64_t bits;
  std::memcpy(&bits, &x, 8);
  u64(bits);
}

void ByteWriter::scalar(Scalar x) {
  ScalarBits bits;
  std::memcpy(&bits, &x, sizeof bits);
  unsigned char b[sizeof bits];
  put_le(b, bits);
  bytes(b, sizeof bits);
}

void ByteWriter::string(const std::string& s) {
  u32(static_cast<std::uint32_t>(s.size()));
  bytes(s.data(), s.size());
}

void ByteWriter::tensor(const std::string& name, const Tensor& x) {
  string(name);
  u32(static_cast<std::uint32_t>(x.ndim()));
  for (const std::size_t d : x.shape()) u64(d);
  if (out_ == nullptr) {  // counting: no need to look at the numbers
    size_ += x.size() * sizeof(Scalar);
    return;
  }
  for (const Scalar v : x) scalar(v);
}

// ---- reading ----

ByteReader::ByteReader(const std::vector<unsigned char>& data, std::size_t begin, std::size_t end, fs::path path)
    : data_(data), pos_(begin), end_(end), path_(std::move(path)) {}

const unsigned char* ByteReader::take(std::size_t n, const char* what) {
  if (n > remaining())
    fail<FormatError>("checkpoint ", path_, ": truncated: ", what, " needs ", n, " bytes at offset ", pos_,
                      " but the data ends at offset ", end_);
  const unsigned char* p = data_.data() + pos_;
  pos_ += n;
  return p;
}

std::uint8_t ByteReader::u8(const char* what) { return *take(1, what); }
std::uint32_t ByteReader::u32(const char* what) { return get_le<std::uint32_t>(take(4, what)); }
std::uint64_t ByteReader::u64(const char* what) { return get_le<std::uint64_t>(take(8, what)); }

double ByteReader::f64(const char* what) {
  const std::uint64_t bits = u64(what);
  double x;
  std::memcpy(&x, &bits, 8);
  return x;
}

Scalar ByteReader::scalar(const char* what) {
  const ScalarBits bits = get_le<ScalarBits>(take(sizeof(ScalarBits), what));
  Scalar x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

std::string ByteReader::string(const char* what) {
  const std::uint32_t n = u32(what);
  const unsigned char* p = take(n, what);
  return std::string(reinterpret_cast<const char*>(p), n);
}

Tensor ByteReader::tensor(const char* what, std::string& name) {
  name = string(what);
  const std::uint32_t ndim = u32(what);
  // Each dimension takes 8 bytes: a corrupt ndim fails here instead of allocating.
  if (ndim > remaining() / 8)
    fail<FormatError>("checkpoint ", path_, ": ", what, " '", name, "' claims ", ndim, " dimensions at offset ", pos_,
                      " but only ", remaining(), " bytes remain");
  Shape shape(ndim);
  std::size_t size = 1;
  for (std::uint32_t i = 0; i < ndim; ++i) {
    const std::uint64_t d = u64(what);
    // Multiply without overflow; a size beyond the bytes left is caught just below.
    if (d != 0 && size > std::numeric_limits<std::size_t>::max() / sizeof(Scalar) / d)
      fail<FormatError>("checkpoint ", path_, ": ", what, " '", name, "' has an impossible shape (dimension ", i,
                        " is ", d, ")");
    shape[i] = static_cast<std::size_t>(d);
    size *= shape[i];
  }
  if (size > remaining() / sizeof(Scalar))
    fail<FormatError>("checkpoint ", path_, ": truncated: ", what, " '", name, "' of shape ", shape_string(shape),
                      " needs ", size * sizeof(Scalar), " bytes at offset ", pos_, " but only ", remaining(),
                      " remain");
  Tensor x = Tensor::zeros(shape);
  for (Scalar& v : x) v = scalar(what);
  return x;
}

}  // namespace scratch

// idx.cpp — see idx.hpp. Reading goes through zlib's gz* functions, which decompress gzip data and
// pass raw data through unchanged, so one code path reads both kinds of file.
#include "data/idx.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <limits>
#include <string>

#include "core/errors.hpp"

namespace scratch {

namespace {

// Bytes asked of gzread at a time (it takes an unsigned int length).
constexpr std::size_t kReadChunk = std::size_t{1} << 20;
// The data buffer's first size. Small, because the header is not trusted: a 30-byte file whose
// header claims 2³¹ images must not cost a zero-filled megabyte (found while fuzzing); the buffer
// doubles as data arrives, so a 47 MB file needs only ~10 doublings.
constexpr std::size_t kFirstBuffer = std::size_t{64} << 10;
// How many bytes past the promised data we count before calling the excess "at least".
constexpr std::size_t kMaxTrailingCount = std::size_t{1} << 20;

const char* const kRefetchHint = "delete it and fetch it again (make data, or data/fetch_mnist.sh)";

// An open gzFile that closes itself.
class GzReader {
 public:
  explicit GzReader(const fs::path& path) : path_(path), file_(gzopen(path.c_str(), "rb")) {
    if (file_ == nullptr)
      fail<IoError>("read_idx: cannot open ", path, ": ", std::strerror(errno),
                    " (check the path and its permissions)");
    // Larger than the default 8 KiB: fewer read() calls on 50 MB. Not larger than 64 KiB: zlib's output
    // buffer is twice this, and allocators serve blocks up to 128 KiB from a cache; 128 KiB made every
    // open map and unmap fresh pages (fuzzing ran 3× slower; reading MNIST was no faster).
    gzbuffer(file_, 64 * 1024);
  }
  ~GzReader() { gzclose(file_); }
  GzReader(const GzReader&) = delete;
  GzReader& operator=(const GzReader&) = delete;

  // Reads up to n bytes into out; returns how many arrived (fewer only at the end of the data).
  // Corrupt or cut-off gzip data throws FormatError, a failing disk IoError.
  std::size_t read(std::uint8_t* out, std::size_t n) {
    std::size_t total = 0;
    while (total < n) {
      const unsigned want = static_cast<unsigned>(std::min(n - total, kReadChunk));
      const int got = gzread(file_, out + total, want);
      if (got < 0) throw_zlib_error();
      if (got == 0) break;
      total += static_cast<std::size_t>(got);
    }
    return total;
  }

 private:
  [[noreturn]] void throw_zlib_error() {
    int code = Z_OK;
    const char* message = gzerror(file_, &code);
    if (code == Z_ERRNO) fail<IoError>("read_idx: reading ", path_, " failed: ", std::strerror(errno));
    if (code == Z_BUF_ERROR)
      fail<FormatError>("read_idx: the gzip data in ", path_, " stops in the middle (zlib: ", message,
                        "): the file is truncated, probably an interrupted download; ", kRefetchHint);
    fail<FormatError>("read_idx: the gzip data in ", path_, " is corrupt (zlib: ", message, "); ", kRefetchHint);
  }

  fs::path path_;
  gzFile file_;
};

std::uint32_t big_endian_u32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

// "3c 21 44 4f": n bytes in hex, separated by `gap`.
std::string hex_bytes(const std::uint8_t* p, std::size_t n, const char* gap = " ") {
  static const char* const kDigits = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) s += gap;
    s += kDigits[p[i] >> 4];
    s += kDigits[p[i] & 15];
  }
  return s;
}

std::string dims_string(const std::vector<std::size_t>& dims) {
  std::string s;
  for (std::size_t i = 0; i < dims.size(); ++i) s += (i > 0 ? " × " : "") + std::to_string(dims[i]);
  return s;
}

// What a magic number that is not 00 00 xx xx most likely means.
std::string magic_hint(const std::uint8_t* m) {
  if (m[0] == 0x1f && m[1] == 0x8b) return "it is gzip data inside gzip data (compressed twice?)";
  if (m[0] == '<') return "it looks like an HTML page, probably an error page saved by a failed download";
  if (std::isprint(m[0]) && std::isprint(m[1]) && std::isprint(m[2]) && std::isprint(m[3]))
    return "it starts with text, not an IDX header; is it the right file?";
  return "is it the right file?";
}

// Checks the 4-byte magic number 00 00 08 <ndim>.
void check_magic(const fs::path& path, const std::uint8_t* m, std::size_t ndim) {
  const std::uint8_t wanted[4] = {0, 0, kIdxUnsignedByte, static_cast<std::uint8_t>(ndim)};
  if (m[0] != 0 || m[1] != 0)
    fail<FormatError>("read_idx: ", path, " is not an IDX file: it starts with ", hex_bytes(m, 4),
                      " but an IDX file starts with ", hex_bytes(wanted, 4), "; ", magic_hint(m), "; ", kRefetchHint);
  if (m[2] != kIdxUnsignedByte)
    fail<FormatError>("read_idx: ", path, " holds elements of IDX type 0x", hex_bytes(m + 2, 1),
                      " but only unsigned bytes (type 0x08, as in MNIST) can be read");
  if (m[3] != ndim) {
    const auto kind = [](std::size_t d) {
      return d == 1 ? std::string(", a label file") : d == 3 ? std::string(", an image file") : std::string();
    };
    const auto magic = [](const std::uint8_t* b) { return "0x" + hex_bytes(b, 4, ""); };
    fail<FormatError>("read_idx: ", path, " has ", int{m[3]}, " dimensions (magic ", magic(m), kind(m[3]), ") but ",
                      ndim, " were expected (magic ", magic(wanted), kind(ndim),
                      "); are the image and label files swapped?");
  }
}

}  // namespace

IdxArray read_idx(const fs::path& path, std::size_t ndim) {
  if (ndim == 0 || ndim > 255) fail<ValueError>("read_idx: ndim must be 1 to 255, got ", ndim);
  std::error_code ec;
  if (!fs::exists(path, ec))
    fail<IoError>("read_idx: ", path, " does not exist (expected an IDX file, raw or gzip-compressed)");
  if (fs::is_directory(path, ec)) fail<IoError>("read_idx: ", path, " is a folder, not an IDX file");

  GzReader in(path);
  IdxArray array;
  array.path = path;

  // ---- header: magic, then ndim big-endian u32 dimensions ----
  std::uint8_t magic[4];
  const std::size_t got_magic = in.read(magic, 4);
  if (got_magic < 4)
    fail<FormatError>("read_idx: ", path, " holds only ", got_magic,
                      " bytes, fewer than an IDX header's 4-byte magic number: the file is empty or truncated; ",
                      kRefetchHint);
  check_magic(path, magic, ndim);
  std::vector<std::uint8_t> dim_bytes(4 * ndim);
  if (in.read(dim_bytes.data(), dim_bytes.size()) < dim_bytes.size())
    fail<FormatError>("read_idx: ", path, " ends inside its header, before its ", ndim,
                      " dimensions: the file is truncated; ", kRefetchHint);
  std::size_t expected = 1;
  for (std::size_t d = 0; d < ndim; ++d) {
    array.dims.push_back(big_endian_u32(&dim_bytes[4 * d]));
    if (array.dims.back() != 0 && expected > std::numeric_limits<std::size_t>::max() / array.dims.back())
      fail<FormatError>("read_idx: the header of ", path, " claims dimensions whose product overflows (",
                        dims_string(array.dims), " …): the header is corrupt; ", kRefetchHint);
    expected *= array.dims.back();
  }

  // ---- data: grow the buffer as bytes arrive, never beyond twice what the file really holds ----
  // (or kFirstBuffer, whichever is larger)
  std::vector<std::uint8_t>& bytes = array.bytes;
  bytes.reserve(std::min(expected, kFirstBuffer));
  while (bytes.size() < expected) {
    if (bytes.size() == bytes.capacity()) bytes.reserve(std::min(expected, 2 * bytes.capacity()));
    const std::size_t old_size = bytes.size();
    const std::size_t want = std::min(bytes.capacity() - old_size, kReadChunk);
    bytes.resize(old_size + want);
    const std::size_t got = in.read(bytes.data() + old_size, want);
    bytes.resize(old_size + got);
    if (got < want) break;
  }
  if (bytes.size() < expected)
    fail<FormatError>("read_idx: ", path, " holds ", bytes.size(), " bytes of data but its header (",
                      dims_string(array.dims), ") promises ", expected,
                      ": the file is truncated or its header is wrong; ", kRefetchHint);

  std::vector<std::uint8_t> scratch(64 * 1024);
  std::size_t trailing = 0;
  for (std::size_t got; trailing < kMaxTrailingCount && (got = in.read(scratch.data(), scratch.size())) > 0;)
    trailing += got;
  if (trailing > 0)
    fail<FormatError>("read_idx: ", path, " has ", trailing >= kMaxTrailingCount ? "at least " : "", trailing,
                      " bytes after the ", expected, " its header (", dims_string(array.dims),
                      ") promises: trailing garbage or a header that undercounts; ", kRefetchHint);
  return array;
}

namespace {

// The gzip encoding of `raw` (zlib's deflate with a gzip wrapper: windowBits 15 + 16).
std::string gzip_bytes(const std::string& raw, const fs::path& path) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    fail<IoError>("write_idx: zlib could not start compressing ", path);
  std::string out(deflateBound(&z, static_cast<uLong>(raw.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  z.avail_in = static_cast<uInt>(raw.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) fail<IoError>("write_idx: zlib failed to compress ", path, " (code ", rc, ")");
  return out;
}

}  // namespace

void write_idx(const fs::path& path, const std::vector<std::size_t>& dims, const std::vector<std::uint8_t>& bytes,
               Compression compression) {
  if (dims.empty() || dims.size() > 255)
    fail<ValueError>("write_idx: an IDX file has 1 to 255 dimensions, got ", dims.size(), " for ", path);
  std::size_t count = 1;
  for (const std::size_t d : dims) {
    if (d > std::numeric_limits<std::uint32_t>::max())
      fail<ValueError>("write_idx: dimension ", d, " does not fit the 32-bit field of an IDX header (", path, ")");
    count *= d;
  }
  if (count != bytes.size())
    fail<ValueError>("write_idx: dims ", dims_string(dims), " hold ", count, " values but ", bytes.size(),
                     " bytes were given for ", path);

  std::string raw;
  raw.reserve(4 + 4 * dims.size() + bytes.size());
  raw += {'\0', '\0', static_cast<char>(kIdxUnsignedByte), static_cast<char>(dims.size())};
  for (const std::size_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) raw += static_cast<char>((d >> shift) & 0xff);
  raw.append(bytes.begin(), bytes.end());
  const std::string contents = compression == Compression::kGzip ? gzip_bytes(raw, path) : raw;
  write_file_atomically(
      path, [&](std::ostream& out) { out.write(contents.data(), static_cast<std::streamsize>(contents.size())); });
}

}  // namespace scratch

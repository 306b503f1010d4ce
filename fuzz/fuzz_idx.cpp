// fuzz_idx.cpp — libFuzzer target for the IDX reader and the MNIST loader (data/idx.hpp, mnist.hpp).
//
// Arbitrary bytes, raw or gzip-compressed, must give a well-formed IdxArray / MnistDataset or a typed
// scratch::Error (IoError, FormatError): never a crash, undefined behaviour, a leak, another exception
// type, or an allocation out of proportion with the input (run_fuzz.sh sets -malloc_limit_mb).
//
// Each input is used four ways, always through a real file (the code path users take):
//   1. the bytes as a file, read with read_idx for the ndim its 4th byte claims (1 if that is 0);
//   2. the bytes gzip-wrapped by this harness, read the same way. Mutating a .gz seed mostly breaks
//      its CRC; wrapping here lets every mutation of a raw IDX payload reach the parser behind zlib;
//   3. the bytes split at the first label-file magic 00 00 08 01 after offset 0 into an image file and
//      a label file, loaded as an MnistDataset;
//   4. the same two halves gzip-compressed.
// A dataset that loads is asked for its first samples in every layout and label format, so the
// per-pixel access runs too. Files live in a private folder under /dev/shm (or $TMPDIR).
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "data/mnist.hpp"

using namespace scratch;

namespace {

using Bytes = std::vector<std::uint8_t>;

// Stops the run with a message; libFuzzer then saves the input as a crash artifact.
[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "fuzz_idx: %s\n", what.c_str());
  std::abort();
}

// A folder of its own for this process, removed at exit.
class WorkDir {
 public:
  WorkDir() {
    std::error_code ec;
    const fs::path base = fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
    path_ = base / ("scratch-fuzz-idx-" + std::to_string(::getpid()));
    fs::create_directories(path_);
  }
  ~WorkDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  fs::path operator/(const char* name) const { return path_ / name; }

 private:
  fs::path path_;
};

const WorkDir& work_dir() {
  static const WorkDir dir;
  return dir;
}

enum class Encoding { kRaw, kGzip };

void append_le(Bytes& out, std::uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

// A valid gzip file holding `data` in deflate's "stored" blocks (RFC 1951 §3.2.4, RFC 1952): header,
// blocks of at most 65535 bytes, CRC-32 and length. It costs no compression state, so the harness
// stays fast, and the reader still goes through zlib's inflate, CRC and length checks.
Bytes gzip_stored(const std::uint8_t* data, std::size_t size) {
  Bytes out = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};  // magic, deflate, no flags, no mtime, unknown OS
  std::size_t pos = 0;
  do {
    const std::size_t n = std::min<std::size_t>(size - pos, 65535);
    out.push_back(pos + n == size ? 1 : 0);  // BFINAL on the last block, BTYPE 00 = stored
    append_le(out, static_cast<std::uint32_t>(n), 2);
    append_le(out, static_cast<std::uint32_t>(~n & 0xffff), 2);
    out.insert(out.end(), data + pos, data + pos + n);
    pos += n;
  } while (pos < size);
  append_le(out, static_cast<std::uint32_t>(crc32(0, data, static_cast<uInt>(size))), 4);
  append_le(out, static_cast<std::uint32_t>(size), 4);
  return out;
}

// Writes data[0, size) to work_dir()/name, as it is or gzip-wrapped.
fs::path write_file(const char* name, const std::uint8_t* data, std::size_t size, Encoding encoding) {
  const fs::path path = work_dir() / name;
  const Bytes wrapped = encoding == Encoding::kGzip ? gzip_stored(data, size) : Bytes();
  const std::uint8_t* bytes = encoding == Encoding::kGzip ? wrapped.data() : data;
  const std::size_t count = encoding == Encoding::kGzip ? wrapped.size() : size;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr || (count > 0 && std::fwrite(bytes, 1, count, f) != count) || std::fclose(f) != 0)
    finding("cannot write the input file " + path.string());
  return path;
}

// read_idx either returns an array consistent with its header or throws a scratch::Error.
void read_one(const fs::path& path, std::size_t ndim) {
  try {
    const IdxArray a = read_idx(path, ndim);
    std::size_t product = 1;
    for (const std::size_t d : a.dims) product *= d;
    if (a.dims.size() != ndim || a.bytes.size() != product || a.count() != a.dims[0])
      finding("read_idx returned dims inconsistent with its bytes");
  } catch (const Error&) {
    // IoError / FormatError: the expected outcome for almost every input.
  }
}

// The ndim the header claims, so that most inputs get past the magic check (the MNIST pair below
// asks for 3 and 1 whatever the bytes say, which covers the mismatch messages).
std::size_t claimed_ndim(const std::uint8_t* data, std::size_t size) { return size >= 4 && data[3] != 0 ? data[3] : 1; }

// An MnistDataset either loads consistently (and serves batches) or throws a scratch::Error.
void load_mnist_pair(const fs::path& images, const fs::path& labels) {
  try {
    MnistDataset data(images, labels);
    const std::size_t n = std::min<std::size_t>(data.size(), 4);
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = n - 1 - i;
    Tensor x, t;
    for (const ImageLayout layout : {ImageLayout::kFlat, ImageLayout::kImage}) {
      for (const LabelFormat format : {LabelFormat::kIndex, LabelFormat::kOneHot}) {
        data.set_options({PixelScale::kUnit, layout, format});
        data.batch(order, 0, n, x, t);
        if (x.shape()[0] != n || x.size() != n * kMnistPixels || t.shape()[0] != n)
          finding("MnistDataset::batch returned tensors of the wrong shape");
        for (std::size_t i = 0; i < n; ++i)
          if (data.label(i) < 0 || data.label(i) > 9) finding("MnistDataset accepted a label outside 0 … 9");
      }
    }
  } catch (const Error&) {
  }
}

// Where the label file begins: the first 00 00 08 01 after offset 0, or the end.
std::size_t split_point(const std::uint8_t* data, std::size_t size) {
  static const std::uint8_t kLabelMagic[4] = {0, 0, kIdxUnsignedByte, 1};
  const std::uint8_t* found =
      std::search(data + std::min<std::size_t>(size, 1), data + size, kLabelMagic, kLabelMagic + 4);
  return static_cast<std::size_t>(found - data);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    for (const Encoding e : {Encoding::kRaw, Encoding::kGzip}) {
      const fs::path path = write_file(e == Encoding::kRaw ? "input" : "input.gz", data, size, e);
      read_one(path, claimed_ndim(data, size));
    }
    const std::size_t split = split_point(data, size);
    for (const Encoding e : {Encoding::kRaw, Encoding::kGzip}) {
      const fs::path images = write_file("images", data, split, e);
      const fs::path labels = write_file("labels", data + split, size - split, e);
      load_mnist_pair(images, labels);
    }
  } catch (const std::exception& e) {
    finding(std::string("an exception that is not a scratch::Error escaped: ") + e.what());
  }
  return 0;
}

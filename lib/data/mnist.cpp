// mnist.cpp — see mnist.hpp.
#include "data/mnist.hpp"

#include <cstdlib>
#include <cstring>

#include "core/errors.hpp"
#include "core/parallel.hpp"

namespace scratch {

namespace {

const char* const kFetchHint = "run \"make data\" (or data/fetch_mnist.sh), or set SCRATCH_DATA_DIR";

// "/x/data/mnist (from SCRATCH_DATA_DIR)" — where a folder came from, for error messages.
std::string describe_folder(const fs::path& dir) {
  const char* env = std::getenv("SCRATCH_DATA_DIR");
  if (env != nullptr && *env != '\0' && fs::path(env) == dir) return concat(dir, " (from SCRATCH_DATA_DIR)");
  if (dir == data_dir()) return concat(dir, " (the default; SCRATCH_DATA_DIR is not set)");
  return concat(dir);
}

}  // namespace

MnistDataset::MnistDataset(const fs::path& images_file, const fs::path& labels_file, MnistOptions options) {
  IdxArray images = read_idx(images_file, 3);
  IdxArray labels = read_idx(labels_file, 1);
  if (images.dims[1] != kMnistRows || images.dims[2] != kMnistCols)
    fail<FormatError>("mnist: the images in ", images_file, " are ", images.dims[1], "×", images.dims[2],
                      " pixels but MNIST's are 28×28; is it an MNIST image file?");
  if (images.count() != labels.count())
    fail<FormatError>("mnist: ", images_file, " has ", images.count(), " images but ", labels_file, " has ",
                      labels.count(),
                      " labels; they must come from the same split (train-* with train-*, t10k-* with t10k-*)");
  for (std::size_t i = 0; i < labels.count(); ++i)
    if (labels.bytes[i] >= kMnistClasses)
      fail<FormatError>("mnist: label ", i, " in ", labels_file, " is ", int{labels.bytes[i]},
                        ", not a digit 0 … 9; the file is corrupt or not an MNIST label file");
  pixels_ = std::move(images.bytes);
  labels_ = std::move(labels.bytes);
  set_options(options);
}

void MnistDataset::set_options(MnistOptions options) { options_ = options; }

void MnistDataset::batch(const std::vector<std::size_t>& order, std::size_t begin, std::size_t end, Tensor& x,
                         Tensor& t) const {
  if (begin > end || end > order.size())
    fail<ShapeError>("mnist batch: positions [", begin, ", ", end, ") do not fit an order of length ", order.size());
  for (std::size_t i = begin; i < end; ++i)
    if (order[i] >= size())
      fail<ShapeError>("mnist batch: sample ", order[i], " does not exist; the data set has ", size(), " samples");
  const std::size_t B = end - begin;
  x.resize(options_.layout == ImageLayout::kFlat ? Shape{B, kMnistPixels} : Shape{B, 1, kMnistRows, kMnistCols});
  t.resize(options_.labels == LabelFormat::kOneHot ? Shape{B, kMnistClasses} : Shape{B});

  // x[b, p] = pixel p of image order[begin + b], divided by 255 for PixelScale::kUnit. The division
  // (not a lookup table, not a multiplication by 1/255, which rounds differently for 24 of the 256
  // values) vectorises. The images sit at random places in 47 MB of bytes, so the loop mostly waits
  // for memory: it asks for the image kAhead rows ahead while converting this one (measured: 36 → 20 µs
  // per batch of 100). The rows are split between threads like the first layer's product x·W will
  // split them, so each core converts the rows it reads next (core/parallel.hpp, kCostOperandElement).
  const Scalar divisor = options_.pixels == PixelScale::kUnit ? Scalar(255) : Scalar(1);
  const bool in_float32 = options_.pixels == PixelScale::kUnitFloat32;  // the book's float32 division
  constexpr std::size_t kAhead = 4;
  constexpr std::size_t kCacheLine = 64;
  Scalar* out = x.data();
  parallel_for(B, kMnistPixels * kCostOperandElement, [&](std::size_t b) {
    if (b + kAhead < B) {
      const std::uint8_t* next = pixels(order[begin + b + kAhead]);
      for (std::size_t line = 0; line < kMnistPixels; line += kCacheLine) __builtin_prefetch(next + line);
    }
    const std::uint8_t* src = pixels(order[begin + b]);
    Scalar* dst = out + b * kMnistPixels;
    if (in_float32)
      for (std::size_t p = 0; p < kMnistPixels; ++p) dst[p] = Scalar(float(src[p]) / 255.0f);
    else
      for (std::size_t p = 0; p < kMnistPixels; ++p) dst[p] = Scalar(src[p]) / divisor;
  });
  if (options_.labels == LabelFormat::kOneHot) {
    t.fill(0);
    for (std::size_t b = 0; b < B; ++b) t(b, labels_[order[begin + b]]) = 1;
  } else {
    for (std::size_t b = 0; b < B; ++b) t[b] = labels_[order[begin + b]];
  }
}

fs::path find_mnist_file(const fs::path& dir, const char* name) {
  std::error_code ec;
  const fs::path gz = dir / (std::string(name) + ".gz");
  if (fs::is_regular_file(gz, ec)) return gz;
  const fs::path raw = dir / name;
  if (fs::is_regular_file(raw, ec)) return raw;
  fail<IoError>("mnist: cannot find ", name, ".gz (or ", name, ") in ", describe_folder(dir), ": ", kFetchHint);
}

MnistDataset load_mnist(MnistSplit split, MnistOptions options, const fs::path& dir) {
  const bool train = split == MnistSplit::kTrain;
  const fs::path images = find_mnist_file(dir, train ? kMnistTrainImages : kMnistTestImages);
  const fs::path labels = find_mnist_file(dir, train ? kMnistTrainLabels : kMnistTestLabels);
  MnistDataset data(images, labels, options);
  const std::size_t expected = train ? kMnistTrainCount : kMnistTestCount;
  if (data.size() != expected)
    fail<FormatError>("mnist: ", images, " has ", data.size(), " samples but MNIST's ", train ? "training" : "test",
                      " set has ", expected, "; a wrong or swapped file? ", kFetchHint, " to get verified copies");
  return data;
}

Mnist load_mnist(MnistOptions options, const fs::path& dir) {
  return Mnist{load_mnist(MnistSplit::kTrain, options, dir), load_mnist(MnistSplit::kTest, options, dir)};
}

}  // namespace scratch

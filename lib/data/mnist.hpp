// mnist.hpp — the MNIST handwritten digits: 60000 training and 10000 test images of 28×28 pixels.
//
// The four IDX files (see idx.hpp) are read from a folder, by default data_dir() — data/mnist in
// the source tree, or $SCRATCH_DATA_DIR — either as name.gz (what data/fetch_mnist.sh stores) or
// as the raw name. Pixels stay in memory as bytes (47 MB for the training set); each batch is
// converted to Scalars when it is asked for, so a full run never holds 60000×784 Scalars
// (376 MB in double).
//
// The book's load_mnist(normalize, flatten, one_hot_label) options, as enums:
//   PixelScale::kUnit   x = pixel / 255 in [0, 1]      kByte: x = pixel in 0 … 255
//              kUnitFloat32  x = float32(pixel) / 255 in float, widened: the book's exact values
//   ImageLayout::kFlat  x (B, 784)                     kImage: x (B, 1, 28, 28), channel first
//   LabelFormat::kIndex t (B,) the digit 0 … 9         kOneHot: t (B, 10)
//
//   MnistDataset train = load_mnist(MnistSplit::kTrain, {PixelScale::kUnit, ImageLayout::kFlat, LabelFormat::kOneHot});
//   TensorDataset few = first_samples(train, 3);     // x (3, 784), t (3, 10): for gradient checks
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/paths.hpp"
#include "data/dataset.hpp"
#include "data/idx.hpp"
#include "tensor/labels.hpp"

namespace scratch {

inline constexpr std::size_t kMnistRows = 28;
inline constexpr std::size_t kMnistCols = 28;
inline constexpr std::size_t kMnistPixels = kMnistRows * kMnistCols;  // 784
inline constexpr std::size_t kMnistClasses = 10;
inline constexpr std::size_t kMnistTrainCount = 60000;
inline constexpr std::size_t kMnistTestCount = 10000;

// The four file names, as on the MNIST site without ".gz".
inline constexpr const char* kMnistTrainImages = "train-images-idx3-ubyte";
inline constexpr const char* kMnistTrainLabels = "train-labels-idx1-ubyte";
inline constexpr const char* kMnistTestImages = "t10k-images-idx3-ubyte";
inline constexpr const char* kMnistTestLabels = "t10k-labels-idx1-ubyte";

// Every chapter uses kUnit (the default): pixel / 255 divided in Scalar, the nearest double to the
// true quotient. The book's normalize=True divides in float32 (x.astype(np.float32) / 255.0) and
// then multiplies by float64 weights, so its inputs are the float32 quotients widened to double:
// kUnitFloat32, used by chapter 4's --rng numpy to replay the book. The two differ from the 8th
// significant digit on (1/255: 0.00392156862745098 against 0.003921568859368563); 0 and 1 agree.
enum class PixelScale {
  kUnit,         // pixel / 255 in Scalar, in [0, 1]: normalize=True without float32's rounding
  kByte,         // the pixel value 0 … 255 as a Scalar
  kUnitFloat32,  // float(pixel) / 255.0f, correctly rounded to float, then widened: the book's values
};

enum class ImageLayout {
  kFlat,   // x (B, 784): one row of pixels per image, for Affine layers (flatten=True)
  kImage,  // x (B, 1, 28, 28): one channel of 28 rows × 28 columns, for convolutions
};

struct MnistOptions {
  PixelScale pixels = PixelScale::kUnit;
  ImageLayout layout = ImageLayout::kFlat;
  LabelFormat labels = LabelFormat::kIndex;  // the book's default, one_hot_label=False
};

enum class MnistSplit { kTrain, kTest };

class MnistDataset : public Dataset {
 public:
  // Reads an image file (magic 0x00000803) and a label file (0x00000801), each raw or gzip.
  // Throws IoError/FormatError from read_idx, and FormatError when the images are not 28×28, a
  // label is not a digit 0 … 9, or the two files disagree on the number of samples.
  MnistDataset(const fs::path& images_file, const fs::path& labels_file, MnistOptions options = {});

  std::size_t size() const override { return labels_.size(); }

  // x (B, 784) or (B, 1, 28, 28) and t (B,) or (B, 10) for the samples order[begin … end-1],
  // converted from bytes per the options. x and t keep their memory when the shapes are unchanged.
  void batch(const std::vector<std::size_t>& order, std::size_t begin, std::size_t end, Tensor& x,
             Tensor& t) const override;

  const MnistOptions& options() const { return options_; }
  // Changes how later batches are presented; cheap (the bytes are untouched).
  void set_options(MnistOptions options);

  // Sample i's 784 pixels (row-major, 0 = white background, 255 = ink) and its digit.
  const std::uint8_t* pixels(std::size_t i) const { return &pixels_[i * kMnistPixels]; }
  int label(std::size_t i) const { return labels_[i]; }

 private:
  std::vector<std::uint8_t> pixels_;  // N × 784
  std::vector<std::uint8_t> labels_;  // N
  MnistOptions options_;
};

// `name`.gz in dir if it exists, else `name`; IoError saying where it looked and how to get the
// files (make data, data/fetch_mnist.sh, or SCRATCH_DATA_DIR) when neither exists.
fs::path find_mnist_file(const fs::path& dir, const char* name);

// One split from dir. Also checks the count: 60000 training or 10000 test samples, so a truncated
// or swapped file is caught here rather than as a strange accuracy later.
MnistDataset load_mnist(MnistSplit split, MnistOptions options = {}, const fs::path& dir = data_dir());

struct Mnist {
  MnistDataset train;
  MnistDataset test;
};

// Both splits, with the same options.
Mnist load_mnist(MnistOptions options = {}, const fs::path& dir = data_dir());

}  // namespace scratch

// bad_inputs_data.cpp — bad inputs to the data side (data/dataset.hpp, batches.hpp, labels.hpp,
// synthetic.hpp, idx.hpp, mnist.hpp): batch sizes of 0 or beyond the data, labels out of range,
// and IDX/MNIST files that are missing, truncated or not what they claim. tests/data/test_idx.cpp
// has the detailed IDX messages; here each kind of broken file is one row of the same table.
// Row format: bad_input.hpp.
#include <limits>

#include "data/data_files.hpp"
#include "robustness/bad_input.hpp"

namespace scratch::test {
namespace {

Tensor zeros(const Shape& shape) { return Tensor::zeros(shape); }
Tensor values(const Shape& shape, std::vector<Scalar> v) { return Tensor::from_vector(shape, std::move(v)); }

// One folder for every file the rows write; it is removed when the test program ends.
const TempDir& files() {
  static const TempDir dir;
  return dir;
}

// Writes `bytes` as files()/name (raw or gzip) and returns its path.
fs::path file(const std::string& name, const std::vector<std::uint8_t>& bytes,
              Compression compression = Compression::kNone) {
  const fs::path path = files() / name;
  write_bytes(path, bytes, compression);
  return path;
}

std::vector<std::uint8_t> idx(const std::vector<std::uint32_t>& dims, std::size_t data_bytes, std::uint8_t value = 1) {
  return join_bytes(idx_header(dims), std::vector<std::uint8_t>(data_bytes, value));
}

// Two 28×28 MNIST images and two labels, each one valid on its own.
fs::path images2() { return file("images2", idx({2, 28, 28}, 2 * 784), Compression::kGzip); }
fs::path labels(std::vector<std::uint8_t> digits) {
  return file("labels" + std::to_string(digits.size()),
              join_bytes(idx_header({static_cast<std::uint32_t>(digits.size())}), digits));
}

MnistDataset mnist2() { return MnistDataset(images2(), labels({3, 7})); }

const Scalar kNaN = std::numeric_limits<Scalar>::quiet_NaN();

}  // namespace

BadInputs data_bad_inputs() {
  // One row per bad input, kept as a table:
  // clang-format off
  constexpr auto S = Expect::kShapeError;
  constexpr auto V = Expect::kValueError;
  constexpr auto F = Expect::kFormatError;
  constexpr auto I = Expect::kIoError;
  return {
      // ---- TensorDataset, MiniBatches, first_samples ----
      {"TensorDataset: x and t disagree on N",
       [] { TensorDataset(zeros({5, 2}), zeros({4})); }, S, {"TensorDataset", "(5, 2)", "(4,)"}},
      {"TensorDataset: 0-d x", [] { TensorDataset(Tensor::scalar(1), zeros({1})); }, S, {"TensorDataset", "()"}},
      {"TensorDataset: batch positions past the order",
       [] {
         Tensor x, t;
         TensorDataset(zeros({3, 2}), zeros({3})).batch({0, 1}, 0, 3, x, t);
       },
       S,
       {"take_rows", "[0, 3)", "length 2"}},
      {"TensorDataset: a sample that does not exist",
       [] {
         Tensor x, t;
         TensorDataset(zeros({3, 2}), zeros({3})).batch({0, 3}, 0, 2, x, t);
       },
       S,
       {"take_rows", "row 3", "(3, 2)"}},
      {"MiniBatches: batch size 0",
       [] {
         const TensorDataset data(zeros({5, 2}), zeros({5}));
         MiniBatches(data, 0);
       },
       V,
       {"MiniBatches", "batch size", "got 0"}},
      {"MiniBatches: batch size larger than the data",
       [] {
         const TensorDataset data(zeros({5, 2}), zeros({5}));
         MiniBatches(data, 6);
       },
       V,
       {"MiniBatches", "batch size 6", "(5 samples)"}},
      {"MiniBatches: an empty data set",
       [] {
         const TensorDataset data(zeros({0, 2}), zeros({0}));
         MiniBatches(data, 1);
       },
       V,
       {"MiniBatches", "empty"}},
      {"first_samples: more than there are",
       [] {
         const TensorDataset data(zeros({5, 2}), zeros({5}));
         first_samples(data, 6);
       },
       V,
       {"first_samples", "6 samples", "only 5"}},
      // ---- labels ----
      {"one_hot: 2-d indices", [] { one_hot(zeros({2, 1}), 3); }, S, {"one_hot", "(2, 1)", "(N,)"}},
      {"one_hot: 0 classes", [] { one_hot(zeros({2}), 0); }, V, {"one_hot", "at least 1"}},
      {"one_hot: index 3 of 3 classes",
       [] { one_hot(values({2}, {0, 3}), 3); }, V, {"one_hot", "indices[1] = 3", "[0, 3)"}},
      {"one_hot: negative index", [] { one_hot(values({1}, {-1}), 3); }, V, {"one_hot", "indices[0] = -1"}},
      {"one_hot: fractional index", [] { one_hot(values({1}, {0.5}), 3); }, V, {"one_hot", "indices[0] = 0.5"}},
      {"one_hot: NaN index", [] { one_hot(values({1}, {kNaN}), 3); }, V, {"one_hot", "nan"}},
      {"class_indices: 1-d labels", [] { class_indices(zeros({3})); }, S, {"class_indices", "(3,)", "(N, C)"}},
      {"class_indices: rows without classes", [] { class_indices(zeros({3, 0})); }, S, {"class_indices", "(3, 0)"}},
      // ---- synthetic sets ----
      {"make_argmax_set: 0 samples",
       [] {
         Rng rng(1);
         make_argmax_set(rng, {0, 5, 3});
       },
       V,
       {"make_argmax_set", "at least 1", "got 0, 5 and 3"}},
      {"make_argmax_set: 0 classes",
       [] {
         Rng rng(1);
         make_argmax_set(rng, {10, 5, 0});
       },
       V,
       {"make_argmax_set", "got 10, 5 and 0"}},
      {"make_spiral: 0 points per class",
       [] {
         Rng rng(1);
         make_spiral(rng, {0, 3});
       },
       V,
       {"make_spiral", "got 0 and 3"}},
      {"make_spiral: negative noise",
       [] {
         Rng rng(1);
         make_spiral(rng, {10, 3, -0.1});
       },
       V,
       {"make_spiral", "noise", "-0.1"}},
      {"make_spiral: infinite noise",
       [] {
         Rng rng(1);
         make_spiral(rng, {10, 3, std::numeric_limits<Scalar>::infinity()});
       },
       V,
       {"make_spiral", "noise", "inf"}},
      // ---- read_idx, write_idx ----
      {"read_idx: ndim 0", [] { read_idx(images2(), 0); }, V, {"read_idx", "ndim", "got 0"}},
      {"read_idx: a missing file",
       [] { read_idx(files() / "missing.gz", 1); },
       I,
       {"read_idx", "missing.gz", "does not exist"}},
      {"read_idx: a folder", [] { read_idx(files().path(), 1); }, I, {"read_idx", "is a folder"}},
      {"read_idx: an empty file", [] { read_idx(file("empty", {}), 1); }, F, {"read_idx", "empty", "0 bytes"}},
      {"read_idx: an HTML error page",
       [] { read_idx(file("page", {'<', 'h', 't', 'm', 'l', '>'}), 1); }, F, {"read_idx", "page", "HTML"}},
      {"read_idx: float elements",
       [] { read_idx(file("floats", join_bytes(idx_header({1}, 0x0D), {0, 0, 0, 0})), 1); }, F,
       {"read_idx", "floats", "type 0x0d"}},
      {"read_idx: labels where images are expected",
       [] { read_idx(labels({1, 2}), 3); }, F, {"read_idx", "labels2", "1 dimensions", "3 were expected", "swapped"}},
      {"read_idx: truncated header",
       [] { read_idx(file("cut", {0, 0, 8, 3, 0, 0}), 3); }, F, {"read_idx", "cut", "ends inside its header"}},
      {"read_idx: truncated data (gzip)",
       [] { read_idx(file("short.gz", idx({10}, 4), Compression::kGzip), 1); },
       F,
       {"read_idx", "short.gz", "holds 4 bytes", "promises 10"}},
      {"read_idx: trailing bytes",
       [] { read_idx(file("long", idx({2}, 5)), 1); },
       F,
       {"read_idx", "long", "3 bytes after the 2"}},
      {"read_idx: corrupt gzip",
       [] { read_idx(file("corrupt.gz", {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff}), 1); }, F,
       {"read_idx", "corrupt.gz", "gzip"}},
      {"read_idx: dimensions whose product overflows",
       [] { read_idx(file("huge", idx_header({0xffffffffu, 0xffffffffu, 0xffffffffu})), 3); }, F,
       {"read_idx", "huge", "overflows"}},
      {"write_idx: dims that do not match the bytes",
       [] { write_idx(files() / "w", {2, 3}, {1, 2}, Compression::kNone); }, V,
       {"write_idx", "2 × 3", "6 values", "2 bytes"}},
      {"write_idx: no dims", [] { write_idx(files() / "w", {}, {}, Compression::kGzip); }, V, {"write_idx", "got 0"}},
      {"write_idx: a dimension beyond 32 bits",
       [] { write_idx(files() / "w", {std::size_t{1} << 33}, {}, Compression::kNone); },
       V,
       {"write_idx", "8589934592"}},
      {"write_idx: below a file", [] { write_idx("/dev/null/x.gz", {1}, {1}, Compression::kGzip); }, I, {"/dev/null"}},
      // ---- MNIST ----
      {"MnistDataset: images of 28×27 pixels",
       [] { MnistDataset(file("img27", idx({2, 28, 27}, 2 * 28 * 27)), labels({1, 2})); }, F,
       {"mnist", "img27", "28×27", "28×28"}},
      {"MnistDataset: 2 images, 3 labels",
       [] { MnistDataset(images2(), labels({1, 2, 3})); }, F, {"mnist", "2 images", "3 labels", "same split"}},
      {"MnistDataset: label 10",
       [] { MnistDataset(images2(), labels({3, 10})); }, F, {"mnist", "label 1", "is 10", "0 … 9"}},
      {"MnistDataset: image and label files swapped",
       [] { MnistDataset(labels({3, 7}), images2()); }, F, {"read_idx", "swapped"}},
      {"MnistDataset: batch past the order",
       [] {
         Tensor x, t;
         mnist2().batch({0, 1}, 1, 3, x, t);
       },
       S,
       {"mnist batch", "[1, 3)", "length 2"}},
      {"MnistDataset: a sample that does not exist",
       [] {
         Tensor x, t;
         mnist2().batch({0, 2}, 0, 2, x, t);
       },
       S,
       {"mnist batch", "sample 2", "2 samples"}},
      {"find_mnist_file: nothing there",
       [] { find_mnist_file(files().path(), kMnistTrainImages); },
       I,
       {"mnist", "train-images-idx3-ubyte.gz", "make data"}},
      {"load_mnist: a folder with too few samples",
       [] {
         write_idx(files() / "t10k-images-idx3-ubyte.gz", {2, 28, 28}, std::vector<std::uint8_t>(2 * 784),
                   Compression::kGzip);
         write_idx(files() / "t10k-labels-idx1-ubyte.gz", {2}, {1, 2}, Compression::kGzip);
         load_mnist(MnistSplit::kTest, {}, files().path());
       },
       F,
       {"mnist", "2 samples", "10000"}},
  };
  // clang-format on
}

}  // namespace scratch::test

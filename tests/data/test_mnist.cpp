// test_mnist.cpp — the MNIST loader on five tiny 28×28 "images" written by the test (never the real
// files): every combination of the options, batches in any order, and the consistency checks.
#include <cstdlib>

#include "data/data_files.hpp"

using namespace scratch;
using namespace scratch::test;

namespace {

constexpr std::size_t kCount = 5;
const std::vector<std::uint8_t> kLabels = {3, 0, 9, 1, 7};

// Pixel p of image i is (37·i + p) mod 256, so every image and every pixel differs.
std::uint8_t pixel(std::size_t i, std::size_t p) { return static_cast<std::uint8_t>((37 * i + p) % 256); }

std::vector<std::uint8_t> image_bytes(std::size_t count) {
  std::vector<std::uint8_t> bytes(count * kMnistPixels);
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t p = 0; p < kMnistPixels; ++p) bytes[i * kMnistPixels + p] = pixel(i, p);
  return bytes;
}

// Writes the tiny set as train-images-idx3-ubyte.gz (gzip) and train-labels-idx1-ubyte (raw).
struct TinyMnist {
  TempDir dir;
  fs::path images = dir / "train-images-idx3-ubyte.gz";
  fs::path labels = dir / "train-labels-idx1-ubyte";
  TinyMnist() {
    write_idx(images, {kCount, 28, 28}, image_bytes(kCount), Compression::kGzip);
    write_idx(labels, {kCount}, kLabels, Compression::kNone);
  }
};

const std::vector<std::size_t> kOrder = {4, 2, 0, 3, 1};

}  // namespace

BOOST_AUTO_TEST_SUITE(data_mnist)

BOOST_AUTO_TEST_CASE(default_options_are_the_books_unit_flat_index) {
  TinyMnist files;
  const MnistDataset data(files.images, files.labels);
  BOOST_TEST(data.size() == kCount);
  BOOST_TEST(data.label(2) == 9);
  BOOST_TEST(data.pixels(1)[5] == pixel(1, 5));
  Tensor x, t;
  data.batch(kOrder, 1, 4, x, t);  // samples 2, 0, 3
  BOOST_TEST(shape_string(x.shape()) == "(3, 784)");
  BOOST_TEST(shape_string(t.shape()) == "(3,)");
  // x[0, 100] is pixel 100 of image 2: (37·2 + 100) mod 256 = 174, normalised 174 / 255.
  BOOST_TEST(x(0, 100) == Scalar(174) / Scalar(255));
  BOOST_TEST(x(1, 0) == 0);  // image 0, pixel 0: 0
  for (std::size_t b = 0; b < 3; ++b)
    for (std::size_t p = 0; p < kMnistPixels; ++p)
      BOOST_REQUIRE(x(b, p) == Scalar(pixel(kOrder[1 + b], p)) / Scalar(255));
  BOOST_TEST(x.min() >= 0);
  BOOST_TEST(x.max() <= 1);
  expect_allclose(t, Tensor::from_vector({3}, {9, 3, 1}));
}

BOOST_AUTO_TEST_CASE(byte_pixels_image_layout_and_one_hot_labels) {
  TinyMnist files;
  const MnistDataset data(files.images, files.labels, {PixelScale::kByte, ImageLayout::kImage, LabelFormat::kOneHot});
  Tensor x, t;
  data.batch(kOrder, 0, 2, x, t);  // samples 4, 2
  BOOST_TEST(shape_string(x.shape()) == "(2, 1, 28, 28)");
  BOOST_TEST(shape_string(t.shape()) == "(2, 10)");
  // x[0, 0, 3, 5] is pixel 3·28 + 5 = 89 of image 4: (148 + 89) mod 256 = 237, unscaled.
  BOOST_TEST(x.at({0, 0, 3, 5}) == 237);
  BOOST_TEST(x.at({1, 0, 27, 27}) == pixel(2, 783));
  // Labels 7 and 9, one-hot.
  Tensor expected = Tensor::zeros({2, 10});
  expected(0, 7) = 1;
  expected(1, 9) = 1;
  expect_allclose(t, expected);
}

BOOST_AUTO_TEST_CASE(unit_float32_pixels_are_the_books_float32_quotients) {
  if (kScalarIsFloat) return;  // in a float build kUnit and kUnitFloat32 hold the same floats
  TinyMnist files;
  const MnistDataset data(files.images, files.labels, {PixelScale::kUnitFloat32, ImageLayout::kFlat, LabelFormat::kIndex});
  Tensor x, t;
  data.batch(kOrder, 2, 3, x, t);  // sample 0, whose pixel p is p for p < 256
  // The book: x.astype(np.float32); x /= 255.0. NumPy 1.24.2, printed with
  // print([repr(float(np.float32(p)/np.float32(255.0))) for p in (1, 2, 3, 50, 128, 171, 254)])
  const std::vector<std::size_t> p = {1, 2, 3, 50, 128, 171, 254};
  const std::vector<double> numpy = {0.003921568859368563, 0.007843137718737125, 0.0117647061124444,
                                     0.19607843458652496,  0.501960813999176,    0.6705882549285889,
                                     0.9960784316062927};
  for (std::size_t i = 0; i < p.size(); ++i) BOOST_TEST(static_cast<double>(x(0, p[i])) == numpy[i]);
  BOOST_TEST(x(0, 0) == 0);
  BOOST_TEST(x(0, 255) == 1);
  // All 256 values, summed in order. x = np.arange(256, dtype=np.uint8).astype(np.float32); x /= 255.0
  // print(repr(float(np.cumsum(x.astype(np.float64))[-1])))
  double sum = 0;
  for (std::size_t q = 0; q < 256; ++q) sum += static_cast<double>(x(0, q));
  BOOST_TEST(sum == 128.0000025429763);
  // kUnit, the chapters' default, keeps the double quotient: 1/255 = 0.00392156862745098 (repr(1/255.0)).
  const MnistDataset unit(files.images, files.labels);
  unit.batch(kOrder, 2, 3, x, t);
  BOOST_TEST(static_cast<double>(x(0, 1)) == 0.00392156862745098);
}

BOOST_AUTO_TEST_CASE(set_options_changes_later_batches_and_buffers_are_reused) {
  TinyMnist files;
  MnistDataset data(files.images, files.labels);
  Tensor x, t;
  data.batch(kOrder, 0, 2, x, t);
  const Scalar* x_memory = x.data();
  data.batch(kOrder, 2, 4, x, t);
  BOOST_TEST(x.data() == x_memory);  // same batch size: no new allocation
  data.set_options({PixelScale::kByte, ImageLayout::kFlat, LabelFormat::kOneHot});
  data.batch(kOrder, 2, 4, x, t);
  BOOST_TEST(x(0, 1) == pixel(0, 1));
  BOOST_TEST(shape_string(t.shape()) == "(2, 10)");
  BOOST_TEST(t(1, 1) == 1);  // sample 3's label is 1
}

BOOST_AUTO_TEST_CASE(first_samples_keeps_the_batch_axis_even_for_one_sample) {
  // One of the seeds fed a single sample of shape (784,) where the net expects (1, 784).
  TinyMnist files;
  const MnistDataset data(files.images, files.labels, {PixelScale::kUnit, ImageLayout::kFlat, LabelFormat::kOneHot});
  const TensorDataset one = first_samples(data, 1);
  BOOST_TEST(shape_string(one.x().shape()) == "(1, 784)");
  BOOST_TEST(shape_string(one.t().shape()) == "(1, 10)");
  BOOST_TEST(one.t()(0, 3) == 1);
  const TensorDataset all = first_samples(data, kCount);
  expect_allclose(class_indices(all.t()), Tensor::from_vector({5}, {3, 0, 9, 1, 7}));
  BOOST_CHECK_THROW(first_samples(data, kCount + 1), ValueError);
}

BOOST_AUTO_TEST_CASE(batch_rejects_positions_and_samples_out_of_range) {
  TinyMnist files;
  const MnistDataset data(files.images, files.labels);
  Tensor x, t;
  BOOST_CHECK_THROW(data.batch(kOrder, 3, 6, x, t), ShapeError);
  const std::vector<std::size_t> bad = {0, 5};
  expect_mentions(error_message<ShapeError>([&] { data.batch(bad, 0, 2, x, t); }), "sample 5 does not exist");
}

BOOST_AUTO_TEST_CASE(inconsistent_files_are_format_errors) {
  TempDir dir;
  write_idx(dir / "images", {kCount, 28, 28}, image_bytes(kCount), Compression::kNone);
  write_idx(dir / "four-labels", {4}, {1, 2, 3, 4}, Compression::kNone);
  expect_mentions(error_message<FormatError>([&] { MnistDataset(dir / "images", dir / "four-labels"); }),
                  "has 5 images but");
  write_idx(dir / "bad-labels", {kCount}, {1, 2, 10, 4, 5}, Compression::kNone);
  expect_mentions(error_message<FormatError>([&] { MnistDataset(dir / "images", dir / "bad-labels"); }), "label 2 in");
  write_idx(dir / "small-images", {2, 27, 28}, std::vector<std::uint8_t>(2 * 27 * 28), Compression::kNone);
  expect_mentions(error_message<FormatError>([&] { MnistDataset(dir / "small-images", dir / "four-labels"); }),
                  "are 27×28 pixels but MNIST's are 28×28");
  expect_mentions(error_message<FormatError>([&] { MnistDataset(dir / "four-labels", dir / "images"); }), "swapped");
}

BOOST_AUTO_TEST_CASE(finds_gz_first_then_raw_and_explains_missing_files) {
  TinyMnist files;
  BOOST_TEST(find_mnist_file(files.dir.path(), kMnistTrainImages) == files.images);  // only .gz exists
  BOOST_TEST(find_mnist_file(files.dir.path(), kMnistTrainLabels) == files.labels);  // only raw exists
  write_idx(files.dir / "train-labels-idx1-ubyte.gz", {kCount}, kLabels, Compression::kGzip);
  BOOST_TEST(find_mnist_file(files.dir.path(), kMnistTrainLabels) == files.dir / "train-labels-idx1-ubyte.gz");

  const std::string missing = error_message<IoError>([&] { find_mnist_file(files.dir.path(), kMnistTestImages); });
  expect_mentions(missing, "cannot find t10k-images-idx3-ubyte.gz (or t10k-images-idx3-ubyte) in");
  expect_mentions(missing, files.dir.path().string());
  expect_mentions(missing, "run \"make data\" (or data/fetch_mnist.sh), or set SCRATCH_DATA_DIR");
}

BOOST_AUTO_TEST_CASE(load_mnist_uses_scratch_data_dir_and_checks_the_split_size) {
  TinyMnist files;
  const ScopedEnv env("SCRATCH_DATA_DIR", files.dir.path().string());
  BOOST_TEST(data_dir() == files.dir.path());
  // The files are found (a .gz and a raw one) and read, but 5 samples are not MNIST's 60000.
  const std::string count = error_message<FormatError>([] { load_mnist(MnistSplit::kTrain); });
  expect_mentions(count, "has 5 samples but MNIST's training set has 60000");
  // The test split is missing altogether: the message says where it looked and where that came from.
  const std::string missing = error_message<IoError>([] { load_mnist(MnistSplit::kTest); });
  expect_mentions(missing, "(from SCRATCH_DATA_DIR)");
  expect_mentions(missing, "make data");
}

BOOST_AUTO_TEST_SUITE_END()

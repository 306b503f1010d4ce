// test_idx.cpp — IDX reading and writing on tiny files the tests write themselves, raw and gzip,
// and every way a file can be broken.
#include "data/data_files.hpp"

using namespace scratch;
using namespace scratch::test;

namespace {

// Three "images" of 2×4 pixels: bytes 0, 1, …, 23.
const std::vector<std::uint32_t> kDims = {3, 2, 4};
std::vector<std::uint8_t> pixels_0_to_23() {
  std::vector<std::uint8_t> bytes(24);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i);
  return bytes;
}

const Compression kBothCompressions[] = {Compression::kNone, Compression::kGzip};

}  // namespace

BOOST_AUTO_TEST_SUITE(data_idx)

BOOST_AUTO_TEST_CASE(reads_hand_written_files_raw_and_gzip) {
  TempDir dir;
  for (const Compression c : kBothCompressions) {
    const fs::path path = dir / "images";
    write_bytes(path, join_bytes(idx_header(kDims), pixels_0_to_23()), c);
    const IdxArray a = read_idx(path, 3);
    BOOST_TEST(a.dims == (std::vector<std::size_t>{3, 2, 4}), boost::test_tools::per_element());
    BOOST_TEST(a.count() == 3u);
    BOOST_TEST(a.bytes == pixels_0_to_23(), boost::test_tools::per_element());
    BOOST_TEST(a.path == path);
    // The buffer grew to exactly what the header promised, not more.
    BOOST_TEST(a.bytes.capacity() == 24u);
  }
}

BOOST_AUTO_TEST_CASE(write_then_read_round_trips_and_writes_the_chosen_encoding) {
  TempDir dir;
  std::vector<std::uint8_t> labels = {5, 0, 4, 1, 9, 2, 1, 3, 1, 4};
  write_idx(dir / "labels.gz", {10}, labels, Compression::kGzip);
  write_idx(dir / "labels", {10}, labels, Compression::kNone);
  BOOST_TEST(read_idx(dir / "labels.gz", 1).bytes == labels, boost::test_tools::per_element());
  BOOST_TEST(read_idx(dir / "labels", 1).bytes == labels, boost::test_tools::per_element());
  // On disk: the raw file starts with the magic 00 00 08 01 and the count 10; the gzip one with 1f 8b.
  std::ifstream raw(dir / "labels", std::ios::binary), gz(dir / "labels.gz", std::ios::binary);
  std::vector<char> head(8), gz_head(2);
  raw.read(head.data(), 8);
  gz.read(gz_head.data(), 2);
  BOOST_TEST(head == (std::vector<char>{0, 0, 8, 1, 0, 0, 0, 10}), boost::test_tools::per_element());
  BOOST_TEST(static_cast<unsigned char>(gz_head[0]) == 0x1fu);
  BOOST_TEST(static_cast<unsigned char>(gz_head[1]) == 0x8bu);
  BOOST_TEST(fs::file_size(dir / "labels") == 8u + 10u);
  // A gzip file is recognised by its content, whatever its name.
  fs::rename(dir / "labels.gz", dir / "plain-name");
  BOOST_TEST(read_idx(dir / "plain-name", 1).bytes == labels, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(write_idx_rejects_dims_that_do_not_match_the_data) {
  TempDir dir;
  expect_mentions(error_message<ValueError>([&] {
                    write_idx(dir / "x", {2, 3}, {1, 2, 3}, Compression::kNone);
                  }),
                  "hold 6 values but 3 bytes");
  BOOST_CHECK_THROW(write_idx(dir / "x", {}, {}, Compression::kNone), ValueError);
  BOOST_TEST(!fs::exists(dir / "x"));
}

BOOST_AUTO_TEST_CASE(missing_file_and_folder_are_io_errors_naming_the_path) {
  TempDir dir;
  const std::string message = error_message<IoError>([&] { read_idx(dir / "nope-idx3-ubyte.gz", 3); });
  expect_mentions(message, "nope-idx3-ubyte.gz");
  expect_mentions(message, "does not exist");
  expect_mentions(error_message<IoError>([&] { read_idx(dir.path(), 3); }), "is a folder");
}

BOOST_AUTO_TEST_CASE(empty_and_cut_header_files_say_truncated) {
  TempDir dir;
  for (const Compression c : kBothCompressions) {
    write_bytes(dir / "empty", {}, c);
    expect_mentions(error_message<FormatError>([&] { read_idx(dir / "empty", 1); }), "holds only 0 bytes");
    write_bytes(dir / "cut", {0, 0, 8, 3, 0, 0, 0, 3, 0, 0}, c);  // stops inside the second dimension
    expect_mentions(error_message<FormatError>([&] { read_idx(dir / "cut", 3); }), "ends inside its header");
  }
}

BOOST_AUTO_TEST_CASE(wrong_magic_names_the_bytes_and_a_likely_cause) {
  TempDir dir;
  write_bytes(dir / "page", {'<', '!', 'D', 'O', 'C', 'T', 'Y', 'P', 'E'}, Compression::kNone);
  const std::string html = error_message<FormatError>([&] { read_idx(dir / "page", 3); });
  expect_mentions(html, "is not an IDX file: it starts with 3c 21 44 4f");
  expect_mentions(html, "HTML page");
  expect_mentions(html, "make data");

  // Compressed twice: after one gunzip the content still starts with 1f 8b.
  write_bytes(dir / "inner.gz", join_bytes(idx_header({2}), {1, 2}), Compression::kGzip);
  std::ifstream inner(dir / "inner.gz", std::ios::binary);
  const std::vector<std::uint8_t> gz_bytes((std::istreambuf_iterator<char>(inner)), std::istreambuf_iterator<char>());
  write_bytes(dir / "twice.gz", gz_bytes, Compression::kGzip);
  expect_mentions(error_message<FormatError>([&] { read_idx(dir / "twice.gz", 1); }), "compressed twice");
}

BOOST_AUTO_TEST_CASE(wrong_element_type_and_wrong_number_of_dims) {
  TempDir dir;
  write_bytes(dir / "floats", join_bytes(idx_header({2}, 0x0D), std::vector<std::uint8_t>(8)), Compression::kNone);
  expect_mentions(error_message<FormatError>([&] { read_idx(dir / "floats", 1); }), "IDX type 0x0d");

  // A label file (magic 00 00 08 01) where an image file (00 00 08 03) was expected.
  write_bytes(dir / "labels", join_bytes(idx_header({3}), {1, 2, 3}), Compression::kGzip);
  const std::string message = error_message<FormatError>([&] { read_idx(dir / "labels", 3); });
  expect_mentions(
      message,
      "has 1 dimensions (magic 0x00000801, a label file) but 3 were expected (magic 0x00000803, an image file)");
  expect_mentions(message, "swapped");
}

BOOST_AUTO_TEST_CASE(truncated_data_says_how_much_was_there_and_promised) {
  TempDir dir;
  std::vector<std::uint8_t> five = pixels_0_to_23();
  five.resize(5);
  for (const Compression c : kBothCompressions) {
    write_bytes(dir / "short", join_bytes(idx_header(kDims), five), c);
    const std::string message = error_message<FormatError>([&] { read_idx(dir / "short", 3); });
    expect_mentions(message, "holds 5 bytes of data but its header (3 × 2 × 4) promises 24");
    expect_mentions(message, "truncated");
  }
}

BOOST_AUTO_TEST_CASE(a_cut_off_gzip_stream_is_caught_by_zlib) {
  TempDir dir;
  std::vector<std::uint8_t> noise(4000);
  Rng rng(3);
  for (auto& b : noise) b = static_cast<std::uint8_t>(rng.below(256));  // incompressible: the stream is long
  write_bytes(dir / "full.gz", join_bytes(idx_header({4000}), noise), Compression::kGzip);
  std::ifstream in(dir / "full.gz", std::ios::binary);
  std::vector<std::uint8_t> gz((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  gz.resize(gz.size() / 2);
  write_bytes(dir / "half.gz", gz, Compression::kNone);
  const std::string message = error_message<FormatError>([&] { read_idx(dir / "half.gz", 1); });
  expect_mentions(message, "half.gz");
  expect_mentions(message, "truncated");
}

BOOST_AUTO_TEST_CASE(trailing_garbage_is_rejected) {
  TempDir dir;
  for (const Compression c : kBothCompressions) {
    write_bytes(dir / "long", join_bytes(join_bytes(idx_header(kDims), pixels_0_to_23()), {7, 7, 7}), c);
    expect_mentions(error_message<FormatError>([&] { read_idx(dir / "long", 3); }),
                    "has 3 bytes after the 24 its header (3 × 2 × 4) promises");
  }
}

BOOST_AUTO_TEST_CASE(a_header_claiming_two_billion_images_allocates_only_what_arrives) {
  // 2³¹ images of 28×28 would be 1.6 TB. A reader that trusted the header and reserved that much
  // would throw std::bad_alloc here (reported as the wrong exception) or exhaust memory; ours grows
  // its buffer as data arrives and reports how little there really was.
  TempDir dir;
  for (const Compression c : kBothCompressions) {
    write_bytes(dir / "liar", join_bytes(idx_header({1u << 31, 28, 28}), std::vector<std::uint8_t>(1000, 9)), c);
    expect_mentions(error_message<FormatError>([&] { read_idx(dir / "liar", 3); }),
                    "holds 1000 bytes of data but its header (2147483648 × 28 × 28) promises 1683627180032");
  }
  // Dimensions whose product overflows 64 bits are rejected before any reading.
  write_bytes(dir / "huge", idx_header({0xffffffffu, 0xffffffffu, 0xffffffffu}), Compression::kNone);
  expect_mentions(error_message<FormatError>([&] { read_idx(dir / "huge", 3); }), "product overflows");
}

BOOST_AUTO_TEST_CASE(data_larger_than_one_read_chunk_arrives_whole) {
  // 3 MB crosses several 1 MiB reads and buffer doublings.
  TempDir dir;
  std::vector<std::uint8_t> bytes(3000 * 1000);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 7 % 251);
  write_idx(dir / "big.gz", {3000, 1000}, bytes, Compression::kGzip);
  const IdxArray a = read_idx(dir / "big.gz", 2);
  BOOST_TEST(a.bytes.size() == bytes.size());
  BOOST_TEST((a.bytes == bytes));
}

BOOST_AUTO_TEST_SUITE_END()

// test_png_check.cpp — png_problem: a complete PNG passes; every cut-off prefix, every flipped
// bit, trailing bytes and foreign files are each named as a problem.
#include "plot/png_check.hpp"
#include "plot_test_util.hpp"

using namespace scratch;
using namespace scratch::test;
using scratch::plot_detail::png_problem;

BOOST_AUTO_TEST_SUITE(plot_png_check)

BOOST_AUTO_TEST_CASE(a_complete_png_has_no_problem) {
  const TempDir dir;
  write_bytes(dir / "good.png", tiny_png());
  BOOST_TEST(png_problem(dir / "good.png") == "");
}

BOOST_AUTO_TEST_CASE(every_cut_off_prefix_is_a_problem) {
  const TempDir dir;
  const std::string good = tiny_png();
  for (std::size_t n = 0; n < good.size(); ++n) {
    write_bytes(dir / "cut.png", good.substr(0, n));
    const std::string problem = png_problem(dir / "cut.png");
    BOOST_TEST(!problem.empty(), "the first " << n << " of " << good.size() << " bytes passed as a complete PNG");
  }
  write_bytes(dir / "cut.png", good.substr(0, 20));
  BOOST_TEST(png_problem(dir / "cut.png") ==
             "it ends inside chunk IHDR, whose 13 data bytes start at byte 16 of 20 (truncated)");
  write_bytes(dir / "cut.png", good.substr(0, good.size() - 12));
  BOOST_TEST(contains(png_problem(dir / "cut.png"), "it ends after chunk IDAT without an IEND chunk"));
}

BOOST_AUTO_TEST_CASE(every_flipped_bit_is_a_problem) {
  const TempDir dir;
  const std::string good = tiny_png();
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string damaged = good;
      damaged[i] = static_cast<char>(damaged[i] ^ (1 << bit));
      write_bytes(dir / "damaged.png", damaged);
      BOOST_TEST(!png_problem(dir / "damaged.png").empty(), "byte " << i << " bit " << bit << " flipped passed");
    }
  }
}

BOOST_AUTO_TEST_CASE(trailing_bytes_and_foreign_files_are_problems) {
  const TempDir dir;
  write_bytes(dir / "long.png", tiny_png() + "xyz");
  BOOST_TEST(png_problem(dir / "long.png") == "3 bytes follow the IEND chunk");
  write_bytes(dir / "empty.png", "");
  BOOST_TEST(png_problem(dir / "empty.png") == "it is empty");
  write_bytes(dir / "gif.png", "GIF89a, a different format");
  BOOST_TEST(png_problem(dir / "gif.png") == "it does not start with the PNG signature");
  BOOST_TEST(png_problem(dir / "missing.png") == "it cannot be opened");
}

BOOST_AUTO_TEST_SUITE_END()

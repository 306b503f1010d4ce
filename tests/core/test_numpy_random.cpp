// test_numpy_random.cpp — NumpyRandom against numbers NumPy printed (NumPy 1.24.2, Debian 12's
// python3-numpy). Each expected value sits under the Python line that produced it; floats were
// printed with repr, so the comparisons are exact (==), not within a tolerance.
#include <numeric>

#include "core/numpy_random.hpp"
#include "test_util.hpp"

using namespace scratch;

namespace {

// Sequential sum (NumPy's cumsum order, not np.sum's pairwise order).
double running_sum(const std::vector<double>& values) {
  double s = 0.0;
  for (double v : values) s += v;
  return s;
}

void expect_equal_doubles(const std::vector<double>& actual, const std::vector<double>& expected) {
  BOOST_REQUIRE_EQUAL(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    BOOST_TEST_CONTEXT("value " << i) { BOOST_TEST(actual[i] == expected[i]); }
  }
}

void expect_equal_indices(const std::vector<std::size_t>& actual, const std::vector<std::size_t>& expected) {
  BOOST_CHECK_EQUAL_COLLECTIONS(actual.begin(), actual.end(), expected.begin(), expected.end());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(core_numpy_random)

BOOST_AUTO_TEST_CASE(rand_after_seed_0) {
  NumpyRandom np(0);
  // np.random.seed(0); print(repr(np.random.rand(10).tolist()))
  expect_equal_doubles(np.rand(10), {0.5488135039273248, 0.7151893663724195, 0.6027633760716439, 0.5448831829968969,
                                     0.4236547993389047, 0.6458941130666561, 0.4375872112626925, 0.8917730007820798,
                                     0.9636627605010293, 0.3834415188257777});
}

BOOST_AUTO_TEST_CASE(seed_covers_the_whole_32_bit_range_and_rejects_more) {
  NumpyRandom np(4294967295u);
  // np.random.seed(2**32-1); print(repr(np.random.rand(2).tolist()))
  expect_equal_doubles(np.rand(2), {0.0976320289940138, 0.9123828453026218});
  BOOST_CHECK_THROW(np.seed(4294967296ull), ValueError);  // NumPy: "Seed must be between 0 and 2**32 - 1"
}

BOOST_AUTO_TEST_CASE(randn_after_seed_0) {
  NumpyRandom np(0);
  // np.random.seed(0); print(repr(np.random.randn(10).tolist()))
  expect_equal_doubles(np.randn(10), {1.764052345967664, 0.4001572083672233, 0.9787379841057392, 2.240893199201458,
                                      1.8675579901499675, -0.977277879876411, 0.9500884175255894, -0.1513572082976979,
                                      -0.10321885179355784, 0.41059850193837233});
}

BOOST_AUTO_TEST_CASE(randn_after_an_odd_count_starts_from_the_cached_value) {
  NumpyRandom np(0);
  np.randn(3);  // the third value came from a pair: its partner is cached, and comes out next
  // np.random.seed(0); np.random.randn(3); print(repr(np.random.randn(5).tolist()))
  expect_equal_doubles(np.randn(5), {2.240893199201458, 1.8675579901499675, -0.977277879876411, 0.9500884175255894,
                                     -0.1513572082976979});
}

BOOST_AUTO_TEST_CASE(seed_forgets_the_cached_normal) {
  NumpyRandom np(0);
  np.randn(1);
  np.seed(0);
  BOOST_TEST(np.randn() == 1.764052345967664);  // as after a fresh np.random.seed(0)
}

BOOST_AUTO_TEST_CASE(randn_matrix_fills_row_by_row) {
  NumpyRandom np(0);
  // np.random.seed(0); print(repr(np.random.randn(2,3).tolist()))
  // [[1.764052345967664, 0.4001572083672233, 0.9787379841057392],
  //  [2.240893199201458, 1.8675579901499675, -0.977277879876411]]
  // randn(2, 3) is randn(6) in C order: row 0 first.
  expect_equal_doubles(np.randn(2 * 3), {1.764052345967664, 0.4001572083672233, 0.9787379841057392, 2.240893199201458,
                                         1.8675579901499675, -0.977277879876411});
}

BOOST_AUTO_TEST_CASE(long_run_checksums_show_any_drift) {
  NumpyRandom np(0);
  const std::vector<double> z = np.randn(100000);
  // np.random.seed(0); a = np.random.randn(10**5)
  // print(repr(float(np.cumsum(a)[-1])), repr(float(a[-1])), repr(np.random.rand()))
  BOOST_TEST(running_sum(z) == 157.67005081253245);
  BOOST_TEST(z.back() == -1.2852076475754735);
  BOOST_TEST(np.rand() == 0.7915856984816789);  // the cache was empty: 10^5 is even
  np.seed(0);
  // np.random.seed(0); print(repr(float(np.cumsum(np.random.rand(10**5))[-1])))
  BOOST_TEST(running_sum(np.rand(100000)) == 49950.00330115056);
}

BOOST_AUTO_TEST_CASE(permutation_after_seed_0) {
  NumpyRandom np(0);
  // np.random.seed(0); print(np.random.permutation(10).tolist())
  expect_equal_indices(np.permutation(10), {2, 8, 4, 9, 1, 6, 7, 3, 0, 5});
  np.seed(0);
  const std::vector<std::size_t> p = np.permutation(60000);
  // np.random.seed(0); p = np.random.permutation(60000)
  // print(int(np.dot(np.arange(60000, dtype=np.int64), p)), p[:5].tolist())
  std::uint64_t weighted = 0;
  for (std::size_t i = 0; i < p.size(); ++i) weighted += i * p[i];
  BOOST_TEST(weighted == 53999460709267ull);
  expect_equal_indices({p.begin(), p.begin() + 5}, {3048, 19563, 58303, 8870, 40228});
}

BOOST_AUTO_TEST_CASE(choice_with_replacement_after_seed_0) {
  NumpyRandom np(0);
  // np.random.seed(0); print(np.random.choice(60000, 10).tolist())
  expect_equal_indices(np.choice(60000, 10), {2732, 43567, 42613, 52416, 45891, 21243, 30403, 32103, 41993, 57043});
  np.seed(0);
  const std::vector<std::size_t> c = np.choice(60000, 100000);
  // np.random.seed(0); c = np.random.choice(60000, 10**5)
  // print(int(c.sum()), int(np.dot(np.arange(10**5, dtype=np.int64), c)))
  std::uint64_t sum = 0, weighted = 0;
  for (std::size_t i = 0; i < c.size(); ++i) {
    sum += c[i];
    weighted += i * c[i];
  }
  BOOST_TEST(sum == 2992930919ull);
  BOOST_TEST(weighted == 149666642008027ull);
}

BOOST_AUTO_TEST_CASE(choice_beyond_32_bits_draws_64_bit_values_high_word_first) {
  NumpyRandom np(0);
  // np.random.seed(0); print(np.random.choice(2**33, 3).tolist())
  expect_equal_indices(np.choice(std::size_t{1} << 33, 3), {2546248239u, 7921061056u, 7979815675u});
}

BOOST_AUTO_TEST_CASE(one_value_intervals_draw_nothing) {
  NumpyRandom np(0);
  expect_equal_indices(np.choice(1, 3), {0, 0, 0});
  expect_equal_indices(np.permutation(1), {0});
  // np.random.seed(0); np.random.choice(1, 3); np.random.permutation(1); print(np.random.rand())
  BOOST_TEST(np.rand() == 0.5488135039273248);  // the first value after seed(0): nothing was consumed
  BOOST_CHECK_THROW(np.choice(0, 1), ValueError);
  BOOST_TEST(np.choice(0, 0).empty());
}

BOOST_AUTO_TEST_CASE(other_seed_mixed_calls) {
  NumpyRandom np(12345);
  // np.random.seed(12345); print(repr(np.random.rand(3).tolist()), np.random.permutation(5).tolist(), np.random.choice(7, 5).tolist())
  expect_equal_doubles(np.rand(3), {0.9296160928171479, 0.3163755545817859, 0.18391881167709445});
  expect_equal_indices(np.permutation(5), {4, 0, 3, 1, 2});
  expect_equal_indices(np.choice(7, 5), {1, 3, 6, 1, 3});
}

BOOST_AUTO_TEST_SUITE_END()

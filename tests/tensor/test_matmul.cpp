// test_matmul.cpp — the matrix product: a hand-computed case, the fast kernel (gemm) against the
// naive three loops on awkward shapes in every transpose combination and in both float and double,
// bitwise independence of the thread count, buffer reuse, and the error messages.
//
// How close is "close"? Fast and naive add the same K products in different orders. Each differs
// from the exact sum by at most γ_K·Σ_k |a_ik·b_kj| with γ_K = K·ε / (1 − K·ε) (ε = unit roundoff;
// Higham, "Accuracy and Stability of Numerical Algorithms", §3.1), so they differ from each other
// by at most twice that. The tests allow exactly this bound: it cannot fail on a correct kernel, and
// a dropped, doubled or misplaced product (an error of order |a·b|, not ε·|a·b|) breaks it.
#include <cmath>
#include <limits>
#include <vector>

#include "test_util.hpp"

using namespace scratch;
using scratch::test::expect_allclose;
using scratch::test::seeded_randn;

namespace {

struct Case {
  std::size_t m, n, k;  // op(A) is (m, k), op(B) is (k, n)
};

// 1×1, vectors, primes, K = 1, one below/at/above the register tile (8 × 24 doubles, 8 × 48 floats
// with AVX-512; 6 × 8 / 6 × 16 with AVX2), the K block (256), the M block (256 doubles, 512 floats),
// the small-product threshold (2⁹ = 8³: 7×8×9 is below it, 8×8×8 at it), several B panels along N
// (9×500×2000), products too big for L2 that share a packed B panel (520×130×600, 700×40×900;
// the smaller ones read in place or pack privately), and the TwoLayerNet's three products.
const std::vector<Case> kAwkwardCases = {
    {1, 1, 1},       {1, 100, 7},    {100, 1, 7},    {1, 1, 300},    {37, 53, 41},  {64, 70, 1}, {7, 23, 300},
    {8, 24, 256},    {9, 25, 257},   {17, 47, 255},  {16, 48, 513},  {31, 49, 129}, {5, 17, 95}, {6, 16, 64},
    {255, 97, 33},   {257, 50, 100}, {511, 30, 40},  {513, 13, 20},  {7, 8, 9},     {8, 8, 8},   {9, 500, 2000},
    {520, 130, 600}, {700, 40, 900}, {100, 50, 784}, {784, 50, 100}, {100, 784, 50}};

const Transpose kBoth[] = {Transpose::kNo, Transpose::kYes};

// A stored so that op(A) is (rows, cols).
Shape stored_shape(std::size_t rows, std::size_t cols, Transpose t) {
  return t == Transpose::kNo ? Shape{rows, cols} : Shape{cols, rows};
}

std::string describe(const Case& c, Transpose ta, Transpose tb) {
  return concat("M=", c.m, " N=", c.n, " K=", c.k, ta == Transpose::kYes ? " Aᵀ" : " A",
                tb == Transpose::kYes ? " Bᵀ" : " B");
}

// 2·γ_K·max_ij Σ_k |op(A)_ik · op(B)_kj| for unit roundoff `eps` (see the banner).
double sum_order_tolerance(std::size_t k, double eps, double max_abs_sum) {
  const double gamma = double(k) * eps / (1 - double(k) * eps);
  return 2 * gamma * max_abs_sum;
}

// The naive loops for either dtype, for testing gemm<float> and gemm<double> in every build.
template <class T>
std::vector<T> naive_gemm(const Case& c, const std::vector<T>& a, Transpose ta, const std::vector<T>& b, Transpose tb,
                          std::vector<double>* abs_sums) {
  const std::size_t lda = ta == Transpose::kNo ? c.k : c.m, ldb = tb == Transpose::kNo ? c.n : c.k;
  std::vector<T> out(c.m * c.n);
  abs_sums->assign(c.m * c.n, 0);
  for (std::size_t i = 0; i < c.m; ++i)
    for (std::size_t j = 0; j < c.n; ++j) {
      T acc = 0;
      for (std::size_t p = 0; p < c.k; ++p) {
        const T x = ta == Transpose::kNo ? a[i * lda + p] : a[p * lda + i];
        const T y = tb == Transpose::kNo ? b[p * ldb + j] : b[j * ldb + p];
        acc += x * y;
        (*abs_sums)[i * c.n + j] += std::abs(double(x) * double(y));
      }
      out[i * c.n + j] = acc;
    }
  return out;
}

template <class T>
void check_gemm_against_naive() {
  Rng rng(11);
  for (const Case& c : kAwkwardCases) {
    for (Transpose ta : kBoth) {
      for (Transpose tb : kBoth) {
        std::vector<T> a(c.m * c.k), b(c.k * c.n);
        for (T& v : a) v = T(rng.normal());
        for (T& v : b) v = T(rng.normal());
        std::vector<T> fast(c.m * c.n, T(12345));  // garbage: gemm must overwrite every element
        gemm<T>(c.m, c.n, c.k, a.data(), ta == Transpose::kNo ? c.k : c.m, ta, b.data(),
                tb == Transpose::kNo ? c.n : c.k, tb, fast.data(), c.n);
        std::vector<double> abs_sums;
        const std::vector<T> slow = naive_gemm(c, a, ta, b, tb, &abs_sums);
        const double eps = std::numeric_limits<T>::epsilon() / 2;
        std::size_t bad = 0;
        for (std::size_t i = 0; i < fast.size(); ++i)
          if (!(std::abs(double(fast[i]) - double(slow[i])) <= sum_order_tolerance(c.k, eps, abs_sums[i]))) ++bad;
        BOOST_TEST(bad == 0u, describe(c, ta, tb) << " (" << sizeof(T) * 8 << "-bit): " << bad << " of " << fast.size()
                                                  << " elements differ from the naive loops");
      }
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tensor_matmul)

BOOST_AUTO_TEST_CASE(hand_computed_product_and_transposes) {
  // [1 2 3]   [ 7  8]   [1·7 + 2·9 + 3·11   1·8 + 2·10 + 3·12]   [ 58  64]
  // [4 5 6] · [ 9 10] = [4·7 + 5·9 + 6·11   4·8 + 5·10 + 6·12] = [139 154]
  //           [11 12]
  const Tensor a = Tensor::from_rows({{1, 2, 3}, {4, 5, 6}});
  const Tensor b = Tensor::from_rows({{7, 8}, {9, 10}, {11, 12}});
  const Tensor expected = Tensor::from_rows({{58, 64}, {139, 154}});
  BOOST_TEST(array_equal(matmul(a, b), expected));
  BOOST_TEST(array_equal(matmul_naive(a, b), expected));
  // The same product with the operands stored transposed: aᵀ is (3, 2), bᵀ is (2, 3).
  const Tensor at = a.transpose(), bt = b.transpose();
  BOOST_TEST(array_equal(matmul(at, b, Transpose::kYes, Transpose::kNo), expected));
  BOOST_TEST(array_equal(matmul(a, bt, Transpose::kNo, Transpose::kYes), expected));
  BOOST_TEST(array_equal(matmul(at, bt, Transpose::kYes, Transpose::kYes), expected));
  BOOST_TEST(array_equal(matmul_naive(at, bt, Transpose::kYes, Transpose::kYes), expected));
}

BOOST_AUTO_TEST_CASE(fast_matches_naive_on_awkward_shapes) {
  // Through the Tensor API, in the build's Scalar; every transpose combination.
  std::uint64_t seed = 100;
  for (const Case& c : kAwkwardCases) {
    for (Transpose ta : kBoth) {
      for (Transpose tb : kBoth) {
        const Tensor a = seeded_randn(stored_shape(c.m, c.k, ta), ++seed);
        const Tensor b = seeded_randn(stored_shape(c.k, c.n, tb), ++seed);
        const Tensor abs_sums = matmul_naive(abs(a), abs(b), ta, tb);
        const double tolerance =
            sum_order_tolerance(c.k, std::numeric_limits<Scalar>::epsilon() / 2, double(abs_sums.max()));
        const Tensor fast = matmul(a, b, ta, tb);
        BOOST_TEST(shape_string(fast.shape()) == shape_string({c.m, c.n}));
        expect_allclose(fast, matmul_naive(a, b, ta, tb), 0, Scalar(tolerance), describe(c, ta, tb));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(gemm_float_and_double_match_naive) {
  // Both instantiations, whatever Scalar this build uses.
  check_gemm_against_naive<double>();
  check_gemm_against_naive<float>();
}

BOOST_AUTO_TEST_CASE(gemm_honours_row_strides) {
  // op(A), op(B) and C are blocks inside larger row-major arrays (row strides 57, 41, 35): only the
  // blocks are read and only C's block is written. Small integers make every sum exact, so the
  // plain and the blocked path (the second case) must both match exactly.
  const Case cases[] = {{3, 2, 4}, {40, 30, 50}};
  for (const Case& c : cases) {
    for (Transpose ta : kBoth) {
      for (Transpose tb : kBoth) {
        const std::size_t lda = 57, ldb = 41, ldc = 35;
        std::vector<double> a(60 * lda), b(60 * ldb), out(c.m * ldc + 7, -1);
        for (std::size_t i = 0; i < a.size(); ++i) a[i] = double(i % 11) - 5;
        for (std::size_t i = 0; i < b.size(); ++i) b[i] = double(i % 7) - 3;
        gemm<double>(c.m, c.n, c.k, a.data(), lda, ta, b.data(), ldb, tb, out.data(), ldc);
        std::size_t bad = 0;
        for (std::size_t i = 0; i < out.size(); ++i) {
          const std::size_t row = i / ldc, col = i % ldc;
          double expected = -1;
          if (row < c.m && col < c.n) {
            expected = 0;
            for (std::size_t p = 0; p < c.k; ++p)
              expected += (ta == Transpose::kNo ? a[row * lda + p] : a[p * lda + row]) *
                          (tb == Transpose::kNo ? b[p * ldb + col] : b[col * ldb + p]);
          }
          if (out[i] != expected) ++bad;
        }
        BOOST_TEST(bad == 0u, describe(c, ta, tb) << ": " << bad << " elements wrong or written outside C");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(results_do_not_depend_on_the_thread_count) {
  // Large enough to run on several threads (m·n·k ≥ kGemmParallelWork), with several K blocks
  // (K > 256) and M blocks; each element must be summed in the same order, so the results are
  // bitwise equal.
  const int saved = max_threads();
  // {9, 500, 2000} and {40, 500, 2000} need two B panels (the second reads B in place, the first packs it).
  const Case cases[] = {{100, 50, 784}, {784, 50, 100}, {100, 784, 50},  {257, 130, 513},
                        {530, 70, 300}, {9, 500, 2000}, {40, 500, 2000}, {520, 130, 600}};
  std::uint64_t seed = 500;
  for (const Case& c : cases) {
    for (Transpose ta : kBoth) {
      for (Transpose tb : kBoth) {
        const Tensor a = seeded_randn(stored_shape(c.m, c.k, ta), ++seed);
        const Tensor b = seeded_randn(stored_shape(c.k, c.n, tb), ++seed);
        set_threads(1);
        const Tensor one = matmul(a, b, ta, tb);
        set_threads(2);
        const Tensor two = matmul(a, b, ta, tb);
        BOOST_TEST(one.size() == c.m * c.n);
        BOOST_TEST(array_equal(one, two), describe(c, ta, tb) << ": 1 and 2 threads differ");
      }
    }
  }
  if (max_threads() < 2) BOOST_TEST_MESSAGE("built without OpenMP: only one thread was compared");
  set_threads(saved);
}

BOOST_AUTO_TEST_CASE(matmul_inside_a_parallel_loop) {
  // Each iteration of a parallel loop multiplies its own matrices; gemm's work-sharing must not
  // leak into the surrounding loop's threads. Every product must equal the one computed alone.
  const std::size_t count = 8;
  std::vector<Tensor> a, b, expected(count), got(count);
  for (std::size_t i = 0; i < count; ++i) {
    a.push_back(seeded_randn({40 + 10 * i, 100}, 900 + i));  // the last three reach kGemmParallelWork
    b.push_back(seeded_randn({100, 120}, 950 + i));
    expected[i] = matmul(a[i], b[i]);
  }
  const int threads = max_threads();
  set_threads(2);  // the outer loop really runs on 2 threads, whatever the ambient count
  const std::size_t regions = parallel_regions();
  parallel_for(count, kMinParallelWork, [&](std::size_t i) { got[i] = matmul(a[i], b[i]); });
#ifdef _OPENMP
  BOOST_TEST(parallel_regions() > regions);
#endif
  set_threads(threads);
  for (std::size_t i = 0; i < count; ++i) BOOST_TEST(array_equal(got[i], expected[i]), "product " << i);
}

BOOST_AUTO_TEST_CASE(matmul_into_reuses_the_output_buffer) {
  const Tensor a = seeded_randn({30, 40}, 1), b = seeded_randn({40, 20}, 2);
  Tensor c = Tensor::zeros({20, 30});  // same size (600), other shape: resized in place
  const Scalar* memory = c.data();
  matmul_into(c, a, b);
  BOOST_TEST(c.data() == memory);
  BOOST_TEST(shape_string(c.shape()) == "(30, 20)");
  BOOST_TEST(array_equal(c, matmul(a, b)));
  matmul_into(c, b, a, Transpose::kYes, Transpose::kYes);  // (20, 40)·(40, 30): size 600 again
  BOOST_TEST(c.data() == memory);
  BOOST_TEST(array_equal(c, matmul(b, a, Transpose::kYes, Transpose::kYes)));
}

BOOST_AUTO_TEST_CASE(padding_never_leaks_into_the_result) {
  // The kernel computes whole 8-row tiles, padding op(A) with zeros; 0 · inf would be NaN. An
  // infinity in the last real row of B must reach only its own column of C, and a NaN in A only
  // its own row.
  Tensor a = seeded_randn({13, 50}, 3), b = seeded_randn({50, 30}, 4);
  b(49, 29) = std::numeric_limits<Scalar>::infinity();
  a(12, 0) = std::numeric_limits<Scalar>::quiet_NaN();
  const Tensor c = matmul(a, b);
  for (std::size_t i = 0; i < 13; ++i) {
    for (std::size_t j = 0; j < 30; ++j) {
      const bool should_be_finite = i != 12 && j != 29;
      BOOST_TEST(std::isfinite(c(i, j)) == should_be_finite, "C(" << i << ", " << j << ") = " << c(i, j));
    }
  }
}

BOOST_AUTO_TEST_CASE(empty_inner_dimension_gives_zeros) {
  // Σ over no k is 0: (3, 0)·(0, 4) is a (3, 4) matrix of zeros, like NumPy.
  const Tensor c = matmul(Tensor::zeros({3, 0}), Tensor::zeros({0, 4}));
  BOOST_TEST(array_equal(c, Tensor::zeros({3, 4})));
}

BOOST_AUTO_TEST_CASE(shape_errors_name_both_operands) {
  const Tensor a23 = Tensor::zeros({2, 3}), a32 = Tensor::zeros({3, 2});
  const Tensor b45 = Tensor::zeros({4, 5}), b54 = Tensor::zeros({5, 4});
  const auto message = [](auto&& run) -> std::string {
    try {
      run();
    } catch (const ShapeError& e) {
      return e.what();
    }
    return "no ShapeError";
  };
  BOOST_TEST(message([&] { matmul(a23, b45); }) == "matmul: cannot multiply (2, 3) by (4, 5): inner dimensions 3 != 4");
  BOOST_TEST(message([&] { matmul(a32, b45, Transpose::kYes); }) ==
             "matmul: cannot multiply (3, 2)ᵀ by (4, 5): inner dimensions 3 != 4");
  BOOST_TEST(message([&] { matmul(a23, b54, Transpose::kNo, Transpose::kYes); }) ==
             "matmul: cannot multiply (2, 3) by (5, 4)ᵀ: inner dimensions 3 != 4");
  BOOST_TEST(message([&] { matmul_naive(a23, b45); }) ==
             "matmul_naive: cannot multiply (2, 3) by (4, 5): inner dimensions 3 != 4");
  BOOST_TEST(message([&] { matmul(Tensor::zeros({3}), b45); }) ==
             "matmul: needs two 2-d tensors, got (3,) and (4, 5) (reshape vectors to (1, K) or (K, 1))");
  Tensor c;
  BOOST_CHECK_THROW(matmul_into(c, a23, b45), ShapeError);
}

BOOST_AUTO_TEST_CASE(output_must_not_alias_an_input) {
  Tensor a = seeded_randn({4, 4}, 5);
  const Tensor b = seeded_randn({4, 4}, 6);
  const Tensor before = a;
  BOOST_CHECK_THROW(matmul_into(a, a, b), ValueError);
  Tensor b_copy = b;
  BOOST_CHECK_THROW(matmul_into(b_copy, a, b_copy), ValueError);
  BOOST_TEST(array_equal(a, before));  // rejected before anything was written
}

BOOST_AUTO_TEST_SUITE_END()

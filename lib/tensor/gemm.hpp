// gemm.hpp — the fast matrix-product kernel behind scratch::matmul, on raw row-major arrays.
//
//   C = op(A) · op(B)        op(A) is (M, K), op(B) is (K, N), C is (M, N); op(X) is X or Xᵀ
//
// The name and argument order follow BLAS's dgemm (without its alpha and beta), so a learner who
// meets cblas_dgemm later recognises it. Every matrix is row-major: element (i, j) of a matrix with
// row stride ld sits at x[i * ld + j]. A transposed operand is read transposed while it is packed,
// never copied into a transposed matrix first.
//
// gemm is a template instantiated for float and double, so one benchmark binary can measure both;
// the Tensor code uses gemm<Scalar>. How it works is explained at the top of gemm.cpp.
#pragma once

#include <cstddef>

namespace scratch {

// Whether an operand enters the product as stored (kNo) or transposed (kYes).
enum class Transpose { kNo, kYes };

// C = op(A) · op(B), overwriting all m·n elements of C.
//   a: (m, k) with row stride lda when ta == kNo, (k, m) when ta == kYes
//   b: (k, n) with row stride ldb when tb == kNo, (n, k) when tb == kYes
//   c: (m, n) with row stride ldc; must not overlap a or b
// Tiny products (m·n·k < kGemmSmallWork) take three plain loops; the others the blocked kernel,
// on max_threads() threads when m·n·k ≥ kGemmParallelWork. Each element of C is summed in the same
// order whatever the thread count, so results are bitwise independent of it. Safe to call from
// several threads at once, and from inside a parallel region (it then runs on the calling thread).
template <class T>
void gemm(std::size_t m, std::size_t n, std::size_t k, const T* a, std::size_t lda, Transpose ta, const T* b,
          std::size_t ldb, Transpose tb, T* c, std::size_t ldc);

// Below this many multiply-adds (8³) the plain loops are as fast as the blocked kernel, which
// reads small operands in place and so wins from about 12³ on (measured).
inline constexpr std::size_t kGemmSmallWork = std::size_t{1} << 9;
// From this many multiply-adds (about 100³, some 20 µs of work on one core) on, the blocked kernel
// is shared between threads; below it, opening an OpenMP region and waiting at its barriers would
// cost a large part of what the second core saves.
inline constexpr std::size_t kGemmParallelWork = std::size_t{1} << 20;

}  // namespace scratch

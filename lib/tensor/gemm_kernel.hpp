// gemm_kernel.hpp — the innermost part of gemm (see gemm.cpp for the whole picture): the register
// tile, the micro-kernel that updates one tile of C, and the packing routines that feed it.
// Internal to gemm.cpp; nothing else should need it.
//
//   C tile (MR × NR) (+)= Σ_p  op(A)[tile rows, p] ⊗ op(B)[p, tile columns]      p over KC steps
//
// The kernel is plain C++: a GCC vector type (`acc += a * b` on it is one fused multiply-add
// instruction, and a scalar operand is broadcast to every lane), fixed-size loops the compiler
// unrolls, no intrinsics.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "tensor/gemm.hpp"

namespace scratch::gemm_detail {

// ---- the register tile ----------------------------------------------------------------------------
//
// With AVX-512 there are 32 vector registers of 64 bytes (8 doubles or 16 floats). The tile is
// MR = 8 rows × NV = 3 vectors (NR = 24 doubles or 48 floats): 24 registers of accumulators, 3 for
// the row of op(B), and the op(A) values are broadcast straight from memory. Why this shape:
//  - 24 independent accumulators keep both FMA units busy: an FMA takes 4 cycles and Zen 5 starts
//    2 per cycle, so at least 8 must be in flight;
//  - per k step it needs 3 vector loads + 8 broadcasts for 24 FMAs, well under the loads per cycle
//    the core can do, so the kernel is limited by arithmetic, as it should be;
//  - 8 rows suit the network's M = 100: 12 full tiles, and the last 4 rows go to the 4-row kernel.
// Without AVX-512 (e.g. built without -march=native) there are only 16 registers, so the tile
// shrinks to 6 rows × 2 vectors (12 accumulators), the classic AVX2 shape.
#if defined(__AVX512F__)
inline constexpr std::size_t kVectorBytes = 64;
inline constexpr std::size_t kMR = 8;
inline constexpr std::size_t kNV = 3;
#elif defined(__AVX__)
inline constexpr std::size_t kVectorBytes = 32;
inline constexpr std::size_t kMR = 6;
inline constexpr std::size_t kNV = 2;
#else
inline constexpr std::size_t kVectorBytes = 16;  // SSE2, which every x86-64 has
inline constexpr std::size_t kMR = 6;
inline constexpr std::size_t kNV = 2;
#endif

template <class T>
struct Simd {
  typedef T Vec __attribute__((vector_size(kVectorBytes)));        // one register of T
  static constexpr std::size_t kWidth = kVectorBytes / sizeof(T);  // lanes: 8 doubles, 16 floats
  static constexpr std::size_t kNR = kNV * kWidth;                 // tile width: 24 / 48
};

template <class T>
inline typename Simd<T>::Vec load_vec(const T* p) {
  typename Simd<T>::Vec v;
  std::memcpy(&v, p, sizeof v);  // one unaligned vector load; memcpy keeps it free of aliasing rules
  return v;
}

template <class T>
inline void store_vec(T* p, const typename Simd<T>::Vec& v) {
  std::memcpy(p, &v, sizeof v);
}

// ---- where the kernel reads its operands ----------------------------------------------------------
//
// op(A)(r, p) for the tile's MR rows is at data[r·row_step + p·k_step]; op(B)(p, j) for the tile's
// columns is at data[p·k_step + j]. A packed micro-panel (below) has A steps (1, MR) and B step
// NV·W; an operand read in place (gemm.cpp says when) has the steps of the stored matrix.
template <class T>
struct APanel {
  const T* data;
  std::size_t row_step;
  std::size_t k_step;
};

template <class T>
struct BPanel {
  const T* data;
  std::size_t k_step;
};

// Copies op(A)[i0 : i0+rows, p0 : p0+kc] into one micro-panel, k-major: panel[p·MR + r]. When
// rows < MR the rest of the panel is left as it is: the kernel never reads past row `rows`.
template <class T>
void pack_a_panel(const T* a, std::size_t lda, Transpose ta, std::size_t i0, std::size_t rows, std::size_t p0,
                  std::size_t kc, T* panel) {
  if (ta == Transpose::kNo) {
    // op(A)(i, p) = a[i·lda + p]: gather the MR values of step p from MR stored rows.
    const T* src = a + i0 * lda + p0;
    for (std::size_t p = 0; p < kc; ++p)
      for (std::size_t r = 0; r < rows; ++r) panel[p * kMR + r] = src[r * lda + p];
  } else {
    // op(A)(i, p) = a[p·lda + i]: the MR values of one step p are already adjacent.
    for (std::size_t p = 0; p < kc; ++p) {
      const T* src = a + (p0 + p) * lda + i0;
      for (std::size_t r = 0; r < rows; ++r) panel[p * kMR + r] = src[r];
    }
  }
}

// Copies op(B)[p0 : p0+kc, j0 : j0+cols] into one micro-panel `width` columns wide, k-major:
// panel[p·width + j]. width is cols rounded up to whole vectors; the padding columns are zero, so
// the lanes the kernel computes and then discards never see stale memory (a NaN, or a denormal
// that would slow the arithmetic down).
template <class T>
void pack_b_panel(const T* b, std::size_t ldb, Transpose tb, std::size_t p0, std::size_t kc, std::size_t j0,
                  std::size_t cols, std::size_t width, T* panel) {
  if (tb == Transpose::kNo) {
    // op(B)(p, j) = b[p·ldb + j]: each step's row is a contiguous copy.
    for (std::size_t p = 0; p < kc; ++p) {
      const T* src = b + (p0 + p) * ldb + j0;
      T* dst = panel + p * width;
      for (std::size_t j = 0; j < cols; ++j) dst[j] = src[j];
      for (std::size_t j = cols; j < width; ++j) dst[j] = 0;
    }
  } else {
    // op(B)(p, j) = b[j·ldb + p]: gather each panel row from `cols` stored rows.
    const T* src = b + j0 * ldb + p0;
    for (std::size_t p = 0; p < kc; ++p) {
      T* dst = panel + p * width;
      for (std::size_t j = 0; j < cols; ++j) dst[j] = src[j * ldb + p];
      for (std::size_t j = cols; j < width; ++j) dst[j] = 0;
    }
  }
}

// ---- the micro-kernel -------------------------------------------------------------------------------

// Whether a tile is written (first K block) or added to what the earlier K blocks left in C.
enum class Update { kOverwrite, kAccumulate };

// C tile (rows × cols, rows ≤ MR, cols ≤ NV·W, row stride ldc) (+)= Σ_p op(A)[:, p] ⊗ op(B)[p, :]
// over kc ≥ 1 steps. Full tiles use MR = kMR rows and NV = kNV vectors; tiles at the bottom or right
// edge of C use a smaller instantiation that covers them (N = 50 doubles is 24 + 24 + 2 columns:
// the last tile needs one vector, not three; a batch of M = 3 rows needs a 4-row kernel, not 8).
// Every element is summed from 0 over p in order, one FMA per step, whichever kernel computes it.
template <class T, std::size_t MR, std::size_t NV>
void micro_kernel(std::size_t kc, APanel<T> a, BPanel<T> b, T* __restrict c, std::size_t ldc, std::size_t rows,
                  std::size_t cols, Update update) {
  using Vec = typename Simd<T>::Vec;
  constexpr std::size_t kW = Simd<T>::kWidth;
  constexpr std::size_t kWide = NV * kW;
  // Rows past `rows` (the kernel is taller than the tile) re-read the last real row: their results
  // are never stored, and A may be read in place, where no row exists past the end.
  const T* a_row[MR];
  for (std::size_t r = 0; r < MR; ++r) a_row[r] = a.data + std::min(r, rows - 1) * a.row_step;
  const T* b_row = b.data;
  // acc[r][v] lives in registers: the loops over r and v have constant bounds and are unrolled.
  Vec acc[MR][NV] = {};
  std::size_t p = 0;
  do {  // kc ≥ 1: a do-while tells the compiler so, and it then never keeps acc in memory
    Vec b_vec[NV];
    for (std::size_t v = 0; v < NV; ++v) b_vec[v] = load_vec(b_row + v * kW);
    const std::size_t ap = p * a.k_step;
    for (std::size_t r = 0; r < MR; ++r)
      for (std::size_t v = 0; v < NV; ++v) acc[r][v] += a_row[r][ap] * b_vec[v];  // broadcast, one FMA
    b_row += b.k_step;
  } while (++p < kc);
  if (rows == MR && cols == kWide) {  // the tile fills the kernel: straight from registers into C
    for (std::size_t r = 0; r < MR; ++r) {
      for (std::size_t v = 0; v < NV; ++v) {
        T* dst = c + r * ldc + v * kW;
        store_vec(dst, update == Update::kAccumulate ? load_vec(dst) + acc[r][v] : acc[r][v]);
      }
    }
    return;
  }
  // Otherwise spill to memory, then write only the part inside C (the same additions).
  T tile[MR][kWide];
  for (std::size_t r = 0; r < MR; ++r)
    for (std::size_t v = 0; v < NV; ++v) store_vec(&tile[r][v * kW], acc[r][v]);
  for (std::size_t r = 0; r < rows; ++r) {
    T* dst = c + r * ldc;
    for (std::size_t j = 0; j < cols; ++j) dst[j] = update == Update::kAccumulate ? dst[j] + tile[r][j] : tile[r][j];
  }
}

// Calls the smallest kernel instantiation that covers a rows × cols tile: the number of rows is
// halved (8, 4, 2, 1) and the number of vectors reduced (3, 2, 1) while the tile still fits.
template <class T, std::size_t MR = kMR, std::size_t NV = kNV>
void run_micro_kernel(std::size_t kc, APanel<T> a, BPanel<T> b, T* c, std::size_t ldc, std::size_t rows,
                      std::size_t cols, Update update) {
  if constexpr (MR > 1) {
    if (rows <= MR / 2) return run_micro_kernel<T, MR / 2, NV>(kc, a, b, c, ldc, rows, cols, update);
  }
  if constexpr (NV > 1) {
    if (cols <= (NV - 1) * Simd<T>::kWidth)
      return run_micro_kernel<T, MR, NV - 1>(kc, a, b, c, ldc, rows, cols, update);
  }
  micro_kernel<T, MR, NV>(kc, a, b, c, ldc, rows, cols, update);
}

}  // namespace scratch::gemm_detail

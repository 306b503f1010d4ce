// gemm.cpp — C = op(A) · op(B) the way BLIS and OpenBLAS compute it, in plain C++.
//
// Dimension letters: op(A) is (M, K), op(B) is (K, N), C is (M, N).
//
// A product does 2·M·N·K flops on M·K + K·N + M·N numbers, so a core that can do 32 flops per
// cycle is limited by arithmetic only if every number, once loaded, is reused from registers and
// caches many times. Three ideas get there (Goto & van de Geijn, "Anatomy of High-Performance
// Matrix Multiplication", 2008; Van Zee & van de Geijn, "BLIS", 2015):
//
// 1. A register tile (gemm_kernel.hpp). The micro-kernel keeps an MR × NR tile of C in vector
//    registers while k runs over KC steps; each step loads NR values of op(B), broadcasts MR values
//    of op(A) and does MR·NR multiply-adds: MR + NR loads for MR·NR multiply-adds.
// 2. Packing. A block of op(A) is copied into micro-panels of MR rows stored k-major (the MR values
//    the kernel needs at step k are adjacent), op(B) into micro-panels of NR columns (the NR values
//    of step k are adjacent), so the kernel reads both strictly sequentially. This copy is also
//    where Aᵀ or Bᵀ is read: the kernel never knows whether an operand was transposed. Small and
//    skinny products, like the network's, skip most of the copying ("packing, or reading in place").
// 3. Cache blocking. Loops around the kernel cut the product into blocks sized so that each packed
//    block stays in the cache level that feeds it:
//
//      for jc in [0, N) step NC
//        pack op(B)[0 : K, jc : jc+NC]              B panel, K × NC: lives in L3, shared by threads
//        for ic in [0, M) step MC                   ← threads take these blocks
//          for pc in [0, K) step KC
//            pack op(A)[ic : ic+MC, pc : pc+KC]     A block, MC × KC: lives in this core's L2
//            for jr in [0, NC) step NR              one B micro-panel, KC × NR, stays in L1 …
//              for ir in [0, MC) step MR            … while the A micro-panels stream from L2
//                C tile (ir, jr) (+)= A micro-panel ir · B micro-panel jr
//
// Threads (OpenMP, from kGemmParallelWork multiply-adds on) each take whole M blocks, or, when B is
// packed a micro-panel at a time, whole column strips.
//
// Results do not depend on the thread count: every element of C is summed in one fixed order —
// over the K blocks in turn, inside a block over k in turn, one FMA per step, starting from 0 —
// and the K block size depends only on K. Threads only change *who* computes a tile.
#include "tensor/gemm.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/parallel.hpp"
#include "tensor/gemm_kernel.hpp"

namespace scratch {
namespace {

using namespace gemm_detail;

// ---- cache blocking ---------------------------------------------------------------------------------
//
// Zen 5 has, per core, a 48 KiB L1d and a 1 MiB L2; the 32 MiB L3 is shared. For T = double:
//  - KC = 256: a B micro-panel (KC × NR = 256 × 24 × 8 bytes = 48 KiB) is reused by every A
//    micro-panel of the block, so it should stay in L1; the A micro-panels (16 KiB each) stream past
//    it sequentially, which the hardware prefetcher handles well. Long K blocks also spread the
//    kernel's fixed cost — loading and storing its C tile — over more arithmetic. (Measured: KC from
//    128 to 384 changes the speed by less than the noise of a shared machine.)
//  - MC = 256: the packed A block is MC × KC × 8 = 512 KiB, half of L2, leaving room for the C
//    tiles and the B micro-panels flowing in from L3.
//  - NC: the packed B panel holds all of K × NC and is limited to 8 MiB, a quarter of L3, so that
//    it stays there beside A and C (N = K = 1024: one panel; N = K = 2048: four). Every A block is
//    packed again for each B panel, so fewer, larger panels pack less.
// Each dimension is cut into equal blocks no larger than these (K = 784 is 4 blocks of 196, not 3
// of 256 and a thin one of 16). For float, MC doubles (same bytes); KC stays, so that a B micro-
// panel, twice as many float columns wide, keeps the same size.
template <class T>
struct Blocks {
  static constexpr std::size_t kMaxKC = 256;
  static constexpr std::size_t kMaxMC = 256 * sizeof(double) / sizeof(T);
  static constexpr std::size_t kPanelElements = (std::size_t{8} << 20) / sizeof(T);
};

std::size_t ceil_div(std::size_t a, std::size_t b) { return (a + b - 1) / b; }
std::size_t round_up(std::size_t a, std::size_t multiple) { return ceil_div(a, multiple) * multiple; }

// The size of the blocks that cut `length` into equal pieces of at most `max_block`, rounded up
// to a multiple of `unit`.
std::size_t block_size(std::size_t length, std::size_t max_block, std::size_t unit) {
  return round_up(ceil_div(length, ceil_div(length, max_block)), unit);
}

// ---- packing, or reading in place ------------------------------------------------------------------
//
// Packing pays for itself when each micro-panel is then reused many times: an A micro-panel by
// every B micro-panel (N / NR times), a B micro-panel by every A micro-panel (M / MR times). When
// the other dimension is only a few tiles (the network's N = 50 is 3 tiles; a gradient check's
// batch of M = 3 rows is 1), or when the whole product fits in L2 anyway, copying costs more than it
// saves, and the kernel reads the operand where it is (BLIS calls these "small/unpacked" cases):
//  - op(A)(i, p) is a[i·lda + p] (steps: row lda, k 1), or a[p·lda + i] for a stored Aᵀ (1, lda);
//  - op(B)(p, j) must be contiguous along j for vector loads: only an untransposed B, k step ldb.
// A B micro-panel with fewer than NR columns is always packed, with zero padding, so that the
// kernel's vector loads never reach past the end of B (an A panel with fewer than MR rows needs
// nothing: the kernel never reads past its last row).
//
// A packed B panel is normally shared: packed once, by all threads together, then read by all.
// For a product that fits in L2 that sharing costs more than it saves: in a training loop the
// same product comes back every step, and each thread must then overwrite panel lines that sit
// in the other core's cache, a slow cross-core exchange per line, and wait at a barrier. There,
// each thread packs just the micro-panel it is about to use, into its own small buffer.
//
// Packed or not, shared or not, the kernel adds the same products in the same order, so none of
// these choices ever changes a result.
enum class Packing {
  kInPlace,  // read from the stored matrix
  kPrivate,  // A: each thread packs its own MC × KC blocks; B: its own KC × NR micro-panels
  kShared,   // B only: the K × NC panel is packed by all threads together, then shared
};
constexpr std::size_t kMaxInPlaceUses = 4;                    // read in place if reused at most this often
constexpr std::size_t kUnpackedBytes = std::size_t{1} << 20;  // A and B fit in L2 (1 MiB): no sharing

// Everything the blocked loops need to know about one product.
template <class T>
struct Plan {
  std::size_t m, n, k;
  const T* a;
  std::size_t lda;
  Transpose ta;
  const T* b;
  std::size_t ldb;
  Transpose tb;
  T* c;
  std::size_t ldc;
  std::size_t mc, kc, nc;  // block sizes
  Packing a_packing, b_packing;
};

// The A micro-panel for rows from i0 and K block [p0, p0+kc): the packed copy at slot ip of this
// thread's A block, or the stored matrix itself.
template <class T>
APanel<T> a_panel(const Plan<T>& g, const T* a_pack, std::size_t ip, std::size_t i0, std::size_t p0, std::size_t kc) {
  if (g.a_packing == Packing::kPrivate) return {a_pack + ip * kMR * kc, 1, kMR};
  if (g.ta == Transpose::kNo) return {g.a + i0 * g.lda + p0, g.lda, 1};
  return {g.a + p0 * g.lda + i0, 1, g.lda};
}

// Where the shared B panel keeps the micro-panel for K block kb and the panel's jp-th NR columns.
template <class T>
T* b_shared_slot(const Plan<T>& g, T* b_shared, std::size_t kb, std::size_t jp) {
  const std::size_t kc_len = std::min(g.kc, g.k - kb * g.kc);
  return b_shared + kb * g.kc * round_up(g.nc, Simd<T>::kNR) + jp * Simd<T>::kNR * kc_len;
}

// The B micro-panel for K block kb and columns [j0, j0+cols), the jp-th of the panel: read in
// place, found in the shared panel, or packed now into this thread's buffer `b_own`.
template <class T>
BPanel<T> b_panel(const Plan<T>& g, T* b_shared, T* b_own, std::size_t kb, std::size_t jp, std::size_t j0,
                  std::size_t cols) {
  const std::size_t width = round_up(cols, Simd<T>::kWidth);
  if (g.b_packing == Packing::kShared) return {b_shared_slot(g, b_shared, kb, jp), width};
  if (g.b_packing == Packing::kInPlace && cols == Simd<T>::kNR) return {g.b + kb * g.kc * g.ldb + j0, g.ldb};
  pack_b_panel(g.b, g.ldb, g.tb, kb * g.kc, std::min(g.kc, g.k - kb * g.kc), j0, cols, width, b_own);
  return {b_own, width};
}

// A buffer for packed panels, kept by each thread and reused by later calls (it only grows),
// aligned to a cache line so that every micro-panel starts on one.
template <class T>
T* pack_buffer(std::vector<T>& storage, std::size_t count) {
  constexpr std::size_t kAlign = 64;
  if (storage.size() < count + kAlign / sizeof(T)) storage.resize(count + kAlign / sizeof(T));
  const auto address = reinterpret_cast<std::uintptr_t>(storage.data());
  return storage.data() + (round_up(address, kAlign) - address) / sizeof(T);
}

// ---- the blocked loops ----------------------------------------------------------------------------
//
// The loop nest of the banner, run by every thread of an OpenMP team, or by the caller alone when
// the product is too small for threads (an `omp for` met outside a parallel region runs all its
// iterations on the calling thread). The threads split the work items between them; each packs
// its A blocks and private B micro-panels into its own buffers, which stay in its core's caches.
// Only a shared B panel makes threads wait for each other: the barrier ending the `omp for` that
// packs it makes it complete before anyone reads it, and a barrier before the next one keeps it
// until all are done. Otherwise the threads meet only at the end of the parallel region.
template <class T>
void gemm_blocked(const Plan<T>& g, T* b_shared) {
  constexpr std::size_t kNR = Simd<T>::kNR;
  thread_local std::vector<T> a_storage, b_storage;
  T* a_pack = g.a_packing == Packing::kPrivate ? pack_buffer(a_storage, round_up(g.mc, kMR) * g.kc) : nullptr;
  T* b_own = g.b_packing == Packing::kShared ? nullptr : pack_buffer(b_storage, g.kc * kNR);
  const std::size_t m_blocks = ceil_div(g.m, g.mc);
  const std::size_t k_blocks = ceil_div(g.k, g.kc);
  const bool shared = g.b_packing == Packing::kShared;
  for (std::size_t jc = 0; jc < g.n; jc += g.nc) {
    const std::size_t nc_len = std::min(g.nc, g.n - jc);
    const std::size_t b_panels = ceil_div(nc_len, kNR);
    if (shared) {
#ifdef _OPENMP
#pragma omp for collapse(2) schedule(static)
#endif
      for (std::size_t kb = 0; kb < k_blocks; ++kb) {
        for (std::size_t jp = 0; jp < b_panels; ++jp) {
          const std::size_t cols = std::min(kNR, nc_len - jp * kNR);
          pack_b_panel(g.b, g.ldb, g.tb, kb * g.kc, std::min(g.kc, g.k - kb * g.kc), jc + jp * kNR, cols,
                       round_up(cols, Simd<T>::kWidth), b_shared_slot(g, b_shared, kb, jp));
        }
      }
    }
    // Work items, handed out in contiguous runs so that each thread writes its own part of C (two
    // threads writing neighbouring tiles would fight over the cache lines they share): M blocks, or,
    // when each thread packs its own B micro-panels, the B micro-panels of one M block spanning all
    // of M, so that every micro-panel is packed once.
    const bool split_n = g.b_packing == Packing::kPrivate;
#ifdef _OPENMP
#pragma omp for schedule(static) nowait
#endif
    for (std::size_t item = 0; item < (split_n ? b_panels : m_blocks); ++item) {
      const std::size_t block = split_n ? 0 : item;
      const std::size_t jp_begin = split_n ? item : 0;
      const std::size_t jp_end = split_n ? item + 1 : b_panels;
      const std::size_t ic = block * g.mc;
      const std::size_t mc_len = std::min(g.mc, g.m - ic);
      const std::size_t a_panels = ceil_div(mc_len, kMR);
      for (std::size_t kb = 0; kb < k_blocks; ++kb) {
        const std::size_t pc = kb * g.kc;
        const std::size_t kc_len = std::min(g.kc, g.k - pc);
        const Update update = kb == 0 ? Update::kOverwrite : Update::kAccumulate;
        for (std::size_t ip = 0; g.a_packing == Packing::kPrivate && ip < a_panels; ++ip)
          pack_a_panel(g.a, g.lda, g.ta, ic + ip * kMR, std::min(kMR, mc_len - ip * kMR), pc, kc_len,
                       a_pack + ip * kMR * kc_len);
        for (std::size_t jp = jp_begin; jp < jp_end; ++jp) {  // one B micro-panel stays in L1 …
          const std::size_t j0 = jc + jp * kNR;
          const std::size_t cols = std::min(kNR, nc_len - jp * kNR);
          const BPanel<T> b = b_panel(g, b_shared, b_own, kb, jp, j0, cols);
          for (std::size_t ip = 0; ip < a_panels; ++ip) {  // … while the A micro-panels stream from L2
            const std::size_t i0 = ic + ip * kMR;
            const std::size_t rows = std::min(kMR, mc_len - ip * kMR);
            run_micro_kernel(kc_len, a_panel(g, a_pack, ip, i0, pc, kc_len), b, g.c + i0 * g.ldc + j0, g.ldc, rows,
                             cols, update);
          }
        }
      }
    }
    // The next shared B panel overwrites this one: wait until every thread is done with it. (After
    // the last one, the end of the parallel region waits anyway.)
    if (shared && jc + g.nc < g.n) {
#ifdef _OPENMP
#pragma omp barrier
#endif
    }
  }
}

// y[0 : n] += alpha · x[0 : n]; restrict lets the compiler vectorise it without overlap checks.
template <class T>
void axpy(std::size_t n, T alpha, const T* __restrict x, T* __restrict y) {
  for (std::size_t j = 0; j < n; ++j) y[j] += alpha * x[j];
}

// Tiny products: the blocked machinery costs more than the arithmetic. Row i of C accumulates
// op(A)(i, p) · row p of op(B), the innermost loop running along a contiguous row of C.
template <class T>
void gemm_small(const Plan<T>& g) {
  for (std::size_t i = 0; i < g.m; ++i) {
    T* c_row = g.c + i * g.ldc;
    std::fill(c_row, c_row + g.n, T(0));
    for (std::size_t p = 0; p < g.k; ++p) {
      const T aip = g.ta == Transpose::kNo ? g.a[i * g.lda + p] : g.a[p * g.lda + i];
      if (g.tb == Transpose::kNo) {
        axpy(g.n, aip, g.b + p * g.ldb, c_row);
      } else {
        for (std::size_t j = 0; j < g.n; ++j) c_row[j] += aip * g.b[j * g.ldb + p];
      }
    }
  }
}

}  // namespace

template <class T>
void gemm(std::size_t m, std::size_t n, std::size_t k, const T* a, std::size_t lda, Transpose ta, const T* b,
          std::size_t ldb, Transpose tb, T* c, std::size_t ldc) {
  constexpr std::size_t kNR = Simd<T>::kNR;
  Plan<T> g{m, n, k, a, lda, ta, b, ldb, tb, c, ldc, 0, 0, 0, Packing::kInPlace, Packing::kInPlace};
  const std::size_t work = m * n * k;
  if (work < kGemmSmallWork) {
    gemm_small(g);
    return;
  }
  // M is cut into equal blocks, at least one per thread, in whole half-tiles (M = 100 on 2 threads
  // is 52 + 48 rows: a block ending in a 2-row tile would leave the kernel short of accumulators).
  // mc may depend on the thread count: it decides who computes a tile, never how a tile is summed
  // (only kc does).
  const std::size_t threads = work >= kGemmParallelWork ? std::size_t(max_threads()) : 1;
  g.kc = block_size(k, Blocks<T>::kMaxKC, 1);
  g.mc = round_up(ceil_div(m, std::max(ceil_div(m, Blocks<T>::kMaxMC), threads)), kMR / 2);
  g.nc = block_size(n, std::max(Blocks<T>::kPanelElements / k, kNR), kNR);
  // Small products (A and B fit in L2 together) and products with a few rows only read A in place
  // and B in place or packed a micro-panel at a time; the others are packed in blocks.
  const bool fits_in_l2 = (m * k + k * n) * sizeof(T) <= kUnpackedBytes;
  if (fits_in_l2 || ceil_div(m, kMR) <= kMaxInPlaceUses) {
    g.a_packing = Packing::kInPlace;
    g.b_packing = tb == Transpose::kNo ? Packing::kInPlace : Packing::kPrivate;
  } else {
    g.a_packing = ceil_div(n, kNR) <= kMaxInPlaceUses ? Packing::kInPlace : Packing::kPrivate;
    g.b_packing = Packing::kShared;
  }
  // Private B micro-panels: one M block, the threads splitting N, so each is packed only once.
  if (g.b_packing == Packing::kPrivate) g.mc = m;
  // The shared B panel belongs to the calling thread and is reused by its later calls.
  thread_local std::vector<T> b_storage;
  T* b_shared = g.b_packing == Packing::kShared ? pack_buffer(b_storage, ceil_div(k, g.kc) * g.kc * round_up(g.nc, kNR))
                                                : nullptr;
#ifdef _OPENMP
  if (threads > 1) {
#pragma omp parallel
    gemm_blocked(g, b_shared);
    return;
  }
  if (omp_in_parallel()) {
    // Called from inside someone else's parallel region (a parallel_for body, say): our `omp for`
    // loops would bind to that region and split their iterations among its threads, which are busy
    // with other work. A team of one of our own keeps every iteration on this thread.
#pragma omp parallel num_threads(1)
    gemm_blocked(g, b_shared);
    return;
  }
#endif
  gemm_blocked(g, b_shared);
}

template void gemm<float>(std::size_t, std::size_t, std::size_t, const float*, std::size_t, Transpose, const float*,
                          std::size_t, Transpose, float*, std::size_t);
template void gemm<double>(std::size_t, std::size_t, std::size_t, const double*, std::size_t, Transpose, const double*,
                           std::size_t, Transpose, double*, std::size_t);

}  // namespace scratch

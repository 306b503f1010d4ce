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
//    where Aᵀ or Bᵀ is read: the kernel never knows whether an operand was transposed.
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

// ---- packing or reading in place ---------------------------------------------------------------------
//
// Packing pays for itself when each micro-panel is then reused many times: an A micro-panel by
// every B micro-panel (N / NR times), a B micro-panel by every A micro-panel (M / MR times). When
// the other dimension is only a few tiles (the network's N = 50 is 3 tiles; a gradient check's
// batch of M = 3 rows is 1), copying costs more than it saves, and the kernel reads the operand
// where it is (BLIS calls these "skinny/unpacked" cases):
//  - op(A)(i, p) is a[i·lda + p] (steps: row lda, k 1), or a[p·lda + i] for a stored Aᵀ (1, lda);
//  - op(B)(p, j) must be contiguous along j for vector loads: only an untransposed B, k step ldb.
// A B panel with fewer than NR columns is still packed, with zero padding, so that the kernel's
// vector loads never reach past the end of B (an A panel with fewer than MR rows needs nothing:
// the kernel never reads past its last row). Packed or not, the kernel adds the same products in
// the same order, so this choice never changes a result.
enum class Packing { kPack, kInPlace };
constexpr std::size_t kMaxInPlaceUses = 4;  // read an operand in place if reused at most this often

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

// The A micro-panel for rows from i0 and K block [p0, p0+kc): the packed copy at slot ip of the
// A block, or the stored matrix itself.
template <class T>
APanel<T> a_panel(const Plan<T>& g, const T* a_pack, std::size_t ip, std::size_t i0, std::size_t p0, std::size_t kc) {
  if (g.a_packing == Packing::kPack) return {a_pack + ip * kMR * kc, 1, kMR};
  if (g.ta == Transpose::kNo) return {g.a + i0 * g.lda + p0, g.lda, 1};
  return {g.a + p0 * g.lda + i0, 1, g.lda};
}

// Where the packed B micro-panel for K block kb, columns [jp·NR, jp·NR + NR) of the panel, goes.
template <class T>
T* b_pack_slot(const Plan<T>& g, T* b_pack, std::size_t kb, std::size_t jp) {
  const std::size_t kc_len = std::min(g.kc, g.k - kb * g.kc);
  return b_pack + kb * g.kc * round_up(g.nc, Simd<T>::kNR) + jp * Simd<T>::kNR * kc_len;
}

// The B micro-panel for K block kb and columns [j0, j0+cols) (the jp-th of the panel): the packed
// copy, cols rounded up to whole vectors wide, or the stored matrix itself.
template <class T>
BPanel<T> b_panel(const Plan<T>& g, T* b_pack, std::size_t kb, std::size_t jp, std::size_t j0, std::size_t cols) {
  if (g.b_packing == Packing::kPack || cols < Simd<T>::kNR)
    return {b_pack_slot(g, b_pack, kb, jp), round_up(cols, Simd<T>::kWidth)};
  return {g.b + kb * g.kc * g.ldb + j0, g.ldb};
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
// iterations on the calling thread). Threads wait for each other at two places only, so that a
// thread held up by another program on its core rarely stalls the rest:
//  - the B panel (all of K × NC) is packed once and shared: each thread packs some micro-panels,
//    and the barrier that ends the `omp for` makes the panel complete before anyone reads it;
//  - the threads then take M blocks, handed out dynamically (a slowed thread just takes fewer),
//    each packing its A blocks into its own buffer (which stays in its core's L2); a barrier
//    before the next B panel (or the end of the parallel region) keeps this one in place until
//    every block is done.
template <class T>
void gemm_blocked(const Plan<T>& g, T* b_pack) {
  constexpr std::size_t kNR = Simd<T>::kNR;
  thread_local std::vector<T> a_storage;
  T* a_pack = pack_buffer(a_storage, g.mc * g.kc);
  const std::size_t m_blocks = ceil_div(g.m, g.mc);
  const std::size_t k_blocks = ceil_div(g.k, g.kc);
  for (std::size_t jc = 0; jc < g.n; jc += g.nc) {
    const std::size_t nc_len = std::min(g.nc, g.n - jc);
    const std::size_t b_panels = ceil_div(nc_len, kNR);
#ifdef _OPENMP
#pragma omp for collapse(2) schedule(static)
#endif
    for (std::size_t kb = 0; kb < k_blocks; ++kb) {
      for (std::size_t jp = 0; jp < b_panels; ++jp) {
        const std::size_t cols = std::min(kNR, nc_len - jp * kNR);
        if (g.b_packing == Packing::kPack || cols < kNR)
          pack_b_panel(g.b, g.ldb, g.tb, kb * g.kc, std::min(g.kc, g.k - kb * g.kc), jc + jp * kNR, cols,
                       round_up(cols, Simd<T>::kWidth), b_pack_slot(g, b_pack, kb, jp));
      }
    }
    // Work items: M blocks, each against all B micro-panels. Without A packing nothing is shared
    // between the micro-panels of one block, so each (M block, B micro-panel) pair is its own item:
    // M = 100 on 2 threads is then 6 items (2 blocks × 3), shared evenly, not 2 of 56 and 44 rows.
    const std::size_t jp_groups = g.a_packing == Packing::kInPlace ? b_panels : 1;
#ifdef _OPENMP
#pragma omp for schedule(dynamic) nowait
#endif
    for (std::size_t item = 0; item < m_blocks * jp_groups; ++item) {
      const std::size_t block = item / jp_groups;
      const std::size_t jp_begin = jp_groups == 1 ? 0 : item % jp_groups;
      const std::size_t jp_end = jp_groups == 1 ? b_panels : jp_begin + 1;
      const std::size_t ic = block * g.mc;
      const std::size_t mc_len = std::min(g.mc, g.m - ic);
      const std::size_t a_panels = ceil_div(mc_len, kMR);
      for (std::size_t kb = 0; kb < k_blocks; ++kb) {
        const std::size_t pc = kb * g.kc;
        const std::size_t kc_len = std::min(g.kc, g.k - pc);
        const Update update = kb == 0 ? Update::kOverwrite : Update::kAccumulate;
        for (std::size_t ip = 0; g.a_packing == Packing::kPack && ip < a_panels; ++ip)
          pack_a_panel(g.a, g.lda, g.ta, ic + ip * kMR, std::min(kMR, mc_len - ip * kMR), pc, kc_len,
                       a_pack + ip * kMR * kc_len);
        for (std::size_t jp = jp_begin; jp < jp_end; ++jp) {  // one B micro-panel stays in L1 …
          const std::size_t j0 = jc + jp * kNR;
          const std::size_t cols = std::min(kNR, nc_len - jp * kNR);
          const BPanel<T> b = b_panel(g, b_pack, kb, jp, j0, cols);
          for (std::size_t ip = 0; ip < a_panels; ++ip) {  // … while the A micro-panels stream from L2
            const std::size_t i0 = ic + ip * kMR;
            const std::size_t rows = std::min(kMR, mc_len - ip * kMR);
            run_micro_kernel(kc_len, a_panel(g, a_pack, ip, i0, pc, kc_len), b, g.c + i0 * g.ldc + j0, g.ldc, rows,
                             cols, update);
          }
        }
      }
    }
    // The next B panel overwrites this one: wait until every thread is done with it. (After the
    // last panel, the end of the parallel region waits anyway.)
    if (jc + g.nc < g.n) {
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
  Plan<T> g{m, n, k, a, lda, ta, b, ldb, tb, c, ldc, 0, 0, 0, Packing::kPack, Packing::kPack};
  const std::size_t work = m * n * k;
  if (work < kGemmSmallWork) {
    gemm_small(g);
    return;
  }
  // Threads share out M blocks, so M is cut into at least one block per thread. mc may depend on
  // the thread count: it decides who computes a tile, never how a tile is summed (only kc does).
  const std::size_t threads = work >= kGemmParallelWork ? std::size_t(max_threads()) : 1;
  g.kc = block_size(k, Blocks<T>::kMaxKC, 1);
  g.mc = round_up(ceil_div(m, std::max(ceil_div(m, Blocks<T>::kMaxMC), threads)), kMR);
  g.nc = block_size(n, std::max(Blocks<T>::kPanelElements / k, kNR), kNR);
  g.a_packing = ceil_div(n, kNR) <= kMaxInPlaceUses ? Packing::kInPlace : Packing::kPack;
  g.b_packing = ceil_div(m, kMR) <= kMaxInPlaceUses && tb == Transpose::kNo ? Packing::kInPlace : Packing::kPack;
  // The shared B panel belongs to the calling thread and is reused by its later calls.
  thread_local std::vector<T> b_storage;
  T* b_pack = pack_buffer(b_storage, ceil_div(k, g.kc) * g.kc * round_up(g.nc, kNR));
#ifdef _OPENMP
  if (threads > 1 && ceil_div(m, g.mc) > 1) {
#pragma omp parallel
    gemm_blocked(g, b_pack);
    return;
  }
  if (omp_in_parallel()) {
    // Called from inside someone else's parallel region (a parallel_for body, say): our `omp for`
    // loops would bind to that region and split their iterations among its threads, which are busy
    // with other work. A team of one of our own keeps every iteration on this thread.
#pragma omp parallel num_threads(1)
    gemm_blocked(g, b_pack);
    return;
  }
#endif
  gemm_blocked(g, b_pack);
}

template void gemm<float>(std::size_t, std::size_t, std::size_t, const float*, std::size_t, Transpose, const float*,
                          std::size_t, Transpose, float*, std::size_t);
template void gemm<double>(std::size_t, std::size_t, std::size_t, const double*, std::size_t, Transpose, const double*,
                           std::size_t, Transpose, double*, std::size_t);

}  // namespace scratch

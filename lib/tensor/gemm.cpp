// gemm.cpp — C = op(A) · op(B) the way BLIS and OpenBLAS compute it, in plain C++.
//
// Dimension letters: op(A) is (M, K), op(B) is (K, N), C is (M, N).
//
// A product does 2·M·N·K flops on 8·(M·K + K·N + M·N) bytes (doubles), so a core that can do
// 32 flops per cycle is limited by arithmetic only if every number, once loaded, is reused from
// registers and caches many times. Three ideas get there (Goto & van de Geijn, "Anatomy of
// High-Performance Matrix Multiplication", 2008; the BLIS papers):
//
// 1. A register tile. The micro-kernel keeps an MR × NR tile of C in vector registers while k runs
//    over a block of KC steps; at each step it loads one row of NR values of op(B), broadcasts MR
//    values of op(A), and does MR·NR multiply-adds: MR + NR loads for MR·NR flops pairs.
// 2. Packing. Before the kernel runs, a block of op(A) is copied into "micro-panels" of MR rows
//    stored k-major (the MR values the kernel needs at step k are adjacent), and a block of op(B)
//    into micro-panels of NR columns (the NR values of step k are adjacent). The kernel then reads
//    both strictly sequentially. This copy is also where Aᵀ or Bᵀ is read: the kernel never knows.
// 3. Cache blocking. Loops around the kernel cut the product into blocks sized so that each packed
//    block stays in the cache level that feeds it:
//
//      for jc in [0, N) step NC                     packed op(B) panel, KC × NC: lives in L3
//        for pc in [0, K) step KC
//          pack op(B)[pc : pc+KC, jc : jc+NC]
//          for ic in [0, M) step MC                 packed op(A) block, MC × KC: lives in L2
//            pack op(A)[ic : ic+MC, pc : pc+KC]
//            for jr in [0, NC) step NR              one B micro-panel, KC × NR: stays in L1 …
//              for ir in [0, MC) step MR            … while the A micro-panels stream from L2
//                C tile (ir, jr) (+)= A micro-panel ir · B micro-panel jr
//
// Threads split the work of the three innermost steps (packing B, packing A, the tile loop), each
// thread taking a contiguous share. Every element of C is still summed in one fixed order — over
// the K blocks in turn, and inside a block over k in turn, always by the same kernel — and only
// *which* thread computes a tile changes with the thread count, so results are bitwise the same
// on 1 and on many threads.
#include "tensor/gemm.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <cstdlib>
#include <vector>

#include "core/parallel.hpp"

namespace scratch {
namespace {

// ---- 1. the register tile -------------------------------------------------------------------
//
// With AVX-512 there are 32 vector registers of 64 bytes (8 doubles or 16 floats). The tile is
// MR = 8 rows × NR = 3 vectors: 24 registers of accumulators, 3 for the row of op(B), and the
// broadcast op(A) values are folded into the multiply-add instructions themselves. Why this shape:
//  - 24 independent accumulators keep both FMA units busy: an FMA takes 4 cycles and Zen 5 starts
//    2 per cycle, so at least 8 must be in flight;
//  - per k step it needs 3 vector loads + 8 broadcasts for 24 FMAs, well under the 2 loads per
//    cycle the core can do, so loads never limit it;
//  - 8 rows waste little on the network's M = 100 (the last tile is half full: 4% extra work).
// Without AVX-512 (e.g. built without -march=native) there are only 16 registers, so the tile
// shrinks to 6 rows × 2 vectors (12 accumulators), the classic AVX2 shape.
#if defined(__AVX512F__)
constexpr std::size_t kVectorBytes = 64;
constexpr std::size_t kMR = 8;
constexpr std::size_t kNV = 3;
#elif defined(__AVX__)
constexpr std::size_t kVectorBytes = 32;
constexpr std::size_t kMR = 6;
constexpr std::size_t kNV = 2;
#else
constexpr std::size_t kVectorBytes = 16;  // SSE2, which every x86-64 has
constexpr std::size_t kMR = 6;
constexpr std::size_t kNV = 2;
#endif

// A GCC vector of T filling one register: `acc += a * b` on it is one FMA instruction, and a
// scalar operand is broadcast to every lane. Plain C++ otherwise; no intrinsics.
template <class T>
struct Simd {
  typedef T Vec __attribute__((vector_size(kVectorBytes)));
  static constexpr std::size_t kWidth = kVectorBytes / sizeof(T);  // lanes: 8 doubles, 16 floats
  static constexpr std::size_t kNR = kNV * kWidth;                  // tile width: 24 / 48
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

// ---- 2. cache blocking ------------------------------------------------------------------------
//
// The largest block sizes; the actual ones split each dimension into equal blocks no larger than
// these (K = 784 becomes 4 blocks of 196, not 3 of 256 and a thin one of 16). They depend only on
// the shape, never on the thread count — that is what keeps the summation order fixed. Zen 5 has
// per core a 48 KiB L1d, a 1 MiB L2, and shares a 32 MiB L3. In bytes, for T = double:
//  - KC = 256: a B micro-panel is KC·NR·8 = 48 KiB and sits in L1 while the kernel sweeps MC/MR A
//    micro-panels (16 KiB each) past it. That is more than L1 can keep at once, but the B panel is
//    the one reused: the A panel streams by sequentially and the prefetcher hides its latency.
//    A long KC also amortises the kernel's load/store of its C tile over more arithmetic.
//  - MC = 256: the packed A block is MC·KC·8 = 512 KiB, half of L2, leaving room for C tiles and
//    the B micro-panels flowing in from L3.
//  - NC = 3072: the packed B panel, KC·NC·8 = 6 MiB, fits in L3 with room for A and C.
// For float the same byte budgets hold twice as many elements, so MC, KC and NC double... except
// KC, which keeps the B micro-panel (twice as many float columns) at the same size.
template <class T>
struct Blocks {
  static constexpr std::size_t kMaxKC = 256;
  static constexpr std::size_t kMaxMC = 256 * sizeof(double) / sizeof(T);
  static constexpr std::size_t kPanelElements = (std::size_t{6} << 20) / sizeof(T);  // B panel: 6 MiB
};

std::size_t ceil_div(std::size_t a, std::size_t b) { return (a + b - 1) / b; }
std::size_t round_up(std::size_t a, std::size_t multiple) { return ceil_div(a, multiple) * multiple; }

// The size of the blocks that cut `length` into equal pieces of at most `max_block`, rounded up
// to a multiple of `unit`.
std::size_t block_size(std::size_t length, std::size_t max_block, std::size_t unit) {
  return round_up(ceil_div(length, ceil_div(length, max_block)), unit);
}

// ---- 3. packing ---------------------------------------------------------------------------------

// Copies op(A)[i0 : i0+rows, p0 : p0+kc] into one micro-panel, k-major: panel[p·MR + r]. Rows
// from `rows` up to MR are zero, so the kernel can always compute a full tile (the extra rows of
// C it computes are thrown away).
template <class T>
void pack_a_panel(const T* a, std::size_t lda, Transpose ta, std::size_t i0, std::size_t rows, std::size_t p0,
                  std::size_t kc, T* panel) {
  if (ta == Transpose::kNo) {
    // op(A)(i, p) = a[i·lda + p]: read each row along p, write it down one column of the panel.
    for (std::size_t r = 0; r < rows; ++r) {
      const T* src = a + (i0 + r) * lda + p0;
      for (std::size_t p = 0; p < kc; ++p) panel[p * kMR + r] = src[p];
    }
  } else {
    // op(A)(i, p) = a[p·lda + i]: the MR values of one step p are already adjacent.
    for (std::size_t p = 0; p < kc; ++p) {
      const T* src = a + (p0 + p) * lda + i0;
      for (std::size_t r = 0; r < rows; ++r) panel[p * kMR + r] = src[r];
    }
  }
  for (std::size_t r = rows; r < kMR; ++r)
    for (std::size_t p = 0; p < kc; ++p) panel[p * kMR + r] = 0;
}

// Copies op(B)[p0 : p0+kc, j0 : j0+cols] into one micro-panel `width` columns wide, k-major:
// panel[p·width + j]. width is cols rounded up to whole vectors; the padding columns are zero.
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
    // op(B)(p, j) = b[j·ldb + p]: read each stored row along p, write it down a panel column.
    for (std::size_t j = 0; j < cols; ++j) {
      const T* src = b + (j0 + j) * ldb + p0;
      for (std::size_t p = 0; p < kc; ++p) panel[p * width + j] = src[p];
    }
    for (std::size_t p = 0; p < kc; ++p)
      for (std::size_t j = cols; j < width; ++j) panel[p * width + j] = 0;
  }
}

// ---- 4. the micro-kernel ----------------------------------------------------------------------

// Whether a tile is written (first K block) or added to what the earlier K blocks left in C.
enum class Update { kOverwrite, kAccumulate };

// Where the kernel finds op(A)(r, p) for the MR rows of its tile: at data[r·row_step + p·k_step].
// A packed micro-panel has row_step 1 and k_step MR; see "reading A in place" in gemm_blocked for
// the other two cases.
template <class T>
struct APanel {
  const T* data;
  std::size_t row_step;
  std::size_t k_step;
};

// C tile (rows × cols, rows ≤ MR, cols ≤ NV·W) (+)= Σ_p op(A)[:, p] ⊗ b_panel[p] over kc steps.
// NV is how many vectors wide the tile is: kNV for full tiles, fewer at the right edge of C
// (N = 50 is 24 + 24 + 2 columns: the last tile uses one vector, not three).
// acc[r][v] lives in registers: the loops over r and v have constant bounds and are unrolled.
template <class T, std::size_t NV>
void micro_kernel(std::size_t kc, APanel<T> a, const T* __restrict b_panel, T* __restrict c, std::size_t ldc,
                  std::size_t rows, std::size_t cols, Update update) {
  using Vec = typename Simd<T>::Vec;
  constexpr std::size_t kW = Simd<T>::kWidth;
  constexpr std::size_t kWide = NV * kW;
  const T* a_row[kMR];
  for (std::size_t r = 0; r < kMR; ++r) a_row[r] = a.data + r * a.row_step;
  Vec acc[kMR][NV] = {};
  std::size_t p = 0;
  do {  // kc ≥ 1, so the loop runs at least once
    Vec b[NV];
    for (std::size_t v = 0; v < NV; ++v) b[v] = load_vec(b_panel + v * kW);
    const std::size_t ap = p * a.k_step;
    for (std::size_t r = 0; r < kMR; ++r)
      for (std::size_t v = 0; v < NV; ++v) acc[r][v] += a_row[r][ap] * b[v];  // one FMA, a broadcast
    b_panel += kWide;
  } while (++p < kc);
  if (rows == kMR && cols == kWide) {  // a full tile: straight from registers into C
    for (std::size_t r = 0; r < kMR; ++r) {
      for (std::size_t v = 0; v < NV; ++v) {
        T* dst = c + r * ldc + v * kW;
        store_vec(dst, update == Update::kAccumulate ? load_vec(dst) + acc[r][v] : acc[r][v]);
      }
    }
    return;
  }
  // An edge tile: spill to memory, then write only the part inside C (same additions as above).
  T tile[kMR][kWide];
  for (std::size_t r = 0; r < kMR; ++r)
    for (std::size_t v = 0; v < NV; ++v) store_vec(&tile[r][v * kW], acc[r][v]);
  for (std::size_t r = 0; r < rows; ++r) {
    T* dst = c + r * ldc;
    for (std::size_t j = 0; j < cols; ++j) dst[j] = update == Update::kAccumulate ? dst[j] + tile[r][j] : tile[r][j];
  }
}

// Calls the kernel instantiated for the narrowest width that covers `nv` vectors.
template <class T, std::size_t NV = kNV>
void run_micro_kernel(std::size_t nv, std::size_t kc, APanel<T> a, const T* b_panel, T* c, std::size_t ldc,
                      std::size_t rows, std::size_t cols, Update update) {
  if constexpr (NV > 1) {
    if (nv < NV) return run_micro_kernel<T, NV - 1>(nv, kc, a, b_panel, c, ldc, rows, cols, update);
  }
  micro_kernel<T, NV>(kc, a, b_panel, c, ldc, rows, cols, update);
}

// ---- 5. the blocked loops -----------------------------------------------------------------------

template <class T>
struct GemmArgs {
  std::size_t m, n, k;
  const T* a;
  std::size_t lda;
  Transpose ta;
  const T* b;
  std::size_t ldb;
  Transpose tb;
  T* c;
  std::size_t ldc;
};

// Whether the A blocks are packed, or read where they are. Packing pays for itself when a micro-panel
// of A is then reused against many B micro-panels (N = 1024: 43 times). When N is only a few tiles
// wide (the network's N = 50: 3 tiles) each A micro-panel is used so few times that copying it costs
// more than it saves, and the kernel reads op(A) in place instead (BLIS calls this the "sup" case).
// In place, op(A)(i, p) is a[i·lda + p] (row_step lda, k_step 1) or, for a stored Aᵀ,
// a[p·lda + i] (row_step 1, k_step lda). A last panel with fewer than MR rows is still packed, so
// the kernel never reads past the end of A. Packed or not, the same products are added in the same
// order: this choice never changes the result.
enum class APacking { kPack, kInPlace };
constexpr std::size_t kMaxInPlaceUses = 4;  // read A in place when N is at most this many tiles wide

template <class T>
APanel<T> a_panel(const GemmArgs<T>& g, APacking packing, const T* a_pack, std::size_t i0, std::size_t rows,
                  std::size_t p0, std::size_t kc, std::size_t ip) {
  if (packing == APacking::kPack || rows < kMR) return {a_pack + ip * kMR * kc, 1, kMR};
  if (g.ta == Transpose::kNo) return {g.a + i0 * g.lda + p0, g.lda, 1};
  return {g.a + p0 * g.lda + i0, 1, g.lda};
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

// The loop nest of the banner, run by every thread of an OpenMP team (or by the caller alone when
// the product is too small for threads). Two places need the threads to wait for each other, and
// only two, so that a thread delayed by another program on its core stalls the team rarely:
//  - the B panel (all of K × NC) is packed once, shared: each thread packs some micro-panels, and
//    the barrier that ends the `omp for` makes the panel complete before anyone reads it;
//  - then the threads take M blocks, handed out dynamically (a slowed thread just takes fewer),
//    each packing its own A blocks into its own buffer, which stays in its core's L2; the barrier
//    at the end keeps the B panel in use until every block is done.
// Which thread computes a block never changes how its elements are summed.
template <class T>
void gemm_blocked(const GemmArgs<T>& g, APacking a_packing, std::size_t mc, std::size_t kc, std::size_t nc, T* b_pack) {
  constexpr std::size_t kW = Simd<T>::kWidth;
  constexpr std::size_t kNR = Simd<T>::kNR;
  thread_local std::vector<T> a_storage;
  T* a_pack = pack_buffer(a_storage, mc * kc);
  const std::size_t m_blocks = ceil_div(g.m, mc);
  const std::size_t k_blocks = ceil_div(g.k, kc);
  const std::size_t b_block_size = kc * round_up(nc, kNR);  // one K block of the packed B panel
  for (std::size_t jc = 0; jc < g.n; jc += nc) {
    const std::size_t nc_len = std::min(nc, g.n - jc);
    const std::size_t b_panels = ceil_div(nc_len, kNR);
#ifdef _OPENMP
#pragma omp for collapse(2) schedule(static)
#endif
    for (std::size_t kb = 0; kb < k_blocks; ++kb) {
      for (std::size_t jp = 0; jp < b_panels; ++jp) {
        const std::size_t kc_len = std::min(kc, g.k - kb * kc);
        const std::size_t cols = std::min(kNR, nc_len - jp * kNR);
        pack_b_panel(g.b, g.ldb, g.tb, kb * kc, kc_len, jc + jp * kNR, cols, round_up(cols, kW),
                     b_pack + kb * b_block_size + jp * kNR * kc_len);
      }
    }
#ifdef _OPENMP
#pragma omp for schedule(dynamic)
#endif
    for (std::size_t block = 0; block < m_blocks; ++block) {
      const std::size_t ic = block * mc;
      const std::size_t mc_len = std::min(mc, g.m - ic);
      const std::size_t a_panels = ceil_div(mc_len, kMR);
      for (std::size_t kb = 0; kb < k_blocks; ++kb) {
        const std::size_t pc = kb * kc;
        const std::size_t kc_len = std::min(kc, g.k - pc);
        const Update update = kb == 0 ? Update::kOverwrite : Update::kAccumulate;
        for (std::size_t ip = 0; ip < a_panels; ++ip) {
          const std::size_t rows = std::min(kMR, mc_len - ip * kMR);
          if (a_packing == APacking::kPack || rows < kMR)
            pack_a_panel(g.a, g.lda, g.ta, ic + ip * kMR, rows, pc, kc_len, a_pack + ip * kMR * kc_len);
        }
        for (std::size_t jp = 0; jp < b_panels; ++jp) {  // one B micro-panel stays in L1 …
          const std::size_t cols = std::min(kNR, nc_len - jp * kNR);
          const T* b_panel = b_pack + kb * b_block_size + jp * kNR * kc_len;
          for (std::size_t ip = 0; ip < a_panels; ++ip) {  // … while the A micro-panels stream from L2
            const std::size_t rows = std::min(kMR, mc_len - ip * kMR);
            run_micro_kernel(ceil_div(cols, kW), kc_len, a_panel(g, a_packing, a_pack, ic + ip * kMR, rows, pc, kc_len, ip), b_panel,
                             g.c + (ic + ip * kMR) * g.ldc + jc + jp * kNR, g.ldc, rows, cols, update);
          }
        }
      }
    }
  }
}

// Small products: packing would cost more than it saves. Row i of C accumulates
// op(A)(i, p) · row p of op(B); the innermost loop runs along a contiguous row of C.
template <class T>
void gemm_small(const GemmArgs<T>& g) {
  for (std::size_t i = 0; i < g.m; ++i) {
    T* c_row = g.c + i * g.ldc;
    std::fill(c_row, c_row + g.n, T(0));
    for (std::size_t p = 0; p < g.k; ++p) {
      const T aip = g.ta == Transpose::kNo ? g.a[i * g.lda + p] : g.a[p * g.lda + i];
      if (g.tb == Transpose::kNo) {
        const T* b_row = g.b + p * g.ldb;
        for (std::size_t j = 0; j < g.n; ++j) c_row[j] += aip * b_row[j];
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
  const GemmArgs<T> g{m, n, k, a, lda, ta, b, ldb, tb, c, ldc};
  const std::size_t work = m * n * k;
  if (work < kGemmSmallWork) {
    gemm_small(g);
    return;
  }
  // The threads split M, so it is cut into at least one block per thread. mc may depend on the
  // thread count: it only decides who computes a tile, never how a tile is summed (kc does that).
  const int threads = work >= kGemmParallelWork ? max_threads() : 1;
  const std::size_t m_blocks = std::max(ceil_div(m, Blocks<T>::kMaxMC), std::size_t(threads));
  std::size_t mc = round_up(ceil_div(m, m_blocks), kMR);
  std::size_t kc = block_size(k, Blocks<T>::kMaxKC, 1);
  std::size_t nc = block_size(n, std::max(Blocks<T>::kPanelElements / k, Simd<T>::kNR), Simd<T>::kNR);
  APacking a_packing = ceil_div(n, Simd<T>::kNR) <= kMaxInPlaceUses ? APacking::kInPlace : APacking::kPack;
#ifdef SCRATCH_GEMM_TUNE
  if (const char* v = std::getenv("GEMM_MC")) mc = block_size(m, std::atol(v), kMR);
  if (const char* v = std::getenv("GEMM_KC")) kc = block_size(k, std::atol(v), 1);
  if (const char* v = std::getenv("GEMM_INPLACE")) a_packing = std::atoi(v) ? APacking::kInPlace : APacking::kPack;
  if (const char* v = std::getenv("GEMM_NC")) nc = block_size(n, std::atol(v), Simd<T>::kNR);
#endif
  thread_local std::vector<T> b_storage;
  T* b_pack = pack_buffer(b_storage, ceil_div(k, kc) * kc * round_up(nc, Simd<T>::kNR));
#ifdef _OPENMP
  if (threads > 1) {
#pragma omp parallel
    gemm_blocked(g, a_packing, mc, kc, nc, b_pack);
    return;
  }
#endif
  gemm_blocked(g, a_packing, mc, kc, nc, b_pack);
}

template void gemm<float>(std::size_t, std::size_t, std::size_t, const float*, std::size_t, Transpose, const float*,
                          std::size_t, Transpose, float*, std::size_t);
template void gemm<double>(std::size_t, std::size_t, std::size_t, const double*, std::size_t, Transpose,
                           const double*, std::size_t, Transpose, double*, std::size_t);

}  // namespace scratch

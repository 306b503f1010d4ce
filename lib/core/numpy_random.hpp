// numpy_random.hpp — NumPy's legacy np.random (RandomState), bit for bit, to replay the book.
//
// The book's scripts call np.random.randn, np.random.choice and np.random.permutation, which use
// NumPy's legacy RandomState (NumPy keeps its streams frozen for exactly this reason). NumpyRandom
// draws the same numbers from the same seed, so a chapter can start from the book's very weights
// and mini-batches (chapter 4's --rng numpy). It is not ScratchNet's engine (core/random.hpp):
// it exists to compare with the book, and its algorithms are NumPy's, quirks included.
//
//   np.random.seed(s)          MT19937 seeded by init_genrand(s), s in 0 … 2^32 - 1; forgets the
//                              cached normal
//   np.random.rand()           (a·2^26 + b) / 2^53 with a = next32 >> 5, b = next32 >> 6: 53 bits
//                              from two 32-bit draws, in [0, 1)
//   np.random.randn()          the polar Box–Muller method: two uniforms in (-1, 1) until
//                              0 < r² = x1² + x2² < 1, f = sqrt(-2 ln r² / r²), return f·x2 and
//                              cache f·x1 for the next call (the cache is part of the state)
//   np.random.randn(a, b)      a·b such draws filling the array row by row (C order)
//   np.random.permutation(n)   arange(n), then for i = n-1 … 1 swap x[i] with x[j], j uniform in
//                              [0, i] by masked rejection (below)
//   np.random.choice(n, k)     with replacement, p=None: randint(0, n, k), masked rejection in
//                              [0, n-1] for each of the k values
//
// Masked rejection for a uniform integer in [0, max]: mask = the smallest 2^m - 1 >= max; draw
// next32 & mask (next64 & mask when max >= 2^32) until the value is <= max. For n = 60000 the
// mask is 65535 and about 8 % of the draws are rejected.
//
// Verified against NumPy 1.24 (tests/core/test_numpy_random.cpp holds the values and the Python
// that printed them). Not thread-safe; draw from serial code only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace scratch {

class NumpyRandom {
 public:
  // np.random.seed(seed). Throws ValueError when seed > 2^32 - 1, as NumPy does.
  explicit NumpyRandom(std::uint64_t seed = 0);
  void seed(std::uint64_t seed);

  // np.random.rand(): uniform in [0, 1) with 53 random bits.
  double rand();
  std::vector<double> rand(std::size_t count);

  // np.random.randn(): standard normal, polar Box–Muller with NumPy's cache.
  double randn();
  // np.random.randn(a, b) as count = a·b values in C order (row by row).
  std::vector<double> randn(std::size_t count);

  // np.random.permutation(n): 0 … n-1 shuffled.
  std::vector<std::size_t> permutation(std::size_t n);

  // np.random.choice(n, count): count indices in [0, n), with replacement. Throws ValueError for
  // n == 0 when count > 0.
  std::vector<std::size_t> choice(std::size_t n, std::size_t count);

  // np.random.randint(0, max + 1) by NumPy's masked rejection: the uniform integer in [0, max]
  // that the shuffle and randint use.
  std::uint64_t bounded(std::uint64_t max);

  // The generator's raw 32-bit output (what every method above consumes).
  std::uint32_t next_uint32() { return static_cast<std::uint32_t>(mt_()); }

 private:
  // Matsumoto and Nishimura's MT19937: the C++ standard fixes std::mt19937's output and seeding
  // (init_genrand) to the reference code that NumPy's legacy generator also uses.
  std::mt19937 mt_;
  bool has_gauss_ = false;  // randn's second value of the last pair, not returned yet
  double gauss_ = 0.0;
};

}  // namespace scratch

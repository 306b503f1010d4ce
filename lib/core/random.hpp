// random.hpp — one seeded random engine, with distributions we write ourselves.
//
// The standard library fixes mt19937_64's output bit for bit, but not std::normal_distribution's,
// so ScratchNet draws normals and permutations with its own code: the same seed gives the same
// weights, the same shuffles and the same loss curve with every compiler and thread count.
//
// Not thread-safe: draw random numbers from serial code only (we never draw inside OpenMP loops).
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace scratch {

inline constexpr std::uint64_t kDefaultSeed = 42;

class Rng {
 public:
  explicit Rng(std::uint64_t seed = kDefaultSeed);

  // Restarts the sequence; also forgets the cached second normal of Box–Muller.
  void seed(std::uint64_t seed);

  // Uniform in [0, 1), from the top 53 bits of one 64-bit draw.
  double uniform();

  // Standard normal N(0, 1) by the Box–Muller transform; produces two values per pair of uniforms
  // and caches the second.
  double normal();

  // Uniform integer in [0, n), without modulo bias (rejection sampling). n must be > 0.
  std::size_t below(std::size_t n);

  // A uniformly random permutation of 0 … n-1 (Fisher–Yates), like np.random.permutation(n).
  std::vector<std::size_t> permutation(std::size_t n);

  // The whole engine state as text, and back: what a checkpoint stores to resume a run exactly.
  std::string state() const;
  void set_state(const std::string& state);

 private:
  std::mt19937_64 engine_;
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

// The engine the tensor factories and shuffles use when no Rng is passed. `--seed N` sets it.
Rng& global_rng();
void set_seed(std::uint64_t seed);

}  // namespace scratch

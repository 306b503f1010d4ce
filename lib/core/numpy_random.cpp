// numpy_random.cpp — see numpy_random.hpp. The formulas follow NumPy's legacy C code
// (numpy/random/src/legacy/legacy-distributions.c, distributions.c, mt19937.h); every line that
// rounds is written as NumPy rounds it. CMakeLists.txt compiles this file with -ffp-contract=off:
// a fused multiply-add in x1·x1 + x2·x2 would round once instead of twice and change the normals.
#include "core/numpy_random.hpp"

#include <cmath>

#include "core/errors.hpp"

namespace scratch {

NumpyRandom::NumpyRandom(std::uint64_t seed) { this->seed(seed); }

void NumpyRandom::seed(std::uint64_t seed) {
  if (seed > 0xFFFFFFFFull)
    fail<ValueError>("NumpyRandom::seed: ", seed, " is out of range; np.random.seed takes 0 … 2^32 - 1 (4294967295)");
  mt_.seed(static_cast<std::uint32_t>(seed));  // init_genrand(seed)
  has_gauss_ = false;
  gauss_ = 0.0;
}

double NumpyRandom::rand() {
  // The top 27 bits of one draw and the top 26 of the next make one 53-bit integer, scaled by 2^-53.
  const std::uint32_t a = next_uint32() >> 5;
  const std::uint32_t b = next_uint32() >> 6;
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

std::vector<double> NumpyRandom::rand(std::size_t count) {
  std::vector<double> values(count);
  for (double& v : values) v = rand();
  return values;
}

double NumpyRandom::randn() {
  if (has_gauss_) {
    has_gauss_ = false;
    const double cached = gauss_;
    gauss_ = 0.0;
    return cached;
  }
  // A point (x1, x2) uniform in the square (-1, 1)², kept only inside the unit disc (and not at its
  // centre). Then f·x1 and f·x2 with f = sqrt(-2 ln r² / r²) are two independent N(0, 1) values:
  // the polar form of Box–Muller, which needs no sine or cosine.
  double x1, x2, r2;
  do {
    x1 = 2.0 * rand() - 1.0;
    x2 = 2.0 * rand() - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  const double f = std::sqrt(-2.0 * std::log(r2) / r2);
  gauss_ = f * x1;  // kept for the next call
  has_gauss_ = true;
  return f * x2;
}

std::vector<double> NumpyRandom::randn(std::size_t count) {
  std::vector<double> values(count);
  for (double& v : values) v = randn();
  return values;
}

std::uint64_t NumpyRandom::bounded(std::uint64_t max) {
  if (max == 0) return 0;  // NumPy draws nothing for an interval of one value
  // mask = 2^m - 1, the smallest such number >= max: copy the highest set bit into every lower bit.
  std::uint64_t mask = max;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  mask |= mask >> 32;
  std::uint64_t value;
  if (max <= 0xFFFFFFFFull) {
    do value = next_uint32() & mask;
    while (value > max);
  } else {
    // 64 bits from two draws, the first one high (mt19937_next64).
    do {
      const std::uint64_t high = next_uint32();
      const std::uint64_t low = next_uint32();
      value = ((high << 32) | low) & mask;
    } while (value > max);
  }
  return value;
}

std::vector<std::size_t> NumpyRandom::permutation(std::size_t n) {
  std::vector<std::size_t> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = i;
  // Fisher–Yates from the end, as the legacy shuffle: position i swaps with j uniform in [0, i].
  for (std::size_t i = n; i-- > 1;) std::swap(x[i], x[static_cast<std::size_t>(bounded(i))]);
  return x;
}

std::vector<std::size_t> NumpyRandom::choice(std::size_t n, std::size_t count) {
  if (n == 0 && count > 0)
    fail<ValueError>("NumpyRandom::choice: cannot draw ", count, " samples from an empty population (n = 0)");
  std::vector<std::size_t> indices(count);
  for (std::size_t& i : indices) i = static_cast<std::size_t>(bounded(n - 1));
  return indices;
}

}  // namespace scratch

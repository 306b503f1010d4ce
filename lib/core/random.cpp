// random.cpp — see random.hpp.
#include "core/random.hpp"

#include <cmath>
#include <sstream>

#include "core/errors.hpp"

namespace scratch {

Rng::Rng(std::uint64_t seed) : engine_(seed) {}

void Rng::seed(std::uint64_t seed) {
  engine_.seed(seed);
  has_spare_normal_ = false;
}

double Rng::uniform() {
  // 53 random bits scaled by 2^-53: every double in [0, 1) on that grid is equally likely.
  return static_cast<double>(engine_() >> 11) * 0x1.0p-53;
}

double Rng::normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  // Box–Muller: for u1, u2 uniform, r = sqrt(-2 ln u1) and θ = 2π u2 give two independent normals
  // r cos θ and r sin θ. 1 - uniform() lies in (0, 1], so the log is finite.
  const double u1 = 1.0 - uniform();
  const double u2 = uniform();
  const double r = std::sqrt(-2.0 * std::log(u1));
  const double theta = 2.0 * M_PI * u2;
  spare_normal_ = r * std::sin(theta);
  has_spare_normal_ = true;
  return r * std::cos(theta);
}

std::size_t Rng::below(std::size_t n) {
  if (n == 0) fail<ValueError>("Rng::below: n must be positive");
  // Reject the top partial block of 2^64 so that every residue is equally likely.
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  std::uint64_t draw = engine_();
  while (draw >= limit) draw = engine_();
  return static_cast<std::size_t>(draw % n);
}

std::vector<std::size_t> Rng::permutation(std::size_t n) {
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  // Fisher–Yates: position i swaps with a uniformly chosen position in [0, i].
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[below(i)]);
  return order;
}

std::string Rng::state() const {
  std::ostringstream out;
  out.precision(17);
  out << engine_ << ' ' << has_spare_normal_ << ' ' << std::hexfloat << spare_normal_;
  return out.str();
}

void Rng::set_state(const std::string& state) {
  std::istringstream in(state);
  std::mt19937_64 engine;
  bool has_spare = false;
  std::string spare_text;
  in >> engine >> has_spare >> spare_text;
  if (!in) fail<FormatError>("Rng::set_state: the text is not a saved random-engine state");
  engine_ = engine;
  has_spare_normal_ = has_spare;
  spare_normal_ = std::strtod(spare_text.c_str(), nullptr);
}

Rng& global_rng() {
  static Rng rng;
  return rng;
}

void set_seed(std::uint64_t seed) { global_rng().seed(seed); }

}  // namespace scratch

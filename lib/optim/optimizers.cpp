// optimizers.cpp — the update rules of optimizers.hpp, one plain loop each.
//
// Each rule runs on elements [0, n) of one parameter (Optimizer::update, optimizer.cpp, calls it
// chunk by chunk, in place or on checked copies): W = the
// value, g = the gradient, and the state tensors (v, h, m) are those of *this* parameter, found
// by its identity. Each element is updated on its own, so the result is the same on any number of
// threads. The hyperparameters are copied into locals first: the compiler then knows that writing
// W (or v, h, m) cannot change them, and vectorises the loop without checking (read through
// `this`, Adam's loop needed more such checks than GCC makes and stayed scalar).
#include "optim/optimizers.hpp"

#include <cmath>

namespace scratch {
namespace {

// Keeps g / (√h + ε) finite while h is still 0 (the books' value).
constexpr Scalar kEpsilon = Scalar(1e-7);

}  // namespace

// ---- SGD: W ← W − lr·g ----

SGD::SGD(Scalar lr) : Optimizer("SGD", lr, {}) {}

void SGD::update_rule(Scalar* W, const Scalar* g, Scalar* const*, std::size_t n) const {
  const Scalar lr = lr_;
  for (std::size_t i = 0; i < n; ++i) W[i] -= lr * g[i];
}

// ---- Momentum: v ← α·v − lr·g, W ← W + v ----

Momentum::Momentum(Scalar lr, Scalar momentum) : Optimizer("Momentum", lr, {"v"}), momentum_(momentum) {
  check_unit_interval("momentum", momentum);
}

void Momentum::update_rule(Scalar* W, const Scalar* g, Scalar* const* slots, std::size_t n) const {
  const Scalar lr = lr_, a = momentum_;
  Scalar* v = slots[0];
  for (std::size_t i = 0; i < n; ++i) {
    v[i] = a * v[i] - lr * g[i];
    W[i] += v[i];
  }
}

// ---- Nesterov: W ← W + α²·v − (1+α)·lr·g, then v ← α·v − lr·g (v is the previous velocity
// in the first line) ----

Nesterov::Nesterov(Scalar lr, Scalar momentum) : Optimizer("Nesterov", lr, {"v"}), momentum_(momentum) {
  check_unit_interval("momentum", momentum);
}

void Nesterov::update_rule(Scalar* W, const Scalar* g, Scalar* const* slots, std::size_t n) const {
  const Scalar lr = lr_, a = momentum_;
  Scalar* v = slots[0];
  for (std::size_t i = 0; i < n; ++i) {
    W[i] += a * a * v[i] - (1 + a) * lr * g[i];
    v[i] = a * v[i] - lr * g[i];
  }
}

// ---- AdaGrad: h ← h + g⊙g, W ← W − lr·g / (√h + ε) ----

AdaGrad::AdaGrad(Scalar lr) : Optimizer("AdaGrad", lr, {"h"}) {}

void AdaGrad::update_rule(Scalar* W, const Scalar* g, Scalar* const* slots, std::size_t n) const {
  const Scalar lr = lr_;
  Scalar* h = slots[0];
  for (std::size_t i = 0; i < n; ++i) {
    h[i] += g[i] * g[i];
    W[i] -= lr * g[i] / (std::sqrt(h[i]) + kEpsilon);
  }
}

// ---- RMSprop: h ← ρ·h + (1−ρ)·g⊙g, W ← W − lr·g / (√h + ε) ----

RMSprop::RMSprop(Scalar lr, Scalar decay_rate) : Optimizer("RMSprop", lr, {"h"}), decay_rate_(decay_rate) {
  check_unit_interval("decay_rate", decay_rate);
}

void RMSprop::update_rule(Scalar* W, const Scalar* g, Scalar* const* slots, std::size_t n) const {
  const Scalar lr = lr_, rho = decay_rate_;
  Scalar* h = slots[0];
  for (std::size_t i = 0; i < n; ++i) {
    h[i] = rho * h[i] + (1 - rho) * g[i] * g[i];
    W[i] -= lr * g[i] / (std::sqrt(h[i]) + kEpsilon);
  }
}

// ---- Adam: m ← m + (1−β₁)(g − m), v ← v + (1−β₂)(g⊙g − v), W ← W − lr_t·m / (√v + ε) ----

Adam::Adam(Scalar lr, Scalar beta1, Scalar beta2) : Optimizer("Adam", lr, {"m", "v"}), beta1_(beta1), beta2_(beta2) {
  check_unit_interval("beta1", beta1);
  check_unit_interval("beta2", beta2);
}

// Bias correction, computed in double: β₂ᵗ with β₂ = 0.999 is 1 − 0.001·t at first, and in float
// 1 − β₂ᵗ would lose most of its digits.
void Adam::begin_update(std::size_t t) {
  const double td = static_cast<double>(t);
  lr_t_ = static_cast<Scalar>(static_cast<double>(lr_) * std::sqrt(1.0 - std::pow(double(beta2_), td)) /
                              (1.0 - std::pow(double(beta1_), td)));
}

void Adam::update_rule(Scalar* W, const Scalar* g, Scalar* const* slots, std::size_t n) const {
  const Scalar lr_t = lr_t_, b1 = beta1_, b2 = beta2_;
  Scalar* m = slots[0];
  Scalar* v = slots[1];
  for (std::size_t i = 0; i < n; ++i) {
    m[i] += (1 - b1) * (g[i] - m[i]);
    v[i] += (1 - b2) * (g[i] * g[i] - v[i]);
    W[i] -= lr_t * m[i] / (std::sqrt(v[i]) + kEpsilon);
  }
}

}  // namespace scratch

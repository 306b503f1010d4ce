// optimizers.cpp — the update rules of optimizers.hpp, one plain loop per parameter.
//
// In every loop: W = the parameter's value, g = its gradient, and the state tensors (v, h, m) are
// those of *this* parameter, found by its identity in begin_step (optimizer.cpp).
//
// The loops over a large parameter's elements are split between threads (for_each_chunk below,
// core/parallel.hpp says why); each element is updated on its own, so the result is the same on
// any number of threads. The hyperparameters are copied into locals and captured by value: the
// compiler then knows that writing W (or v, h, m) cannot change them, and vectorises the loop
// without checking (by reference, Adam's loop needed more such checks than GCC makes and stayed scalar).
#include "optim/optimizers.hpp"

#include <cmath>

#include "core/parallel.hpp"

namespace scratch {
namespace {

// Keeps g / (√h + ε) finite while h is still 0 (the books' value).
constexpr Scalar kEpsilon = Scalar(1e-7);

// Calls body(k, begin, end) for chunks [begin, end) of parameter k's elements.
template <class Body>
void for_each_chunk(const std::vector<ParamPtr>& params, Body&& body) {
  for (std::size_t k = 0; k < params.size(); ++k)
    parallel_for_chunks(params[k]->value.size(), kCostOperandElement,
                        [&](std::size_t begin, std::size_t end) { body(k, begin, end); });
}

}  // namespace

// ---- SGD: W ← W − lr·g ----

SGD::SGD(Scalar lr) : Optimizer("SGD", lr, {}) {}

void SGD::update(const std::vector<ParamPtr>& params) {
  begin_step(params);
  const Scalar lr = lr_;
  for_each_chunk(params, [&, lr](std::size_t k, std::size_t begin, std::size_t end) {
    Scalar* W = params[k]->value.data();
    const Scalar* g = params[k]->grad.data();
    for (std::size_t i = begin; i < end; ++i) W[i] -= lr * g[i];
  });
}

// ---- Momentum: v ← α·v − lr·g, W ← W + v ----

Momentum::Momentum(Scalar lr, Scalar momentum) : Optimizer("Momentum", lr, {"v"}), momentum_(momentum) {
  check_unit_interval("momentum", momentum);
}

void Momentum::update(const std::vector<ParamPtr>& params) {
  const std::vector<ParamState*>& states = begin_step(params);
  const Scalar lr = lr_, a = momentum_;
  for_each_chunk(params, [&, lr, a](std::size_t k, std::size_t begin, std::size_t end) {
    Scalar* W = params[k]->value.data();
    const Scalar* g = params[k]->grad.data();
    Scalar* v = states[k]->slots[0].data();
    for (std::size_t i = begin; i < end; ++i) {
      v[i] = a * v[i] - lr * g[i];
      W[i] += v[i];
    }
  });
}

// ---- Nesterov: W ← W + α²·v − (1+α)·lr·g, then v ← α·v − lr·g (v is the previous velocity
// in the first line) ----

Nesterov::Nesterov(Scalar lr, Scalar momentum) : Optimizer("Nesterov", lr, {"v"}), momentum_(momentum) {
  check_unit_interval("momentum", momentum);
}

void Nesterov::update(const std::vector<ParamPtr>& params) {
  const std::vector<ParamState*>& states = begin_step(params);
  const Scalar lr = lr_, a = momentum_;
  for_each_chunk(params, [&, lr, a](std::size_t k, std::size_t begin, std::size_t end) {
    Scalar* W = params[k]->value.data();
    const Scalar* g = params[k]->grad.data();
    Scalar* v = states[k]->slots[0].data();
    for (std::size_t i = begin; i < end; ++i) {
      W[i] += a * a * v[i] - (1 + a) * lr * g[i];
      v[i] = a * v[i] - lr * g[i];
    }
  });
}

// ---- AdaGrad: h ← h + g⊙g, W ← W − lr·g / (√h + ε) ----

AdaGrad::AdaGrad(Scalar lr) : Optimizer("AdaGrad", lr, {"h"}) {}

void AdaGrad::update(const std::vector<ParamPtr>& params) {
  const std::vector<ParamState*>& states = begin_step(params);
  const Scalar lr = lr_;
  for_each_chunk(params, [&, lr](std::size_t k, std::size_t begin, std::size_t end) {
    Scalar* W = params[k]->value.data();
    const Scalar* g = params[k]->grad.data();
    Scalar* h = states[k]->slots[0].data();
    for (std::size_t i = begin; i < end; ++i) {
      h[i] += g[i] * g[i];
      W[i] -= lr * g[i] / (std::sqrt(h[i]) + kEpsilon);
    }
  });
}

// ---- RMSprop: h ← ρ·h + (1−ρ)·g⊙g, W ← W − lr·g / (√h + ε) ----

RMSprop::RMSprop(Scalar lr, Scalar decay_rate) : Optimizer("RMSprop", lr, {"h"}), decay_rate_(decay_rate) {
  check_unit_interval("decay_rate", decay_rate);
}

void RMSprop::update(const std::vector<ParamPtr>& params) {
  const std::vector<ParamState*>& states = begin_step(params);
  const Scalar lr = lr_, rho = decay_rate_;
  for_each_chunk(params, [&, lr, rho](std::size_t k, std::size_t begin, std::size_t end) {
    Scalar* W = params[k]->value.data();
    const Scalar* g = params[k]->grad.data();
    Scalar* h = states[k]->slots[0].data();
    for (std::size_t i = begin; i < end; ++i) {
      h[i] = rho * h[i] + (1 - rho) * g[i] * g[i];
      W[i] -= lr * g[i] / (std::sqrt(h[i]) + kEpsilon);
    }
  });
}

// ---- Adam: m ← m + (1−β₁)(g − m), v ← v + (1−β₂)(g⊙g − v), W ← W − lr_t·m / (√v + ε) ----

Adam::Adam(Scalar lr, Scalar beta1, Scalar beta2) : Optimizer("Adam", lr, {"m", "v"}), beta1_(beta1), beta2_(beta2) {
  check_unit_interval("beta1", beta1);
  check_unit_interval("beta2", beta2);
}

void Adam::update(const std::vector<ParamPtr>& params) {
  const std::vector<ParamState*>& states = begin_step(params);
  // Bias correction, computed in double: β₂ᵗ with β₂ = 0.999 is 1 − 0.001·t at first, and in float
  // 1 − β₂ᵗ would lose most of its digits.
  const double t = static_cast<double>(steps());
  const Scalar lr_t = static_cast<Scalar>(static_cast<double>(lr_) * std::sqrt(1.0 - std::pow(double(beta2_), t)) /
                                          (1.0 - std::pow(double(beta1_), t)));
  const Scalar b1 = beta1_, b2 = beta2_;
  for_each_chunk(params, [&, lr_t, b1, b2](std::size_t k, std::size_t begin, std::size_t end) {
    Scalar* W = params[k]->value.data();
    const Scalar* g = params[k]->grad.data();
    Scalar* m = states[k]->slots[0].data();
    Scalar* v = states[k]->slots[1].data();
    for (std::size_t i = begin; i < end; ++i) {
      m[i] += (1 - b1) * (g[i] - m[i]);
      v[i] += (1 - b2) * (g[i] * g[i] - v[i]);
      W[i] -= lr_t * m[i] / (std::sqrt(v[i]) + kEpsilon);
    }
  });
}

}  // namespace scratch

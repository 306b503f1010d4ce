// activations.cpp — Relu, Sigmoid and Tanh; see activations.hpp. Each line is the formula, applied
// element by element (tensor/ops.hpp's apply: plain loops, split between threads when large).
#include "layers/activations.hpp"

#include "tensor/ops.hpp"

namespace scratch {

// ---- Relu: y = max(0, x), dx = dout ⊙ [x > 0] ----
// Both written as the book's mask "x <= 0 → 0", so that a NaN passes through (NaN <= 0 is false),
// as in NumPy. Both values are plain arguments of the choice, which compiles to a vector blend: a
// branch on a random sign would be mispredicted half the time. A blocked gradient is 0, never −0.

Tensor Relu::forward_impl(const Tensor& x) {
  x_ = x;  // reuses x_'s memory when the shape is unchanged
  return apply(x, [](Scalar v) { return v <= 0 ? Scalar(0) : v; });
}

Tensor Relu::backward_impl(const Tensor& dout) {
  return apply(dout, x_, [](Scalar g, Scalar x) { return x <= 0 ? Scalar(0) : g; });
}

// ---- Sigmoid: y = 1 / (1 + exp(−x)), dx = dout ⊙ y ⊙ (1 − y) ----

Tensor Sigmoid::forward_impl(const Tensor& x) {
  y_ = sigmoid(x);
  return y_;  // a copy: the caller may change it without touching the cache
}

Tensor Sigmoid::backward_impl(const Tensor& dout) {
  return apply(dout, y_, [](Scalar g, Scalar y) { return g * y * (1 - y); });
}

// ---- Tanh: y = tanh(x), dx = dout ⊙ (1 − y²) ----

Tensor Tanh::forward_impl(const Tensor& x) {
  y_ = tanh(x);
  return y_;
}

Tensor Tanh::backward_impl(const Tensor& dout) {
  return apply(dout, y_, [](Scalar g, Scalar y) { return g * (1 - y * y); });
}

}  // namespace scratch

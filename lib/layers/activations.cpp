// activations.cpp — Relu and Sigmoid; see activations.hpp.
#include "layers/activations.hpp"

#include <cmath>

#include "layers/layer_util.hpp"

namespace scratch {

// ---- Relu: y = max(0, x), dx = dout ⊙ [x > 0] ----

Tensor Relu::forward(const Tensor& x) {
  mask_.resize(x.shape());
  Tensor y = Tensor::empty(x.shape());
  const Scalar* in = x.data();
  Scalar* mask = mask_.data();
  Scalar* out = y.data();
  // Written as "x <= 0 → 0" rather than "x > 0 → x" so that a NaN is kept, as NumPy's version does.
  parallel_for_chunks(x.size(), kCostSimple, [=](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      mask[i] = in[i] <= 0 ? Scalar(0) : Scalar(1);
      out[i] = in[i] <= 0 ? Scalar(0) : in[i];
    }
  });
  has_forward_ = true;
  return y;
}

Tensor Relu::backward(const Tensor& dout) {
  detail::check_backward("relu", has_forward_, dout, mask_.shape());
  Tensor dx = Tensor::empty(dout.shape());
  const Scalar* g = dout.data();
  const Scalar* mask = mask_.data();
  Scalar* out = dx.data();
  // dx = dout ⊙ mask, written as a choice so that a blocked negative gradient shows as 0, not −0.
  // g[i] is read whether it is kept or not: a load in only one branch keeps the compiler from
  // turning the choice into a vector blend, and a branch on a random mask is mispredicted half the time.
  parallel_for_chunks(dout.size(), kCostSimple, [=](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const Scalar gi = g[i];
      out[i] = mask[i] != 0 ? gi : Scalar(0);
    }
  });
  return dx;
}

// ---- Sigmoid: y = 1 / (1 + exp(−x)), dx = dout ⊙ y ⊙ (1 − y) ----

Tensor Sigmoid::forward(const Tensor& x) {
  y_.resize(x.shape());
  const Scalar* in = x.data();
  Scalar* y = y_.data();
  parallel_for_chunks(x.size(), kCostTranscendental, [=](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) y[i] = Scalar(1) / (Scalar(1) + std::exp(-in[i]));
  });
  has_forward_ = true;
  return y_;  // a copy: the caller may change it without touching the cache
}

Tensor Sigmoid::backward(const Tensor& dout) {
  detail::check_backward("sigmoid", has_forward_, dout, y_.shape());
  Tensor dx = Tensor::empty(dout.shape());
  const Scalar* g = dout.data();
  const Scalar* y = y_.data();
  Scalar* out = dx.data();
  parallel_for_chunks(dout.size(), kCostSimple, [=](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) out[i] = g[i] * y[i] * (Scalar(1) - y[i]);
  });
  return dx;
}

}  // namespace scratch

// dropout.cpp — Dropout; see dropout.hpp for the math and why the book's (non-inverted) form.
#include "layers/dropout.hpp"

#include <cmath>

#include "tensor/ops.hpp"

namespace scratch {

Dropout::Dropout(Scalar ratio, Rng& rng) : Layer("dropout"), ratio_(ratio), rng_(rng) {
  if (!(ratio >= 0 && ratio < 1))
    fail<ValueError>("dropout: ratio is ", ratio, "; it must be in [0, 1) (the fraction of values dropped while "
                     "training; 1 would drop them all)");
}

Tensor Dropout::forward_impl(const Tensor& x) {
  forward_mode_ = mode();
  if (mode() == Mode::kInference) return x * (1 - ratio_);  // y = (1 − r) · x
  if (policy_ == DropoutMask::kDraw || mask_.shape() != x.shape()) {
    mask_.resize(x.shape());
    // mask = [u > r], one uniform per value in row-major order, drawn serially (thread-count independent).
    for (Scalar& m : mask_) m = rng_.uniform() > static_cast<double>(ratio_) ? Scalar(1) : Scalar(0);
  }
  return x * mask_;  // y = x ⊙ mask
}

Tensor Dropout::backward_impl(const Tensor& dout) {
  if (forward_mode_ == Mode::kInference) return dout * (1 - ratio_);  // dx = (1 − r) · dout
  return dout * mask_;                                                // dx = dout ⊙ mask
}

}  // namespace scratch

// losses.cpp — SigmoidWithLoss; see losses.hpp for the math.
#include "layers/losses.hpp"

#include <algorithm>
#include <cmath>

#include "core/parallel.hpp"
#include "tensor/ops.hpp"

namespace scratch {

// ---- SigmoidWithLoss: loss = (1/N) Σ_i max(x_i, 0) − x_i t_i + log(1 + e^(−|x_i|)),  dx = (σ(x) − t)/N ----

Scalar SigmoidWithLoss::forward_impl(const Tensor& x, const Tensor& t) {
  if (x.ndim() == 0)
    fail<ShapeError>("sigmoid_with_loss: x is a 0-d scalar; expected a batch (N, …) of scores (a 1-d x (N,) is ",
                     "N samples with one score each)");
  if (t.shape() != x.shape())
    fail<ShapeError>("sigmoid_with_loss: t has shape ", shape_string(t.shape()), " but x has shape ",
                     shape_string(x.shape()), ": t holds the target probability of every output, so it must be shaped",
                     " like x (for an autoencoder, t is the input image itself)");
  const std::size_t n = x.shape()[0];
  if (n == 0 || x.size() == 0)
    fail<ValueError>("sigmoid_with_loss: the batch is empty (x has shape ", shape_string(x.shape()),
                     "); a mean over 0 samples is undefined");
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!(t[i] >= 0 && t[i] <= 1))
      fail<ValueError>("sigmoid_with_loss: target t[", i, "] = ", t[i], " is not a probability in [0, 1] (t has shape ",
                       shape_string(t.shape()), "; scale images to [0, 1], e.g. PixelScale::kUnit)");
  }
  const std::size_t d = x.size() / n;  // outputs per sample
  batch_ = n;
  y_.resize(x.shape());
  t_ = t;
  row_loss_.resize(n);

  parallel_for(n, d * kCostTranscendental, [&](std::size_t row) {
    const Scalar* xr = x.data() + row * d;
    const Scalar* tr = t.data() + row * d;
    Scalar* yr = y_.data() + row * d;
    double loss = 0;
    for (std::size_t i = 0; i < d; ++i) {
      const Scalar xi = xr[i];
      yr[i] = sigmoid(xi);
      // max(x, 0) − x t + log(1 + e^(−|x|)): the exponent is ≤ 0, so nothing overflows.
      loss += std::max(xi, Scalar(0)) - xi * tr[i] + std::log1p(std::exp(-std::abs(xi)));
    }
    row_loss_[row] = loss;
  });
  double total = 0;  // summed in sample order: the same result for every thread count
  for (const double l : row_loss_) total += l;
  return static_cast<Scalar>(total / static_cast<double>(n));
}

Tensor SigmoidWithLoss::backward_impl(Scalar dout) {
  const Scalar scale = dout / static_cast<Scalar>(batch_);
  Tensor dx = Tensor::empty(y_.shape());
  for (std::size_t i = 0; i < dx.size(); ++i) dx[i] = (y_[i] - t_[i]) * scale;  // (y − t)/N · dout
  return dx;
}

}  // namespace scratch

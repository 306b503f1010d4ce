// softmax.cpp — softmax, log_softmax, cross_entropy_error, Softmax, Log, LogSoftmax and SoftmaxWithLoss;
// see softmax.hpp.
#include "layers/softmax.hpp"

#include <algorithm>
#include <cmath>

#include "tensor/ops.hpp"

namespace scratch {
namespace {

// The book's δ in −log(y + δ): small enough not to matter for y ≫ 1e-7, big enough that log never sees 0.
constexpr Scalar kCrossEntropyDelta = Scalar(1e-7);

// One row's maximum m and log Σ_j exp(x_j − m): together they give log y_j = (x_j − m) − log_sum.
struct RowStats {
  Scalar max;
  Scalar log_sum;
};

// y_j = exp(x_j − m) / Σ_k exp(x_k − m) for one row of c scores. Subtracting m keeps every exp()
// argument ≤ 0: no overflow, and the largest term is exactly 1 so the sum is ≥ 1 (no log(0)).
RowStats softmax_row(const Scalar* x, Scalar* y, std::size_t c) {
  const Scalar m = *std::max_element(x, x + c);
  Scalar sum = 0;
  for (std::size_t j = 0; j < c; ++j) {
    y[j] = std::exp(x[j] - m);
    sum += y[j];
  }
  for (std::size_t j = 0; j < c; ++j) y[j] /= sum;
  return {m, std::log(sum)};
}

// N and C of scores or probabilities x: (N, C), or (C,) as a batch of one.
struct Batch {
  std::size_t n, c;
};

Batch batch_of(const char* op, const Tensor& x) {
  if (x.ndim() != 1 && x.ndim() != 2)
    fail<ShapeError>(op, ": x has shape ", shape_string(x.shape()),
                     "; expected a batch (N, C) or one sample (C,) (reshape images to (N, C) first)");
  const Batch b = x.ndim() == 1 ? Batch{1, x.shape()[0]} : Batch{x.shape()[0], x.shape()[1]};
  if (b.n == 0)
    fail<ValueError>(op, ": the batch is empty (x has shape ", shape_string(x.shape()),
                     "); a mean over 0 samples is undefined");
  if (b.c == 0) fail<ShapeError>(op, ": x has shape ", shape_string(x.shape()), ", i.e. no classes to choose from");
  return b;
}

// Rows of x along its last axis: how many, and their length C. Throws ShapeError naming `op` for a
// 0-d x or rows of no classes.
Batch rows_of(const char* op, const Tensor& x) {
  if (x.ndim() == 0) fail<ShapeError>(op, ": x is a 0-d scalar; ", op, " needs at least one axis of scores");
  const std::size_t c = x.shape().back();
  const std::size_t rows = shape_size(Shape(x.shape().begin(), x.shape().end() - 1));
  if (c == 0 && rows > 0)
    fail<ShapeError>(op, ": x has shape ", shape_string(x.shape()),
                     ", i.e. rows with no classes: a probability distribution over nothing does not exist");
  return {rows, c};
}

}  // namespace

// ---- softmax, log_softmax and the book's cross-entropy error ----

Tensor softmax(const Tensor& x) {
  const Batch b = rows_of("softmax", x);
  Tensor y = Tensor::empty(x.shape());
  parallel_for(b.n, b.c * kCostTranscendental,
               [&](std::size_t n) { softmax_row(x.data() + n * b.c, y.data() + n * b.c, b.c); });
  return y;
}

Tensor log_softmax(const Tensor& x) {
  const Batch b = rows_of("log_softmax", x);
  Tensor y = Tensor::empty(x.shape());
  parallel_for(b.n, b.c * kCostTranscendental, [&](std::size_t n) {
    const Scalar* xn = x.data() + n * b.c;
    Scalar* yn = y.data() + n * b.c;
    const RowStats s = softmax_row(xn, yn, b.c);                         // yn holds p for a moment
    for (std::size_t j = 0; j < b.c; ++j) yn[j] = (xn[j] - s.max) - s.log_sum;  // log p_j, never log(0)
  });
  return y;
}

Scalar cross_entropy_error(const Tensor& y, const Tensor& t) {
  const Batch b = batch_of("cross_entropy_error", y);
  const LabelFormat format = label_format("cross_entropy_error", y.shape(), t);
  // y must be probabilities. Scores passed by mistake give log of a negative number (NaN) or a
  // negative "loss"; NaN itself passes through, so a diverging network stays visible.
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (y[i] < 0 || y[i] > 1)
      fail<ValueError>("cross_entropy_error: ",
                       y.ndim() == 1 ? concat("y[", i, "]") : concat("y[", i / b.c, ", ", i % b.c, "]"), " = ", y[i],
                       " is not a probability in [0, 1]; pass y = softmax(x), not the scores x (or use "
                       "SoftmaxWithLoss, which takes scores)");
  }
  double total = 0;  // serial sum in double: deterministic and accurate
  if (format == LabelFormat::kIndex) {
    for (std::size_t n = 0; n < b.n; ++n)
      total -= std::log(y[n * b.c + static_cast<std::size_t>(t[n])] + kCrossEntropyDelta);
  } else {
    for (std::size_t i = 0; i < y.size(); ++i)
      if (t[i] != 0) total -= t[i] * std::log(y[i] + kCrossEntropyDelta);
  }
  return static_cast<Scalar>(total / static_cast<double>(b.n));
}

// ---- Softmax layer: y = softmax(x), dx = y ⊙ (dout − Σ_j dout_j y_j) ----

Tensor Softmax::forward_impl(const Tensor& x) {
  y_ = softmax(x);
  return y_;  // a copy
}

Tensor Softmax::backward_impl(const Tensor& dout) {
  Tensor dx = Tensor::empty(dout.shape());
  const std::size_t c = y_.shape().back();
  const std::size_t rows = c == 0 ? 0 : y_.size() / c;
  // ∂y_j/∂x_i = y_j (δ_ij − y_i), so dx_i = Σ_j dout_j y_j (δ_ij − y_i) = y_i (dout_i − Σ_j dout_j y_j).
  parallel_for(rows, c * 2 * kCostSimple, [&](std::size_t n) {  // two passes over the row
    const Scalar* y = y_.data() + n * c;
    const Scalar* g = dout.data() + n * c;
    Scalar* out = dx.data() + n * c;
    Scalar dot = 0;
    for (std::size_t j = 0; j < c; ++j) dot += g[j] * y[j];
    for (std::size_t j = 0; j < c; ++j) out[j] = y[j] * (g[j] - dot);
  });
  return dx;
}

// ---- Log layer: y = log(x), dx = dout / x ----

Tensor Log::forward_impl(const Tensor& x) {
  x_ = x;  // reuses x_'s memory when the shape is unchanged
  return log(x);
}

Tensor Log::backward_impl(const Tensor& dout) {
  return apply(dout, x_, [](Scalar g, Scalar x) { return g / x; });
}

// ---- LogSoftmax layer: y = x − m − log Σ exp(x − m), dx = dout − p · Σ_j dout_j ----

Tensor LogSoftmax::forward_impl(const Tensor& x) {
  const Batch b = rows_of("log_softmax", x);
  p_.resize(x.shape());
  Tensor y = Tensor::empty(x.shape());
  parallel_for(b.n, b.c * kCostTranscendental, [&](std::size_t n) {
    const Scalar* xn = x.data() + n * b.c;
    const RowStats s = softmax_row(xn, p_.data() + n * b.c, b.c);  // p = softmax(x), cached for backward
    for (std::size_t j = 0; j < b.c; ++j) y[n * b.c + j] = (xn[j] - s.max) - s.log_sum;
  });
  return y;
}

Tensor LogSoftmax::backward_impl(const Tensor& dout) {
  Tensor dx = Tensor::empty(dout.shape());
  const std::size_t c = p_.shape().back();
  const std::size_t rows = c == 0 ? 0 : p_.size() / c;
  // ∂y_j/∂x_i = δ_ij − p_i, so dx_i = dout_i − p_i Σ_j dout_j: no division, so p_i = 0 is harmless.
  parallel_for(rows, c * 2 * kCostSimple, [&](std::size_t n) {
    const Scalar* p = p_.data() + n * c;
    const Scalar* g = dout.data() + n * c;
    Scalar* out = dx.data() + n * c;
    Scalar sum = 0;
    for (std::size_t j = 0; j < c; ++j) sum += g[j];
    for (std::size_t j = 0; j < c; ++j) out[j] = g[j] - p[j] * sum;
  });
  return dx;
}

// ---- SoftmaxWithLoss: loss = mean_n [log Σ_j exp(x_nj − m_n) − (x_n,t_n − m_n)], dx = (y − t)/N ----

Scalar SoftmaxWithLoss::forward_impl(const Tensor& x, const Tensor& t) {
  const Batch b = batch_of("softmax_with_loss", x);
  labels_ = label_format("softmax_with_loss", x.shape(), t);
  const bool one_hot = labels_ == LabelFormat::kOneHot;
  if (one_hot) {
    // (y − t)/N is the gradient only when each row of t sums to 1; anything else is a labelling bug.
    for (std::size_t n = 0; n < b.n; ++n) {
      Scalar row_sum = 0;
      for (std::size_t j = 0; j < b.c; ++j) row_sum += t[n * b.c + j];
      if (!(std::abs(row_sum - 1) <= Scalar(1e-4)))
        fail<ValueError>("softmax_with_loss: row ", n, " of the one-hot labels t ", shape_string(t.shape()),
                         " sums to ", row_sum, ", not 1 (each row must be one-hot or a probability distribution)");
    }
  }
  batch_ = b.n;
  y_.resize(x.shape());
  t_ = t;
  row_loss_.resize(b.n);

  // Per sample: y = softmax(x) and −log y_t = log Σ_j exp(x_j − m) − (x_t − m), never log(0).
  parallel_for(b.n, b.c * kCostTranscendental, [&](std::size_t n) {
    const Scalar* xn = x.data() + n * b.c;
    const RowStats s = softmax_row(xn, y_.data() + n * b.c, b.c);
    if (!one_hot) {
      row_loss_[n] = s.log_sum - (xn[static_cast<std::size_t>(t_[n])] - s.max);
      return;
    }
    Scalar loss = 0;
    for (std::size_t j = 0; j < b.c; ++j) {
      const Scalar tj = t_[n * b.c + j];
      if (tj != 0) loss += tj * (s.log_sum - (xn[j] - s.max));
    }
    row_loss_[n] = loss;
  });
  double total = 0;  // summed in sample order: the same result for every thread count
  for (Scalar l : row_loss_) total += l;
  return static_cast<Scalar>(total / static_cast<double>(b.n));
}

Tensor SoftmaxWithLoss::backward_impl(Scalar dout) {
  const Scalar scale = dout / static_cast<Scalar>(batch_);
  Tensor dx = Tensor::empty(y_.shape());
  const std::size_t c = y_.shape().back();
  if (labels_ == LabelFormat::kOneHot) {
    for (std::size_t i = 0; i < dx.size(); ++i) dx[i] = (y_[i] - t_[i]) * scale;  // (y − t)/N · dout
  } else {
    for (std::size_t i = 0; i < dx.size(); ++i) dx[i] = y_[i] * scale;
    for (std::size_t n = 0; n < batch_; ++n) dx[n * c + static_cast<std::size_t>(t_[n])] -= scale;  // − t
  }
  return dx;
}

}  // namespace scratch

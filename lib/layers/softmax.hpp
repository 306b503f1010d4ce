// softmax.hpp — turning scores into probabilities, and the losses built on them.
//
// Shapes: N samples, C classes. x holds scores ("logits"), y probabilities, t labels.
//
//   softmax(x)                 y_j = exp(x_j − m) / Σ_k exp(x_k − m),  m = max_k x_k   (per row)
//   cross_entropy_error(y, t)  E = −(1/N) Σ_n log(y[n, t_n] + 1e-7)                  (the book's)
//   Softmax    forward  y = softmax(x)         backward  dx = y ⊙ (dout − Σ_j dout_j y_j)
//   Log        forward  y = log(x)             backward  dx = dout / x
//   LogSoftmax forward  y = x − m − log Σ_k exp(x_k − m)   backward  dx = dout − softmax(x) · Σ_j dout_j
//   SoftmaxWithLoss  forward  loss = (1/N) Σ_n [log Σ_j exp(x_nj − m_n) − (x_n,t_n − m_n)]
//                    backward dx = (y − t) / N · dout
//
// Subtracting the row maximum m changes nothing mathematically (it cancels between numerator and
// denominator) but keeps every exp() argument ≤ 0, so nothing overflows: softmax of (1000, 1001)
// is (0.269, 0.731), where the direct formula gives ∞/∞ = NaN.
//
// Labels t come in two forms: one-hot (N, C) — one row per sample with a 1 at its class (a row may
// also be any probability distribution) — or class indices (N,), whole numbers in [0, C). For a
// single sample x (C,), t is (C,) one-hot or one index, shape () or (1,) (one-hot wins when C = 1).
#pragma once

#include <vector>

#include "layers/layer.hpp"
#include "tensor/labels.hpp"

namespace scratch {

// Softmax along the last axis of x (each row of an (N, C) batch; a 1-d x is one row). Returns a new
// tensor of x's shape; x is never modified (one seed subtracted the maximum from x in place,
// corrupting its caller's scores). Throws ShapeError for a 0-d x or rows of 0 classes, (N, 0).
Tensor softmax(const Tensor& x);

// log(softmax(x)) along the last axis, computed as x_j − m − log Σ_k exp(x_k − m) (m the row maximum):
// every term is finite for finite x, even where softmax(x)_j underflows to 0 and log of it would be
// −∞ (scores (0, 1000) give (−1000, 0)). Same shapes and errors as softmax (messages start "log_softmax").
Tensor log_softmax(const Tensor& x);

// The book's cross-entropy error of probabilities y (N, C) or (C,) against labels t (one-hot or
// indices, see above): −(1/N) Σ_n Σ_j t_nj log(y_nj + δ) with δ = 1e-7. The δ keeps log(0) = −∞ out
// of the result when a probability underflows to 0 (the loss is then at most −log(1e-7) ≈ 16.1 per
// sample); it also biases the value by up to δ/y, which is why SoftmaxWithLoss does not use it.
// Throws ShapeError/ValueError for labels that do not fit y, ValueError for an empty batch and for a y
// outside [0, 1] (scores passed where probabilities belong).
Scalar cross_entropy_error(const Tensor& y, const Tensor& t);

class Softmax : public Layer {
 public:
  Softmax() : Layer("softmax") {}
  std::string name() const override { return "Softmax"; }

 private:
  // x (any shape, rows along the last axis) → y = softmax(x); caches a copy of y.
  Tensor forward_impl(const Tensor& x) override;
  // dx = y ⊙ (dout − Σ_j dout_j y_j), the softmax Jacobian (diag(y) − y yᵀ) times dout, row by row,
  // without building the C×C Jacobian.
  Tensor backward_impl(const Tensor& dout) override;
  Tensor y_;
};

class Log : public Layer {
 public:
  Log() : Layer("log") {}
  std::string name() const override { return "Log"; }

 private:
  // y = log(x) (natural log); caches a copy of x. No epsilon is added (one seed used log(x + 1e-12),
  // which shifts every value): log(0) is −∞ and log of a negative number NaN, exactly as in IEEE
  // arithmetic and NumPy. Feed it softmax probabilities, which are > 0 unless they underflow; use
  // SoftmaxWithLoss when you need a loss that never sees log(0).
  Tensor forward_impl(const Tensor& x) override;
  // dx = dout / x. At x = 0 this is ±∞ where dout ≠ 0 and NaN where dout = 0 (0/0).
  Tensor backward_impl(const Tensor& dout) override;
  Tensor x_;
};

// Softmax and Log in one layer, computed without ever forming a probability that could underflow:
//   forward   y_j  = x_j − m − log Σ_k exp(x_k − m)                    (log-sum-exp, m = max_k x_k)
//   backward  dx_i = Σ_j dout_j ∂y_j/∂x_i = Σ_j dout_j (δ_ij − p_i) = dout_i − p_i Σ_j dout_j
// with p = softmax(x) = exp(y). Softmax → Log computes the same backward as (dout / p) pushed through
// softmax's Jacobian: where p_j underflows to 0 that is 0/0 = NaN (or ∞ · 0), while here p_j only
// multiplies and p_j = 0 simply contributes nothing. Rows run along the last axis; any shape.
class LogSoftmax : public Layer {
 public:
  LogSoftmax() : Layer("log_softmax") {}
  std::string name() const override { return "LogSoftmax"; }

 private:
  // x (…, C) → y = log_softmax(x), x's shape; caches p = softmax(x).
  Tensor forward_impl(const Tensor& x) override;
  // dout (…, C) → dx = dout − p · Σ_j dout_j, row by row.
  Tensor backward_impl(const Tensor& dout) override;
  Tensor p_;
};

// Softmax followed by the cross-entropy loss, fused: the composition has the simple gradient
// (y − t)/N, and computing the loss through log-softmax needs no epsilon and never takes log(0).
class SoftmaxWithLoss : public LossLayer {
 public:
  SoftmaxWithLoss() : LossLayer("softmax_with_loss") {}
  std::string name() const override { return "SoftmaxWithLoss"; }

  // y = softmax(x) of the last forward, x's shape.
  const Tensor& probabilities() const { return y_; }

 protected:  // protected, not private: chapter 3 derives a deliberately broken copy
  // x: scores (N, C), or (C,) for one sample (a batch of one); t: one-hot (N, C) or indices (N,),
  // see above. Returns the LOSS averaged over the batch (one seed returned the probabilities).
  // Caches y = softmax(x) and t. Throws ShapeError for labels of the wrong count or width,
  // ValueError for an index that is not a whole number in [0, C), a one-hot row that does not sum
  // to 1, or an empty batch.
  Scalar forward_impl(const Tensor& x, const Tensor& t) override;
  // dx = (y − t) · dout / N, shaped like x: the exact gradient of the loss forward returned.
  Tensor backward_impl(Scalar dout) override;

 private:
  Tensor y_;                      // softmax(x), x's shape
  Tensor t_;                      // a copy of the last labels
  LabelFormat labels_ = LabelFormat::kIndex;
  std::size_t batch_ = 0;         // N
  std::vector<Scalar> row_loss_;  // per-sample loss, summed in order so the total is thread-independent
};

}  // namespace scratch

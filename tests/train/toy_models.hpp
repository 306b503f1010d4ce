// toy_models.hpp — small Models with hand-derived gradients, for testing dedup, optimizers and the
// Trainer without depending on the layer classes.
#pragma once

#include <functional>

#include "test_util.hpp"

namespace scratch::test {

// Linear regression, y = x·W + b, with the mean squared error
//   L = (1/2N) Σᵢⱼ (yᵢⱼ − tᵢⱼ)²          x (N, D), W (D, M), b (M,), t (N, M)
// backward: dy = (y − t)/N,  dW = xᵀ·dy,  db = Σ over rows of dy.
class LinearRegression : public Model {
 public:
  LinearRegression(std::size_t d, std::size_t m, std::uint64_t seed)
      : W_(make_param("W", seeded_randn({d, m}, seed) * Scalar(0.1))), b_(make_param("b", Tensor::zeros({m}))) {}

  Scalar forward(const Tensor& x, const Tensor& t) override {
    x_ = x;
    diff_ = matmul(x, W_->value) + b_->value - t;
    return square(diff_).sum() / Scalar(2 * x.shape()[0]);
  }
  void backward() override {
    const Tensor dy = diff_ / Scalar(x_.shape()[0]);
    dW_ = matmul(x_, dy, Transpose::kYes, Transpose::kNo);
    db_ = dy.sum(0);
  }
  std::vector<ParamUse> params() const override { return {{W_, &dW_}, {b_, &db_}}; }

  ParamPtr W_, b_;
  Tensor x_, diff_, dW_, db_;
};

// A tied-weight linear autoencoder: one matrix W (D, H) encodes and, transposed, decodes.
//   h = x·W (N, H),  z = h·Wᵀ (N, D),  L = (1/2N) Σ (z − x)²      (t is ignored: the target is x)
// backward: dz = (z − x)/N; the decoder's weight is Wᵀ, so its gradient dWᵀ = hᵀ·dz has shape (H, D);
// dh = dz·W; the encoder's dW = xᵀ·dh. W is reported twice: once directly, once transposed.
class TiedAutoencoder : public Model {
 public:
  TiedAutoencoder(std::size_t d, std::size_t h, std::uint64_t seed)
      : W_(make_param("W", seeded_randn({d, h}, seed) * Scalar(0.3))) {}

  Scalar forward(const Tensor& x, const Tensor&) override {
    x_ = x;
    h_ = matmul(x, W_->value);
    diff_ = matmul(h_, W_->value, Transpose::kNo, Transpose::kYes) - x;
    return square(diff_).sum() / Scalar(2 * x.shape()[0]);
  }
  void backward() override {
    const Tensor dz = diff_ / Scalar(x_.shape()[0]);
    dWt_ = matmul(h_, dz, Transpose::kYes, Transpose::kNo);  // (H, D)
    const Tensor dh = matmul(dz, W_->value);                  // (N, H)
    dW_ = matmul(x_, dh, Transpose::kYes, Transpose::kNo);    // (D, H)
  }
  std::vector<ParamUse> params() const override {
    return {{W_, &dW_, Use::kDirect}, {W_, &dWt_, Use::kTransposed}};
  }

  ParamPtr W_;
  Tensor x_, h_, diff_, dW_, dWt_;
};

// LinearRegression that calls hook(k) as its k-th forward begins (k = 1, 2, …): tests use it to
// raise SIGINT or to throw (a simulated crash) at a known iteration. The iteration then goes on
// normally (or not at all, if the hook throws).
class HookedRegression : public LinearRegression {
 public:
  using Hook = std::function<void(int call)>;
  HookedRegression(std::size_t d, std::size_t m, std::uint64_t seed, Hook hook)
      : LinearRegression(d, m, seed), hook_(std::move(hook)) {}

  Scalar forward(const Tensor& x, const Tensor& t) override {
    hook_(++calls_);
    return LinearRegression::forward(x, t);
  }
  int calls() const { return calls_; }

 private:
  Hook hook_;
  int calls_ = 0;
};

}  // namespace scratch::test

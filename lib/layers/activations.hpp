// activations.hpp — the elementwise activation layers Relu and Sigmoid.
//
//   Relu      y = max(0, x)            dx = dout ⊙ [x > 0]
//   Sigmoid   y = 1 / (1 + exp(−x))    dx = dout ⊙ y ⊙ (1 − y)
//
// Both work on any shape (y, dout and dx have x's shape) and have no parameters. Each backward
// returns a NEW tensor and leaves dout untouched: the book's ReLU did `dout[mask] = 0` and returned
// dout itself, which silently zeroes the gradient of any other branch that reads the same dout.
// Parameter-free layers always compute dx (InputGrad::kSkip is only worth honouring in layers
// with a matrix product).
#pragma once

#include "layers/layer.hpp"

namespace scratch {

class Relu : public Layer {
 public:
  std::string name() const override { return "Relu"; }

  // x (any shape) → y (same shape). Caches mask_ = [x > 0] (1 or 0), overwriting the previous one.
  // A NaN in x passes through to y (and its gradient passes through too), so divergence stays visible.
  Tensor forward(const Tensor& x) override;
  // dout (y's shape) → dx = dout ⊙ mask, a new tensor. At x = 0 exactly the gradient is taken as 0.
  Tensor backward(const Tensor& dout) override;

 private:
  Tensor mask_;  // [x > 0] of the last forward, x's shape
  bool has_forward_ = false;
};

class Sigmoid : public Layer {
 public:
  std::string name() const override { return "Sigmoid"; }

  // x (any shape) → y = σ(x) (same shape). Caches a copy of y: backward needs σ(x), and the
  // derivative σ'(x) = σ(x)(1 − σ(x)) is cheapest written with it. (One seed forgot to store y,
  // so its backward had nothing to read.) For x < −745 (double) exp(−x) overflows to ∞ and y is 0,
  // which is the correct limit; no NaN is produced.
  Tensor forward(const Tensor& x) override;
  // dout (y's shape) → dx = dout ⊙ y ⊙ (1 − y), a new tensor.
  Tensor backward(const Tensor& dout) override;

 private:
  Tensor y_;  // σ(x) of the last forward, x's shape
  bool has_forward_ = false;
};

}  // namespace scratch

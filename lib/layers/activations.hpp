// activations.hpp — the elementwise activation layers Relu, Sigmoid and Tanh.
//
//   Relu      y = max(0, x)            dx = dout ⊙ [x > 0]
//   Sigmoid   y = 1 / (1 + exp(−x))    dx = dout ⊙ y ⊙ (1 − y)
//   Tanh      y = tanh(x)              dx = dout ⊙ (1 − y²)
//
// All work on any shape (y, dout and dx have x's shape) and have no parameters. Each backward
// returns a NEW tensor and leaves dout untouched: the book's ReLU did `dout[mask] = 0` and returned
// dout itself, which silently zeroes the gradient of any other branch that reads the same dout.
// Sigmoid and Tanh cache y, not x: their derivatives are cheapest written with it. (One seed's
// Sigmoid forgot to store y, so its backward had nothing to read.)
#pragma once

#include "layers/layer.hpp"

namespace scratch {

class Relu : public Layer {
 public:
  Relu() : Layer("relu") {}
  std::string name() const override { return "Relu"; }

 private:
  // Caches a copy of x. A NaN in x passes through to y (and its gradient too), so divergence stays
  // visible. At x = 0 exactly the gradient is taken as 0.
  Tensor forward_impl(const Tensor& x) override;
  Tensor backward_impl(const Tensor& dout) override;
  Tensor x_;
};

class Sigmoid : public Layer {
 public:
  Sigmoid() : Layer("sigmoid") {}
  std::string name() const override { return "Sigmoid"; }

 private:
  // For x < −745 (double) exp(−x) overflows to ∞ and y is 0, the correct limit; no NaN is produced.
  Tensor forward_impl(const Tensor& x) override;
  Tensor backward_impl(const Tensor& dout) override;
  Tensor y_;  // σ(x)
};

class Tanh : public Layer {
 public:
  Tanh() : Layer("tanh") {}
  std::string name() const override { return "Tanh"; }

 private:
  Tensor forward_impl(const Tensor& x) override;
  Tensor backward_impl(const Tensor& dout) override;
  Tensor y_;  // tanh(x)
};

}  // namespace scratch

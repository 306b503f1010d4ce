// optimizers.hpp — SGD, Momentum, Nesterov, AdaGrad, RMSprop and Adam.
//
// Every optimizer moves each parameter W against its gradient g = ∂L/∂W (Param::grad):
//
//   SGD        W ← W − lr·g
//   Momentum   v ← α·v − lr·g                 W ← W + v
//   Nesterov   W ← W + α²·v − (1+α)·lr·g      v ← α·v − lr·g
//   AdaGrad    h ← h + g⊙g                    W ← W − lr·g / (√h + ε)
//   RMSprop    h ← ρ·h + (1−ρ)·g⊙g            W ← W − lr·g / (√h + ε)
//   Adam       m ← m + (1−β₁)(g − m)          v ← v + (1−β₂)(g⊙g − v)
//              W ← W − lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m / (√v + ε)
//
// ⊙, /, √ are elementwise; ε = 1e-7 keeps the division finite where h (or v) is still 0.
// The state (v, h, m) starts at zero the first time a parameter is updated and is kept per
// parameter identity (optimizer.hpp). Each class writes only its update rule, a plain loop over a
// range of one parameter's elements; the base class Optimizer runs it over every parameter and
// keeps the results only when every gradient and every result is finite. After the first step a
// training step allocates nothing here.
#pragma once

#include "optim/optimizer.hpp"

namespace scratch {

// Stochastic gradient descent: W ← W − lr·g.
// The plain gradient step of Robbins & Monro (1951), on mini-batches; the book's SGD.
class SGD : public Optimizer {
 public:
  explicit SGD(Scalar lr = 0.01);

 protected:
  void update_rule(Scalar* W, const Scalar* g, Scalar* const* slots, std::size_t n) const override;
};

// Momentum SGD (the "heavy ball" of Polyak 1964, in the book's form):
//   v ← α·v − lr·g,   W ← W + v
// v is a velocity that keeps a fraction α of the last step: it accelerates along directions where
// the gradient keeps its sign and damps the zig-zag where it flips. α ∈ [0, 1).
class Momentum : public Optimizer {
 public:
  explicit Momentum(Scalar lr = 0.01, Scalar momentum = 0.9);

 protected:
  void update_rule(Scalar* W, const Scalar* g, Scalar* const* slots, std::size_t n) const override;

 private:
  Scalar momentum_;
};

// Nesterov's accelerated gradient, in the form of Bengio, Boulanger-Lewandowski & Pascanu (2013),
// "Advances in optimizing recurrent networks", arXiv:1212.0901, eq. 7 (also cs231n's
// `x += -mu * v_prev + (1 + mu) * v`), which evaluates the gradient at W itself instead of at the
// look-ahead point W + α·v:
//   W ← W + α²·v − (1+α)·lr·g,   then   v ← α·v − lr·g        (v in the first line: the previous velocity)
// The books' code, oreilly-japan's common/optimizer.py, has had two forms:
//   - DLFS-1 (deep-learning-from-scratch) since commit 89eadd0, "Fix Nesterov update function"
//     (2021-01-18), updates W first and v after: `params += m*m*v; params -= (1+m)*lr*g;
//     v *= m; v -= lr*g`. That is exactly our formula — the same W and v, algebraically; it rounds
//     after each of the two W lines where we add the two terms first and round W once.
//   - DLFS-2 (deep-learning-from-scratch-2, unchanged since 2018) and DLFS-1 before 2021 update v
//     first and then use the *new* v in the W line: W ← W + α²·(α·v − lr·g) − (1+α)·lr·g
//     = W + α³·v − (1+α+α²)·lr·g, which is not the paper's eq. 7 (Chainer's NesterovAG had the
//     same slip, chainer issue #4274).
// ScratchNet uses the paper's form, that of DLFS-1 today.
class Nesterov : public Optimizer {
 public:
  explicit Nesterov(Scalar lr = 0.01, Scalar momentum = 0.9);

 protected:
  void update_rule(Scalar* W, const Scalar* g, Scalar* const* slots, std::size_t n) const override;

 private:
  Scalar momentum_;
};

// AdaGrad (Duchi, Hazan & Singer 2011, "Adaptive subgradient methods for online learning and
// stochastic optimization", JMLR 12):
//   h ← h + g⊙g,   W ← W − lr·g / (√h + ε)
// Each element gets its own learning rate, smaller where the gradient has been large. h only
// grows, so the steps shrink towards 0 over a long run.
class AdaGrad : public Optimizer {
 public:
  explicit AdaGrad(Scalar lr = 0.01);

 protected:
  void update_rule(Scalar* W, const Scalar* g, Scalar* const* slots, std::size_t n) const override;
};

// RMSprop (Hinton, Srivastava & Swersky, "Neural Networks for Machine Learning", Coursera
// lecture 6e, 2012):
//   h ← ρ·h + (1−ρ)·g⊙g,   W ← W − lr·g / (√h + ε)
// Like AdaGrad, but h is an exponential moving average of g⊙g (decay rate ρ ∈ [0, 1)), so old
// gradients are forgotten and the steps do not die out.
class RMSprop : public Optimizer {
 public:
  explicit RMSprop(Scalar lr = 0.01, Scalar decay_rate = 0.99);

 protected:
  void update_rule(Scalar* W, const Scalar* g, Scalar* const* slots, std::size_t n) const override;

 private:
  Scalar decay_rate_;
};

// Adam (Kingma & Ba 2015, "Adam: A method for stochastic optimization", ICLR, arXiv:1412.6980).
// Moving averages of the gradient (m, first moment) and of its square (v, second moment), with
// the bias correction folded into the step size, as in the paper's Section 2 (last paragraph)
// and the book:
//   t ← t + 1
//   m ← m + (1−β₁)(g − m)            (= β₁·m + (1−β₁)·g)
//   v ← v + (1−β₂)(g⊙g − v)          (= β₂·v + (1−β₂)·g⊙g)
//   W ← W − lr_t · m / (√v + ε),     lr_t = lr·√(1−β₂ᵗ) / (1−β₁ᵗ)
// t counts update() calls; β₁, β₂ ∈ [0, 1).
class Adam : public Optimizer {
 public:
  explicit Adam(Scalar lr = 0.001, Scalar beta1 = 0.9, Scalar beta2 = 0.999);

 protected:
  void begin_update(std::size_t t) override;  // lr_t for step t
  void update_rule(Scalar* W, const Scalar* g, Scalar* const* slots, std::size_t n) const override;

 private:
  Scalar beta1_, beta2_;
  Scalar lr_t_ = 0;  // this step's bias-corrected learning rate
};

}  // namespace scratch

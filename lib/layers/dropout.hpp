// dropout.hpp — Dropout (Srivastava et al. 2014; DLFS-1 §6.4.3, common/layers.py).
//
// Training: every value of x is kept with probability 1 − r and zeroed with probability r, by a
// mask drawn afresh on each forward; inference: every value is kept and scaled by 1 − r, the
// expected fraction that training kept, so that the next layer sees the same mean.
//
//   forward, training     mask = [u > r], u ~ U[0, 1) per value     y = x ⊙ mask
//   backward, training    dx = dout ⊙ mask
//   forward, inference    y  = (1 − r) · x
//   backward, inference   dx = (1 − r) · dout
//
// This is the book's form, not "inverted" dropout (train y = x ⊙ mask / (1 − r), inference y = x,
// as PyTorch). The two train the same net up to a factor on the weights after the dropout layer;
// the book's form is kept so that chapter 7 prints the book's numbers (its mask test
// `np.random.rand(*x.shape) > dropout_ratio` is the one written here, one uniform per value in
// row-major order).
//
// The mask comes from the engine passed at construction (held by reference: it must outlive the
// layer), drawn serially, so a seed gives the same masks on any thread count.
//
// Fixing the mask (gradient checks). A numerical gradient calls forward many times and needs the
// same function each time. With set_mask_policy(DropoutMask::kReuseLast), a training forward
// reuses the mask of the last training forward when x has the same shape (and draws a new one
// otherwise, e.g. the first time); DropoutMask::kDraw (the default) draws on every training forward.
//
// Errors: a ratio outside [0, 1) → ValueError naming the value and the rule (r = 1 would drop every
// value, and inference would multiply by 0).
#pragma once

#include "core/random.hpp"
#include "layers/layer.hpp"

namespace scratch {

enum class DropoutMask { kDraw, kReuseLast };

class Dropout : public Layer {
 public:
  explicit Dropout(Scalar ratio = Scalar(0.5), Rng& rng = global_rng());

  std::string name() const override { return "Dropout"; }
  Scalar ratio() const { return ratio_; }
  void set_mask_policy(DropoutMask policy) { policy_ = policy; }
  // The last training mask (1 kept, 0 dropped), x's shape; empty before the first training forward.
  const Tensor& mask() const { return mask_; }

 private:
  Tensor forward_impl(const Tensor& x) override;      // any shape; training draws (or reuses) mask_
  Tensor backward_impl(const Tensor& dout) override;  // dout ⊙ mask, or (1 − r) · dout at inference

  Scalar ratio_;
  Rng& rng_;
  DropoutMask policy_ = DropoutMask::kDraw;
  Tensor mask_;
  Mode forward_mode_ = Mode::kTrain;
};

}  // namespace scratch

// batch_norm.hpp — BatchNormalization (Ioffe & Szegedy 2015; DLFS-1 §6.3, common/layers.py).
//
// Each feature (or channel) is normalised over the batch, then scaled and shifted by learned γ, β.
// N batch, D features; for images (N, C, H, W) the statistics are per channel c over N·H·W values.
// Write M for the number of values per feature: M = N for (N, D), M = N·H·W for (N, C, H, W).
//
//   forward, training     μ   = (1/M) Σ x                    per feature, (D,)
//                         xc  = x − μ
//                         σ²  = (1/M) Σ xc²                  biased, as the book and the paper
//                         std = √(σ² + eps)
//                         xn  = xc / std
//                         y   = γ ⊙ xn + β
//                         running_mean ← m·running_mean + (1 − m)·μ      m = momentum = 0.9
//                         running_var  ← m·running_var  + (1 − m)·σ²
//   forward, inference    y   = γ ⊙ (x − running_mean) / √(running_var + eps) + β   (nothing updated)
//
//   backward (training; the book's chain, node by node in reverse)
//                         dβ   = Σ dout                      dγ = Σ xn ⊙ dout
//                         dxn  = γ ⊙ dout
//                         dxc  = dxn / std
//                         dstd = −Σ dxn ⊙ xc / std²
//                         dσ²  = ½ · dstd / std
//                         dxc += (2/M) · xc ⊙ dσ²
//                         dμ   = Σ dxc
//                         dx   = dxc − dμ / M
//   backward (inference)  dβ, dγ as above with xn = (x − running_mean)/√(running_var + eps);
//                         dx = γ ⊙ dout / √(running_var + eps)  (the statistics are constants there)
// Every Σ is over the M values of one feature.
//
// Differences from the book, each on purpose:
//   - (N, C, H, W) is normalised per CHANNEL (C statistics, like PyTorch's BatchNorm2d and the paper's
//     convolutional BN). The book's layer flattens to (N, C·H·W) and keeps one statistic per pixel
//     position and channel instead. γ, β and the running statistics are (C,) here.
//   - running_var starts at 1, not 0 (as PyTorch): with the book's 0 a net that predicts before its
//     first training step divides by √eps ≈ 1e-3. After a few dozen steps (0.9^k) the two agree.
//   - eps: the book's code writes `np.sqrt(var + 10e-7)`, which is 1e-6 (the text says 1e-7); the
//     default kBatchNormEps is that 10e-7 so that the chapter prints the code's numbers.
//
// Parameters: γ (D,) and β (D,), shared handles (use_param). Buffers (saved in checkpoints):
// "running_mean" and "running_var", (D,).
//
// Errors: x that is not 2-d or 4-d, or whose feature/channel count differs from γ's → ShapeError
// naming both shapes; training on one value per feature (a batch of one (1, D), or (1, C, 1, 1)) →
// ValueError: its batch variance is 0 and xn is 0 whatever x is, so nothing can be learned from it.
#pragma once

#include "layers/layer.hpp"

namespace scratch {

// The book's code value, 10e-7 = 1e-6 (see above).
inline constexpr Scalar kBatchNormEps = Scalar(10e-7);
inline constexpr Scalar kBatchNormMomentum = Scalar(0.9);

class BatchNormalization : public Layer {
 public:
  // gamma, beta: (D,) each (γ usually starts at 1, β at 0). momentum in [0, 1), eps > 0.
  // Throws ValueError for a null handle, momentum or eps out of range; ShapeError when gamma and
  // beta are not 1-d of one length.
  BatchNormalization(ParamPtr gamma, ParamPtr beta, Scalar momentum = kBatchNormMomentum, Scalar eps = kBatchNormEps);

  std::string name() const override { return "BatchNorm"; }
  const ParamPtr& gamma() const { return gamma_; }
  const ParamPtr& beta() const { return beta_; }
  const Tensor& running_mean() const { return running_mean_; }  // (D,), starts at 0
  const Tensor& running_var() const { return running_var_; }    // (D,), starts at 1

 private:
  // x (N, D) or (N, C, H, W) → y of x's shape. Training: caches xc, xn, std; updates the running stats.
  Tensor forward_impl(const Tensor& x) override;
  // dout (x's shape) → dx; writes dγ and dβ.
  Tensor backward_impl(const Tensor& dout) override;

  ParamPtr gamma_, beta_;
  Scalar momentum_, eps_;
  Tensor* dgamma_;
  Tensor* dbeta_;
  Tensor running_mean_, running_var_;  // (D,)
  // Cache of the last forward, x viewed as (N, D, S) with S = H·W (1 for a matrix):
  Tensor xc_, xn_;  // x − μ and xc / std, x's shape
  Tensor std_;      // (D,)
  Mode forward_mode_ = Mode::kTrain;
};

}  // namespace scratch

// losses.hpp — SigmoidWithLoss: a sigmoid on every output followed by the binary cross-entropy, fused.
//
// Shapes: N samples, each with D outputs (x (N, D), or any (N, …); a 1-d x (N,) is N samples with
// one output each, as in the book's negative-sampling layer). t has x's shape and holds, for every
// output, the target probability in [0, 1]: a 0/1 label, or a pixel's grey level when a tied
// autoencoder learns to reproduce its input image (then t = x of the network).
//
//   y    = σ(x) = 1 / (1 + e^(−x))
//   loss = (1/N) Σ_i −[t_i log y_i + (1 − t_i) log(1 − y_i)]        summed over all outputs i,
//        = (1/N) Σ_i  max(x_i, 0) − x_i t_i + log(1 + e^(−|x_i|))   averaged over the N samples
//   dx   = (y − t) / N · dout
//
// The second form of the loss is the first one rewritten with log y = −log(1 + e^(−x)) and
// log(1 − y) = −x − log(1 + e^(−x)); it never evaluates log(0) and never overflows: at x = 40 and
// t = 0 the first form needs log(1 − σ(40)) = log(0) in double (a loss of ∞), the second gives 40.
// The gradient is as simple as SoftmaxWithLoss's: ∂loss_i/∂x_i = σ(x_i) − t_i.
//
// Being summed over the outputs of a sample, the loss of one MNIST reconstruction is in "nats per
// image": 784 · log 2 ≈ 543 for a network that outputs 0.5 everywhere. It does not go to 0 for grey
// targets: its floor is the targets' own entropy −Σ_i [t_i log t_i + (1 − t_i) log(1 − t_i)].
#pragma once

#include <vector>

#include "layers/layer.hpp"

namespace scratch {

class SigmoidWithLoss : public LossLayer {
 public:
  SigmoidWithLoss() : LossLayer("sigmoid_with_loss") {}
  std::string name() const override { return "SigmoidWithLoss"; }

  // y = σ(x) of the last forward, x's shape: the probabilities, or the reconstructed image.
  const Tensor& probabilities() const { return y_; }

 private:
  // x: scores (N, …); t: targets, x's shape, every value in [0, 1]. Returns the loss summed over
  // each sample's outputs and averaged over the N samples. Caches y = σ(x) and a copy of t.
  // Throws ShapeError for a 0-d x or a t of another shape, ValueError for an empty batch or a
  // target outside [0, 1] (or NaN).
  Scalar forward_impl(const Tensor& x, const Tensor& t) override;
  // dx = (y − t) · dout / N, x's shape: the exact gradient of the loss forward returned.
  Tensor backward_impl(Scalar dout) override;

  Tensor y_;                      // σ(x)
  Tensor t_;                      // a copy of the last targets
  std::size_t batch_ = 0;         // N
  std::vector<double> row_loss_;  // per-sample loss, summed in order so the total is thread-independent
};

}  // namespace scratch

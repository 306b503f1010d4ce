// autoencoder.hpp — a tied-weight autoencoder: one matrix W encodes, and its transpose decodes.
//
// Shapes: N samples, D inputs (784 pixels), H hidden units (the code), H < D.
//
//   h  = σ(x · W + b1)          Affine(W, b1), Sigmoid        x (N, D), W (D, H), b1 (H,), h (N, H)
//   s  = h · Wᵀ + b2            Affine(W, b2, Use::kTransposed)                      b2 (D,), s (N, D)
//   x̂  = σ(s)                   the reconstruction, in [0, 1] like the pixels
//   loss = SigmoidWithLoss(s, t)  binary cross-entropy of x̂ against t = x, summed over the D pixels
//
// The network must squeeze each image through H numbers and rebuild it from them. W is used twice,
// once as W (encoder) and once as Wᵀ (decoder), so it gets two gradients:
//
//   encoder's dW   = xᵀ · dh_pre                     (D, H), W's own shape
//   decoder's dWᵀ  = hᵀ · ds                         (H, D), the shape of the matrix it used
//   W.grad         = dW + (dWᵀ)ᵀ                     the chain rule over both paths
//
// params() reports W twice (one use kDirect, one kTransposed) plus b1 and b2: 4 uses of 3
// parameters; remove_duplicates transposes the decoder's share back and adds it.
#pragma once

#include "core/random.hpp"
#include "layers/activations.hpp"
#include "layers/affine.hpp"
#include "layers/losses.hpp"
#include "models/model.hpp"

namespace scratch {

class Autoencoder : public Model {
 public:
  // W (D, H) drawn from N(0, 1) · √(2 / (D + H)) (Glorot & Bengio 2010, "Understanding the difficulty
  // of training deep feedforward neural networks": W serves as a D→H and an H→D layer, so its scale
  // balances both fan-ins); b1, b2 zero.
  Autoencoder(std::size_t input_size, std::size_t hidden_size, Rng& rng = global_rng());
  // Starts from the given W (D, H); biases zero. Throws ShapeError when W is not a 2-d matrix.
  explicit Autoencoder(Tensor W);

  // x (N, D) or (N, …) with D values per sample; t: the target, x's shape, values in [0, 1] (t = x
  // to reconstruct the input; data/inputs_as_targets.hpp serves such batches). Returns the loss
  // summed over the D outputs and averaged over the N samples. Throws the layers' errors.
  Scalar forward(const Tensor& x, const Tensor& t) override;
  void backward() override;
  // {W, encoder's dW, kDirect}, {b1, db1}, {W, decoder's dWᵀ, kTransposed}, {b2, db2}.
  std::vector<ParamUse> params() const override;

  // The code h = σ(x·W + b1) (N, H).
  Tensor encode(const Tensor& x);
  // The reconstruction x̂ = σ(σ(x·W + b1)·Wᵀ + b2) (N, D): what the network makes of x.
  Tensor reconstruct(const Tensor& x);

  const ParamPtr& W() const { return W_; }
  const ParamPtr& b1() const { return b1_; }
  const ParamPtr& b2() const { return b2_; }
  // The layers' own gradients for W after backward, before remove_duplicates adds them up.
  const Tensor& encoder_dW() const { return *encoder_.params()[0].grad; }   // (D, H)
  const Tensor& decoder_dWt() const { return *decoder_.params()[0].grad; }  // (H, D)

 private:
  Tensor scores(const Tensor& x);  // s (N, D)

  ParamPtr W_, b1_, b2_;
  Affine encoder_;
  Sigmoid sigmoid_;
  Affine decoder_;
  SigmoidWithLoss loss_layer_;
};

}  // namespace scratch

// two_layer_net.hpp — the book's two-layer network and the seeds' SimpleNet.
//
//   x (N, D) → Affine(W1 (D, H), b1 (H,)) → Relu → Affine(W2 (H, C), b2 (C,)) → SoftmaxWithLoss
//
// The scores go straight into SoftmaxWithLoss: no ReLU after the output layer (a seed put one
// there, which zeroes every negative score and stalls learning).
#pragma once

#include <utility>

#include "core/random.hpp"
#include "models/sequential.hpp"

namespace scratch {

class TwoLayerNet : public Sequential {
 public:
  // W1, W2 drawn from weight_init_std · N(0, 1) (the book's 0.01); b1, b2 zero. Throws ValueError
  // for a size of 0 or a weight_init_std that is not a finite number >= 0.
  TwoLayerNet(std::size_t input_size, std::size_t hidden_size, std::size_t output_size,
              Scalar weight_init_std = Scalar(0.01), Rng& rng = global_rng());

  // Starts from the given weights W1 (D, H) and W2 (H, C); biases zero. Throws ShapeError when they
  // do not chain or a dimension is 0.
  TwoLayerNet(Tensor W1, Tensor W2);

  const ParamPtr& W1() const { return W1_; }
  const ParamPtr& b1() const { return b1_; }
  const ParamPtr& W2() const { return W2_; }
  const ParamPtr& b2() const { return b2_; }

 private:
  // Draws W1 then W2 from rng, in that order on every compiler.
  static std::pair<Tensor, Tensor> draw_weights(std::size_t input_size, std::size_t hidden_size,
                                                std::size_t output_size, Scalar weight_init_std, Rng& rng);
  explicit TwoLayerNet(std::pair<Tensor, Tensor> W);

  ParamPtr W1_, b1_, W2_, b2_;
};

// The seeds' SimpleNet for the synthetic 5-feature / 3-class set: 5 → 4 → 3, weights uniform in
// [0, 1) as the seed drew them. The same architecture as TwoLayerNet, so it is one.
TwoLayerNet make_simple_net(Rng& rng = global_rng(), std::size_t input_size = 5, std::size_t hidden_size = 4,
                            std::size_t output_size = 3);

}  // namespace scratch

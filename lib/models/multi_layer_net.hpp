// multi_layer_net.hpp — the book's MultiLayerNet: a fully connected network of any depth.
//
// With hidden sizes H1, …, Hk (k may be 0) and C classes:
//
//   x (N, D) → Affine(W1 (D, H1), b1) → act → Affine(W2 (H1, H2), b2) → act → …
//            → Affine(Wk (Hk−1, Hk), bk) → act → Affine(Wk+1 (Hk, C), bk+1) → SoftmaxWithLoss
//
// act is Relu (default), Sigmoid or Tanh. The output scores go straight into SoftmaxWithLoss: there is
// no activation after the last Affine (a seed put a ReLU there).
//
// Initial weights. W_l = std_l · N(0, 1), with std_l chosen from the layer's fan-in n (W_l's rows):
//   WeightInit::kHe      std = √(2/n)   He et al. 2015, for ReLU   (the book's weight_init_std='relu'/'he')
//   WeightInit::kXavier  std = √(1/n)   Glorot & Bengio 2010       (the book's 'sigmoid'/'xavier')
//   WeightInit::kFixed   std = a number you give                 (the book's 0.01)
// Why √(2/n) for ReLU: a unit's pre-activation z = Σ_i a_i W_i has variance n·Var(W)·E[a²], and a
// ReLU passes half of a symmetric z, so E[a²] = Var(z)/2. With Var(W) = 2/n each layer's z has the
// variance of the last one: the signal neither dies out nor blows up with depth. Biases start at 0.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "models/sequential.hpp"

namespace scratch {

enum class Activation { kRelu, kSigmoid, kTanh };

enum class WeightInit { kHe, kXavier, kFixed };

struct MultiLayerNetOptions {
  Activation activation = Activation::kRelu;
  WeightInit init = WeightInit::kHe;
  Scalar fixed_std = Scalar(0.01);  // the std of every W under WeightInit::kFixed (ignored otherwise)
};

// The standard deviation `init` gives a weight matrix with fan_in rows. Throws ValueError for
// fan_in 0, or under kFixed for a fixed_std that is not finite and >= 0.
Scalar weight_init_std(WeightInit init, std::size_t fan_in, Scalar fixed_std = Scalar(0.01));

class MultiLayerNet : public Sequential {
 public:
  // input_size D, hidden_sizes H1 … Hk, output_size C. Draws W1 … Wk+1 from `rng` in layer order.
  // Throws ValueError naming the layer when a size is 0.
  MultiLayerNet(std::size_t input_size, const std::vector<std::size_t>& hidden_sizes, std::size_t output_size,
                MultiLayerNetOptions options = {}, Rng& rng = global_rng());

  // {D, H1, …, Hk, C}: the width of every layer boundary.
  const std::vector<std::size_t>& sizes() const { return sizes_; }
  const MultiLayerNetOptions& options() const { return options_; }

  // W1 … Wk+1 and b1 … bk+1; weights()[l] is (sizes()[l], sizes()[l+1]).
  const std::vector<ParamPtr>& weights() const { return weights_; }
  const std::vector<ParamPtr>& biases() const { return biases_; }
  // W1, b1, W2, b2, …: the order remove_duplicates(params()) returns them in.
  std::vector<ParamPtr> parameters() const;
  // Σ_l (sizes[l]·sizes[l+1] + sizes[l+1]): how many numbers training adjusts.
  std::size_t parameter_count() const;

  // "784 → 100 → 100 → 10, Relu, He init (std √(2/fan_in)), 89610 parameters"
  std::string architecture() const;

  // Copies every weight and bias VALUE of `other` into this net's own parameters (they stay
  // distinct Params: training one net never moves the other). Used to start several optimizers
  // from the same point. Throws ShapeError when the two nets' sizes() differ.
  void copy_weights_from(const MultiLayerNet& other);

 private:
  std::vector<std::size_t> sizes_;
  MultiLayerNetOptions options_;
  std::vector<ParamPtr> weights_, biases_;
};

}  // namespace scratch

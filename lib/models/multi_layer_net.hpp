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
// The book's MultiLayerNetExtend (chapter 6, second half) is this class with its options set:
//   batch_norm       each hidden block is Affine → BatchNorm(γl (Hl,) = 1, βl (Hl,) = 0) → act
//   dropout_ratio r  > 0: a Dropout(r) after each hidden act (never after the scores)
//   weight_decay λ   loss  L = L_data + ½ λ Σ_l ‖W_l‖²      (every W_l, not the biases, γ or β)
//                    grad  dL/dW_l = (the Affine's dW_l) + λ W_l
//
// How weight decay reaches the gradients. A layer owns its gradient tensors (layer.hpp), so the net
// does not write into an Affine's dW. Instead, with λ > 0, MultiLayerNet keeps one tensor per weight,
// decayed_dW_l, which backward() fills with the Affine's dW_l + λ W_l after Sequential::backward, and
// params() reports each W_l's use with decayed_dW_l as its gradient in place of the Affine's own.
// remove_duplicates, gradient checks and the Trainer read params(), so they all see the decayed
// gradient; forward() (and loss()) adds ½ λ Σ ‖W‖². With λ = 0 nothing changes (the same tensors and
// numbers as without the option).
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
#include <memory>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "layers/dropout.hpp"
#include "models/sequential.hpp"

namespace scratch {

enum class Activation { kRelu, kSigmoid, kTanh };

enum class WeightInit { kHe, kXavier, kFixed };

struct MultiLayerNetOptions {
  Activation activation = Activation::kRelu;
  WeightInit init = WeightInit::kHe;
  Scalar fixed_std = Scalar(0.01);  // the std of every W under WeightInit::kFixed (ignored otherwise)
  bool batch_norm = false;          // Affine → BatchNorm → act in each hidden block (the book's use_batchnorm)
  Scalar dropout_ratio = 0;         // in [0, 1); > 0 adds Dropout after each hidden act (use_dropout)
  Scalar weight_decay_lambda = 0;   // λ >= 0 (the book's weight_decay_lambda)
};

// The standard deviation `init` gives a weight matrix with fan_in rows. Throws ValueError for
// fan_in 0, or under kFixed for a fixed_std that is not finite and >= 0.
Scalar weight_init_std(WeightInit init, std::size_t fan_in, Scalar fixed_std = Scalar(0.01));

class MultiLayerNet : public Sequential {
 public:
  // input_size D, hidden_sizes H1 … Hk, output_size C. Draws W1 … Wk+1 from `rng` in layer order;
  // with dropout, then one more number: the seed of the net's own engine for the dropout masks (so
  // the masks never depend on another user of `rng`, and `rng` need not outlive the net).
  // Throws ValueError naming the layer when a size is 0, naming the value and the rule for a
  // dropout ratio outside [0, 1) or a negative (or non-finite) λ.
  MultiLayerNet(std::size_t input_size, const std::vector<std::size_t>& hidden_sizes, std::size_t output_size,
                MultiLayerNetOptions options = {}, Rng& rng = global_rng());

  // {D, H1, …, Hk, C}: the width of every layer boundary.
  const std::vector<std::size_t>& sizes() const { return sizes_; }
  const MultiLayerNetOptions& options() const { return options_; }

  // W1 … Wk+1 and b1 … bk+1; weights()[l] is (sizes()[l], sizes()[l+1]).
  const std::vector<ParamPtr>& weights() const { return weights_; }
  const std::vector<ParamPtr>& biases() const { return biases_; }
  // With batch_norm: γ1 … γk and β1 … βk of the hidden blocks (empty otherwise).
  const std::vector<ParamPtr>& gammas() const { return gammas_; }
  const std::vector<ParamPtr>& betas() const { return betas_; }
  // W1, b1, (γ1, β1,) W2, b2, …: the order remove_duplicates(params()) returns them in.
  std::vector<ParamPtr> parameters() const;
  // Σ_l (sizes[l]·sizes[l+1] + sizes[l+1]): how many numbers training adjusts.
  std::size_t parameter_count() const;

  // "784 → 100 → 100 → 10, Relu, He init (std √(2/fan_in)), 89610 parameters", then
  // ", BatchNorm", ", Dropout 0.15", ", weight decay λ 0.1" for the options that are on.
  std::string architecture() const;

  // The data loss plus ½ λ Σ ‖W_l‖² (see above); backward adds λ W_l to each weight's gradient.
  Scalar forward(const Tensor& x, const Tensor& t) override;
  void backward() override;
  std::vector<ParamUse> params() const override;

  // ½ λ Σ_l ‖W_l‖² for the current weights (0 when λ = 0).
  Scalar weight_decay_loss() const;

  // Every Dropout layer's mask policy: kReuseLast fixes the masks for a numerical gradient check.
  void set_dropout_masks(DropoutMask policy);

  // Copies every weight and bias VALUE of `other` into this net's own parameters (they stay
  // distinct Params: training one net never moves the other), with BatchNorm also γ, β and the
  // running statistics. Used to start several optimizers from the same point. Throws ShapeError
  // when the two nets' sizes() differ, ValueError when one has batch norm and the other not.
  void copy_weights_from(const MultiLayerNet& other);

 private:
  std::vector<std::size_t> sizes_;
  MultiLayerNetOptions options_;
  std::vector<ParamPtr> weights_, biases_, gammas_, betas_;
  std::vector<const Tensor*> affine_dW_;  // each Affine's own gradient for its W_l
  std::vector<Tensor> decayed_dW_;        // λ > 0: affine dW_l + λ W_l, reported by params()
  std::unique_ptr<Rng> dropout_rng_;      // the dropout layers' engine (a pointer: the net may move)
};

}  // namespace scratch

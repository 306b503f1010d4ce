// multi_layer_net.cpp — see multi_layer_net.hpp.
#include "models/multi_layer_net.hpp"

#include <cmath>
#include <limits>
#include <memory>

#include "layers/activations.hpp"
#include "layers/affine.hpp"
#include "layers/batch_norm.hpp"
#include "layers/softmax.hpp"
#include "tensor/ops.hpp"

namespace scratch {
namespace {

std::string sizes_string(const std::vector<std::size_t>& sizes) {
  std::string text;
  for (const std::size_t n : sizes) text += (text.empty() ? "" : " → ") + std::to_string(n);
  return text;
}

}  // namespace

Scalar weight_init_std(WeightInit init, std::size_t fan_in, Scalar fixed_std) {
  if (fan_in == 0) fail<ValueError>("weight_init_std: fan_in is 0 (a layer needs at least one input)");
  const Scalar n = static_cast<Scalar>(fan_in);
  switch (init) {
    case WeightInit::kHe:
      return std::sqrt(Scalar(2) / n);
    case WeightInit::kXavier:
      return std::sqrt(Scalar(1) / n);
    case WeightInit::kFixed:
      break;
  }
  if (!(std::isfinite(fixed_std) && fixed_std >= 0))
    fail<ValueError>("weight_init_std: WeightInit::kFixed needs a finite std >= 0, got ", fixed_std,
                     " (the book's value is 0.01)");
  return fixed_std;
}

MultiLayerNet::MultiLayerNet(std::size_t input_size, const std::vector<std::size_t>& hidden_sizes,
                             std::size_t output_size, MultiLayerNetOptions options, Rng& rng)
    : options_(options) {
  sizes_.push_back(input_size);
  sizes_.insert(sizes_.end(), hidden_sizes.begin(), hidden_sizes.end());
  sizes_.push_back(output_size);
  for (std::size_t l = 0; l < sizes_.size(); ++l) {
    if (sizes_[l] > 0) continue;
    const std::string which = l == 0                   ? std::string("input_size")
                              : l + 1 == sizes_.size() ? std::string("output_size")
                                                       : concat("hidden_sizes[", l - 1, "]");
    fail<ValueError>("MultiLayerNet: ", which, " is 0 in ", sizes_string(sizes_),
                     "; every layer needs at least one unit");
  }
  if (!(options.dropout_ratio >= 0 && options.dropout_ratio < 1))
    fail<ValueError>("MultiLayerNet: dropout_ratio is ", options.dropout_ratio,
                     "; it must be in [0, 1) (0: no dropout; the book's chapter uses 0.15)");
  if (!(options.weight_decay_lambda >= 0 && std::isfinite(options.weight_decay_lambda)))
    fail<ValueError>("MultiLayerNet: weight_decay_lambda is ", options.weight_decay_lambda,
                     "; it must be finite and >= 0 (0: no weight decay; the book's chapter uses 0.1)");
  const std::size_t affine_layers = sizes_.size() - 1;
  for (std::size_t l = 0; l < affine_layers; ++l) {
    const std::size_t fan_in = sizes_[l], fan_out = sizes_[l + 1];
    const Scalar w_std = weight_init_std(options.init, fan_in, options.fixed_std);
    weights_.push_back(make_param(concat("W", l + 1), Tensor::randn({fan_in, fan_out}, rng) * w_std));
    biases_.push_back(make_param(concat("b", l + 1), Tensor::zeros({fan_out})));
    Affine& affine = add(std::make_unique<Affine>(weights_.back(), biases_.back()));
    affine_dW_.push_back(affine.params()[0].grad);
    if (l + 1 == affine_layers) break;  // the scores go straight into the loss
    if (options.batch_norm) {
      gammas_.push_back(make_param(concat("gamma", l + 1), Tensor::ones({fan_out})));
      betas_.push_back(make_param(concat("beta", l + 1), Tensor::zeros({fan_out})));
      add(std::make_unique<BatchNormalization>(gammas_.back(), betas_.back()));
    }
    switch (options.activation) {
      case Activation::kRelu:
        add(std::make_unique<Relu>());
        break;
      case Activation::kSigmoid:
        add(std::make_unique<Sigmoid>());
        break;
      case Activation::kTanh:
        add(std::make_unique<Tanh>());
        break;
    }
    if (options.dropout_ratio > 0) {
      if (!dropout_rng_) dropout_rng_ = std::make_unique<Rng>();  // seeded below, once every W is drawn
      add(std::make_unique<Dropout>(options.dropout_ratio, *dropout_rng_));
    }
  }
  // The masks' engine draws its seed from rng after the last weight, so W1 … Wk+1 are the same draws
  // with and without dropout.
  if (dropout_rng_) dropout_rng_->seed(rng.below(std::numeric_limits<std::size_t>::max()));
  if (options.weight_decay_lambda > 0)
    for (const ParamPtr& W : weights_) decayed_dW_.push_back(Tensor::zeros(W->value.shape()));
  set_loss(std::make_unique<SoftmaxWithLoss>());
}

// ---- weight decay: L = L_data + ½ λ Σ_l ‖W_l‖², dL/dW_l = dW_l + λ W_l ----

Scalar MultiLayerNet::weight_decay_loss() const {
  const Scalar lambda = options_.weight_decay_lambda;
  if (lambda == 0) return 0;
  Scalar sum = 0;
  for (const ParamPtr& W : weights_) sum += (W->value * W->value).sum();  // ‖W_l‖², layer by layer
  return Scalar(0.5) * lambda * sum;
}

Scalar MultiLayerNet::forward(const Tensor& x, const Tensor& t) {
  return Sequential::forward(x, t) + weight_decay_loss();
}

void MultiLayerNet::backward() {
  Sequential::backward();
  const Scalar lambda = options_.weight_decay_lambda;
  for (std::size_t l = 0; l < decayed_dW_.size(); ++l) {
    decayed_dW_[l] = weights_[l]->value * lambda;  // λ W_l
    decayed_dW_[l] += *affine_dW_[l];              //   + the Affine's dW_l
  }
}

std::vector<ParamUse> MultiLayerNet::params() const {
  std::vector<ParamUse> uses = Sequential::params();
  if (decayed_dW_.empty()) return uses;
  for (ParamUse& use : uses)
    for (std::size_t l = 0; l < weights_.size(); ++l)
      if (use.param == weights_[l]) use.grad = &decayed_dW_[l];
  return uses;
}

void MultiLayerNet::set_dropout_masks(DropoutMask policy) {
  for (const auto& layer : layers())
    if (auto* dropout = dynamic_cast<Dropout*>(layer.get())) dropout->set_mask_policy(policy);
}

std::vector<ParamPtr> MultiLayerNet::parameters() const {
  std::vector<ParamPtr> params;
  for (std::size_t l = 0; l < weights_.size(); ++l) {
    params.push_back(weights_[l]);
    params.push_back(biases_[l]);
    if (l < gammas_.size()) {
      params.push_back(gammas_[l]);
      params.push_back(betas_[l]);
    }
  }
  return params;
}

std::size_t MultiLayerNet::parameter_count() const {
  std::size_t count = 0;
  for (const ParamPtr& p : parameters()) count += p->value.size();
  return count;
}

std::string MultiLayerNet::architecture() const {
  const char* activation = options_.activation == Activation::kRelu      ? "Relu"
                           : options_.activation == Activation::kSigmoid ? "Sigmoid"
                                                                         : "Tanh";
  std::string init;
  switch (options_.init) {
    case WeightInit::kHe:
      init = "He init (std √(2/fan_in))";
      break;
    case WeightInit::kXavier:
      init = "Xavier init (std √(1/fan_in))";
      break;
    case WeightInit::kFixed:
      init = concat("init std ", options_.fixed_std);
      break;
  }
  std::string text = concat(sizes_string(sizes_), ", ", activation, ", ", init, ", ", parameter_count(), " parameters");
  if (options_.batch_norm) text += ", BatchNorm";
  if (options_.dropout_ratio > 0) text += concat(", Dropout ", options_.dropout_ratio);
  if (options_.weight_decay_lambda > 0) text += concat(", weight decay λ ", options_.weight_decay_lambda);
  return text;
}

void MultiLayerNet::copy_weights_from(const MultiLayerNet& other) {
  if (other.sizes_ != sizes_)
    fail<ShapeError>("MultiLayerNet::copy_weights_from: this net is ", sizes_string(sizes_), " but the other is ",
                     sizes_string(other.sizes_), "; weights can only be copied between nets of the same sizes");
  if (other.options_.batch_norm != options_.batch_norm)
    fail<ValueError>("MultiLayerNet::copy_weights_from: one net has batch norm and the other not; γ, β and the "
                     "running statistics cannot be copied between them");
  for (std::size_t l = 0; l < weights_.size(); ++l) {
    weights_[l]->value.assign(other.weights_[l]->value);
    biases_[l]->value.assign(other.biases_[l]->value);
  }
  for (std::size_t l = 0; l < gammas_.size(); ++l) {
    gammas_[l]->value.assign(other.gammas_[l]->value);
    betas_[l]->value.assign(other.betas_[l]->value);
  }
  const std::vector<Buffer> mine = buffers(), theirs = other.buffers();
  for (std::size_t i = 0; i < mine.size(); ++i) mine[i].value->assign(*theirs[i].value);
}

}  // namespace scratch

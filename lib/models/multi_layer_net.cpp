// multi_layer_net.cpp — see multi_layer_net.hpp.
#include "models/multi_layer_net.hpp"

#include <cmath>
#include <memory>

#include "layers/activations.hpp"
#include "layers/affine.hpp"
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
  const std::size_t affine_layers = sizes_.size() - 1;
  for (std::size_t l = 0; l < affine_layers; ++l) {
    const std::size_t fan_in = sizes_[l], fan_out = sizes_[l + 1];
    const Scalar w_std = weight_init_std(options.init, fan_in, options.fixed_std);
    weights_.push_back(make_param(concat("W", l + 1), Tensor::randn({fan_in, fan_out}, rng) * w_std));
    biases_.push_back(make_param(concat("b", l + 1), Tensor::zeros({fan_out})));
    add(std::make_unique<Affine>(weights_.back(), biases_.back()));
    if (l + 1 == affine_layers) break;  // the scores go straight into the loss
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
  }
  set_loss(std::make_unique<SoftmaxWithLoss>());
}

std::vector<ParamPtr> MultiLayerNet::parameters() const {
  std::vector<ParamPtr> params;
  for (std::size_t l = 0; l < weights_.size(); ++l) {
    params.push_back(weights_[l]);
    params.push_back(biases_[l]);
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
  return concat(sizes_string(sizes_), ", ", activation, ", ", init, ", ", parameter_count(), " parameters");
}

void MultiLayerNet::copy_weights_from(const MultiLayerNet& other) {
  if (other.sizes_ != sizes_)
    fail<ShapeError>("MultiLayerNet::copy_weights_from: this net is ", sizes_string(sizes_), " but the other is ",
                     sizes_string(other.sizes_), "; weights can only be copied between nets of the same sizes");
  for (std::size_t l = 0; l < weights_.size(); ++l) {
    weights_[l]->value.assign(other.weights_[l]->value);
    biases_[l]->value.assign(other.biases_[l]->value);
  }
}

}  // namespace scratch

// two_layer_net.cpp — see two_layer_net.hpp.
#include "models/two_layer_net.hpp"

#include <cmath>
#include <utility>

#include "layers/activations.hpp"
#include "layers/affine.hpp"
#include "layers/softmax.hpp"
#include "tensor/ops.hpp"

namespace scratch {
namespace {

// A layer size, checked to be at least 1 (a net with no inputs, units or classes computes nothing).
std::size_t layer_size(const char* what, std::size_t n) {
  if (n == 0) fail<ValueError>("TwoLayerNet: ", what, " must be at least 1, got 0");
  return n;
}

// The scale of the initial weights, checked to be a finite number >= 0.
Scalar init_scale(Scalar weight_init_std) {
  if (!(std::isfinite(weight_init_std) && weight_init_std >= 0))
    fail<ValueError>("TwoLayerNet: weight_init_std must be a finite number >= 0 (the book uses 0.01), got ",
                     weight_init_std);
  return weight_init_std;
}

}  // namespace

TwoLayerNet::TwoLayerNet(std::size_t input_size, std::size_t hidden_size, std::size_t output_size,
                         Scalar weight_init_std, Rng& rng)
    : TwoLayerNet(draw_weights(input_size, hidden_size, output_size, weight_init_std, rng)) {}

std::pair<Tensor, Tensor> TwoLayerNet::draw_weights(std::size_t input_size, std::size_t hidden_size,
                                                    std::size_t output_size, Scalar weight_init_std, Rng& rng) {
  // W1 first, then W2, in two statements: inside one call's arguments the order of the two draws
  // would be the compiler's choice (GCC and clang differ), and one seed would give two nets.
  const Scalar scale = init_scale(weight_init_std);
  Tensor W1 = Tensor::randn({layer_size("input_size", input_size), layer_size("hidden_size", hidden_size)}, rng);
  Tensor W2 = Tensor::randn({hidden_size, layer_size("output_size", output_size)}, rng);
  return {W1 * scale, W2 * scale};
}

TwoLayerNet::TwoLayerNet(std::pair<Tensor, Tensor> W) : TwoLayerNet(std::move(W.first), std::move(W.second)) {}

TwoLayerNet::TwoLayerNet(Tensor W1, Tensor W2) {
  if (W1.ndim() != 2 || W2.ndim() != 2 || W1.shape()[1] != W2.shape()[0])
    fail<ShapeError>("TwoLayerNet: W1 ", shape_string(W1.shape()), " and W2 ", shape_string(W2.shape()),
                     " must be (D, H) and (H, C)");
  if (W1.empty() || W2.empty())
    fail<ShapeError>("TwoLayerNet: W1 ", shape_string(W1.shape()), " and W2 ", shape_string(W2.shape()),
                     " must be (D, H) and (H, C) with D, H and C at least 1");
  const std::size_t hidden = W1.shape()[1], classes = W2.shape()[1];
  W1_ = make_param("W1", std::move(W1));
  b1_ = make_param("b1", Tensor::zeros({hidden}));
  W2_ = make_param("W2", std::move(W2));
  b2_ = make_param("b2", Tensor::zeros({classes}));
  add(std::make_unique<Affine>(W1_, b1_));
  add(std::make_unique<Relu>());
  add(std::make_unique<Affine>(W2_, b2_));
  set_loss(std::make_unique<SoftmaxWithLoss>());
}

TwoLayerNet make_simple_net(Rng& rng, std::size_t input_size, std::size_t hidden_size, std::size_t output_size) {
  Tensor W1 = Tensor::rand({input_size, hidden_size}, rng);
  Tensor W2 = Tensor::rand({hidden_size, output_size}, rng);
  return TwoLayerNet(std::move(W1), std::move(W2));
}

}  // namespace scratch

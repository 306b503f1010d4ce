// autoencoder.cpp — the tied-weight Autoencoder; see autoencoder.hpp for the math and the shapes.
#include "models/autoencoder.hpp"

#include <cmath>

#include "tensor/ops.hpp"

namespace scratch {
namespace {

ParamPtr checked_w(Tensor W) {
  if (W.ndim() != 2 || W.size() == 0)
    fail<ShapeError>("Autoencoder: W has shape ", shape_string(W.shape()),
                     " but must be a (D, H) matrix: D inputs, H hidden units");
  return make_param("W", std::move(W));
}

}  // namespace

Autoencoder::Autoencoder(std::size_t input_size, std::size_t hidden_size, Rng& rng)
    : Autoencoder(Tensor::randn({input_size, hidden_size}, rng) *
                  static_cast<Scalar>(std::sqrt(2.0 / static_cast<double>(input_size + hidden_size)))) {}

Autoencoder::Autoencoder(Tensor W)
    : W_(checked_w(std::move(W))),
      b1_(make_param("b1", Tensor::zeros({W_->value.shape()[1]}))),
      b2_(make_param("b2", Tensor::zeros({W_->value.shape()[0]}))),
      encoder_(W_, b1_),
      decoder_(W_, b2_, Use::kTransposed) {
  // dL/dx of the input images is never needed: skip that (N, H)·(H, D) product.
  encoder_.set_input_grad(InputGrad::kSkip);
}

Tensor Autoencoder::encode(const Tensor& x) { return sigmoid_.forward(encoder_.forward(x)); }

Tensor Autoencoder::scores(const Tensor& x) { return decoder_.forward(encode(x)); }

Tensor Autoencoder::reconstruct(const Tensor& x) { return sigmoid(scores(x)); }

Scalar Autoencoder::forward(const Tensor& x, const Tensor& t) { return loss_layer_.forward(scores(x), t); }

void Autoencoder::backward() {
  const Tensor ds = loss_layer_.backward(1);  // (N, D) = (x̂ − t)/N
  const Tensor dh = decoder_.backward(ds);    // (N, H) = ds · W; writes dWᵀ = hᵀ·ds and db2
  encoder_.backward(sigmoid_.backward(dh));   // writes dW = xᵀ·(dh ⊙ h(1 − h)) and db1
}

std::vector<ParamUse> Autoencoder::params() const {
  std::vector<ParamUse> uses = encoder_.params();
  for (const ParamUse& use : decoder_.params()) uses.push_back(use);
  return uses;
}

}  // namespace scratch

// cbow.cpp — SimpleCBOW; see cbow.hpp for the math and the shapes.
#include "models/cbow.hpp"

#include <cmath>

#include "tensor/labels.hpp"
#include "tensor/ops.hpp"

namespace scratch {
namespace {

constexpr std::size_t kContextWords = 2;  // window 1: one word on each side

ParamPtr checked_w_in(Tensor W_in, const Tensor& W_out) {
  if (W_in.ndim() != 2 || W_out.ndim() != 2 || W_in.shape()[1] != W_out.shape()[0] ||
      W_in.shape()[0] != W_out.shape()[1] || W_in.shape()[0] == 0)
    fail<ShapeError>("SimpleCBOW: W_in ", shape_string(W_in.shape()), " and W_out ", shape_string(W_out.shape()),
                     " must be (V, H) and (H, V) with V >= 1 words and H hidden units");
  return make_param("W_in", std::move(W_in));
}

// Writes the one-hot rows of column `column` of contexts (N, 2) into out (N, V), reusing its memory.
void one_hot_column(const Tensor& contexts, std::size_t column, std::size_t v, Tensor& out) {
  const std::size_t n = contexts.shape()[0];
  out.resize({n, v});
  out.fill(0);
  for (std::size_t i = 0; i < n; ++i) out(i, static_cast<std::size_t>(contexts(i, column))) = 1;
}

}  // namespace

SimpleCBOW::SimpleCBOW(std::size_t vocab_size, std::size_t hidden_size, Rng& rng)
    : SimpleCBOW(draw_weights(vocab_size, hidden_size, rng)) {}

std::pair<Tensor, Tensor> SimpleCBOW::draw_weights(std::size_t vocab_size, std::size_t hidden_size, Rng& rng) {
  // W_in first, then W_out, in two statements: inside one call's arguments the order of the draws
  // would be the compiler's choice, and one seed would give different vectors with GCC and clang.
  Tensor W_in = Tensor::randn({vocab_size, hidden_size}, rng) * Scalar(0.01);
  Tensor W_out = Tensor::randn({hidden_size, vocab_size}, rng) * Scalar(0.01);
  return {std::move(W_in), std::move(W_out)};
}

SimpleCBOW::SimpleCBOW(std::pair<Tensor, Tensor> W) : SimpleCBOW(std::move(W.first), std::move(W.second)) {}

SimpleCBOW::SimpleCBOW(Tensor W_in, Tensor W_out)
    : W_in_(checked_w_in(std::move(W_in), W_out)),
      W_out_(make_param("W_out", std::move(W_out))),
      in_layer0_(W_in_),
      in_layer1_(W_in_),
      out_layer_(W_out_) {
  // Nobody needs dL/d(one-hot input): skip that (N, V) product in the context layers.
  in_layer0_.set_input_grad(InputGrad::kSkip);
  in_layer1_.set_input_grad(InputGrad::kSkip);
}

Tensor SimpleCBOW::hidden(const Tensor& contexts) {
  const std::size_t v = vocab_size();
  if (contexts.ndim() != 2 || contexts.shape()[1] != kContextWords)
    fail<ShapeError>("SimpleCBOW: contexts has shape ", shape_string(contexts.shape()),
                     " but must be (N, 2): the ids of the word before and the word after each target",
                     " (create_contexts_target with window_size 1)");
  check_class_indices("SimpleCBOW", contexts, v, "contexts",
                      [&] { return concat("(word ids of a vocabulary of ", v, " words)"); });
  one_hot_column(contexts, 0, v, one_hot0_);
  one_hot_column(contexts, 1, v, one_hot1_);
  Tensor h = in_layer0_.forward(one_hot0_);  // (N, H): row c0 of W_in
  h += in_layer1_.forward(one_hot1_);        // + row c1 of the same W_in
  h *= Scalar(0.5);
  return h;
}

Tensor SimpleCBOW::predict(const Tensor& contexts) { return out_layer_.forward(hidden(contexts)); }

Scalar SimpleCBOW::forward(const Tensor& contexts, const Tensor& target) {
  return loss_layer_.forward(predict(contexts), target);
}

void SimpleCBOW::backward() {
  const Tensor ds = loss_layer_.backward(1);  // (N, V)
  Tensor dh = out_layer_.backward(ds);        // (N, H) = ds · W_outᵀ
  dh *= Scalar(0.5);                          // h = 0.5 (h0 + h1): each branch gets half
  in_layer1_.backward(dh);                    // dW_in (second use) = e(c1)ᵀ · dh1
  in_layer0_.backward(dh);                    // dW_in (first use)  = e(c0)ᵀ · dh0
}

std::vector<ParamUse> SimpleCBOW::params() const {
  std::vector<ParamUse> uses = in_layer0_.params();
  for (const ParamUse& use : in_layer1_.params()) uses.push_back(use);
  for (const ParamUse& use : out_layer_.params()) uses.push_back(use);
  return uses;
}

}  // namespace scratch

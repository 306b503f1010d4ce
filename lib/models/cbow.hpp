// cbow.hpp — SimpleCBOW, word2vec's continuous bag of words ("Deep Learning from Scratch 2", ch. 3).
//
// Shapes: N samples, V words in the vocabulary, H hidden units (the length of a word vector).
// The model guesses the word in the middle from the word before it and the word after it:
//
//   c0, c1 (N,)  context word ids   →  one-hot rows e(c0), e(c1) (N, V)
//   h0 = e(c0) · W_in                 MatMul, W_in (V, H): row c0 of W_in
//   h1 = e(c1) · W_in                 MatMul, the SAME W_in
//   h  = 0.5 · (h0 + h1)              (N, H): the average of the two context vectors
//   s  = h · W_out                    MatMul, W_out (H, V): a score for every word
//   loss = SoftmaxWithLoss(s, t)      t (N,) the target word ids
//
// Backward retraces it: ds = (softmax(s) − t)/N, dh = ds · W_outᵀ, dh0 = dh1 = 0.5 · dh, and each
// context layer writes its own dW_in = e(c)ᵀ · dh_k. W_in is used twice, so the chain rule makes its
// gradient the SUM of the two layers' gradients: params() lists W_in once per use (3 uses, 2
// distinct parameters) and remove_duplicates adds them up. After training, row w of W_in is the
// vector of word w (word_vecs()).
#pragma once

#include <utility>

#include "core/random.hpp"
#include "layers/affine.hpp"
#include "layers/softmax.hpp"
#include "models/model.hpp"

namespace scratch {

class SimpleCBOW : public Model {
 public:
  // W_in (V, H) and W_out (H, V) drawn from 0.01 · N(0, 1), as in the book.
  SimpleCBOW(std::size_t vocab_size, std::size_t hidden_size, Rng& rng = global_rng());
  // Starts from the given W_in (V, H) and W_out (H, V). Throws ShapeError when they do not fit.
  SimpleCBOW(Tensor W_in, Tensor W_out);

  // contexts: (N, 2) word ids, the word left and the word right of each target (what
  // create_contexts_target in text/corpus.hpp makes with window 1); target: (N,) word ids or one-hot
  // (N, V). Returns the mean cross-entropy loss. Throws ShapeError for contexts that are not (N, 2),
  // ValueError for an id that is not a whole number in [0, V), and SoftmaxWithLoss's errors for t.
  Scalar forward(const Tensor& contexts, const Tensor& target) override;
  // Back-propagates the last forward's loss; writes dW_out and both context layers' dW_in.
  void backward() override;
  // {W_in, the first context layer's dW_in}, {W_in, the second one's}, {W_out, dW_out}.
  std::vector<ParamUse> params() const override;

  // The scores s (N, V) for contexts (N, 2): the higher, the likelier the word in the middle.
  Tensor predict(const Tensor& contexts);

  // W_in (V, H): row w is the learned vector of word w.
  const Tensor& word_vecs() const { return W_in_->value; }
  const ParamPtr& W_in() const { return W_in_; }
  const ParamPtr& W_out() const { return W_out_; }
  std::size_t vocab_size() const { return W_in_->value.shape()[0]; }

 private:
  // Draws W_in then W_out from rng, in that order on every compiler.
  static std::pair<Tensor, Tensor> draw_weights(std::size_t vocab_size, std::size_t hidden_size, Rng& rng);
  explicit SimpleCBOW(std::pair<Tensor, Tensor> W);

  Tensor hidden(const Tensor& contexts);  // h (N, H)

  ParamPtr W_in_, W_out_;
  MatMul in_layer0_, in_layer1_;  // both hold W_in_
  MatMul out_layer_;
  SoftmaxWithLoss loss_layer_;
  Tensor one_hot0_, one_hot1_;  // (N, V) one-hot rows of the two context words, reused between batches
};

}  // namespace scratch

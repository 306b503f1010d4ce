// affine.hpp — the fully connected layers: Affine (y = x·W + b) and MatMul (y = x·W, no bias).
//
// Shapes: N samples, D input features, M output features.
//
//   forward    y  = x · op(W) + b              x (N, D), op(W) (D, M), b (M,), y (N, M)
//   backward   dx = dout · op(W)ᵀ              (N, D), reshaped back to x's shape
//              dW = xᵀ · dout                  (D, M): the gradient of op(W), the matrix that was used
//              db = Σ_n dout[n, :]             (M,)
//
// op(W) is W itself (Use::kDirect, W stored (D, M)) or Wᵀ (Use::kTransposed, W stored (M, D)): a
// tied-weight decoder multiplies by the encoder's matrix transposed. For a transposed use the layer's
// dW has Wᵀ's shape (D, M); remove_duplicates (train/dedup.hpp) transposes it back when it adds the
// uses of W together, as param.hpp documents.
//
// x may have more than two axes, (N, d1, d2, …): each sample is flattened to D = d1·d2·… features
// (an image batch (N, 1, 28, 28) becomes (N, 784)) and dx comes back in x's shape. A 1-d x (D,) is
// one sample: y is (M,) and dx (D,).
//
// The products never build a transpose (scratch::matmul's Transpose flags read the operand
// transposed), and the layer's gradients dW_, db_ are members that backward overwrites in place,
// so a training loop reuses their memory on every step.
#pragma once

#include "layers/layer.hpp"

namespace scratch {

class Affine : public Layer {
 public:
  // W: (D, M) for Use::kDirect, (M, D) for Use::kTransposed; b: (M,). The Params are shared handles:
  // another layer may use the same W. Throws ShapeError when W is not 2-d or b does not have M
  // entries, ValueError for a null handle.
  Affine(ParamPtr W, ParamPtr b, Use w_use = Use::kDirect);

  std::string name() const override { return "Affine"; }

  // x (N, …) with D features per sample, or (D,) → y (N, M), or (M,). Caches a copy of x as (N, D).
  // Throws ShapeError naming x's shape and W's input features when they do not match.
  Tensor forward(const Tensor& x) override;
  // dout (y's shape) → dx (x's shape); overwrites dW_ (op(W)'s shape) and db_ (M,). With
  // InputGrad::kSkip returns an empty tensor and skips the dx product.
  Tensor backward(const Tensor& dout) override;

  // {W, dW, w_use} and {b, db, kDirect}.
  std::vector<ParamUse> params() const override;

  const ParamPtr& W() const { return W_; }
  const ParamPtr& b() const { return b_; }

 private:
  ParamPtr W_, b_;
  Use w_use_;
  Tensor x_;        // the last forward's x as an (N, D) matrix
  Shape x_shape_;   // its original shape, for dx
  Shape y_shape_;   // the shape forward returned, to check dout
  Tensor dW_;       // op(W)'s shape (D, M); overwritten by each backward
  Tensor db_;       // (M,); overwritten by each backward
  bool has_forward_ = false;
};

class MatMul : public Layer {
 public:
  // y = x · op(W): Affine without the bias. The CBOW model runs one W through two MatMul layers;
  // each keeps its own dW, and remove_duplicates sums them.
  explicit MatMul(ParamPtr W, Use use = Use::kDirect);

  std::string name() const override { return "MatMul"; }

  // Same shapes, caching and errors as Affine::forward, without b.
  Tensor forward(const Tensor& x) override;
  // dx = dout · op(W)ᵀ (skipped with InputGrad::kSkip), dW = xᵀ · dout (overwritten in place).
  Tensor backward(const Tensor& dout) override;

  // {W, dW, use}.
  std::vector<ParamUse> params() const override;

  const ParamPtr& W() const { return W_; }

 private:
  ParamPtr W_;
  Use use_;
  Tensor x_;        // (N, D)
  Shape x_shape_;
  Shape y_shape_;
  Tensor dW_;       // op(W)'s shape (D, M)
  bool has_forward_ = false;
};

}  // namespace scratch

// affine.hpp — the fully connected layers: Affine (y = x·W + b) and MatMul (y = x·W, no bias).
//
// N samples, D input features, M output features. op(W) is W itself (Use::kDirect, W stored
// (D, M)) or Wᵀ (Use::kTransposed, W stored (M, D): a tied decoder uses the encoder's matrix).
//
//   forward    y  = x · op(W) + b      x (N, D), op(W) (D, M), b (M,), y (N, M)
//   backward   dx = dout · op(W)ᵀ      (N, D)
//              dW = xᵀ · dout          (D, M), op(W)'s shape: remove_duplicates transposes a tied use back
//              db = Σ_n dout[n, :]     (M,)
//
// The base (layer.hpp, InputView::kMatrix) turns one sample (D,) or an image batch (N, 1, 28, 28)
// into (N, D) and gives y and dx back in the caller's shapes. The products read W transposed in
// place (matmul's Transpose flags); dW and db are overwritten, so a training loop reuses their memory.
#pragma once

#include "layers/layer.hpp"

namespace scratch {

class Affine : public Layer {
 public:
  // W (D, M), or (M, D) used transposed; b (M,). Shared handles: another layer may use the same W.
  // Throws ShapeError when W is not 2-d or b does not have M entries, ValueError for a null handle.
  Affine(ParamPtr W, ParamPtr b, Use w_use = Use::kDirect);

  std::string name() const override { return b_ ? "Affine" : "MatMul"; }
  const ParamPtr& W() const { return W_; }
  const ParamPtr& b() const { return b_; }

 protected:
  Affine(std::string op, ParamPtr W, ParamPtr b, Use w_use);  // b null: MatMul

 private:
  Tensor forward_impl(const Tensor& x) override;      // x (N, D) → y (N, M); caches x
  Tensor backward_impl(const Tensor& dout) override;  // dout (N, M) → dx (N, D); writes dW, db
  Shape used_shape() const;                           // op(W)'s (D, M); W's value may have been replaced

  ParamPtr W_, b_;
  Use w_use_;
  Tensor* dW_;            // this layer's gradient for its use of W (owned by the base), (D, M)
  Tensor* db_ = nullptr;  // and for b, (M,)
  Tensor x_;              // the last x, (N, D)
};

// y = x · op(W): Affine without the bias. The CBOW model runs one W through two MatMul layers; each
// keeps its own dW, and remove_duplicates sums them.
class MatMul : public Affine {
 public:
  explicit MatMul(ParamPtr W, Use use = Use::kDirect) : Affine("matmul layer", std::move(W), nullptr, use) {}
};

}  // namespace scratch

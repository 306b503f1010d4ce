// affine.cpp — Affine and MatMul; see affine.hpp for the math and the shapes.
#include "layers/affine.hpp"

#include "layers/layer_util.hpp"
#include "tensor/matmul.hpp"
#include "tensor/ops.hpp"

namespace scratch {
namespace {

ParamPtr non_null(ParamPtr p, const std::string& op, const char* what) {
  if (!p) fail<ValueError>(op, ": ", what, " is a null ParamPtr (make one with make_param)");
  return p;
}

}  // namespace

Affine::Affine(ParamPtr W, ParamPtr b, Use w_use)
    : Affine("affine", std::move(W), non_null(std::move(b), "affine", "b"), w_use) {}

Affine::Affine(std::string op, ParamPtr W, ParamPtr b, Use w_use)
    : Layer(op, InputView::kMatrix), W_(non_null(std::move(W), op, "W")), b_(std::move(b)), w_use_(w_use) {
  const std::size_t m = used_shape()[1];
  if (b_ && b_->value.shape() != Shape{m})
    fail<ShapeError>(op, ": b (", b_->name, ") has shape ", shape_string(b_->value.shape()), " but W has shape ",
                     shape_string(W_->value.shape()), ", which gives ", m, " output features: b must be (", m, ",)");
  dW_ = &use_param(W_, w_use_);
  if (b_) db_ = &use_param(b_);
}

Shape Affine::used_shape() const {
  const Shape& s = W_->value.shape();
  if (s.size() != 2) fail<ShapeError>(op(), ": W (", W_->name, ") must be a 2-d matrix, got shape ", shape_string(s));
  return w_use_ == Use::kDirect ? s : Shape{s[1], s[0]};
}

Tensor Affine::forward_impl(const Tensor& x) {
  const std::size_t d = used_shape()[0];
  if (x.shape()[1] != d)
    fail<ShapeError>(op(), ": x has shape ", shape_string(input_shape()),
                     input_shape().size() > 2 ? concat(", i.e. ", x.shape()[1], " features per sample,") : "",
                     " but W expects ", d, " input features",
                     w_use_ == Use::kTransposed
                         ? concat(" (W has shape ", shape_string(W_->value.shape()), " and is used transposed)")
                         : "");
  detail::copy_rows(x, x_);
  const Transpose tw = w_use_ == Use::kDirect ? Transpose::kNo : Transpose::kYes;
  Tensor y;
  matmul_into(y, x_, W_->value, Transpose::kNo, tw);  // y = x · op(W): (N, D)·(D, M) → (N, M)
  if (b_) y += b_->value;                             //   + b on every row
  return y;
}

Tensor Affine::backward_impl(const Tensor& dout) {
  matmul_into(*dW_, x_, dout, Transpose::kYes, Transpose::kNo);  // dW = xᵀ · dout: (D, N)·(N, M) → (D, M)
  if (b_) *db_ = dout.sum(0);                                    // db = Σ_n dout[n, :]
  if (!needs_input_grad()) return Tensor();
  // dx = dout · op(W)ᵀ, where op(W)ᵀ is Wᵀ for a direct use and W itself for a transposed one.
  const Transpose tw = w_use_ == Use::kDirect ? Transpose::kYes : Transpose::kNo;
  return matmul(dout, W_->value, Transpose::kNo, tw);  // (N, M)·(M, D) → (N, D)
}

}  // namespace scratch

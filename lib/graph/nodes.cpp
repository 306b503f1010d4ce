// nodes.cpp — Add, Mul, Repeat, Sum and MatMul: each forward followed by its backward.
//
// The public Node::forward/backward (node.cpp) have already checked the number of inputs, that
// forward ran before backward, and that dout is shaped like the output; these functions check
// what is particular to each node and then do its math.
#include "graph/nodes.hpp"

#include <algorithm>

#include "core/parallel.hpp"
#include "tensor/matmul.hpp"
#include "tensor/ops.hpp"

namespace scratch {
namespace {

// n copies of a row of D values, as an (n, D) matrix: Repeat's forward and Sum's backward.
Tensor repeat_row(const Tensor& row, std::size_t n) {
  const std::size_t d = row.size();
  Tensor out = Tensor::empty({n, d});
  parallel_for(n, d, [&](std::size_t i) { std::copy(row.begin(), row.end(), out.data() + i * d); });
  return out;
}

}  // namespace

// ---- Add: out = x + y;  ∂out/∂x = ∂out/∂y = 1, so both inputs receive dout unchanged ----

Tensor AddNode::forward_impl(const Tensors& inputs) {
  const Tensor& x = inputs[0];
  const Tensor& y = inputs[1];
  broadcast_shape(x.shape(), y.shape(), "Add node");  // throws ShapeError naming both shapes
  x_shape_ = x.shape();
  y_shape_ = y.shape();
  return x + y;
}

Tensors AddNode::backward_impl(const Tensor& dout) {
  const Tensor dx = sum_to_shape(dout, x_shape_);  // = dout when no broadcasting happened
  const Tensor dy = sum_to_shape(dout, y_shape_);
  return {dx, dy};
}

// ---- Mul: out = x ⊙ y;  ∂out/∂x = y and ∂out/∂y = x, so the inputs swap places in backward ----

Tensor MulNode::forward_impl(const Tensors& inputs) {
  const Tensor& x = inputs[0];
  const Tensor& y = inputs[1];
  broadcast_shape(x.shape(), y.shape(), "Mul node");
  x_ = x;
  y_ = y;
  return x * y;
}

Tensors MulNode::backward_impl(const Tensor& dout) {
  const Tensor dx = sum_to_shape(dout * y_, x_.shape());
  const Tensor dy = sum_to_shape(dout * x_, y_.shape());
  return {dx, dy};
}

// ---- Repeat: out[i] = x for i < N;  every copy sends back its gradient and they add up ----

RepeatNode::RepeatNode(std::size_t n) : n_(n) {
  if (n == 0) fail<ValueError>("Repeat node: the number of copies must be at least 1, got 0");
}

Tensor RepeatNode::forward_impl(const Tensors& inputs) {
  const Tensor& x = inputs[0];  // (D,) or (1, D)
  const bool is_row = x.ndim() == 1 || (x.ndim() == 2 && x.shape()[0] == 1);
  if (!is_row)
    fail<ShapeError>(where(), "x has shape ", shape_string(x.shape()),
                     " but Repeat copies one row, shape (D,) or (1, D); to add up the rows of a matrix use SumNode");
  x_shape_ = x.shape();
  return repeat_row(x, n_);  // (N, D)
}

Tensors RepeatNode::backward_impl(const Tensor& dout) {
  // dout (N, D) → dx: Σ over the N rows, shaped like x again.
  const KeepDims keep = x_shape_.size() == 2 ? KeepDims::kYes : KeepDims::kNo;
  return {dout.sum(0, keep)};
}

// ---- Sum: out = Σ_i x[i] (keepdims);  ∂out/∂x[i] = 1, so every row receives dout: a Repeat ----

Tensor SumNode::forward_impl(const Tensors& inputs) {
  const Tensor& x = inputs[0];  // (N, D)
  if (x.ndim() != 2)
    fail<ShapeError>(where(), "x has shape ", shape_string(x.shape()),
                     " but Sum adds up the rows of a matrix (N, D); reshape a vector to (N, 1) or (1, D) first");
  n_ = x.shape()[0];
  return x.sum(0, KeepDims::kYes);  // (1, D)
}

Tensors SumNode::backward_impl(const Tensor& dout) {
  return {repeat_row(dout, n_)};  // dout (1, D) → dx (N, D)
}

// ---- MatMul: out = x · W;  dx = dout · Wᵀ (N, M)(M, D) and dW = xᵀ · dout (D, N)(N, M) ----

Tensor MatMulNode::forward_impl(const Tensors& inputs) {
  const Tensor& x = inputs[0];  // (N, D)
  const Tensor& W = inputs[1];  // (D, M)
  if (x.ndim() != 2 || W.ndim() != 2)
    fail<ShapeError>(where(), "x must be (N, D) and W (D, M), got x ", shape_string(x.shape()), " and W ",
                     shape_string(W.shape()), "; reshape a single sample to (1, D)");
  if (x.shape()[1] != W.shape()[0])
    fail<ShapeError>(where(), "x has shape ", shape_string(x.shape()), " but W has shape ", shape_string(W.shape()),
                     ": x's ", x.shape()[1], " columns must equal W's ", W.shape()[0], " rows");
  x_ = x;
  W_ = W;
  return matmul(x, W);  // (N, M)
}

Tensors MatMulNode::backward_impl(const Tensor& dout) {
  const Tensor dx = matmul(dout, W_, Transpose::kNo, Transpose::kYes);  // (N, M)·(M, D) → (N, D)
  const Tensor dW = matmul(x_, dout, Transpose::kYes, Transpose::kNo);  // (D, N)·(N, M) → (D, M)
  return {dx, dW};
}

}  // namespace scratch

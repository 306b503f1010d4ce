// nodes.hpp — the five nodes of the computational-graph chapter, each with its local gradients.
//
//   node        forward                      backward (dout = ∂L/∂out)
//   AddNode     out = x + y                  dx = dout,            dy = dout
//   MulNode     out = x ⊙ y                  dx = dout ⊙ y,        dy = dout ⊙ x
//   RepeatNode  out = N copies of row x      dx = Σ_rows dout      (a branch: gradients add up)
//   SumNode     out = Σ_rows x (keepdims)    dx = N copies of dout (the reverse of Repeat)
//   MatMulNode  out = x · W                  dx = dout · Wᵀ,       dW = xᵀ · dout
//
// Dimension letters: N rows (the batch, or the number of branches), D columns of x, M columns of W.
// Add and Mul follow NumPy broadcasting (tensor/ops.hpp); where an input was stretched, its
// gradient is summed back to the input's shape (sum_to_shape), because every copy of a value
// sends its own gradient back and a copied value's gradient is the sum of them — exactly what
// RepeatNode does explicitly. A scalar is a 0-d or a 1-element tensor.
//
// These are pure nodes: every input, weights included, comes through forward and gets its
// gradient from backward. The MatMul *layer* in lib/layers instead owns its W as a Param.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "graph/node.hpp"

namespace scratch {

// out = x + y. Caches the input shapes (the gradient of + does not depend on the values).
class AddNode : public Node {
 public:
  std::string name() const override { return "Add"; }
  std::vector<std::string> input_names() const override { return {"x", "y"}; }

 protected:
  Tensor forward_impl(const Tensors& inputs) override;
  Tensors backward_impl(const Tensor& dout) override;

 private:
  Shape x_shape_, y_shape_;
};

// out = x ⊙ y (elementwise). Caches x and y: each one's gradient is the other one times dout.
class MulNode : public Node {
 public:
  std::string name() const override { return "Mul"; }
  std::vector<std::string> input_names() const override { return {"x", "y"}; }

 protected:
  Tensor forward_impl(const Tensors& inputs) override;
  Tensors backward_impl(const Tensor& dout) override;

 private:
  Tensor x_, y_;
};

// The branch (copy) node, grown to N branches: x (D,) or (1, D) → out (N, D), every row a copy of
// x, like np.repeat(x.reshape(1, -1), N, axis=0). Caches x's shape.
class RepeatNode : public Node {
 public:
  // n: the number of copies, at least 1.
  explicit RepeatNode(std::size_t n);
  std::string name() const override { return "Repeat"; }
  std::vector<std::string> input_names() const override { return {"x"}; }

 protected:
  Tensor forward_impl(const Tensors& inputs) override;
  Tensors backward_impl(const Tensor& dout) override;

 private:
  std::size_t n_;
  Shape x_shape_;
};

// x (N, D) → out (1, D), the sum over the rows with keepdims: np.sum(x, axis=0, keepdims=True).
// Caches N.
class SumNode : public Node {
 public:
  std::string name() const override { return "Sum"; }
  std::vector<std::string> input_names() const override { return {"x"}; }

 protected:
  Tensor forward_impl(const Tensors& inputs) override;
  Tensors backward_impl(const Tensor& dout) override;

 private:
  std::size_t n_ = 0;
};

// x (N, D), W (D, M) → out (N, M) = x · W. Caches x and W. Backward multiplies by the transposes
// through matmul's Transpose flags, so no transposed copy is ever built.
class MatMulNode : public Node {
 public:
  std::string name() const override { return "MatMul"; }
  std::vector<std::string> input_names() const override { return {"x", "W"}; }

 protected:
  Tensor forward_impl(const Tensors& inputs) override;
  Tensors backward_impl(const Tensor& dout) override;

 private:
  Tensor x_, W_;
};

}  // namespace scratch

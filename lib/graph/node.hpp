// node.hpp — the contract every computational-graph node follows, and the gradient of broadcasting.
//
// A computational graph splits a big formula into small local steps (nodes). Each node knows two
// things only: how to compute its output from its inputs, and how to turn the gradient of the loss
// with respect to that output into the gradient with respect to each input (the chain rule, one
// node at a time):
//
//   out   = node.forward({x, y})        caches what backward will need
//   grads = node.backward(dout)          dout = ∂L/∂out (out's shape) → {∂L/∂x, ∂L/∂y} (x's, y's shapes)
//
// backward returns one gradient per input, in the order forward took them. Neither call modifies
// its arguments. A node remembers only its last forward: to use the same operation twice in a
// graph, make two nodes (the apple graph has two MulNodes).
//
// Node is the extension point: a new node overrides name(), input_names(), forward_impl() and
// backward_impl(); the public forward/backward around them check the contract (input count,
// forward before backward, dout's shape, each gradient's shape) so a node only writes its math.
#pragma once

#include <string>
#include <vector>

#include "tensor/tensor.hpp"

namespace scratch {

// The inputs of a node, or the gradients backward returns for them (same order, same shapes).
using Tensors = std::vector<Tensor>;

class Node {
 public:
  virtual ~Node() = default;

  // Type name for messages, e.g. "Mul".
  virtual std::string name() const = 0;

  // The inputs forward takes, by their book names, e.g. {"x", "y"}; their count is the node's arity.
  virtual std::vector<std::string> input_names() const = 0;

  // out = f(inputs). Throws ValueError when the number of inputs is wrong, ShapeError when their
  // shapes do not fit the node. Caches what backward needs.
  Tensor forward(const Tensors& inputs);

  // dout = ∂L/∂out, shaped like the last forward's output → one gradient per input, each shaped
  // like that input. Throws ValueError before any forward, ShapeError when dout has the wrong shape.
  Tensors backward(const Tensor& dout);

 protected:
  // The node's math. forward_impl receives exactly input_names().size() inputs; backward_impl
  // receives a dout already checked against the output's shape.
  virtual Tensor forward_impl(const Tensors& inputs) = 0;
  virtual Tensors backward_impl(const Tensor& dout) = 0;

  // "Mul node: " — the start of every message this node throws.
  std::string where() const;

 private:
  std::vector<Shape> input_shapes_;  // of the last forward, to check the gradients' shapes
  Shape out_shape_;                  // of the last forward, to check dout's shape
  bool has_forward_ = false;
};

// The gradient of broadcasting: sums `grad` down to `shape`, the shape of an input that NumPy's
// rule stretched (tensor/ops.hpp). Leading axes that the input lacked are summed away; axes where
// the input had length 1 are summed with keepdims. Example: a bias b of shape (M,) added to an
// (N, M) matrix gets db = Σ over the N rows of dout. `shape` must broadcast to grad's shape.
Tensor sum_to_shape(const Tensor& grad, const Shape& shape);

}  // namespace scratch

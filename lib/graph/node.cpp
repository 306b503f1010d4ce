// node.cpp — the contract checks around every node, and sum_to_shape; see node.hpp.
#include "graph/node.hpp"

#include "tensor/ops.hpp"

namespace scratch {
namespace {

// "(x, y)" — the input names as a tuple, for messages.
std::string names_tuple(const std::vector<std::string>& names) {
  std::string s = "(";
  for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
  return s + ")";
}

}  // namespace

std::string Node::where() const { return name() + " node: "; }

Tensor Node::forward(const Tensors& inputs) {
  const std::vector<std::string> names = input_names();
  if (inputs.size() != names.size())
    fail<ValueError>(where(), "forward takes ", names.size(), " input", names.size() == 1 ? " " : "s ",
                     names_tuple(names), ", got ", inputs.size());
  has_forward_ = false;  // a forward that throws leaves nothing for backward to use
  Tensor out = forward_impl(inputs);
  input_shapes_.clear();
  for (const Tensor& input : inputs) input_shapes_.push_back(input.shape());
  out_shape_ = out.shape();
  has_forward_ = true;
  return out;
}

Tensors Node::backward(const Tensor& dout) {
  if (!has_forward_)
    fail<ValueError>(where(), "backward called before forward; run forward first, it caches what backward needs");
  if (dout.shape() != out_shape_)
    fail<ShapeError>(where(), "dout has shape ", shape_string(dout.shape()), " but the output of forward had shape ",
                     shape_string(out_shape_), "; dout is ∂L/∂out and must be shaped like out");
  Tensors grads = backward_impl(dout);
  // A broken node (a learner's first try) is caught here rather than three nodes further upstream.
  const std::vector<std::string> names = input_names();
  if (grads.size() != input_shapes_.size())
    fail<ValueError>(where(), "backward returned ", grads.size(), " gradients for ", input_shapes_.size(), " inputs ",
                     names_tuple(names), "; it must return one per input");
  for (std::size_t i = 0; i < grads.size(); ++i) {
    if (grads[i].shape() != input_shapes_[i])
      fail<ShapeError>(where(), "backward returned d", names[i], " of shape ", shape_string(grads[i].shape()), " but ",
                       names[i], " had shape ", shape_string(input_shapes_[i]),
                       "; a gradient is shaped like its input");
  }
  return grads;
}

Tensor sum_to_shape(const Tensor& grad, const Shape& shape) {
  if (broadcast_shape(shape, grad.shape(), "sum_to_shape") != grad.shape())
    fail<ShapeError>("sum_to_shape: ", shape_string(shape), " does not broadcast to the gradient's shape ",
                     shape_string(grad.shape()), ", so the gradient cannot be summed back to it");
  Tensor g = grad;
  // Axes the input did not have at all: broadcasting prepended them, backward sums them away.
  while (g.ndim() > shape.size()) g = g.sum(0);
  // Axes where the input had length 1 and was stretched: sum them but keep the 1.
  for (std::size_t k = 0; k < shape.size(); ++k) {
    if (shape[k] == 1 && g.shape()[k] != 1) g = g.sum(static_cast<int>(k), KeepDims::kYes);
  }
  return g;
}

}  // namespace scratch

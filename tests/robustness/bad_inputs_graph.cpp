// bad_inputs_graph.cpp — bad inputs to the computational-graph nodes (graph/node.hpp, nodes.hpp):
// wrong input counts, shapes that do not fit, backward before forward (or after a forward that
// failed), a dout of the wrong shape, and a broken node whose backward breaks the contract.
// Row format: bad_input.hpp.
#include "robustness/bad_input.hpp"

namespace scratch::test {
namespace {

Tensor zeros(const Shape& shape) { return Tensor::zeros(shape); }

// A learner's first node, wrong in two ways the Node contract catches: its backward returns one
// gradient for two inputs, or a gradient of the wrong shape.
class BrokenNode : public Node {
 public:
  enum class Bug { kTooFewGradients, kWrongShape };
  explicit BrokenNode(Bug bug) : bug_(bug) {}
  std::string name() const override { return "Broken"; }
  std::vector<std::string> input_names() const override { return {"x", "y"}; }

 protected:
  Tensor forward_impl(const Tensors& inputs) override { return inputs[0] + inputs[1]; }
  Tensors backward_impl(const Tensor& dout) override {
    if (bug_ == Bug::kTooFewGradients) return {dout};
    return {dout, dout.transpose()};
  }

 private:
  Bug bug_;
};

// Runs forward on `inputs`, then backward with `dout`.
template <class N>
void forward_then_backward(N node, const Tensors& inputs, const Tensor& dout) {
  node.forward(inputs);
  node.backward(dout);
}

// A forward that succeeds, then one that throws: the node must not keep the first one for backward.
template <class N>
void backward_after_failed_forward(N node, const Tensors& good, const Tensors& bad, const Tensor& dout) {
  node.forward(good);
  try {
    node.forward(bad);
  } catch (const ShapeError&) {
  }
  node.backward(dout);
}

}  // namespace

BadInputs graph_bad_inputs() {
  // One row per bad input, kept as a table:
  // clang-format off
  constexpr auto S = Expect::kShapeError;
  constexpr auto V = Expect::kValueError;
  return {
      // ---- Add ----
      {"Add: one input", [] { AddNode().forward({zeros({2})}); }, V, {"Add node", "2 inputs", "(x, y)", "got 1"}},
      {"Add: three inputs", [] { AddNode().forward({zeros({2}), zeros({2}), zeros({2})}); }, V, {"Add node", "got 3"}},
      {"Add: shapes do not broadcast",
       [] { AddNode().forward({zeros({2, 3}), zeros({2})}); }, S, {"Add node", "(2, 3)", "(2,)"}},
      {"Add: backward before forward", [] { AddNode().backward(zeros({2})); }, V, {"Add node", "before forward"}},
      {"Add: dout of the wrong shape",
       [] { forward_then_backward(AddNode(), {zeros({2, 3}), zeros({3})}, zeros({3})); }, S,
       {"Add node", "dout has shape (3,)", "(2, 3)"}},
      {"Add: backward after a failed forward",
       [] { backward_after_failed_forward(AddNode(), {zeros({2}), zeros({2})}, {zeros({2}), zeros({3})}, zeros({2})); },
       V,
       {"Add node", "before forward"}},
      // ---- Mul ----
      {"Mul: no inputs", [] { MulNode().forward({}); }, V, {"Mul node", "got 0"}},
      {"Mul: shapes do not broadcast",
       [] { MulNode().forward({zeros({4, 3}), zeros({4, 2})}); }, S, {"Mul node", "(4, 3)", "(4, 2)"}},
      {"Mul: backward before forward",
       [] { MulNode().backward(Tensor::scalar(1)); },
       V,
       {"Mul node", "before forward"}},
      {"Mul: dout of the wrong shape",
       [] { forward_then_backward(MulNode(), {zeros({2}), zeros({2})}, zeros({1})); }, S, {"Mul node", "(1,)", "(2,)"}},
      // ---- Repeat ----
      {"Repeat: zero copies", [] { RepeatNode(0); }, V, {"Repeat node", "at least 1", "0"}},
      {"Repeat: x is a matrix", [] { RepeatNode(3).forward({zeros({2, 3})}); }, S, {"Repeat node", "(2, 3)", "(1, D)"}},
      {"Repeat: x is 0-d", [] { RepeatNode(3).forward({Tensor::scalar(1)}); }, S, {"Repeat node", "()"}},
      {"Repeat: two inputs",
       [] { RepeatNode(3).forward({zeros({2}), zeros({2})}); }, V, {"Repeat node", "1 input", "got 2"}},
      {"Repeat: backward before forward",
       [] { RepeatNode(2).backward(zeros({2, 3})); }, V, {"Repeat node", "before forward"}},
      {"Repeat: dout of the wrong shape", [] { forward_then_backward(RepeatNode(4), {zeros({3})}, zeros({3, 3})); }, S,
       {"Repeat node", "(3, 3)", "(4, 3)"}},
      // ---- Sum ----
      {"Sum: x is 1-d", [] { SumNode().forward({zeros({3})}); }, S, {"Sum node", "(3,)", "(N, D)"}},
      {"Sum: x is 3-d", [] { SumNode().forward({zeros({2, 3, 4})}); }, S, {"Sum node", "(2, 3, 4)"}},
      {"Sum: backward before forward", [] { SumNode().backward(zeros({1, 3})); }, V, {"Sum node", "before forward"}},
      {"Sum: dout without keepdims",
       [] { forward_then_backward(SumNode(), {zeros({4, 3})}, zeros({3})); }, S, {"Sum node", "(3,)", "(1, 3)"}},
      // ---- MatMul ----
      {"MatMul: inner dimensions differ", [] { MatMulNode().forward({zeros({2, 3}), zeros({4, 5})}); }, S,
       {"MatMul node", "(2, 3)", "(4, 5)", "3 columns", "4 rows"}},
      {"MatMul: x is 1-d",
       [] { MatMulNode().forward({zeros({3}), zeros({3, 2})}); }, S, {"MatMul node", "x (3,)", "(1, D)"}},
      {"MatMul: W is 3-d",
       [] { MatMulNode().forward({zeros({2, 3}), zeros({3, 2, 1})}); }, S, {"MatMul node", "W (3, 2, 1)"}},
      {"MatMul: one input", [] { MatMulNode().forward({zeros({2, 3})}); }, V, {"MatMul node", "(x, W)", "got 1"}},
      {"MatMul: backward before forward",
       [] { MatMulNode().backward(zeros({2, 2})); }, V, {"MatMul node", "before forward"}},
      {"MatMul: dout of the wrong shape",
       [] { forward_then_backward(MatMulNode(), {zeros({2, 3}), zeros({3, 4})}, zeros({2, 3})); }, S,
       {"MatMul node", "(2, 3)", "(2, 4)"}},
      {"MatMul: backward after a failed forward",
       [] {
         backward_after_failed_forward(MatMulNode(), {zeros({2, 3}), zeros({3, 4})}, {zeros({2, 3}), zeros({2, 4})},
                                       zeros({2, 4}));
       },
       V,
       {"MatMul node", "before forward"}},
      // ---- the contract around a node's own math ----
      {"a node whose backward returns too few gradients",
       [] {
         forward_then_backward(BrokenNode(BrokenNode::Bug::kTooFewGradients), {zeros({2}), zeros({2})}, zeros({2}));
       },
       V,
       {"Broken node", "1 gradients for 2 inputs", "(x, y)"}},
      {"a node whose backward returns a wrongly shaped gradient",
       [] {
         const Tensors xy = {zeros({2, 3}), zeros({2, 3})};
         forward_then_backward(BrokenNode(BrokenNode::Bug::kWrongShape), xy, zeros({2, 3}));
       },
       S,
       {"Broken node", "dy of shape (3, 2)", "y had shape (2, 3)"}},
      {"sum_to_shape: a shape that does not broadcast",
       [] { sum_to_shape(zeros({2, 3}), {4}); }, S, {"sum_to_shape", "(4,)", "(2, 3)"}},
      {"sum_to_shape: a shape larger than the gradient",
       [] { sum_to_shape(zeros({3}), {2, 3}); }, S, {"sum_to_shape", "(2, 3)", "(3,)"}},
  };
  // clang-format on
}

}  // namespace scratch::test

// bad_inputs_layers.cpp — bad inputs to the layers and losses (layers/activations.hpp, affine.hpp,
// softmax.hpp): wrong feature counts, null or misshapen parameters, backward before forward, a dout
// of the wrong shape, empty batches, and labels that do not fit the scores (one-hot vs index, wrong
// class count, out-of-range or fractional indices). Row format: bad_input.hpp.
#include <limits>

#include "robustness/bad_input.hpp"

namespace scratch::test {
namespace {

Tensor zeros(const Shape& shape) { return Tensor::zeros(shape); }
Tensor values(const Shape& shape, std::vector<Scalar> v) { return Tensor::from_vector(shape, std::move(v)); }

ParamPtr param(const Shape& shape) { return make_param("W", Tensor::zeros(shape)); }
ParamPtr bias(std::size_t m) { return make_param("b", Tensor::zeros({m})); }

// Runs layer.forward(x), then layer.backward(dout).
template <class L>
void forward_then_backward(L layer, const Tensor& x, const Tensor& dout) {
  layer.forward(x);
  layer.backward(dout);
}

// Uniform probabilities (N, C), what softmax of all-zero scores gives.
Tensor uniform(std::size_t n, std::size_t c) { return Tensor::full({n, c}, Scalar(1) / static_cast<Scalar>(c)); }

const Scalar kNaN = std::numeric_limits<Scalar>::quiet_NaN();

}  // namespace

BadInputs layer_bad_inputs() {
  // One row per bad input, kept as a table:
  // clang-format off
  constexpr auto S = Expect::kShapeError;
  constexpr auto V = Expect::kValueError;
  return {
      // ---- Relu, Sigmoid ----
      {"Relu: backward before forward", [] { Relu().backward(zeros({2, 3})); }, V, {"relu", "before forward"}},
      {"Relu: dout of the wrong shape", [] { forward_then_backward(Relu(), zeros({2, 3}), zeros({3, 2})); }, S,
       {"relu", "dout has shape (3, 2)", "(2, 3)"}},
      {"Sigmoid: backward before forward", [] { Sigmoid().backward(zeros({2})); }, V, {"sigmoid", "before forward"}},
      {"Sigmoid: dout of the wrong shape",
       [] { forward_then_backward(Sigmoid(), zeros({4}), zeros({4, 1})); }, S, {"sigmoid", "(4, 1)", "(4,)"}},
      // ---- Affine ----
      {"Affine: x has 783 features, W expects 784",
       [] { Affine(param({784, 10}), bias(10)).forward(zeros({100, 783})); }, S,
       {"affine: x has shape (100, 783) but W expects 784 input features"}},
      {"Affine: image batch with the wrong pixel count",
       [] { Affine(param({784, 10}), bias(10)).forward(zeros({2, 1, 28, 27})); }, S,
       {"affine", "(2, 1, 28, 27)", "756 features per sample", "784"}},
      {"Affine: one sample with the wrong feature count",
       [] { Affine(param({4, 2}), bias(2)).forward(zeros({3})); }, S, {"affine", "(3,)", "4 input features"}},
      {"Affine: 0-d x",
       [] { Affine(param({4, 2}), bias(2)).forward(Tensor::scalar(1)); }, S, {"affine", "0-d", "expected a batch (N, D) or one sample (D,)"}},
      {"Affine: tied W with the wrong feature count",
       [] { Affine(param({4, 3}), bias(4), Use::kTransposed).forward(zeros({2, 4})); }, S,
       {"affine", "(2, 4)", "3 input features", "used transposed"}},
      {"Affine: null W", [] { Affine(nullptr, bias(2)); }, V, {"affine", "W is a null ParamPtr"}},
      {"Affine: null b", [] { Affine(param({3, 2}), nullptr); }, V, {"affine", "b is a null ParamPtr"}},
      {"Affine: W is 1-d", [] { Affine(param({3}), bias(3)); }, S, {"affine", "2-d", "(3,)"}},
      {"Affine: b does not match W's outputs",
       [] { Affine(param({3, 2}), bias(3)); }, S, {"affine", "b (b) has shape (3,)", "(3, 2)", "(2,)"}},
      {"Affine: tied b must match Wᵀ's outputs",
       [] { Affine(param({3, 2}), bias(2), Use::kTransposed); }, S, {"affine", "(2,)", "3 output features"}},
      {"Affine: W reshaped after construction",
       [] {
         ParamPtr W = param({3, 2});
         Affine layer(W, bias(2));
         W->value = zeros({6});
         layer.forward(zeros({1, 3}));
       },
       S,
       {"affine", "2-d", "(6,)"}},
      {"Affine: backward before forward",
       [] { Affine(param({3, 2}), bias(2)).backward(zeros({1, 2})); }, V, {"affine", "before forward"}},
      {"Affine: dout of the wrong shape",
       [] { forward_then_backward(Affine(param({3, 2}), bias(2)), zeros({5, 3}), zeros({5, 3})); }, S,
       {"affine", "dout has shape (5, 3)", "(5, 2)"}},
      // ---- MatMul layer ----
      {"MatMul: x has the wrong feature count",
       [] { MatMul(param({5, 2})).forward(zeros({2, 4})); }, S, {"matmul layer", "(2, 4)", "5 input features"}},
      {"MatMul: null W", [] { MatMul(nullptr); }, V, {"matmul layer", "null ParamPtr"}},
      {"MatMul: W is 3-d", [] { MatMul(param({2, 2, 2})); }, S, {"matmul layer", "(2, 2, 2)"}},
      {"MatMul: backward before forward",
       [] { MatMul(param({2, 2})).backward(zeros({1, 2})); }, V, {"matmul layer", "before forward"}},
      {"MatMul: dout of the wrong shape",
       [] { forward_then_backward(MatMul(param({2, 3})), zeros({2}), zeros({1, 3})); }, S,
       {"matmul layer", "(1, 3)", "(3,)"}},
      // ---- softmax, Softmax, Log ----
      {"softmax: 0-d x", [] { softmax(Tensor::scalar(1)); }, S, {"softmax", "0-d"}},
      {"softmax: rows without classes", [] { softmax(zeros({3, 0})); }, S, {"softmax", "(3, 0)", "no classes"}},
      {"Softmax: rows without classes", [] { Softmax().forward(zeros({2, 0})); }, S, {"softmax", "(2, 0)"}},
      {"Softmax: backward before forward", [] { Softmax().backward(zeros({2, 3})); }, V, {"softmax", "before forward"}},
      {"Softmax: dout of the wrong shape",
       [] { forward_then_backward(Softmax(), zeros({2, 3}), zeros({2, 2})); }, S, {"softmax", "(2, 2)", "(2, 3)"}},
      {"Log: backward before forward", [] { Log().backward(zeros({3})); }, V, {"log", "before forward"}},
      {"Log: dout of the wrong shape",
       [] { forward_then_backward(Log(), Tensor::ones({3}), zeros({1, 3})); }, S, {"log", "(1, 3)", "(3,)"}},
      // ---- cross_entropy_error(y, t) ----
      {"cross_entropy_error: empty batch",
       [] { cross_entropy_error(zeros({0, 3}), zeros({0})); }, V, {"cross_entropy_error", "empty", "(0, 3)"}},
      {"cross_entropy_error: no classes",
       [] { cross_entropy_error(zeros({2, 0}), zeros({2})); }, S, {"cross_entropy_error", "(2, 0)", "no classes"}},
      {"cross_entropy_error: 3-d y",
       [] { cross_entropy_error(zeros({2, 3, 1}), zeros({2})); }, S, {"cross_entropy_error", "(2, 3, 1)", "(N, C)"}},
      {"cross_entropy_error: indices for 3 samples, y has 2",
       [] { cross_entropy_error(uniform(2, 3), zeros({3})); },
       S,
       {"cross_entropy_error", "t (3,)", "3 samples", "x (2, 3)", "has 2"}},
      {"cross_entropy_error: one-hot with 4 classes, y has 3",
       [] { cross_entropy_error(uniform(2, 3), zeros({2, 4})); }, S,
       {"cross_entropy_error", "(2, 4)", "4 columns", "3 classes"}},
      {"cross_entropy_error: index 3 of 3 classes", [] { cross_entropy_error(uniform(2, 3), values({2}, {0, 3})); }, V,
       {"cross_entropy_error", "t[1] = 3", "[0, 3)"}},
      {"cross_entropy_error: negative index",
       [] { cross_entropy_error(uniform(2, 3), values({2}, {-1, 0})); }, V, {"cross_entropy_error", "t[0] = -1"}},
      {"cross_entropy_error: fractional index", [] { cross_entropy_error(uniform(2, 3), values({2}, {0, 1.5})); }, V,
       {"cross_entropy_error", "t[1] = 1.5", "whole numbers"}},
      {"cross_entropy_error: NaN index",
       [] { cross_entropy_error(uniform(2, 3), values({2}, {kNaN, 0})); }, V, {"cross_entropy_error", "t[0] = nan"}},
      {"cross_entropy_error: 3-d labels",
       [] { cross_entropy_error(uniform(2, 3), zeros({2, 3, 1})); }, S, {"cross_entropy_error", "(2, 3, 1)"}},
      {"cross_entropy_error: one sample, two indices",
       [] { cross_entropy_error(Tensor::full({3}, 0.3), zeros({2})); },
       S,
       {"cross_entropy_error", "x (3,) is one sample", "(2,)"}},
      {"cross_entropy_error: scores instead of probabilities",
       [] { cross_entropy_error(values({1, 3}, {-2.0, 1.0, 0.5}), values({1}, {0})); }, V,
       {"cross_entropy_error", "y[0, 0] = -2", "probabilit", "softmax"}},
      {"cross_entropy_error: a probability above 1",
       [] { cross_entropy_error(values({2, 2}, {0.5, 0.5, 1.5, 0.0}), values({2}, {0, 0})); }, V,
       {"cross_entropy_error", "y[1, 0] = 1.5"}},
      // ---- SoftmaxWithLoss ----
      {"SoftmaxWithLoss: empty batch",
       [] { SoftmaxWithLoss().forward(zeros({0, 10}), zeros({0})); }, V, {"softmax_with_loss", "empty", "(0, 10)"}},
      {"SoftmaxWithLoss: no classes",
       [] { SoftmaxWithLoss().forward(zeros({4, 0}), zeros({4})); }, S, {"softmax_with_loss", "(4, 0)"}},
      {"SoftmaxWithLoss: 0-d x",
       [] { SoftmaxWithLoss().forward(Tensor::scalar(1), zeros({1})); },
       S,
       {"softmax_with_loss", "()"}},
      {"SoftmaxWithLoss: 4-d image scores", [] { SoftmaxWithLoss().forward(zeros({2, 1, 2, 2}), zeros({2})); }, S,
       {"softmax_with_loss", "(2, 1, 2, 2)", "reshape"}},
      {"SoftmaxWithLoss: labels for another batch size",
       [] { SoftmaxWithLoss().forward(zeros({4, 3}), zeros({5})); }, S,
       {"softmax_with_loss", "(5,)", "5 samples", "(4, 3)"}},
      {"SoftmaxWithLoss: one-hot of the wrong width",
       [] { SoftmaxWithLoss().forward(zeros({4, 3}), zeros({4, 10})); }, S,
       {"softmax_with_loss", "(4, 10)", "10 columns", "3 classes"}},
      {"SoftmaxWithLoss: one-hot transposed",
       [] { SoftmaxWithLoss().forward(zeros({4, 3}), zeros({3, 4})); }, S, {"softmax_with_loss", "(3, 4)", "(4, 3)"}},
      {"SoftmaxWithLoss: index 10 of 10 classes",
       [] { SoftmaxWithLoss().forward(zeros({2, 10}), values({2}, {9, 10})); }, V,
       {"softmax_with_loss", "t[1] = 10", "[0, 10)"}},
      {"SoftmaxWithLoss: fractional index",
       [] { SoftmaxWithLoss().forward(zeros({2, 3}), values({2}, {0.5, 1})); }, V, {"softmax_with_loss", "t[0] = 0.5"}},
      {"SoftmaxWithLoss: one-hot row summing to 2",
       [] { SoftmaxWithLoss().forward(zeros({2, 2}), values({2, 2}, {1, 0, 1, 1})); }, V,
       {"softmax_with_loss", "row 1", "sums to 2"}},
      {"SoftmaxWithLoss: all-zero one-hot row",
       [] { SoftmaxWithLoss().forward(zeros({2, 2}), values({2, 2}, {0, 0, 0, 1})); }, V,
       {"softmax_with_loss", "row 0", "sums to 0"}},
      {"SoftmaxWithLoss: NaN in one-hot labels",
       [] { SoftmaxWithLoss().forward(zeros({1, 2}), values({1, 2}, {kNaN, 1})); }, V,
       {"softmax_with_loss", "row 0", "nan"}},
      {"SoftmaxWithLoss: one sample with a 2-d label",
       [] { SoftmaxWithLoss().forward(zeros({3}), zeros({1, 1})); }, S, {"softmax_with_loss", "x (3,)", "(1, 1)"}},
      {"SoftmaxWithLoss: backward before forward",
       [] { SoftmaxWithLoss().backward(); },
       V,
       {"softmax_with_loss", "before forward"}},
      {"SoftmaxWithLoss: backward after a failed forward",
       [] {
         SoftmaxWithLoss loss;
         loss.forward(zeros({2, 3}), values({2}, {0, 1}));
         try {
           loss.forward(zeros({2, 3}), values({2}, {0, 7}));
         } catch (const ValueError&) {
         }
         loss.backward();
       },
       V,
       {"softmax_with_loss", "before forward"}},
  };
  // clang-format on
}

}  // namespace scratch::test

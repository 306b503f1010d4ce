// bad_inputs_models.cpp — bad inputs to the models (models/sequential.hpp, two_layer_net.hpp) and
// to accuracy_of. Row format: bad_input.hpp.
#include "robustness/bad_input.hpp"

namespace scratch::test {
namespace {

Tensor zeros(const Shape& shape) { return Tensor::zeros(shape); }
Tensor values(const Shape& shape, std::vector<Scalar> v) { return Tensor::from_vector(shape, std::move(v)); }

// A 4 → 3 → 2 TwoLayerNet from its own seeded engine.
TwoLayerNet small_net() {
  Rng rng(3);
  return TwoLayerNet(4, 3, 2, Scalar(0.1), rng);
}

// Scores of 2 samples over 3 classes; sample 0 predicts class 2, sample 1 class 0.
Tensor scores() { return values({2, 3}, {0.1, 0.2, 0.7, 0.5, 0.3, 0.2}); }

}  // namespace

BadInputs model_bad_inputs() {
  // One row per bad input, kept as a table:
  // clang-format off
  constexpr auto S = Expect::kShapeError;
  constexpr auto V = Expect::kValueError;
  return {
      // ---- Sequential ----
      {"Sequential: predict without layers",
       [] { Sequential().predict(zeros({2, 3})); }, V, {"Sequential::predict", "no layers"}},
      {"Sequential: loss without a loss layer",
       [] {
         Sequential net;
         net.add(std::make_unique<Relu>());
         net.loss(zeros({2, 3}), zeros({2}));
       },
       V,
       {"Sequential", "no loss layer", "set_loss"}},
      {"Sequential: backward without a loss layer",
       [] { Sequential().backward(); },
       V,
       {"Sequential", "no loss layer"}},
      {"Sequential: backward before forward",
       [] { small_net().backward(); },
       V,
       {"softmax_with_loss", "before forward"}},
      {"Sequential: x with the wrong feature count",
       [] { small_net().predict(zeros({5, 3})); }, S, {"affine", "(5, 3)", "4 input features"}},
      {"Sequential: labels for another batch size",
       [] { small_net().loss(zeros({5, 4}), zeros({4})); }, S, {"softmax_with_loss", "(4,)", "(5, 2)"}},
      {"gradient: label out of range",
       [] {
         TwoLayerNet net = small_net();
         gradient(net, zeros({2, 4}), values({2}, {0, 2}));
       },
       V,
       {"softmax_with_loss", "t[1] = 2", "[0, 2)"}},
      {"Sequential: accuracy of a batch of 0",
       [] { small_net().accuracy(zeros({0, 4}), zeros({0})); }, S, {"accuracy", "empty"}},
      {"Sequential: accuracy over a data set in batches of 0",
       [] {
         const TensorDataset data(zeros({3, 4}), zeros({3}));
         small_net().accuracy(data, 0);
       },
       V,
       {"accuracy", "batch_size", "positive"}},
      {"Sequential: accuracy over an empty data set",
       [] {
         const TensorDataset data(zeros({0, 4}), zeros({0}));
         small_net().accuracy(data);
       },
       V,
       {"accuracy", "empty"}},
      {"numerical_gradient of a model with step 0",
       [] {
         TwoLayerNet net = small_net();
         numerical_gradient(net, zeros({1, 4}), zeros({1}), 0);
       },
       V,
       {"numerical_gradient", "step h", "0"}},
      // ---- TwoLayerNet ----
      {"TwoLayerNet: W1 and W2 do not chain",
       [] { TwoLayerNet(zeros({4, 3}), zeros({4, 2})); }, S, {"TwoLayerNet", "W1 (4, 3)", "W2 (4, 2)", "(D, H)"}},
      {"TwoLayerNet: W1 is 1-d", [] { TwoLayerNet(zeros({4}), zeros({4, 2})); }, S, {"TwoLayerNet", "W1 (4,)"}},
      {"TwoLayerNet: input size 0", [] { TwoLayerNet(0, 3, 2); }, V, {"TwoLayerNet", "input_size", "0"}},
      {"TwoLayerNet: hidden size 0", [] { TwoLayerNet(4, 0, 2); }, V, {"TwoLayerNet", "hidden_size", "0"}},
      {"TwoLayerNet: output size 0", [] { TwoLayerNet(4, 3, 0); }, V, {"TwoLayerNet", "output_size", "0"}},
      {"TwoLayerNet: W2 without classes",
       [] { TwoLayerNet(zeros({4, 3}), zeros({3, 0})); }, S, {"TwoLayerNet", "(3, 0)"}},
      {"TwoLayerNet: NaN weight scale",
       [] { TwoLayerNet(4, 3, 2, std::numeric_limits<Scalar>::quiet_NaN()); },
       V,
       {"TwoLayerNet", "weight_init_std", "nan"}},
      {"make_simple_net: no classes",
       [] {
         Rng rng(1);
         make_simple_net(rng, 5, 4, 0);
       },
       S,
       {"TwoLayerNet", "W2 (4, 0)"}},
      // ---- accuracy_of(scores, t) ----
      {"accuracy_of: 1-d scores", [] { accuracy_of(zeros({3}), zeros({1})); }, S, {"accuracy", "(3,)", "(N, C)"}},
      {"accuracy_of: scores without classes",
       [] { accuracy_of(zeros({2, 0}), zeros({2})); }, S, {"accuracy", "(2, 0)", "no classes"}},
      {"accuracy_of: indices for another batch size",
       [] { accuracy_of(scores(), zeros({3})); },
       S,
       {"accuracy", "(2, 3)", "(3,)"}},
      {"accuracy_of: one-hot of the wrong width",
       [] { accuracy_of(scores(), zeros({2, 4})); }, S, {"accuracy", "(2, 4)", "(2, 3) one-hot"}},
      {"accuracy_of: 3-d labels", [] { accuracy_of(scores(), zeros({2, 3, 1})); }, S, {"accuracy", "(2, 3, 1)"}},
      {"accuracy_of: 0-d labels", [] { accuracy_of(scores(), Tensor::scalar(0)); }, S, {"accuracy", "()"}},
      {"accuracy_of: index 3 of 3 classes",
       [] { accuracy_of(scores(), values({2}, {2, 3})); }, V, {"accuracy", "t[1] = 3", "[0, 3)"}},
      {"accuracy_of: fractional index",
       [] { accuracy_of(scores(), values({2}, {2, 0.5})); }, V, {"accuracy", "t[1] = 0.5"}},
      {"accuracy_of: negative index",
       [] { accuracy_of(scores(), values({2}, {-1, 0})); }, V, {"accuracy", "t[0] = -1"}},
      {"accuracy_of: empty batch", [] { accuracy_of(zeros({0, 3}), zeros({0})); }, S, {"accuracy", "empty"}},
  };
  // clang-format on
}

}  // namespace scratch::test

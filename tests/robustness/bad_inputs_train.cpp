// bad_inputs_train.cpp — bad inputs to training (train/clip.hpp, dedup.hpp, gradient_check.hpp,
// history.hpp, trainer.hpp): batch sizes of 0 or beyond the data, non-positive norms, gradients
// that do not fit their parameters, and a loss or gradient that turns NaN. Row format: bad_input.hpp.
#include <limits>

#include "robustness/bad_input.hpp"
#include "train/toy_models.hpp"

namespace scratch::test {
namespace {

constexpr Scalar kInf = std::numeric_limits<Scalar>::infinity();
constexpr Scalar kNaN = std::numeric_limits<Scalar>::quiet_NaN();

Tensor zeros(const Shape& shape) { return Tensor::zeros(shape); }

// A parameter W (2, 2) whose gradient holds `g` at index 1.
ParamPtr param_with_grad(Scalar g) {
  ParamPtr W = make_param("W", Tensor::ones({2, 2}));
  W->grad = Tensor::zeros({2, 2});
  W->grad[1] = g;
  return W;
}

// Trains a 3 → 2 linear regression on 10 samples with the given arguments (x (N, 3), t (N, 2)).
void fit(const Tensor& x, const Tensor& t, int max_epoch, std::size_t batch_size, Scalar max_grad = 0,
         int eval_interval = 20) {
  LinearRegression model(3, 2, 1);
  SGD opt(0.1);
  Rng rng(1);
  Trainer trainer(model, opt, rng);
  trainer.set_log(nullptr);
  trainer.fit(x, t, max_epoch, batch_size, max_grad, eval_interval);
}

void fit10(int max_epoch, std::size_t batch_size, Scalar max_grad = 0, int eval_interval = 20) {
  fit(zeros({10, 3}), zeros({10, 2}), max_epoch, batch_size, max_grad, eval_interval);
}

// 10 samples whose 4th feature is NaN: the first mini-batch holding it has a NaN loss.
Tensor x_with_nan() {
  Tensor x = Tensor::ones({10, 3});
  x(3, 1) = kNaN;
  return x;
}

}  // namespace

BadInputs train_bad_inputs() {
  // One row per bad input, kept as a table:
  // clang-format off
  constexpr auto S = Expect::kShapeError;
  constexpr auto V = Expect::kValueError;
  constexpr auto N = Expect::kNumericalError;
  return {
      // ---- clip_grads, grad_norm ----
      {"clip_grads: max_norm 0", [] { clip_grads({param_with_grad(1)}, 0); }, V, {"clip_grads", "max_norm", "got 0"}},
      {"clip_grads: max_norm -1", [] { clip_grads({param_with_grad(1)}, -1); }, V, {"clip_grads", "got -1"}},
      {"clip_grads: max_norm NaN", [] { clip_grads({param_with_grad(1)}, kNaN); }, V, {"clip_grads", "got nan"}},
      {"clip_grads: max_norm inf", [] { clip_grads({param_with_grad(1)}, kInf); }, V, {"clip_grads", "got inf"}},
      {"clip_grads: a NaN gradient",
       [] { clip_grads({param_with_grad(kNaN)}, 1); },
       N,
       {"grad_norm", "'W'", "(2, 2)", "nan", "flat index 1"}},
      {"grad_norm: an infinite gradient", [] { grad_norm({param_with_grad(-kInf)}); }, N, {"grad_norm", "'W'", "-inf"}},
      {"grad_norm: the sum of squares overflows",
       [] {
         ParamPtr W = make_param("W", Tensor::zeros({16}));
         W->grad = Tensor::full({16}, std::numeric_limits<Scalar>::max() / 2);
         grad_norm({W});
       },
       N,
       {"grad_norm", "overflowed", "'W'"}},
      {"grad_norm: a null parameter", [] { grad_norm({nullptr}); }, V, {"grad_norm", "null ParamPtr"}},
      // ---- remove_duplicates ----
      {"remove_duplicates: a use without a parameter",
       [] {
         Tensor g;
         remove_duplicates({ParamUse{nullptr, &g}});
       },
       V,
       {"remove_duplicates", "no parameter"}},
      {"remove_duplicates: a use without a gradient",
       [] { remove_duplicates({ParamUse{make_param("W", zeros({2})), nullptr}}); }, V,
       {"remove_duplicates", "W", "no gradient"}},
      {"remove_duplicates: gradient of the wrong shape",
       [] {
         const Tensor g = zeros({3, 2});
         remove_duplicates({ParamUse{make_param("W", zeros({2, 3})), &g}});
       },
       S,
       {"remove_duplicates", "W", "(3, 2)", "(2, 3)"}},
      {"remove_duplicates: transposed use with an untransposed gradient",
       [] {
         const Tensor g = zeros({2, 3});
         remove_duplicates({ParamUse{make_param("W", zeros({2, 3})), &g, Use::kTransposed}});
       },
       S,
       {"remove_duplicates", "W", "(2, 3)", "transposed"}},
      {"remove_duplicates: transposed use of a vector",
       [] {
         const Tensor g = zeros({3});
         remove_duplicates({ParamUse{make_param("b", zeros({3})), &g, Use::kTransposed}});
       },
       S,
       {"remove_duplicates", "b", "(3,)", "transposed"}},
      // ---- numerical gradient and its comparison ----
      {"numerical_gradient: step 0",
       [] {
         Tensor x = zeros({2});
         numerical_gradient([](const Tensor& v) { return v.sum(); }, x, 0);
       },
       V,
       {"numerical_gradient", "step h", "0"}},
      {"numerical_gradient: negative step",
       [] {
         Tensor x = zeros({2});
         numerical_gradient([](const Tensor& v) { return v.sum(); }, x, -1e-4);
       },
       V,
       {"numerical_gradient", "-0.0001"}},
      {"numerical_gradient: infinite step",
       [] {
         Tensor x = zeros({2});
         numerical_gradient([](const Tensor& v) { return v.sum(); }, x, kInf);
       },
       V,
       {"numerical_gradient", "inf"}},
      {"compare_gradient: shapes differ", [] { compare_gradient("W1", zeros({2, 3}), zeros({3, 2}), 1e-6); }, S,
       {"compare_gradient(W1)", "(2, 3)", "(3, 2)"}},
      {"compare_gradient: negative tolerance",
       [] { compare_gradient("W1", zeros({2}), zeros({2}), -1); },
       V,
       {"compare_gradient(W1)", "tolerance", "-1"}},
      // ---- History ----
      {"History: back() of an empty history", [] { History().back(); }, V, {"History::back", "empty"}},
      {"History: save into a path below a file",
       [] { History().save_csv("/dev/null/history.csv"); },
       Expect::kIoError,
       {"/dev/null"}},
      // ---- Trainer ----
      {"Trainer: batch size 0", [] { fit10(1, 0); }, V, {"Trainer.fit", "batch_size is 0", "10 samples"}},
      {"Trainer: batch size larger than the data", [] { fit10(1, 11); }, V, {"Trainer.fit", "batch_size is 11", "10"}},
      {"Trainer: 0 epochs", [] { fit10(0, 5); }, V, {"Trainer.fit", "max_epoch", "got 0"}},
      {"Trainer: negative epochs", [] { fit10(-3, 5); }, V, {"Trainer.fit", "max_epoch", "got -3"}},
      {"Trainer: negative max_grad", [] { fit10(1, 5, -1); }, V, {"Trainer.fit", "max_grad", "got -1"}},
      {"Trainer: NaN max_grad", [] { fit10(1, 5, kNaN); }, V, {"Trainer.fit", "max_grad", "nan"}},
      {"Trainer: negative eval_interval", [] { fit10(1, 5, 0, -1); }, V, {"Trainer.fit", "eval_interval", "-1"}},
      {"Trainer: x and t disagree on N",
       [] { fit(zeros({10, 3}), zeros({9, 2}), 1, 5); }, S, {"Trainer.fit", "(10, 3)", "(9, 2)"}},
      {"Trainer: 0-d labels", [] { fit(zeros({10, 3}), Tensor::scalar(0), 1, 5); }, S, {"Trainer.fit", "()"}},
      {"Trainer: an empty data set", [] { fit(zeros({0, 3}), zeros({0, 2}), 1, 1); }, V, {"Trainer.fit", "empty"}},
      {"Trainer: an empty Dataset",
       [] {
         LinearRegression model(3, 2, 1);
         SGD opt;
         Trainer trainer(model, opt);
         trainer.fit(TensorDataset(zeros({0, 3}), zeros({0, 2})), 1, 1);
       },
       V,
       {"Trainer.fit", "empty"}},
      {"Trainer: a NaN loss",
       [] { fit(x_with_nan(), zeros({10, 2}), 1, 10); }, N, {"Trainer", "epoch 1", "iter 1 / 1", "nan", "not applied"}},
  };
  // clang-format on
}

}  // namespace scratch::test

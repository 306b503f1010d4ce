// bad_inputs_optim.cpp — bad inputs to the optimizers (optim/optimizer.hpp, optimizers.hpp):
// non-positive or non-finite learning rates, decay rates outside [0, 1), and parameter lists that
// break the update contract. Row format: bad_input.hpp.
#include <limits>
#include <memory>

#include "robustness/bad_input.hpp"

namespace scratch::test {
namespace {

constexpr Scalar kInf = std::numeric_limits<Scalar>::infinity();
constexpr Scalar kNaN = std::numeric_limits<Scalar>::quiet_NaN();

ParamPtr param(const char* name, const Shape& shape) { return make_param(name, Tensor::ones(shape)); }

// One row per optimizer for a learning rate that must be rejected.
void add_lr_rows(BadInputs& rows, Scalar lr, const std::string& shown) {
  const auto row = [&](const char* name, std::function<void()> make) {
    rows.push_back({concat(name, ": learning rate ", shown),
                    std::move(make),
                    Expect::kValueError,
                    {name, "learning rate", shown}});
  };
  row("SGD", [lr] { SGD{lr}; });
  row("Momentum", [lr] { Momentum{lr}; });
  row("Nesterov", [lr] { Nesterov{lr}; });
  row("AdaGrad", [lr] { AdaGrad{lr}; });
  row("RMSprop", [lr] { RMSprop{lr}; });
  row("Adam", [lr] { Adam{lr}; });
}

// Two updates with an optimizer of each kind: the first fixes the parameter set, the second breaks it.
void update_twice(Optimizer& opt, const std::vector<ParamPtr>& first, const std::vector<ParamPtr>& second) {
  opt.update(first);
  opt.update(second);
}

}  // namespace

BadInputs optim_bad_inputs() {
  // One row per bad input, kept as a table:
  // clang-format off
  constexpr auto S = Expect::kShapeError;
  constexpr auto V = Expect::kValueError;
  BadInputs rows;
  add_lr_rows(rows, 0, "0");
  add_lr_rows(rows, -0.1, "-0.1");
  add_lr_rows(rows, kNaN, "nan");
  add_lr_rows(rows, kInf, "inf");
  const BadInputs more = {
      {"Momentum: momentum 1", [] { Momentum(0.1, 1); }, V, {"Momentum", "momentum", "[0, 1)", "got 1"}},
      {"Momentum: momentum -0.5", [] { Momentum(0.1, -0.5); }, V, {"Momentum", "momentum", "-0.5"}},
      {"Nesterov: momentum NaN", [] { Nesterov(0.1, kNaN); }, V, {"Nesterov", "momentum", "nan"}},
      {"RMSprop: decay rate 1", [] { RMSprop(0.1, 1); }, V, {"RMSprop", "decay_rate", "got 1"}},
      {"RMSprop: decay rate 2", [] { RMSprop(0.1, 2); }, V, {"RMSprop", "decay_rate", "got 2"}},
      {"Adam: beta1 1", [] { Adam(0.1, 1, 0.999); }, V, {"Adam", "beta1", "got 1"}},
      {"Adam: beta2 -0.1", [] { Adam(0.1, 0.9, -0.1); }, V, {"Adam", "beta2", "-0.1"}},
      {"set_lr: 0", [] { SGD(0.1).set_lr(0); }, V, {"SGD", "learning rate", "got 0"}},
      {"set_lr: -inf", [] { Adam().set_lr(-kInf); }, V, {"Adam", "learning rate", "-inf"}},
      {"update: no parameters", [] { SGD().update({}); }, V, {"SGD.update", "no parameters", "remove_duplicates"}},
      {"update: a null parameter",
       [] { Momentum().update({param("W", {2}), nullptr}); }, V, {"Momentum.update", "null ParamPtr"}},
      {"update: gradient of the wrong shape",
       [] {
         ParamPtr W = param("W", {2, 3});
         W->grad = Tensor::zeros({3, 2});
         Adam().update({W});
       },
       S,
       {"Adam.update", "'W'", "(3, 2)", "(2, 3)"}},
      {"update: a parameter listed twice",
       [] {
         ParamPtr W = param("W", {2});
         AdaGrad().update({W, W});
       },
       V,
       {"AdaGrad.update", "'W'", "listed twice"}},
      {"update: a parameter the optimizer has never seen",
       [] {
         RMSprop opt;
         update_twice(opt, {param("W1", {2})}, {param("W2", {2})});
       },
       V,
       {"RMSprop.update", "'W2'", "not one of the 1 parameters", "W1"}},
      {"update: a parameter missing from the second step",
       [] {
         Nesterov opt;
         ParamPtr W = param("W", {2}), b = param("b", {1});
         update_twice(opt, {W, b}, {W});
       },
       V,
       {"Nesterov.update", "1 of the 2", "missing 'b'"}},
      {"update: a parameter reshaped between steps",
       [] {
         Momentum opt;
         ParamPtr W = param("W", {2, 3});
         opt.update({W});
         W->value = Tensor::ones({3, 2});
         W->grad = Tensor::zeros({3, 2});
         opt.update({W});
       },
       S,
       {"Momentum.update", "'W'", "(3, 2)", "(2, 3)", "reset()"}},
  };
  rows.insert(rows.end(), more.begin(), more.end());
  return rows;
  // clang-format on
}

}  // namespace scratch::test

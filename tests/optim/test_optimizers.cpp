// test_optimizers.cpp — every optimizer's steps against hand-computed values, convergence on a
// quadratic, state that follows parameter identity, and the errors for misuse.
#include <cmath>
#include <functional>
#include <limits>

#include "test_util.hpp"

using namespace scratch;
using scratch::test::expect_allclose;
using scratch::test::kCloseAtol;
using scratch::test::kCloseRtol;

namespace {

Tensor vec(Scalar a, Scalar b) { return Tensor::from_vector({2}, {a, b}); }

// The three gradients every hand-computed test feeds in turn to W = (1, −2), with lr = 0.1.
const Scalar kGrads[3][2] = {{0.5, -0.25}, {-1.0, 0.5}, {0.2, 0.0}};

// Runs three steps of `opt` from W = (1, −2) and checks W after each against `expected`.
void expect_three_steps(Optimizer& opt, const Scalar (&expected)[3][2]) {
  ParamPtr W = make_param("W", vec(1, -2));
  for (int s = 0; s < 3; ++s) {
    W->grad = vec(kGrads[s][0], kGrads[s][1]);
    opt.update({W});
    expect_allclose(W->value, vec(expected[s][0], expected[s][1]), kCloseRtol, kCloseAtol,
                    concat(opt.name(), " step ", s + 1));
  }
  BOOST_TEST(opt.steps() == 3u);
}

// f(x, y) = x²/20 + y² (the book's elongated bowl), ∇f = (x/10, 2y); x and y are two parameters.
Scalar minimise_bowl(Optimizer& opt, int steps) {
  ParamPtr x = make_param("x", Tensor::from_vector({1}, {-7})), y = make_param("y", Tensor::from_vector({1}, {2}));
  for (int s = 0; s < steps; ++s) {
    x->grad[0] = x->value[0] / 10;
    y->grad[0] = 2 * y->value[0];
    opt.update({x, y});
  }
  return x->value[0] * x->value[0] / 20 + y->value[0] * y->value[0];
}

using Factory = std::function<std::unique_ptr<Optimizer>()>;

std::vector<std::pair<std::string, Factory>> stateful_optimizers() {
  return {{"Momentum", [] { return std::make_unique<Momentum>(0.1); }},
          {"Nesterov", [] { return std::make_unique<Nesterov>(0.1); }},
          {"AdaGrad", [] { return std::make_unique<AdaGrad>(0.1); }},
          {"RMSprop", [] { return std::make_unique<RMSprop>(0.1); }},
          {"Adam", [] { return std::make_unique<Adam>(0.1); }}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(optim_optimizers)

BOOST_AUTO_TEST_CASE(sgd_steps_by_hand) {
  // W ← W − 0.1·g
  // 1: (1, −2) − 0.1·(0.5, −0.25)      = (0.95, −1.975)
  // 2: (0.95, −1.975) − 0.1·(−1, 0.5)  = (1.05, −2.025)
  // 3: (1.05, −2.025) − 0.1·(0.2, 0)   = (1.03, −2.025)
  SGD opt(0.1);
  expect_three_steps(opt, {{0.95, -1.975}, {1.05, -2.025}, {1.03, -2.025}});
}

BOOST_AUTO_TEST_CASE(momentum_steps_by_hand) {
  // v ← 0.9·v − 0.1·g, W ← W + v
  // 1: v = −0.1·(0.5, −0.25) = (−0.05, 0.025);                           W = (0.95, −1.975)
  // 2: v = 0.9·(−0.05, 0.025) − 0.1·(−1, 0.5) = (0.055, −0.0275);         W = (1.005, −2.0025)
  // 3: v = 0.9·(0.055, −0.0275) − 0.1·(0.2, 0) = (0.0295, −0.02475);      W = (1.0345, −2.02725)
  Momentum opt(0.1, 0.9);
  expect_three_steps(opt, {{0.95, -1.975}, {1.005, -2.0025}, {1.0345, -2.02725}});
}

BOOST_AUTO_TEST_CASE(nesterov_steps_by_hand_use_the_previous_velocity) {
  // W ← W + 0.81·v − 1.9·0.1·g with the velocity *before* this step, then v ← 0.9·v − 0.1·g
  // 1: W = (1, −2) − 0.19·(0.5, −0.25) = (0.905, −1.9525);                v = (−0.05, 0.025)
  // 2: W += 0.81·(−0.05, 0.025) − 0.19·(−1, 0.5) = (0.1495, −0.07475)
  //    → (1.0545, −2.02725);                                             v = (0.055, −0.0275)
  // 3: W += 0.81·(0.055, −0.0275) − 0.19·(0.2, 0) = (0.00655, −0.022275)
  //    → (1.06105, −2.049525)
  // The book's variant (0.81 times the *updated* v) would already give (0.8645, −1.93225) at step 1.
  Nesterov opt(0.1, 0.9);
  expect_three_steps(opt, {{0.905, -1.9525}, {1.0545, -2.02725}, {1.06105, -2.049525}});
}

BOOST_AUTO_TEST_CASE(adagrad_steps_by_hand) {
  // h ← h + g², W ← W − 0.1·g / (√h + 1e-7)
  // 1: h = (0.25, 0.0625), √h = (0.5, 0.25): W = (1 − 0.1·0.5/0.5000001, −2 + 0.1·0.25/0.2500001)
  //    = (0.90000002, −1.90000004)          (the ε makes the step 1 − 2e-7 resp. 1 − 4e-7 of 0.1)
  // 2: h = (1.25, 0.3125), √h = (1.1180340, 0.5590170): the step is 0.1·(−1/1.1180340, 0.5/0.5590170)
  //    = (−0.0894427, 0.0894427) → W = (0.98944273, −1.98944274)
  // 3: h = (1.29, 0.3125): W₀ −= 0.1·0.2/1.1357817 = 0.0176090 → 0.97183371; g₁ = 0 leaves W₁
  AdaGrad opt(0.1);
  expect_three_steps(opt, {{0.900000019999996, -1.900000039999984},
                           {0.9894427310999883, -1.989442743099978},
                           {0.9718337145238632, -1.989442743099978}});
}

BOOST_AUTO_TEST_CASE(rmsprop_steps_by_hand) {
  // h ← 0.99·h + 0.01·g², W ← W − 0.1·g / (√h + 1e-7)
  // 1: h = 0.01·(0.25, 0.0625) = (0.0025, 0.000625), √h = (0.05, 0.025): the step is
  //    0.1·(0.5/0.05, −0.25/0.025) = (1, −1) (less a 2e-6 resp. 4e-6 share for ε) → W ≈ (2e-6, −1.000004)
  // 2: h = 0.99·h + 0.01·(1, 0.25) = (0.012475, 0.00311875), √h = (0.1116915, 0.0558458)
  //    step = 0.1·(−1/0.1116915, 0.5/0.0558458) = (−0.895322, 0.895321) → W = (0.8953242, −1.8953254)
  // 3: h₀ = 0.99·0.012475 + 0.01·0.04 = 0.01275025, √h₀ = 0.1129170: W₀ −= 0.1·0.2/0.1129170 = 0.1771211
  //    → 0.7182031; g₁ = 0 leaves W₁
  RMSprop opt(0.1, 0.99);
  expect_three_steps(opt, {{1.999996000034976e-06, -1.000003999984},
                           {0.8953241604652018, -1.895325358852149},
                           {0.7182030766909524, -1.895325358852149}});
}

BOOST_AUTO_TEST_CASE(adam_steps_by_hand) {
  // m ← m + 0.1·(g − m), v ← v + 0.001·(g² − v), W ← W − lr_t·m / (√v + 1e-7),
  // lr_t = 0.1·√(1 − 0.999ᵗ)/(1 − 0.9ᵗ) = 0.0316228, 0.0235317, 0.0202011 for t = 1, 2, 3.
  // 1: m = (0.05, −0.025), v = (0.00025, 0.0000625), √v = (0.0158114, 0.0079057): m/√v = (3.16228, −3.16228)
  //    step = 0.0316228·3.16228 = 0.1 (Adam's first step is lr·sign(g)) → W ≈ (0.9000006, −1.9000013)
  // 2: m = (−0.055, 0.0275), v = (0.00124975, 0.0003124375), √v = (0.0353518, 0.0176759)
  //    step = 0.0235317·(−1.555788, 1.555789) = (−0.0366102, 0.0366102) → W = (0.9366109, −1.9366114)
  // 3: m = (−0.0295, 0.02475), v = (0.00128850025, 0.0003121250625), √v = (0.0358957, 0.0176670)
  //    step = 0.0202011·(−0.821826, 1.400916) = (−0.0166017, 0.0282997) → W = (0.9532126, −1.9649112)
  Adam opt(0.1, 0.9, 0.999);
  expect_three_steps(opt, {{0.9000006324515321, -1.900001264895064},
                           {0.9366108815953381, -1.936611410479678},
                           {0.9532125870952159, -1.96491115904409}});
}

BOOST_AUTO_TEST_CASE(every_optimizer_minimises_the_bowl) {
  // f(−7, 2) = 49/20 + 4 = 6.45; after 300 steps each is below 1e-6 (the NumPy formulas in double
  // reach between 1e-13 and 1e-26). Learning rates as in the book's optimizer comparison.
  SGD sgd(0.95);
  Momentum momentum(0.1);
  Nesterov nesterov(0.1);
  AdaGrad adagrad(1.5);
  RMSprop rmsprop(0.1);
  Adam adam(0.3);
  for (Optimizer* opt : std::vector<Optimizer*>{&sgd, &momentum, &nesterov, &adagrad, &rmsprop, &adam}) {
    const Scalar f = minimise_bowl(*opt, 300);
    BOOST_TEST_MESSAGE(opt->name() << ": f after 300 steps = " << f);
    BOOST_CHECK_MESSAGE(f < 1e-6, opt->name() << " left f = " << f);
  }
}

BOOST_AUTO_TEST_CASE(state_follows_identity_when_the_list_is_reordered) {
  // Two parameters of the same shape, so a state kept by list position would silently be applied
  // to the wrong one. The run that swaps the order every other step must match the one that doesn't.
  for (const auto& [name, make] : stateful_optimizers()) {
    std::unique_ptr<Optimizer> in_order = make(), swapped = make();
    ParamPtr a1 = make_param("A", vec(1, 2)), b1 = make_param("B", vec(-3, 4));
    ParamPtr a2 = make_param("A", vec(1, 2)), b2 = make_param("B", vec(-3, 4));
    for (int s = 0; s < 4; ++s) {
      const Tensor ga = vec(0.5 + s, -1), gb = vec(-2, 0.25 * s);
      a1->grad = ga;
      b1->grad = gb;
      a2->grad = ga;
      b2->grad = gb;
      in_order->update({a1, b1});
      if (s % 2 == 0) swapped->update({a2, b2});
      else swapped->update({b2, a2});
    }
    BOOST_CHECK_MESSAGE(array_equal(a1->value, a2->value) && array_equal(b1->value, b2->value),
                        name << ": reordering the parameters changed the result: A " << a1->value << " vs "
                             << a2->value << ", B " << b1->value << " vs " << b2->value);
  }
}

BOOST_AUTO_TEST_CASE(a_different_parameter_set_is_an_error_that_names_it) {
  Momentum opt(0.1);
  ParamPtr a = make_param("A", vec(1, 2)), b = make_param("B", vec(3, 4)), c = make_param("C", vec(5, 6));
  for (const ParamPtr& p : {a, b, c}) p->grad = vec(1, 1);
  opt.update({a, b});
  const Tensor a_before = a->value;

  auto message_of = [&](const std::vector<ParamPtr>& params) {
    try {
      opt.update(params);
    } catch (const ValueError& e) {
      return std::string(e.what());
    }
    return std::string("no ValueError");
  };
  const std::string unknown = message_of({a, c});
  BOOST_TEST(unknown.find("'C'") != std::string::npos, unknown);
  BOOST_TEST(unknown.find("first called with (A, B)") != std::string::npos, unknown);
  const std::string missing = message_of({a});
  BOOST_TEST(missing.find("missing 'B'") != std::string::npos, missing);
  const std::string extra = message_of({a, b, c});
  BOOST_TEST(extra.find("'C'") != std::string::npos, extra);
  const std::string twice = message_of({a, b, a});
  BOOST_TEST(twice.find("'A' is listed twice") != std::string::npos, twice);
  // A rejected call changes nothing and does not count as a step.
  BOOST_TEST(array_equal(a->value, a_before));
  BOOST_TEST(opt.steps() == 1u);
  opt.update({b, a});
  BOOST_TEST(opt.steps() == 2u);
  // reset() forgets the set on purpose.
  opt.reset();
  opt.update({c});
  BOOST_TEST(opt.steps() == 1u);
}

BOOST_AUTO_TEST_CASE(identity_not_address_a_new_parameter_is_never_mistaken_for_a_freed_one) {
  Adam opt(0.1);
  ParamPtr a = make_param("W", vec(1, 2));
  a->grad = vec(1, 1);
  opt.update({a});
  a.reset();  // frees the Param; the allocator may hand its address to the next one
  ParamPtr replacement = make_param("W", vec(1, 2));
  replacement->grad = vec(1, 1);
  BOOST_CHECK_THROW(opt.update({replacement}), ValueError);
}

BOOST_AUTO_TEST_CASE(a_rejected_first_call_does_not_fix_the_set) {
  SGD opt(0.1);
  ParamPtr a = make_param("A", vec(1, 2)), b = make_param("B", vec(3, 4));
  a->grad = vec(1, 1);
  b->grad = vec(1, 1);
  BOOST_CHECK_THROW(opt.update({a, a}), ValueError);
  BOOST_CHECK_THROW(opt.update({}), ValueError);
  opt.update({a, b});
  expect_allclose(a->value, vec(0.9, 1.9));
  expect_allclose(b->value, vec(2.9, 3.9));
}

BOOST_AUTO_TEST_CASE(a_gradient_of_the_wrong_shape_is_a_shape_error) {
  Adam opt;
  ParamPtr W = make_param("W", Tensor::zeros({2, 3}));
  W->grad = Tensor::zeros({3, 2});
  try {
    opt.update({W});
    BOOST_ERROR("no ShapeError");
  } catch (const ShapeError& e) {
    const std::string msg = e.what();
    BOOST_TEST(msg.find("gradient of 'W' has shape (3, 2) but the parameter has shape (2, 3)") != std::string::npos,
               msg);
  }
  BOOST_TEST(opt.steps() == 0u);
}

BOOST_AUTO_TEST_CASE(bad_hyperparameters_are_rejected_at_construction) {
  const Scalar nan = std::numeric_limits<Scalar>::quiet_NaN();
  const Scalar inf = std::numeric_limits<Scalar>::infinity();
  BOOST_CHECK_THROW(SGD(0), ValueError);
  BOOST_CHECK_THROW(SGD(-0.1), ValueError);
  BOOST_CHECK_THROW(SGD{nan}, ValueError);
  BOOST_CHECK_THROW(SGD{inf}, ValueError);
  BOOST_CHECK_THROW(Momentum(0.1, 1), ValueError);
  BOOST_CHECK_THROW(Momentum(0.1, -0.5), ValueError);
  BOOST_CHECK_THROW(Nesterov(0.1, 1.2), ValueError);
  BOOST_CHECK_THROW(AdaGrad(0), ValueError);
  BOOST_CHECK_THROW(RMSprop(0.1, 1), ValueError);
  BOOST_CHECK_THROW(RMSprop(0.1, nan), ValueError);
  BOOST_CHECK_THROW(Adam(0.001, 1.0), ValueError);
  BOOST_CHECK_THROW(Adam(0.001, 0.9, 1.0), ValueError);
  BOOST_CHECK_NO_THROW(Momentum(0.1, 0));  // α = 0 is plain SGD
  try {
    Momentum(0.1, 1);
  } catch (const ValueError& e) {
    BOOST_TEST(std::string(e.what()) == "Momentum: momentum must be in [0, 1), got 1");
  }
  SGD opt(0.1);
  BOOST_CHECK_THROW(opt.set_lr(-1), ValueError);
  opt.set_lr(0.5);
  BOOST_TEST(opt.lr() == Scalar(0.5));
}

BOOST_AUTO_TEST_SUITE_END()

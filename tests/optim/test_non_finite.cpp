// test_non_finite.cpp — an optimizer refuses a non-finite gradient, or a step whose new value or
// state would not be finite, before it changes any parameter or any state (optimizer.hpp), and
// says which optimizer, step, parameter and element.
#include <functional>
#include <limits>
#include <memory>

#include "test_util.hpp"
#include "train/checkpoint_helpers.hpp"

using namespace scratch;
using scratch::test::bitwise_equal;
using scratch::test::seeded_randn;

namespace {

constexpr Scalar kNaN = std::numeric_limits<Scalar>::quiet_NaN();
// Sizes that overflow in the build's Scalar (float's largest is 3.4e38, double's 1.8e308).
constexpr Scalar kBigLr = kScalarIsFloat ? Scalar(1e20) : Scalar(1e100);       // diverges SGD and Momentum
constexpr Scalar kHugeLr = kScalarIsFloat ? Scalar(1e30) : Scalar(1e200);      // diverges Adam (steps ≈ lr)
constexpr Scalar kHugeGrad = kScalarIsFloat ? Scalar(1e30) : Scalar(1e300);    // kBigLr · kHugeGrad = inf
constexpr Scalar kSquareOverflows = kScalarIsFloat ? Scalar(1e20) : Scalar(1e200);  // g² = inf

using Factory = std::function<std::unique_ptr<Optimizer>(Scalar lr)>;

// The optimizers the brief names; the rule is the base's, so one of each kind of state suffices.
std::vector<std::pair<std::string, Factory>> optimizers() {
  return {{"SGD", [](Scalar lr) { return std::make_unique<SGD>(lr); }},
          {"Momentum", [](Scalar lr) { return std::make_unique<Momentum>(lr); }},
          {"Adam", [](Scalar lr) { return std::make_unique<Adam>(lr); }}};
}

// Every parameter's value and the optimizer's whole state (slots, step count, lr), at one moment.
struct Before {
  Before(const std::vector<ParamPtr>& params, const Optimizer& opt)
      : params(params), state(opt.export_state(params)), steps(opt.steps()) {
    for (const ParamPtr& p : params) values.push_back(p->value);
  }
  bool unchanged(const Optimizer& opt) const {
    for (std::size_t k = 0; k < params.size(); ++k)
      if (!bitwise_equal(params[k]->value, values[k])) return false;
    return opt.steps() == steps && bitwise_equal(opt.export_state(params), state);
  }
  std::vector<ParamPtr> params;
  OptimizerState state;
  std::size_t steps;
  std::vector<Tensor> values;
};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// update() must throw NumericalError whose message holds every one of `parts`, and change nothing.
void expect_refused(Optimizer& opt, const std::vector<ParamPtr>& params, const std::vector<std::string>& parts) {
  const Before before(params, opt);
  try {
    opt.update(params);
    BOOST_ERROR(opt.name() << ": accepted the update");
  } catch (const NumericalError& e) {
    for (const std::string& part : parts) BOOST_TEST(contains(e.what(), part), "expected '" << part << "' in: " << e.what());
  }
  BOOST_TEST(before.unchanged(opt), opt.name() << ": a refused update changed a parameter or the state");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(optim_non_finite)

// Chapter 4's loop with a learning rate of 1e100 (1e20 in float): the weights blow up within a few steps. The
// update that would make anything non-finite (or that gets a non-finite gradient) must throw and
// leave every parameter and all state exactly as they were before that call.
BOOST_AUTO_TEST_CASE(a_diverging_training_loop_stops_at_the_update_that_would_overflow) {
  for (const auto& [name, make] : optimizers()) {
    Rng rng(3);
    const TensorDataset data = make_argmax_set(rng, {16, 4, 3, LabelFormat::kIndex});
    TwoLayerNet net(4, 5, 3, Scalar(1), rng);
    // Adam's steps are about lr whatever the gradient's size, so 1e100 only takes W to 1e102 in 50
    // steps; with 1e200 the second layer's output overflows at once.
    const std::unique_ptr<Optimizer> opt = make(name == "Adam" ? kHugeLr : kBigLr);
    bool refused = false;
    for (int it = 0; it < 50 && !refused; ++it) {
      net.forward(data.x(), data.t());
      net.backward();
      const std::vector<ParamPtr> params = remove_duplicates(net.params());
      const Before before(params, *opt);
      const std::size_t step = opt->steps() + 1;
      try {
        opt->update(params);
      } catch (const NumericalError& e) {
        refused = true;
        const std::string msg = e.what();
        BOOST_TEST(contains(msg, concat(name, ".update: step ", step, ": ")), msg);
        BOOST_TEST((contains(msg, "'W1'") || contains(msg, "'b1'") || contains(msg, "'W2'") || contains(msg, "'b2'")),
                   msg);
        BOOST_TEST(contains(msg, "no parameter was changed. Try a smaller learning rate or gradient clipping"), msg);
        BOOST_TEST(before.unchanged(*opt), name << ": the refused step " << step << " changed something");
        BOOST_TEST(step > 1u, name << ": refused the very first step: " << msg);
      }
    }
    BOOST_TEST(refused, name << ": 50 steps with lr 1e100 and no NumericalError");
  }
}

// A NaN in the second parameter's gradient: the first parameter, updated first in the list, must
// not move either. The element is named as a NumPy index.
BOOST_AUTO_TEST_CASE(a_nan_gradient_is_refused_naming_optimizer_step_parameter_and_element) {
  for (const auto& [name, make] : optimizers()) {
    const std::unique_ptr<Optimizer> opt = make(Scalar(0.1));
    const std::vector<ParamPtr> params = {make_param("b1", seeded_randn({4}, 1)), make_param("W1", seeded_randn({3, 4}, 2))};
    for (int s = 0; s < 2; ++s) {
      params[0]->grad = seeded_randn({4}, 10 + s);
      params[1]->grad = seeded_randn({3, 4}, 20 + s);
      opt->update(params);
    }
    params[1]->grad[6] = kNaN;  // flat 6 in (3, 4) is (1, 2)
    expect_refused(*opt, params,
                   {concat(name, ".update: step 3: the gradient of 'W1' is NaN at (1, 2); no parameter was changed. "
                                 "Try a smaller learning rate or gradient clipping")});
    // The next good step is step 3, from the unchanged weights.
    params[1]->grad[6] = 0;
    opt->update(params);
    BOOST_TEST(opt->steps() == 3u);
  }
}

// A finite gradient whose step overflows: 1e100 · 1e300 = inf (float: 1e20 · 1e30), so W − lr·g = +inf. The result is
// checked before it is written, across all parameters of the call.
BOOST_AUTO_TEST_CASE(a_finite_gradient_whose_result_overflows_is_refused) {
  for (const auto& [name, make] : optimizers()) {
    const std::unique_ptr<Optimizer> opt = make(kBigLr);
    const ParamPtr good = make_param("W1", Tensor::ones({2, 3}));
    const ParamPtr bad = make_param("W2", Tensor::ones({2, 3}));
    good->grad = Tensor::full({2, 3}, Scalar(0.5));
    bad->grad = Tensor::full({2, 3}, Scalar(0.5));
    bad->grad[4] = -kHugeGrad;  // (1, 1)
    const std::string what = name == "Adam" ? "" : "the new value of 'W2' would be inf at (1, 1)";
    expect_refused(*opt, {good, bad}, {concat(name, ".update: step 1: "), "'W2'", "(1, 1)", what});
    BOOST_TEST(opt->steps() == 0u);
  }
}

// Adam's step lr_t·m/(√v + ε) stays finite even when g² overflows (m/∞ = 0), but its state v
// would be ∞ for ever after: the state is checked too, and named.
BOOST_AUTO_TEST_CASE(a_state_that_would_overflow_is_refused_and_named) {
  Adam opt(0.001);
  const ParamPtr W = make_param("W", Tensor::ones({5}));
  W->grad = Tensor::full({5}, Scalar(0.5));
  opt.update({W});
  W->grad[3] = kSquareOverflows;  // g² = inf
  expect_refused(opt, {W}, {"Adam.update: step 2: the new 'v' of 'W' would be inf at (3,)", "no parameter was changed"});
}

// A refused first call does not fix the parameter set, as for the other errors of update().
BOOST_AUTO_TEST_CASE(a_refused_first_call_does_not_fix_the_set) {
  Momentum opt(0.1);
  const ParamPtr a = make_param("A", Tensor::ones({2})), b = make_param("B", Tensor::ones({2}));
  a->grad = Tensor::full({2}, kNaN);
  BOOST_CHECK_THROW(opt.update({a}), NumericalError);
  BOOST_TEST(opt.steps() == 0u);
  b->grad = Tensor::ones({2});
  opt.update({b});  // another set: accepted, since nothing was fixed
  BOOST_TEST(b->value[0] == Scalar(1) - Scalar(0.1));
}

// A parameter large enough to be split between threads: the first bad element is named, whatever
// the number of threads and whichever chunk finishes first.
BOOST_AUTO_TEST_CASE(the_first_bad_element_of_a_large_parameter_is_named) {
  SGD opt(0.1);
  const ParamPtr W = make_param("W", Tensor::zeros({300, 400}));
  W->grad = Tensor::ones({300, 400});
  W->grad[100000] = -std::numeric_limits<Scalar>::infinity();  // (250, 0), in a later chunk
  W->grad[40001] = kNaN;                                        // (100, 1): the first
  expect_refused(opt, {W}, {"SGD.update: step 1: the gradient of 'W' is NaN at (100, 1)"});
  W->grad[40001] = 1;
  expect_refused(opt, {W}, {"the gradient of 'W' is -inf at (250, 0)"});
}

// check_state is import_state's judgement, available without importing: it changes nothing and
// its messages start with the caller's `where`.
BOOST_AUTO_TEST_CASE(check_state_judges_without_changing_anything) {
  Adam opt(0.1);
  const std::vector<ParamPtr> params = {make_param("W", Tensor::ones({2, 2}))};
  params[0]->grad = Tensor::ones({2, 2});
  opt.update(params);
  const Before before(params, opt);
  OptimizerState state = opt.export_state(params);
  opt.check_state(params, state, "here");  // fits
  state.type = "RMSprop";
  state.slot_names = {"h"};
  try {
    opt.check_state(params, state, "here");
    BOOST_ERROR("accepted RMSprop's state");
  } catch (const ValueError& e) {
    BOOST_TEST(contains(e.what(),
                        "here: it holds RMSprop optimizer state (slots: h) but this optimizer is Adam (slots: m, v); "
                        "load it into the same kind of optimizer that saved it, a RMSprop"),
               e.what());
  }
  BOOST_TEST(before.unchanged(opt));
}

BOOST_AUTO_TEST_SUITE_END()

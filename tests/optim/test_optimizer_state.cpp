// test_optimizer_state.cpp — export_state / import_state: every optimizer continues bit for bit
// after its state moves to a fresh optimizer, slots follow the parameter list, and a bad state is
// rejected without changing anything.
#include <functional>
#include <memory>

#include "test_util.hpp"
#include "train/checkpoint_helpers.hpp"

using namespace scratch;
using scratch::test::bitwise_equal;
using scratch::test::seeded_randn;

namespace {

using Factory = std::function<std::unique_ptr<Optimizer>()>;

std::vector<std::pair<std::string, Factory>> all_optimizers() {
  return {{"SGD", [] { return std::make_unique<SGD>(0.05); }},
          {"Momentum", [] { return std::make_unique<Momentum>(0.05, 0.9); }},
          {"Nesterov", [] { return std::make_unique<Nesterov>(0.05, 0.8); }},
          {"AdaGrad", [] { return std::make_unique<AdaGrad>(0.05); }},
          {"RMSprop", [] { return std::make_unique<RMSprop>(0.05, 0.9); }},
          {"Adam", [] { return std::make_unique<Adam>(0.05, 0.8, 0.9); }}};
}

// Two parameters of different shapes, starting from fixed values.
std::vector<ParamPtr> make_params() {
  return {make_param("W", seeded_randn({3, 2}, 1)), make_param("b", seeded_randn({2}, 2))};
}

// Step s's gradient for the parameters: pseudo-random but the same for every run, and it depends
// on the current values (as a real loss's would), so a wrong state changes later gradients too.
void set_grads(const std::vector<ParamPtr>& params, int s) {
  for (std::size_t k = 0; k < params.size(); ++k) {
    params[k]->grad = seeded_randn(params[k]->value.shape(), 100 + 10 * s + k);
    params[k]->grad += params[k]->value * Scalar(0.5);
  }
}

void run_steps(Optimizer& opt, const std::vector<ParamPtr>& params, int from, int to) {
  for (int s = from; s < to; ++s) {
    set_grads(params, s);
    opt.update(params);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(optim_optimizer_state)

BOOST_AUTO_TEST_CASE(every_optimizer_continues_bitwise_after_export_and_import) {
  constexpr int kBefore = 4, kAfter = 5;
  for (const auto& [name, make] : all_optimizers()) {
    // Straight: kBefore + kAfter steps.
    std::vector<ParamPtr> straight = make_params();
    auto a = make();
    run_steps(*a, straight, 0, kBefore + kAfter);

    // Split: kBefore steps, state to a fresh optimizer for *new* Param objects holding the same
    // values (as a rebuilt model would), then kAfter more.
    std::vector<ParamPtr> first = make_params();
    auto b = make();
    run_steps(*b, first, 0, kBefore);
    const OptimizerState state = b->export_state(first);
    BOOST_TEST(state.steps == std::size_t(kBefore));
    std::vector<ParamPtr> second = make_params();
    for (std::size_t k = 0; k < second.size(); ++k) second[k]->value = first[k]->value;
    auto c = make();
    c->import_state(second, state);
    BOOST_TEST(c->steps() == std::size_t(kBefore));
    run_steps(*c, second, kBefore, kBefore + kAfter);

    for (std::size_t k = 0; k < straight.size(); ++k)
      BOOST_TEST(bitwise_equal(second[k]->value, straight[k]->value), name << ": " << straight[k]->name);
    BOOST_TEST(bitwise_equal(c->export_state(second), a->export_state(straight)), name);

    // Without the state (a fresh optimizer on the same values) the run differs — except for SGD,
    // which has none. This is what the test above would miss if import did nothing.
    if (name != "SGD") {
      std::vector<ParamPtr> third = make_params();
      for (std::size_t k = 0; k < third.size(); ++k) third[k]->value = first[k]->value;
      auto d = make();
      run_steps(*d, third, kBefore, kBefore + kAfter);
      BOOST_TEST(!bitwise_equal(third[0]->value, straight[0]->value), name);
    }
  }
}

BOOST_AUTO_TEST_CASE(slots_follow_the_parameter_list_not_the_first_update_order) {
  std::vector<ParamPtr> params = make_params();
  Momentum opt(0.1, 0.9);
  params[0]->grad = Tensor::full({3, 2}, 1);
  params[1]->grad = Tensor::full({2}, 2);
  opt.update(params);  // v_W = −0.1·1, v_b = −0.1·2
  const OptimizerState reversed = opt.export_state({params[1], params[0]});
  BOOST_REQUIRE(reversed.slots.size() == 2u);
  BOOST_TEST(reversed.slot_names == std::vector<std::string>{"v"});
  BOOST_TEST(bitwise_equal(reversed.slots[0][0], Tensor::full({2}, Scalar(-0.1) * 2)));
  BOOST_TEST(bitwise_equal(reversed.slots[1][0], Tensor::full({3, 2}, Scalar(-0.1) * 1)));
  BOOST_TEST(reversed.type == "Momentum");
  BOOST_TEST(reversed.lr == Scalar(0.1));
  BOOST_TEST(reversed.steps == 1u);
}

BOOST_AUTO_TEST_CASE(before_the_first_update_the_state_is_zero_and_import_fixes_the_set) {
  std::vector<ParamPtr> params = make_params();
  Adam opt(0.1);
  const OptimizerState zero = opt.export_state(params);
  BOOST_TEST(zero.steps == 0u);
  BOOST_TEST(zero.slot_names == (std::vector<std::string>{"m", "v"}));
  BOOST_TEST(bitwise_equal(zero.slots[0][1], Tensor::zeros({3, 2})));
  Adam other(0.1);
  other.import_state(params, zero);
  set_grads(params, 0);
  // The set is now fixed: a parameter it was not imported for is rejected.
  BOOST_CHECK_THROW(other.update({params[0], make_param("c", Tensor::zeros({1}))}), ValueError);
  other.update(params);
  BOOST_TEST(other.steps() == 1u);
}

BOOST_AUTO_TEST_CASE(export_rejects_a_parameter_list_that_is_not_the_served_set) {
  std::vector<ParamPtr> params = make_params();
  RMSprop opt(0.1);
  run_steps(opt, params, 0, 1);
  BOOST_CHECK_THROW(opt.export_state({params[0]}), ValueError);                                       // one missing
  BOOST_CHECK_THROW(opt.export_state({params[0], make_param("b", Tensor::zeros({2}))}), ValueError);  // a stranger
  BOOST_CHECK_THROW(opt.export_state({params[0], params[0]}), ValueError);                            // twice
  BOOST_CHECK_THROW(opt.export_state({params[0], nullptr}), ValueError);
}

BOOST_AUTO_TEST_CASE(a_bad_state_is_rejected_and_changes_nothing) {
  std::vector<ParamPtr> params = make_params();
  Adam opt(0.1);
  run_steps(opt, params, 0, 2);
  const OptimizerState before = opt.export_state(params);
  const Scalar lr_before = opt.lr();

  OptimizerState good = before;
  good.steps = 7;
  good.lr = Scalar(0.5);
  for (auto& slots : good.slots)
    for (Tensor& t : slots) t += Scalar(1);

  auto rejected = [&](OptimizerState bad, const std::vector<ParamPtr>& list, const std::string& expected) {
    try {
      opt.import_state(list, bad);
      BOOST_ERROR("accepted a bad state, expected: " << expected);
    } catch (const Error& e) {
      BOOST_TEST(std::string(e.what()).find(expected) != std::string::npos, e.what());
    }
    BOOST_TEST(bitwise_equal(opt.export_state(params), before));
    BOOST_TEST(opt.lr() == lr_before);
  };
  OptimizerState bad = good;
  bad.type = "Momentum";
  rejected(bad, params, "Adam.import_state: it holds Momentum optimizer state (slots: m, v) but this optimizer is Adam");
  bad = good;
  bad.slot_names = {"m"};
  rejected(bad, params, "1 slots per parameter but Adam keeps 2");
  bad = good;
  bad.lr = -1;
  rejected(bad, params, "learning rate must be a finite number > 0");
  bad = good;
  bad.slots.pop_back();
  rejected(bad, params, "slots for 1 parameters but 2 parameters");
  bad = good;
  bad.slots[1][1] = Tensor::zeros({3});
  rejected(bad, params, "slot 'v' of parameter 'b' has shape (3,) but the parameter has shape (2,)");
  bad = good;
  bad.slots[0].pop_back();
  rejected(bad, params, "parameter 'W' has 1 slots, expected 2");
  rejected(good, {params[0], params[0]}, "listed twice");

  // The good one is taken whole.
  opt.import_state(params, good);
  BOOST_TEST(bitwise_equal(opt.export_state(params), good));
  BOOST_TEST(opt.steps() == 7u);
  BOOST_TEST(opt.lr() == Scalar(0.5));
}

BOOST_AUTO_TEST_SUITE_END()

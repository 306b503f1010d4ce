// test_dropout.cpp — Dropout: forwards by hand in both modes, gradient checks with a fixed mask,
// the mask policy, the kept fraction, bad ratios, and one result on 1 and 2 threads.
#include <cmath>

#include "test_util.hpp"

using namespace scratch;
using scratch::test::check_layer_gradients;
using scratch::test::contains;
using scratch::test::expect_allclose;
using scratch::test::message_of;
using scratch::test::seeded_randn;

BOOST_AUTO_TEST_SUITE(layers_dropout)

BOOST_AUTO_TEST_CASE(training_forward_by_hand) {
  // The mask is [u > r] for one uniform u per value, in row-major order, from the layer's engine.
  // Rng(5)'s first four uniforms, replayed here: the mask keeps exactly the values whose u > 0.5.
  Rng replay(5);
  Scalar expected_mask[4];
  for (Scalar& m : expected_mask) m = replay.uniform() > 0.5 ? 1 : 0;
  Rng rng(5);
  Dropout dropout(0.5, rng);
  const Tensor x = Tensor::from_rows({{1, -2}, {3, -4}});
  const Tensor y = dropout.forward(x);
  // y = x ⊙ mask: every value is either itself or 0.
  const Tensor mask = Tensor::from_vector({2, 2}, {expected_mask[0], expected_mask[1], expected_mask[2], expected_mask[3]});
  expect_allclose(dropout.mask(), mask, 0, 0, "mask");
  expect_allclose(y, x * mask, 0, 0, "y");
  // dx = dout ⊙ mask
  expect_allclose(dropout.backward(Tensor::from_rows({{10, 20}, {30, 40}})),
                  Tensor::from_rows({{10, 20}, {30, 40}}) * mask, 0, 0, "dx");
}

BOOST_AUTO_TEST_CASE(inference_scales_by_the_kept_fraction) {
  // r = 0.25: y = 0.75·x = 0.75·[4, −8, 2] = [3, −6, 1.5]; dx = 0.75·dout = 0.75·[1, 2, −4] = [0.75, 1.5, −3]
  Rng rng(1);
  Dropout dropout(0.25, rng);
  dropout.set_mode(Mode::kInference);
  const Rng before = rng;
  expect_allclose(dropout.forward(Tensor::from_vector({3}, {4, -8, 2})), Tensor::from_vector({3}, {3, -6, 1.5}));
  expect_allclose(dropout.backward(Tensor::from_vector({3}, {1, 2, -4})), Tensor::from_vector({3}, {0.75, 1.5, -3}));
  BOOST_TEST(rng.state() == before.state());  // inference draws nothing
}

BOOST_AUTO_TEST_CASE(ratio_zero_is_the_identity) {
  Rng rng(2);
  Dropout dropout(0, rng);
  const Tensor x = seeded_randn({3, 4}, 3);
  expect_allclose(dropout.forward(x), x, 0, 0);
  dropout.set_mode(Mode::kInference);
  expect_allclose(dropout.forward(x), x, 0, 0);
}

BOOST_AUTO_TEST_CASE(gradient_check_with_a_fixed_mask) {
  for (const Shape& shape : {Shape{4, 5}, Shape{2, 3, 2, 2}}) {
    Rng rng(4);
    Dropout dropout(0.3, rng);
    dropout.set_mask_policy(DropoutMask::kReuseLast);
    const Tensor x = seeded_randn(shape, 5);
    dropout.forward(x);
    const Tensor mask = dropout.mask();
    BOOST_TEST(mask.sum() > 0);
    BOOST_TEST(mask.sum() < static_cast<Scalar>(mask.size()));  // some kept and some dropped: a real test
    check_layer_gradients(dropout, x);
    expect_allclose(dropout.mask(), mask, 0, 0, "the mask after the check");
  }
  Rng rng(6);
  Dropout inference(0.4, rng);
  inference.set_mode(Mode::kInference);
  check_layer_gradients(inference, seeded_randn({3, 3}, 7));
}

BOOST_AUTO_TEST_CASE(the_default_policy_draws_a_new_mask_each_forward) {
  Rng rng(8);
  Dropout dropout(0.5, rng);
  const Tensor x = Tensor::ones({10, 10});
  dropout.forward(x);
  const Tensor first = dropout.mask();
  dropout.forward(x);
  BOOST_TEST((first - dropout.mask()).max() - (first - dropout.mask()).min() > 0);  // 2^-100 chance of equal
  dropout.set_mask_policy(DropoutMask::kReuseLast);
  const Tensor second = dropout.mask();
  dropout.forward(x);
  expect_allclose(dropout.mask(), second, 0, 0);
  dropout.forward(Tensor::ones({5}));  // another shape: a new mask of that shape
  BOOST_TEST(dropout.mask().shape() == (Shape{5}));
}

BOOST_AUTO_TEST_CASE(keeps_about_one_minus_r) {
  // 100 000 Bernoulli(0.85) draws: mean 0.85, standard error √(0.85·0.15/1e5) ≈ 0.0011.
  Rng rng(9);
  Dropout dropout(0.15, rng);
  dropout.forward(Tensor::ones({1000, 100}));
  BOOST_TEST(std::abs(dropout.mask().mean() - 0.85) < 0.005);
}

BOOST_AUTO_TEST_CASE(ratios_outside_zero_to_one_are_refused) {
  for (const Scalar r : {Scalar(-0.1), Scalar(1), Scalar(1.5), Scalar(NAN)}) {
    const std::string message = message_of<ValueError>([&] { Dropout dropout(r); });
    BOOST_TEST(contains(message, "dropout: ratio is "), message);
    BOOST_TEST(contains(message, "it must be in [0, 1)"), message);
  }
}

BOOST_AUTO_TEST_CASE(same_numbers_on_one_and_two_threads) {
  const Tensor x = seeded_randn({400, 500}, 10);  // large enough that x ⊙ mask is split between threads
  Tensor y[2];
  const int before = max_threads();
  for (int threads = 1; threads <= 2; ++threads) {
    set_threads(threads);
    Rng rng(11);
    Dropout dropout(0.5, rng);
    y[threads - 1] = dropout.forward(x);
  }
  set_threads(before);
  expect_allclose(y[1], y[0], 0, 0);
}

BOOST_AUTO_TEST_SUITE_END()

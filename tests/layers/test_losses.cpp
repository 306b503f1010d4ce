// test_losses.cpp — SigmoidWithLoss: hand-computed loss and gradient, gradient checks, no overflow
// at large scores, and the errors for bad targets.
#include <cmath>
#include <functional>
#include <limits>

#include "test_util.hpp"

using namespace scratch;
using scratch::test::check_loss_gradients;
using scratch::test::contains;
using scratch::test::expect_allclose;
using scratch::test::message_of;
using scratch::test::seeded_randn;

BOOST_AUTO_TEST_SUITE(layers_losses)

BOOST_AUTO_TEST_CASE(sigmoid_with_loss_by_hand) {
  // x = [[0, ln 3], [ln 3, 0]] → y = σ(x) = [[1/2, 3/4], [3/4, 1/2]];  t = [[1, 0], [1, 1/2]].
  // Per output −[t log y + (1 − t) log(1 − y)]:
  //   row 0:  −log(1/2) = ln 2,   −log(1 − 3/4) = ln 4            → 3 ln 2
  //   row 1:  −log(3/4) = ln 4/3, −(½ log ½ + ½ log ½) = ln 2      → ln 8/3
  // loss = (3 ln 2 + ln 8/3) / N = ln(64/3) / 2 ≈ 1.5301   (summed over outputs, averaged over N = 2)
  const Scalar ln3 = std::log(Scalar(3));
  const Tensor x = Tensor::from_rows({{0, ln3}, {ln3, 0}});
  const Tensor t = Tensor::from_rows({{1, 0}, {1, 0.5}});
  SigmoidWithLoss loss;
  const Scalar value = loss.forward(x, t);
  BOOST_TEST(value == std::log(Scalar(64) / 3) / 2, boost::test_tools::tolerance(scratch::test::kCloseRtol));
  expect_allclose(loss.probabilities(), Tensor::from_rows({{0.5, 0.75}, {0.75, 0.5}}));
  // dx = (y − t)/N = [[(½ − 1)/2, (¾ − 0)/2], [(¾ − 1)/2, (½ − ½)/2]]
  expect_allclose(loss.backward(), Tensor::from_rows({{-0.25, 0.375}, {-0.125, 0}}));
  // dout scales the gradient: dx · 2.
  expect_allclose(loss.backward(2), Tensor::from_rows({{-0.5, 0.75}, {-0.25, 0}}));
}

BOOST_AUTO_TEST_CASE(sigmoid_with_loss_gradient_check) {
  // Grey-level targets (an autoencoder's pixels) on a batch of images, and 0/1 labels on a 1-d
  // batch of single scores (the book's negative-sampling use).
  SigmoidWithLoss loss;
  Rng rng(5);
  check_loss_gradients(loss, seeded_randn({4, 6}, 3) * Scalar(2), Tensor::rand({4, 6}, rng));
  check_loss_gradients(loss, seeded_randn({3, 2, 2}, 4), Tensor::rand({3, 2, 2}, rng));
  check_loss_gradients(loss, seeded_randn({5}, 6), Tensor::from_vector({5}, {1, 0, 0, 1, 1}));
}

BOOST_AUTO_TEST_CASE(sigmoid_with_loss_is_finite_for_large_scores) {
  // The direct formula −[t log σ(x) + (1 − t) log(1 − σ(x))] needs log(1 − σ(40)) for x = 40, t = 0;
  // σ(40) rounds to exactly 1 in double and float, so it gives log(0) = −∞ and an infinite loss.
  // The fused form max(x, 0) − x t + log(1 + e^(−|x|)) gives 40 (the exact loss is 40 + 4e-18).
  const Tensor x = Tensor::from_vector({4}, {40, -40, 800, -800});
  const Tensor t = Tensor::from_vector({4}, {0, 1, 0, 1});
  BOOST_TEST(std::log(1 - 1 / (1 + std::exp(-x[0]))) == -std::numeric_limits<Scalar>::infinity());
  SigmoidWithLoss loss;
  // Every sample is wrong by |x|: loss = (40 + 40 + 800 + 800) / 4 = 420.
  BOOST_TEST(loss.forward(x, t) == 420, boost::test_tools::tolerance(scratch::test::kExactRtol));
  // dx = (y − t)/4 = (1/4, −1/4, 1/4, −1/4): the largest possible pull, and no NaN.
  expect_allclose(loss.backward(), Tensor::from_vector({4}, {0.25, -0.25, 0.25, -0.25}));
  // Confidently right: the loss is log(1 + e^(−40)) ≈ 4e-18, not 0 − 0·log(0) = NaN.
  const Scalar right = loss.forward(x, Tensor::from_vector({4}, {1, 0, 1, 0}));
  BOOST_TEST(std::isfinite(right));
  BOOST_TEST(right >= 0);
  BOOST_TEST(right < Scalar(1e-6));
}

BOOST_AUTO_TEST_CASE(sigmoid_with_loss_rejects_bad_targets) {
  SigmoidWithLoss loss;
  const Tensor x = Tensor::zeros({2, 3});
  const std::string shape = message_of([&] { loss.forward(x, Tensor::zeros({2, 4})); });
  BOOST_TEST(contains(shape, "t has shape (2, 4) but x has shape (2, 3)"), shape);
  BOOST_CHECK_THROW(loss.forward(x, Tensor::zeros({2, 4})), ShapeError);
  BOOST_CHECK_THROW(loss.forward(x, Tensor::zeros({2})), ShapeError);  // class indices are not targets here

  // MNIST in bytes (0 … 255) instead of [0, 1]: the message says how to fix it.
  const std::string range = message_of([&] { loss.forward(x, Tensor::full({2, 3}, 255)); });
  BOOST_TEST(contains(range, "t[0] = 255 is not a probability in [0, 1]"), range);
  BOOST_TEST(contains(range, "PixelScale::kUnit"), range);
  BOOST_CHECK_THROW(loss.forward(x, Tensor::full({2, 3}, -0.5)), ValueError);
  BOOST_CHECK_THROW(loss.forward(x, Tensor::full({2, 3}, std::nan(""))), ValueError);

  BOOST_CHECK_THROW(loss.forward(Tensor::scalar(1), Tensor::scalar(1)), ShapeError);
  BOOST_CHECK_THROW(loss.forward(Tensor::zeros({0, 3}), Tensor::zeros({0, 3})), ValueError);
  SigmoidWithLoss fresh;
  BOOST_CHECK_THROW(fresh.backward(), ValueError);
}

BOOST_AUTO_TEST_CASE(sigmoid_with_loss_does_not_depend_on_threads) {
  // 200 rows of 784: the per-row loop runs in parallel; rows are summed in order afterwards.
  const Tensor x = seeded_randn({200, 784}, 8);
  Rng rng(9);
  const Tensor t = Tensor::rand({200, 784}, rng);
  SigmoidWithLoss loss;
  const int threads = max_threads();
  set_threads(1);
  const Scalar serial = loss.forward(x, t);
  const Tensor serial_dx = loss.backward();
  set_threads(std::max(2, threads));
  const std::size_t regions = parallel_regions();
  const Scalar parallel = loss.forward(x, t);
  const Tensor parallel_dx = loss.backward();
#ifdef _OPENMP
  BOOST_TEST(parallel_regions() > regions);
#endif
  set_threads(threads);
  BOOST_TEST(serial == parallel);
  BOOST_TEST(array_equal(serial_dx, parallel_dx));
}

BOOST_AUTO_TEST_SUITE_END()

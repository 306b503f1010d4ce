// test_softmax.cpp — softmax, cross_entropy_error, the Softmax, Log and LogSoftmax layers and SoftmaxWithLoss:
// hand-computed values, gradient checks, label validation, and the seeds' bugs.
#include <cmath>
#include <functional>
#include <limits>

#include "test_util.hpp"

using namespace scratch;
using scratch::test::check_layer_gradients;
using scratch::test::check_loss_gradients;
using scratch::test::expect_allclose;
using scratch::test::seeded_randn;
using scratch::test::contains;
using scratch::test::message_of;

namespace {

// In double the log-softmax loss and (y − t)/N agree with central differences to about 1e-10;
// the float build gets the usual gradient tolerance.
constexpr Scalar kLossGradTolerance = kScalarIsFloat ? scratch::test::kGradTolerance : Scalar(1e-9);

const Scalar kLn2 = std::log(Scalar(2)), kLn3 = std::log(Scalar(3));

}  // namespace

BOOST_AUTO_TEST_SUITE(layers_softmax)

BOOST_AUTO_TEST_CASE(softmax_by_hand_and_stable_for_large_scores) {
  // Row 0: exp(0, ln 2, ln 3) = (1, 2, 3), sum 6 → (1/6, 1/3, 1/2).
  // Row 1: three equal scores of 1000 → 1/3 each (the direct exp(1000) overflows to ∞, ∞/∞ = NaN).
  const Tensor x = Tensor::from_rows({{0, kLn2, kLn3}, {1000, 1000, 1000}});
  expect_allclose(softmax(x), Tensor::from_rows({{1.0 / 6, 1.0 / 3, 0.5}, {1.0 / 3, 1.0 / 3, 1.0 / 3}}));
  // 1-d: (1000, 1001) − max = (−1, 0) → (e⁻¹, 1) / (1 + e⁻¹) = (0.268941…, 0.731058…)
  const Scalar e = std::exp(Scalar(1));
  expect_allclose(softmax(Tensor::from_vector({2}, {1000, 1001})), Tensor::from_vector({2}, {1 / (1 + e), e / (1 + e)}));
  // N-d: each row along the last axis sums to 1.
  const Tensor y = softmax(seeded_randn({2, 3, 4}, 1));
  expect_allclose(y.sum(-1), Tensor::ones({2, 3}));
  BOOST_CHECK_THROW(softmax(Tensor::scalar(1)), ShapeError);
}

BOOST_AUTO_TEST_CASE(softmax_never_modifies_its_input) {
  // One seed wrote `x -= np.max(x, axis=1, keepdims=True)`, changing the caller's scores.
  const Tensor x = seeded_randn({3, 5}, 2) * 10.0;
  const Tensor before = x;
  softmax(x);
  BOOST_TEST(array_equal(x, before));
  const Tensor v = Tensor::from_vector({3}, {7, 8, 9});
  softmax(v);
  BOOST_TEST(array_equal(v, Tensor::from_vector({3}, {7, 8, 9})));
}

BOOST_AUTO_TEST_CASE(cross_entropy_error_by_hand) {
  // The book's example: y for one sample of 10 classes.
  const Tensor y = Tensor::from_vector({10}, {0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0});
  Tensor t = Tensor::zeros({10});
  t[2] = 1;
  // −log(0.6 + 1e-7) = 0.510825457…, the value the book prints (−log 0.6 alone is 0.510825623…)
  const Scalar at2 = -std::log(Scalar(0.6) + Scalar(1e-7));
  BOOST_TEST(at2 == Scalar(0.510825457099338), boost::test_tools::tolerance(scratch::test::kCloseRtol));
  BOOST_TEST(cross_entropy_error(y, t) == at2, boost::test_tools::tolerance(scratch::test::kCloseRtol));
  BOOST_TEST(cross_entropy_error(y, Tensor::scalar(2)) == at2, boost::test_tools::tolerance(scratch::test::kCloseRtol));
  // −log(0.1 + 1e-7) = 2.302584…  (the book's 2.3025840929945458)
  BOOST_TEST(cross_entropy_error(y, Tensor::from_vector({1}, {7})) == Scalar(2.3025840929945458),
             boost::test_tools::tolerance(scratch::test::kCloseRtol));
  // y_t = 0: the 1e-7 caps the loss at −log(1e-7) = 16.118…, instead of ∞.
  BOOST_TEST(cross_entropy_error(y, Tensor::scalar(3)) == Scalar(16.11809565095832),
             boost::test_tools::tolerance(scratch::test::kCloseRtol));
  // A batch is averaged: (0.5108… + 2.3025…) / 2, with one-hot or index labels.
  Tensor both = Tensor::zeros({2, 10});
  std::copy(y.begin(), y.end(), both.begin());
  std::copy(y.begin(), y.end(), both.begin() + 10);
  Tensor one_hot = Tensor::zeros({2, 10});
  one_hot(0, 2) = 1;
  one_hot(1, 7) = 1;
  const Scalar mean = (at2 - std::log(Scalar(0.1) + Scalar(1e-7))) / 2;
  BOOST_TEST(cross_entropy_error(both, one_hot) == mean, boost::test_tools::tolerance(scratch::test::kCloseRtol));
  BOOST_TEST(cross_entropy_error(both, Tensor::from_vector({2}, {2, 7})) == mean,
             boost::test_tools::tolerance(scratch::test::kCloseRtol));
  BOOST_CHECK_THROW(cross_entropy_error(both, Tensor::from_vector({3}, {2, 7, 1})), ShapeError);
}

BOOST_AUTO_TEST_CASE(softmax_layer_by_hand_and_gradient_check) {
  // y = (1/6, 1/3, 1/2);  dout = (1, 0, 0):  Σ_j dout_j y_j = 1/6
  // dx = y ⊙ (dout − 1/6) = (1/6 · 5/6, 1/3 · (−1/6), 1/2 · (−1/6)) = (5/36, −1/18, −1/12), summing to 0
  Softmax layer;
  expect_allclose(layer.forward(Tensor::from_vector({3}, {0, kLn2, kLn3})),
                  Tensor::from_vector({3}, {1.0 / 6, 1.0 / 3, 0.5}));
  expect_allclose(layer.backward(Tensor::from_vector({3}, {1, 0, 0})),
                  Tensor::from_vector({3}, {5.0 / 36, -1.0 / 18, -1.0 / 12}));
  for (const Shape& shape : {Shape{3, 4}, Shape{2, 2, 5}, Shape{6}}) {
    Softmax softmax_layer;
    check_layer_gradients(softmax_layer, seeded_randn(shape, 3 + shape.size()));
  }
}

BOOST_AUTO_TEST_CASE(log_layer_by_hand_gradient_check_and_zero) {
  // y = log(1, e, 1/2) = (0, 1, −ln 2);  dout = (1, 2, 3):  dx = dout / x = (1, 2/e, 6)
  Log layer;
  const Scalar e = std::exp(Scalar(1));
  expect_allclose(layer.forward(Tensor::from_vector({3}, {1, e, 0.5})), Tensor::from_vector({3}, {0, 1, -kLn2}));
  expect_allclose(layer.backward(Tensor::from_vector({3}, {1, 2, 3})), Tensor::from_vector({3}, {1, 2 / e, 6}));
  Log checked;
  check_layer_gradients(checked, exp(seeded_randn({3, 4}, 5)));
  // At 0 no epsilon hides anything: log(0) = −∞, and dout / 0 is ∞ (or NaN for 0/0).
  const Scalar inf = std::numeric_limits<Scalar>::infinity();
  const Tensor y = layer.forward(Tensor::from_vector({2}, {0, 0}));
  BOOST_TEST(y[0] == -inf);
  const Tensor dx = layer.backward(Tensor::from_vector({2}, {1, 0}));
  BOOST_TEST(dx[0] == inf);
  BOOST_TEST(std::isnan(dx[1]));
}

BOOST_AUTO_TEST_CASE(log_softmax_layer_by_hand_and_gradient_check) {
  // x = (0, ln 2, ln 3): m = ln 3, Σ exp(x − m) = (1 + 2 + 3)/3 = 2, so
  // y = x − ln 3 − ln 2 = (−ln 6, ln 2 − ln 6, −ln 2) = (−ln 6, −ln 3, −ln 2) = log(1/6, 1/3, 1/2).
  // dout = (1, 0, 0): Σ dout = 1, dx = dout − p = (1 − 1/6, −1/3, −1/2) = (5/6, −1/3, −1/2).
  LogSoftmax layer;
  const Scalar ln6 = std::log(Scalar(6));
  expect_allclose(layer.forward(Tensor::from_vector({3}, {0, kLn2, kLn3})),
                  Tensor::from_vector({3}, {-ln6, -kLn3, -kLn2}));
  expect_allclose(layer.backward(Tensor::from_vector({3}, {1, 0, 0})),
                  Tensor::from_vector({3}, {5.0 / 6, -1.0 / 3, -0.5}));
  // A batch: row 1 = (1, 1) gives log(1/2) twice; dout (2, −1) sums to 1, dx = (2 − 1/2, −1 − 1/2).
  LogSoftmax batch;
  expect_allclose(batch.forward(Tensor::from_rows({{0, 0}, {1, 1}})), Tensor::from_rows({{-kLn2, -kLn2}, {-kLn2, -kLn2}}));
  expect_allclose(batch.backward(Tensor::from_rows({{0, 0}, {2, -1}})), Tensor::from_rows({{0, 0}, {1.5, -1.5}}));
  for (const Shape& shape : {Shape{3, 4}, Shape{2, 2, 5}, Shape{6}, Shape{1, 1}, Shape{5, 10}}) {
    LogSoftmax checked;
    check_layer_gradients(checked, seeded_randn(shape, 11 + shape.size()) * 3.0);
  }
}

BOOST_AUTO_TEST_CASE(log_softmax_agrees_with_log_of_softmax_where_that_is_finite) {
  // Moderate scores: log(softmax(x)) loses nothing, and the two must agree to rounding.
  const Tensor x = seeded_randn({4, 7}, 12) * 5.0;
  LogSoftmax layer;
  const Tensor y = layer.forward(x);
  expect_allclose(y, log(softmax(x)), scratch::test::kCloseRtol, scratch::test::kCloseAtol);
  expect_allclose(log_softmax(x), y);
  // And the backward equals Softmax → Log's chain rule, dout / p pushed through softmax's Jacobian.
  const Tensor dout = seeded_randn({4, 7}, 13);
  Softmax softmax_layer;
  Log log_layer;
  log_layer.forward(softmax_layer.forward(x));
  expect_allclose(layer.backward(dout), softmax_layer.backward(log_layer.backward(dout)), scratch::test::kCloseRtol,
                  scratch::test::kCloseAtol);
}

BOOST_AUTO_TEST_CASE(log_softmax_is_finite_where_log_of_softmax_is_minus_infinity) {
  // Scores (0, 1000): p = (e^−1000, 1) and e^−1000 underflows to 0 (double's smallest is about e^−745).
  // log(softmax) = (−∞, 0); log-sum-exp gives y = x − 1000 − log(e^−1000 + 1) = (−1000, 0) exactly.
  const Tensor x = Tensor::from_vector({2}, {0, 1000});
  const Scalar inf = std::numeric_limits<Scalar>::infinity();
  BOOST_TEST(log(softmax(x))[0] == -inf);
  LogSoftmax layer;
  expect_allclose(layer.forward(x), Tensor::from_vector({2}, {-1000, 0}));
  // dout = (1, 0) (the label is the unlikely class): dx = dout − p · 1 = (1 − 0, 0 − 1) = (1, −1).
  const Tensor dout = Tensor::from_vector({2}, {1, 0});
  expect_allclose(layer.backward(dout), Tensor::from_vector({2}, {1, -1}));
  // Softmax → Log on the same scores: Log's backward divides by p = 0 and the gradient is lost.
  Softmax softmax_layer;
  Log log_layer;
  log_layer.forward(softmax_layer.forward(x));
  BOOST_TEST(!all_finite(softmax_layer.backward(log_layer.backward(dout))));
  // The same in a batch whose other row is ordinary.
  const Tensor batch = Tensor::from_rows({{0, 1000, -1000}, {1, 2, 3}});
  LogSoftmax batch_layer;
  BOOST_TEST(all_finite(batch_layer.forward(batch)));
  BOOST_TEST(all_finite(batch_layer.backward(Tensor::ones({2, 3}))));
}

BOOST_AUTO_TEST_CASE(log_softmax_shape_errors_name_the_shapes) {
  LogSoftmax layer;
  BOOST_TEST(message_of<ShapeError>([&] { layer.forward(Tensor::scalar(1)); }) ==
             "log_softmax: x is a 0-d scalar; log_softmax needs at least one axis of scores");
  BOOST_TEST(message_of<ShapeError>([&] { layer.forward(Tensor::zeros({3, 0})); }) ==
             "log_softmax: x has shape (3, 0), i.e. rows with no classes: a probability distribution over nothing "
             "does not exist");
  BOOST_TEST(message_of<ShapeError>([&] { log_softmax(Tensor::zeros({2, 0})); }) ==
             "log_softmax: x has shape (2, 0), i.e. rows with no classes: a probability distribution over nothing "
             "does not exist");
  layer.forward(Tensor::zeros({2, 3}));
  const std::string wrong_dout = message_of<ShapeError>([&] { layer.backward(Tensor::zeros({2, 4})); });
  BOOST_TEST(contains(wrong_dout, "log_softmax: dout has shape (2, 4)"), wrong_dout);
  BOOST_TEST(contains(wrong_dout, "(2, 3)"), wrong_dout);
  LogSoftmax fresh;
  BOOST_CHECK_THROW(fresh.backward(Tensor::zeros({2, 3})), ValueError);
}

BOOST_AUTO_TEST_CASE(softmax_with_loss_returns_the_loss_by_hand) {
  // One seed's forward returned the probabilities. Ours returns the loss and keeps y aside.
  // x = (0, ln 2, ln 3) → y = (1/6, 1/3, 1/2); t = 2 → loss = −log(1/2) = ln 2 = 0.693…
  SoftmaxWithLoss layer;
  const Scalar loss = layer.forward(Tensor::from_rows({{0, kLn2, kLn3}}), Tensor::from_vector({1}, {2}));
  BOOST_TEST(loss == kLn2, boost::test_tools::tolerance(scratch::test::kExactRtol));
  expect_allclose(layer.probabilities(), Tensor::from_rows({{1.0 / 6, 1.0 / 3, 0.5}}));
  // dx = (y − t) / 1 = (1/6, 1/3, −1/2)
  expect_allclose(layer.backward(), Tensor::from_rows({{1.0 / 6, 1.0 / 3, -0.5}}));
  // The same value the book's cross_entropy_error gives, up to its δ = 1e-7 (δ/y_t = 2e-7 here).
  BOOST_TEST(std::abs(loss - cross_entropy_error(layer.probabilities(), Tensor::from_vector({1}, {2}))) < 1e-6);

  // A batch of two, x = [[0, ln 2, ln 3], [0, 0, 0]], t = (2, 0):
  // loss = (−log 1/2 − log 1/3) / 2 = (ln 2 + ln 3) / 2;  dx = (y − t)/2 = [[1/12, 1/6, −1/4], [−1/3, 1/6, 1/6]]
  const Tensor x = Tensor::from_rows({{0, kLn2, kLn3}, {0, 0, 0}});
  const Tensor one_hot = Tensor::from_rows({{0, 0, 1}, {1, 0, 0}});
  for (const Tensor& t : {Tensor::from_vector({2}, {2, 0}), one_hot}) {
    BOOST_TEST(layer.forward(x, t) == (kLn2 + kLn3) / 2, boost::test_tools::tolerance(scratch::test::kExactRtol));
    expect_allclose(layer.backward(), Tensor::from_rows({{1.0 / 12, 1.0 / 6, -0.25}, {-1.0 / 3, 1.0 / 6, 1.0 / 6}}));
    // backward(dout) scales by dout: the chain rule through a later "loss × 2.5".
    expect_allclose(layer.backward(2.5), layer.backward() * 2.5);
  }
}

BOOST_AUTO_TEST_CASE(softmax_with_loss_gradient_check_is_tight) {
  SoftmaxWithLoss layer;
  const Tensor x = seeded_randn({4, 5}, 6) * 3.0;
  Tensor one_hot = Tensor::zeros({4, 5});
  const Tensor index = Tensor::from_vector({4}, {1, 0, 4, 2});
  for (std::size_t n = 0; n < 4; ++n) one_hot(n, static_cast<std::size_t>(index[n])) = 1;
  check_loss_gradients(layer, x, index, kLossGradTolerance);
  check_loss_gradients(layer, x, one_hot, kLossGradTolerance);
  // Soft labels (a distribution per row) are allowed too: the gradient is still y − t.
  check_loss_gradients(layer, x, softmax(seeded_randn({4, 5}, 7)), kLossGradTolerance);
  // x and t are left alone.
  const Tensor x_before = x, t_before = one_hot;
  layer.forward(x, one_hot);
  layer.backward();
  BOOST_TEST(array_equal(x, x_before));
  BOOST_TEST(array_equal(one_hot, t_before));
}

BOOST_AUTO_TEST_CASE(one_dimensional_x_is_a_batch_of_one) {
  const Tensor x = Tensor::from_vector({4}, {0.5, -1, 2, 0});
  SoftmaxWithLoss single, batch;
  const Scalar loss = single.forward(x, Tensor::scalar(2));
  BOOST_TEST(loss == batch.forward(x.reshape({1, 4}), Tensor::from_vector({1}, {2})),
             boost::test_tools::tolerance(scratch::test::kExactRtol));
  const Tensor dx = single.backward();
  BOOST_TEST(shape_string(dx.shape()) == "(4,)");
  expect_allclose(dx, batch.backward().reshape({4}));
  BOOST_TEST(single.forward(x, Tensor::from_vector({1}, {2})) == loss);                // index as (1,)
  BOOST_TEST(single.forward(x, Tensor::from_vector({4}, {0, 0, 1, 0})) == loss,        // one-hot (C,)
             boost::test_tools::tolerance(scratch::test::kExactRtol));
  check_loss_gradients(single, x, Tensor::scalar(2), kLossGradTolerance);
}

BOOST_AUTO_TEST_CASE(log_softmax_loss_needs_no_delta) {
  // x = (−20, 0, 0), t = 0: y_0 = e⁻²⁰/(e⁻²⁰ + 2) ≈ 1.03e-9, far below the book's δ = 1e-7.
  // True loss = log(e⁻²⁰ + 2) + 20 = 20.693…; −log(y_0 + δ) is capped near 16.1 and its gradient
  // is wrong by almost 1 in the first entry, while (y − t) is the exact gradient of our loss.
  const Tensor x = Tensor::from_rows({{-20, 0, 0}});
  const Tensor t = Tensor::from_vector({1}, {0});
  SoftmaxWithLoss layer;
  const Scalar loss = layer.forward(x, t);
  BOOST_TEST(loss == std::log(std::exp(Scalar(-20)) + 2) + 20, boost::test_tools::tolerance(scratch::test::kExactRtol));
  BOOST_TEST(cross_entropy_error(layer.probabilities(), t) < 16.2);
  check_loss_gradients(layer, x, t, kLossGradTolerance);
  Tensor probe = x;
  const Tensor book = numerical_gradient([&](const Tensor& s) { return cross_entropy_error(softmax(s), t); }, probe);
  BOOST_TEST(std::abs(book[0] - layer.backward()[0]) > 0.5);
  // Even at 1000-sized gaps the loss stays finite and exact: log Σ exp(x − m) ≈ 0, −(x_t − m) = 2000.
  BOOST_TEST(layer.forward(Tensor::from_rows({{1000, 0, -1000}}), Tensor::from_vector({1}, {2})) == 2000);
  BOOST_TEST(all_finite(layer.backward()));
}

BOOST_AUTO_TEST_CASE(labels_are_validated_with_clear_messages) {
  SoftmaxWithLoss layer;
  const Tensor x = Tensor::zeros({4, 3});
  BOOST_TEST(message_of([&] { layer.forward(x, Tensor::zeros({5})); }) ==
             "softmax_with_loss: t (5,) holds labels for 5 samples but x (4, 3) has 4 (one label per row of x)");
  BOOST_CHECK_THROW(layer.forward(x, Tensor::zeros({5})), ShapeError);
  BOOST_TEST(message_of([&] { layer.forward(x, Tensor::zeros({4, 2})); }) ==
             "softmax_with_loss: one-hot labels t (4, 2) have 2 columns but x (4, 3) has 3 classes "
             "(t must be (4, 3) one-hot, or (4,) class indices)");
  BOOST_CHECK_THROW(layer.forward(x, Tensor::zeros({4, 2})), ShapeError);
  BOOST_TEST(message_of([&] { layer.forward(x, Tensor::from_vector({4}, {0, 1, 3, 2})); }) ==
             "softmax_with_loss: label t[2] = 3 is not a class index: indices must be whole numbers in [0, 3) "
             "since x (4, 3) has 3 classes");
  for (Scalar bad : {Scalar(-1), Scalar(1.5), std::numeric_limits<Scalar>::quiet_NaN()})
    BOOST_CHECK_THROW(layer.forward(x, Tensor::from_vector({4}, {0, 1, bad, 2})), ValueError);
  BOOST_TEST(message_of([&] { layer.forward(Tensor::zeros({0, 3}), Tensor::zeros({0})); }) ==
             "softmax_with_loss: the batch is empty (x has shape (0, 3)); a mean over 0 samples is undefined");
  BOOST_CHECK_THROW(layer.forward(Tensor::zeros({0, 3}), Tensor::zeros({0})), ValueError);
  // The seed-003 labels were built with np.zeros_like: a row someone forgot to set sums to 0.
  BOOST_TEST(message_of([&] { layer.forward(x, Tensor::from_rows({{0, 1, 0}, {0, 0, 0}, {1, 0, 0}, {0, 0, 1}})); }) ==
             "softmax_with_loss: row 1 of the one-hot labels t (4, 3) sums to 0, not 1 "
             "(each row must be one-hot or a probability distribution)");
  BOOST_CHECK_THROW(layer.forward(Tensor::zeros({2, 3, 4}), Tensor::zeros({2})), ShapeError);
  BOOST_CHECK_THROW(layer.forward(x, Tensor::zeros({4, 3, 1})), ShapeError);
  BOOST_CHECK_THROW(layer.forward(Tensor::zeros({3}), Tensor::zeros({2})), ShapeError);
  BOOST_CHECK_THROW(layer.forward(Tensor::zeros({4, 0}), Tensor::zeros({4})), ShapeError);
  SoftmaxWithLoss fresh;
  BOOST_CHECK_THROW(fresh.backward(), ValueError);
  BOOST_CHECK_THROW(cross_entropy_error(x, Tensor::from_vector({4}, {0, 1, 3, 2})), ValueError);
}

BOOST_AUTO_TEST_CASE(results_do_not_depend_on_the_thread_count) {
  // 2000 × 50 is large enough for the per-sample loop to run in parallel; the loss is summed in
  // sample order afterwards, so one thread and two give the same bits.
  const Tensor x = seeded_randn({2000, 50}, 8);
  Tensor t = Tensor::zeros({2000});
  for (std::size_t n = 0; n < 2000; ++n) t[n] = static_cast<Scalar>(n % 50);
  const int threads = max_threads();
  SoftmaxWithLoss layer;
  set_threads(1);
  const Scalar loss1 = layer.forward(x, t);
  const Tensor dx1 = layer.backward();
  const Tensor y1 = softmax(x);
  LogSoftmax log_layer;
  const Tensor log_y1 = log_layer.forward(x), log_dx1 = log_layer.backward(x);
  set_threads(2);
  const Scalar loss2 = layer.forward(x, t);
  const Tensor dx2 = layer.backward();
  const Tensor y2 = softmax(x);
  const Tensor log_y2 = log_layer.forward(x), log_dx2 = log_layer.backward(x);
  set_threads(threads);
  BOOST_TEST(loss1 == loss2);
  BOOST_TEST(array_equal(dx1, dx2));
  BOOST_TEST(array_equal(y1, y2));
  BOOST_TEST(array_equal(log_y1, log_y2));
  BOOST_TEST(array_equal(log_dx1, log_dx2));
}

BOOST_AUTO_TEST_SUITE_END()

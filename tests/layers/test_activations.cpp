// test_activations.cpp — Relu, Sigmoid and Tanh: hand-computed values, gradient checks, the seeds' bugs.
#include <cmath>
#include <functional>
#include <limits>

#include "test_util.hpp"

using namespace scratch;
using scratch::test::check_layer_gradients;
using scratch::test::expect_allclose;
using scratch::test::seeded_randn;
using scratch::test::message_of;

namespace {

// A random input whose entries all keep at least 0.1 away from ReLU's kink at 0, farther than the
// finite-difference step, so the numerical gradient is exact there.
Tensor away_from_zero(const Shape& shape, std::uint64_t seed) {
  Tensor x = seeded_randn(shape, seed);
  for (Scalar& v : x) v = v < 0 ? v - Scalar(0.1) : v + Scalar(0.1);
  return x;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(layers_activations)

BOOST_AUTO_TEST_CASE(relu_forward_and_backward_by_hand) {
  // The seed's example: x = [[1, -0.5], [-2, 3]], mask = [x > 0] = [[1, 0], [0, 1]].
  Relu relu;
  const Tensor x = Tensor::from_rows({{1.0, -0.5}, {-2.0, 3.0}});
  expect_allclose(relu.forward(x), Tensor::from_rows({{1, 0}, {0, 3}}));  // max(0, x)
  // dx = dout ⊙ mask = [[0.1·1, 0.2·0], [0.3·0, 0.4·1]]
  const Tensor dout = Tensor::from_rows({{0.1, 0.2}, {0.3, 0.4}});
  expect_allclose(relu.backward(dout), Tensor::from_rows({{0.1, 0}, {0, 0.4}}));
}

BOOST_AUTO_TEST_CASE(relu_backward_returns_a_new_tensor_and_leaves_dout_alone) {
  // The book's ReLU did `dout[mask] = 0; return dout`. When dout also feeds another branch (a
  // Repeat node, a residual connection) that branch then reads zeros. Here two Relu layers read
  // the same dout; the second must still see the original numbers.
  Relu a, b;
  const Tensor x = Tensor::from_rows({{1, -1, 2}});
  a.forward(x);
  b.forward(-x);
  const Tensor dout = Tensor::from_rows({{5, 6, 7}});
  const Tensor dx_a = a.backward(dout);
  BOOST_TEST(dx_a.data() != dout.data());
  expect_allclose(dout, Tensor::from_rows({{5, 6, 7}}), 0, 0, "dout after a.backward");
  expect_allclose(dx_a, Tensor::from_rows({{5, 0, 7}}));
  expect_allclose(b.backward(dout), Tensor::from_rows({{0, 6, 0}}));  // -x = (-1, 1, -2)
}

BOOST_AUTO_TEST_CASE(relu_gradient_check_on_several_shapes) {
  for (const Shape& shape : {Shape{4, 5}, Shape{2, 3, 4}, Shape{7}, Shape{}}) {
    Relu relu;
    check_layer_gradients(relu, away_from_zero(shape, 11 + shape.size()));
  }
}

BOOST_AUTO_TEST_CASE(relu_keeps_nan_and_zeroes_minus_infinity) {
  const Scalar inf = std::numeric_limits<Scalar>::infinity();
  Relu relu;
  const Tensor y = relu.forward(Tensor::from_vector({3}, {std::nan(""), -inf, inf}));
  BOOST_TEST(std::isnan(y[0]));  // a diverging network stays visibly diverged
  BOOST_TEST(y[1] == 0);
  BOOST_TEST(y[2] == inf);
}

BOOST_AUTO_TEST_CASE(sigmoid_forward_and_backward_by_hand) {
  // σ(0) = 1/2;  σ(ln 3) = 1/(1 + 1/3) = 3/4;  σ(−ln 3) = 1/(1 + 3) = 1/4.
  Sigmoid sigmoid;
  const Scalar ln3 = std::log(Scalar(3));
  const Tensor x = Tensor::from_vector({3}, {0, ln3, -ln3});
  expect_allclose(sigmoid.forward(x), Tensor::from_vector({3}, {0.5, 0.75, 0.25}));
  // y(1 − y) = 1/4, 3/16, 3/16;  dx = dout ⊙ y(1 − y) = 1·0.25, 2·0.1875, 4·0.1875
  const Tensor dout = Tensor::from_vector({3}, {1, 2, 4});
  expect_allclose(sigmoid.backward(dout), Tensor::from_vector({3}, {0.25, 0.375, 0.75}));
}

BOOST_AUTO_TEST_CASE(sigmoid_backward_uses_its_own_cached_output) {
  // One seed's Sigmoid.forward never stored y, so backward read whatever was there before. Ours
  // caches a private copy: the caller scribbling over the returned y changes nothing, and a
  // second forward replaces the cache.
  Sigmoid sigmoid;
  BOOST_CHECK_THROW(sigmoid.backward(Tensor::ones({2})), ValueError);  // nothing cached yet
  sigmoid.forward(Tensor::from_vector({2}, {5, -5}));
  Tensor y = sigmoid.forward(Tensor::from_vector({2}, {0, 0}));  // y = (1/2, 1/2)
  y.fill(0);                                                       // the caller reuses its buffer
  // dx = 1 · 1/2 · 1/2 for both entries: the cache holds the second forward's y, untouched.
  expect_allclose(sigmoid.backward(Tensor::ones({2})), Tensor::full({2}, 0.25));
}

BOOST_AUTO_TEST_CASE(sigmoid_saturates_without_nan) {
  Sigmoid sigmoid;
  const Tensor y = sigmoid.forward(Tensor::from_vector({2}, {-1000, 1000}));
  expect_allclose(y, Tensor::from_vector({2}, {0, 1}));
  const Tensor dx = sigmoid.backward(Tensor::ones({2}));
  BOOST_TEST(all_finite(dx));
  expect_allclose(dx, Tensor::zeros({2}));
}

BOOST_AUTO_TEST_CASE(sigmoid_gradient_check_on_several_shapes) {
  for (const Shape& shape : {Shape{3, 4}, Shape{2, 2, 3}, Shape{5}}) {
    Sigmoid sigmoid;
    check_layer_gradients(sigmoid, seeded_randn(shape, 21 + shape.size()));
  }
}

BOOST_AUTO_TEST_CASE(tanh_forward_and_backward_by_hand) {
  // tanh(0) = 0;  tanh(ln 2) = (2 − 1/2)/(2 + 1/2) = 3/5;  tanh(−ln 2) = −3/5.
  Tanh tanh_layer;
  const Scalar ln2 = std::log(Scalar(2));
  const Tensor x = Tensor::from_vector({3}, {0, ln2, -ln2});
  expect_allclose(tanh_layer.forward(x), Tensor::from_vector({3}, {0, 0.6, -0.6}));
  // 1 − y² = 1, 16/25, 16/25;  dx = dout ⊙ (1 − y²) = 1·1, 5·0.64, −2·0.64
  const Tensor dout = Tensor::from_vector({3}, {1, 5, -2});
  expect_allclose(tanh_layer.backward(dout), Tensor::from_vector({3}, {1, 3.2, -1.28}));
}

BOOST_AUTO_TEST_CASE(tanh_gradient_check_and_saturation) {
  for (const Shape& shape : {Shape{3, 4}, Shape{2, 2, 3}, Shape{5}}) {
    Tanh tanh_layer;
    check_layer_gradients(tanh_layer, seeded_randn(shape, 31 + shape.size()));
  }
  Tanh tanh_layer;
  expect_allclose(tanh_layer.forward(Tensor::from_vector({2}, {-1000, 1000})), Tensor::from_vector({2}, {-1, 1}));
  expect_allclose(tanh_layer.backward(Tensor::ones({2})), Tensor::zeros({2}));  // saturated: no gradient, no NaN
}

BOOST_AUTO_TEST_CASE(layers_match_tensor_op_formulas_on_a_large_parallel_input) {
  // 300 × 1000 elements: enough for the chunked loops to run in parallel. The reference is the
  // same math written with whole-tensor ops (tensor/ops.hpp).
  const Tensor x = seeded_randn({300, 1000}, 5);
  const Tensor dout = seeded_randn({300, 1000}, 6);
  Relu relu;
  expect_allclose(relu.forward(x), maximum(x, 0), 0, 0, "relu y");
  expect_allclose(relu.backward(dout), dout * greater(x, 0), 0, 0, "relu dx");
  Sigmoid sigmoid;
  const Tensor y = 1.0 / (1.0 + exp(-x));
  expect_allclose(sigmoid.forward(x), y, scratch::test::kExactRtol, 0, "sigmoid y");
  expect_allclose(sigmoid.backward(dout), dout * y * (1.0 - y), scratch::test::kCloseRtol,
                  scratch::test::kCloseAtol, "sigmoid dx");
  Tanh tanh_layer;
  const Tensor th = tanh(x);
  expect_allclose(tanh_layer.forward(x), th, 0, 0, "tanh y");
  expect_allclose(tanh_layer.backward(dout), dout * (1.0 - th * th), scratch::test::kExactRtol,
                  scratch::test::kExactAtol, "tanh dx");
}

BOOST_AUTO_TEST_CASE(backward_checks_dout_and_order) {
  Relu relu;
  BOOST_TEST(message_of([&] { relu.backward(Tensor::ones({2})); }) ==
             "relu: backward called before forward (there is nothing cached to differentiate)");
  relu.forward(Tensor::ones({2, 2}));
  BOOST_CHECK_THROW(relu.backward(Tensor::ones({2, 3})), ShapeError);
  BOOST_TEST(message_of([&] { relu.backward(Tensor::ones({2, 3})); }) ==
             "relu: dout has shape (2, 3) but the last forward returned y of shape (2, 2) "
             "(dout is dL/dy, so it must be shaped like y)");
  Sigmoid sigmoid;
  sigmoid.forward(Tensor::ones({4}));
  BOOST_CHECK_THROW(sigmoid.backward(Tensor::ones({1, 4})), ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()

// test_clip.cpp — the global gradient norm, clipping by it, and what happens to NaN and infinity.
#include <limits>

#include "test_util.hpp"

using namespace scratch;
using scratch::test::expect_allclose;
using scratch::test::message_of;

namespace {

// A = (3, 0) and B = [[4]] as gradients: ‖g‖ = √(3² + 0² + 4²) = 5.
std::vector<ParamPtr> three_four() {
  ParamPtr a = make_param("A", Tensor::zeros({2})), b = make_param("B", Tensor::zeros({1, 1}));
  a->grad = Tensor::from_vector({2}, {3, 0});
  b->grad = Tensor::from_vector({1, 1}, {4});
  return {a, b};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(train_clip)

BOOST_AUTO_TEST_CASE(the_norm_is_one_l2_norm_over_all_gradients) {
  BOOST_TEST(grad_norm(three_four()) == 5);
  // (1, 2, 2) and (4,) → √(1 + 4 + 4 + 16) = 5 as well: the norm is not a sum of per-parameter norms (3 + 4 = 7).
  ParamPtr a = make_param("A", Tensor::zeros({3})), b = make_param("B", Tensor::zeros({1}));
  a->grad = Tensor::from_vector({3}, {1, 2, 2});
  b->grad = Tensor::from_vector({1}, {4});
  BOOST_TEST(grad_norm({a, b}) == std::sqrt(Scalar(25)));
}

BOOST_AUTO_TEST_CASE(below_or_at_the_threshold_nothing_changes) {
  auto params = three_four();
  BOOST_TEST(clip_grads(params, 10) == 5);
  BOOST_TEST(clip_grads(params, 5) == 5);  // ‖g‖ = max_norm is not "greater": no scaling
  BOOST_TEST(array_equal(params[0]->grad, Tensor::from_vector({2}, {3, 0})));
  BOOST_TEST(array_equal(params[1]->grad, Tensor::from_vector({1, 1}, {4})));
}

BOOST_AUTO_TEST_CASE(above_the_threshold_every_gradient_is_scaled_by_one_factor) {
  auto params = three_four();
  // max_norm 1: rate = 1 / (5 + 1e-6) = 0.19999996; A → (0.59999988, 0), B → 0.79999984.
  const Scalar before = clip_grads(params, 1);
  BOOST_TEST(before == 5);  // the norm *before* clipping is returned
  const Scalar rate = Scalar(1) / (Scalar(5) + Scalar(1e-6));
  expect_allclose(params[0]->grad, Tensor::from_vector({2}, {3 * rate, 0}));
  expect_allclose(params[1]->grad, Tensor::from_vector({1, 1}, {4 * rate}));
  // The direction is kept (3 : 4) and the new norm is just below max_norm.
  const Scalar after = grad_norm(params);
  BOOST_TEST(after < 1);
  BOOST_TEST(after > Scalar(0.99999));
}

BOOST_AUTO_TEST_CASE(nan_or_infinity_is_an_error_naming_the_parameter) {
  // The NumPy clip_grads computed rate = max_norm / nan, compared it with 1 (false) and let the NaN
  // gradients through to the optimizer, which then turned every weight into NaN.
  auto params = three_four();
  params[0]->grad[1] = std::numeric_limits<Scalar>::quiet_NaN();
  const std::string nan_msg = message_of<NumericalError>([&] { clip_grads(params, 1); });
  BOOST_TEST(nan_msg.find("gradient of 'A' (shape (2,)) holds nan at flat index 1") != std::string::npos, nan_msg);
  BOOST_TEST(params[1]->grad[0] == 4);  // nothing was scaled

  params = three_four();
  params[1]->grad[0] = -std::numeric_limits<Scalar>::infinity();
  const std::string inf_msg = message_of<NumericalError>([&] { grad_norm(params); });
  BOOST_TEST(inf_msg.find("gradient of 'B' (shape (1, 1)) holds -inf") != std::string::npos, inf_msg);
}

BOOST_AUTO_TEST_CASE(an_overflowing_norm_of_finite_gradients_is_reported_as_such) {
  // Three elements of max/1.5: each is finite, but ‖g‖ = max·√3/1.5 ≈ 1.15·max is not.
  ParamPtr a = make_param("A", Tensor::zeros({3}));
  a->grad = Tensor::full({3}, std::numeric_limits<Scalar>::max() / Scalar(1.5));
  const std::string msg = message_of<NumericalError>([&] { clip_grads({a}, 1); });
  BOOST_TEST(msg.find("overflowed although every element is finite") != std::string::npos, msg);
  BOOST_TEST(msg.find("'A'") != std::string::npos, msg);
}

BOOST_AUTO_TEST_CASE(max_norm_must_be_positive_and_finite) {
  auto params = three_four();
  BOOST_CHECK_THROW(clip_grads(params, 0), ValueError);
  BOOST_CHECK_THROW(clip_grads(params, -1), ValueError);
  BOOST_CHECK_THROW(clip_grads(params, std::numeric_limits<Scalar>::quiet_NaN()), ValueError);
  BOOST_CHECK_THROW(clip_grads(params, std::numeric_limits<Scalar>::infinity()), ValueError);
  BOOST_TEST(clip_grads({}, 1) == 0);  // no parameters: norm 0, nothing to do
}

BOOST_AUTO_TEST_SUITE_END()

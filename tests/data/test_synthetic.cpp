// test_synthetic.cpp — one_hot / class_indices, the argmax set's label rule and the spiral's geometry.
#include <cmath>

#include "data/data_files.hpp"

using namespace scratch;
using namespace scratch::test;

BOOST_AUTO_TEST_SUITE(data_synthetic)

BOOST_AUTO_TEST_CASE(one_hot_and_back) {
  // indices (3,) = [2, 0, 1] with 3 classes → rows e2, e0, e1.
  const Tensor t = one_hot(Tensor::from_vector({3}, {2, 0, 1}), 3);
  expect_allclose(t, Tensor::from_rows({{0, 0, 1}, {1, 0, 0}, {0, 1, 0}}));
  expect_allclose(class_indices(t), Tensor::from_vector({3}, {2, 0, 1}));
  expect_mentions(error_message<ValueError>([] {
                    one_hot(Tensor::from_vector({2}, {1, 3}), 3);
                  }),
                  "indices[1] = 3 is not a class index: indices must be whole numbers in [0, 3) for 3 classes");
  BOOST_CHECK_THROW(one_hot(Tensor::from_vector({1}, {0.5}), 3), ValueError);
  BOOST_CHECK_THROW(one_hot(Tensor::from_vector({1}, {-1}), 3), ValueError);
  BOOST_CHECK_THROW(one_hot(Tensor::zeros({2, 2}), 3), ShapeError);
  BOOST_CHECK_THROW(class_indices(Tensor::zeros({3})), ShapeError);
}

BOOST_AUTO_TEST_CASE(argmax_set_labels_follow_the_rule) {
  Rng rng(0);
  const TensorDataset data = make_argmax_set(rng);
  const Tensor& x = data.x();
  const Tensor& t = data.t();
  BOOST_TEST(shape_string(x.shape()) == "(1000, 5)");
  BOOST_TEST(shape_string(t.shape()) == "(1000, 3)");
  std::size_t per_class[3] = {0, 0, 0};
  for (std::size_t n = 0; n < 1000; ++n) {
    std::size_t best = 0;  // the row's largest feature, found with a plain loop
    for (std::size_t j = 1; j < 5; ++j)
      if (x(n, j) > x(n, best)) best = j;
    for (std::size_t c = 0; c < 3; ++c) BOOST_REQUIRE(t(n, c) == (c == best % 3 ? 1 : 0));
    ++per_class[best % 3];
  }
  // argmax is uniform over 5 columns: class 0 = {0, 3} and class 1 = {1, 4} get 2/5 each, class 2 = {2}
  // gets 1/5. With 1000 samples each share is within ±0.05 (more than 3 standard deviations).
  BOOST_TEST(std::abs(per_class[0] / 1000.0 - 0.4) < 0.05);
  BOOST_TEST(std::abs(per_class[1] / 1000.0 - 0.4) < 0.05);
  BOOST_TEST(std::abs(per_class[2] / 1000.0 - 0.2) < 0.05);
}

BOOST_AUTO_TEST_CASE(argmax_set_is_seeded_and_offers_index_labels) {
  Rng a(7), b(7), c(8);
  const TensorDataset one_hot_set = make_argmax_set(a, {20, 5, 3, LabelFormat::kOneHot});
  const TensorDataset index_set = make_argmax_set(b, {20, 5, 3, LabelFormat::kIndex});
  BOOST_TEST(array_equal(one_hot_set.x(), index_set.x()));
  BOOST_TEST(shape_string(index_set.t().shape()) == "(20,)");
  expect_allclose(index_set.t(), class_indices(one_hot_set.t()));
  BOOST_TEST(!array_equal(make_argmax_set(c, {20}).x(), one_hot_set.x()));
  // Other sizes: 4 features, 2 classes → label = argmax mod 2.
  Rng d(1);
  const TensorDataset small = make_argmax_set(d, {50, 4, 2, LabelFormat::kIndex});
  const Tensor column = small.x().argmax(1);
  for (std::size_t n = 0; n < 50; ++n) BOOST_REQUIRE(small.t()[n] == Scalar(static_cast<int>(column[n]) % 2));
  BOOST_CHECK_THROW(make_argmax_set(d, {0}), ValueError);
  BOOST_CHECK_THROW(make_argmax_set(d, {10, 5, 0}), ValueError);
}

BOOST_AUTO_TEST_CASE(spiral_without_noise_lies_on_the_arms) {
  Rng rng(1);
  const TensorDataset data = make_spiral(rng, {4, 3, 0, LabelFormat::kIndex});
  BOOST_TEST(shape_string(data.x().shape()) == "(12, 2)");
  // Arm j = 1, point i = 2 of P = 4 (row 4·1 + 2 = 6): rate 0.5, radius 0.5, θ = 4 + 2 = 6 rad,
  // x = (0.5·sin 6, 0.5·cos 6) = (-0.1397077, 0.4800851).
  BOOST_TEST(data.x()(6, 0) == Scalar(-0.13970775), boost::test_tools::tolerance(Scalar(1e-6)));
  BOOST_TEST(data.x()(6, 1) == Scalar(0.48008514), boost::test_tools::tolerance(Scalar(1e-6)));
  // The first point of each arm is the origin; labels come arm by arm.
  BOOST_TEST(data.x()(8, 0) == 0);
  expect_allclose(data.t(), Tensor::from_vector({12}, {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2}));
}

BOOST_AUTO_TEST_CASE(spiral_noise_moves_the_angle_not_the_radius) {
  Rng a(1984), b(1984);
  const TensorDataset data = make_spiral(a);  // the book's 3 arms × 100 points, noise 0.2
  BOOST_TEST(shape_string(data.x().shape()) == "(300, 2)");
  BOOST_TEST(shape_string(data.t().shape()) == "(300, 3)");
  BOOST_TEST(array_equal(data.x(), make_spiral(b).x()));
  const Scalar tol = kScalarIsFloat ? Scalar(1e-6) : Scalar(1e-12);
  Scalar moved = 0;
  for (std::size_t j = 0; j < 3; ++j) {
    for (std::size_t i = 0; i < 100; ++i) {
      const std::size_t n = 100 * j + i;
      const Scalar radius = std::hypot(data.x()(n, 0), data.x()(n, 1));
      BOOST_REQUIRE(std::abs(radius - Scalar(i) / 100) <= tol);
      BOOST_REQUIRE(data.t()(n, j) == 1);
      const Scalar clean = Scalar(4 * j) + Scalar(4 * i) / 100;
      moved += std::abs(data.x()(n, 0) - radius * std::sin(clean));
    }
  }
  BOOST_TEST(moved > 1);  // the noise is really there
  BOOST_CHECK_THROW(make_spiral(a, {0}), ValueError);
  BOOST_CHECK_THROW(make_spiral(a, {10, 3, -0.1}), ValueError);
}

BOOST_AUTO_TEST_SUITE_END()

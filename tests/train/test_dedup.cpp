// test_dedup.cpp — remove_duplicates merges shared parameters by identity (DESIGN.md §3).
#include "test_util.hpp"
#include "train/toy_models.hpp"

using namespace scratch;
using scratch::test::expect_allclose;

BOOST_AUTO_TEST_SUITE(train_dedup)

BOOST_AUTO_TEST_CASE(a_parameter_shared_by_two_layers_gets_the_sum) {
  // Two CBOW context layers share W_in: W.grad = dW(layer 1) + dW(layer 2).
  ParamPtr W = make_param("W_in", Tensor::zeros({2, 2}));
  ParamPtr b = make_param("b", Tensor::zeros({2}));
  const Tensor g1 = Tensor::from_rows({{1, 2}, {3, 4}}), g2 = Tensor::from_rows({{10, 20}, {30, 40}});
  const Tensor gb = Tensor::from_vector({2}, {5, 6});
  const std::vector<ParamPtr> distinct = remove_duplicates({{W, &g1}, {b, &gb}, {W, &g2}});
  BOOST_REQUIRE(distinct.size() == 2u);
  BOOST_TEST(distinct[0] == W);  // in order of first use
  BOOST_TEST(distinct[1] == b);
  // (1+10, 2+20; 3+30, 4+40)
  expect_allclose(W->grad, Tensor::from_rows({{11, 22}, {33, 44}}));
  expect_allclose(b->grad, gb);
}

BOOST_AUTO_TEST_CASE(a_tied_transpose_adds_the_transposed_gradient) {
  // W (2, 3) encodes; the decoder uses Wᵀ (3, 2) and reports dWᵀ of shape (3, 2).
  ParamPtr W = make_param("W", Tensor::zeros({2, 3}));
  const Tensor direct = Tensor::from_rows({{1, 2, 3}, {4, 5, 6}});
  const Tensor transposed = Tensor::from_rows({{10, 40}, {20, 50}, {30, 60}});
  const std::vector<ParamPtr> distinct = remove_duplicates({{W, &direct, Use::kDirect}, {W, &transposed, Use::kTransposed}});
  BOOST_REQUIRE(distinct.size() == 1u);
  // direct + transposedᵀ = (1+10, 2+20, 3+30; 4+40, 5+50, 6+60)
  expect_allclose(W->grad, Tensor::from_rows({{11, 22, 33}, {44, 55, 66}}));
}

BOOST_AUTO_TEST_CASE(the_tied_total_is_the_true_gradient_of_the_loss) {
  // The merged gradient of a tied autoencoder equals the numerical derivative of its loss in W.
  scratch::test::TiedAutoencoder model(4, 3, 11);
  const Tensor x = scratch::test::seeded_randn({5, 4}, 12);
  model.forward(x, x);
  model.backward();
  const std::vector<ParamPtr> distinct = remove_duplicates(model.params());
  BOOST_REQUIRE(distinct.size() == 1u);
  const Tensor backprop = distinct[0]->grad;
  const Tensor numerical = numerical_gradient([&](const Tensor&) { return model.forward(x, x); }, model.W_->value);
  const GradientComparison c = compare_gradient("W", backprop, numerical, scratch::test::kGradTolerance);
  BOOST_CHECK_MESSAGE(c.pass, "tied W: max relative error " << c.max_rel_error);
  // Either use alone is not the gradient: the sum matters.
  const GradientComparison encoder_only = compare_gradient("W", model.dW_, numerical, scratch::test::kGradTolerance);
  BOOST_TEST(!encoder_only.pass);
}

BOOST_AUTO_TEST_CASE(look_alike_parameters_are_never_merged) {
  // The NumPy original merged two parameters when one equalled the other's transpose *by value*:
  // two zero-initialised matrices of shapes (2, 3) and (3, 2) became one, and the second layer's
  // gradient was added to the first layer's weight.
  ParamPtr A = make_param("A", Tensor::zeros({2, 3}));
  ParamPtr B = make_param("B", Tensor::zeros({3, 2}));
  ParamPtr C = make_param("C", Tensor::zeros({2, 3}));  // equal to A in value and shape
  const Tensor ga = Tensor::full({2, 3}, 1), gb = Tensor::full({3, 2}, 2), gc = Tensor::full({2, 3}, 3);
  const std::vector<ParamPtr> distinct = remove_duplicates({{A, &ga}, {B, &gb}, {C, &gc}});
  BOOST_REQUIRE(distinct.size() == 3u);
  BOOST_TEST(array_equal(A->grad, ga));
  BOOST_TEST(array_equal(B->grad, gb));
  BOOST_TEST(array_equal(C->grad, gc));
}

BOOST_AUTO_TEST_CASE(each_call_starts_from_zero) {
  ParamPtr W = make_param("W", Tensor::zeros({2}));
  const Tensor g = Tensor::from_vector({2}, {1, -1});
  remove_duplicates({{W, &g}, {W, &g}});
  remove_duplicates({{W, &g}, {W, &g}});  // the second step must not add to the first one's total
  BOOST_TEST(W->grad[0] == 2);
  BOOST_TEST(W->grad[1] == -2);
}

BOOST_AUTO_TEST_CASE(an_optimizer_then_updates_each_parameter_once_per_step) {
  // W (2, 2) is used twice directly and once transposed; b once. With SGD(lr = 1):
  //   W ← W − (g1 + g2 + g3ᵀ),  b ← b − gb
  ParamPtr W = make_param("W", Tensor::from_rows({{1, 1}, {1, 1}}));
  ParamPtr b = make_param("b", Tensor::from_vector({2}, {0, 0}));
  const Tensor g1 = Tensor::from_rows({{1, 0}, {0, 0}}), g2 = Tensor::from_rows({{0, 1}, {0, 0}});
  const Tensor g3 = Tensor::from_rows({{0, 0}, {1, 0}});  // transposed: lands on W(0, 1)
  const Tensor gb = Tensor::from_vector({2}, {1, 2});
  const std::vector<ParamUse> uses = {{W, &g1}, {b, &gb}, {W, &g2}, {W, &g3, Use::kTransposed}};
  SGD sgd(1);
  // The raw list names W three times: the optimizer refuses to step it three times.
  std::vector<ParamPtr> raw;
  for (const ParamUse& u : uses) raw.push_back(u.param);
  for (const ParamUse& u : uses) u.param->grad = *u.grad;  // shapes fit except g3's transpose, still (2, 2)
  BOOST_CHECK_THROW(sgd.update(raw), ValueError);
  sgd.update(remove_duplicates(uses));
  // W.grad = (1, 0; 0, 0) + (0, 1; 0, 0) + (0, 1; 0, 0) = (1, 2; 0, 0) → W = (0, −1; 1, 1)
  expect_allclose(W->value, Tensor::from_rows({{0, -1}, {1, 1}}));
  expect_allclose(b->value, Tensor::from_vector({2}, {-1, -2}));
}

BOOST_AUTO_TEST_CASE(gradients_that_do_not_fit_are_shape_errors) {
  ParamPtr W = make_param("W", Tensor::zeros({2, 3}));
  const Tensor wrong = Tensor::zeros({3, 2}), right = Tensor::zeros({2, 3});
  try {
    remove_duplicates({{W, &wrong}});
    BOOST_ERROR("no ShapeError");
  } catch (const ShapeError& e) {
    BOOST_TEST(std::string(e.what()) ==
               "remove_duplicates: gradient of W has shape (3, 2) but the parameter has shape (2, 3)");
  }
  BOOST_CHECK_THROW(remove_duplicates({{W, &right, Use::kTransposed}}), ShapeError);
  ParamPtr v = make_param("v", Tensor::zeros({3}));
  const Tensor gv = Tensor::zeros({3});
  BOOST_CHECK_THROW(remove_duplicates({{v, &gv, Use::kTransposed}}), ShapeError);  // a vector has no transpose
  BOOST_CHECK_THROW(remove_duplicates({{W, nullptr}}), ValueError);
  BOOST_CHECK_THROW(remove_duplicates({{nullptr, &right}}), ValueError);
}

BOOST_AUTO_TEST_SUITE_END()

// test_sequential.cpp — Sequential, TwoLayerNet, accuracy, and shared/tied weights end to end.
#include <cmath>

#include "layers/activations.hpp"
#include "layers/affine.hpp"
#include "layers/softmax.hpp"
#include "models/sequential.hpp"
#include "models/two_layer_net.hpp"
#include "test_util.hpp"

using namespace scratch;
using scratch::test::expect_allclose;

BOOST_AUTO_TEST_SUITE(models_sequential)

BOOST_AUTO_TEST_CASE(two_layer_net_forward_by_hand) {
  // x = [1, 2]; a1 = x·W1 = [1·1 + 2·0.5, 1·(−1) + 2·2] = [2, 3]; relu keeps both;
  // scores = a1·I = [2, 3]; p(class 1) = e³/(e² + e³) = 1/(1 + e⁻¹); loss = log(1 + e⁻¹) = 0.3132617
  TwoLayerNet net(Tensor::from_rows({{1, -1}, {0.5, 2}}), Tensor::from_rows({{1, 0}, {0, 1}}));
  const Tensor x = Tensor::from_rows({{1, 2}});
  expect_allclose(net.predict(x), Tensor::from_rows({{2, 3}}));
  const Scalar loss = net.loss(x, Tensor::from_vector({1}, {1}));
  BOOST_TEST(loss == std::log(1 + std::exp(Scalar(-1))), boost::test_tools::tolerance(test::kCloseRtol));
  // one-hot labels give the same loss
  BOOST_TEST(net.loss(x, Tensor::from_rows({{0, 1}})) == loss, boost::test_tools::tolerance(test::kExactRtol));
  BOOST_TEST(net.summary() == "Affine → Relu → Affine → SoftmaxWithLoss");
}

BOOST_AUTO_TEST_CASE(no_relu_after_the_output_layer) {
  // A seed put a ReLU after the last Affine, zeroing negative scores. Scores must stay negative here.
  TwoLayerNet net(Tensor::from_rows({{1}}), Tensor::from_rows({{-1, -2}}));
  const Tensor scores = net.predict(Tensor::from_rows({{3}}));
  expect_allclose(scores, Tensor::from_rows({{-3, -6}}));
}

BOOST_AUTO_TEST_CASE(two_layer_net_gradient_matches_numerical) {
  Rng rng(11);
  TwoLayerNet net(6, 5, 4, Scalar(0.5), rng);
  // Keep the first 3 of 20 random rows whose hidden pre-activations a = x·W1 + b1 all stay 10h
  // from ReLU's kink: a finite-difference step then never crosses it (h is 1e-2 in float builds).
  const Tensor candidates = Tensor::randn({20, 6}, rng);
  const Tensor a = net.layers().front()->forward(candidates);
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < 20 && rows.size() < 3; ++i)
    if (abs(a.slice_rows(i, i + 1)).min() > 10 * default_gradient_step()) rows.push_back(i);
  BOOST_TEST_REQUIRE(rows.size() == 3u);
  const Tensor x = candidates.take_rows(rows, 0, 3);
  const Tensor t = Tensor::from_vector({3}, {0, 3, 1});
  const GradientReport report = gradient_check(net, x, t, test::kGradTolerance);
  std::ostringstream table;
  table << report;
  BOOST_TEST(report.rows.size() == 4u);
  BOOST_TEST(report.pass(), table.str());
}

BOOST_AUTO_TEST_CASE(gradient_returns_distinct_params_with_their_grads) {
  Rng rng(3);
  TwoLayerNet net(4, 3, 2, Scalar(0.1), rng);
  const auto params = gradient(net, Tensor::randn({5, 4}, rng), Tensor::from_vector({5}, {0, 1, 1, 0, 1}));
  BOOST_TEST(params.size() == 4u);
  BOOST_TEST(params[0] == net.W1());
  BOOST_TEST(params[3] == net.b2());
  for (const auto& p : params) BOOST_TEST(p->grad.shape() == p->value.shape());
  // db2 = Σ_n (y − t)/N sums to 0 over classes, because each row of y − t sums to 0
  BOOST_TEST(std::abs(net.b2()->grad.sum()) < 1e-6);
}

BOOST_AUTO_TEST_CASE(single_sample_is_a_batch_of_one) {
  // A seed fed a 1-d sample where a batch was expected. A (D,) sample must give the same loss as (1, D).
  Rng rng(5);
  TwoLayerNet net(5, 4, 3, Scalar(0.3), rng);
  const Tensor x = Tensor::randn({5}, rng);
  const Scalar as_vector = net.loss(x, Tensor::from_vector({1}, {2}));
  const Scalar as_batch = net.loss(x.reshape({1, 5}), Tensor::from_vector({1}, {2}));
  BOOST_TEST(as_vector == as_batch, boost::test_tools::tolerance(test::kExactRtol));
}

BOOST_AUTO_TEST_CASE(shared_weight_gradient_is_the_sum_of_its_uses) {
  // Two Affine layers use the same W (4, 4). remove_duplicates' total must equal the numerical
  // gradient of the loss with respect to W — the chain rule through both uses.
  Rng rng(21);
  const ParamPtr W = make_param("W", Tensor::randn({4, 4}, rng) * Scalar(0.5));
  Sequential net;
  net.add(std::make_unique<Affine>(W, make_param("b1", Tensor::randn({4}, rng))));
  net.add(std::make_unique<Sigmoid>());
  net.add(std::make_unique<Affine>(W, make_param("b2", Tensor::randn({4}, rng))));
  net.set_loss(std::make_unique<SoftmaxWithLoss>());
  const Tensor x = Tensor::randn({3, 4}, rng), t = Tensor::from_vector({3}, {0, 2, 3});
  BOOST_TEST(net.params().size() == 4u);  // W appears twice
  const GradientReport report = gradient_check(net, x, t, test::kGradTolerance);
  std::ostringstream table;
  table << report;
  BOOST_TEST(report.rows.size() == 3u);  // W, b1, b2
  BOOST_TEST(report.pass(), table.str());
}

BOOST_AUTO_TEST_CASE(tied_transposed_weight_gradient_matches_numerical) {
  // Encoder x·W + b1 with W (6, 3), decoder h·Wᵀ + b2 — the tied autoencoder's shape.
  Rng rng(8);
  const ParamPtr W = make_param("W", Tensor::randn({6, 3}, rng) * Scalar(0.5));
  Sequential net;
  net.add(std::make_unique<Affine>(W, make_param("b1", Tensor::zeros({3}))));
  net.add(std::make_unique<Sigmoid>());
  net.add(std::make_unique<Affine>(W, make_param("b2", Tensor::randn({6}, rng)), Use::kTransposed));
  net.set_loss(std::make_unique<SoftmaxWithLoss>());
  const Tensor x = Tensor::randn({4, 6}, rng), t = Tensor::from_vector({4}, {5, 0, 2, 2});
  const GradientReport report = gradient_check(net, x, t, test::kGradTolerance);
  std::ostringstream table;
  table << report;
  BOOST_TEST(report.pass(), table.str());
}

BOOST_AUTO_TEST_CASE(accuracy_compares_predictions_with_labels) {
  // Row 0 predicts class 1 (label 1: right), row 1 predicts class 0 (label 1: wrong) → 1/2.
  const Tensor scores = Tensor::from_rows({{0.1, 0.9}, {0.8, 0.2}});
  BOOST_TEST(accuracy_of(scores, Tensor::from_vector({2}, {1, 1})) == 0.5);
  BOOST_TEST(accuracy_of(scores, Tensor::from_rows({{0, 1}, {0, 1}})) == 0.5);
  // A seed compared argmax(t) with argmax(t), which always gives 1: here every prediction is wrong.
  BOOST_TEST(accuracy_of(scores, Tensor::from_vector({2}, {0, 1})) == 0.0);
  BOOST_CHECK_THROW(accuracy_of(scores, Tensor::from_vector({3}, {0, 1, 1})), ShapeError);
  BOOST_CHECK_THROW(accuracy_of(scores, Tensor::zeros({2, 3})), ShapeError);
}

BOOST_AUTO_TEST_CASE(dataset_accuracy_equals_tensor_accuracy) {
  Rng rng(4);
  TwoLayerNet net(3, 4, 3, Scalar(1), rng);
  const Tensor x = Tensor::randn({25, 3}, rng);
  const Tensor t = x.argmax(1);
  const Scalar direct = net.accuracy(x, t);
  const TensorDataset data(x, t);
  BOOST_TEST(net.accuracy(data, 7) == direct, boost::test_tools::tolerance(test::kExactRtol));
  BOOST_CHECK_THROW(net.accuracy(data, 0), ValueError);
}

BOOST_AUTO_TEST_CASE(missing_pieces_are_reported) {
  Sequential empty;
  BOOST_CHECK_THROW(empty.predict(Tensor::zeros({1, 2})), ValueError);
  TwoLayerNet net(Tensor::zeros({2, 2}), Tensor::zeros({2, 2}));
  BOOST_CHECK_THROW(TwoLayerNet(Tensor::zeros({2, 3}), Tensor::zeros({2, 2})), ShapeError);
  Sequential no_loss;
  no_loss.add(std::make_unique<Relu>());
  BOOST_CHECK_THROW(no_loss.loss(Tensor::zeros({1, 2}), Tensor::zeros({1})), ValueError);
}

BOOST_AUTO_TEST_CASE(initial_weights_are_drawn_w1_first_on_every_compiler) {
  // W1 takes the first 6·5 normals of the engine and W2 the next 5·4; drawing both inside one
  // call's arguments left the order to the compiler (GCC drew W2 first, clang W1).
  Rng net_rng(17), reference(17);
  const TwoLayerNet net(6, 5, 4, Scalar(0.5), net_rng);
  const Tensor W1 = Tensor::randn({6, 5}, reference) * Scalar(0.5);
  const Tensor W2 = Tensor::randn({5, 4}, reference) * Scalar(0.5);
  BOOST_TEST(array_equal(net.W1()->value, W1));
  BOOST_TEST(array_equal(net.W2()->value, W2));
}

BOOST_AUTO_TEST_SUITE_END()

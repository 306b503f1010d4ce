// test_autoencoder.cpp — the tied-weight Autoencoder: a forward pass by hand, the gradient check in
// which only the SUM of the encoder's dW and the decoder's (dWᵀ)ᵀ matches the numerical gradient,
// the four uses of three parameters, and training with the Trainer and clipping.
#include <cmath>

#include "test_util.hpp"

using namespace scratch;
using scratch::test::expect_allclose;
using scratch::test::kGradTolerance;
using scratch::test::seeded_randn;

BOOST_AUTO_TEST_SUITE(models_autoencoder)

BOOST_AUTO_TEST_CASE(forward_by_hand) {
  // D = 2 pixels, H = 1 unit, W = [[0], [2 ln 3]], b1 = b2 = 0, x = t = [[1, 0]].
  //   h  = σ(x·W) = σ(1·0 + 0·2 ln 3) = σ(0) = ½
  //   s  = h·Wᵀ   = ½ · (0, 2 ln 3) = (0, ln 3)      x̂ = σ(s) = (½, ¾)
  //   loss = −log ½ − log(1 − ¾) = ln 2 + ln 4 = 3 ln 2 ≈ 2.0794
  const Scalar ln3 = std::log(Scalar(3));
  Autoencoder model(Tensor::from_rows({{0}, {2 * ln3}}));
  const Tensor x = Tensor::from_rows({{1, 0}});
  expect_allclose(model.encode(x), Tensor::from_rows({{0.5}}));
  expect_allclose(model.reconstruct(x), Tensor::from_rows({{0.5, 0.75}}));
  BOOST_TEST(model.forward(x, x) == 3 * std::log(Scalar(2)), boost::test_tools::tolerance(scratch::test::kCloseRtol));
}

BOOST_AUTO_TEST_CASE(params_report_w_twice_one_use_transposed) {
  Autoencoder model(seeded_randn({6, 3}, 1));
  Rng rng(2);
  const Tensor x = Tensor::rand({4, 6}, rng);
  model.forward(x, x);
  model.backward();
  const std::vector<ParamUse> uses = model.params();
  BOOST_REQUIRE(uses.size() == 4u);
  BOOST_TEST((uses[0].param == model.W() && uses[0].use == Use::kDirect));
  BOOST_TEST((uses[1].param == model.b1()));
  BOOST_TEST((uses[2].param == model.W() && uses[2].use == Use::kTransposed));
  BOOST_TEST((uses[3].param == model.b2()));
  BOOST_TEST((uses[0].grad->shape() == Shape{6, 3}));  // the encoder's dW: W's shape (D, H)
  BOOST_TEST((uses[2].grad->shape() == Shape{3, 6}));  // the decoder's dWᵀ: (H, D)
  BOOST_TEST(remove_duplicates(uses).size() == 3u);
}

BOOST_AUTO_TEST_CASE(tied_gradient_is_the_sum_of_both_uses) {
  // D = 6, H = 3, N = 4 grey-level images that are their own targets.
  Autoencoder model(seeded_randn({6, 3}, 3));
  model.b1()->value = seeded_randn({3}, 4) * Scalar(0.5);
  model.b2()->value = seeded_randn({6}, 5) * Scalar(0.5);
  Rng rng(6);
  const Tensor x = Tensor::rand({4, 6}, rng);
  model.forward(x, x);
  model.backward();
  const Tensor encoder_share = model.encoder_dW();               // (D, H)
  const Tensor decoder_share = model.decoder_dWt().transpose();  // (H, D) → (D, H)
  remove_duplicates(model.params());

  const auto loss = [&](const Tensor&) { return model.forward(x, x); };
  const Tensor numerical_W = numerical_gradient(loss, model.W()->value);
  GradientReport report;
  report.tolerance = kGradTolerance;
  report.rows.push_back(compare_gradient("W (sum)", model.W()->grad, numerical_W, kGradTolerance));
  report.rows.push_back(
      compare_gradient("b1", model.b1()->grad, numerical_gradient(loss, model.b1()->value), kGradTolerance));
  report.rows.push_back(
      compare_gradient("b2", model.b2()->grad, numerical_gradient(loss, model.b2()->value), kGradTolerance));
  std::ostringstream table;
  table << report;
  BOOST_TEST(report.pass(), "Autoencoder gradient check:\n" << table.str());

  // Either share alone misses the other path through W; only their sum is the gradient.
  expect_allclose(model.W()->grad, encoder_share + decoder_share, scratch::test::kExactRtol, scratch::test::kExactAtol,
                  "W.grad = dW + (dWᵀ)ᵀ");
  BOOST_TEST(!compare_gradient("W (decoder only)", decoder_share, numerical_W, kGradTolerance).pass);
  BOOST_TEST(!compare_gradient("W (encoder only)", encoder_share, numerical_W, kGradTolerance).pass);
}

BOOST_AUTO_TEST_CASE(trainer_with_clipping_reduces_the_reconstruction_loss) {
  // 40 random binary 8-pixel patterns, H = 4; max_grad small enough that the first steps are clipped.
  Rng rng(7);
  Tensor x = Tensor::rand({40, 8}, rng);
  for (Scalar& v : x) v = v < Scalar(0.5) ? 0 : 1;
  const TensorDataset data(x, x);
  const InputsAsTargets images(data);
  Autoencoder model(8, 4, rng);
  Adam adam(Scalar(0.01));
  Trainer trainer(model, adam, rng);
  trainer.set_log(nullptr);
  trainer.fit(images, 60, 10, Scalar(0.5), 0);
  const TrainerStats& stats = trainer.stats();
  BOOST_TEST(stats.param_uses == 4u);
  BOOST_TEST(stats.distinct_params == 3u);
  BOOST_TEST(trainer.iterations() == 240u);
  BOOST_TEST(stats.clipped_updates > 0u);
  BOOST_TEST(stats.max_grad_norm > Scalar(0.5));
  BOOST_TEST(trainer.history().back().loss < Scalar(0.8) * trainer.history().points().front().loss);
}

BOOST_AUTO_TEST_CASE(bad_shapes_are_rejected) {
  BOOST_CHECK_THROW(Autoencoder(Tensor::zeros({6})), ShapeError);
  Autoencoder model(seeded_randn({6, 3}, 8));
  BOOST_CHECK_THROW(model.forward(Tensor::zeros({2, 5}), Tensor::zeros({2, 5})), ShapeError);  // 5 ≠ D = 6
  BOOST_CHECK_THROW(model.forward(Tensor::zeros({2, 6}), Tensor::zeros({2, 5})), ShapeError);  // t ≠ x̂'s shape
}

BOOST_AUTO_TEST_SUITE_END()

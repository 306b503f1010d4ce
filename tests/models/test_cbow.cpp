// test_cbow.cpp — SimpleCBOW: the forward pass by hand, gradient checks of the shared W_in and of
// W_out, W_in listed once per use and merged by remove_duplicates, errors, and training.
#include <cmath>
#include <functional>

#include "test_util.hpp"

using namespace scratch;
using scratch::test::contains;
using scratch::test::expect_allclose;
using scratch::test::kGradTolerance;
using scratch::test::message_of;
using scratch::test::seeded_randn;

namespace {

// V = 6 words, H = 3, five (contexts, target) pairs; the weights are large enough that the
// gradients are not tiny. Word 2 appears in both context columns, so both uses of W_in matter.
struct Example {
  SimpleCBOW model{seeded_randn({6, 3}, 1), seeded_randn({3, 6}, 2)};
  Tensor contexts = Tensor::from_rows({{0, 2}, {2, 3}, {1, 5}, {4, 2}, {2, 2}});
  Tensor target = Tensor::from_vector({5}, {1, 4, 0, 3, 5});
};

}  // namespace

BOOST_AUTO_TEST_SUITE(models_cbow)

BOOST_AUTO_TEST_CASE(forward_by_hand) {
  // V = 3 words, H = 2.  W_in = [[1, 0], [0, 1], [1, 1]],  W_out = [[1, 0, 0], [0, 1, 0]].
  // Sample 0: contexts (0, 2) → h = ½((1, 0) + (1, 1)) = (1, ½);  s = h·W_out = (1, ½, 0);  target 0
  //           loss₀ = log(e¹ + e^½ + e⁰) − 1 ≈ 0.68026
  // Sample 1: contexts (1, 1) → h = ½((0, 1) + (0, 1)) = (0, 1);  s = (0, 1, 0);  target 2
  //           loss₁ = log(1 + e + 1) − 0 ≈ 1.55144
  // loss = (loss₀ + loss₁)/2 ≈ 1.11585
  SimpleCBOW model(Tensor::from_rows({{1, 0}, {0, 1}, {1, 1}}), Tensor::from_rows({{1, 0, 0}, {0, 1, 0}}));
  const Tensor contexts = Tensor::from_rows({{0, 2}, {1, 1}});
  expect_allclose(model.predict(contexts), Tensor::from_rows({{1, 0.5, 0}, {0, 1, 0}}));
  const Scalar e = std::exp(Scalar(1));
  const Scalar loss0 = std::log(e + std::sqrt(e) + 1) - 1, loss1 = std::log(e + 2);
  const Scalar loss = model.forward(contexts, Tensor::from_vector({2}, {0, 2}));
  BOOST_TEST(loss == (loss0 + loss1) / 2, boost::test_tools::tolerance(scratch::test::kCloseRtol));
  // The same labels one-hot give the same loss.
  BOOST_TEST(model.forward(contexts, Tensor::from_rows({{1, 0, 0}, {0, 0, 1}})) == loss,
             boost::test_tools::tolerance(scratch::test::kCloseRtol));
}

BOOST_AUTO_TEST_CASE(params_list_w_in_once_per_use_and_remove_duplicates_merges_them) {
  Example ex;
  ex.model.forward(ex.contexts, ex.target);
  ex.model.backward();
  const std::vector<ParamUse> uses = ex.model.params();
  BOOST_REQUIRE(uses.size() == 3u);
  BOOST_TEST((uses[0].param == ex.model.W_in()));
  BOOST_TEST((uses[1].param == ex.model.W_in()));  // the same Param object, not a copy
  BOOST_TEST((uses[2].param == ex.model.W_out()));
  BOOST_TEST(uses[0].grad != uses[1].grad);  // each context layer keeps its own dW_in
  const Tensor first = *uses[0].grad, second = *uses[1].grad;

  const std::vector<ParamPtr> distinct = remove_duplicates(uses);
  BOOST_REQUIRE(distinct.size() == 2u);
  BOOST_TEST((distinct[0] == ex.model.W_in()));
  BOOST_TEST((distinct[1] == ex.model.W_out()));
  expect_allclose(ex.model.W_in()->grad, first + second, scratch::test::kExactRtol, scratch::test::kExactAtol,
                  "W_in.grad = first layer's dW_in + second layer's");
}

BOOST_AUTO_TEST_CASE(gradient_check_of_shared_w_in_and_of_w_out) {
  Example ex;
  ex.model.forward(ex.contexts, ex.target);
  ex.model.backward();
  const std::vector<ParamUse> uses = ex.model.params();
  const Tensor first_share = *uses[0].grad, second_share = *uses[1].grad;
  remove_duplicates(uses);

  const auto loss = [&](const Tensor&) { return ex.model.forward(ex.contexts, ex.target); };
  const Tensor numerical_in = numerical_gradient(loss, ex.model.W_in()->value);
  const Tensor numerical_out = numerical_gradient(loss, ex.model.W_out()->value);

  GradientReport report;
  report.tolerance = kGradTolerance;
  report.rows.push_back(compare_gradient("W_in (sum)", ex.model.W_in()->grad, numerical_in, kGradTolerance));
  report.rows.push_back(compare_gradient("W_out", ex.model.W_out()->grad, numerical_out, kGradTolerance));
  std::ostringstream table;
  table << report;
  BOOST_TEST(report.pass(), "SimpleCBOW gradient check:\n" << table.str());

  // One context layer's share alone is not W_in's gradient: it misses the other use.
  BOOST_TEST(!compare_gradient("W_in (first use)", first_share, numerical_in, kGradTolerance).pass);
  BOOST_TEST(!compare_gradient("W_in (second use)", second_share, numerical_in, kGradTolerance).pass);
}

BOOST_AUTO_TEST_CASE(bad_contexts_are_rejected_with_a_message) {
  SimpleCBOW model(Tensor::zeros({3, 2}), Tensor::zeros({2, 3}));
  const Tensor t = Tensor::from_vector({1}, {0});
  const std::string shape = message_of([&] { model.forward(Tensor::from_rows({{0, 1, 2}}), t); });
  BOOST_TEST(contains(shape, "contexts has shape (1, 3) but must be (N, 2)"), shape);
  BOOST_CHECK_THROW(model.forward(Tensor::from_vector({2}, {0, 1}), t), ShapeError);
  const std::string id = message_of([&] { model.forward(Tensor::from_rows({{0, 3}}), t); });
  BOOST_TEST(contains(id, "contexts[0, 1] = 3 is not a class index: indices must be whole numbers in [0, 3) (word ids of a vocabulary of 3 words)"), id);
  BOOST_CHECK_THROW(model.forward(Tensor::from_rows({{0.5, 1}}), t), ValueError);
  BOOST_CHECK_THROW(model.forward(Tensor::from_rows({{-1, 1}}), t), ValueError);
  BOOST_CHECK_THROW(model.forward(Tensor::from_rows({{0, 1}}), Tensor::from_vector({1}, {3})), ValueError);
  BOOST_CHECK_THROW(SimpleCBOW(Tensor::zeros({3, 2}), Tensor::zeros({2, 4})), ShapeError);
  BOOST_CHECK_THROW(SimpleCBOW(Tensor::zeros({3, 2}), Tensor::zeros({3, 3})), ShapeError);
}

BOOST_AUTO_TEST_CASE(trainer_learns_the_books_sentence) {
  // "You say goodbye and I say hello.": 6 pairs. The loss starts at log 7 ≈ 1.95 (uniform guesses
  // over 7 words) and can fall to (log 2)/3 ≈ 0.23: CBOW averages its two context vectors, so it
  // cannot tell (say, and) → goodbye from (and, say) → i.
  const Corpus corpus = preprocess(kBookSentence);
  const ContextsTarget data = create_contexts_target(corpus, 1);
  Rng rng(1);
  SimpleCBOW model(corpus.vocab_size(), 5, rng);
  Adam adam;
  Trainer trainer(model, adam, rng);
  trainer.set_log(nullptr);
  trainer.fit(data.contexts, data.target, 1000, 3, 0, 0);
  BOOST_TEST(trainer.history().points().front().loss > Scalar(1.9));
  BOOST_TEST(trainer.history().back().loss < Scalar(1.0));
  BOOST_TEST(trainer.stats().param_uses == 3u);
  BOOST_TEST(trainer.stats().distinct_params == 2u);
  // The scores now pick the right word for the four unambiguous pairs; the two pairs with the
  // same bag of contexts get exactly the same scores (rows 1 and 3).
  const Tensor scores = model.predict(data.contexts);
  const Tensor predicted = scores.argmax(1);
  for (std::size_t n : {0, 2, 4, 5}) BOOST_TEST(predicted[n] == data.target[n], "pair " << n);
  expect_allclose(scores.slice_rows(1, 2), scores.slice_rows(3, 4), scratch::test::kExactRtol,
                  scratch::test::kExactAtol, "scores of (say, and) and (and, say)");
}

BOOST_AUTO_TEST_CASE(initial_weights_are_drawn_w_in_first_on_every_compiler) {
  Rng model_rng(23), reference(23);
  const SimpleCBOW model(7, 3, model_rng);
  const Tensor W_in = Tensor::randn({7, 3}, reference) * Scalar(0.01);
  const Tensor W_out = Tensor::randn({3, 7}, reference) * Scalar(0.01);
  BOOST_TEST(array_equal(model.W_in()->value, W_in));
  BOOST_TEST(array_equal(model.W_out()->value, W_out));
}

BOOST_AUTO_TEST_SUITE_END()

// test_affine.cpp — Affine and MatMul: hand-computed values, gradient checks of x, W and b (direct
// and transposed uses), shared weights through remove_duplicates, the naive twin, errors.
#include <functional>

#include "test_util.hpp"

using namespace scratch;
using scratch::test::check_layer_gradients;
using scratch::test::expect_allclose;
using scratch::test::kCloseAtol;
using scratch::test::kCloseRtol;
using scratch::test::seeded_randn;
using scratch::test::message_of;

namespace {

ParamPtr random_param(const std::string& name, const Shape& shape, std::uint64_t seed) {
  return make_param(name, seeded_randn(shape, seed));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(layers_affine)

BOOST_AUTO_TEST_CASE(affine_forward_and_backward_by_hand) {
  // x = [[1, 2, 3], [4, 5, 6]], W = [[1, 0], [0, 1], [1, 1]], b = [10, 20]
  // x·W = [[1 + 3, 2 + 3], [4 + 6, 5 + 6]] = [[4, 5], [10, 11]];  + b = [[14, 25], [20, 31]]
  auto W = make_param("W", Tensor::from_rows({{1, 0}, {0, 1}, {1, 1}}));
  auto b = make_param("b", Tensor::from_vector({2}, {10, 20}));
  Affine affine(W, b);
  const Tensor x = Tensor::from_rows({{1, 2, 3}, {4, 5, 6}});
  expect_allclose(affine.forward(x), Tensor::from_rows({{14, 25}, {20, 31}}));
  // dout = I:  dx = dout·Wᵀ = Wᵀ = [[1, 0, 1], [0, 1, 1]];  dW = xᵀ·dout = xᵀ;  db = Σ_n dout = [1, 1]
  const Tensor dx = affine.backward(Tensor::from_rows({{1, 0}, {0, 1}}));
  expect_allclose(dx, Tensor::from_rows({{1, 0, 1}, {0, 1, 1}}));
  const auto uses = affine.params();
  BOOST_REQUIRE(uses.size() == 2u);
  BOOST_TEST(uses[0].param == W);
  BOOST_TEST((uses[0].use == Use::kDirect));
  expect_allclose(*uses[0].grad, Tensor::from_rows({{1, 4}, {2, 5}, {3, 6}}), 0, 0, "dW");
  BOOST_TEST(uses[1].param == b);
  expect_allclose(*uses[1].grad, Tensor::from_vector({2}, {1, 1}), 0, 0, "db");
  // Neither pass touched the parameters.
  expect_allclose(W->value, Tensor::from_rows({{1, 0}, {0, 1}, {1, 1}}), 0, 0, "W");
}

BOOST_AUTO_TEST_CASE(matmul_forward_by_hand_in_both_uses) {
  // W = [[1, 2], [3, 4]];  x = [[1, 1]]:  x·W = [[1 + 3, 2 + 4]] = [[4, 6]];  x·Wᵀ = [[1 + 2, 3 + 4]] = [[3, 7]]
  auto W = make_param("W", Tensor::from_rows({{1, 2}, {3, 4}}));
  MatMul direct(W), tied(W, Use::kTransposed);
  const Tensor x = Tensor::from_rows({{1, 1}});
  expect_allclose(direct.forward(x), Tensor::from_rows({{4, 6}}));
  expect_allclose(tied.forward(x), Tensor::from_rows({{3, 7}}));
  // dout = [[1, 0]]:  direct dx = dout·Wᵀ = row 0 of Wᵀ = column 0 of W = [1, 3];
  // tied dx = dout·W = row 0 of W = [1, 2];  both dW = xᵀ·dout = [[1, 0], [1, 0]]
  const Tensor dout = Tensor::from_rows({{1, 0}});
  expect_allclose(direct.backward(dout), Tensor::from_rows({{1, 3}}));
  expect_allclose(tied.backward(dout), Tensor::from_rows({{1, 2}}));
  expect_allclose(*tied.params()[0].grad, Tensor::from_rows({{1, 0}, {1, 0}}));
  BOOST_TEST((tied.params()[0].use == Use::kTransposed));
}

BOOST_AUTO_TEST_CASE(gradient_check_of_x_W_and_b) {
  const Tensor x = seeded_randn({4, 5}, 1);
  Affine direct(random_param("W", {5, 3}, 2), random_param("b", {3}, 3));
  check_layer_gradients(direct, x);
  Affine tied(random_param("W", {3, 5}, 4), random_param("b", {3}, 5), Use::kTransposed);
  check_layer_gradients(tied, x);
  MatMul matmul(random_param("W", {5, 2}, 6));
  check_layer_gradients(matmul, x);
  MatMul matmul_tied(random_param("W", {2, 5}, 7), Use::kTransposed);
  check_layer_gradients(matmul_tied, x);
}

BOOST_AUTO_TEST_CASE(n_dimensional_x_is_flattened_per_sample) {
  // x (2, 3, 4): each sample is 12 features. y (2, 5); dx comes back (2, 3, 4).
  auto W = random_param("W", {12, 5}, 8);
  auto b = random_param("b", {5}, 9);
  Affine affine(W, b), flat(W, b);
  const Tensor x = seeded_randn({2, 3, 4}, 10);
  const Tensor dout = seeded_randn({2, 5}, 11);
  expect_allclose(affine.forward(x), flat.forward(x.reshape({2, 12})));
  const Tensor dx = affine.backward(dout);
  BOOST_TEST(shape_string(dx.shape()) == "(2, 3, 4)");
  expect_allclose(dx, flat.backward(dout).reshape({2, 3, 4}));
  expect_allclose(*affine.params()[0].grad, *flat.params()[0].grad);
  Affine checked(W, b);
  check_layer_gradients(checked, x);
}

BOOST_AUTO_TEST_CASE(one_dimensional_x_is_one_sample) {
  // x (4,) → y (3,), dx (4,): the same numbers as the batch of one (1, 4).
  auto W = random_param("W", {4, 3}, 12);
  auto b = random_param("b", {3}, 13);
  Affine single(W, b), batch(W, b);
  const Tensor x = seeded_randn({4}, 14);
  const Tensor y = single.forward(x);
  BOOST_TEST(shape_string(y.shape()) == "(3,)");
  expect_allclose(y, batch.forward(x.reshape({1, 4})).reshape({3}));
  const Tensor dout = seeded_randn({3}, 15);
  const Tensor dx = single.backward(dout);
  BOOST_TEST(shape_string(dx.shape()) == "(4,)");
  expect_allclose(dx, batch.backward(dout.reshape({1, 3})).reshape({4}));
  expect_allclose(*single.params()[0].grad, *batch.params()[0].grad);
  expect_allclose(*single.params()[1].grad, *batch.params()[1].grad);
  Affine checked(W, b);
  check_layer_gradients(checked, x);
}

BOOST_AUTO_TEST_CASE(input_grad_skip_returns_empty_and_still_writes_parameter_gradients) {
  auto W = random_param("W", {6, 4}, 16);
  auto b = random_param("b", {4}, 17);
  Affine full(W, b), first(W, b);
  first.set_input_grad(InputGrad::kSkip);
  const Tensor x = seeded_randn({3, 6}, 18), dout = seeded_randn({3, 4}, 19);
  full.forward(x);
  first.forward(x);
  BOOST_TEST(full.backward(dout).size() == 18u);
  BOOST_TEST(first.backward(dout).empty());
  expect_allclose(*first.params()[0].grad, *full.params()[0].grad, 0, 0, "dW");
  expect_allclose(*first.params()[1].grad, *full.params()[1].grad, 0, 0, "db");
  check_layer_gradients(first, x);  // checks W and b only
  MatMul matmul(W);
  matmul.set_input_grad(InputGrad::kSkip);
  matmul.forward(x);
  BOOST_TEST(matmul.backward(dout).empty());
  expect_allclose(*matmul.params()[0].grad, *full.params()[0].grad, 0, 0, "MatMul dW");
}

BOOST_AUTO_TEST_CASE(transposed_use_equals_an_explicit_transposed_copy) {
  // MatMul(W, kTransposed) must compute exactly what MatMul(Wᵀ as its own matrix) computes; its dW
  // is the gradient of that Wᵀ, in Wᵀ's shape (param.hpp).
  auto W = random_param("W", {3, 5}, 20);
  auto Wt = make_param("Wt", W->value.transpose());
  MatMul tied(W, Use::kTransposed), copy(Wt);
  const Tensor x = seeded_randn({4, 5}, 21), dout = seeded_randn({4, 3}, 22);
  expect_allclose(tied.forward(x), copy.forward(x));
  expect_allclose(tied.backward(dout), copy.backward(dout));
  BOOST_TEST(shape_string(tied.params()[0].grad->shape()) == "(5, 3)");
  expect_allclose(*tied.params()[0].grad, *copy.params()[0].grad);
  // remove_duplicates turns the use's (5, 3) gradient into W's (3, 5) one.
  remove_duplicates(tied.params());
  expect_allclose(W->grad, copy.params()[0].grad->transpose());
}

BOOST_AUTO_TEST_CASE(tied_autoencoder_gradient_through_remove_duplicates) {
  // x (3, 6) → Affine(W, b1) → Sigmoid → Affine(W used transposed, b2) → y (3, 6), L = Σ y ⊙ dout.
  // W receives two gradients, one per use; their sum (the second transposed back) must be dL/dW.
  auto W = random_param("W", {6, 4}, 23);
  auto b1 = random_param("b1", {4}, 24);
  auto b2 = random_param("b2", {6}, 25);
  Affine encoder(W, b1), decoder(W, b2, Use::kTransposed);
  Sigmoid sigmoid;
  const Tensor x = seeded_randn({3, 6}, 26), dout = seeded_randn({3, 6}, 27);
  auto loss = [&] { return (decoder.forward(sigmoid.forward(encoder.forward(x))) * dout).sum(); };
  loss();
  encoder.backward(sigmoid.backward(decoder.backward(dout)));
  std::vector<ParamUse> uses = encoder.params();
  for (const ParamUse& use : decoder.params()) uses.push_back(use);
  const auto distinct = remove_duplicates(uses);
  BOOST_TEST(distinct.size() == 3u);  // W, b1, b2: W counted once
  const Tensor numerical = numerical_gradient([&](const Tensor&) { return loss(); }, W->value);
  const GradientComparison c = compare_gradient("W", W->grad, numerical, scratch::test::kGradTolerance);
  BOOST_TEST(c.pass, "tied W: max rel error " << c.max_rel_error);
}

BOOST_AUTO_TEST_CASE(two_matmul_layers_sharing_one_W_sum_their_gradients) {
  // CBOW's context layers: h = (x0·W + x1·W) / 2; L = Σ h ⊙ dout.
  auto W = random_param("W_in", {7, 3}, 28);
  MatMul in0(W), in1(W);
  const Tensor x0 = seeded_randn({2, 7}, 29), x1 = seeded_randn({2, 7}, 30), dout = seeded_randn({2, 3}, 31);
  auto loss = [&] { return ((in0.forward(x0) + in1.forward(x1)) * 0.5 * dout).sum(); };
  loss();
  in0.backward(dout * 0.5);
  in1.backward(dout * 0.5);
  std::vector<ParamUse> uses = in0.params();
  uses.push_back(in1.params()[0]);
  BOOST_TEST(remove_duplicates(uses).size() == 1u);
  expect_allclose(W->grad, *in0.params()[0].grad + *in1.params()[0].grad);
  const Tensor numerical = numerical_gradient([&](const Tensor&) { return loss(); }, W->value);
  BOOST_TEST(compare_gradient("W_in", W->grad, numerical, scratch::test::kGradTolerance).pass);
}

BOOST_AUTO_TEST_CASE(forward_and_backward_match_matmul_naive_formulas) {
  // Awkward shapes (1×1, a single row, a single feature, primes) and one large enough for the
  // parallel kernel: (N, D, M).
  const std::vector<Shape> shapes = {{1, 1, 1}, {1, 7, 3}, {5, 1, 4}, {13, 17, 11}, {37, 53, 29}, {64, 300, 100}};
  std::uint64_t seed = 100;
  for (const Shape& s : shapes) {
    const std::size_t n = s[0], d = s[1], m = s[2];
    const Tensor x = seeded_randn({n, d}, ++seed), dout = seeded_randn({n, m}, ++seed);
    auto b = random_param("b", {m}, ++seed);
    for (Use use : {Use::kDirect, Use::kTransposed}) {
      const bool direct = use == Use::kDirect;
      auto W = random_param("W", direct ? Shape{d, m} : Shape{m, d}, ++seed);
      const Transpose tw = direct ? Transpose::kNo : Transpose::kYes;
      const Transpose tw_back = direct ? Transpose::kYes : Transpose::kNo;
      Affine affine(W, b, use);
      const std::string what = shape_string(s) + (direct ? " direct" : " transposed");
      const Tensor y = affine.forward(x);
      BOOST_TEST(shape_string(y.shape()) == shape_string({n, m}));
      expect_allclose(y, matmul_naive(x, W->value, Transpose::kNo, tw) + b->value, kCloseRtol,
                      kCloseAtol, what + " y");
      expect_allclose(affine.backward(dout), matmul_naive(dout, W->value, Transpose::kNo, tw_back), kCloseRtol,
                      kCloseAtol, what + " dx");
      expect_allclose(*affine.params()[0].grad, matmul_naive(x, dout, Transpose::kYes, Transpose::kNo), kCloseRtol,
                      kCloseAtol, what + " dW");
      expect_allclose(*affine.params()[1].grad, dout.sum(0), kCloseRtol, kCloseAtol, what + " db");
    }
  }
}

BOOST_AUTO_TEST_CASE(steady_state_training_reuses_memory) {
  // dW and db are overwritten in place, and after the first steps every other buffer comes from
  // the storage cache: repeated forward/backward with the same shapes allocates nothing new.
  Affine affine(random_param("W", {50, 20}, 40), random_param("b", {20}, 41));
  const Tensor x = seeded_randn({32, 50}, 42), dout = seeded_randn({32, 20}, 43);
  const Scalar* dW = affine.params()[0].grad->data();
  const Scalar* db = affine.params()[1].grad->data();
  for (int step = 0; step < 3; ++step) affine.backward(affine.forward(x) * 0 + dout);
  const std::size_t fresh = storage_stats().fresh_allocations;
  for (int step = 0; step < 5; ++step) affine.backward(affine.forward(x) * 0 + dout);
  BOOST_TEST(storage_stats().fresh_allocations == fresh);
  BOOST_TEST(affine.params()[0].grad->data() == dW);
  BOOST_TEST(affine.params()[1].grad->data() == db);
}

BOOST_AUTO_TEST_CASE(errors_name_the_shapes) {
  auto W = make_param("W1", Tensor::zeros({784, 100}));
  auto b = make_param("b1", Tensor::zeros({100}));
  Affine affine(W, b);
  BOOST_TEST(message_of([&] { affine.forward(Tensor::zeros({100, 783})); }) ==
             "affine: x has shape (100, 783) but W expects 784 input features");
  BOOST_CHECK_THROW(affine.forward(Tensor::zeros({100, 783})), ShapeError);
  BOOST_TEST(message_of([&] { affine.forward(Tensor::zeros({2, 1, 28, 27})); }) ==
             "affine: x has shape (2, 1, 28, 27), i.e. 756 features per sample, but W expects 784 input features");
  Affine tied(make_param("W", Tensor::zeros({100, 784})), b, Use::kTransposed);
  BOOST_TEST(message_of([&] { tied.forward(Tensor::zeros({3, 783})); }) ==
             "affine: x has shape (3, 783) but W expects 784 input features (W has shape (100, 784) and is used "
             "transposed)");
  BOOST_TEST(message_of([&] { Affine(W, make_param("b", Tensor::zeros({10}))); }) ==
             "affine: b (b) has shape (10,) but W has shape (784, 100), which gives 100 output features: b must be "
             "(100,)");
  BOOST_CHECK_THROW(Affine(make_param("W", Tensor::zeros({4})), b), ShapeError);
  BOOST_CHECK_THROW(Affine(nullptr, b), ValueError);
  BOOST_CHECK_THROW(affine.forward(Tensor::scalar(1)), ShapeError);
  BOOST_CHECK_THROW(affine.backward(Tensor::zeros({2, 100})), ValueError);  // before any forward
  affine.forward(Tensor::zeros({2, 784}));
  BOOST_CHECK_THROW(affine.backward(Tensor::zeros({3, 100})), ShapeError);
  MatMul matmul(make_param("W", Tensor::zeros({4, 2})));
  BOOST_TEST(message_of([&] { matmul.forward(Tensor::zeros({2, 3})); }) ==
             "matmul layer: x has shape (2, 3) but W expects 4 input features");
}

BOOST_AUTO_TEST_SUITE_END()

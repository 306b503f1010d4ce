// test_multi_layer_net.cpp — MultiLayerNet: layout and summary, a forward by hand, gradients of every
// parameter, He/Xavier initial statistics, and copying weights between nets.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "models/multi_layer_net.hpp"
#include "test_util.hpp"

using namespace scratch;
using scratch::test::expect_allclose;

namespace {

// Mean square of every activation output (after each Relu/Sigmoid) for a forward of x.
std::vector<Scalar> activation_mean_squares(MultiLayerNet& net, const Tensor& x) {
  std::vector<Scalar> mean_squares;
  Tensor a = x;
  for (const auto& layer : net.layers()) {
    a = layer->forward(a);
    if (layer->name() != "Affine") mean_squares.push_back((a * a).mean());
  }
  return mean_squares;
}

// The smallest |z| over every pre-activation z that feeds a Relu, for a forward of x. A numerical
// gradient is wrong wherever a ±h nudge of a weight carries some z across ReLU's kink at 0.
Scalar min_distance_to_kink(MultiLayerNet& net, const Tensor& x) {
  Scalar nearest = INFINITY;
  Tensor a = x;
  for (const auto& layer : net.layers()) {
    if (layer->name() == "Relu") nearest = std::min(nearest, abs(a).min());
    a = layer->forward(a);
  }
  return nearest;
}

// Throws E, and its message contains `part`.
template <class E, class F>
void expect_error(F&& f, const std::string& part) {
  try {
    f();
    BOOST_ERROR("expected an exception mentioning '" << part << "'");
  } catch (const E& e) {
    BOOST_TEST(std::string(e.what()).find(part) != std::string::npos, "message: " << e.what());
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(models_multi_layer_net)

BOOST_AUTO_TEST_CASE(the_chapter_5_net_has_the_books_layout) {
  Rng rng(1);
  MultiLayerNet net(784, {100, 100, 100, 100}, 10, {}, rng);
  BOOST_TEST(net.summary() ==
             "Affine → Relu → Affine → Relu → Affine → Relu → Affine → Relu → Affine → SoftmaxWithLoss");
  BOOST_TEST(net.sizes() == (std::vector<std::size_t>{784, 100, 100, 100, 100, 10}));
  // W1 (784, 100), W2..W4 (100, 100), W5 (100, 10); b_l has W_l's column count.
  const std::vector<Shape> w_shapes{{784, 100}, {100, 100}, {100, 100}, {100, 100}, {100, 10}};
  BOOST_TEST(net.weights().size() == 5u);
  for (std::size_t l = 0; l < 5; ++l) {
    BOOST_TEST(net.weights()[l]->value.shape() == w_shapes[l]);
    BOOST_TEST(net.biases()[l]->value.shape() == (Shape{w_shapes[l][1]}));
    BOOST_TEST(net.weights()[l]->name == "W" + std::to_string(l + 1));
  }
  // 784·100 + 100 = 78500;  3 · (100·100 + 100) = 30300;  100·10 + 10 = 1010;  total 109810
  BOOST_TEST(net.parameter_count() == 109810u);
  BOOST_TEST(net.architecture() ==
             "784 → 100 → 100 → 100 → 100 → 10, Relu, He init (std √(2/fan_in)), 109810 parameters");
  // parameters() is W1, b1, …, W5, b5 — the order remove_duplicates returns the gradients in.
  const std::vector<ParamPtr> params = net.parameters();
  BOOST_TEST(params.size() == 10u);
  BOOST_TEST(params[0] == net.weights()[0]);
  BOOST_TEST(params[9] == net.biases()[4]);
}

BOOST_AUTO_TEST_CASE(no_hidden_layer_is_softmax_regression) {
  Rng rng(2);
  MultiLayerNet net(3, {}, 2, {}, rng);
  BOOST_TEST(net.summary() == "Affine → SoftmaxWithLoss");
  BOOST_TEST(net.parameter_count() == 8u);  // 3·2 + 2
}

BOOST_AUTO_TEST_CASE(forward_by_hand) {
  // 2 → 2 → 2 → 2, x = [1, −2], label 1.
  //   z1 = x·W1 + b1 = [1·1 + (−2)·0.5 + 0.5, 1·(−1) + (−2)·1 + 0.5] = [0.5, −2.5]  → relu [0.5, 0]
  //   z2 = a1·W2 + b2 = [0.5·2 + 0·7 + 0, 0.5·(−4) + 0·1 + 1]     = [1, −1]       → relu [1, 0]
  //   scores = a2·W3 + b3 = [1·1 + 0·5 + 0, 1·0 + 0·5 + 0.5]      = [1, 0.5]
  //   loss = −log(e^0.5 / (e^1 + e^0.5)) = log(1 + e^0.5) = 0.974077
  // W2's 7 and W3's 5 meet a unit the ReLU switched off, so they must not matter.
  Rng rng(3);
  MultiLayerNet net(2, {2, 2}, 2, {}, rng);
  net.weights()[0]->value = Tensor::from_rows({{1, -1}, {0.5, 1}});
  net.biases()[0]->value = Tensor::from_vector({2}, {0.5, 0.5});
  net.weights()[1]->value = Tensor::from_rows({{2, -4}, {7, 1}});
  net.biases()[1]->value = Tensor::from_vector({2}, {0, 1});
  net.weights()[2]->value = Tensor::from_rows({{1, 0}, {5, 5}});
  net.biases()[2]->value = Tensor::from_vector({2}, {0, 0.5});
  const Tensor x = Tensor::from_rows({{1, -2}});
  expect_allclose(net.predict(x), Tensor::from_rows({{1, 0.5}}));
  BOOST_TEST(net.loss(x, Tensor::from_vector({1}, {1})) == std::log(1 + std::exp(Scalar(0.5))),
             boost::test_tools::tolerance(test::kCloseRtol));
}

BOOST_AUTO_TEST_CASE(gradient_of_every_parameter_matches_numerical) {
  // Three hidden layers, so the gradient passes through three activations and four Affines. For
  // Relu the batch is redrawn until every pre-activation is 10 finite-difference steps from the
  // kink (h = 1e-2 in the float build makes a crossing likely otherwise).
  for (const Activation activation : {Activation::kRelu, Activation::kSigmoid}) {
    Rng rng(17);
    MultiLayerNetOptions options;
    options.activation = activation;
    options.init = activation == Activation::kRelu ? WeightInit::kHe : WeightInit::kXavier;
    MultiLayerNet net(5, {4, 6, 3}, 3, options, rng);
    for (const ParamPtr& b : net.biases()) b->value = Tensor::randn(b->value.shape(), rng) * Scalar(0.1);
    Tensor x = Tensor::randn({4, 5}, rng);
    for (int draw = 0; activation == Activation::kRelu && draw < 1000; ++draw) {
      if (min_distance_to_kink(net, x) > 10 * default_gradient_step()) break;
      x = Tensor::randn({4, 5}, rng);
    }
    if (activation == Activation::kRelu) BOOST_REQUIRE(min_distance_to_kink(net, x) > 10 * default_gradient_step());
    const Tensor t = Tensor::from_vector({4}, {0, 2, 1, 2});
    const GradientReport report = gradient_check(net, x, t, test::kGradTolerance);
    std::ostringstream table;
    table << report;
    BOOST_TEST(report.rows.size() == 8u);  // W1 b1 … W4 b4
    BOOST_TEST(report.rows[7].name == "b4");
    BOOST_TEST(report.pass(), net.architecture() << "\n" << table.str());
  }
}

BOOST_AUTO_TEST_CASE(init_std_formulas) {
  // He: √(2/784) = 0.0505076;  Xavier: √(1/100) = 0.1;  kFixed returns its number.
  BOOST_TEST(weight_init_std(WeightInit::kHe, 784) == Scalar(0.0505076272276105),
             boost::test_tools::tolerance(test::kExactRtol));
  BOOST_TEST(weight_init_std(WeightInit::kXavier, 100) == Scalar(0.1), boost::test_tools::tolerance(test::kExactRtol));
  BOOST_TEST(weight_init_std(WeightInit::kFixed, 100, Scalar(0.01)) == Scalar(0.01));
  expect_error<ValueError>([] { weight_init_std(WeightInit::kHe, 0); }, "fan_in is 0");
  expect_error<ValueError>([] { weight_init_std(WeightInit::kFixed, 3, Scalar(-1)); }, "finite std >= 0");
}

BOOST_AUTO_TEST_CASE(he_init_statistics) {
  // Each W_l is std_l·N(0, 1) with std_l = √(2/fan_in): 0.0505 for W1 (784 rows), 0.1414 for the
  // others. A sample std of n normals is off by about std/√(2n), a mean by std/√n; allow 4 of those.
  Rng rng(2024);
  MultiLayerNet net(784, {100, 100, 100, 100}, 10, {}, rng);
  for (const ParamPtr& W : net.weights()) {
    const Scalar n = static_cast<Scalar>(W->value.size());
    const Scalar expected_std = std::sqrt(Scalar(2) / static_cast<Scalar>(W->value.shape()[0]));
    const Scalar mean = W->value.mean();
    const Scalar std = std::sqrt(((W->value - mean) * (W->value - mean)).mean());
    BOOST_TEST(std::abs(mean) < 4 * expected_std / std::sqrt(n), W->name << " mean " << mean);
    BOOST_TEST(std::abs(std / expected_std - 1) < 4 / std::sqrt(2 * n),
               W->name << " std " << std << " vs " << expected_std);
  }
  for (const ParamPtr& b : net.biases()) BOOST_TEST((b->value.max() == 0 && b->value.min() == 0), b->name);
}

BOOST_AUTO_TEST_CASE(he_init_keeps_the_signal_through_depth) {
  // E[a²] after layer l is n·Var(W)/2 times that after layer l−1: 1 with He init (the point of √(2/n)),
  // 100·0.01²/2 = 0.005 with the book's fixed std 0.01, so five layers shrink it by 0.005⁴ ≈ 6e-10.
  Rng rng(9);
  const Tensor x = Tensor::randn({200, 100}, rng);
  MultiLayerNet he(100, {100, 100, 100, 100, 100}, 10, {}, rng);
  const std::vector<Scalar> he_ms = activation_mean_squares(he, x);
  BOOST_TEST(he_ms.size() == 5u);
  BOOST_TEST(he_ms.back() / he_ms.front() > 0.5);
  BOOST_TEST(he_ms.back() / he_ms.front() < 2.0);

  MultiLayerNetOptions small;
  small.init = WeightInit::kFixed;
  small.fixed_std = Scalar(0.01);
  MultiLayerNet tiny(100, {100, 100, 100, 100, 100}, 10, small, rng);
  const std::vector<Scalar> tiny_ms = activation_mean_squares(tiny, x);
  BOOST_TEST(tiny_ms.back() / tiny_ms.front() < 1e-6);
}

BOOST_AUTO_TEST_CASE(copy_weights_from_copies_values_not_identities) {
  Rng rng_a(1), rng_b(2);
  MultiLayerNet a(6, {5, 4}, 3, {}, rng_a);
  MultiLayerNet b(6, {5, 4}, 3, {}, rng_b);
  for (const ParamPtr& bias : a.biases()) bias->value.fill(Scalar(0.25));
  const Tensor x = Tensor::randn({3, 6}, rng_a), t = Tensor::from_vector({3}, {2, 0, 1});
  BOOST_TEST(a.loss(x, t) != b.loss(x, t));
  b.copy_weights_from(a);
  const std::vector<ParamPtr> pa = a.parameters(), pb = b.parameters();
  for (std::size_t i = 0; i < pa.size(); ++i) {
    BOOST_TEST(array_equal(pa[i]->value, pb[i]->value), pa[i]->name);
    BOOST_TEST(pa[i] != pb[i]);  // still two separate Params
  }
  BOOST_TEST(a.loss(x, t) == b.loss(x, t));
  // Training b must leave a alone.
  SGD sgd(Scalar(0.1));
  sgd.update(gradient(b, x, t));
  BOOST_TEST(!array_equal(a.weights()[0]->value, b.weights()[0]->value));
  BOOST_TEST(a.biases()[0]->value.max() == Scalar(0.25));
}

BOOST_AUTO_TEST_CASE(bad_sizes_are_reported) {
  expect_error<ValueError>([] { MultiLayerNet(4, {3, 0}, 2); }, "hidden_sizes[1] is 0 in 4 → 3 → 0 → 2");
  expect_error<ValueError>([] { MultiLayerNet(0, {3}, 2); }, "input_size is 0");
  expect_error<ValueError>([] { MultiLayerNet(4, {3}, 0); }, "output_size is 0");
  Rng rng(4);
  MultiLayerNet a(4, {3}, 2, {}, rng), b(4, {5}, 2, {}, rng);
  expect_error<ShapeError>([&] { a.copy_weights_from(b); }, "this net is 4 → 3 → 2 but the other is 4 → 5 → 2");
}

// ---- the book's MultiLayerNetExtend: batch norm, dropout, weight decay ----

BOOST_AUTO_TEST_CASE(extended_layout_and_parameters) {
  Rng rng(30);
  MultiLayerNetOptions options;
  options.batch_norm = true;
  options.dropout_ratio = Scalar(0.15);
  options.weight_decay_lambda = Scalar(0.1);
  MultiLayerNet net(6, {5, 4}, 3, options, rng);
  BOOST_TEST(net.summary() == "Affine → BatchNorm → Relu → Dropout → Affine → BatchNorm → Relu → Dropout → Affine → "
                              "SoftmaxWithLoss");
  // W1 b1 γ1 β1 W2 b2 γ2 β2 W3 b3: 6·5 + 5 + 5 + 5 + 5·4 + 4 + 4 + 4 + 4·3 + 3 = 92
  const std::vector<ParamPtr> params = net.parameters();
  BOOST_TEST(params.size() == 10u);
  BOOST_TEST(params[2]->name == "gamma1");
  BOOST_TEST(params[3]->name == "beta1");
  BOOST_TEST(net.parameter_count() == 92u);
  BOOST_TEST(net.architecture() == "6 → 5 → 4 → 3, Relu, He init (std √(2/fan_in)), 92 parameters, BatchNorm, "
                                   "Dropout 0.15, weight decay λ 0.1");
  // remove_duplicates returns the parameters in the same order.
  const std::vector<ParamPtr> merged = gradient(net, Tensor::randn({4, 6}, rng), Tensor::from_vector({4}, {0, 1, 2, 0}));
  BOOST_REQUIRE(merged.size() == params.size());
  for (std::size_t i = 0; i < params.size(); ++i) BOOST_TEST(merged[i] == params[i]);
  // The running statistics are the net's buffers (so checkpoints save them).
  const std::vector<Buffer> buffers = net.buffers();
  BOOST_REQUIRE(buffers.size() == 4u);
  BOOST_TEST(buffers[0].name == "BatchNorm2/running_mean");
  BOOST_TEST(buffers[3].name == "BatchNorm6/running_var");
}

BOOST_AUTO_TEST_CASE(weights_do_not_depend_on_the_extensions) {
  // The options add layers and an engine for the masks, but W1 … are the same draws.
  Rng a(31), b(31);
  MultiLayerNetOptions options;
  options.batch_norm = true;
  options.dropout_ratio = Scalar(0.5);
  MultiLayerNet plain(4, {3, 3}, 2, {}, a), extended(4, {3, 3}, 2, options, b);
  for (std::size_t l = 0; l < 3; ++l) expect_allclose(extended.weights()[l]->value, plain.weights()[l]->value, 0, 0);
}

BOOST_AUTO_TEST_CASE(weight_decay_adds_half_lambda_w_squared_and_lambda_w) {
  // Two nets with the same weights, λ = 0 and λ = 0.3: the losses differ by ½·0.3·Σ‖W‖², the
  // weight gradients by 0.3·W, and the bias gradients not at all.
  Rng a(32), b(32);
  MultiLayerNetOptions decay;
  decay.weight_decay_lambda = Scalar(0.3);
  MultiLayerNet plain(3, {4}, 2, {}, a), decayed(3, {4}, 2, decay, b);
  const Tensor x = Tensor::from_rows({{1, -2, 0.5}, {0.3, 0.8, -1}}), t = Tensor::from_vector({2}, {1, 0});
  Scalar squares = 0;
  for (const ParamPtr& W : plain.weights()) squares += (W->value * W->value).sum();
  BOOST_TEST(decayed.weight_decay_loss() == Scalar(0.15) * squares, boost::test_tools::tolerance(test::kExactRtol));
  BOOST_TEST(decayed.loss(x, t) == plain.loss(x, t) + Scalar(0.15) * squares,
             boost::test_tools::tolerance(test::kExactRtol));
  const std::vector<ParamPtr> g0 = gradient(plain, x, t);
  std::vector<Tensor> grads0;
  for (const ParamPtr& p : g0) grads0.push_back(p->grad);
  const std::vector<ParamPtr> g1 = gradient(decayed, x, t);
  expect_allclose(g1[0]->grad, grads0[0] + plain.weights()[0]->value * Scalar(0.3), test::kExactRtol, test::kExactAtol, "W1");
  expect_allclose(g1[1]->grad, grads0[1], 0, 0, "b1");
  expect_allclose(g1[2]->grad, grads0[2] + plain.weights()[1]->value * Scalar(0.3), test::kExactRtol, test::kExactAtol, "W2");
  expect_allclose(g1[3]->grad, grads0[3], 0, 0, "b2");
  // The Affine layers' own dW are untouched: only params() reports the decayed gradient.
  expect_allclose(*decayed.layers()[0]->params()[0].grad, grads0[0], test::kExactRtol, test::kExactAtol, "Affine's dW1");
}

BOOST_AUTO_TEST_CASE(batch_norm_dropout_and_weight_decay_pass_the_gradient_check) {
  // Tanh keeps the check away from ReLU's kink (BN centres the pre-activations on 0, right at it).
  // The masks are fixed (kReuseLast) so that every finite-difference forward computes one function.
  for (const Activation activation : {Activation::kTanh, Activation::kSigmoid}) {
    Rng rng(33);
    MultiLayerNetOptions options;
    options.activation = activation;
    options.init = WeightInit::kXavier;
    options.batch_norm = true;
    options.dropout_ratio = Scalar(0.2);
    options.weight_decay_lambda = Scalar(0.1);
    MultiLayerNet net(5, {6, 4}, 3, options, rng);
    for (const ParamPtr& p : net.parameters())
      if (p->name[0] != 'W') p->value += Tensor::randn(p->value.shape(), rng) * Scalar(0.3);  // b, γ, β off 0 and 1
    net.set_dropout_masks(DropoutMask::kReuseLast);
    const Tensor x = Tensor::randn({5, 5}, rng), t = Tensor::from_vector({5}, {0, 2, 1, 2, 0});
    const GradientReport report = gradient_check(net, x, t, test::kGradTolerance);
    std::ostringstream table;
    table << report;
    BOOST_TEST(report.rows.size() == 10u);  // W1 b1 γ1 β1 W2 b2 γ2 β2 W3 b3
    // b1 and b2 feed a BatchNorm, which subtracts the batch mean: they cannot change the loss, so
    // their true gradient is exactly 0 and both estimates are rounding noise (a relative error of
    // noise against noise means nothing). Check that both are ~0 instead; every other row must pass.
    for (const GradientComparison& row : report.rows) {
      if (row.name == "b1" || row.name == "b2") {
        const Scalar noise = kScalarIsFloat ? Scalar(1e-3) : Scalar(1e-10);  // float: h = 1e-2, ε = 1e-7
        BOOST_TEST(row.max_abs_diff < noise, row.name << ": " << table.str());
        BOOST_TEST(abs(net.biases()[row.name == "b1" ? 0 : 1]->grad).max() < noise, row.name << ": backprop's gradient");
      } else {
        BOOST_TEST(row.pass, net.architecture() << "\n" << table.str());
      }
    }
    BOOST_TEST_MESSAGE(net.architecture() << "\n" << table.str());
  }
}

BOOST_AUTO_TEST_CASE(predict_is_inference_mode_and_training_moves_the_running_statistics) {
  Rng rng(34);
  MultiLayerNetOptions options;
  options.batch_norm = true;
  options.dropout_ratio = Scalar(0.5);
  MultiLayerNet net(4, {8}, 3, options, rng);
  const Tensor x = Tensor::randn({6, 4}, rng), t = Tensor::from_vector({6}, {0, 1, 2, 0, 1, 2});
  const Tensor mean_before = *net.buffers()[0].value;
  // predict: the same scores twice (no mask drawn), running statistics untouched.
  const Tensor p1 = net.predict(x), p2 = net.predict(x);
  expect_allclose(p1, p2, 0, 0, "two predictions");
  expect_allclose(*net.buffers()[0].value, mean_before, 0, 0, "running mean after predict");
  BOOST_TEST((net.mode() == Mode::kTrain));
  // A training forward moves them.
  net.forward(x, t);
  BOOST_TEST((*net.buffers()[0].value - mean_before).max() - (*net.buffers()[0].value - mean_before).min() > 0);
}

BOOST_AUTO_TEST_CASE(extended_options_are_checked) {
  MultiLayerNetOptions options;
  options.weight_decay_lambda = Scalar(-0.1);
  expect_error<ValueError>([&] { MultiLayerNet net(3, {2}, 2, options); },
                           "weight_decay_lambda is -0.1; it must be finite and >= 0");
  options.weight_decay_lambda = 0;
  options.dropout_ratio = 1;
  expect_error<ValueError>([&] { MultiLayerNet net(3, {2}, 2, options); }, "dropout_ratio is 1; it must be in [0, 1)");
  Rng rng(35);
  MultiLayerNetOptions bn;
  bn.batch_norm = true;
  MultiLayerNet a(3, {2}, 2, {}, rng), b(3, {2}, 2, bn, rng);
  expect_error<ValueError>([&] { a.copy_weights_from(b); }, "one net has batch norm and the other not");
}

BOOST_AUTO_TEST_CASE(extended_training_is_the_same_on_one_and_two_threads) {
  // Sized so that the products and elementwise loops really split on 2 threads.
  std::vector<Scalar> losses[2];
  const int before = max_threads();
  for (int threads = 1; threads <= 2; ++threads) {
    set_threads(threads);
    Rng rng(36);
    MultiLayerNetOptions options;
    options.batch_norm = true;
    options.dropout_ratio = Scalar(0.2);
    options.weight_decay_lambda = Scalar(0.01);
    MultiLayerNet net(400, {300, 300}, 10, options, rng);
    SGD sgd(Scalar(0.1));
    const Tensor x = Tensor::randn({256, 400}, rng);
    Tensor t = Tensor::zeros({256});
    for (std::size_t i = 0; i < 256; ++i) t[i] = static_cast<Scalar>(rng.below(10));
    for (int step = 0; step < 3; ++step) {
      losses[threads - 1].push_back(net.forward(x, t));
      net.backward();
      sgd.update(remove_duplicates(net.params()));
    }
    losses[threads - 1].push_back(net.accuracy(x, t));
  }
  set_threads(before);
  for (std::size_t i = 0; i < losses[0].size(); ++i) BOOST_TEST(losses[0][i] == losses[1][i]);
}

BOOST_AUTO_TEST_CASE(checkpoints_keep_the_running_statistics) {
  Rng rng(37);
  MultiLayerNetOptions options;
  options.batch_norm = true;
  MultiLayerNet net(4, {5}, 3, options, rng);
  const Tensor x = Tensor::randn({6, 4}, rng), t = Tensor::from_vector({6}, {0, 1, 2, 0, 1, 2});
  net.forward(x, t);  // moves the running statistics away from 0 and 1
  const Tensor mean = *net.buffers()[0].value, var = *net.buffers()[1].value;
  SGD sgd(Scalar(0.1));
  test::TempDir dir;
  save_checkpoint(dir / "bn.ckpt", net, sgd);
  net.forward(x * Scalar(3), t);
  BOOST_TEST((*net.buffers()[0].value - mean).max() - (*net.buffers()[0].value - mean).min() > 0);
  load_checkpoint(dir / "bn.ckpt", net, sgd);
  expect_allclose(*net.buffers()[0].value, mean, 0, 0, "running_mean");
  expect_allclose(*net.buffers()[1].value, var, 0, 0, "running_var");
}

BOOST_AUTO_TEST_SUITE_END()

// test_layer_contract.cpp — what the Layer and LossLayer bases promise every layer (layers/layer.hpp):
// forward before backward (also after a forward that threw), dout checked against y, dx in x's
// shape, (N, D) views of 1-d and N-d inputs, parameter uses and their gradients, InputGrad::kSkip,
// and the mode and buffers a model hands to its layers.
#include <fstream>

#include "test_util.hpp"

using namespace scratch;
using scratch::test::check_layer_gradients;
using scratch::test::expect_allclose;
using scratch::test::message_of;
using scratch::test::seeded_randn;

namespace {

// A layer written against the contract, as a user would: y = x ⊙ a for a parameter a of x's last
// axis (D,), on (N, D) matrices. It throws when asked to, and records the mode it saw.
class Scale : public Layer {
 public:
  explicit Scale(ParamPtr a) : Layer("scale", InputView::kMatrix), a_(a), da_(&use_param(a)) {
    register_buffer("calls", calls_);
  }
  std::string name() const override { return "Scale"; }
  bool fail_next = false;
  Mode seen = Mode::kTrain;

 private:
  Tensor forward_impl(const Tensor& x) override {
    if (fail_next) fail<ValueError>("scale: asked to fail");
    seen = mode();
    calls_[0] += 1;
    x_ = x;
    return x * a_->value;  // (N, D) ⊙ (D,)
  }
  Tensor backward_impl(const Tensor& dout) override {
    *da_ = (dout * x_).sum(0);  // da = Σ_n dout ⊙ x
    return dout * a_->value;    // dx = dout ⊙ a
  }
  ParamPtr a_;
  Tensor* da_;
  Tensor x_;
  Tensor calls_ = Tensor::zeros({1});
};

ParamPtr vector_param(std::size_t d, std::uint64_t seed) { return make_param("a", seeded_randn({d}, seed)); }

}  // namespace

BOOST_AUTO_TEST_SUITE(layers_contract)

BOOST_AUTO_TEST_CASE(a_layer_is_its_formula_and_the_base_checks_the_rest) {
  Scale scale(vector_param(3, 1));
  check_layer_gradients(scale, seeded_randn({4, 3}, 2));
  BOOST_TEST(scale.params().size() == 1u);
  BOOST_TEST(scale.params()[0].param->name == "a");
  BOOST_TEST((scale.params()[0].use == Use::kDirect));
}

BOOST_AUTO_TEST_CASE(backward_is_refused_before_forward_and_after_a_forward_that_threw) {
  Scale scale(vector_param(3, 1));
  BOOST_TEST(message_of<ValueError>([&] { scale.backward(Tensor::ones({2, 3})); }) ==
             "scale: backward called before forward (there is nothing cached to differentiate)");
  scale.forward(Tensor::ones({2, 3}));
  scale.backward(Tensor::ones({2, 3}));  // fine
  scale.fail_next = true;
  BOOST_CHECK_THROW(scale.forward(Tensor::ones({2, 3})), ValueError);
  // The cache belongs to the forward before the one that failed: using it would be silent garbage.
  BOOST_CHECK_THROW(scale.backward(Tensor::ones({2, 3})), ValueError);

  // The same for the library's layers, each made to fail by a real bad input.
  Affine affine(make_param("W", Tensor::ones({3, 2})), make_param("b", Tensor::zeros({2})));
  affine.forward(Tensor::ones({4, 3}));
  BOOST_CHECK_THROW(affine.forward(Tensor::ones({4, 5})), ShapeError);
  BOOST_CHECK_THROW(affine.backward(Tensor::ones({4, 2})), ValueError);
  Softmax softmax;
  softmax.forward(Tensor::ones({2, 3}));
  BOOST_CHECK_THROW(softmax.forward(Tensor::ones({2, 0})), ShapeError);
  BOOST_CHECK_THROW(softmax.backward(Tensor::ones({2, 3})), ValueError);
  SoftmaxWithLoss loss;
  loss.forward(Tensor::ones({2, 3}), Tensor::from_vector({2}, {0, 1}));
  BOOST_CHECK_THROW(loss.forward(Tensor::ones({2, 3}), Tensor::from_vector({2}, {0, 7})), ValueError);
  BOOST_TEST(message_of<ValueError>([&] { loss.backward(); }) ==
             "softmax_with_loss: backward called before forward (no loss to differentiate)");
}

BOOST_AUTO_TEST_CASE(dout_must_be_shaped_like_y) {
  Scale scale(vector_param(3, 1));
  scale.forward(Tensor::ones({2, 3}));
  BOOST_TEST(message_of<ShapeError>([&] { scale.backward(Tensor::ones({3, 2})); }) ==
             "scale: dout has shape (3, 2) but the last forward returned y of shape (2, 3) "
             "(dout is dL/dy, so it must be shaped like y)");
}

BOOST_AUTO_TEST_CASE(a_matrix_layer_sees_one_sample_and_image_batches_as_matrices) {
  // One sample (3,) is a batch of one: y (3,), dx (3,), the same numbers as the (1, 3) batch.
  Scale scale(make_param("a", Tensor::from_vector({3}, {1, 2, 3})));
  expect_allclose(scale.forward(Tensor::from_vector({3}, {1, 1, 1})), Tensor::from_vector({3}, {1, 2, 3}));
  expect_allclose(scale.backward(Tensor::from_vector({3}, {1, 0, 2})), Tensor::from_vector({3}, {1, 0, 6}));
  expect_allclose(*scale.params()[0].grad, Tensor::from_vector({3}, {1, 0, 2}));  // da = dout ⊙ x
  // (N, C, H, W) = (2, 1, 1, 3): two samples of three features; dx comes back (2, 1, 1, 3).
  const Tensor x = seeded_randn({2, 1, 1, 3}, 4);
  const Tensor y = scale.forward(x);
  BOOST_TEST(shape_string(y.shape()) == "(2, 3)");
  const Tensor dx = scale.backward(Tensor::ones({2, 3}));
  BOOST_TEST(shape_string(dx.shape()) == "(2, 1, 1, 3)");
  check_layer_gradients(scale, seeded_randn({2, 1, 1, 3}, 5));
  check_layer_gradients(scale, seeded_randn({3}, 6));
  BOOST_TEST(message_of<ShapeError>([&] { scale.forward(Tensor::scalar(1)); }) ==
             "scale: x is a 0-d scalar; expected a batch (N, D) or one sample (D,)");
}

BOOST_AUTO_TEST_CASE(each_use_of_a_parameter_gets_its_own_gradient) {
  // A tied pair: the encoder uses W (4, 2), the decoder Wᵀ. Each reports its own use, with its
  // gradient shaped like the matrix it multiplied by; the gradients never alias each other.
  ParamPtr W = make_param("W", seeded_randn({4, 2}, 7));
  Affine encoder(W, make_param("b1", Tensor::zeros({2})));
  Affine decoder(W, make_param("b2", Tensor::zeros({4})), Use::kTransposed);
  BOOST_TEST(encoder.params().size() == 2u);
  BOOST_TEST((decoder.params()[0].use == Use::kTransposed));
  BOOST_TEST(shape_string(decoder.params()[0].grad->shape()) == "(2, 4)");
  BOOST_TEST(encoder.params()[0].grad != decoder.params()[0].grad);
  BOOST_TEST(encoder.params()[0].param == decoder.params()[0].param);  // one Param, two uses
  // A transposed use of a parameter that is not a matrix is refused when the layer is built.
  BOOST_CHECK_THROW(MatMul(make_param("v", Tensor::zeros({3})), Use::kTransposed), ShapeError);
}

BOOST_AUTO_TEST_CASE(input_grad_skip_returns_no_dx_but_writes_parameter_gradients) {
  Scale scale(make_param("a", Tensor::from_vector({2}, {2, 3})));
  scale.set_input_grad(InputGrad::kSkip);
  scale.forward(Tensor::from_rows({{1, 1}}));
  BOOST_TEST(scale.backward(Tensor::from_rows({{1, 1}})).empty());
  expect_allclose(*scale.params()[0].grad, Tensor::from_vector({2}, {1, 1}));
}

BOOST_AUTO_TEST_CASE(a_model_decides_input_grad_and_mode_for_its_layers) {
  Sequential net;
  Scale& first = net.add(std::make_unique<Scale>(vector_param(3, 8)));
  Scale& second = net.add(std::make_unique<Scale>(vector_param(3, 9)));
  net.set_loss(std::make_unique<SoftmaxWithLoss>());
  // The first layer skips dx from the moment it is added; nothing changes it during backward.
  BOOST_TEST((first.input_grad() == InputGrad::kSkip));
  BOOST_TEST((second.input_grad() == InputGrad::kCompute));
  net.set_input_grad(InputGrad::kCompute);
  BOOST_TEST((first.input_grad() == InputGrad::kCompute));

  const Tensor x = seeded_randn({2, 3}, 10), t = Tensor::from_vector({2}, {0, 2});
  net.forward(x, t);  // the model's mode: training
  BOOST_TEST((first.seen == Mode::kTrain && second.seen == Mode::kTrain));
  net.predict(x);  // predict runs in inference mode ...
  BOOST_TEST((first.seen == Mode::kInference && second.seen == Mode::kInference));
  BOOST_TEST((net.mode() == Mode::kTrain && first.mode() == Mode::kTrain));  // ... and restores the mode
  net.accuracy(x, t);
  BOOST_TEST((second.seen == Mode::kInference && second.mode() == Mode::kTrain));
  net.set_mode(Mode::kInference);
  net.forward(x, t);
  BOOST_TEST((first.seen == Mode::kInference));
  Scale& third = net.add(std::make_unique<Scale>(vector_param(3, 11)));  // a late layer joins the mode
  BOOST_TEST((third.mode() == Mode::kInference));

  // Buffers are named by layer and position, and point at the layers' own tensors.
  const std::vector<Buffer> buffers = net.buffers();
  BOOST_TEST(buffers.size() == 3u);
  BOOST_TEST(buffers[1].name == "Scale2/calls");
  BOOST_TEST(buffers[0].value->at({0}) == 4);  // forward, predict, accuracy, forward
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(tensor_row_broadcast)

BOOST_AUTO_TEST_CASE(adding_a_row_to_every_row_matches_the_plain_loop) {
  // y += b for y (N, M) and b (M,) or (1, M) takes a contiguous fast path; compare it with the
  // obvious loop on awkward shapes, one large enough to run in parallel, and the other operators.
  for (const Shape& shape : {Shape{1, 1}, Shape{1, 7}, Shape{7, 1}, Shape{13, 17}, Shape{2, 3, 5}, Shape{400, 1000}}) {
    const std::size_t m = shape.back();
    const Tensor y = seeded_randn(shape, 12);
    const Tensor b = seeded_randn({m}, 13);
    Tensor expected = y;
    for (std::size_t i = 0; i < y.size(); ++i) expected[i] = y[i] + b[i % m];
    Tensor sum = y;
    sum += b;
    expect_allclose(sum, expected, 0, 0, concat("y += b for ", shape_string(shape)));
    expect_allclose(y + b.reshape({1, -1}), expected, 0, 0, concat("y + b (1, M) for ", shape_string(shape)));
    Tensor product = y * b;
    for (std::size_t i = 0; i < y.size(); ++i) expected[i] = y[i] * b[i % m];
    expect_allclose(product, expected, 0, 0, concat("y * b for ", shape_string(shape)));
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(layers_readme)

BOOST_AUTO_TEST_CASE(the_readme_tanh_is_the_library_tanh) {
  // README.md's "Add a layer in 10 lines" shows Tanh's code between two markers. Every line of it
  // must stand, in that order, in lib/layers/activations.hpp followed by activations.cpp, so the
  // section cannot drift from the code it teaches.
  const auto read = [](const fs::path& path) {
    std::ifstream in(path);
    BOOST_REQUIRE_MESSAGE(in, "cannot read " << path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  };
  const std::vector<std::string> readme = read(source_dir() / "README.md");
  std::vector<std::string> source = read(source_dir() / "lib/layers/activations.hpp");
  for (const std::string& line : read(source_dir() / "lib/layers/activations.cpp")) source.push_back(line);
  const auto begin = std::find(readme.begin(), readme.end(), "<!-- tanh-layer:begin -->");
  const auto end = std::find(begin, readme.end(), "<!-- tanh-layer:end -->");
  BOOST_REQUIRE(begin != readme.end());
  BOOST_REQUIRE(end != readme.end());
  std::size_t checked = 0;
  auto at = source.begin();
  for (auto it = begin + 1; it != end; ++it) {
    if (it->empty() || it->rfind("```", 0) == 0) continue;
    const auto found = std::find(at, source.end(), *it);
    BOOST_CHECK_MESSAGE(found != source.end(), "README line not in the library (in order): " << *it);
    if (found != source.end()) at = found + 1;
    ++checked;
  }
  BOOST_TEST(checked >= 15u);
}

BOOST_AUTO_TEST_SUITE_END()

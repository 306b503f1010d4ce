// test_nodes.cpp — Add, Mul, Repeat, Sum and MatMul nodes: hand-computed forward and backward,
// numerical gradients of every input, broadcasting, fast-vs-naive matmul, and the error messages.
#include <array>
#include <string>

#include "graph/node_check.hpp"
#include "test_util.hpp"

using namespace scratch;
using scratch::test::check_node_gradients;
using scratch::test::expect_allclose;
using scratch::test::kCloseAtol;
using scratch::test::kCloseRtol;
using scratch::test::seeded_randn;

namespace {

// Runs f, expecting an exception of type E whose message contains every one of `parts`.
template <class E, class F>
void expect_error(F f, std::initializer_list<std::string> parts) {
  try {
    f();
    BOOST_ERROR("expected an exception, none was thrown");
  } catch (const E& e) {
    const std::string message = e.what();
    for (const std::string& part : parts) {
      BOOST_CHECK_MESSAGE(message.find(part) != std::string::npos,
                          "message '" << message << "' lacks '" << part << "'");
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(graph_nodes)

// ---- Add ----

BOOST_AUTO_TEST_CASE(add_forward_and_backward_by_hand) {
  AddNode add;
  // [[1, 2, 3], [4, 5, 6]] + [[10, 20, 30], [40, 50, 60]] = [[11, 22, 33], [44, 55, 66]]
  const Tensor x = Tensor::from_rows({{1, 2, 3}, {4, 5, 6}});
  const Tensor y = Tensor::from_rows({{10, 20, 30}, {40, 50, 60}});
  expect_allclose(add.forward({x, y}), Tensor::from_rows({{11, 22, 33}, {44, 55, 66}}));
  // ∂out/∂x = ∂out/∂y = 1: both gradients are dout itself.
  const Tensor dout = Tensor::from_rows({{1, -2, 3}, {-4, 5, -6}});
  const Tensors grads = add.backward(dout);
  BOOST_TEST(grads.size() == 2u);
  expect_allclose(grads[0], dout);
  expect_allclose(grads[1], dout);
}

BOOST_AUTO_TEST_CASE(add_broadcast_sums_the_gradient_back_to_each_input) {
  AddNode add;
  // A row b (3,) is stretched over 2 rows: [[1, 2, 3], [4, 5, 6]] + [10, 20, 30] = [[11, 22, 33], [14, 25, 36]]
  const Tensor x = Tensor::from_rows({{1, 2, 3}, {4, 5, 6}});
  const Tensor b = Tensor::from_vector({3}, {10, 20, 30});
  expect_allclose(add.forward({x, b}), Tensor::from_rows({{11, 22, 33}, {14, 25, 36}}));
  // db = Σ over rows of dout = [1 + 4, 2 + 5, 3 + 6] = [5, 7, 9]; dx = dout.
  const Tensor dout = Tensor::from_rows({{1, 2, 3}, {4, 5, 6}});
  const Tensors grads = add.backward(dout);
  expect_allclose(grads[0], dout);
  expect_allclose(grads[1], Tensor::from_vector({3}, {5, 7, 9}));
  // A column (2, 1): dc = Σ over columns = [[1 + 2 + 3], [4 + 5 + 6]] = [[6], [15]].
  add.forward({x, Tensor::from_rows({{1}, {2}})});
  expect_allclose(add.backward(dout)[1], Tensor::from_rows({{6}, {15}}));
  // A 0-d scalar on the left: ds = Σ of everything = 21.
  add.forward({Tensor::scalar(5), x});
  expect_allclose(add.backward(dout)[0], Tensor::scalar(21));
}

BOOST_AUTO_TEST_CASE(add_numerical_gradients) {
  AddNode add;
  check_node_gradients(add, {seeded_randn({3, 4}, 1), seeded_randn({3, 4}, 2)});
  check_node_gradients(add, {seeded_randn({3, 4}, 1), seeded_randn({4}, 2)});
  check_node_gradients(add, {seeded_randn({3, 1}, 1), seeded_randn({1, 4}, 2)});  // both stretched
  check_node_gradients(add, {Tensor::scalar(2), seeded_randn({2, 3}, 3)});
}

// ---- Mul ----

BOOST_AUTO_TEST_CASE(mul_forward_and_backward_by_hand) {
  MulNode mul;
  // [[1, 2], [3, 4]] ⊙ [[5, 6], [7, 8]] = [[5, 12], [21, 32]]
  const Tensor x = Tensor::from_rows({{1, 2}, {3, 4}});
  const Tensor y = Tensor::from_rows({{5, 6}, {7, 8}});
  expect_allclose(mul.forward({x, y}), Tensor::from_rows({{5, 12}, {21, 32}}));
  // dx = dout ⊙ y = [[1·5, 1·6], [2·7, 2·8]];  dy = dout ⊙ x = [[1·1, 1·2], [2·3, 2·4]]
  const Tensors grads = mul.backward(Tensor::from_rows({{1, 1}, {2, 2}}));
  expect_allclose(grads[0], Tensor::from_rows({{5, 6}, {14, 16}}));
  expect_allclose(grads[1], Tensor::from_rows({{1, 2}, {6, 8}}));
}

BOOST_AUTO_TEST_CASE(mul_by_a_scalar_sums_its_gradient) {
  MulNode mul;
  // [[1, 2], [3, 4]] · 3 = [[3, 6], [9, 12]];  ds = Σ dout ⊙ x = 1·1 + 1·2 + 2·3 + 2·4 = 17
  const Tensor x = Tensor::from_rows({{1, 2}, {3, 4}});
  expect_allclose(mul.forward({x, Tensor::scalar(3)}), Tensor::from_rows({{3, 6}, {9, 12}}));
  const Tensors grads = mul.backward(Tensor::from_rows({{1, 1}, {2, 2}}));
  expect_allclose(grads[0], Tensor::from_rows({{3, 3}, {6, 6}}));
  expect_allclose(grads[1], Tensor::scalar(17));
}

BOOST_AUTO_TEST_CASE(mul_numerical_gradients) {
  MulNode mul;
  check_node_gradients(mul, {seeded_randn({3, 4}, 1), seeded_randn({3, 4}, 2)});
  check_node_gradients(mul, {seeded_randn({3, 4}, 1), seeded_randn({1, 4}, 2)});
  check_node_gradients(mul, {seeded_randn({1}, 1), seeded_randn({5}, 2)});  // 1-element scalar
}

BOOST_AUTO_TEST_CASE(mul_caches_a_copy_not_a_reference) {
  // The caller may reuse its tensors after forward; backward must still use the forward's values.
  MulNode mul;
  Tensors inputs = {Tensor::from_vector({2}, {2, 3}), Tensor::from_vector({2}, {5, 7})};
  mul.forward(inputs);
  inputs[0].fill(0);
  inputs[1].fill(0);
  // dx = dout ⊙ y = [5, 7], dy = dout ⊙ x = [2, 3] for dout = 1
  const Tensors grads = mul.backward(Tensor::ones({2}));
  expect_allclose(grads[0], Tensor::from_vector({2}, {5, 7}));
  expect_allclose(grads[1], Tensor::from_vector({2}, {2, 3}));
}

// ---- Repeat and Sum ----

BOOST_AUTO_TEST_CASE(repeat_forward_and_backward_by_hand) {
  RepeatNode repeat(2);
  // np.repeat([[1, 2, 3]], 2, axis=0) = [[1, 2, 3], [1, 2, 3]]
  expect_allclose(repeat.forward({Tensor::from_rows({{1, 2, 3}})}), Tensor::from_rows({{1, 2, 3}, {1, 2, 3}}));
  // dx = Σ over the 2 branches = [[1 + 4, 2 + 5, 3 + 6]] = [[5, 7, 9]]
  const Tensor dout = Tensor::from_rows({{1, 2, 3}, {4, 5, 6}});
  expect_allclose(repeat.backward(dout)[0], Tensor::from_rows({{5, 7, 9}}));
  // A 1-d x (3,) gives the same output, and its gradient is 1-d again.
  expect_allclose(repeat.forward({Tensor::from_vector({3}, {1, 2, 3})}), Tensor::from_rows({{1, 2, 3}, {1, 2, 3}}));
  expect_allclose(repeat.backward(dout)[0], Tensor::from_vector({3}, {5, 7, 9}));
}

BOOST_AUTO_TEST_CASE(sum_forward_and_backward_by_hand) {
  SumNode sum;
  // [[1, 2, 3], [4, 5, 6]] summed over rows with keepdims = [[5, 7, 9]]
  expect_allclose(sum.forward({Tensor::from_rows({{1, 2, 3}, {4, 5, 6}})}), Tensor::from_rows({{5, 7, 9}}));
  // Every row receives dout: [[1, -2, 3]] → [[1, -2, 3], [1, -2, 3]]
  expect_allclose(sum.backward(Tensor::from_rows({{1, -2, 3}}))[0], Tensor::from_rows({{1, -2, 3}, {1, -2, 3}}));
}

BOOST_AUTO_TEST_CASE(repeat_and_sum_numerical_gradients) {
  RepeatNode repeat(4);
  check_node_gradients(repeat, {seeded_randn({1, 5}, 1)});
  check_node_gradients(repeat, {seeded_randn({5}, 2)});
  SumNode sum;
  check_node_gradients(sum, {seeded_randn({4, 5}, 3)});
  check_node_gradients(sum, {seeded_randn({1, 1}, 4)});
}

// ---- MatMul ----

BOOST_AUTO_TEST_CASE(matmul_forward_and_backward_by_hand) {
  MatMulNode node;
  // x (2, 3) · W (3, 2): row 1 = [1 + 0 + 3, 0 + 2 + 3], row 2 = [4 + 0 + 6, 0 + 5 + 6]
  const Tensor x = Tensor::from_rows({{1, 2, 3}, {4, 5, 6}});
  const Tensor W = Tensor::from_rows({{1, 0}, {0, 1}, {1, 1}});
  expect_allclose(node.forward({x, W}), Tensor::from_rows({{4, 5}, {10, 11}}));
  // dout = I: dx = I · Wᵀ = Wᵀ = [[1, 0, 1], [0, 1, 1]];  dW = xᵀ · I = xᵀ = [[1, 4], [2, 5], [3, 6]]
  const Tensors grads = node.backward(Tensor::from_rows({{1, 0}, {0, 1}}));
  expect_allclose(grads[0], Tensor::from_rows({{1, 0, 1}, {0, 1, 1}}));
  expect_allclose(grads[1], Tensor::from_rows({{1, 4}, {2, 5}, {3, 6}}));
}

BOOST_AUTO_TEST_CASE(matmul_numerical_gradients) {
  MatMulNode node;
  check_node_gradients(node, {seeded_randn({2, 3}, 1), seeded_randn({3, 4}, 2)});
  check_node_gradients(node, {seeded_randn({1, 1}, 3), seeded_randn({1, 5}, 4)});
  check_node_gradients(node, {seeded_randn({5, 7}, 5), seeded_randn({7, 1}, 6)});
}

BOOST_AUTO_TEST_CASE(matmul_matches_the_naive_product_on_awkward_shapes) {
  // (N, D, M): 1×1, a single row, a single column, primes, and sizes past a cache block.
  const std::vector<std::array<std::size_t, 3>> shapes = {
      {1, 1, 1}, {1, 7, 13}, {13, 1, 5}, {17, 31, 37}, {67, 129, 3}};
  std::uint64_t seed = 10;
  for (const auto& [n, d, m] : shapes) {
    const Tensor x = seeded_randn({n, d}, seed++), W = seeded_randn({d, m}, seed++),
                 dout = seeded_randn({n, m}, seed++);
    MatMulNode node;
    const std::string what = "(" + std::to_string(n) + ", " + std::to_string(d) + ", " + std::to_string(m) + ")";
    expect_allclose(node.forward({x, W}), matmul_naive(x, W), kCloseRtol, kCloseAtol, what + " out");
    const Tensors grads = node.backward(dout);
    expect_allclose(grads[0], matmul_naive(dout, W.transpose()), kCloseRtol, kCloseAtol, what + " dx");
    expect_allclose(grads[1], matmul_naive(x.transpose(), dout), kCloseRtol, kCloseAtol, what + " dW");
  }
}

BOOST_AUTO_TEST_CASE(matmul_caches_a_copy_and_backward_can_repeat) {
  MatMulNode node;
  Tensors inputs = {seeded_randn({3, 2}, 1), seeded_randn({2, 4}, 2)};
  const Tensors original = inputs;
  node.forward(inputs);
  inputs[0].fill(0);
  inputs[1].fill(0);
  const Tensor dout = seeded_randn({3, 4}, 3);
  const Tensors first = node.backward(dout), second = node.backward(dout);
  expect_allclose(first[1], matmul_naive(original[0].transpose(), dout), kCloseRtol, kCloseAtol, "dW");
  BOOST_TEST(array_equal(first[0], second[0]));
  BOOST_TEST(array_equal(first[1], second[1]));
}

// ---- sum_to_shape, the gradient of broadcasting ----

BOOST_AUTO_TEST_CASE(sum_to_shape_by_hand) {
  const Tensor g = Tensor::from_rows({{1, 2, 3}, {4, 5, 6}});
  expect_allclose(sum_to_shape(g, {2, 3}), g);
  expect_allclose(sum_to_shape(g, {3}), Tensor::from_vector({3}, {5, 7, 9}));  // columns: 1+4, 2+5, 3+6
  expect_allclose(sum_to_shape(g, {1, 3}), Tensor::from_rows({{5, 7, 9}}));
  expect_allclose(sum_to_shape(g, {2, 1}), Tensor::from_rows({{6}, {15}}));  // rows: 1+2+3, 4+5+6
  expect_allclose(sum_to_shape(g, {}), Tensor::scalar(21));                  // everything
  expect_allclose(sum_to_shape(g, {1}), Tensor::from_vector({1}, {21}));
  expect_allclose(sum_to_shape(g, {1, 1}), Tensor::from_rows({{21}}));
  expect_error<ShapeError>([&] { sum_to_shape(g, {2}); }, {"(2,)", "(2, 3)"});
  expect_error<ShapeError>([&] { sum_to_shape(g, {4, 2, 3}); }, {"(4, 2, 3)", "(2, 3)"});
}

// ---- the errors every node shares, and those of each node ----

BOOST_AUTO_TEST_CASE(contract_errors_name_the_node_and_the_rule) {
  MulNode mul;
  expect_error<ValueError>([&] { mul.backward(Tensor::ones({2})); }, {"Mul node", "backward called before forward"});
  expect_error<ValueError>([&] { mul.forward({Tensor::ones({2})}); }, {"Mul node", "2 inputs (x, y), got 1"});
  expect_error<ValueError>([&] { RepeatNode(2).forward({}); }, {"Repeat node", "1 input (x), got 0"});
  mul.forward({Tensor::ones({2, 3}), Tensor::ones({2, 3})});
  expect_error<ShapeError>([&] { mul.backward(Tensor::ones({3, 2})); }, {"Mul node", "(3, 2)", "(2, 3)"});
  // A forward that throws leaves nothing for backward: no gradient of a stale graph.
  BOOST_CHECK_THROW(mul.forward({Tensor::ones({2, 3}), Tensor::ones({4})}), ShapeError);
  BOOST_CHECK_THROW(mul.backward(Tensor::ones({2, 3})), ValueError);
}

BOOST_AUTO_TEST_CASE(shape_errors_of_each_node) {
  const Tensor a = Tensor::ones({2, 3});
  expect_error<ShapeError>([&] { AddNode().forward({a, Tensor::ones({4})}); }, {"Add node", "(2, 3)", "(4,)"});
  expect_error<ShapeError>([&] { MulNode().forward({a, Tensor::ones({3, 3})}); }, {"Mul node", "(2, 3)", "(3, 3)"});
  expect_error<ShapeError>([&] { RepeatNode(3).forward({a}); }, {"Repeat node", "(2, 3)", "(D,) or (1, D)"});
  expect_error<ShapeError>([&] { SumNode().forward({Tensor::ones({3})}); }, {"Sum node", "(3,)", "(N, D)"});
  expect_error<ShapeError>(
      [&] {
        MatMulNode().forward({a, Tensor::ones({4, 5})});
      },
      {"MatMul node: x has shape (2, 3) but W has shape (4, 5): x's 3 columns must equal W's 4 rows"});
  expect_error<ShapeError>(
      [&] {
        MatMulNode().forward({Tensor::ones({3}), Tensor::ones({3, 4})});
      },
      {"MatMul node", "(3,)", "(3, 4)", "(1, D)"});
  expect_error<ValueError>([] { RepeatNode(0); }, {"Repeat node", "at least 1"});
}

// A learner's node with a wrong backward: the contract check names the gradient and both shapes.
class BrokenTranspose : public Node {
 public:
  explicit BrokenTranspose(std::size_t grads) : grads_(grads) {}
  std::string name() const override { return "BrokenTranspose"; }
  std::vector<std::string> input_names() const override { return {"x"}; }

 protected:
  Tensor forward_impl(const Tensors& inputs) override { return inputs[0].transpose(); }
  Tensors backward_impl(const Tensor& dout) override { return Tensors(grads_, dout); }  // forgot to transpose back

 private:
  std::size_t grads_;
};

BOOST_AUTO_TEST_CASE(a_wrong_backward_is_caught_by_the_contract) {
  BrokenTranspose wrong_shape(1);
  wrong_shape.forward({Tensor::ones({2, 3})});
  expect_error<ShapeError>(
      [&] {
        wrong_shape.backward(Tensor::ones({3, 2}));
      },
      {"BrokenTranspose node", "dx of shape (3, 2)", "x had shape (2, 3)"});
  BrokenTranspose wrong_count(2);
  wrong_count.forward({Tensor::ones({2, 2})});
  expect_error<ValueError>([&] { wrong_count.backward(Tensor::ones({2, 2})); }, {"2 gradients for 1 inputs (x)"});
}

BOOST_AUTO_TEST_SUITE_END()

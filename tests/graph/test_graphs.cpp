// test_graphs.cpp — whole graphs built from nodes: the book's apple and apple+orange purchases,
// an affine layer composed from MatMul + Repeat + Add, and Repeat/Sum as each other's backward.
#include <sstream>

#include "graph/node_check.hpp"
#include "test_util.hpp"

using namespace scratch;
using scratch::test::expect_allclose;
using scratch::test::seeded_randn;

namespace {

// A node's 0-d result against the book's number, within the build's rounding tolerance.
void expect_value(const Tensor& actual, Scalar expected, const std::string& what) {
  expect_allclose(actual, Tensor::scalar(expected), test::kExactRtol, test::kExactAtol, what);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(graph_graphs)

BOOST_AUTO_TEST_CASE(apple_graph) {
  // price = (apple · num) · tax = (100 · 2) · 1.1 = 220
  const Tensor apple = Tensor::scalar(100), apple_num = Tensor::scalar(2), tax = Tensor::scalar(Scalar(1.1));
  MulNode mul_apple, mul_tax;
  const Tensor apple_price = mul_apple.forward({apple, apple_num});
  const Tensor price = mul_tax.forward({apple_price, tax});
  expect_value(price, 220, "price");

  // dtax = apple_price = 200;  dapple_price = tax = 1.1
  // dapple = dapple_price · num = 2.2;  dapple_num = dapple_price · apple = 110
  const Tensors tax_grads = mul_tax.backward(Tensor::scalar(1));
  const Tensors apple_grads = mul_apple.backward(tax_grads[0]);
  expect_value(apple_grads[0], Scalar(2.2), "dapple");
  expect_value(apple_grads[1], 110, "dapple_num");
  expect_value(tax_grads[1], 200, "dtax");
  BOOST_TEST(price.ndim() == 0u);  // scalars in, scalars out
}

BOOST_AUTO_TEST_CASE(apple_and_orange_graph) {
  // price = (100 · 2 + 150 · 3) · 1.1 = 650 · 1.1 = 715
  const Tensor apple = Tensor::scalar(100), apple_num = Tensor::scalar(2);
  const Tensor orange = Tensor::scalar(150), orange_num = Tensor::scalar(3), tax = Tensor::scalar(Scalar(1.1));
  MulNode mul_apple, mul_orange, mul_tax;
  AddNode add_fruit;
  const Tensor apple_price = mul_apple.forward({apple, apple_num});
  const Tensor orange_price = mul_orange.forward({orange, orange_num});
  const Tensor all_price = add_fruit.forward({apple_price, orange_price});
  const Tensor price = mul_tax.forward({all_price, tax});
  expect_value(price, 715, "price");

  // Backward in reverse order. The Add node passes 1.1 to both branches unchanged.
  const Tensors tax_grads = mul_tax.backward(Tensor::scalar(1));     // {1.1, 650}
  const Tensors fruit_grads = add_fruit.backward(tax_grads[0]);      // {1.1, 1.1}
  const Tensors orange_grads = mul_orange.backward(fruit_grads[1]);  // {1.1 · 3, 1.1 · 150}
  const Tensors apple_grads = mul_apple.backward(fruit_grads[0]);    // {1.1 · 2, 1.1 · 100}
  expect_value(apple_grads[0], Scalar(2.2), "dapple");
  expect_value(apple_grads[1], 110, "dapple_num");
  expect_value(orange_grads[0], Scalar(3.3), "dorange");
  expect_value(orange_grads[1], 165, "dorange_num");
  expect_value(tax_grads[1], 650, "dtax");
}

BOOST_AUTO_TEST_CASE(a_node_remembers_only_its_last_forward) {
  // One node used twice overwrites its cache: backward then answers for the second use only.
  // Graphs therefore use one node per operation (two MulNodes in the apple graph).
  MulNode mul;
  mul.forward({Tensor::scalar(100), Tensor::scalar(2)});
  mul.forward({Tensor::scalar(150), Tensor::scalar(3)});
  const Tensors grads = mul.backward(Tensor::scalar(1));
  expect_value(grads[0], 3, "dx");
  expect_value(grads[1], 150, "dy");
}

// y = x · W + b as three nodes: xW = MatMul(x, W), B = Repeat_N(b), y = Add(xW, B).
struct AffineFromNodes {
  MatMulNode matmul;
  RepeatNode repeat;
  AddNode add;
  explicit AffineFromNodes(std::size_t n) : repeat(n) {}

  Tensor forward(const Tensor& x, const Tensor& W, const Tensor& b) {
    return add.forward({matmul.forward({x, W}), repeat.forward({b})});
  }
  // → {dx, dW, db}
  Tensors backward(const Tensor& dout) {
    const Tensors add_grads = add.backward(dout);                // {dxW, dB}
    const Tensors matmul_grads = matmul.backward(add_grads[0]);  // {dx, dW}
    const Tensor db = repeat.backward(add_grads[1])[0];          // Σ over the rows of dB
    return {matmul_grads[0], matmul_grads[1], db};
  }
};

BOOST_AUTO_TEST_CASE(affine_is_a_composition_of_nodes) {
  const std::size_t n = 4, d = 3, m = 5;
  Tensor x = seeded_randn({n, d}, 1), W = seeded_randn({d, m}, 2), b = seeded_randn({m}, 3);
  const Tensor dout = seeded_randn({n, m}, 4);
  AffineFromNodes affine(n);
  // Forward: the same as the one-line formula x·W + b (b broadcast over the rows).
  expect_allclose(affine.forward(x, W, b), matmul_naive(x, W) + b, test::kCloseRtol, test::kCloseAtol);
  // Backward: the closed forms of the Affine layer, dx = dout·Wᵀ, dW = xᵀ·dout, db = Σ_rows dout.
  const Tensors grads = affine.backward(dout);
  expect_allclose(grads[0], matmul_naive(dout, W.transpose()), test::kCloseRtol, test::kCloseAtol, "dx");
  expect_allclose(grads[1], matmul_naive(x.transpose(), dout), test::kCloseRtol, test::kCloseAtol, "dW");
  expect_allclose(grads[2], dout.sum(0), test::kCloseRtol, test::kCloseAtol, "db");
  // And numerically, L = Σ y ⊙ dout through all three nodes.
  auto loss = [&](const Tensor&) { return (affine.forward(x, W, b) * dout).sum(); };
  GradientReport report;
  report.tolerance = test::kGradTolerance;
  report.rows.push_back(compare_gradient("dx", grads[0], numerical_gradient(loss, x), report.tolerance));
  report.rows.push_back(compare_gradient("dW", grads[1], numerical_gradient(loss, W), report.tolerance));
  report.rows.push_back(compare_gradient("db", grads[2], numerical_gradient(loss, b), report.tolerance));
  std::ostringstream table;
  table << report;
  BOOST_CHECK_MESSAGE(report.pass(), "affine from nodes:\n" << table.str());
}

BOOST_AUTO_TEST_CASE(repeat_and_sum_are_each_others_backward) {
  // Sum's forward is Repeat's backward, and Repeat's forward is Sum's backward, on any tensor.
  const Tensor row = seeded_randn({1, 6}, 1), rows = seeded_randn({5, 6}, 2);
  RepeatNode repeat(5);
  SumNode sum;
  repeat.forward({row});
  sum.forward({rows});
  BOOST_TEST(array_equal(repeat.backward(rows)[0], sum.forward({rows})));
  BOOST_TEST(array_equal(sum.backward(row)[0], repeat.forward({row})));
  // …and each is what it says, element by element: column sums, and the row copied 5 times.
  Tensor column_sums = Tensor::zeros({1, 6}), copies = Tensor::zeros({5, 6});
  for (std::size_t j = 0; j < 6; ++j) {
    for (std::size_t i = 0; i < 5; ++i) column_sums.data()[j] += rows.at({i, j});
    for (std::size_t i = 0; i < 5; ++i) copies.data()[i * 6 + j] = row.at({0, j});
  }
  expect_allclose(sum.forward({rows}), column_sums);
  BOOST_TEST(array_equal(repeat.forward({row}), copies));
}

BOOST_AUTO_TEST_SUITE_END()

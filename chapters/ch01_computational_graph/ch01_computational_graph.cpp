// ch01_computational_graph.cpp — the book's computational graphs, replayed with ScratchNet's nodes.
//
//   1. Buying apples: price = apple · apple_num · tax through two Mul nodes; backward from dprice = 1.
//   2. Apples and oranges: an Add node joins the two Mul branches before the tax.
//   3. Repeat, Sum and MatMul nodes on small seeded matrices, each gradient confirmed numerically.
//   4. Layers are compositions of nodes: an affine y = x·W + b from MatMul + Repeat(b) + Add.
#include <cstdio>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include "scratch.hpp"

using namespace scratch;

namespace {

constexpr Scalar kApple = 100, kAppleNum = 2, kOrange = 150, kOrangeNum = 3, kTax = Scalar(1.1);
constexpr std::size_t kRows = 2, kIn = 3, kOut = 4;                          // N, D, M of the matrix examples
constexpr Scalar kTolerance = kScalarIsFloat ? Scalar(2e-2) : Scalar(1e-6);  // max relative |Δ|

// digits10 significant digits (15 for double, 6 for float): every digit the type keeps faithfully,
// so 220 prints as 220 and not with the last-bit rounding error of 1.1 (see README).
void print_value(const char* name, const Tensor& v) {
  std::printf("  %-11s %.*g\n", name, std::numeric_limits<Scalar>::digits10, static_cast<double>(v.item()));
}

void print_tensor(const std::string& name, const Tensor& t) {
  std::cout << "  " << name << " " << shape_string(t.shape()) << " =\n" << t << "\n";
}

// Prints how far a backprop gradient is from its central-difference estimate; true if they agree.
bool confirm(const std::string& name, const Tensor& backprop, const Tensor& numerical) {
  const GradientComparison c = compare_gradient(name, backprop, numerical, kTolerance);
  std::printf("  numerical check %-3s max |backprop - numerical| = %.1e  %s\n", name.c_str(),
              static_cast<double>(c.max_abs_diff), c.pass ? "agrees" : "DISAGREES");
  return c.pass;
}

// One node, forward and backward with a random dout, every gradient checked with L = Σ out ⊙ dout.
bool show_node(const std::string& title, Node& node, Tensors inputs) {
  std::cout << "\n-- " << title << "\n";
  const std::vector<std::string> names = node.input_names();
  for (std::size_t i = 0; i < inputs.size(); ++i) print_tensor(names[i], inputs[i]);
  const Tensor out = node.forward(inputs);
  const Tensor dout = Tensor::randn(out.shape());
  print_tensor("out", out);
  print_tensor("dout", dout);
  const Tensors grads = node.backward(dout);
  for (std::size_t i = 0; i < inputs.size(); ++i) print_tensor("d" + names[i], grads[i]);
  auto loss = [&](const Tensor&) { return (node.forward(inputs) * dout).sum(); };
  bool agree = true;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    agree &= confirm("d" + names[i], grads[i], numerical_gradient(loss, inputs[i]));
  return agree;
}

void apples(const Tensor& apple, const Tensor& apple_num, const Tensor& tax) {
  std::cout << "== 1. Buying apples: price = (apple * apple_num) * tax ==\n";
  MulNode mul_apple, mul_tax;
  const Tensor apple_price = mul_apple.forward({apple, apple_num});
  const Tensor price = mul_tax.forward({apple_price, tax});
  print_value("price", price);
  std::cout << "backward from dprice = 1 (each Mul node sends dout times the *other* input):\n";
  const Tensors tax_grads = mul_tax.backward(Tensor::scalar(1));  // {dapple_price, dtax}
  const Tensors apple_grads = mul_apple.backward(tax_grads[0]);   // {dapple, dapple_num}
  print_value("dapple", apple_grads[0]);
  print_value("dapple_num", apple_grads[1]);
  print_value("dtax", tax_grads[1]);
  std::printf("  (price with all %d digits: %.*g; 1.1 has no exact binary form)\n",
              std::numeric_limits<Scalar>::max_digits10, std::numeric_limits<Scalar>::max_digits10,
              static_cast<double>(price.item()));
}

void apples_and_oranges(const Tensor& apple, const Tensor& apple_num, const Tensor& tax) {
  std::cout << "\n== 2. Apples and oranges: price = (apple * apple_num + orange * orange_num) * tax ==\n";
  const Tensor orange = Tensor::scalar(kOrange), orange_num = Tensor::scalar(kOrangeNum);
  MulNode mul_apple, mul_orange, mul_tax;
  AddNode add_fruit;
  const Tensor apple_price = mul_apple.forward({apple, apple_num});
  const Tensor orange_price = mul_orange.forward({orange, orange_num});
  const Tensor all_price = add_fruit.forward({apple_price, orange_price});
  const Tensor price = mul_tax.forward({all_price, tax});
  print_value("price", price);
  std::cout << "backward (the Add node hands dout to both branches unchanged):\n";
  const Tensors tax_grads = mul_tax.backward(Tensor::scalar(1));  // {dall_price, dtax}
  const Tensors fruit_grads = add_fruit.backward(tax_grads[0]);   // {dapple_price, dorange_price}
  const Tensors apple_grads = mul_apple.backward(fruit_grads[0]);
  const Tensors orange_grads = mul_orange.backward(fruit_grads[1]);
  print_value("dapple", apple_grads[0]);
  print_value("dapple_num", apple_grads[1]);
  print_value("dorange", orange_grads[0]);
  print_value("dorange_num", orange_grads[1]);
  print_value("dtax", tax_grads[1]);
}

// y = x·W + b as a graph: xW = MatMul(x, W), B = Repeat_N(b), y = Add(xW, B); backward in reverse.
bool affine_from_nodes() {
  std::cout << "\n== 4. Layers are compositions of nodes: y = x.W + b from MatMul + Repeat(b) + Add ==\n";
  Tensor x = Tensor::randn({kRows, kIn}), W = Tensor::randn({kIn, kOut}), b = Tensor::randn({kOut});
  MatMulNode matmul;
  RepeatNode repeat(kRows);
  AddNode add;
  auto forward = [&] { return add.forward({matmul.forward({x, W}), repeat.forward({b})}); };
  const Tensor y = forward();
  const Tensor dout = Tensor::randn(y.shape());
  print_tensor("y", y);
  const Tensors add_grads = add.backward(dout);                // {dxW, dB}: both equal dout
  const Tensors matmul_grads = matmul.backward(add_grads[0]);  // {dx = dout.W^T, dW = x^T.dout}
  const Tensor db = repeat.backward(add_grads[1])[0];          // Σ over the N copies of b
  print_tensor("db (the Repeat node sums dout over the rows)", db);
  auto loss = [&](const Tensor&) { return (forward() * dout).sum(); };
  const bool dx_ok = confirm("dx", matmul_grads[0], numerical_gradient(loss, x));
  const bool dW_ok = confirm("dW", matmul_grads[1], numerical_gradient(loss, W));
  const bool db_ok = confirm("db", db, numerical_gradient(loss, b));
  return dx_ok && dW_ok && db_ok;
}

}  // namespace

int main(int argc, char** argv) {
  return guarded_main(argv[0], [&] {
    Cli cli(argc, argv,
            "Chapter 1: computational graphs — Add, Mul, Repeat, Sum and MatMul nodes, forward and backward.");
    cli.common();  // the chapter is tiny: --quick changes nothing, it already finishes at once
    if (!cli.finish()) return cli.exit_code();

    const Tensor apple = Tensor::scalar(kApple), apple_num = Tensor::scalar(kAppleNum), tax = Tensor::scalar(kTax);
    apples(apple, apple_num, tax);
    apples_and_oranges(apple, apple_num, tax);

    std::cout << "\n== 3. Repeat, Sum and MatMul nodes (seeded random inputs, random dout) ==\n";
    RepeatNode repeat(kRows);
    bool agree = show_node("Repeat: x (1, D) copied to N branches; backward adds the branches' gradients", repeat,
                           {Tensor::randn({1, kIn})});
    SumNode sum;
    agree &= show_node("Sum: x (N, D) summed over the rows; backward copies dout to every row", sum,
                       {Tensor::randn({kRows, kIn})});
    MatMulNode matmul;
    agree &= show_node("MatMul: x (N, D) . W (D, M); dx = dout . W^T, dW = x^T . dout", matmul,
                       {Tensor::randn({kRows, kIn}), Tensor::randn({kIn, kOut})});
    agree &= affine_from_nodes();
    std::cout << (agree ? "\nEvery backprop gradient agrees with its numerical estimate.\n"
                        : "\nSOME GRADIENTS DISAGREE with their numerical estimates.\n");
    return agree ? 0 : 1;
  });
}

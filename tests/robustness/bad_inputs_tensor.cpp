// bad_inputs_tensor.cpp — bad inputs to the Tensor (tensor.hpp), its elementwise ops (ops.hpp) and
// the matrix product (matmul.hpp). Row format: bad_input.hpp.
#include "robustness/bad_input.hpp"

namespace scratch::test {
namespace {

Tensor zeros(const Shape& shape) { return Tensor::zeros(shape); }

// A shape whose element count does not fit in a size_t (2⁴⁰ · 2⁴⁰ = 2⁸⁰), and one whose count fits but
// whose bytes do not (2⁶¹ Scalars): both once wrapped around to a tiny allocation.
const Shape kOverflowingShape = {std::size_t{1} << 40, std::size_t{1} << 40};
const Shape kTooManyBytes = {std::size_t{1} << 61};

}  // namespace

BadInputs tensor_bad_inputs() {
  // One row per bad input, kept as a table:
  // clang-format off
  constexpr auto S = Expect::kShapeError;
  constexpr auto V = Expect::kValueError;
  return {
      // ---- factories ----
      {"from_vector: 5 values for 6 elements", [] { Tensor::from_vector({2, 3}, {1, 2, 3, 4, 5}); }, S,
       {"Tensor::from_vector", "(2, 3)", "6 elements", "5 values"}},
      {"from_rows: ragged rows",
       [] { Tensor::from_rows({{1, 2, 3}, {4, 5}}); }, S, {"Tensor::from_rows", "row 1 has 2 values", "row 0 has 3"}},
      {"zeros: element count overflows",
       [] { zeros(kOverflowingShape); },
       S,
       {"(1099511627776, 1099511627776)", "overflow"}},
      {"zeros: byte count overflows", [] { zeros(kTooManyBytes); }, S, {"(2305843009213693952,)", "bytes"}},
      {"randn: element count overflows",
       [] { Tensor::randn(kOverflowingShape); },
       S,
       {"(1099511627776, 1099511627776)"}},
      {"empty: byte count overflows", [] { Tensor::empty(kTooManyBytes); }, S, {"(2305843009213693952,)"}},
      {"resize: element count overflows",
       [] {
         Tensor t;
         t.resize(kOverflowingShape);
       },
       S,
       {"(1099511627776, 1099511627776)"}},
      // ---- shape and access ----
      {"dim: axis 2 of a 2-d tensor", [] { zeros({2, 3}).dim(2); }, V, {"Tensor::dim", "axis 2", "(2, 3)", "-2 … 1"}},
      {"dim: axis -3 of a 2-d tensor", [] { zeros({2, 3}).dim(-3); }, V, {"Tensor::dim", "axis -3", "(2, 3)"}},
      {"dim: any axis of a 0-d tensor", [] { Tensor::scalar(1).dim(0); }, V, {"Tensor::dim", "axis 0", "()"}},
      {"at: too few indices", [] { zeros({2, 3}).at({1}); }, S, {"Tensor::at", "1 entries", "(2, 3)"}},
      {"at: index past the end", [] { zeros({2, 3}).at({1, 3}); }, S, {"Tensor::at", "index 3", "axis 1", "(2, 3)"}},
      {"at (const): index past the end",
       [] {
         const Tensor t = zeros({2, 3});
         t.at({2, 0});
       },
       S,
       {"Tensor::at", "index 2", "axis 0"}},
      {"item: two elements", [] { zeros({2}).item(); }, S, {"Tensor::item", "(2,)"}},
      {"item: no elements", [] { zeros({0}).item(); }, S, {"Tensor::item", "(0,)"}},
      {"reshape: 6 elements into 8", [] { zeros({2, 3}).reshape({4, 2}); }, S, {"reshape", "(2, 3)", "(4, 2)", "8"}},
      {"reshape (rvalue): 6 elements into 4", [] { zeros({2, 3}).reshape({2, 2}); }, S, {"reshape", "(2, 2)"}},
      {"reshape: two -1", [] { zeros({2, 3}).reshape({-1, -1}); }, S, {"reshape", "only one dimension can be -1"}},
      {"reshape: negative dimension", [] { zeros({2, 3}).reshape({-2, 3}); }, S, {"reshape", "-2", "negative"}},
      {"reshape: -1 with a known 0", [] { zeros({2, 3}).reshape({0, -1}); }, S, {"reshape", "(2, 3)", "multiply to 0"}},
      {"reshape: -1 that does not divide", [] { zeros({2, 3}).reshape({4, -1}); }, S, {"reshape", "(2, 3)", "4"}},
      {"reshape: dimensions whose product overflows (and wraps to 0)",
       [] { zeros({0}).reshape({long{1} << 32, long{1} << 32}); }, S, {"reshape", "(0,)", "overflows"}},
      {"transpose: 1-d", [] { zeros({3}).transpose(); }, S, {"transpose", "2-d", "(3,)"}},
      {"transpose: 3-d", [] { zeros({2, 3, 4}).transpose(); }, S, {"transpose", "(2, 3, 4)"}},
      {"transpose: 0-d", [] { Tensor::scalar(1).transpose(); }, S, {"transpose", "()"}},
      {"slice_rows: end past the rows", [] { zeros({3, 2}).slice_rows(1, 4); }, S, {"slice_rows", "[1, 4)", "(3, 2)"}},
      {"slice_rows: begin after end", [] { zeros({3, 2}).slice_rows(2, 1); }, S, {"slice_rows", "[2, 1)"}},
      {"slice_rows: 0-d tensor", [] { Tensor::scalar(1).slice_rows(0, 0); }, S, {"slice_rows", "()"}},
      {"take_rows: positions past the order",
       [] { zeros({3, 2}).take_rows({0, 1}, 0, 3); }, S, {"take_rows", "[0, 3)", "length 2", "(3, 2)"}},
      {"take_rows: a row that does not exist",
       [] { zeros({3, 2}).take_rows({0, 5}, 0, 2); }, S, {"take_rows", "row 5", "(3, 2)"}},
      {"take_rows: into itself",
       [] {
         Tensor t = zeros({3, 2});
         t.take_rows({0}, 0, 1, t);
       },
       V,
       {"take_rows", "must not be the tensor itself"}},
      {"take_rows: 0-d tensor", [] { Tensor::scalar(1).take_rows({0}, 0, 1); }, S, {"take_rows", "()"}},
      // ---- reductions ----
      {"sum: axis 2 of a 2-d tensor", [] { zeros({2, 3}).sum(2); }, V, {"sum", "axis 2", "(2, 3)"}},
      {"sum: axis 0 of a 0-d tensor", [] { Tensor::scalar(1).sum(0); }, V, {"sum", "axis 0", "()"}},
      {"mean: axis -3 of a 2-d tensor", [] { zeros({2, 3}).mean(-3); }, V, {"mean", "axis -3", "(2, 3)"}},
      {"mean: empty tensor", [] { zeros({0, 3}).mean(); }, S, {"mean", "empty", "(0, 3)"}},
      {"mean: along an empty axis", [] { zeros({0, 3}).mean(0); }, S, {"mean", "axis 0", "(0, 3)", "empty"}},
      {"max: empty tensor", [] { zeros({0}).max(); }, S, {"max", "empty", "(0,)", "no identity"}},
      {"min: empty tensor", [] { zeros({2, 0}).min(); }, S, {"min", "empty", "(2, 0)"}},
      {"max: along an empty axis", [] { zeros({0, 3}).max(0); }, S, {"max", "axis 0", "(0, 3)", "empty"}},
      {"min: along an empty axis", [] { zeros({3, 0}).min(1); }, S, {"min", "axis 1", "(3, 0)"}},
      {"max: axis 1 of a 1-d tensor", [] { zeros({3}).max(1); }, V, {"max", "axis 1", "(3,)"}},
      {"argmax: along an empty axis", [] { zeros({3, 0}).argmax(1); }, S, {"argmax", "axis 1", "(3, 0)", "empty"}},
      {"argmax: axis out of range", [] { zeros({3, 2}).argmax(2); }, V, {"argmax", "axis 2", "(3, 2)"}},
      // ---- in-place arithmetic and copies ----
      {"+=: shapes do not broadcast", [] { zeros({2, 3}) += zeros({4}); }, S, {"add (+=)", "(2, 3)", "(4,)", "3 vs 4"}},
      {"+=: the result would grow the left side",
       [] { zeros({3}) += zeros({2, 3}); }, S, {"add (+=)", "(2, 3)", "(3,)", "in place"}},
      {"-=: shapes do not broadcast", [] { zeros({2, 3}) -= zeros({2}); }, S, {"subtract (-=)", "(2, 3)", "(2,)"}},
      {"*=: the result would grow the left side",
       [] { zeros({2, 1}) *= zeros({2, 3}); }, S, {"multiply (*=)", "(2, 1)", "(2, 3)"}},
      {"/=: shapes do not broadcast", [] { zeros({2, 3}) /= zeros({3, 2}); }, S, {"divide (/=)", "(2, 3)", "(3, 2)"}},
      {"assign: different shape", [] { zeros({2, 3}).assign(zeros({3, 2})); }, S, {"assign", "(3, 2)", "(2, 3)"}},
      // ---- elementwise ops with broadcasting (ops.hpp) ----
      {"+: (2, 3) with (4,)", [] { zeros({2, 3}) + zeros({4}); }, S, {"add", "(2, 3)", "(4,)", "axis -1", "3 vs 4"}},
      {"-: (2, 3) with (3, 2)", [] { zeros({2, 3}) - zeros({3, 2}); }, S, {"subtract", "(2, 3)", "(3, 2)"}},
      {"*: (2, 3) with (2,)", [] { zeros({2, 3}) * zeros({2}); }, S, {"multiply", "(2, 3)", "(2,)"}},
      {"/: (4, 2, 3) with (3, 3)",
       [] { zeros({4, 2, 3}) / zeros({3, 3}); }, S, {"divide", "(4, 2, 3)", "(3, 3)", "axis -2", "2 vs 3"}},
      {"maximum: (2, 3) with (2, 2)",
       [] { maximum(zeros({2, 3}), zeros({2, 2})); }, S, {"maximum", "(2, 3)", "(2, 2)"}},
      {"minimum: (5,) with (4,)", [] { minimum(zeros({5}), zeros({4})); }, S, {"minimum", "(5,)", "(4,)"}},
      {"broadcast_shape: names the op it is given",
       [] { broadcast_shape({2, 3}, {4}, "my_op"); }, S, {"my_op", "(2, 3)", "(4,)"}},
      {"+: an empty tensor with a non-empty one", [] { zeros({0}) + zeros({3}); }, S, {"add", "(0,)", "(3,)"}},
      // ---- matrix product (matmul.hpp) ----
      {"matmul: inner dimensions differ", [] { matmul(zeros({2, 3}), zeros({4, 5})); }, S,
       {"matmul: cannot multiply (2, 3) by (4, 5): inner dimensions 3 != 4"}},
      {"matmul: a 1-d operand", [] { matmul(zeros({3}), zeros({3, 2})); }, S, {"matmul", "2-d", "(3,)", "(3, 2)"}},
      {"matmul: a 3-d operand", [] { matmul(zeros({2, 3}), zeros({3, 2, 1})); }, S, {"matmul", "(3, 2, 1)"}},
      {"matmul: a 0-d operand", [] { matmul(Tensor::scalar(2), zeros({1, 1})); }, S, {"matmul", "()"}},
      {"matmul: transposed operands that do not fit",
       [] { matmul(zeros({2, 3}), zeros({2, 4}), Transpose::kYes, Transpose::kYes); }, S,
       {"matmul", "(2, 3)ᵀ", "(2, 4)ᵀ", "2 != 4"}},
      {"matmul_naive: inner dimensions differ",
       [] { matmul_naive(zeros({2, 3}), zeros({2, 3})); }, S, {"matmul_naive", "(2, 3)", "3 != 2"}},
      {"matmul_into: inner dimensions differ",
       [] {
         Tensor c;
         matmul_into(c, zeros({1, 2}), zeros({3, 1}));
       },
       S,
       {"matmul", "(1, 2)", "(3, 1)"}},
      {"matmul_into: the output is an input",
       [] {
         Tensor a = zeros({2, 2});
         matmul_into(a, a, zeros({2, 2}));
       },
       V,
       {"matmul_into", "must not be one of the inputs"}},
      {"matmul_shape: names the op it is given",
       [] { matmul_shape(zeros({2, 3}), zeros({2, 3}), Transpose::kNo, Transpose::kNo, "my_layer"); }, S,
       {"my_layer", "(2, 3)"}},
  };
  // clang-format on
}

}  // namespace scratch::test

// test_tensor.cpp — factories, access, shape changes, concatenation, broadcasting, reductions and printing.
#include "test_util.hpp"

using namespace scratch;
using scratch::test::expect_allclose;
using scratch::test::message_of;

BOOST_AUTO_TEST_SUITE(tensor_tensor)

BOOST_AUTO_TEST_CASE(factories_fill_and_shape) {
  const Tensor z = Tensor::zeros({2, 3});
  BOOST_TEST(z.ndim() == 2u);
  BOOST_TEST(z.size() == 6u);
  BOOST_TEST(shape_string(z.shape()) == "(2, 3)");
  BOOST_TEST(z.sum() == 0);
  BOOST_TEST(Tensor::ones({4}).sum() == 4);
  BOOST_TEST(Tensor::full({2, 2}, 2.5).sum() == 10);
  BOOST_TEST(Tensor::scalar(3).ndim() == 0u);
  BOOST_TEST(Tensor::scalar(3).item() == 3);
  BOOST_TEST(shape_string(Tensor::scalar(3).shape()) == "()");
  BOOST_TEST(shape_string(Tensor().shape()) == "(0,)");
  BOOST_TEST(Tensor().empty());
  const Tensor m = Tensor::from_rows({{1, 2, 3}, {4, 5, 6}});
  BOOST_TEST(m(1, 2) == 6);
  BOOST_TEST(m.at({0, 1}) == 2);
  BOOST_TEST(Tensor::arange(4)[3] == 3);
}

BOOST_AUTO_TEST_CASE(factories_reject_mismatched_sizes) {
  BOOST_CHECK_THROW(Tensor::from_vector({2, 3}, {1, 2, 3}), ShapeError);
  BOOST_CHECK_THROW(Tensor::from_rows({{1, 2}, {3}}), ShapeError);
  const Tensor m = Tensor::zeros({2, 3});
  BOOST_CHECK_THROW(m.at({2, 0}), ShapeError);
  BOOST_CHECK_THROW(m.at({0}), ShapeError);
  BOOST_CHECK_THROW(m.item(), ShapeError);
}

BOOST_AUTO_TEST_CASE(copy_is_deep_and_move_is_cheap) {
  Tensor a = Tensor::ones({3});
  Tensor b = a;
  b[0] = 7;
  BOOST_TEST(a[0] == 1);
  const Scalar* storage = b.data();
  Tensor c = std::move(b);
  BOOST_TEST(c.data() == storage);
}

BOOST_AUTO_TEST_CASE(seeded_random_is_reproducible) {
  Rng r1(5), r2(5), r3(6);
  const Tensor a = Tensor::randn({100}, r1), b = Tensor::randn({100}, r2), c = Tensor::randn({100}, r3);
  BOOST_TEST(array_equal(a, b));
  BOOST_TEST(!array_equal(a, c));
  // Sample moments of 100000 normals: mean 0 ± 0.01, variance 1 ± 0.02.
  Rng rng(1);
  const Tensor n = Tensor::randn({100000}, rng);
  BOOST_TEST(std::abs(n.mean()) < 0.01);
  BOOST_TEST(std::abs(square(n).mean() - 1) < 0.02);
  const Tensor u = Tensor::rand({100000}, rng);
  BOOST_TEST(u.min() >= 0);
  BOOST_TEST(u.max() < 1);
  BOOST_TEST(std::abs(u.mean() - 0.5) < 0.01);
}

BOOST_AUTO_TEST_CASE(permutation_is_a_permutation_and_state_round_trips) {
  Rng rng(3);
  auto p = rng.permutation(50);
  std::vector<std::size_t> sorted = p;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < 50; ++i) BOOST_TEST(sorted[i] == i);
  rng.normal();  // leaves a cached spare normal in the state
  const std::string state = rng.state();
  const double next = rng.normal(), after = rng.normal();
  Rng other(99);
  other.set_state(state);
  BOOST_TEST(other.normal() == next);
  BOOST_TEST(other.normal() == after);
  BOOST_CHECK_THROW(other.set_state("not a state"), FormatError);
}

BOOST_AUTO_TEST_CASE(reshape_infers_one_dimension) {
  const Tensor x = Tensor::arange(12);
  const Tensor y = x.reshape({3, -1});
  BOOST_TEST(shape_string(y.shape()) == "(3, 4)");
  BOOST_TEST(y(2, 3) == 11);
  BOOST_TEST(shape_string(x.reshape({-1}).shape()) == "(12,)");
  BOOST_CHECK_THROW(x.reshape({5, -1}), ShapeError);
  BOOST_CHECK_THROW(x.reshape({-1, -1}), ShapeError);
  BOOST_CHECK_THROW(x.reshape({4, 4}), ShapeError);
  BOOST_TEST(y.flatten().ndim() == 1u);
}

BOOST_AUTO_TEST_CASE(transpose_matches_definition_on_awkward_shapes) {
  for (auto [r, c] : std::vector<std::pair<std::size_t, std::size_t>>{{1, 1}, {1, 7}, {7, 1}, {33, 65}, {100, 3}}) {
    const Tensor x = test::seeded_randn({r, c}, r * 100 + c);
    const Tensor t = x.transpose();
    BOOST_TEST(shape_string(t.shape()) == shape_string({c, r}));
    for (std::size_t i = 0; i < r; ++i)
      for (std::size_t j = 0; j < c; ++j) BOOST_TEST(t(j, i) == x(i, j));
  }
  BOOST_CHECK_THROW(Tensor::zeros({2, 2, 2}).transpose(), ShapeError);
}

BOOST_AUTO_TEST_CASE(rows_are_sliced_and_gathered) {
  const Tensor x = Tensor::arange(12).reshape({4, 3});
  expect_allclose(x.slice_rows(1, 3), Tensor::from_rows({{3, 4, 5}, {6, 7, 8}}));
  expect_allclose(x.take_rows({3, 0, 2}, 0, 2), Tensor::from_rows({{9, 10, 11}, {0, 1, 2}}));
  BOOST_CHECK_THROW(x.slice_rows(2, 5), ShapeError);
  BOOST_CHECK_THROW(x.take_rows({7}, 0, 1), ShapeError);
}

BOOST_AUTO_TEST_CASE(concatenate_joins_along_any_axis) {
  // The seed-003 bias column: [[1, 2], [3, 4]] and a column of ones → [[1, 2, 1], [3, 4, 1]].
  const Tensor x = Tensor::from_rows({{1, 2}, {3, 4}});
  expect_allclose(concatenate({x, Tensor::ones({2, 1})}, 1), Tensor::from_rows({{1, 2, 1}, {3, 4, 1}}));
  // Axis 0 stacks rows: (2, 2) and (1, 2) → (3, 2); -2 is the same axis.
  const Tensor below = Tensor::from_rows({{5, 6}});
  expect_allclose(concatenate({x, below}, 0), Tensor::from_rows({{1, 2}, {3, 4}, {5, 6}}));
  expect_allclose(concatenate({x, below}, -2), Tensor::from_rows({{1, 2}, {3, 4}, {5, 6}}));
  // Three parts of 3-d tensors along the last axis: a (2, 1, 1), b (2, 1, 2), c (2, 1, 0) → (2, 1, 3):
  // row 0 = a[0] then b[0] = (0, 10, 11), row 1 = (1, 12, 13); the empty part adds nothing.
  const Tensor a = Tensor::from_vector({2, 1, 1}, {0, 1});
  const Tensor b = Tensor::from_vector({2, 1, 2}, {10, 11, 12, 13});
  const Tensor joined = concatenate({a, b, Tensor::zeros({2, 1, 0})}, -1);
  BOOST_TEST(joined.shape() == (Shape{2, 1, 3}));
  expect_allclose(joined, Tensor::from_vector({2, 1, 3}, {0, 10, 11, 1, 12, 13}));
  // 1-d and a single part.
  expect_allclose(concatenate({Tensor::arange(2), Tensor::arange(3)}, 0), Tensor::from_vector({5}, {0, 1, 0, 1, 2}));
  expect_allclose(concatenate({x}, 1), x);
}

BOOST_AUTO_TEST_CASE(concatenate_errors_name_the_shapes) {
  const Tensor x = Tensor::zeros({2, 3});
  BOOST_TEST(message_of<ShapeError>([&] { concatenate({x, Tensor::zeros({4, 5})}, 1); }) ==
             "concatenate: cannot join (2, 3) and (4, 5) along axis 1: axis 0 has 2 vs 4 (part 1); all axes but the "
             "joined one must match");
  BOOST_TEST(message_of<ShapeError>([&] { concatenate({x, x, Tensor::zeros({2, 1})}, 0); }) ==
             "concatenate: cannot join (2, 3) and (2, 1) along axis 0: axis 1 has 3 vs 1 (part 2); all axes but the "
             "joined one must match");
  BOOST_TEST(message_of<ShapeError>([&] { concatenate({x, Tensor::zeros({2})}, 0); }) ==
             "concatenate: cannot join (2, 3) and (2,) along axis 0: part 1 has 1 dimensions, part 0 has 2");
  BOOST_TEST(message_of<ValueError>([&] { concatenate({x, x}, 2); }) ==
             "concatenate: axis 2 is out of range for 2-d tensors such as (2, 3) (valid: -2 to 1)");
  BOOST_TEST(message_of<ValueError>([&] { concatenate({x}, -3); }) ==
             "concatenate: axis -3 is out of range for 2-d tensors such as (2, 3) (valid: -2 to 1)");
  BOOST_TEST(message_of<ValueError>([&] { concatenate({}, 0); }) ==
             "concatenate: no tensors to join (np.concatenate needs at least one)");
  BOOST_TEST(message_of<ShapeError>([&] { concatenate({Tensor::scalar(1), Tensor::scalar(2)}, 0); }) ==
             "concatenate: part 0 is a 0-d scalar; only tensors with at least one axis can be joined");
}

BOOST_AUTO_TEST_CASE(elementwise_with_broadcasting) {
  const Tensor m = Tensor::from_rows({{1, 2, 3}, {4, 5, 6}});
  // same shape: [[1+1, 2+2, 3+3], [4+4, 5+5, 6+6]]
  expect_allclose(m + m, Tensor::from_rows({{2, 4, 6}, {8, 10, 12}}));
  // row vector (3,) stretched over both rows
  expect_allclose(m - Tensor::from_vector({3}, {1, 1, 1}), Tensor::from_rows({{0, 1, 2}, {3, 4, 5}}));
  // column (2, 1) stretched over the three columns: row 0 × 10, row 1 × 100
  expect_allclose(m * Tensor::from_rows({{10}, {100}}), Tensor::from_rows({{10, 20, 30}, {400, 500, 600}}));
  // 0-d scalar and plain Scalar
  expect_allclose(m / Tensor::scalar(2), m * 0.5);
  expect_allclose(1.0 - m, Tensor::from_rows({{0, -1, -2}, {-3, -4, -5}}));
  // (3, 1) with (1, 4) → (3, 4) outer sum: element (i, j) = i + 10 j
  const Tensor outer = Tensor::from_rows({{0}, {1}, {2}}) + Tensor::from_rows({{0, 10, 20, 30}});
  BOOST_TEST(shape_string(outer.shape()) == "(3, 4)");
  BOOST_TEST(outer(2, 3) == 32);
  BOOST_CHECK_THROW(m + Tensor::zeros({4}), ShapeError);
  try {
    (void)(m + Tensor::zeros({4}));
  } catch (const ShapeError& e) {
    BOOST_TEST(std::string(e.what()) == "add: cannot broadcast (2, 3) with (4,): axis -1 has 3 vs 4 (dimensions must be equal or 1)");
  }
}

BOOST_AUTO_TEST_CASE(in_place_operators_keep_the_left_shape) {
  Tensor m = Tensor::ones({2, 3});
  m += Tensor::from_vector({3}, {1, 2, 3});
  expect_allclose(m, Tensor::from_rows({{2, 3, 4}, {2, 3, 4}}));
  m *= 2;
  BOOST_TEST(m.sum() == 36);
  Tensor row = Tensor::ones({3});
  BOOST_CHECK_THROW(row += Tensor::ones({2, 3}), ShapeError);  // the result would be (2, 3)
}

BOOST_AUTO_TEST_CASE(math_functions) {
  const Tensor x = Tensor::from_vector({4}, {-2, -0.5, 0, 3});
  expect_allclose(maximum(x, 0), Tensor::from_vector({4}, {0, 0, 0, 3}));
  expect_allclose(greater(x, 0), Tensor::from_vector({4}, {0, 0, 0, 1}));
  expect_allclose(abs(x), Tensor::from_vector({4}, {2, 0.5, 0, 3}));
  expect_allclose(square(x), Tensor::from_vector({4}, {4, 0.25, 0, 9}));
  expect_allclose(log(exp(x)), x, test::kCloseRtol, test::kCloseAtol);
  expect_allclose(sqrt(square(x)), abs(x));
  expect_allclose(maximum(x, Tensor::scalar(-1)), Tensor::from_vector({4}, {-1, -0.5, 0, 3}));
  BOOST_TEST(all_finite(x));
  BOOST_TEST(!all_finite(log(x)));
}

BOOST_AUTO_TEST_CASE(reductions_along_axes) {
  const Tensor m = Tensor::from_rows({{1, 5, 3}, {4, 2, 6}});
  BOOST_TEST(m.sum() == 21);
  expect_allclose(m.sum(0), Tensor::from_vector({3}, {5, 7, 9}));
  expect_allclose(m.sum(1), Tensor::from_vector({2}, {9, 12}));
  expect_allclose(m.sum(-1, KeepDims::kYes), Tensor::from_rows({{9}, {12}}));
  expect_allclose(m.max(1), Tensor::from_vector({2}, {5, 6}));
  expect_allclose(m.min(0), Tensor::from_vector({3}, {1, 2, 3}));
  expect_allclose(m.mean(0), Tensor::from_vector({3}, {2.5, 3.5, 4.5}));
  expect_allclose(m.argmax(1), Tensor::from_vector({2}, {1, 2}));
  expect_allclose(m.argmax(0), Tensor::from_vector({3}, {1, 0, 1}));
  BOOST_TEST(m.max() == 6);
  // 3-d: sum over the middle axis of arange(24).reshape(2, 3, 4); element (0, 0) = 0 + 4 + 8
  const Tensor c = Tensor::arange(24).reshape({2, 3, 4}).sum(1);
  BOOST_TEST(shape_string(c.shape()) == "(2, 4)");
  BOOST_TEST(c(0, 0) == 12);
  BOOST_TEST(c(1, 3) == 15 + 19 + 23);
  // ties: the first maximum wins, as in NumPy
  BOOST_TEST(Tensor::from_vector({3}, {7, 7, 1}).argmax(0).item() == 0);
  BOOST_CHECK_THROW(m.sum(2), ValueError);
  BOOST_CHECK_THROW(Tensor().max(), ShapeError);
}

BOOST_AUTO_TEST_CASE(prints_like_numpy) {
  BOOST_TEST(to_string(Tensor::from_rows({{1, -0.5}, {-2, 3}})) == "[[ 1.  -0.5]\n [-2.   3. ]]");
  BOOST_TEST(to_string(Tensor::from_vector({3}, {1, 2, 3})) == "[1. 2. 3.]");
  BOOST_TEST(to_string(Tensor::scalar(220)) == "220.");
  BOOST_TEST(to_string(Tensor::from_vector({2}, {0.00001, 1})) == "[1.e-05 1.e+00]");
  // scientific notation pads every mantissa to the same digits, so columns line up
  BOOST_TEST(to_string(Tensor::from_vector({2}, {0.0215625, 0.00001})) == "[2.15625e-02 1.00000e-05]");
  const std::string big = to_string(Tensor::zeros({2000}));
  BOOST_TEST(big == "[0. 0. 0. ... 0. 0. 0.]");
}

BOOST_AUTO_TEST_CASE(storage_is_recycled) {
  { Tensor warm = Tensor::zeros({123, 45}); }
  const StorageStats before = storage_stats();
  for (int i = 0; i < 10; ++i) {
    Tensor t = Tensor::zeros({123, 45});
    t += 1;
  }
  const StorageStats after = storage_stats();
  BOOST_TEST(after.fresh_allocations == before.fresh_allocations);
  BOOST_TEST(after.reused_allocations >= before.reused_allocations + 10);
}

BOOST_AUTO_TEST_SUITE_END()

// test_bad_inputs.cpp — every public op, node, layer, model, optimizer, trainer and data function
// given bad input must throw a typed scratch::Error whose message names the op and the offending
// shapes or values (the charter's "errors that teach"). The rows are in bad_inputs_*.cpp, one table
// per part of the library; bad_input.hpp describes the row format.
#include <stdexcept>
#include <typeinfo>

#include "robustness/bad_input.hpp"

namespace scratch::test {
namespace {

const char* expect_name(Expect e) {
  switch (e) {
    case Expect::kShapeError:
      return "ShapeError";
    case Expect::kValueError:
      return "ValueError";
    case Expect::kIoError:
      return "IoError";
    case Expect::kFormatError:
      return "FormatError";
    case Expect::kNumericalError:
      return "NumericalError";
  }
  return "?";
}

// The most derived scratch error type of e, by name.
std::string error_type(const Error& e) {
  if (dynamic_cast<const ShapeError*>(&e)) return "ShapeError";
  if (dynamic_cast<const ValueError*>(&e)) return "ValueError";
  if (dynamic_cast<const IoError*>(&e)) return "IoError";
  if (dynamic_cast<const FormatError*>(&e)) return "FormatError";
  if (dynamic_cast<const NumericalError*>(&e)) return "NumericalError";
  return "scratch::Error";
}

// What is wrong with how one row was handled; "" when it threw the right type with the right words.
std::string problem_of(const BadInput& row) {
  try {
    row.call();
  } catch (const Error& e) {
    const std::string message = e.what();
    if (error_type(e) != expect_name(row.expected))
      return concat("threw ", error_type(e), " instead of ", expect_name(row.expected), ": ", message);
    for (const std::string& part : row.mentions)
      if (message.find(part) == std::string::npos)
        return concat("the message does not mention '", part, "':\n    ", message);
    return "";
  } catch (const std::exception& e) {
    return concat("threw ", typeid(e).name(), ", not a scratch::Error: ", e.what());
  } catch (...) {
    return "threw something that is not a std::exception";
  }
  return "returned normally instead of throwing";
}

}  // namespace

std::vector<std::string> bad_input_problems(const BadInputs& rows) {
  std::vector<std::string> problems;
  for (const BadInput& row : rows) {
    const std::string problem = problem_of(row);
    if (!problem.empty()) problems.push_back(concat("bad input '", row.name, "': ", problem));
  }
  return problems;
}

}  // namespace scratch::test

using namespace scratch;
using namespace scratch::test;

namespace {

void run_table(const char* part, const BadInputs& rows) {
  const std::vector<std::string> problems = bad_input_problems(rows);
  for (const std::string& p : problems) BOOST_ERROR(p);
  BOOST_TEST_MESSAGE(part << ": " << rows.size() << " bad inputs, " << problems.size() << " not handled");
  BOOST_TEST(!rows.empty());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(robustness_bad_inputs)

// The checker itself: a row is only "handled" when it throws the expected type with every word.
BOOST_AUTO_TEST_CASE(the_checker_rejects_rows_that_are_not_handled) {
  const BadInputs wrong = {
      {"returns normally", [] {}, Expect::kValueError, {}},
      {"untyped error", [] { throw std::out_of_range("vector::at"); }, Expect::kShapeError, {}},
      {"wrong type", [] { fail<ValueError>("op: bad"); }, Expect::kShapeError, {"op"}},
      {"missing word", [] { fail<ShapeError>("op: bad"); }, Expect::kShapeError, {"op", "(2, 3)"}},
      {"not an exception", [] { throw 42; }, Expect::kShapeError, {}},
  };
  const std::vector<std::string> problems = bad_input_problems(wrong);
  BOOST_TEST_REQUIRE(problems.size() == wrong.size());
  BOOST_TEST(problems[0].find("returned normally") != std::string::npos);
  BOOST_TEST(problems[1].find("not a scratch::Error") != std::string::npos);
  BOOST_TEST(problems[2].find("threw ValueError instead of ShapeError") != std::string::npos);
  BOOST_TEST(problems[3].find("does not mention '(2, 3)'") != std::string::npos);
  const BadInputs right = {{"handled", [] { fail<ShapeError>("op: (2, 3)"); }, Expect::kShapeError, {"op", "(2, 3)"}}};
  BOOST_TEST(bad_input_problems(right).empty());
}

// Not bad inputs: a batch of 0 rows is well defined for the layers (like NumPy, 0 rows in, 0 rows
// out; dW of an empty batch is 0), so they pass it through. Only where a mean over the batch is
// taken (losses, accuracy) is it an error — those rows are in the tables.
BOOST_AUTO_TEST_CASE(empty_batches_pass_through_layers) {
  Affine affine(make_param("W", Tensor::ones({3, 2})), make_param("b", Tensor::ones({2})));
  const Tensor y = affine.forward(Tensor::zeros({0, 3}));
  BOOST_TEST(y.shape() == (Shape{0, 2}), boost::test_tools::per_element());
  const Tensor dx = affine.backward(Tensor::zeros({0, 2}));
  BOOST_TEST(dx.shape() == (Shape{0, 3}), boost::test_tools::per_element());
  expect_allclose(*affine.params()[0].grad, Tensor::zeros({3, 2}));
  Relu relu;
  BOOST_TEST(relu.forward(Tensor::zeros({0, 4})).shape() == (Shape{0, 4}), boost::test_tools::per_element());
  BOOST_TEST(softmax(Tensor::zeros({0, 4})).shape() == (Shape{0, 4}), boost::test_tools::per_element());
  BOOST_CHECK_THROW(SoftmaxWithLoss().forward(y, Tensor::zeros({0})), ValueError);
}

BOOST_AUTO_TEST_CASE(tensor_ops_and_matmul) { run_table("tensor", tensor_bad_inputs()); }
BOOST_AUTO_TEST_CASE(graph_nodes) { run_table("graph", graph_bad_inputs()); }
BOOST_AUTO_TEST_CASE(layers_and_losses) { run_table("layers", layer_bad_inputs()); }
BOOST_AUTO_TEST_CASE(models) { run_table("models", model_bad_inputs()); }
BOOST_AUTO_TEST_CASE(optimizers) { run_table("optim", optim_bad_inputs()); }
BOOST_AUTO_TEST_CASE(training) { run_table("train", train_bad_inputs()); }
BOOST_AUTO_TEST_CASE(data) { run_table("data", data_bad_inputs()); }
BOOST_AUTO_TEST_CASE(plots) { run_table("plot", plot_bad_inputs()); }
BOOST_AUTO_TEST_CASE(core) { run_table("core", core_bad_inputs()); }

BOOST_AUTO_TEST_SUITE_END()

// test_util.cpp — see test_util.hpp.
#include "test_util.hpp"

#include <cmath>
#include <sstream>

namespace scratch::test {

void expect_allclose(const Tensor& actual, const Tensor& expected, Scalar rtol, Scalar atol, const std::string& what) {
  const std::string label = what.empty() ? "" : what + ": ";
  if (actual.shape() != expected.shape()) {
    BOOST_ERROR(label << "shape " << shape_string(actual.shape()) << " != expected " << shape_string(expected.shape()));
    return;
  }
  std::size_t bad = 0, worst = 0;
  Scalar worst_excess = -1;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const Scalar diff = std::abs(actual[i] - expected[i]);
    const Scalar allowed = atol + rtol * std::abs(expected[i]);
    const Scalar excess = std::isnan(diff) ? std::numeric_limits<Scalar>::infinity() : diff - allowed;
    if (!(diff <= allowed)) ++bad;
    if (excess > worst_excess) {
      worst_excess = excess;
      worst = i;
    }
  }
  if (bad == 0) return;
  std::ostringstream idx;
  idx << "(";
  std::size_t rest = worst;
  std::vector<std::size_t> index(actual.ndim());
  for (std::size_t k = actual.ndim(); k-- > 0;) {
    index[k] = rest % actual.shape()[k];
    rest /= actual.shape()[k];
  }
  for (std::size_t k = 0; k < index.size(); ++k) idx << (k ? ", " : "") << index[k];
  idx << ")";
  BOOST_ERROR(label << bad << " of " << actual.size() << " elements of shape " << shape_string(actual.shape())
                    << " differ; worst at " << idx.str() << ": actual " << actual[worst] << " vs expected "
                    << expected[worst] << " (rtol " << rtol << ", atol " << atol << ")");
}

Tensor seeded_randn(const Shape& shape, std::uint64_t seed) {
  Rng rng(seed);
  return Tensor::randn(shape, rng);
}

void check_layer_gradients(Layer& layer, const Tensor& x_in, std::uint64_t seed, Scalar tolerance) {
  Tensor x = x_in;
  const Tensor y = layer.forward(x);
  const Tensor dout = seeded_randn(y.shape(), seed);
  const Tensor x_before = x, dout_before = dout;
  const Tensor dx = layer.backward(dout);
  BOOST_CHECK_MESSAGE(array_equal(dout, dout_before), layer.name() << ": backward modified dout");
  BOOST_CHECK_MESSAGE(array_equal(x, x_before), layer.name() << ": forward/backward modified x");

  // The layer's gradients are overwritten by later backward calls: copy them first.
  std::vector<std::pair<std::string, Tensor>> backprop;
  if (layer.input_grad() == InputGrad::kCompute) backprop.emplace_back("x", dx);
  for (const ParamUse& use : layer.params()) backprop.emplace_back(use.param->name, *use.grad);

  auto loss = [&](const Tensor& input) { return (layer.forward(input) * dout).sum(); };
  GradientReport report;
  report.tolerance = tolerance;
  std::size_t row = 0;
  if (layer.input_grad() == InputGrad::kCompute) {
    report.rows.push_back(compare_gradient("x", backprop[row++].second, numerical_gradient(loss, x), tolerance));
  }
  for (const ParamUse& use : layer.params()) {
    Tensor numerical = numerical_gradient([&](const Tensor&) { return loss(x); }, use.param->value);
    if (use.use == Use::kTransposed) numerical = numerical.transpose();
    report.rows.push_back(compare_gradient(use.param->name, backprop[row++].second, numerical, tolerance));
  }
  std::ostringstream table;
  table << report;
  BOOST_CHECK_MESSAGE(report.pass(), layer.name() << " gradient check failed:\n" << table.str());
}

void check_loss_gradients(LossLayer& layer, const Tensor& x_in, const Tensor& t, Scalar tolerance) {
  Tensor x = x_in;
  layer.forward(x, t);
  const Tensor dx = layer.backward(1);
  const Tensor numerical = numerical_gradient([&](const Tensor& input) { return layer.forward(input, t); }, x);
  GradientReport report;
  report.tolerance = tolerance;
  report.rows.push_back(compare_gradient("x", dx, numerical, tolerance));
  std::ostringstream table;
  table << report;
  BOOST_CHECK_MESSAGE(report.pass(), layer.name() << " gradient check failed:\n" << table.str());
}

}  // namespace scratch::test

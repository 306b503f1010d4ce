// node_check.cpp — see node_check.hpp.
#include "graph/node_check.hpp"

#include <sstream>

namespace scratch::test {

Tensors check_node_gradients(Node& node, const Tensors& inputs_in, std::uint64_t seed, Scalar tolerance) {
  Tensors inputs = inputs_in;
  const Tensor out = node.forward(inputs);
  const Tensor dout = seeded_randn(out.shape(), seed);
  const Tensor dout_before = dout;
  const Tensors grads = node.backward(dout);
  BOOST_CHECK_MESSAGE(array_equal(dout, dout_before), node.name() << " node: backward modified dout");
  const std::vector<std::string> names = node.input_names();
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    BOOST_CHECK_MESSAGE(array_equal(inputs[i], inputs_in[i]),
                        node.name() << " node: forward/backward modified input " << names[i]);
  }

  // numerical_gradient perturbs inputs[i] in place; the loss reads it through `inputs`.
  auto loss = [&](const Tensor&) { return (node.forward(inputs) * dout).sum(); };
  GradientReport report;
  report.tolerance = tolerance;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    report.rows.push_back(compare_gradient("d" + names[i], grads[i], numerical_gradient(loss, inputs[i]), tolerance));
  }
  std::ostringstream table;
  table << report;
  BOOST_CHECK_MESSAGE(report.pass(), node.name() << " node gradient check failed:\n" << table.str());
  return grads;
}

}  // namespace scratch::test

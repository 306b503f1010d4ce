// node_check.hpp — the gradient check every graph-node test runs.
#pragma once

#include <cstdint>

#include "test_util.hpp"

namespace scratch::test {

// Runs node.forward(inputs) and node.backward(dout) for a fixed random dout, then checks:
//   - every input's gradient against a numerical one, with the loss L = Σ out ⊙ dout (so ∂L/∂out = dout);
//   - that neither call modified the inputs or dout.
// Reports failures with the GradientReport table and returns the backprop gradients.
Tensors check_node_gradients(Node& node, const Tensors& inputs, std::uint64_t seed = 7,
                             Scalar tolerance = kGradTolerance);

}  // namespace scratch::test

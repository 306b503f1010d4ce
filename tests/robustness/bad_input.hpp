// bad_input.hpp — the table format of tests/robustness/test_bad_inputs.cpp.
//
// One row per bad input: a name, a call of one public function with that input, the exception type
// it must throw, and pieces of text its message must contain (the op's name and the offending
// shapes or values). bad_input_problems runs every row and reports, per row, when the call returned
// normally, threw the wrong type, threw something that is not a scratch::Error (std::out_of_range,
// a bare std::runtime_error …), or threw a message that does not name what it should.
//
// The rows live in one file per part of the library (bad_inputs_tensor.cpp, …), each returning its
// table; test_bad_inputs.cpp runs them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "test_util.hpp"

namespace scratch::test {

// The exception a row expects (lib/core/errors.hpp).
enum class Expect { kShapeError, kValueError, kIoError, kFormatError, kNumericalError };

struct BadInput {
  std::string name;                   // what is wrong, e.g. "matmul: inner dimensions differ"
  std::function<void()> call;         // calls the library with the bad input
  Expect expected;                    // the type it must throw
  std::vector<std::string> mentions;  // substrings the message must contain
};

using BadInputs = std::vector<BadInput>;

// The tables, one per part of the library.
BadInputs tensor_bad_inputs();  // tensor.hpp, ops.hpp, matmul.hpp
BadInputs graph_bad_inputs();   // graph/node.hpp, graph/nodes.hpp
BadInputs layer_bad_inputs();   // layers/activations.hpp, affine.hpp, softmax.hpp
BadInputs model_bad_inputs();   // models/sequential.hpp, two_layer_net.hpp
BadInputs optim_bad_inputs();   // optim/optimizer.hpp, optimizers.hpp
BadInputs train_bad_inputs();   // train/clip.hpp, dedup.hpp, gradient_check.hpp, history.hpp, trainer.hpp
BadInputs data_bad_inputs();    // data/dataset.hpp, batches.hpp, labels.hpp, synthetic.hpp, idx.hpp, mnist.hpp
BadInputs plot_bad_inputs();    // plot/plot.hpp
BadInputs core_bad_inputs();    // core/parallel.hpp, random.hpp, paths.hpp

// Runs every row; returns one line per row that was not handled as it should be ("bad input
// '<name>': threw std::out_of_range, not a scratch::Error: …"), none when all were.
std::vector<std::string> bad_input_problems(const BadInputs& rows);

}  // namespace scratch::test

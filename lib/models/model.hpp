// model.hpp — what the Trainer needs from a model: a loss, its backward, and the parameters.
#pragma once

#include <vector>

#include "layers/layer.hpp"

namespace scratch {

class Model {
 public:
  virtual ~Model() = default;

  // Runs the network on a batch and returns the loss (averaged over the batch).
  virtual Scalar forward(const Tensor& x, const Tensor& t) = 0;

  // Back-propagates from the loss of the last forward; every layer writes its parameter gradients.
  virtual void backward() = 0;

  // Every use of every parameter, in layer order; a shared parameter appears once per use.
  virtual std::vector<ParamUse> params() const = 0;
};

}  // namespace scratch

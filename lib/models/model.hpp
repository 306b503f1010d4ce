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

  // Non-trainable state that a checkpoint saves and restores with the parameters (BatchNorm's
  // running statistics), in a fixed order. Most models have none.
  virtual std::vector<Buffer> buffers() const { return {}; }

  // Training or inference mode for every layer (layer.hpp). The Trainer trains in Mode::kTrain.
  virtual void set_mode(Mode mode) { mode_ = mode; }
  Mode mode() const { return mode_; }

 protected:
  Mode mode_ = Mode::kTrain;
};

}  // namespace scratch

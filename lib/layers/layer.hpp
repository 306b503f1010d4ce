// layer.hpp — the contract every layer follows (DESIGN.md §3).
//
//   y  = layer.forward(x)      caches exactly what backward needs
//   dx = layer.backward(dout)  dout = dL/dy (shape of y) → dx = dL/dx (shape of x), and writes the
//                              layer's gradient for each parameter it uses
//
// Neither call modifies its argument (the book's ReLU backward overwrote dout in place, a bug
// that corrupts any other branch reading the same gradient). Loss layers end a network: they
// take the labels and return a number.
#pragma once

#include <string>
#include <vector>

#include "tensor/param.hpp"
#include "tensor/tensor.hpp"

namespace scratch {

// Whether backward must compute dx. The first layer of a network can skip it: nobody reads the
// gradient with respect to the input images, and for Affine it is a whole (N, D) matrix product.
enum class InputGrad { kCompute, kSkip };

// Training or inference. Dropout and BatchNormalization behave differently in the two: a model sets
// the mode on all its layers (Model::set_mode); predict/accuracy run in inference mode, the Trainer
// in training mode. Layers start in training mode.
enum class Mode { kTrain, kInference };

// A non-trainable tensor a layer keeps between calls that belongs in a checkpoint (BatchNorm's
// running mean and variance). The name is unique within its model ("bn1/running_mean").
struct Buffer {
  std::string name;
  Tensor* value;
};

class Layer {
 public:
  virtual ~Layer() = default;

  // Type name for messages and summaries, e.g. "Affine".
  virtual std::string name() const = 0;

  virtual Tensor forward(const Tensor& x) = 0;

  // With InputGrad::kSkip the returned tensor may be empty; parameter gradients are still written.
  virtual Tensor backward(const Tensor& dout) = 0;

  // Every parameter this layer uses, with this layer's gradient for it (valid after backward).
  virtual std::vector<ParamUse> params() const { return {}; }

  void set_input_grad(InputGrad mode) { input_grad_ = mode; }
  InputGrad input_grad() const { return input_grad_; }

 protected:
  InputGrad input_grad_ = InputGrad::kCompute;
};

// A layer that ends the network with a loss: scores and labels in, one number out.
class LossLayer {
 public:
  virtual ~LossLayer() = default;
  virtual std::string name() const = 0;

  // x: scores (N, C), or (C,) for a single sample (treated as a batch of one);
  // t: labels, one-hot (N, C) or class indices (N,). Returns the loss averaged over the batch.
  virtual Scalar forward(const Tensor& x, const Tensor& t) = 0;

  // dL/dx for the last forward, scaled by dout; already divided by the batch size.
  virtual Tensor backward(Scalar dout = 1) = 0;
};

}  // namespace scratch

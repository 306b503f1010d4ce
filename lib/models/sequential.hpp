// sequential.hpp — a network as an ordered list of layers followed by a loss layer.
//
// This is the book's `OrderedDict` of layers plus `lastLayer`:
//   predict(x)   = layers[k-1]( … layers[0](x) )          scores, shape (N, C)
//   loss(x, t)   = loss_layer(predict(x), t)               a number
//   backward()   = loss_layer.backward(1), then every layer's backward in reverse order
// Layers are owned by the network; their parameters are shared handles, so a model can share
// a weight between layers (train/dedup.hpp merges their gradients; train/gradient_check.hpp checks
// a model's backward against numerical gradients).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "data/dataset.hpp"
#include "layers/layer.hpp"
#include "models/model.hpp"

namespace scratch {

class Sequential : public Model {
 public:
  Sequential() = default;

  // Appends a layer / sets the loss layer. Returns a reference to it for further set-up.
  // The first layer gets the network's input_grad setting (set_input_grad) and every layer its mode.
  template <class L>
  L& add(std::unique_ptr<L> layer) {
    L& ref = *layer;
    ref.set_input_grad(layers_.empty() ? input_grad_ : InputGrad::kCompute);
    ref.set_mode(mode());
    layers_.push_back(std::move(layer));
    return ref;
  }
  void set_loss(std::unique_ptr<LossLayer> loss) { loss_ = std::move(loss); }

  // Whether backward computes the gradient with respect to the input x. Training does not need
  // it, so by default the first layer skips it (kSkip); set kCompute to inspect dL/dx.
  void set_input_grad(InputGrad mode);

  // Scores (N, C) of the last layer; x is (N, …). Runs in inference mode (Dropout keeps every unit,
  // BatchNorm uses its running statistics) and leaves the network's mode as it was.
  Tensor predict(const Tensor& x);

  // The loss (averaged over the batch) of predict(x) against labels t (one-hot (N, C) or indices (N,)).
  Scalar loss(const Tensor& x, const Tensor& t) { return forward(x, t); }

  // Fraction of samples whose highest score is the labelled class, in [0, 1]; in inference mode, like predict.
  Scalar accuracy(const Tensor& x, const Tensor& t);
  // The same over a whole Dataset, in batches (so a 10000-image test set never sits in memory as Scalars).
  Scalar accuracy(const Dataset& data, std::size_t batch_size = 1000);

  // Model interface (what the Trainer calls). forward runs in the network's current mode (training
  // unless set_mode said otherwise).
  Scalar forward(const Tensor& x, const Tensor& t) override;
  void backward() override;
  std::vector<ParamUse> params() const override;
  // Every layer's buffers, named "<LayerName><k>/<buffer>" with k the layer's 1-based position.
  std::vector<Buffer> buffers() const override;
  void set_mode(Mode mode) override;

  const std::vector<std::unique_ptr<Layer>>& layers() const { return layers_; }
  // The layer names in order, e.g. "Affine → Relu → Affine → SoftmaxWithLoss"
  std::string summary() const;

 private:
  LossLayer& loss_layer();
  Tensor run(const Tensor& x);  // the layers in order, in the current mode

  std::vector<std::unique_ptr<Layer>> layers_;
  std::unique_ptr<LossLayer> loss_;
  InputGrad input_grad_ = InputGrad::kSkip;
};

// Fraction of rows whose argmax of `scores` (N, C) equals the label in t: indices (N,) or one-hot (N, C).
// (A seed took the argmax of the labels in place of the predictions; this compares the two.)
// Throws ShapeError when the shapes do not fit or the batch is empty, ValueError for an index label
// that is not a whole number in [0, C).
Scalar accuracy_of(const Tensor& scores, const Tensor& t);

}  // namespace scratch

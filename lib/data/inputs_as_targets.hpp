// inputs_as_targets.hpp — a Dataset whose targets are its inputs: t = x, for autoencoders.
//
// An autoencoder learns to reproduce its input, so its "label" is the sample itself. The Trainer
// feeds a model (x, t) pairs; this view over any Dataset hands out each batch's x twice:
//
//   InputsAsTargets images(mnist.train);   // x (B, 784), t (B, 784) = x; the digit labels are dropped
//   trainer.fit(images, epochs, batch_size, max_grad);
//
// No image is stored twice: only the current batch is copied.
#pragma once

#include "data/dataset.hpp"

namespace scratch {

class InputsAsTargets : public Dataset {
 public:
  // Keeps a reference: `data` must outlive this view.
  explicit InputsAsTargets(const Dataset& data) : data_(data) {}
  InputsAsTargets(const Dataset&& data) = delete;

  std::size_t size() const override { return data_.size(); }

  // x as `data` gives it; t a copy of x (t reuses its memory when the shape is unchanged).
  void batch(const std::vector<std::size_t>& order, std::size_t begin, std::size_t end, Tensor& x,
             Tensor& t) const override;

 private:
  const Dataset& data_;
};

}  // namespace scratch

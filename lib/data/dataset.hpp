// dataset.hpp — a set of samples that training loops draw mini-batches from.
//
// A Dataset hands out batches by sample index, so the Trainer can shuffle indices each epoch
// (np.random.permutation) without copying the data, and so MNIST can stay in memory as bytes and
// be normalised one batch at a time instead of holding 60000×784 Scalars.
#pragma once

#include <cstddef>
#include <vector>

#include "tensor/tensor.hpp"

namespace scratch {

class Dataset {
 public:
  virtual ~Dataset() = default;

  // Number of samples N.
  virtual std::size_t size() const = 0;

  // Writes the samples order[begin], …, order[end-1] into x (B, …features) and their labels into
  // t (B, …), B = end - begin. x and t are resized as needed and reuse their memory when B and the
  // shapes are unchanged, so a training loop allocates nothing per batch.
  virtual void batch(const std::vector<std::size_t>& order, std::size_t begin, std::size_t end, Tensor& x,
                     Tensor& t) const = 0;
};

// A Dataset over two tensors whose first axis indexes samples: x (N, …) and t (N, …).
class TensorDataset : public Dataset {
 public:
  // Throws ShapeError when x and t disagree on N.
  TensorDataset(Tensor x, Tensor t);

  std::size_t size() const override { return x_.ndim() == 0 ? 0 : x_.shape()[0]; }
  void batch(const std::vector<std::size_t>& order, std::size_t begin, std::size_t end, Tensor& x,
             Tensor& t) const override;

  const Tensor& x() const { return x_; }
  const Tensor& t() const { return t_; }

 private:
  Tensor x_, t_;
};

}  // namespace scratch

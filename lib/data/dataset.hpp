// dataset.hpp — a set of samples that training loops draw mini-batches from.
//
// A Dataset hands out batches by sample index, so the Trainer can shuffle indices each epoch
// (np.random.permutation) without copying the data, and so MNIST can stay in memory as bytes and
// be normalised one batch at a time instead of holding 60000×784 Scalars.
#pragma once

#include <cstddef>
#include <memory>
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
  // Takes x and t over (move them in to avoid a copy). Throws ShapeError when they disagree on N.
  TensorDataset(Tensor x, Tensor t);

  // Reads x and t where they are, without copying them (for MNIST-sized arrays a copy would double
  // the memory): the caller keeps them alive and unchanged for as long as this data set or any copy
  // of it is used. Temporaries are refused at compile time. Throws ShapeError like the constructor,
  // its message starting with `who` (the caller's name, e.g. "Trainer.fit").
  static TensorDataset borrow(const Tensor& x, const Tensor& t, const char* who = "TensorDataset::borrow");
  static TensorDataset borrow(const Tensor&& x, const Tensor& t, const char* who = nullptr) = delete;
  static TensorDataset borrow(const Tensor& x, const Tensor&& t, const char* who = nullptr) = delete;
  static TensorDataset borrow(const Tensor&& x, const Tensor&& t, const char* who = nullptr) = delete;

  std::size_t size() const override { return x_->shape()[0]; }
  void batch(const std::vector<std::size_t>& order, std::size_t begin, std::size_t end, Tensor& x,
             Tensor& t) const override;

  const Tensor& x() const { return *x_; }
  const Tensor& t() const { return *t_; }

 private:
  // Owned tensors are held by shared_ptr (copies of the data set share them: they are never
  // written); borrowed ones by a shared_ptr that deletes nothing.
  TensorDataset(std::shared_ptr<const Tensor> x, std::shared_ptr<const Tensor> t, const char* who);

  std::shared_ptr<const Tensor> x_, t_;
};

}  // namespace scratch

// batches.hpp — mini-batch iteration: a new random order of the samples every epoch, cut into
// batches of B samples (np.random.permutation, then x[idx[i:i+B]] in the book's code).
//
// With N samples, an epoch has ceil(N / B) batches: B samples each, and the LAST BATCH SMALLER
// (N mod B samples) when B does not divide N, so that every sample is seen exactly once per epoch.
// LastBatch::kDrop skips that partial batch instead (floor(N / B) batches, like the book's Trainer,
// whose max_iters = N // B): every batch then has exactly B samples, but up to B-1 samples are left
// out of each epoch (different ones every epoch).
//
//   MiniBatches batches(train, 100, rng);
//   for (int epoch = 0; epoch < max_epoch; ++epoch)
//     while (batches.next())                     // one pass of this loop = one epoch
//       loss = net.loss(batches.x(), batches.t());
//
// x() and t() are two tensors reused for every batch, so iterating allocates nothing per batch.
//
// An unfinished epoch can be saved and continued (the Trainer's checkpoints do): position() is the
// epoch's order and the next batch, and set_position() on a MiniBatches over the same data picks
// the epoch up there, so the rest of it sees exactly the batches it would have seen.
#pragma once

#include <cstddef>
#include <vector>

#include "core/random.hpp"
#include "data/dataset.hpp"

namespace scratch {

enum class Shuffle {
  kEachEpoch,  // a fresh random permutation at the start of every epoch
  kNone,       // samples in their stored order, 0 … N-1 (evaluation, debugging)
};

enum class LastBatch {
  kKeep,  // the final partial batch (N mod B samples) is part of the epoch
  kDrop,  // only full batches of B samples
};

struct BatchOptions {
  Shuffle shuffle = Shuffle::kEachEpoch;
  LastBatch last = LastBatch::kKeep;
};

// Where an epoch stands: what it takes to continue it as if it had never stopped.
struct BatchPosition {
  std::vector<std::size_t> order;  // the epoch's order of sample indices; empty between epochs
  std::size_t next_batch = 0;      // 0-based number of the batch next() loads next
  std::size_t samples = 0;         // the N and B that order and next_batch were made for
  std::size_t batch_size = 0;
};

class MiniBatches {
 public:
  // Batches of batch_size samples of `data`, shuffled with `rng`. Both are referenced, not copied:
  // they must outlive this object. Throws ValueError when batch_size is 0, when the data set is
  // empty, or when batch_size exceeds the number of samples.
  MiniBatches(const Dataset& data, std::size_t batch_size, Rng& rng = global_rng(), BatchOptions options = {});
  MiniBatches(const Dataset&& data, std::size_t batch_size, Rng& rng = global_rng(),
              BatchOptions options = {}) = delete;

  // Loads the next batch of the current epoch into x() and t() and returns true, or returns false
  // when the epoch is over. The call after a false (and the very first call) starts a new epoch,
  // drawing a new order.
  bool next();

  // The current batch: x (B, …features), t (B, …labels); B = batch_size(), or fewer for the last batch.
  const Tensor& x() const { return x_; }
  const Tensor& t() const { return t_; }

  std::size_t batch_size() const { return batch_size_; }
  // ceil(N / B) with LastBatch::kKeep, floor(N / B) with kDrop.
  std::size_t batches_per_epoch() const;
  // Epochs started so far (1 during the first epoch), and the current batch's 1-based number in it.
  std::size_t epoch() const { return epoch_; }
  std::size_t batch_in_epoch() const { return batch_in_epoch_; }
  // This epoch's order of sample indices; the current batch is order()[position … position + B).
  const std::vector<std::size_t>& order() const { return order_; }

  // The epoch in progress as a BatchPosition (an empty order before the first next() and after a
  // next() that returned false).
  BatchPosition position() const;
  // Continues the epoch saved in `position`: the next next() loads its batch next_batch, in its
  // order, without drawing a new one; an empty order means "between epochs". Throws ValueError,
  // changing nothing, unless it was made for this data set's N and this batch size, next_batch is
  // at most batches_per_epoch() and the order is a permutation of 0 … N-1.
  void set_position(const BatchPosition& position);
  // The current batch was not used (the step on it failed): the next next() loads it again.
  // Throws ValueError when there is no current batch.
  void put_back();

 private:
  void start_epoch();

  const Dataset* data_;
  std::size_t batch_size_;
  Rng* rng_;
  BatchOptions options_;
  std::vector<std::size_t> order_;
  std::size_t position_ = 0;  // start of the next batch in order_
  std::size_t epoch_ = 0;
  std::size_t batch_in_epoch_ = 0;
  bool in_epoch_ = false;
  Tensor x_, t_;
};

// The samples 0 … n-1 of any data set as two tensors, e.g. three MNIST images for a gradient check.
// Throws ValueError when n exceeds the number of samples.
TensorDataset first_samples(const Dataset& data, std::size_t n);

}  // namespace scratch

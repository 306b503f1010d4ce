// batches.cpp — see batches.hpp.
#include "data/batches.hpp"

#include <algorithm>
#include <numeric>

namespace scratch {

MiniBatches::MiniBatches(const Dataset& data, std::size_t batch_size, Rng& rng, BatchOptions options)
    : data_(&data), batch_size_(batch_size), rng_(&rng), options_(options) {
  const std::size_t n = data.size();
  if (batch_size == 0) fail<ValueError>("MiniBatches: batch size must be at least 1, got 0");
  if (n == 0) fail<ValueError>("MiniBatches: the data set is empty; there is nothing to make batches of");
  if (batch_size > n)
    fail<ValueError>("MiniBatches: batch size ", batch_size, " is larger than the data set (", n,
                     " samples); use a batch size of at most ", n, " (", n, " itself trains on the full batch)");
}

std::size_t MiniBatches::batches_per_epoch() const {
  const std::size_t n = data_->size();
  return options_.last == LastBatch::kKeep ? (n + batch_size_ - 1) / batch_size_ : n / batch_size_;
}

void MiniBatches::start_epoch() {
  if (options_.shuffle == Shuffle::kEachEpoch) {
    order_ = rng_->permutation(data_->size());
  } else {
    order_.resize(data_->size());
    std::iota(order_.begin(), order_.end(), std::size_t{0});
  }
  position_ = 0;
  batch_in_epoch_ = 0;
  ++epoch_;
  in_epoch_ = true;
}

bool MiniBatches::next() {
  if (!in_epoch_) start_epoch();
  const std::size_t n = order_.size();
  const std::size_t end = std::min(position_ + batch_size_, n);
  const bool partial = end - position_ < batch_size_;
  if (position_ >= n || (partial && options_.last == LastBatch::kDrop)) {
    in_epoch_ = false;
    return false;
  }
  data_->batch(order_, position_, end, x_, t_);
  position_ = end;
  ++batch_in_epoch_;
  return true;
}

BatchPosition MiniBatches::position() const {
  BatchPosition p;
  p.samples = data_->size();
  p.batch_size = batch_size_;
  if (in_epoch_) {
    p.order = order_;
    p.next_batch = batch_in_epoch_;
  }
  return p;
}

void MiniBatches::set_position(const BatchPosition& position) {
  const std::size_t n = data_->size();
  const BatchPosition& p = position;
  if (p.order.empty()) {
    if (p.next_batch != 0)
      fail<ValueError>("MiniBatches.set_position: batch ", p.next_batch, " is next but the position has no order ",
                       "(an empty order means between epochs, where the next batch is 0)");
    in_epoch_ = false;
    return;
  }
  if (p.samples != n || p.batch_size != batch_size_ || p.order.size() != n)
    fail<ValueError>("MiniBatches.set_position: the epoch was cut into batches of ", p.batch_size, " from ", p.samples,
                     " samples (an order of ", p.order.size(), "), but these batches are of ", batch_size_, " from ",
                     n, " samples; continue it with the same data and batch size");
  if (p.next_batch > batches_per_epoch())
    fail<ValueError>("MiniBatches.set_position: batch ", p.next_batch, " is next but an epoch has only ",
                     batches_per_epoch(), " batches");
  std::vector<bool> seen(n, false);
  for (const std::size_t i : p.order) {
    if (i >= n || seen[i])
      fail<ValueError>("MiniBatches.set_position: the order is not a permutation of 0 … ", n - 1, " (index ", i,
                       i >= n ? " is out of range)" : " appears twice)");
    seen[i] = true;
  }
  order_ = p.order;
  position_ = std::min(p.next_batch * batch_size_, n);
  batch_in_epoch_ = p.next_batch;
  ++epoch_;
  in_epoch_ = true;
}

void MiniBatches::put_back() {
  if (!in_epoch_ || batch_in_epoch_ == 0)
    fail<ValueError>("MiniBatches.put_back: there is no current batch to put back (call next() first)");
  --batch_in_epoch_;
  position_ = batch_in_epoch_ * batch_size_;
}

TensorDataset first_samples(const Dataset& data, std::size_t n) {
  if (n > data.size())
    fail<ValueError>("first_samples: asked for ", n, " samples but the data set has only ", data.size());
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  Tensor x, t;
  data.batch(order, 0, n, x, t);
  return TensorDataset(std::move(x), std::move(t));
}

}  // namespace scratch

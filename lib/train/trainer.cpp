// trainer.cpp — see trainer.hpp.
#include "train/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "train/clip.hpp"
#include "train/dedup.hpp"

namespace scratch {
namespace {

// x and t seen as a Dataset without copying them (TensorDataset owns its tensors; for MNIST-sized
// arrays fit(x, t) should not double the memory).
class BorrowedTensors : public Dataset {
 public:
  BorrowedTensors(const Tensor& x, const Tensor& t) : x_(x), t_(t) {
    if (x.ndim() == 0 || t.ndim() == 0 || x.shape()[0] != t.shape()[0])
      fail<ShapeError>("Trainer.fit: x has shape ", shape_string(x.shape()), " and t has shape ",
                       shape_string(t.shape()), "; both need the same number of samples along axis 0");
  }
  std::size_t size() const override { return x_.shape()[0]; }
  void batch(const std::vector<std::size_t>& order, std::size_t begin, std::size_t end, Tensor& x,
             Tensor& t) const override {
    x_.take_rows(order, begin, end, x);
    t_.take_rows(order, begin, end, t);
  }

 private:
  const Tensor& x_;
  const Tensor& t_;
};

}  // namespace

Trainer::Trainer(Model& model, Optimizer& optimizer, Rng& rng)
    : model_(model), optimizer_(optimizer), rng_(rng), log_(&std::cout) {}

void Trainer::fit(const Tensor& x, const Tensor& t, int max_epoch, std::size_t batch_size, Scalar max_grad,
                  int eval_interval) {
  const BorrowedTensors data(x, t);
  run_epochs(data, max_epoch, batch_size, max_grad, eval_interval);
}

void Trainer::fit(const Dataset& data, int max_epoch, std::size_t batch_size, Scalar max_grad, int eval_interval) {
  run_epochs(data, max_epoch, batch_size, max_grad, eval_interval);
}

void Trainer::run_epochs(const Dataset& data, int max_epoch, std::size_t batch_size, Scalar max_grad,
                         int eval_interval) {
  const std::size_t n = data.size();
  if (n == 0) fail<ValueError>("Trainer.fit: the data set is empty");
  if (max_epoch < 1) fail<ValueError>("Trainer.fit: max_epoch must be at least 1, got ", max_epoch);
  if (batch_size == 0 || batch_size > n)
    fail<ValueError>("Trainer.fit: batch_size is ", batch_size, " but must be between 1 and the data set's ", n,
                     " samples");
  if (!(std::isfinite(max_grad) && max_grad >= 0))
    fail<ValueError>("Trainer.fit: max_grad must be a finite number >= 0 (0: no clipping), got ", max_grad);
  if (eval_interval < 0)
    fail<ValueError>("Trainer.fit: eval_interval must be >= 0 (0: one line per epoch), got ", eval_interval);

  // ⌈N/B⌉: the last, smaller batch is trained on too.
  const std::size_t max_iters = (n + batch_size - 1) / batch_size;
  const auto interval = static_cast<std::size_t>(eval_interval);
  total_loss_ = 0;
  loss_count_ = 0;
  timer_.reset();
  for (int e = 0; e < max_epoch; ++e) {
    const std::vector<std::size_t> order = rng_.permutation(n);  // np.random.permutation(N)
    for (std::size_t it = 0; it < max_iters; ++it) {
      const std::size_t begin = it * batch_size, end = std::min(n, begin + batch_size);
      const bool full = end - begin == batch_size;
      Tensor& x = full ? x_batch_ : x_last_;
      Tensor& t = full ? t_batch_ : t_last_;
      data.batch(order, begin, end, x, t);
      step(x, t, max_grad, it + 1, max_iters);
      if (interval > 0 && it % interval == 0) report(epoch_ + 1, it + 1, max_iters);
    }
    if (interval == 0) report(epoch_ + 1, max_iters, max_iters);
    ++epoch_;
  }
  if (loss_count_ > 0) report(epoch_, max_iters, max_iters);  // the iterations after the last line
}

void Trainer::step(const Tensor& x, const Tensor& t, Scalar max_grad, std::size_t epoch_iter, std::size_t max_iters) {
  // Where we are, and what a NumericalError leaves behind, for its message.
  const auto where = [&] {
    return concat("Trainer: epoch ", epoch_ + 1, ", iter ", epoch_iter, " / ", max_iters, " (iteration ",
                  iteration_ + 1, "): ");
  };
  const auto kept = [&] {
    const std::string state = iteration_ == 0 ? std::string("the initial ones")
                                              : concat("those after iteration ", iteration_);
    return concat("; the update was not applied, so the parameters are ", state,
                  ". Try a smaller learning rate or gradient clipping (max_grad > 0)");
  };

  const Scalar loss = model_.forward(x, t);
  if (!std::isfinite(loss)) fail<NumericalError>(where(), "the loss is ", loss, kept());
  model_.backward();
  const std::vector<ParamUse> uses = model_.params();
  const std::vector<ParamPtr> params = remove_duplicates(uses);

  Scalar norm = 0;
  try {
    norm = max_grad > 0 ? clip_grads(params, max_grad) : grad_norm(params);
  } catch (const NumericalError& e) {
    fail<NumericalError>(where(), e.what(), kept());
  }
  stats_.param_uses = uses.size();
  stats_.distinct_params = params.size();
  stats_.max_grad_norm = std::max(stats_.max_grad_norm, norm);
  if (max_grad > 0 && norm > max_grad) ++stats_.clipped_updates;

  optimizer_.update(params);
  ++stats_.updates;
  ++iteration_;
  total_loss_ += loss;
  ++loss_count_;
}

void Trainer::report(int epoch, std::size_t epoch_iter, std::size_t max_iters) {
  const Scalar average = static_cast<Scalar>(total_loss_ / static_cast<double>(loss_count_));
  if (log_ != nullptr) {
    // The book's line: '| epoch %d |  iter %d / %d | time %d[s] | loss %.2f'.
    char line[160];
    std::snprintf(line, sizeof line, "| epoch %d |  iter %zu / %zu | time %d[s] | loss %.2f", epoch, epoch_iter,
                  max_iters, static_cast<int>(timer_.seconds()), static_cast<double>(average));
    *log_ << line << std::endl;  // flushed: a long run shows its progress as it goes
  }
  HistoryPoint point;
  point.iteration = iteration_;
  point.epoch = epoch;
  point.epoch_iter = epoch_iter;
  point.iters_per_epoch = max_iters;
  point.iterations_averaged = loss_count_;
  point.loss = average;
  history_.add(point);
  total_loss_ = 0;
  loss_count_ = 0;
}

}  // namespace scratch

// trainer.cpp — see trainer.hpp.
#include "train/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "core/interrupt.hpp"
#include "train/checkpoint.hpp"
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
  if (!order_.empty() && (epoch_samples_ != n || epoch_batch_size_ != batch_size))
    fail<ValueError>("Trainer.fit: epoch ", epoch_ + 1, " stopped after iteration ", next_iter_, " of a pass over ",
                     epoch_samples_, " samples in batches of ", epoch_batch_size_, "; call fit with that data and ",
                     "batch_size to finish it (got ", n, " samples, batch_size ", batch_size, ")");
  interrupted_ = false;
  timer_.reset();
  const InterruptGuard interrupt;  // Ctrl-C only sets a flag until fit() returns
  bool stopped_early = false;
  for (int e = 0; e < max_epoch && !stopped_early; ++e) {
    if (order_.empty()) {  // a new epoch; otherwise finish the unfinished one in its own order
      order_ = rng_.permutation(n);  // np.random.permutation(N)
      epoch_samples_ = n;
      epoch_batch_size_ = batch_size;
    }
    for (std::size_t it = next_iter_; it < max_iters; ++it) {
      const std::size_t begin = it * batch_size, end = std::min(n, begin + batch_size);
      const bool full = end - begin == batch_size;
      Tensor& x = full ? x_batch_ : x_last_;
      Tensor& t = full ? t_batch_ : t_last_;
      data.batch(order_, begin, end, x, t);
      step(x, t, max_grad, it + 1, max_iters);
      next_iter_ = it + 1;
      if (interval > 0 && it % interval == 0) report(epoch_ + 1, it + 1, max_iters);
      if (interrupt.requested() && next_iter_ < max_iters) break;  // mid-epoch: stop here
    }
    if (next_iter_ < max_iters) {
      stopped_early = true;
      break;
    }
    next_iter_ = 0;
    order_.clear();
    if (interval == 0) report(epoch_ + 1, max_iters, max_iters);
    ++epoch_;
    stopped_early = interrupt.requested() && e + 1 < max_epoch;
    const bool last = e + 1 == max_epoch || stopped_early;  // persisted below
    if (!last && epoch_ % checkpoint_every_ == 0) persist();
  }
  interrupted_ = interrupt.requested();
  // The iterations after the last line, unless training stopped early: then they stay pending, so
  // that going on later gives the same history as never stopping.
  if (!stopped_early && loss_count_ > 0) report(epoch_, max_iters, max_iters);
  persist();
  if (stopped_early && log_ != nullptr) {
    *log_ << "| interrupted after iteration " << iteration_ << " (epoch " << epoch_ + (next_iter_ > 0 ? 1 : 0)
          << ", iter " << (next_iter_ > 0 ? next_iter_ : max_iters) << " / " << max_iters << ")";
    if (checkpoint_path_.empty()) *log_ << "; no checkpoint path set (Trainer::set_checkpoint)";
    else *log_ << "; checkpoint written to " << checkpoint_path_ << ", resume() continues from there";
    *log_ << std::endl;
  }
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

// ---- checkpoints ----

void Trainer::set_checkpoint(const fs::path& path, int every_epochs) {
  if (every_epochs < 1)
    fail<ValueError>("Trainer.set_checkpoint: every_epochs must be at least 1, got ", every_epochs);
  checkpoint_path_ = path;
  checkpoint_every_ = every_epochs;
}

void Trainer::persist() const {
  if (!checkpoint_path_.empty()) save_checkpoint(checkpoint_path_);
  if (!history_csv_.empty()) history_.save_csv(history_csv_);
}

void Trainer::save_checkpoint(const fs::path& path) const {
  const std::vector<ParamPtr> params = distinct_params(model_);
  Checkpoint c;
  for (const ParamPtr& p : params) c.params.push_back({p->name, p->value});
  c.optimizer = optimizer_.export_state(params);
  TrainerState s;
  s.epoch = epoch_;
  s.iteration = iteration_;
  s.rng = rng_.state();
  s.stats = stats_;
  s.total_loss = total_loss_;
  s.loss_count = loss_count_;
  s.samples = epoch_samples_;
  s.batch_size = epoch_batch_size_;
  s.next_iter = next_iter_;
  s.order = order_;
  s.history = history_;
  c.trainer = std::move(s);
  write_checkpoint(path, c);
}

void Trainer::resume(const fs::path& path) {
  const Checkpoint c = read_checkpoint(path);
  const std::vector<ParamPtr> params = distinct_params(model_);
  check_fits(c, params, optimizer_, path);
  if (!c.trainer)
    fail<ValueError>("Trainer.resume: ", path, " holds a model and optimizer but no trainer state (it was written "
                     "by save_checkpoint(path, model, optimizer)); load it with load_checkpoint instead");
  const TrainerState& s = *c.trainer;
  Rng rng;
  rng.set_state(s.rng);  // parsed once already by read_checkpoint: cannot fail here
  restore(c, params, optimizer_);  // the last step that may throw; from here on nothing can
  rng_ = rng;
  epoch_ = s.epoch;
  iteration_ = s.iteration;
  stats_ = s.stats;
  total_loss_ = s.total_loss;
  loss_count_ = s.loss_count;
  epoch_samples_ = s.samples;
  epoch_batch_size_ = s.batch_size;
  next_iter_ = s.next_iter;
  order_ = s.order;
  history_ = s.history;
  interrupted_ = false;
}

PlotResult Trainer::plot(const fs::path& png, PlotOptions options) const {
  if (options.title.empty()) options.title = "training loss";
  if (options.xlabel.empty()) options.xlabel = "iteration";
  if (options.ylabel.empty()) options.ylabel = "average loss";
  return plot_curve(png, Series{"train", history_.iterations(), history_.losses()}, options);
}

}  // namespace scratch

// trainer.cpp — see trainer.hpp.
#include "train/trainer.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "core/interrupt.hpp"
#include "train/checkpoint.hpp"
#include "train/clip.hpp"
#include "train/dedup.hpp"

namespace scratch {

Trainer::Trainer(Model& model, Optimizer& optimizer, Rng& rng)
    : model_(model), optimizer_(optimizer), rng_(rng), log_(&std::cout) {}

void Trainer::fit(const Tensor& x, const Tensor& t, int max_epoch, std::size_t batch_size, Scalar max_grad,
                  int eval_interval) {
  run_epochs(TensorDataset::borrow(x, t, "Trainer.fit"), max_epoch, batch_size, max_grad, eval_interval);
}

void Trainer::fit(const Dataset& data, int max_epoch, std::size_t batch_size, Scalar max_grad, int eval_interval) {
  run_epochs(data, max_epoch, batch_size, max_grad, eval_interval);
}

// The book's fit: for each epoch, for each mini-batch, a step, maybe a log line, and here a look at
// Ctrl-C. `stopped_early`: a Ctrl-C ended the fit before max_epoch epochs were done.
void Trainer::run_epochs(const Dataset& data, int max_epoch, std::size_t batch_size, Scalar max_grad,
                         int eval_interval) {
  check_fit(data, max_epoch, batch_size, max_grad, eval_interval);
  MiniBatches batches = batches_for(data, batch_size);  // picks up an unfinished epoch, if any
  const std::size_t max_iters = batches.batches_per_epoch();  // ⌈N/B⌉: the smaller last batch counts
  const auto interval = static_cast<std::size_t>(eval_interval);
  model_.set_mode(Mode::kTrain);
  interrupted_ = false;
  timer_.reset();
  const InterruptGuard interrupt;  // Ctrl-C only sets a flag until fit() returns
  bool stopped_early = false;
  for (int e = 0; e < max_epoch && !stopped_early; ++e) {
    while (batches.next()) {  // a new epoch draws rng.permutation(N) here, like np.random.permutation
      train_on(batches, max_grad);
      const std::size_t iter = batches.batch_in_epoch();
      if (interval > 0 && (iter - 1) % interval == 0) report(state_.epoch + 1, iter, max_iters);
      stopped_early = interrupt.requested() && iter < max_iters;  // mid-epoch: stop here
      if (stopped_early) break;
    }
    if (stopped_early) break;
    stopped_early = interrupt.requested() && e + 1 < max_epoch;
    end_epoch(batches, e + 1 == max_epoch || stopped_early, interval);
  }
  interrupted_ = interrupt.requested();
  end_fit(batches, stopped_early);
}

void Trainer::check_fit(const Dataset& data, int max_epoch, std::size_t batch_size, Scalar max_grad,
                        int eval_interval) const {
  const std::size_t n = data.size();
  if (n == 0) fail<ValueError>("Trainer.fit: the data set is empty");
  if (max_epoch < 1) fail<ValueError>("Trainer.fit: max_epoch must be at least 1, got ", max_epoch);
  // The epoch counter is an int and the log shows epoch + 1: it must stay below INT_MAX.
  if (max_epoch > INT_MAX - 1 - state_.epoch)
    fail<ValueError>("Trainer.fit: ", state_.epoch, " epochs are done and ", max_epoch, " more would count past ",
                     INT_MAX - 1, ", the most epochs a trainer counts");
  if (batch_size == 0 || batch_size > n)
    fail<ValueError>("Trainer.fit: batch_size is ", batch_size, " but must be between 1 and the data set's ", n,
                     " samples");
  if (!(std::isfinite(max_grad) && max_grad >= 0))
    fail<ValueError>("Trainer.fit: max_grad must be a finite number >= 0 (0: no clipping), got ", max_grad);
  if (eval_interval < 0)
    fail<ValueError>("Trainer.fit: eval_interval must be >= 0 (0: one line per epoch), got ", eval_interval);
}

// This fit()'s mini-batches; an epoch left unfinished goes on where it stopped, in its own order.
MiniBatches Trainer::batches_for(const Dataset& data, std::size_t batch_size) {
  const BatchPosition& p = state_.batches;
  if (!p.order.empty() && (p.samples != data.size() || p.batch_size != batch_size))
    fail<ValueError>("Trainer.fit: epoch ", state_.epoch + 1, " stopped after iteration ", p.next_batch,
                     " of a pass over ", p.samples, " samples in batches of ", p.batch_size,
                     "; call fit with that data and batch_size to finish it (got ", data.size(),
                     " samples, batch_size ", batch_size, ")");
  MiniBatches batches(data, batch_size, rng_);
  batches.set_position(p);
  return batches;
}

// One step on the batch in hand. If it throws, the batch goes back, and state_ keeps the epoch's
// position: the next fit() (or a checkpoint) starts with that batch.
void Trainer::train_on(MiniBatches& batches, Scalar max_grad) {
  try {
    step(batches.x(), batches.t(), max_grad, batches.batch_in_epoch(), batches.batches_per_epoch());
  } catch (...) {
    batches.put_back();
    state_.batches = batches.position();
    throw;
  }
}

void Trainer::step(const Tensor& x, const Tensor& t, Scalar max_grad, std::size_t epoch_iter, std::size_t max_iters) {
  // Where we are, and what a NumericalError leaves behind, for its message.
  const auto where = [&] {
    return concat("Trainer: epoch ", state_.epoch + 1, ", iter ", epoch_iter, " / ", max_iters, " (iteration ",
                  state_.iteration + 1, "): ");
  };
  const auto kept = [&] {
    const std::string state = state_.iteration == 0 ? std::string("the initial ones")
                                                    : concat("those after iteration ", state_.iteration);
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
  TrainerStats& stats = state_.stats;
  stats.param_uses = uses.size();
  stats.distinct_params = params.size();
  stats.max_grad_norm = std::max(stats.max_grad_norm, norm);
  if (max_grad > 0 && norm > max_grad) ++stats.clipped_updates;

  optimizer_.update(params);
  ++state_.iteration;
  state_.total_loss += loss;
  ++state_.loss_count;
}

void Trainer::report(int epoch, std::size_t epoch_iter, std::size_t max_iters) {
  const Scalar average = static_cast<Scalar>(state_.total_loss / static_cast<double>(state_.loss_count));
  if (log_ != nullptr) {
    // The book's line: '| epoch %d |  iter %d / %d | time %d[s] | loss %.2f'.
    char line[160];
    std::snprintf(line, sizeof line, "| epoch %d |  iter %zu / %zu | time %d[s] | loss %.2f", epoch, epoch_iter,
                  max_iters, static_cast<int>(timer_.seconds()), static_cast<double>(average));
    *log_ << line << std::endl;  // flushed: a long run shows its progress as it goes
  }
  HistoryPoint point;
  point.iteration = state_.iteration;
  point.epoch = epoch;
  point.epoch_iter = epoch_iter;
  point.iters_per_epoch = max_iters;
  point.iterations_averaged = state_.loss_count;
  point.loss = average;
  state_.history.add(point);
  state_.total_loss = 0;
  state_.loss_count = 0;
}

// An epoch is done: its log line when eval_interval is 0, the count, and every n-th epoch a
// checkpoint (the last epoch of a fit() is persisted by end_fit).
void Trainer::end_epoch(const MiniBatches& batches, bool last, std::size_t interval) {
  const std::size_t max_iters = batches.batches_per_epoch();
  if (interval == 0) report(state_.epoch + 1, max_iters, max_iters);
  ++state_.epoch;
  if (!last && state_.epoch % outputs_.every_epochs == 0) persist(batches);
}

void Trainer::end_fit(const MiniBatches& batches, bool stopped_early) {
  const std::size_t max_iters = batches.batches_per_epoch();
  // The iterations after the last line, unless training stopped early: then they stay pending, so
  // that going on later gives the same history as never stopping.
  if (!stopped_early && state_.loss_count > 0) report(state_.epoch, max_iters, max_iters);
  persist(batches);
  if (!stopped_early || log_ == nullptr) return;
  const std::size_t next = state_.batches.next_batch;  // 0: Ctrl-C came as an epoch ended
  *log_ << "| interrupted after iteration " << state_.iteration << " (epoch " << state_.epoch + (next > 0 ? 1 : 0)
        << ", iter " << (next > 0 ? next : max_iters) << " / " << max_iters << ")";
  if (outputs_.checkpoint.empty())
    *log_ << "; no checkpoint was written, so this run cannot be continued once the program exits";
  else
    *log_ << "; checkpoint written to " << outputs_.checkpoint << ", resume() continues from there";
  *log_ << std::endl;
}

// ---- checkpoints ----

void Trainer::set_checkpoint(const fs::path& path, int every_epochs) {
  if (every_epochs < 1)
    fail<ValueError>("Trainer.set_checkpoint: every_epochs must be at least 1, got ", every_epochs);
  outputs_.checkpoint = path;
  outputs_.every_epochs = every_epochs;
}

void Trainer::persist(const MiniBatches& batches) {
  state_.batches = batches.position();
  if (!outputs_.checkpoint.empty()) save_checkpoint(outputs_.checkpoint);
  if (!outputs_.history_csv.empty()) state_.history.save_csv(outputs_.history_csv);
}

void Trainer::save_checkpoint(const fs::path& path) const {
  Checkpoint c = make_checkpoint(model_, optimizer_);
  c.trainer = state_;
  c.rng = rng_.state();
  write_checkpoint(path, c);
}

void Trainer::resume(const fs::path& path) {
  const Checkpoint c = read_checkpoint(path);
  check_fits(c, model_, optimizer_, path);
  if (!c.trainer)
    fail<ValueError>("Trainer.resume: ", path, " holds a model and optimizer but no trainer state (it was written "
                     "by save_checkpoint(path, model, optimizer)); load it with load_checkpoint instead");
  TrainerState state = *c.trainer;
  Rng rng;
  rng.set_state(c.rng);  // parsed once already by read_checkpoint: cannot fail here
  restore(c, model_, optimizer_);  // the last step that may throw; from here on nothing can
  rng_ = rng;
  state_ = std::move(state);
  interrupted_ = false;
}

PlotResult Trainer::plot(const fs::path& png, PlotOptions options) const {
  if (options.title.empty()) options.title = "training loss";
  if (options.xlabel.empty()) options.xlabel = "iteration";
  if (options.ylabel.empty()) options.ylabel = "average loss";
  return plot_curve(png, Series{"train", state_.history.iterations(), state_.history.losses()}, options);
}

}  // namespace scratch

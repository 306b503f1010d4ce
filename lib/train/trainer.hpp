// trainer.hpp — the book's Trainer: the loop that turns a Model and an Optimizer into a trained model.
//
// One iteration on a mini-batch x (B, …), t (B, …):
//
//   loss   = model.forward(x, t)                  the batch's mean loss
//   model.backward()                              every layer writes its gradient for each use
//   params = remove_duplicates(model.params())    Param::grad = Σ over uses (shared weights, tying)
//   ‖g‖    = clip_grads(params, max_grad)         only if max_grad > 0; otherwise only measured
//   optimizer.update(params)
//
// An epoch visits all N samples once, in a new random order: ⌈N/B⌉ iterations. When B does not
// divide N the last mini-batch is smaller (N mod B samples); it is trained on and counted in the
// log's "/ max_iters" (the book used N // B iterations and silently skipped the leftover samples).
//
// Logging, as in the book: within each epoch at iterations 1, 1+k, 1+2k, … (k = eval_interval)
// it prints one line with the average loss of the iterations since the previous line,
//
//   | epoch 1 |  iter 21 / 600 | time 0[s] | loss 2.29
//
// (time: whole seconds since fit() began) and appends the same average to history(). The
// iterations after the last line of a fit() are reported in one more line when it ends, so every
// iteration is in exactly one history point. eval_interval = 0 logs once, at the end of each epoch.
//
// A NaN or infinite loss or gradient stops training *before* that update is applied: the
// parameters (and the optimizer's state) stay those of the last good iteration, and fit() throws a
// NumericalError naming the epoch, the iteration and, for a gradient, the parameter.
//
// Checkpoints and Ctrl-C (train/checkpoint.hpp). With set_checkpoint(path, n), fit() writes a
// checkpoint atomically after every n-th epoch and when it ends. Ctrl-C (SIGINT) during fit()
// finishes the current iteration, writes the checkpoint and the history CSV (if paths are set) and
// returns normally with interrupted() true, so a program can still plot and exit cleanly; a second
// Ctrl-C kills it (core/interrupt.hpp). resume(path) restores the parameters, the optimizer's state,
// the shuffling RNG, the counters, the history, and an unfinished epoch's order and position; a
// resumed run then computes exactly the losses the uninterrupted one would have (same seed and
// thread count). An interrupt, like a checkpoint, never adds a history point: the losses since the
// last point stay pending (in the trainer and in the checkpoint) until training goes on, so the
// history of "interrupt, resume, go on" equals that of a run never interrupted (the interrupted
// run's own plot lacks at most eval_interval − 1 of its last iterations). Typical use:
//
//   trainer.set_checkpoint("run.ckpt", 1);
//   if (fs::exists("run.ckpt")) trainer.resume("run.ckpt");
//   if (trainer.current_epoch() < kEpochs) trainer.fit(x, t, kEpochs - trainer.current_epoch(), ...);
//   if (trainer.interrupted()) std::cout << "stopped early; run again to continue\n";
#pragma once

#include <cstddef>
#include <iosfwd>

#include "core/paths.hpp"
#include "core/random.hpp"
#include "core/timer.hpp"
#include "data/batches.hpp"
#include "data/dataset.hpp"
#include "models/model.hpp"
#include "optim/optimizer.hpp"
#include "plot/plot.hpp"
#include "train/history.hpp"

namespace scratch {

// Counters a chapter can print after training.
struct TrainerStats {
  std::size_t param_uses = 0;       // ParamUses reported by model.params() (at the last step)
  std::size_t distinct_params = 0;  // distinct parameters after remove_duplicates (at the last step)
  std::size_t clipped_updates = 0;  // steps whose gradient norm exceeded max_grad and was scaled down
  Scalar max_grad_norm = 0;         // the largest global gradient norm seen, before clipping
};

// Where a Trainer is in training, down to the iteration: the trainer holds exactly this, and a
// checkpoint stores exactly this (with the shuffling engine's state, which the trainer only
// references), so that resume() continues a run as if it had never stopped.
struct TrainerState {
  int epoch = 0;              // completed epochs
  std::size_t iteration = 0;  // completed iterations = optimizer updates
  TrainerStats stats;
  double total_loss = 0;       // sum of the losses since the last history point
  std::size_t loss_count = 0;  // how many
  // The epoch in progress (data/batches.hpp): its shuffled order (empty between epochs) and next
  // batch. While fit() runs, its MiniBatches holds the live position; fit() copies it here when it
  // writes a checkpoint and when it returns or throws.
  BatchPosition batches;
  History history;
};

class Trainer {
 public:
  // The trainer keeps references: model, optimizer and rng must outlive it. rng draws the
  // shuffles; the default, the global engine, follows the chapters' --seed.
  Trainer(Model& model, Optimizer& optimizer, Rng& rng = global_rng());

  // Trains on samples x (N, …) with labels t (N, …), without copying them (TensorDataset::borrow).
  //   max_epoch ≥ 1; 1 ≤ batch_size ≤ N; max_grad ≥ 0 (0: no clipping); eval_interval ≥ 0.
  // Puts the model in training mode (Mode::kTrain) first. Throws ValueError for a bad argument,
  // ShapeError when x and t disagree on N, NumericalError as described above, IoError when a
  // checkpoint cannot be written. Epochs and iterations keep counting across calls, as does the
  // history. An epoch left unfinished (by Ctrl-C, an exception, or in a resumed checkpoint) is
  // finished first, with its own shuffled order, and counts as one of max_epoch; it needs the same
  // N and batch_size (ValueError otherwise). A step that throws is not counted: its batch comes
  // first when training goes on.
  void fit(const Tensor& x, const Tensor& t, int max_epoch = 10, std::size_t batch_size = 32, Scalar max_grad = 0,
           int eval_interval = 20);

  // The same over any Dataset (MNIST keeps its bytes and normalises one batch at a time).
  void fit(const Dataset& data, int max_epoch = 10, std::size_t batch_size = 32, Scalar max_grad = 0,
           int eval_interval = 20);

  const History& history() const { return state_.history; }
  // history() as CSV (history.hpp), written atomically; throws IoError naming the path.
  void save_history(const fs::path& path) const { state_.history.save_csv(path); }

  // The loss curve, like the book's trainer.plot(): the history's average losses against the
  // iteration, drawn to `png` (a bare name goes into plots/) with its CSV and .gp script beside it.
  // `options` sets the title, smoothing, log scale or terminal echo; empty axis labels are filled in.
  // Returns what was written (print PlotResult::message).
  PlotResult plot(const fs::path& png, PlotOptions options = {}) const;

  const TrainerStats& stats() const { return state_.stats; }

  // Epochs completed so far and iterations (= optimizer updates) so far, over every fit() call.
  int current_epoch() const { return state_.epoch; }
  std::size_t iterations() const { return state_.iteration; }

  // ---- checkpoints and Ctrl-C ----
  // fit() writes a checkpoint to `path` after every `every_epochs`-th completed epoch (counted
  // across calls), when it ends and when Ctrl-C stops it. An empty path turns this off.
  void set_checkpoint(const fs::path& path, int every_epochs = 1);
  // At the same moments, writes history() as CSV to `path` (empty: off).
  void set_history_csv(const fs::path& path) { outputs_.history_csv = path; }
  // Writes a checkpoint of the model, the optimizer and this trainer now; throws IoError.
  void save_checkpoint(const fs::path& path) const;
  // Takes a checkpoint written by a Trainer back: everything or nothing (see load_checkpoint for the
  // errors; a file without trainer state, from scratch::save_checkpoint, is a ValueError). The model
  // and optimizer must be built as when it was saved; the rng passed to this trainer gets its state.
  void resume(const fs::path& path);
  // Whether a Ctrl-C arrived during the last fit(). It returned early unless the signal came in
  // its very last iteration.
  bool interrupted() const { return interrupted_; }

  // Where the log lines go (std::cout by default); nullptr silences them. The history is kept either way.
  void set_log(std::ostream* out) { log_ = out; }

 private:
  // What fit() writes besides the model's training: set_checkpoint and set_history_csv.
  struct Outputs {
    fs::path checkpoint, history_csv;
    int every_epochs = 1;
  };

  void run_epochs(const Dataset& data, int max_epoch, std::size_t batch_size, Scalar max_grad, int eval_interval);
  void check_fit(const Dataset& data, int max_epoch, std::size_t batch_size, Scalar max_grad,
                 int eval_interval) const;
  MiniBatches batches_for(const Dataset& data, std::size_t batch_size);
  void train_on(MiniBatches& batches, Scalar max_grad);
  void step(const Tensor& x, const Tensor& t, Scalar max_grad, std::size_t epoch_iter, std::size_t max_iters);
  void report(int epoch, std::size_t epoch_iter, std::size_t max_iters);
  void end_epoch(const MiniBatches& batches, bool last, std::size_t interval);
  void end_fit(const MiniBatches& batches, bool stopped_early);
  void persist(const MiniBatches& batches);  // the checkpoint and the history CSV, where paths are set

  Model& model_;
  Optimizer& optimizer_;
  Rng& rng_;
  std::ostream* log_;
  TrainerState state_;
  Outputs outputs_;
  Timer timer_;  // reset when fit() begins
  bool interrupted_ = false;
};

}  // namespace scratch

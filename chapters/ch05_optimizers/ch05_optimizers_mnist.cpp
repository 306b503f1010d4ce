// ch05_optimizers_mnist — SGD, Momentum, AdaGrad, RMSprop and Adam training one 5-layer ReLU net.
//
// The net is 784 → 100 → 100 → 100 → 100 → 10 with He initial weights (std √(2/fan_in)), the
// book's MultiLayerNet. Every optimizer starts from the SAME weights (copied from one net) and
// sees the SAME mini-batches (a batch generator seeded the same way), so the update rule is the
// only difference between the loss curves.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scratch.hpp"

using namespace scratch;

namespace {

constexpr std::size_t kHiddenLayers = 4, kHiddenUnits = 100;
constexpr int kIterations = 2000, kQuickIterations = 100;
constexpr std::size_t kBatchSize = 128, kQuickBatchSize = 32;
constexpr std::size_t kQuickTrainSamples = 6000, kQuickTestSamples = 1000;
constexpr std::size_t kSmoothWindow = 50;  // mini-batch losses averaged in the figure and the table
// The book's learning rates (its optimizer_compare_mnist.py); RMSprop's is ours (README).
constexpr double kLrSgd = 0.01, kLrMomentum = 0.01, kLrAdaGrad = 0.01, kLrRmsprop = 0.001, kLrAdam = 0.001;

struct Run {
  std::string name;
  double lr;
  std::unique_ptr<Optimizer> optimizer;
  std::vector<double> losses;  // one per iteration
  double test_accuracy = 0, seconds = 0;
};

// Mean of the (up to) `window` mini-batch losses ending at iteration `it` (1-based).
double trailing_mean(const std::vector<double>& losses, std::size_t it, std::size_t window) {
  const std::size_t first = it > window ? it - window : 0;
  double sum = 0;
  for (std::size_t i = first; i < it; ++i) sum += losses[i];
  return sum / static_cast<double>(it - first);
}

}  // namespace

int main(int argc, char** argv) {
  Cli cli(argc, argv, "Five optimizers train the same 5-layer ReLU net on MNIST from the same start.");
  const CommonFlags common = cli.common();
  const int iterations =
      cli.get("--iterations", common.quick ? kQuickIterations : kIterations, "training iterations per optimizer");
  const std::size_t batch_size =
      cli.get<std::size_t>("--batch-size", common.quick ? kQuickBatchSize : kBatchSize, "images per mini-batch");
  const bool plot_terminal = cli.flag("--plot-terminal", "also draw the loss curves in the terminal");
  const std::size_t train_count = common.quick ? kQuickTrainSamples : kMnistTrainCount;
  cli.require(iterations >= 1, "--iterations", "must be at least 1");
  cli.require(batch_size >= 1 && batch_size <= train_count, "--batch-size",
              concat("must be between 1 and the ", train_count, " training images"));
  if (!cli.finish()) return cli.exit_code();
  return guarded_main("ch05_optimizers_mnist", [&] {
    const std::size_t n = static_cast<std::size_t>(iterations);
    const Mnist mnist = load_mnist({PixelScale::kUnit, ImageLayout::kFlat, LabelFormat::kIndex});
    std::optional<TensorDataset> train_subset, test_subset;  // --quick: the first images only
    if (common.quick) {
      train_subset.emplace(first_samples(mnist.train, kQuickTrainSamples));
      test_subset.emplace(first_samples(mnist.test, kQuickTestSamples));
    }
    const Dataset& train = common.quick ? static_cast<const Dataset&>(*train_subset) : mnist.train;
    const Dataset& test = common.quick ? static_cast<const Dataset&>(*test_subset) : mnist.test;

    const std::vector<std::size_t> hidden(kHiddenLayers, kHiddenUnits);
    const MultiLayerNet initial(kMnistPixels, hidden, kMnistClasses);  // He init, drawn from --seed
    std::cout << "network: " << initial.architecture() << "\n"
              << "each optimizer: " << n << " iterations of batch " << batch_size << " from " << train.size()
              << " training images, the same initial weights and the same batches; test on " << test.size()
              << " images; " << threads_text() << "\n\n";

    std::vector<Run> runs;
    runs.push_back({"SGD", kLrSgd, std::make_unique<SGD>(Scalar(kLrSgd)), {}});
    runs.push_back({"Momentum", kLrMomentum, std::make_unique<Momentum>(Scalar(kLrMomentum)), {}});
    runs.push_back({"AdaGrad", kLrAdaGrad, std::make_unique<AdaGrad>(Scalar(kLrAdaGrad)), {}});
    runs.push_back({"RMSprop", kLrRmsprop, std::make_unique<RMSprop>(Scalar(kLrRmsprop)), {}});
    runs.push_back({"Adam", kLrAdam, std::make_unique<Adam>(Scalar(kLrAdam)), {}});
    // Ctrl-C or SIGTERM: finish the iteration, skip the optimizers not yet run, draw what was trained.
    const InterruptGuard interrupt;
    for (Run& run : runs) {
      if (interrupt.requested() && !runs.front().losses.empty()) break;  // SGD at least has begun
      Rng unused(0);  // the new net's random weights are overwritten at once
      MultiLayerNet net(kMnistPixels, hidden, kMnistClasses, {}, unused);
      net.copy_weights_from(initial);
      Rng batch_rng(common.seed);  // the same seed, so the same sequence of mini-batches
      MiniBatches batches(train, batch_size, batch_rng, {Shuffle::kEachEpoch, LastBatch::kDrop});
      Timer timer;
      for (std::size_t it = 0; it < n && (it == 0 || !interrupt.requested()); ++it) {
        if (!batches.next()) batches.next();  // an epoch ended: the next call starts a new one
        run.losses.push_back(static_cast<double>(net.forward(batches.x(), batches.t())));
        net.backward();
        run.optimizer->update(remove_duplicates(net.params()));
      }
      run.seconds = timer.seconds();
      run.test_accuracy = static_cast<double>(net.accuracy(test));
      std::printf("%-8s trained in %6.1f s, test accuracy %.4f\n", run.name.c_str(), run.seconds, run.test_accuracy);
      std::fflush(stdout);
    }

    const std::size_t window = std::min(kSmoothWindow, std::max<std::size_t>(1, n / 10));
    if (interrupt.requested()) {
      runs.erase(std::remove_if(runs.begin(), runs.end(), [](const Run& r) { return r.losses.empty(); }), runs.end());
      std::printf(
          "\nstopped by %s after iteration %zu of %s: the table and the comparison need every optimizer's\n"
          "%zu iterations and are skipped; the figure shows the iterations that were trained\n",
          interrupt_name(InterruptGuard::last_signal()), runs.back().losses.size(), runs.back().name.c_str(), n);
    } else {
      // The table: smoothed loss at a few iterations (1, 100, 500, 1000, 1500, 2000 for 2000).
      std::vector<std::size_t> checkpoints{1, n / 20, n / 4, n / 2, 3 * n / 4, n};
      checkpoints.erase(std::remove(checkpoints.begin(), checkpoints.end(), 0), checkpoints.end());
      checkpoints.erase(std::unique(checkpoints.begin(), checkpoints.end()), checkpoints.end());
      std::printf("\nloss at iteration (mean of the last %zu mini-batch losses; at 1, the first loss itself)\n",
                  window);
      std::printf("%-9s %6s", "optimizer", "lr");
      for (const std::size_t c : checkpoints) std::printf(" %7zu", c);
      std::printf("  test acc\n");
      for (const Run& run : runs) {
        std::printf("%-9s %6g", run.name.c_str(), run.lr);
        for (const std::size_t c : checkpoints) std::printf(" %7.4f", trailing_mean(run.losses, c, window));
        std::printf("  %8.4f\n", run.test_accuracy);
      }

      // What the table shows: is SGD the slowest, and by how much?
      std::vector<std::pair<double, const Run*>> final_loss;
      for (const Run& run : runs) final_loss.emplace_back(trailing_mean(run.losses, n, window), &run);
      std::sort(final_loss.begin(), final_loss.end());
      const Run& sgd = runs.front();
      const auto& [best_loss, best] = final_loss.front();
      const auto& [worst_loss, worst] = final_loss.back();
      if (worst == &sgd) {
        const auto& [next_loss, next] = final_loss[final_loss.size() - 2];
        std::printf(
            "\nSGD is the slowest: after %zu iterations its loss is %.3f, %.1f× the next slowest (%s, %.3f) "
            "and %.1f× the best (%s, %.3f);\nits test accuracy is %.4f against %.4f for %s.\n",
            n, worst_loss, worst_loss / next_loss, next->name.c_str(), next_loss, worst_loss / best_loss,
            best->name.c_str(), best_loss, sgd.test_accuracy, best->test_accuracy, best->name.c_str());
      } else {
        std::printf("\nSGD is NOT the slowest in this run: %s ends higher (%.3f against SGD's %.3f).\n",
                    worst->name.c_str(), worst_loss, trailing_mean(sgd.losses, n, window));
      }
    }

    // The figure: moving averages only (five raw curves would fill the chart with one noisy band).
    std::vector<Series> curves;
    double lowest = INFINITY, highest = 0;
    for (const Run& run : runs) {
      Series s{concat(run.name, " (lr ", run.lr, ")"), {}, moving_average(run.losses, window)};
      for (std::size_t i = 1; i <= run.losses.size(); ++i) s.x.push_back(static_cast<double>(i));
      for (const double v : s.y) lowest = std::isfinite(v) && v > 0 ? std::min(lowest, v) : lowest;
      for (const double v : s.y) highest = std::isfinite(v) ? std::max(highest, v) : highest;
      curves.push_back(std::move(s));
    }
    PlotOptions plot;
    plot.title = "ch05: 5-layer ReLU net on MNIST, same start, same batches";
    plot.xlabel = "iteration";
    // A log scale when the losses span more than a factor 20; within one decade a log axis has a single label.
    plot.log_y = highest > 20 * lowest;
    plot.ylabel = concat("loss, mean of ", window, " mini-batches", plot.log_y ? " (log scale)" : "");
    if (lowest < highest) plot.y_range = plot.log_y ? Range{lowest * 0.8, highest * 1.25} : Range{0, highest * 1.05};
    plot.echo = plot_terminal ? TerminalEcho::kYes : TerminalEcho::kNo;
    const PlotResult result = plot_curves(plots_dir() / "ch05_optimizers_mnist.png", curves, plot);
    std::cout << "\n" << result.message << "\n";
    // The shell's status for a program stopped by a signal, so a script sees the run is incomplete.
    return interrupt.requested() ? 128 + InterruptGuard::last_signal() : 0;
  });
}

// ch07_hyperparameter_search — random search for the learning rate and weight decay (DLFS-1 §6.5,
// ch06/hyperparameter_optimization.py).
//
// 500 MNIST training images, of which 20 % are held out as validation data: the hyperparameters are
// chosen by validation accuracy, never by test accuracy (that would fit them to the test set). Each
// trial draws lr = 10^U(−6, −2) and λ = 10^U(−8, −4) (random search covers each axis better than a
// grid: Bergstra & Bengio 2012), trains a 7-layer net and reports its validation accuracy. The best
// trials show which region of (lr, λ) to search next, more finely.
//
// Trials run in parallel across threads. Each trial's draws (lr, λ, weights, batch order) come from
// its own engine seeded by (seed, trial number), and it writes only its own result, so the table is
// the same on any thread count.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <iostream>

#include "scratch.hpp"

using namespace scratch;

namespace {

// ---- hyperparameters (the book's hyperparameter_optimization.py) ----
const std::vector<std::size_t> kHidden{100, 100, 100, 100, 100, 100};
constexpr double kValidationShare = 0.2;
constexpr double kLogLrLo = -6, kLogLrHi = -2, kLogLambdaLo = -8, kLogLambdaHi = -4;
constexpr std::size_t kShown = 20;

struct Trial {
  double lr = 0, lambda = 0, val_acc = 0, train_acc = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Cli cli(argc, argv, "Random search for the learning rate and weight decay λ, by validation accuracy.");
  const CommonFlags common = cli.common();
  const std::size_t trials = cli.get<std::size_t>("--trials", common.quick ? 4 : 50, "random (lr, λ) trials");
  const int epochs = cli.get("--epochs", common.quick ? 2 : 50, "training epochs per trial");
  const std::size_t train_samples =
      cli.get<std::size_t>("--train-samples", common.quick ? 200 : 500, "MNIST images (training + validation)");
  const std::size_t batch_size = cli.get<std::size_t>("--batch-size", 100, "images per mini-batch");
  cli.require(trials >= 1, "--trials", "must be at least 1");
  cli.require(epochs >= 1, "--epochs", "must be at least 1");
  cli.require(train_samples >= 10 && train_samples <= kMnistTrainCount, "--train-samples",
              concat("must be between 10 and ", kMnistTrainCount, ", the images in the MNIST training set"));
  const std::size_t val_samples = static_cast<std::size_t>(static_cast<double>(train_samples) * kValidationShare);
  cli.require(batch_size >= 1 && batch_size <= train_samples - val_samples, "--batch-size",
              concat("must be between 1 and the ", train_samples - val_samples, " images left after validation"));
  if (!cli.finish()) return cli.exit_code();
  return guarded_main("ch07_hyperparameter_search", [&] {
    const Mnist mnist = load_mnist({PixelScale::kUnit, ImageLayout::kFlat, LabelFormat::kIndex});
    // Shuffle the first train_samples images once (the book's shuffle_dataset), then split off validation.
    Rng split_rng(common.seed);
    const std::vector<std::size_t> order = split_rng.permutation(train_samples);
    Tensor xv, tv, xt, tt;
    mnist.train.batch(order, 0, val_samples, xv, tv);
    mnist.train.batch(order, val_samples, train_samples, xt, tt);
    const TensorDataset validation(std::move(xv), std::move(tv)), train(std::move(xt), std::move(tt));
    std::cout << "784 → 6 × 100 → 10 ReLU nets, " << train.size() << " training and " << validation.size()
              << " validation images, SGD, batch " << batch_size << ", " << epochs << " epochs per trial, " << trials
              << " trials: lr = 10^U(" << kLogLrLo << ", " << kLogLrHi << "), λ = 10^U(" << kLogLambdaLo << ", "
              << kLogLambdaHi << "); trials in parallel, " << threads_text() << "\n";
    std::vector<Trial> results(trials);
    std::vector<std::exception_ptr> errors(trials);
    Timer timer;
    // One trial per item; each item is far above the size that pays for a region.
    parallel_for(trials, kMinParallelWork, [&](std::size_t k) {
      try {
        Rng rng(common.seed * 1000003 + k + 1);
        Trial& r = results[k];
        r.lambda = std::pow(10.0, kLogLambdaLo + (kLogLambdaHi - kLogLambdaLo) * rng.uniform());  // the book's order:
        r.lr = std::pow(10.0, kLogLrLo + (kLogLrHi - kLogLrLo) * rng.uniform());                  // λ, then lr
        MultiLayerNetOptions options;
        options.weight_decay_lambda = static_cast<Scalar>(r.lambda);
        MultiLayerNet net(kMnistPixels, kHidden, kMnistClasses, options, rng);
        SGD sgd(static_cast<Scalar>(r.lr));
        MiniBatches batches(train, batch_size, rng);
        for (int epoch = 0; epoch < epochs; ++epoch)
          while (batches.next()) {
            net.forward(batches.x(), batches.t());
            net.backward();
            sgd.update(remove_duplicates(net.params()));
          }
        r.val_acc = static_cast<double>(net.accuracy(validation));
        r.train_acc = static_cast<double>(net.accuracy(train));
      } catch (...) {
        errors[k] = std::current_exception();  // an exception must not leave an OpenMP region
      }
    });
    for (const std::exception_ptr& e : errors)
      if (e) std::rethrow_exception(e);
    std::vector<std::size_t> rank(trials);
    for (std::size_t k = 0; k < trials; ++k) rank[k] = k;
    std::stable_sort(rank.begin(), rank.end(), [&](std::size_t a, std::size_t b) { return results[a].val_acc > results[b].val_acc; });
    std::printf("\n%.1f s. The best %zu trials by validation accuracy:\n", timer.seconds(), std::min(kShown, trials));
    std::printf("%4s %6s | %8s | %9s | %10s | %10s\n", "rank", "trial", "val acc", "train acc", "lr", "λ");
    for (std::size_t i = 0; i < std::min(kShown, trials); ++i) {
      const Trial& r = results[rank[i]];
      std::printf("%4zu %6zu | %8.3f | %9.3f | %10.3e | %10.3e\n", i + 1, rank[i] + 1, r.val_acc, r.train_acc, r.lr, r.lambda);
    }
    Series by_lr{"trial", {}, {}}, by_lambda{"trial", {}, {}};
    for (const Trial& r : results) {
      by_lr.x.push_back(std::log10(r.lr));
      by_lr.y.push_back(r.val_acc);
      by_lambda.x.push_back(std::log10(r.lambda));
      by_lambda.y.push_back(r.val_acc);
    }
    PlotOptions plot;
    plot.title = concat("ch07: random search, ", trials, " trials — validation accuracy");
    plot.ylabel = "validation accuracy";
    plot.xlabel = "log10 of the hyperparameter";
    plot.y_range = Range{0, 1};
    plot.legend = Legend::kNone;
    plot.width = 1200;
    plot.height = 520;
    std::cout << plot_panels(plots_dir() / "ch07_hyperparameter_search.png",
                             {{"learning rate: log10 lr", {by_lr}}, {"weight decay: log10 λ", {by_lambda}}}, 2, plot,
                             PanelStyle::kPoints)
                     .message
              << "\n";
    if (!common.quick && trials < 100)
      std::cout << "(the book runs 100 trials: --trials 100, " << 100.0 / static_cast<double>(trials)
                << "× this run's time; trial k is the same trial in both runs)\n";
    return 0;
  });
}

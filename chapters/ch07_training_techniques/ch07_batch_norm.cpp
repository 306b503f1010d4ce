// ch07_batch_norm — training with and without Batch Normalization, over 16 initial weight scales
// (DLFS-1 §6.3.2, ch06/batch_norm_test.py).
//
// A 5 × 100 ReLU net on 1000 MNIST training images, SGD lr 0.01, batch 100, 20 epochs. For each
// initial weight std from 1 down to 1e-4 (log-spaced), two nets start from the same weights and see
// the same batches; one has Affine → BatchNorm → ReLU in every hidden block. Without BN, training
// works only in a narrow band of scales (too large: the scores explode; too small: the signal dies);
// with BN it learns at almost every scale, and faster.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

#include "scratch.hpp"

using namespace scratch;

namespace {

// ---- hyperparameters (the book's batch_norm_test.py) ----
const std::vector<std::size_t> kHidden{100, 100, 100, 100, 100};
constexpr double kLargestScale = 1, kSmallestScale = 1e-4;  // np.logspace(0, -4, num=16)

struct Run {
  std::vector<double> epoch, plain, batch_norm;  // train accuracy after each epoch (0: before training)
};

}  // namespace

int main(int argc, char** argv) {
  Cli cli(argc, argv, "Train accuracy with and without Batch Normalization for 16 initial weight scales.");
  const CommonFlags common = cli.common();
  const int epochs = cli.get("--epochs", common.quick ? 2 : 20, "training epochs per net");
  const std::size_t train_samples =
      cli.get<std::size_t>("--train-samples", common.quick ? 200 : 1000, "MNIST training images used");
  const std::size_t batch_size = cli.get<std::size_t>("--batch-size", 100, "images per mini-batch");
  const Scalar lr = cli.get<Scalar>("--lr", Scalar(0.01), "SGD learning rate");
  const std::size_t scales = cli.get<std::size_t>("--scales", common.quick ? 4 : 16, "initial weight scales tried");
  cli.require(epochs >= 1, "--epochs", "must be at least 1");
  cli.require(train_samples >= 2 && train_samples <= kMnistTrainCount, "--train-samples",
              concat("must be between 2 and ", kMnistTrainCount, ", the images in the MNIST training set"));
  cli.require(batch_size >= 2 && batch_size <= train_samples, "--batch-size",
              concat("must be between 2 (batch norm needs a batch variance) and --train-samples (", train_samples, ")"));
  cli.require(lr > 0, "--lr", "must be greater than 0");
  cli.require(scales >= 2, "--scales", "must be at least 2 (the first is 1, the last 1e-4)");
  if (!cli.finish()) return cli.exit_code();
  return guarded_main("ch07_batch_norm", [&] {
    const Mnist mnist = load_mnist({PixelScale::kUnit, ImageLayout::kFlat, LabelFormat::kIndex});
    const TensorDataset train = first_samples(mnist.train, train_samples);
    const std::size_t iter_per_epoch = std::max<std::size_t>(1, train_samples / batch_size);
    std::cout << "784 → 5 × 100 → 10 ReLU nets on " << train_samples << " training images, SGD lr " << lr << ", batch "
              << batch_size << ", " << epochs << " epochs of " << iter_per_epoch << " steps (random batches with "
              << "replacement, as the book), " << threads_text() << "\n"
              << "for each initial std: the same weights and batches with and without BatchNorm\n\n";
    std::printf("%5s %10s | %-29s | %-29s\n", "", "", "train accuracy without BN", "train accuracy with BN");
    const std::string mid_epoch = concat("epoch ", epochs / 2), last_epoch = concat("epoch ", epochs);
    std::printf("%5s %10s | %9s %9s %9s | %9s %9s %9s\n", "", "init std", "epoch 1", mid_epoch.c_str(), last_epoch.c_str(),
                "epoch 1", mid_epoch.c_str(), last_epoch.c_str());
    std::vector<Panel> panels;
    std::vector<Run> runs;
    Timer timer;
    for (std::size_t k = 0; k < scales; ++k) {
      const double scale =
          kLargestScale * std::pow(kSmallestScale / kLargestScale, static_cast<double>(k) / static_cast<double>(scales - 1));
      MultiLayerNetOptions plain_options, bn_options;
      plain_options.init = bn_options.init = WeightInit::kFixed;
      plain_options.fixed_std = bn_options.fixed_std = static_cast<Scalar>(scale);
      bn_options.batch_norm = true;
      Rng init_a(common.seed + k), init_b(common.seed + k);  // the same draws: the same initial W
      MultiLayerNet plain(kMnistPixels, kHidden, kMnistClasses, plain_options, init_a);
      MultiLayerNet bn(kMnistPixels, kHidden, kMnistClasses, bn_options, init_b);
      SGD sgd_plain(lr), sgd_bn(lr);  // an optimizer's state belongs to one net
      Rng batch_rng(common.seed + 1000 + k);
      std::vector<std::size_t> indices(batch_size);
      Tensor x, t;
      Run run;
      // A net whose step would make a weight non-finite is stopped there (the optimizer refuses the
      // update, so its weights stay those of its last finite step); the book's NumPy run carries on
      // with NaN weights, which predict the same class for every image.
      std::string plain_diverged, bn_diverged;
      auto train_step = [&](MultiLayerNet& net, SGD& sgd, const Tensor& xb, const Tensor& tb, std::string& diverged) {
        if (!diverged.empty()) return;
        try {
          net.forward(xb, tb);
          net.backward();
          sgd.update(remove_duplicates(net.params()));
        } catch (const NumericalError& e) {
          diverged = concat("epoch ", run.epoch.size(), ": ", e.what());
        }
      };
      auto record = [&](int epoch) {
        run.epoch.push_back(epoch);
        run.plain.push_back(static_cast<double>(plain.accuracy(train)));
        run.batch_norm.push_back(static_cast<double>(bn.accuracy(train)));
      };
      record(0);
      for (int epoch = 1; epoch <= epochs; ++epoch) {
        for (std::size_t step = 0; step < iter_per_epoch; ++step) {
          for (std::size_t& i : indices) i = batch_rng.below(train_samples);  // np.random.choice(N, B)
          train.batch(indices, 0, batch_size, x, t);
          train_step(plain, sgd_plain, x, t, plain_diverged);
          train_step(bn, sgd_bn, x, t, bn_diverged);
        }
        record(epoch);
      }
      const std::size_t mid = static_cast<std::size_t>(epochs / 2), last = run.epoch.size() - 1;  // run.epoch[e] = e
      std::printf("%5zu %10.3g | %9.3f %9.3f %9.3f | %9.3f %9.3f %9.3f\n", k + 1, scale, run.plain[1], run.plain[mid],
                  run.plain[last], run.batch_norm[1], run.batch_norm[mid], run.batch_norm[last]);
      if (!plain_diverged.empty()) std::printf("      without BN, training diverged at %s\n", plain_diverged.c_str());
      if (!bn_diverged.empty()) std::printf("      with BN, training diverged at %s\n", bn_diverged.c_str());
      std::fflush(stdout);
      char title[32];
      std::snprintf(title, sizeof title, "W std %.3g", scale);
      panels.push_back({title, {{"Batch Norm", run.epoch, run.batch_norm}, {"normal", run.epoch, run.plain}}});
      runs.push_back(std::move(run));
    }
    std::size_t bn_wins = 0;
    for (const Run& r : runs) bn_wins += r.batch_norm.back() > r.plain.back();
    std::printf("\nBatchNorm ended higher at %zu of %zu scales (%.1f s)\n", bn_wins, runs.size(), timer.seconds());
    PlotOptions plot;
    plot.title = concat("ch07: train accuracy with (blue) and without (orange) BatchNorm, ", train_samples,
                        " images, SGD lr ", lr);
    plot.xlabel = "epoch";
    plot.ylabel = "accuracy";
    plot.y_range = Range{0, 1};
    plot.legend = Legend::kTopLeft;
    plot.width = 1400;
    plot.height = 1200;
    std::cout << plot_panels(plots_dir() / "ch07_batch_norm.png", panels, 4, plot).message << "\n";
    if (common.quick) std::cout << "(--quick; the default run is the book's: 1000 images, 20 epochs, 16 scales)\n";
    return 0;
  });
}

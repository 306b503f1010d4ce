// ch07_overfitting — overfitting on 300 images, and two cures: weight decay and Dropout (DLFS-1
// §6.4, ch06/overfit_weight_decay.py and overfit_dropout.py).
//
// A 7-layer net (6 hidden layers of 100 ReLU units: far more weights than 300 images need) trained
// for 200 epochs reaches 100 % on its training images while test accuracy stalls far below: it has
// memorised them. Weight decay (loss + ½ λ Σ‖W‖², λ = 0.1) and Dropout (each hidden unit dropped with
// probability 0.15 while training) narrow the gap between train and test accuracy.
#include <cstdio>
#include <iostream>
#include <memory>

#include "scratch.hpp"

using namespace scratch;

namespace {

// ---- hyperparameters (the book's overfit_*.py) ----
const std::vector<std::size_t> kHidden{100, 100, 100, 100, 100, 100};

struct Case {
  std::string name;
  MultiLayerNetOptions options;
  std::vector<double> epoch, train_acc, test_acc;
};

}  // namespace

int main(int argc, char** argv) {
  Cli cli(argc, argv, "Overfitting 300 MNIST images with a 7-layer net, then weight decay and Dropout.");
  const CommonFlags common = cli.common();
  const int epochs = cli.get("--epochs", common.quick ? 3 : 200, "training epochs");
  const std::size_t train_samples = cli.get<std::size_t>("--train-samples", 300, "MNIST training images used");
  const std::size_t test_samples =
      cli.get<std::size_t>("--test-samples", common.quick ? 500 : 2000, "MNIST test images scored after each epoch");
  const std::size_t batch_size = cli.get<std::size_t>("--batch-size", 100, "images per mini-batch");
  const Scalar lr = cli.get<Scalar>("--lr", Scalar(0.01), "SGD learning rate");
  const Scalar lambda = cli.get<Scalar>("--lambda", Scalar(0.1), "weight decay λ of the second run");
  const Scalar dropout = cli.get<Scalar>("--dropout", Scalar(0.15), "dropout ratio of the third run");
  cli.require(epochs >= 1, "--epochs", "must be at least 1");
  cli.require(train_samples >= 1 && train_samples <= kMnistTrainCount, "--train-samples",
              concat("must be between 1 and ", kMnistTrainCount, ", the images in the MNIST training set"));
  cli.require(test_samples >= 1 && test_samples <= kMnistTestCount, "--test-samples",
              concat("must be between 1 and ", kMnistTestCount, ", the images in the MNIST test set"));
  cli.require(batch_size >= 1 && batch_size <= train_samples, "--batch-size",
              concat("must be between 1 and --train-samples (", train_samples, ")"));
  cli.require(lr > 0, "--lr", "must be greater than 0");
  cli.require(lambda > 0, "--lambda", "must be greater than 0 (the first run is the one without weight decay)");
  cli.require(dropout > 0 && dropout < 1, "--dropout", "must be greater than 0 and less than 1");
  if (!cli.finish()) return cli.exit_code();
  return guarded_main("ch07_overfitting", [&] {
    const Mnist mnist = load_mnist({PixelScale::kUnit, ImageLayout::kFlat, LabelFormat::kIndex});
    const TensorDataset train = first_samples(mnist.train, train_samples);
    const TensorDataset test = first_samples(mnist.test, test_samples);
    std::vector<Case> cases(3);
    cases[0].name = "no regularisation";
    cases[1].name = concat("weight decay λ ", lambda);
    cases[1].options.weight_decay_lambda = lambda;
    cases[2].name = concat("Dropout ", dropout);
    cases[2].options.dropout_ratio = dropout;
    const std::size_t iter_per_epoch = std::max<std::size_t>(1, train_samples / batch_size);
    std::cout << "784 → 6 × 100 → 10 ReLU nets (He init), " << train_samples << " training images, " << test_samples
              << " test images, SGD lr " << lr << ", batch " << batch_size << ", " << epochs << " epochs of "
              << iter_per_epoch << " steps; all three start from the same weights and see the same batches; "
              << threads_text() << "\n\n";
    Timer timer;
    for (Case& c : cases) {
      Rng init(common.seed), batch_rng(common.seed + 1);  // the same W and batches for every case
      MultiLayerNet net(kMnistPixels, kHidden, kMnistClasses, c.options, init);
      SGD sgd(lr);
      std::vector<std::size_t> indices(batch_size);
      Tensor x, t;
      std::printf("%s: %s\n", c.name.c_str(), net.summary().c_str());
      for (int epoch = 0; epoch <= epochs; ++epoch) {
        if (epoch > 0)
          for (std::size_t step = 0; step < iter_per_epoch; ++step) {
            for (std::size_t& i : indices) i = batch_rng.below(train_samples);  // np.random.choice(N, B)
            train.batch(indices, 0, batch_size, x, t);
            net.forward(x, t);
            net.backward();
            sgd.update(remove_duplicates(net.params()));
          }
        c.epoch.push_back(epoch);
        c.train_acc.push_back(static_cast<double>(net.accuracy(train)));  // inference mode: no dropout
        c.test_acc.push_back(static_cast<double>(net.accuracy(test)));
        if (epoch % 20 == 0 || epoch == epochs)
          std::printf("  epoch %3d | train acc %.4f | test acc %.4f\n", epoch, c.train_acc.back(), c.test_acc.back());
      }
      std::fflush(stdout);
    }
    std::printf("\n%-22s | %9s | %9s | %s\n", "after the last epoch", "train acc", "test acc", "gap (train − test)");
    for (const Case& c : cases)  // λ is two bytes wide in UTF-8 and one column on screen
      std::printf("%-*s | %9.4f | %9.4f | %.4f\n", c.name.find("λ") == std::string::npos ? 22 : 23, c.name.c_str(),
                  c.train_acc.back(), c.test_acc.back(), c.train_acc.back() - c.test_acc.back());
    std::printf("(%.1f s)\n", timer.seconds());
    std::vector<Panel> panels;
    for (const Case& c : cases) panels.push_back({c.name, {{"train", c.epoch, c.train_acc}, {"test", c.epoch, c.test_acc}}});
    PlotOptions plot;
    plot.title = concat("ch07: ", train_samples, " training images, 7-layer net — train vs test accuracy");
    plot.xlabel = "epoch";
    plot.ylabel = "accuracy";
    plot.y_range = Range{0, 1};
    plot.legend = Legend::kBottomRight;
    plot.width = 1500;
    plot.height = 520;
    std::cout << plot_panels(plots_dir() / "ch07_overfitting.png", panels, 3, plot).message << "\n";
    if (!common.quick && test_samples < kMnistTestCount)
      std::cout << "(the book scores all 10000 test images: --test-samples 10000, about 4× this run's time)\n";
    return 0;
  });
}

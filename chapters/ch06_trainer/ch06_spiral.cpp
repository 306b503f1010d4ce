// ch06_spiral — the sequel's first Trainer experiment ("Deep Learning from Scratch 2", ch01/train.py):
// a two-layer net learns the 3-class spiral, which no straight line can separate.
//
//   x (300, 2) → Affine W1 (2, 10), b1 → Sigmoid → Affine W2 (10, 3), b2 → SoftmaxWithLoss
//
// As in the book's ch01/two_layer_net.py: W = 0.01 · N(0, 1), b = 0, and a SIGMOID hidden layer (the
// first book's TwoLayerNet, models/two_layer_net.hpp, uses ReLU; so this net is built here as a
// Sequential). SGD lr 1.0, 300 epochs of batch 30, a loss line every 10 iterations. Then the two
// figures of ch01/train_custom_loop.py: the loss curve and the decision regions under the points.
#include <cstdio>
#include <iostream>

#include "scratch.hpp"

using namespace scratch;

namespace {

constexpr std::size_t kPointsPerClass = 100, kClasses = 3, kHidden = 10;
constexpr int kEpochs = 300;
constexpr std::size_t kBatchSize = 30;
constexpr Scalar kLr = Scalar(1.0);
constexpr int kEvalInterval = 10;
constexpr Scalar kWeightInitStd = Scalar(0.01);

// The book's DLFS-2 TwoLayerNet: Affine → Sigmoid → Affine, softmax cross-entropy on top.
void build_net(Sequential& net, Rng& rng) {
  auto W1 = make_param("W1", Tensor::randn({2, kHidden}, rng) * kWeightInitStd);
  auto W2 = make_param("W2", Tensor::randn({kHidden, kClasses}, rng) * kWeightInitStd);
  net.add(std::make_unique<Affine>(W1, make_param("b1", Tensor::zeros({kHidden}))));
  net.add(std::make_unique<Sigmoid>());
  net.add(std::make_unique<Affine>(W2, make_param("b2", Tensor::zeros({kClasses}))));
  net.set_loss(std::make_unique<SoftmaxWithLoss>());
}

}  // namespace

int main(int argc, char** argv) {
  Cli cli(argc, argv, "Trains DLFS-2's TwoLayerNet on the spiral with the Trainer and draws its decision regions.");
  const CommonFlags common = cli.common();
  const int epochs = cli.get("--epochs", common.quick ? 30 : kEpochs, "epochs over the 300 spiral points");
  const std::size_t batch_size = cli.get<std::size_t>("--batch-size", kBatchSize, "points per mini-batch");
  const Scalar lr = cli.get<Scalar>("--lr", kLr, "SGD learning rate");
  const bool plot_terminal = cli.flag("--plot-terminal", "also draw the loss curve in the terminal");
  cli.require(epochs >= 1, "--epochs", "must be at least 1");
  cli.require(batch_size >= 1 && batch_size <= kPointsPerClass * kClasses, "--batch-size",
              concat("must be between 1 and the ", kPointsPerClass * kClasses, " spiral points"));
  cli.require(lr > 0, "--lr", "must be greater than 0");
  if (!cli.finish()) return cli.exit_code();
  return guarded_main("ch06_spiral", [&] {
    const TensorDataset spiral = make_spiral(global_rng(), {kPointsPerClass, kClasses});
    Sequential net;
    build_net(net, global_rng());
    SGD optimizer(lr);
    Trainer trainer(net, optimizer);
    std::cout << "spiral: " << spiral.size() << " points in " << kClasses << " arms; network " << net.summary()
              << ", W = " << kWeightInitStd << " * N(0, 1), b = 0; SGD lr " << lr << ", batch " << batch_size
              << ", " << epochs << " epochs\n\n";
    trainer.fit(spiral.x(), spiral.t(), epochs, batch_size, 0, kEvalInterval);
    if (trainer.interrupted()) std::cout << "stopped by " << interrupt_name(InterruptGuard::last_signal()) << "\n";

    const Scalar loss = net.loss(spiral.x(), spiral.t()), accuracy = net.accuracy(spiral.x(), spiral.t());
    std::printf("\nafter %d epochs (%zu iterations): loss %.4f, accuracy %.4f (%.0f of %zu points) on the whole set\n",
                trainer.current_epoch(), trainer.iterations(), static_cast<double>(loss),
                static_cast<double>(accuracy), static_cast<double>(accuracy) * spiral.size(), spiral.size());

    PlotOptions curve;
    curve.title = concat("ch06: TwoLayerNet (sigmoid) on the spiral, SGD lr ", lr, ", batch ", batch_size);
    curve.xlabel = "iteration";
    curve.ylabel = concat("loss (mean of ", kEvalInterval, " iterations)");
    curve.echo = plot_terminal ? TerminalEcho::kYes : TerminalEcho::kNo;
    std::cout << trainer.plot("ch06_spiral_loss.png", curve).message << "\n";

    // The decision regions: the class the net picks at every point of a grid over the data.
    LabeledPoints points;
    const Tensor labels = spiral.t().argmax(1);
    for (std::size_t n = 0; n < spiral.size(); ++n) {
      points.x.push_back(spiral.x()(n, 0));
      points.y.push_back(spiral.x()(n, 1));
      points.label.push_back(static_cast<std::size_t>(labels[n]));
    }
    const Classifier classify = [&](const std::vector<double>& gx, const std::vector<double>& gy) {
      Tensor grid = Tensor::empty({gx.size(), 2});
      for (std::size_t i = 0; i < gx.size(); ++i) grid(i, 0) = Scalar(gx[i]), grid(i, 1) = Scalar(gy[i]);
      const Tensor predicted = net.predict(grid).argmax(1);
      return std::vector<std::size_t>(predicted.begin(), predicted.end());
    };
    ClassMapSpec map{{-1.1, 1.1}, {-1.1, 1.1}, 300, {"class 0", "class 1", "class 2"}};
    PlotOptions regions;
    regions.title = concat("ch06: decision regions after ", trainer.current_epoch(), " epochs (accuracy ",
                           std::round(accuracy * 1000) / 10, " %)");
    regions.width = 760;
    regions.height = 640;
    std::cout << plot_class_map(plots_dir() / "ch06_spiral_regions.png", classify, map, points, regions).message
              << "\n";
    return trainer.interrupted() ? 128 + InterruptGuard::last_signal() : 0;
  });
}

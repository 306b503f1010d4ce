// ch04_train_two_layer_net — train the book's TwoLayerNet on MNIST with mini-batch SGD.
//
// One iteration: take 100 random training images, run them forward to the loss, back-propagate,
// and step every weight against its gradient: W ← W − lr · dL/dW. An epoch is 600 such steps
// (every image once). After each epoch we print the mean mini-batch loss and the accuracy on the
// whole training and test sets; if test accuracy follows train accuracy, the net generalises
// rather than memorises.
#include <iostream>
#include <optional>

#include "models/two_layer_net.hpp"
#include "plot/plot.hpp"
#include "scratch.hpp"

using namespace scratch;

int main(int argc, char** argv) {
  Cli cli(argc, argv, "Trains the MNIST TwoLayerNet (784-50-10) with mini-batch SGD, as in the book.");
  const CommonFlags common = cli.common();
  // The book's settings: 10000 iterations of batch 100 at lr 0.1 (≈ 16.7 epochs).
  const int epochs = cli.get("--epochs", common.quick ? 2 : 16, "training epochs");
  const std::size_t batch_size = cli.get<std::size_t>("--batch-size", 100, "images per mini-batch");
  const Scalar lr = cli.get<Scalar>("--lr", Scalar(0.1), "SGD learning rate");
  const std::size_t hidden = cli.get<std::size_t>("--hidden", 50, "hidden units");
  const std::size_t train_samples =
      cli.get<std::size_t>("--train-samples", common.quick ? 6000 : kMnistTrainCount, "training images used");
  const bool plot_terminal = cli.flag("--plot-terminal", "also draw the loss curve in the terminal");
  cli.require(epochs >= 1, "--epochs", "must be at least 1");
  cli.require(lr > 0, "--lr", "must be greater than 0");
  cli.require(hidden >= 1, "--hidden", "must be at least 1");
  cli.require(train_samples >= 1 && train_samples <= kMnistTrainCount, "--train-samples",
              concat("must be between 1 and ", kMnistTrainCount, ", the images in the MNIST training set"));
  cli.require(batch_size >= 1 && batch_size <= train_samples, "--batch-size",
              concat("must be between 1 and --train-samples (", train_samples, ")"));
  if (!cli.finish()) return cli.exit_code();
  return guarded_main("ch04_train_two_layer_net", [&] {
    const MnistOptions options{PixelScale::kUnit, ImageLayout::kFlat, LabelFormat::kIndex};
    const Mnist mnist = load_mnist(options);
    // A subset is converted to Scalars once; the full set stays bytes, converted batch by batch
    // (60000 images as doubles would be 376 MB).
    std::optional<TensorDataset> subset;
    if (train_samples < mnist.train.size()) subset = first_samples(mnist.train, train_samples);
    const Dataset& train = subset ? static_cast<const Dataset&>(*subset) : mnist.train;

    TwoLayerNet net(kMnistPixels, hidden, kMnistClasses, Scalar(0.01));
    SGD optimizer(lr);
    MiniBatches batches(train, batch_size);
    std::cout << "network: " << net.summary() << "\n"
              << "training on " << train.size() << " images, batch " << batch_size << ", lr " << lr << ", "
              << batches.batches_per_epoch() << " iterations per epoch, " << threads_text() << "\n\n";

    std::vector<double> iterations, losses;
    const InterruptGuard interrupt;  // Ctrl-C or SIGTERM: finish the iteration, then plot what there is
    for (int epoch = 1; epoch <= epochs; ++epoch) {
      Timer timer;
      double epoch_loss = 0;
      std::size_t steps = 0;
      while (batches.next()) {
        const Scalar loss = net.forward(batches.x(), batches.t());  // forward to the loss
        net.backward();                                             // every layer writes its gradients
        optimizer.update(remove_duplicates(net.params()));          // W ← W − lr · dL/dW
        epoch_loss += loss;
        ++steps;
        iterations.push_back(static_cast<double>(iterations.size() + 1));
        losses.push_back(static_cast<double>(loss));
        if (interrupt.requested()) break;
      }
      const double seconds = timer.seconds();
      const Scalar train_acc = net.accuracy(train), test_acc = net.accuracy(mnist.test);
      std::printf("epoch %d | loss %.4f | train acc %.4f | test acc %.4f | %.2f s\n", epoch, epoch_loss / steps,
                  static_cast<double>(train_acc), static_cast<double>(test_acc), seconds);
      std::fflush(stdout);
      if (interrupt.requested()) break;
    }
    std::cout << "\n(seconds are training time per epoch; the accuracy passes over the training and test sets are not counted)\n";
    if (interrupt.requested())
      std::printf("\nstopped by %s after iteration %zu of %zu (the last epoch line covers %zu of its %zu iterations)\n",
                  interrupt_name(InterruptGuard::last_signal()), iterations.size(),
                  static_cast<std::size_t>(epochs) * batches.batches_per_epoch(),
                  (iterations.size() - 1) % batches.batches_per_epoch() + 1, batches.batches_per_epoch());

    PlotOptions plot;
    plot.title = concat("ch04: TwoLayerNet on MNIST, SGD lr ", lr);
    plot.xlabel = "iteration";
    plot.ylabel = "mini-batch loss";
    plot.smooth_window = 50;
    plot.echo = plot_terminal ? TerminalEcho::kYes : TerminalEcho::kNo;
    const PlotResult result = plot_curve(plots_dir() / "ch04_loss.png", Series{"train loss", iterations, losses}, plot);
    std::cout << result.message << "\n";
    // The shell's status for a program stopped by a signal, so a script sees the run is incomplete.
    return interrupt.requested() ? 128 + InterruptGuard::last_signal() : 0;
  });
}

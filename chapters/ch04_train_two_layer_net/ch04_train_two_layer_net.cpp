// ch04_train_two_layer_net — train the book's TwoLayerNet on MNIST with mini-batch SGD.
//
// One iteration: take 100 random training images, run them forward to the loss, back-propagate,
// and step every weight against its gradient: W ← W − lr · dL/dW. An epoch is 600 such steps
// (every image once). After each epoch we print the mean mini-batch loss and the accuracy on the
// whole training and test sets; if test accuracy follows train accuracy, the net generalises
// rather than memorises.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <optional>
#include <string>

#include "core/numpy_random.hpp"
#include "models/two_layer_net.hpp"
#include "plot/plot.hpp"
#include "scratch.hpp"

using namespace scratch;

namespace {

// ---- --rng numpy: the book's ch05/train_neuralnet.py under np.random.seed(seed), draw for draw ----
// bench/book_train_neuralnet.py is that script; README.md says which printed digits agree and why.

// The loss the book appends to train_loss_list: -Σₙ log(softmax(a)[n, tₙ] + 1e-7) / N, t one-hot.
Scalar book_loss(const Tensor& a, const Tensor& t) {
  const std::size_t N = a.shape()[0], C = a.shape()[1];
  const Tensor label = t.argmax(1);
  Scalar sum = 0;
  for (std::size_t n = 0; n < N; ++n) {
    Scalar max = a(n, 0), exp_sum = 0;
    for (std::size_t c = 1; c < C; ++c) max = std::max(max, a(n, c));
    for (std::size_t c = 0; c < C; ++c) exp_sum += std::exp(a(n, c) - max);
    const auto k = static_cast<std::size_t>(label[n]);
    sum += std::log(std::exp(a(n, k) - max) / exp_sum + Scalar(1e-7));
  }
  return -sum / static_cast<Scalar>(N);
}

// np.random.randn(rows, cols) from np, times scale: the book's weight_init_std * randn.
Tensor book_randn(NumpyRandom& np, std::size_t rows, std::size_t cols, Scalar scale) {
  const std::vector<double> z = np.randn(rows * cols);
  return Tensor::from_vector({rows, cols}, std::vector<Scalar>(z.begin(), z.end())) * scale;
}

int train_like_the_book(std::uint64_t seed, int epochs, std::size_t batch_size, Scalar lr, std::size_t hidden) {
  NumpyRandom np(seed);  // np.random.seed(seed)
  // load_mnist(normalize=True, one_hot_label=True): x = float32(pixel) / 255, t one-hot.
  const Mnist mnist = load_mnist({PixelScale::kUnitFloat32, ImageLayout::kFlat, LabelFormat::kOneHot});
  Tensor W1 = book_randn(np, kMnistPixels, hidden, Scalar(0.01));  // W1 first, then W2
  Tensor W2 = book_randn(np, hidden, kMnistClasses, Scalar(0.01));
  TwoLayerNet net(std::move(W1), std::move(W2));
  SGD optimizer(lr);
  const std::size_t train_size = mnist.train.size();
  const double iter_per_epoch = std::max(static_cast<double>(train_size) / static_cast<double>(batch_size), 1.0);
  const auto iters = static_cast<std::size_t>(epochs * iter_per_epoch) + 1;  // + 1: the last epoch's line
  std::cout << "--rng numpy: the book's train_neuralnet.py under np.random.seed(" << seed << "), " << iters
            << " iterations of np.random.choice(" << train_size << ", " << batch_size << "), lr " << lr
            << "; accuracy after the update of iteration i whenever i % " << iter_per_epoch << " == 0\n\n";
  Tensor x, t;
  for (std::size_t i = 0; i < iters; ++i) {
    const std::vector<std::size_t> batch_mask = np.choice(train_size, batch_size);
    mnist.train.batch(batch_mask, 0, batch_size, x, t);  // x_train[batch_mask], t_train[batch_mask]
    net.forward(x, t);
    net.backward();
    optimizer.update(remove_duplicates(net.params()));  // params[key] -= learning_rate * grad[key]
    const Scalar loss = book_loss(net.predict(x), t);   // network.loss(x_batch, t_batch), after the update
    if (std::fmod(static_cast<double>(i), iter_per_epoch) != 0) continue;
    const Scalar train_acc = net.accuracy(mnist.train), test_acc = net.accuracy(mnist.test);
    std::printf("iter %5zu | loss %.17g | train acc %.4f (%.0f/%zu) | test acc %.4f (%.0f/%zu)\n", i,
                static_cast<double>(loss), static_cast<double>(train_acc), std::round(train_acc * train_size),
                train_size, static_cast<double>(test_acc), std::round(test_acc * mnist.test.size()),
                mnist.test.size());
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

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
  const std::string rng = cli.get<std::string>("--rng", "scratch", "scratch, or numpy: replay the book's NumPy run");
  cli.require(epochs >= 1, "--epochs", "must be at least 1");
  cli.require(lr > 0, "--lr", "must be greater than 0");
  cli.require(hidden >= 1, "--hidden", "must be at least 1");
  cli.require(train_samples >= 1 && train_samples <= kMnistTrainCount, "--train-samples",
              concat("must be between 1 and ", kMnistTrainCount, ", the images in the MNIST training set"));
  cli.require(batch_size >= 1 && batch_size <= train_samples, "--batch-size",
              concat("must be between 1 and --train-samples (", train_samples, ")"));
  cli.require(rng == "scratch" || rng == "numpy", "--rng", "must be scratch or numpy");
  if (!cli.finish()) return cli.exit_code();
  return guarded_main("ch04_train_two_layer_net", [&] {
    if (rng == "numpy") return train_like_the_book(common.seed, epochs, batch_size, lr, hidden);
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

// ch06_autoencoder — a tied-weight autoencoder on MNIST, trained by the Trainer with gradient clipping.
//
// The encoder squeezes each 784-pixel image into H numbers, h = σ(x·W + b1); the decoder rebuilds
// it with the SAME matrix transposed, x̂ = σ(h·Wᵀ + b2). The loss compares x̂ with x pixel by pixel
// (binary cross-entropy, summed over the 784 pixels). W therefore gets two gradients, the encoder's
// dW (784, H) and the decoder's dWᵀ (H, 784); remove_duplicates transposes the second and adds them.
// Early on the gradients are large; global-norm clipping shortens every step whose norm exceeds
// max_grad, without changing its direction.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>

#include "scratch.hpp"

using namespace scratch;

namespace {

// ‖g‖ of the model's de-duplicated gradient on one batch (what the Trainer would clip).
Scalar gradient_norm(Model& model, const Tensor& x) {
  model.forward(x, x);
  model.backward();
  return grad_norm(remove_duplicates(model.params()));
}

// Mean loss per image over a whole data set, in batches of 1000.
Scalar mean_loss(Model& model, const Dataset& images) {
  Rng unused(0);
  MiniBatches batches(images, std::min<std::size_t>(1000, images.size()), unused, {Shuffle::kNone, LastBatch::kKeep});
  double total = 0;
  while (batches.next()) total += model.forward(batches.x(), batches.t()) * static_cast<double>(batches.x().shape()[0]);
  return static_cast<Scalar>(total / static_cast<double>(images.size()));
}

// What a perfect reconstruction would still score: the entropy of the grey pixels,
// −Σ_i [t_i log t_i + (1 − t_i) log(1 − t_i)] per image (black and white pixels add 0).
double pixel_entropy(const Dataset& images) {
  Rng unused(0);
  MiniBatches batches(images, std::min<std::size_t>(1000, images.size()), unused, {Shuffle::kNone, LastBatch::kKeep});
  double total = 0;
  while (batches.next())
    for (const Scalar t : batches.t())
      if (t > 0 && t < 1) total -= t * std::log(t) + (1 - t) * std::log(1 - t);
  return total / static_cast<double>(images.size());
}

}  // namespace

int main(int argc, char** argv) {
  Cli cli(argc, argv, "Trains a tied-weight autoencoder (decoder = encoder's W transposed) on MNIST with clipping.");
  const CommonFlags common = cli.common();
  const int epochs = cli.get("--epochs", common.quick ? 1 : 5, "training epochs");
  const std::size_t batch_size = cli.get<std::size_t>("--batch-size", 100, "images per mini-batch");
  const Scalar lr = cli.get<Scalar>("--lr", Scalar(0.003), "Adam learning rate");
  const std::size_t hidden = cli.get<std::size_t>("--hidden", 128, "hidden units H (the code length)");
  const Scalar max_grad = cli.get<Scalar>("--max-grad", Scalar(20), "global gradient-norm limit (0: no clipping)");
  const std::size_t train_samples =
      cli.get<std::size_t>("--train-samples", common.quick ? 2000 : kMnistTrainCount, "training images used");
  const std::size_t test_samples = cli.get<std::size_t>("--test-samples", common.quick ? 1000 : kMnistTestCount,
                                                        "test images the loss is measured on");
  const bool plot_terminal = cli.flag("--plot-terminal", "also draw the figures in the terminal");
  const std::string checkpoint =
      cli.get<std::string>("--checkpoint", "", "write a checkpoint to this file after every epoch and when stopped");
  const bool resume = cli.flag("--resume", "continue the run saved in --checkpoint (same flags otherwise)");
  cli.require(epochs >= 1, "--epochs", "must be at least 1");
  cli.require(lr > 0, "--lr", "must be greater than 0");
  cli.require(hidden >= 1, "--hidden", "must be at least 1");
  cli.require(max_grad >= 0, "--max-grad", "must be at least 0 (0: no clipping)");
  cli.require(train_samples >= 1 && train_samples <= kMnistTrainCount, "--train-samples",
              concat("must be between 1 and ", kMnistTrainCount, ", the images in the MNIST training set"));
  cli.require(test_samples >= 1 && test_samples <= kMnistTestCount, "--test-samples",
              concat("must be between 1 and ", kMnistTestCount, ", the images in the MNIST test set"));
  cli.require(batch_size >= 1 && batch_size <= train_samples, "--batch-size",
              concat("must be between 1 and --train-samples (", train_samples, ")"));
  cli.require(!resume || !checkpoint.empty(), "--resume", "needs --checkpoint PATH, the file to continue from");
  const int eval_interval = common.quick ? 5 : 100;  // iterations per Trainer log line and loss point
  const std::size_t shown_digits = 10;
  if (!cli.finish()) return cli.exit_code();
  return guarded_main("ch06_autoencoder", [&] {
    const Mnist mnist = load_mnist(MnistOptions{PixelScale::kUnit, ImageLayout::kFlat, LabelFormat::kIndex});
    // A subset is copied out as Scalars only when asked for; the full sets stay in bytes.
    std::optional<TensorDataset> train_subset, test_subset;
    if (train_samples < mnist.train.size()) train_subset.emplace(first_samples(mnist.train, train_samples));
    if (test_samples < mnist.test.size()) test_subset.emplace(first_samples(mnist.test, test_samples));
    const Dataset& train = train_subset ? static_cast<const Dataset&>(*train_subset) : mnist.train;
    const Dataset& test = test_subset ? static_cast<const Dataset&>(*test_subset) : mnist.test;
    const InputsAsTargets train_images(train), test_images(test);  // t = x: reproduce the input

    Autoencoder model(kMnistPixels, hidden);
    Adam adam(lr);
    Trainer trainer(model, adam);
    if (!checkpoint.empty()) trainer.set_checkpoint(checkpoint, 1);
    if (resume) trainer.resume(checkpoint);
    const int first_epoch = trainer.current_epoch();
    if (resume) std::cout << "resumed from " << checkpoint << " after epoch " << first_epoch << "\n";
    const TensorDataset probe = first_samples(train, batch_size);  // a fixed batch to measure ‖g‖ on
    std::cout << "tied autoencoder 784 → " << hidden << " → 784 (decoder uses Wᵀ), SigmoidWithLoss, Adam(lr " << lr
              << "), batch " << batch_size << ", " << train.size() << " training images, " << epochs
              << " epochs, max_grad " << max_grad << ", " << threads_text() << "\n";
    const double floor = pixel_entropy(test_images);
    std::printf("test loss floor (the entropy of the grey pixels, reached only by a perfect copy): %.1f per image\n",
                floor);
    std::printf("before training: test loss %.1f per image, gradient norm on a batch %.1f\n\n",
                static_cast<double>(mean_loss(model, test_images)),
                static_cast<double>(gradient_norm(model, probe.x())));

    Timer timer;
    if (first_epoch < epochs) trainer.fit(train_images, epochs - first_epoch, batch_size, max_grad, eval_interval);
    const double seconds = timer.seconds();
    const TrainerStats& stats = trainer.stats();
    std::printf(
        "\nafter training (%.1f s, %.2f s per epoch): test loss %.1f per image, gradient norm on the batch %.1f\n",
        seconds, seconds / std::max(1, trainer.current_epoch() - first_epoch),
        static_cast<double>(mean_loss(model, test_images)), static_cast<double>(gradient_norm(model, probe.x())));
    std::printf(
        "clipping: %zu of %zu updates had ‖g‖ > max_grad = %g and were scaled down; the largest ‖g‖ "
        "before clipping was %.1f\n",
        stats.clipped_updates, trainer.iterations(), static_cast<double>(max_grad), static_cast<double>(stats.max_grad_norm));
    std::printf(
        "shared weights: %zu parameter uses (W, b1, Wᵀ, b2) → %zu distinct parameters (W, b1, b2) after "
        "remove_duplicates,\n  which adds the decoder's dWᵀ, transposed, to the encoder's dW\n",
        stats.param_uses, stats.distinct_params);

    PlotOptions plot;
    plot.title = "ch06: tied autoencoder on MNIST, H = " + std::to_string(hidden);
    plot.xlabel = "iteration";
    plot.ylabel = "binary cross-entropy per image (log scale)";
    plot.log_y = true;
    plot.echo = plot_terminal ? TerminalEcho::kYes : TerminalEcho::kNo;
    const History& history = trainer.history();
    std::cout << "\n"
              << plot_curves(plots_dir() / "ch06_autoencoder_loss.png",
                             {Series{"train loss", history.iterations(), history.losses()},
                              Series{"floor (pixel entropy)", history.iterations(),
                                     std::vector<double>(history.size(), floor)}},
                             plot)
                     .message
              << "\n";

    // The first test image of each digit 0 … 9, above its reconstruction.
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < mnist.test.size() && order.size() < shown_digits; ++i)
      if (static_cast<std::size_t>(mnist.test.label(i)) == order.size()) order.push_back(i);
    Tensor x, t;
    InputsAsTargets(mnist.test).batch(order, 0, order.size(), x, t);
    const Tensor x_hat = model.reconstruct(x);
    std::vector<std::vector<double>> images;
    for (const Tensor* source : {static_cast<const Tensor*>(&x), &x_hat})
      for (std::size_t n = 0; n < order.size(); ++n)
        images.emplace_back(source->data() + n * kMnistPixels, source->data() + (n + 1) * kMnistPixels);
    PlotOptions grid;
    grid.title = "ch06: test digits (top) and their reconstructions from " + std::to_string(hidden) + " numbers";
    grid.echo = plot.echo;
    std::cout << plot_image_grid(plots_dir() / "ch06_reconstructions.png", images, kMnistRows, kMnistCols, order.size(),
                                 grid, {"original", "reconstructed"})
                     .message
              << "\n";
    if (trainer.interrupted() && trainer.current_epoch() < epochs) {
      std::cout << "\nstopped by " << interrupt_name(InterruptGuard::last_signal()) << " with "
                << trainer.current_epoch() << " of " << epochs << " epochs complete; "
                << (checkpoint.empty() ? "start with --checkpoint PATH to be able to continue a stopped run\n"
                                       : "to continue:\n  " + cli.command() + (resume ? "" : " --resume") + "\n");
      return 128 + InterruptGuard::last_signal();  // the shell's status for a program stopped by a signal
    }
    return 0;
  });
}

// ch02_full_batch_mnist — seed 003's experiment on real MNIST: the bias folded into W1 as a column of
// ones, N(0, 1) weights, the unfused chain MatMul → Relu → MatMul → Softmax → Log, full-batch SGD at
// lr 1e-5 on the loss summed over the batch (the seed back-propagates −t, not −t/N). By default on
// the first 4000 images with lr 1e-5 · 60000 / 4000, the seed's step per image (0.6 on the mean loss),
// so that three runs of 50 steps take seconds; --train-samples 60000 is the seed's batch. Run three times
// from the same weights with three endings of the chain:
//   1. Softmax → Log, as written: a probability underflows to 0 and Log's backward divides by it;
//   2. Softmax → Log(p + ε), the seed's fix, ε = 1e-12: finite, but it biases the loss and mutes
//      the gradient of every sample whose label probability is below ε;
//   3. LogSoftmax, log-sum-exp in one layer: finite and unbiased.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "scratch.hpp"

using namespace scratch;

namespace {

constexpr std::size_t kHidden = 100;          // the seed's hidden units
constexpr Scalar kSeedLr = Scalar(1e-5);      // the seed's step on the SUMMED loss of 60000 images
constexpr Scalar kEpsilon = Scalar(1e-12);    // the seed's Log: log(x + 1e-12), dx = dout / (x + 1e-12)
constexpr int kEpochs = 50;                   // the seed's full-batch steps
constexpr std::size_t kTrainSamples = 4000;   // default: 50 steps × 3 runs stay well under a minute

enum class Ending { kSoftmaxLog, kEpsilon, kLogSoftmax };
const char* const kEndingNames[] = {"Softmax -> Log", "Softmax -> Log(p + 1e-12)", "LogSoftmax"};

// x (N, 785) → MatMul W1 (785, H) → Relu → MatMul W2 (H, 10) → scores → log p (N, 10).
struct SeedNet {
  SeedNet(const Tensor& W1, const Tensor& W2, Ending ending)
      : W1_(make_param("W1", W1)), W2_(make_param("W2", W2)), mul1(W1_), mul2(W2_), ending(ending) {
    mul1.set_input_grad(InputGrad::kSkip);  // nobody needs dL/dx of the images
  }
  Tensor forward(const Tensor& x) {
    scores = mul2.forward(relu.forward(mul1.forward(x)));
    if (ending == Ending::kLogSoftmax) return log_softmax_layer.forward(scores);
    const Tensor p = softmax_layer.forward(scores);
    return log_layer.forward(ending == Ending::kEpsilon ? p + kEpsilon : p);  // d(p + ε)/dp = 1
  }
  void backward(const Tensor& dlog_p) {
    const Tensor dscores = ending == Ending::kLogSoftmax ? log_softmax_layer.backward(dlog_p)
                                                         : softmax_layer.backward(log_layer.backward(dlog_p));
    mul1.backward(relu.backward(mul2.backward(dscores)));
  }
  std::vector<ParamUse> params() const { return {mul1.params()[0], mul2.params()[0]}; }

  ParamPtr W1_, W2_;
  MatMul mul1, mul2;
  Relu relu;
  Softmax softmax_layer;
  Log log_layer;
  LogSoftmax log_softmax_layer;
  Ending ending;
  Tensor scores;  // (N, 10), the last forward's
};

// The first n images of `data` as (n, 785): the 784 pixels in [0, 1] and a 1 that multiplies W1's bias row.
Tensor with_bias_column(const Dataset& data, std::size_t n, Tensor& t) {
  const TensorDataset part = first_samples(data, n);
  t = part.t();
  return concatenate({part.x(), Tensor::ones({n, 1})}, 1);
}

Scalar mean_loss(const Tensor& log_p, const Tensor& t) { return -(t * log_p).sum() / Scalar(t.shape()[0]); }

// Trains from W1, W2 and prints one line per step; stops at the first non-finite gradient (returns false).
bool train(SeedNet& net, const Tensor& x, const Tensor& t, int epochs, Scalar lr) {
  SGD sgd(lr);
  for (int epoch = 0; epoch < epochs; ++epoch) {
    const Tensor log_p = net.forward(x);
    const Scalar loss = mean_loss(log_p, t), accuracy = accuracy_of(log_p, t);
    net.backward(-t);  // dL/d(log p) of L = −Σ_n Σ_j t log p: the seed's log.backward(−label), no 1/N
    const std::vector<ParamPtr> params = remove_duplicates(net.params());
    if (!all_finite(net.W1_->grad) || !all_finite(net.W2_->grad)) {
      std::size_t zero = 0, zero_at_label = 0, nan = 0;
      for (std::size_t i = 0; i < log_p.size(); ++i) {
        if (log_p[i] == -INFINITY) ++zero, zero_at_label += t[i] == 1;
      }
      const Tensor dp = net.log_layer.backward(-t);  // the Log layer's dL/dp once more, to count its NaNs
      for (const Scalar g : dp) nan += std::isnan(g);
      std::printf("epoch %d : loss %g ; accuracy %g\n  -> STOP before the update: dW1 and dW2 are NaN. %zu probabilities "
                  "underflowed to exactly 0\n     (scores more than 745 below their row's best; %zu of them at a "
                  "label), so log p = -inf there.\n     The loss is NaN already: t * log p = 0 * (-inf). Log's "
                  "backward dL/dp = -t / p gives 0 / 0 = NaN at %zu entries,\n     and Softmax's backward mixes each "
                  "row, so the NaN reaches every class and both weight matrices.\n",
                  epoch, static_cast<double>(loss), static_cast<double>(accuracy), zero, zero_at_label, nan);
      return false;
    }
    sgd.update(params);
    std::printf("epoch %d : loss %.6f ; accuracy %.4f\n", epoch, static_cast<double>(loss),
                static_cast<double>(accuracy));
    std::fflush(stdout);
  }
  return true;
}

void test(SeedNet& net, const Tensor& x, const Tensor& t) {
  const Tensor log_p = net.forward(x);
  std::printf("test loss %.6f ; accuracy %.4f\n", static_cast<double>(mean_loss(log_p, t)),
              static_cast<double>(accuracy_of(log_p, t)));
}

}  // namespace

int main(int argc, char** argv) {
  Cli cli(argc, argv, "Seed 003's full-batch MNIST run: the NaN of Softmax -> Log, the epsilon fix, and LogSoftmax.");
  const CommonFlags common = cli.common();
  const int epochs = cli.get("--epochs", common.quick ? 3 : kEpochs, "full-batch steps per run");
  const std::size_t train_samples = cli.get<std::size_t>(
      "--train-samples", common.quick ? 1000 : kTrainSamples, "training images in the batch (the seed: 60000)");
  // The same step per image as the seed: lr · N = 1e-5 · 60000 = 0.6, the step on the mean loss.
  const Scalar seed_step = kSeedLr * Scalar(kMnistTrainCount) / Scalar(std::max<std::size_t>(train_samples, 1));
  const Scalar lr = cli.get<Scalar>("--lr", seed_step, "SGD learning rate on the summed loss (the seed: 1e-5 for 60000)");
  cli.require(epochs >= 1, "--epochs", "must be at least 1");
  cli.require(lr > 0, "--lr", "must be greater than 0");
  cli.require(train_samples >= 1 && train_samples <= kMnistTrainCount, "--train-samples",
              concat("must be between 1 and ", kMnistTrainCount, ", the images in the MNIST training set"));
  if (!cli.finish()) return cli.exit_code();
  return guarded_main("ch02_full_batch_mnist", [&] {
    const MnistOptions options{PixelScale::kUnit, ImageLayout::kFlat, LabelFormat::kOneHot};
    Tensor t, t_test;
    const Tensor x = with_bias_column(load_mnist(MnistSplit::kTrain, options), train_samples, t);
    const Tensor x_test = with_bias_column(load_mnist(MnistSplit::kTest, options), kMnistTestCount, t_test);
    const Tensor W1 = Tensor::randn({kMnistPixels + 1, kHidden}), W2 = Tensor::randn({kHidden, kMnistClasses});
    std::cout << "x " << shape_string(x.shape()) << " (pixels and a column of ones), W1 " << shape_string(W1.shape())
              << ", W2 " << shape_string(W2.shape()) << ", both N(0, 1); " << epochs << " full-batch steps of SGD, lr "
              << lr << " on the loss summed over " << train_samples << " images"
              << (train_samples < kMnistTrainCount
                      ? concat(" (the seed: lr 1e-05 on all 60000 images, the same step ", lr * Scalar(train_samples),
                               " on the mean loss; --train-samples 60000 for the seed's batch)")
                      : std::string())
              << "; " << threads_text() << "\n";

    Timer timer;
    for (const Ending ending : {Ending::kSoftmaxLog, Ending::kEpsilon, Ending::kLogSoftmax}) {
      std::cout << "\n== " << static_cast<int>(ending) + 1 << ". " << kEndingNames[static_cast<int>(ending)]
                << " ==\n";
      SeedNet net(W1, W2, ending);
      const bool finite = train(net, x, t, epochs, lr);
      if (ending == Ending::kSoftmaxLog && finite)
        std::cout << "  no probability underflowed to 0 in these steps, so this run stayed finite (identical to run 3);\n"
                     "  the seed's batch (--train-samples 60000) and the default 4000 images go NaN at epoch 1.\n";
      if (ending == Ending::kSoftmaxLog) continue;
      test(net, x_test, t_test);
      if (ending != Ending::kEpsilon) continue;
      // The ε's cost, on the trained net: the exact loss from the same scores, and each sample's
      // gradient weight p_t / (p_t + ε) (d/dx of −log(p_t + ε) is that weight times the exact p − t).
      const Tensor log_p = net.forward(x), exact = log_softmax(net.scores);
      std::size_t muted = 0;
      for (std::size_t n = 0; n < t.shape()[0]; ++n) {
        Scalar log_p_t = 0;
        for (std::size_t j = 0; j < kMnistClasses; ++j) log_p_t += t(n, j) * exact(n, j);
        const Scalar p_t = std::exp(log_p_t);
        muted += p_t / (p_t + kEpsilon) < Scalar(0.5);
      }
      std::printf("cost of the epsilon: train loss %.6f with it, %.6f exact (log-softmax of the same scores);\n"
                  "  %zu of %zu training images have p_label < 1e-12: each counts at most -log(1e-12) = 27.63 in "
                  "the loss,\n  and its gradient is scaled by p / (p + 1e-12) < 1/2 (-> 0): the worst mistakes "
                  "teach least.\n",
                  static_cast<double>(mean_loss(log_p, t)), static_cast<double>(mean_loss(exact, t)), muted,
                  t.shape()[0]);
    }
    std::printf("\n%.1f s for the three runs\n", timer.seconds());
    return 0;
  });
}

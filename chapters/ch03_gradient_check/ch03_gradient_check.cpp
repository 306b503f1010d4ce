// ch03_gradient_check — numerical gradients against back-propagation.
//
// Back-propagation is fast but easy to get wrong; the central difference
// (f(w + h) − f(w − h)) / 2h is slow but hard to get wrong. Comparing the two (a "gradient check")
// is how every layer in ScratchNet is tested. This chapter checks
//   1. the seeds' SimpleNet (5 → 4 → 3) on the synthetic argmax set, as a batch and as one sample,
//   2. the MNIST TwoLayerNet (784 → 50 → 10) on three images chosen away from ReLU's kink,
//   3. a deliberately broken SoftmaxWithLoss that forgets to divide by the batch size — and shows
//      that the check catches it.
#include <iostream>

#include "layers/softmax.hpp"
#include "models/two_layer_net.hpp"
#include "scratch.hpp"

using namespace scratch;

namespace {

const std::size_t kSyntheticBatch = 10;  // samples of the synthetic set in part 1
const std::size_t kHidden = 50;          // hidden units of the MNIST TwoLayerNet
const std::size_t kCheckImages = 3;      // MNIST images in the check (the book uses 3)
const std::size_t kCandidates = 100;     // images searched for ones away from the kink
// Max relative error allowed: central differences in double agree with backprop to ~1e-9;
// float keeps ~7 digits, of which the difference quotient loses about half.
const Scalar kTolerance = kScalarIsFloat ? Scalar(2e-2) : Scalar(1e-6);

// The bug of ch03 part 3: backward returns (y − t) instead of (y − t) / N.
class ForgetfulSoftmaxWithLoss : public SoftmaxWithLoss {
 public:
  std::string name() const override { return "ForgetfulSoftmaxWithLoss"; }
  Tensor backward_impl(Scalar dout) override {
    const auto batch = static_cast<Scalar>(probabilities().ndim() == 2 ? probabilities().shape()[0] : 1);
    return SoftmaxWithLoss::backward_impl(dout) * batch;
  }
};

}  // namespace

int main(int argc, char** argv) {
  Cli cli(argc, argv, "Checks back-propagation against numerical gradients, and catches a broken layer.");
  const CommonFlags common = cli.common();
  if (!cli.finish()) return cli.exit_code();
  return guarded_main("ch03_gradient_check", [&] {
    std::cout << "A gradient check compares dL/dW from back-propagation with the central difference\n"
                 "(L(W + h) - L(W - h)) / 2h, h = "
              << default_gradient_step() << ", parameter by parameter. 'max rel' is max|diff| / max|numerical|.\n";

    std::cout << "\n== 1. SimpleNet (5 -> 4 -> 3, weights uniform in [0, 1) as in the seed) on the argmax set ==\n";
    Rng rng(common.seed);
    const TensorDataset synthetic = make_argmax_set(rng, {});
    TwoLayerNet simple = make_simple_net(rng);
    const Tensor xs = synthetic.x().slice_rows(0, kSyntheticBatch), ts = synthetic.t().slice_rows(0, kSyntheticBatch);
    std::cout << "a batch of " << kSyntheticBatch << " samples:\n";
    const GradientReport simple_report = gradient_check(simple, xs, ts, kTolerance);
    std::cout << simple_report;
    std::cout << "one sample as a 1-d vector (the seed fed it where a batch was expected):\n";
    const GradientReport single_report =
        gradient_check(simple, xs.slice_rows(0, 1).flatten(), ts.slice_rows(0, 1).flatten(), kTolerance);
    std::cout << single_report;

    std::cout << "\n== 2. MNIST TwoLayerNet (784 -> " << kHidden << " -> 10, weights 0.01 * N(0, 1)) ==\n";
    const MnistDataset train = load_mnist(MnistSplit::kTrain, {PixelScale::kUnit, ImageLayout::kFlat, LabelFormat::kOneHot});
    TwoLayerNet net(kMnistPixels, kHidden, kMnistClasses, Scalar(0.01), rng);
    // A weight step of h moves a hidden pre-activation a = x·W1 + b1 by at most h (pixels are <= 1),
    // so images whose |a| stays above 10h everywhere never see a finite difference cross the kink.
    const TensorDataset candidates = first_samples(train, kCandidates);
    const Tensor a = net.layers().front()->forward(candidates.x());
    const Scalar margin = 10 * default_gradient_step();
    std::vector<std::size_t> chosen;
    Scalar closest = 0;
    for (std::size_t i = 0; i < kCandidates && chosen.size() < kCheckImages; ++i) {
      const Scalar row_min = abs(a.slice_rows(i, i + 1)).min();
      if (row_min > margin) {
        closest = chosen.empty() ? row_min : std::min(closest, row_min);
        chosen.push_back(i);
      }
    }
    if (chosen.size() < kCheckImages) fail<ValueError>("ch03: fewer than ", kCheckImages, " images away from the kink");
    std::cout << "images ";
    for (std::size_t i : chosen) std::cout << i << " ";
    std::cout << "(the first whose hidden |a| > " << margin << "; closest to the kink: " << closest << ")\n";
    const Tensor x = candidates.x().take_rows(chosen, 0, chosen.size());
    const Tensor t = candidates.t().take_rows(chosen, 0, chosen.size());
    Timer timer;
    const GradientReport mnist_report = gradient_check(net, x, t, kTolerance);
    std::cout << mnist_report;
    std::cout << "(" << net.params().size() << " parameters, " << timer.seconds() << " s: the numerical gradient "
              << "needs two forward passes per weight; backprop needs one forward and one backward in all)\n";

    std::cout << "\n== 3. A broken layer: SoftmaxWithLoss whose backward forgets to divide by the batch size ==\n";
    net.set_loss(std::make_unique<ForgetfulSoftmaxWithLoss>());
    const GradientReport broken_report = gradient_check(net, x, t, kTolerance);
    std::cout << broken_report;
    const bool caught = !broken_report.pass();
    std::cout << (caught ? "caught: every gradient is " + std::to_string(chosen.size()) +
                               " times too large (max rel = N - 1), so the check FAILS as it should.\n"
                         : "NOT caught: the check passed a broken backward!\n");

    const bool ok = simple_report.pass() && single_report.pass() && mnist_report.pass() && caught;
    std::cout << "\nsummary: " << (ok ? "backprop agrees with numerical gradients; the broken layer was caught"
                                      : "SOMETHING IS WRONG (see FAIL above)")
              << "\n";
    return ok ? 0 : 1;
  });
}

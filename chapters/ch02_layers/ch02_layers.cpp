// ch02_layers.cpp — every layer's forward and backward on a small seeded example, then the proof
// that back-propagating Softmax → Log → "−mean of t·log p" gives exactly the fused SoftmaxWithLoss
// gradient (y − t)/N.
//
//   build/bin/ch02_layers [--seed N] [--threads N] [--quick]
#include <iomanip>
#include <iostream>

#include "scratch.hpp"

using namespace scratch;

namespace {

// The seed-003 chain: x (N, D) → MatMul W1 (D, H) → Relu → MatMul W2 (H, C) → Softmax → Log.
constexpr std::size_t kBatch = 5, kFeatures = 6, kHidden = 5, kClasses = 6;
const std::size_t kLabels[kBatch] = {1, 0, 3, 5, 0};  // the seed's one-hot positions
// The single-layer demonstrations use a batch of 2 samples with 3 features.
constexpr std::size_t kDemoBatch = 2, kDemoFeatures = 3, kDemoOut = 2;

void show(const std::string& name, const Tensor& x) {
  std::cout << "  " << name << " " << shape_string(x.shape()) << " =\n" << x << "\n";
}

// Runs y = layer.forward(x), dx = layer.backward(dout) and prints them, with the layer's
// parameter gradients.
void demo(Layer& layer, const std::string& rule, const Tensor& x, const Tensor& dout) {
  std::cout << "\n--- " << layer.name() << ": " << rule << "\n";
  show("x", x);
  show("y", layer.forward(x));
  show("dout", dout);
  show("dx", layer.backward(dout));
  for (const ParamUse& use : layer.params()) show("d" + use.param->name, *use.grad);
}

Scalar max_abs_diff(const Tensor& a, const Tensor& b) { return abs(a - b).max(); }

}  // namespace

int main(int argc, char** argv) {
  return guarded_main("ch02_layers", [&] {
    Cli cli(argc, argv, "Forward and backward of Relu, Sigmoid, Affine, Softmax, Log and SoftmaxWithLoss.");
    const CommonFlags common = cli.common();
    if (!cli.finish()) return cli.exit_code();
    std::cout << std::setprecision(6) << "ch02_layers: seed " << common.seed
              << (common.quick ? " (--quick: nothing to shorten, the whole run takes milliseconds)" : "") << "\n";

    std::cout << "\n=== 1. Each layer on its own (dout is a random upstream gradient dL/dy) ===\n";
    const Shape demo_shape{kDemoBatch, kDemoFeatures};
    Relu relu_demo;
    demo(relu_demo, "y = max(0, x), dx = dout where x > 0 and 0 elsewhere", Tensor::randn(demo_shape),
         Tensor::randn(demo_shape));
    Sigmoid sigmoid_demo;
    demo(sigmoid_demo, "y = 1/(1 + exp(-x)), dx = dout * y * (1 - y)", Tensor::randn(demo_shape),
         Tensor::randn(demo_shape));
    Affine affine_demo(make_param("W", Tensor::randn({kDemoFeatures, kDemoOut})),
                       make_param("b", Tensor::randn({kDemoOut})));
    demo(affine_demo, "y = x W + b, dx = dout W^T, dW = x^T dout, db = sum of dout over the batch",
         Tensor::randn(demo_shape), Tensor::randn({kDemoBatch, kDemoOut}));
    Softmax softmax_demo;
    const Tensor scores = Tensor::randn(demo_shape);
    demo(softmax_demo, "y = exp(x - max) / sum, dx = y * (dout - sum_j dout_j y_j)", scores,
         Tensor::randn(demo_shape));
    std::cout << "  each row of y sums to 1: " << softmax(scores).sum(1) << "\n";
    Log log_demo;
    demo(log_demo, "y = log(x), dx = dout / x", softmax(scores), Tensor::randn(demo_shape));

    SoftmaxWithLoss loss_demo;
    const Tensor demo_t = Tensor::from_vector({kDemoBatch}, {2, 0});
    std::cout << "\n--- SoftmaxWithLoss: loss = mean over samples of -log y[t], dx = (y - t) / N\n";
    show("x", scores);
    std::cout << "  t (class indices) = " << demo_t << "\n";
    std::cout << "  loss = " << loss_demo.forward(scores, demo_t) << "  (a number: forward returns the loss)\n";
    show("y = probabilities()", loss_demo.probabilities());
    show("dx", loss_demo.backward());

    std::cout << "\n=== 2. The seed-003 chain: x -> MatMul W1 -> Relu -> MatMul W2 -> Softmax -> Log ===\n";
    const Tensor x = Tensor::randn({kBatch, kFeatures});
    auto W1 = make_param("W1", Tensor::randn({kFeatures, kHidden}));
    auto W2 = make_param("W2", Tensor::randn({kHidden, kClasses}));
    Tensor t = Tensor::zeros({kBatch, kClasses});
    for (std::size_t n = 0; n < kBatch; ++n) t(n, kLabels[n]) = 1;
    const Scalar N = static_cast<Scalar>(kBatch);

    // L = -(1/N) sum t * log p, so dL/d(log p) = -t/N starts the backward pass.
    MatMul mul1(W1), mul2(W2);
    Relu relu;
    Softmax softmax_layer;
    Log log_layer;
    const Tensor log_p = log_layer.forward(softmax_layer.forward(mul2.forward(relu.forward(mul1.forward(x)))));
    const Scalar chain_loss = -(t * log_p).sum() / N;
    const Tensor d_log_p = log_layer.backward((0 - t) / N);  // -t / (N p): nonzero only at the labels
    const Tensor chain_dscores = softmax_layer.backward(d_log_p);
    mul1.backward(relu.backward(mul2.backward(chain_dscores)));
    show("dL/dp from Log's backward, -t/(N p)", d_log_p);

    // The same network ending in the fused layer.
    MatMul fused1(W1), fused2(W2);
    Relu fused_relu;
    SoftmaxWithLoss fused_loss_layer;
    const Scalar fused_loss = fused_loss_layer.forward(fused2.forward(fused_relu.forward(fused1.forward(x))), t);
    const Tensor fused_dscores = fused_loss_layer.backward();
    fused1.backward(fused_relu.backward(fused2.backward(fused_dscores)));
    show("dL/dscores from the chain (Softmax's backward)", chain_dscores);
    show("dL/dscores from SoftmaxWithLoss, (y - t)/N", fused_dscores);

    std::cout << std::setprecision(3) << "\n  loss: chain " << chain_loss << ", fused " << fused_loss
              << ", |difference| " << std::abs(chain_loss - fused_loss) << "\n"
              << "  max |chain - fused|:  dscores " << max_abs_diff(chain_dscores, fused_dscores) << "   dW2 "
              << max_abs_diff(*mul2.params()[0].grad, *fused2.params()[0].grad) << "   dW1 "
              << max_abs_diff(*mul1.params()[0].grad, *fused1.params()[0].grad) << "\n";
    std::cout << "\nWhy they agree: Log's backward turns -t/N into g = -t/(N p). Softmax's backward computes\n"
                 "p * (g - sum_j g_j p_j); here g_j p_j = -t_j/N, and a one-hot row sums to 1, so the sum is\n"
                 "-1/N and dx = p * (-t/(N p) + 1/N) = (p - t)/N. The fused layer writes that result directly,\n"
                 "without dividing by p (which can underflow to 0) and without ever taking log(0). The\n"
                 "differences above are rounding in the last bits (machine epsilon is "
              << std::numeric_limits<Scalar>::epsilon() << ").\n";
    return 0;
  });
}

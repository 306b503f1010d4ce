// ch07_weight_init — why the initial weight scale matters (DLFS-1 §6.2).
//
// Part 1: 1000 Gaussian inputs through 5 layers of 100 units (a = act(x · W), no bias), for six
// weight scales: the histograms of each layer's activations. Sigmoid with std 1 saturates at 0 and 1
// (vanishing gradients); with std 0.01 every unit says ≈ 0.5 (all units alike: no expressive power);
// Xavier √(1/n) keeps a spread through every layer. ReLU with 0.01 shrinks layer after layer, Xavier
// slowly, He √(2/n) keeps the same spread in every layer.
// Part 2: a 5-layer ReLU net (4 hidden × 100) on MNIST with std 0.01, Xavier and He, the same SGD
// batches for all three: 0.01 does not learn at all, He learns fastest.
#include <cmath>
#include <cstdio>
#include <iostream>

#include "scratch.hpp"

using namespace scratch;

namespace {

// ---- hyperparameters (the book's weight_init_activation_histogram.py and weight_init_compare.py) ----
constexpr std::size_t kSamples = 1000, kUnits = 100, kLayers = 5, kBins = 30;
const std::vector<std::size_t> kHidden{100, 100, 100, 100};

struct InitCase {
  const char* name;
  Activation activation;
  WeightInit init;
  Scalar fixed_std;
};
const InitCase kHistogramCases[] = {
    {"sigmoid, std 1", Activation::kSigmoid, WeightInit::kFixed, 1},
    {"sigmoid, std 0.01", Activation::kSigmoid, WeightInit::kFixed, Scalar(0.01)},
    {"sigmoid, Xavier", Activation::kSigmoid, WeightInit::kXavier, 0},
    {"ReLU, std 0.01", Activation::kRelu, WeightInit::kFixed, Scalar(0.01)},
    {"ReLU, Xavier", Activation::kRelu, WeightInit::kXavier, 0},
    {"ReLU, He", Activation::kRelu, WeightInit::kHe, 0},
};

// Part 1 for one case: each layer's activations as one long list of values.
std::vector<std::vector<double>> layer_activations(const InitCase& c, Rng& rng) {
  Tensor a = Tensor::randn({kSamples, kUnits}, rng);
  std::vector<std::vector<double>> layers;
  for (std::size_t l = 0; l < kLayers; ++l) {
    const Tensor W = Tensor::randn({kUnits, kUnits}, rng) * weight_init_std(c.init, kUnits, c.fixed_std);
    const Tensor z = matmul(a, W);
    a = c.activation == Activation::kSigmoid ? sigmoid(z) : maximum(z, Scalar(0));
    layers.emplace_back(a.begin(), a.end());
  }
  return layers;
}

}  // namespace

int main(int argc, char** argv) {
  Cli cli(argc, argv, "Activation histograms for six initial weight scales, then std 0.01 vs Xavier vs He on MNIST.");
  const CommonFlags common = cli.common();
  const std::size_t iterations = cli.get<std::size_t>("--iterations", common.quick ? 60 : 2000, "SGD steps on MNIST");
  const std::size_t batch_size = cli.get<std::size_t>("--batch-size", 128, "images per mini-batch");
  const Scalar lr = cli.get<Scalar>("--lr", Scalar(0.01), "SGD learning rate");
  const std::size_t report_every = cli.get<std::size_t>("--report-every", common.quick ? 20 : 250, "print the losses every N steps");
  cli.require(iterations >= 1, "--iterations", "must be at least 1");
  cli.require(batch_size >= 1 && batch_size <= kMnistTrainCount, "--batch-size",
              concat("must be between 1 and ", kMnistTrainCount, ", the MNIST training images"));
  cli.require(lr > 0, "--lr", "must be greater than 0");
  cli.require(report_every >= 1, "--report-every", "must be at least 1");
  if (!cli.finish()) return cli.exit_code();
  return guarded_main("ch07_weight_init", [&] {
    // ---- Part 1: histograms ----
    std::cout << "Part 1: " << kSamples << " Gaussian inputs through " << kLayers << " layers of " << kUnits
              << " units (a = act(x·W)); per layer: mean, std, and the share of saturated (sigmoid < 0.02 or > 0.98)"
                 " or zero (ReLU) units\n";
    std::vector<Panel> panels;
    Rng rng(common.seed);
    for (const InitCase& c : kHistogramCases) {
      const auto layers = layer_activations(c, rng);
      std::printf("  %-18s", c.name);
      for (std::size_t l = 0; l < kLayers; ++l) {
        double sum = 0, sq = 0, edge = 0;
        for (const double v : layers[l]) {
          sum += v, sq += v * v;
          edge += c.activation == Activation::kSigmoid ? (v < 0.02 || v > 0.98) : (v == 0);
        }
        const double n = static_cast<double>(layers[l].size()), mean = sum / n;
        std::printf(" | L%zu %.3f±%.3f %3.0f%%", l + 1, mean, std::sqrt(std::max(0.0, sq / n - mean * mean)),
                    100 * edge / n);
        // ReLU's exact zeros (about half the units) are left out of its histogram, as they would
        // dwarf every other bar; the table above counts them.
        std::vector<double> shown;
        for (const double v : layers[l])
          if (c.activation == Activation::kSigmoid || v > 0) shown.push_back(v);
        panels.push_back({concat(c.name, ": layer ", l + 1), {histogram("activations", shown, kBins, {0, 1})}});
      }
      std::printf("\n");
    }
    PlotOptions hist;
    hist.title = "ch07: activation histograms per layer (ReLU: the positive values; its zeros are in the table)";
    hist.xlabel = "activation";
    hist.x_range = Range{0, 1};
    hist.legend = Legend::kNone;
    hist.width = 1600;
    hist.height = 1500;
    std::cout << plot_panels(plots_dir() / "ch07_activation_histograms.png", panels, kLayers, hist,
                             PanelStyle::kHistogram).message
              << "\n\n";

    // ---- Part 2: MNIST ----
    const Mnist mnist = load_mnist({PixelScale::kUnit, ImageLayout::kFlat, LabelFormat::kIndex});
    const InitCase mnist_cases[] = {kHistogramCases[3], kHistogramCases[4], kHistogramCases[5]};
    std::vector<std::unique_ptr<MultiLayerNet>> nets;
    for (const InitCase& c : mnist_cases) {
      MultiLayerNetOptions options;
      options.init = c.init;
      options.fixed_std = c.fixed_std;
      nets.push_back(std::make_unique<MultiLayerNet>(kMnistPixels, kHidden, kMnistClasses, options, rng));
    }
    std::cout << "Part 2: " << nets[0]->summary() << " on MNIST, SGD lr " << lr << ", batch " << batch_size << ", "
              << iterations << " steps, the same random batches (drawn with replacement, as the book) for all three; "
              << threads_text() << "\n";
    std::printf("%8s", "step");
    for (const InitCase& c : mnist_cases) std::printf(" | %-14s", c.name);
    std::printf("\n");
    std::vector<Series> curves;
    for (const InitCase& c : mnist_cases) curves.push_back({c.name, {}, {}});
    std::vector<SGD> sgd(nets.size(), SGD(lr));  // an optimizer's state belongs to one net
    Rng batch_rng(common.seed + 1);
    std::vector<std::size_t> indices(batch_size);
    Tensor x, t;
    for (std::size_t step = 1; step <= iterations; ++step) {
      for (std::size_t& i : indices) i = batch_rng.below(mnist.train.size());  // np.random.choice(N, B)
      mnist.train.batch(indices, 0, batch_size, x, t);
      for (std::size_t k = 0; k < nets.size(); ++k) {
        const Scalar loss = nets[k]->forward(x, t);
        nets[k]->backward();
        sgd[k].update(remove_duplicates(nets[k]->params()));
        curves[k].x.push_back(static_cast<double>(step));
        curves[k].y.push_back(static_cast<double>(loss));
      }
      if (step % report_every != 0 && step != iterations) continue;
      std::printf("%8zu", step);
      for (const Series& s : curves) std::printf(" | loss %9.5f", s.y.back());
      std::printf("\n");
      std::fflush(stdout);
    }
    std::printf("\n%-18s | mean loss, last 100 steps | test accuracy\n", "init");
    for (std::size_t k = 0; k < nets.size(); ++k) {
      const std::size_t n = std::min<std::size_t>(100, curves[k].y.size());
      double tail = 0;
      for (std::size_t i = curves[k].y.size() - n; i < curves[k].y.size(); ++i) tail += curves[k].y[i];
      std::printf("%-18s | %25.4f | %.4f\n", mnist_cases[k].name, tail / static_cast<double>(n),
                  static_cast<double>(nets[k]->accuracy(mnist.test)));
    }
    PlotOptions plot;
    plot.title = concat("ch07: 5-layer ReLU net on MNIST, SGD lr ", lr, ", by initial weight scale");
    plot.xlabel = "iteration";
    plot.ylabel = "mini-batch loss";
    plot.smooth_window = 25;
    std::cout << plot_curves(plots_dir() / "ch07_weight_init_mnist.png", curves, plot).message << "\n";
    if (common.quick) std::cout << "(--quick: " << iterations << " steps; the book's run is the default, 2000 steps)\n";
    return 0;
  });
}

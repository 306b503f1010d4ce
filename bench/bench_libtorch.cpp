// bench_libtorch.cpp — chapter 4's MNIST training loop in libtorch (PyTorch's C++ API), timed like
// bench_train: a reference for ScratchNet's epoch time (tools/run_bench.sh).
//
// The same network, data and steps as bench_train and bench/torch_two_layer_net.py:
//
//   net = Sequential(Linear(784, 50), ReLU(), Linear(50, 10))      W = 0.01·randn, b = 0
//   per batch of 100 (600 per epoch, a new random order each epoch), converted from MNIST's bytes:
//     loss = cross_entropy(net(x), t); optimizer.zero_grad(); loss.backward(); optimizer.step()
//
// SGD at lr 0.1. Autograd computes no dx for x (x does not require a gradient), so this is the
// work of ScratchNet's loop. MNIST is read by our own loader (load_mnist, the gzip IDX files in
// SCRATCH_DATA_DIR); its bytes are copied once into a (60000, 784) uint8 tensor. Prints, for f64
// and f32, the best and the median seconds per epoch after a warm-up epoch, on at::set_num_threads(N):
//
//   SCRATCH_DATA_DIR=/work/mnist build/bin/bench_libtorch --threads 1
//
// Built only when CMake finds Torch (bench/bench.cmake; Debian: apt-get install libtorch-dev).
#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "core/cli.hpp"
#include "core/errors.hpp"
#include "core/paths.hpp"
#include "core/timer.hpp"
#include "data/mnist.hpp"

namespace {

constexpr double kLearningRate = 0.1;
constexpr double kWeightInitStd = 0.01;
constexpr std::int64_t kHidden = 50;
constexpr std::int64_t kBatch = 100;
constexpr std::uint64_t kSeed = 42;

struct EpochTimes {
  double best = 0, median = 0, final_loss = 0;
};

// 784-50-10 with the book's initialisation: weights 0.01·randn, biases zero.
torch::nn::Sequential two_layer_net(torch::Dtype dtype) {
  torch::nn::Sequential net(torch::nn::Linear(784, kHidden), torch::nn::ReLU(), torch::nn::Linear(kHidden, 10));
  net->to(dtype);
  torch::NoGradGuard no_grad;
  for (auto& parameter : net->named_parameters()) {
    if (parameter.key().find("weight") != std::string::npos)
      parameter.value().copy_(kWeightInitStd * torch::randn(parameter.value().sizes(), torch::dtype(dtype)));
    else
      parameter.value().zero_();
  }
  return net;
}

// images (N, 784) uint8, labels (N,) int64. Trains a fresh net for warmup + epochs epochs and
// times the last `epochs`.
EpochTimes time_epochs(const torch::Tensor& images, const torch::Tensor& labels, torch::Dtype dtype, int warmup,
                       int epochs) {
  torch::manual_seed(kSeed);
  torch::nn::Sequential net = two_layer_net(dtype);
  torch::optim::SGD optimizer(net->parameters(), torch::optim::SGDOptions(kLearningRate));
  const std::int64_t n = images.size(0);
  std::vector<double> seconds;
  EpochTimes result;
  for (int epoch = 0; epoch < warmup + epochs; ++epoch) {
    scratch::Timer timer;
    const torch::Tensor order = torch::randperm(n, torch::kLong);
    double total = 0;
    for (std::int64_t begin = 0; begin < n; begin += kBatch) {
      const torch::Tensor idx = order.slice(0, begin, std::min(begin + kBatch, n));
      const torch::Tensor x = images.index({idx}).to(dtype) / 255;  // bytes → floats per batch
      const torch::Tensor t = labels.index({idx});
      torch::Tensor loss = torch::nn::functional::cross_entropy(net->forward(x), t);
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      total += loss.item<double>();
    }
    if (epoch >= warmup) seconds.push_back(timer.seconds());
    result.final_loss = total / double(n / kBatch);
  }
  std::sort(seconds.begin(), seconds.end());
  result.best = seconds.front();
  result.median = seconds[seconds.size() / 2];
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  return scratch::guarded_main("bench_libtorch", [&] {
    scratch::Cli cli(argc, argv, "Seconds per epoch of chapter 4's MNIST TwoLayerNet loop in libtorch.");
    const bool quick = cli.flag("--quick", "no warm-up, 2 timed epochs (CI)");
    const int threads = cli.get("--threads", 1, "at::set_num_threads(N)");
    const int epochs = cli.get("--epochs", quick ? 2 : 5, "timed epochs per dtype; best and median");
    const int warmup = cli.get("--warmup", quick ? 0 : 1, "untimed epochs first");
    if (!cli.finish()) return cli.exit_code();
    at::set_num_threads(threads);

    const scratch::MnistDataset train = scratch::load_mnist(scratch::MnistSplit::kTrain);
    const auto n = std::int64_t(train.size());
    const auto pixels = std::int64_t(scratch::kMnistPixels);
    torch::Tensor images = torch::empty({n, pixels}, torch::kUInt8);
    torch::Tensor labels = torch::empty({n}, torch::kLong);
    for (std::int64_t i = 0; i < n; ++i) {
      std::copy_n(train.pixels(std::size_t(i)), pixels, images.data_ptr<std::uint8_t>() + i * pixels);
      labels.data_ptr<std::int64_t>()[i] = train.label(std::size_t(i));
    }

    std::printf("# bench_libtorch: chapter 4's loop in libtorch %s (Sequential, cross_entropy, backward, optim::SGD), "
                "%d warm-up + %d timed epochs; at::get_num_threads() %d\n",
                TORCH_VERSION, warmup, epochs, at::get_num_threads());
    std::printf("# machine: %s; load average %s\n", scratch::bench::cpu_model().c_str(),
                scratch::bench::load_average().c_str());
    std::string env = "env -u OPENBLAS_CORETYPE";  // the variables that change what runs, as given
    for (const char* name : {"OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "GLIBC_TUNABLES"})
      if (const char* value = std::getenv(name)) env += std::string(" ") + name + "=" + value;
    std::printf("# reproduce: cd %s && %s SCRATCH_DATA_DIR=%s %s\n", SCRATCH_SOURCE_DIR, env.c_str(),
                scratch::data_dir().c_str(), scratch::bench::command_line(argc, argv).c_str());
    std::printf("%-10s %6s %6s %7s %5s %9s %9s %8s\n", "run", "hidden", "batch", "threads", "dtype", "s/epoch",
                "median", "loss");
    const std::pair<torch::Dtype, const char*> dtypes[] = {{torch::kFloat64, "f64"}, {torch::kFloat32, "f32"}};
    for (const auto& [dtype, name] : dtypes) {
      const EpochTimes e = time_epochs(images, labels, dtype, warmup, epochs);
      std::printf("%-10s %6lld %6lld %7d %5s %9.4f %9.4f %8.3f\n", "libtorch", (long long)kHidden, (long long)kBatch,
                  at::get_num_threads(), name, e.best, e.median, e.final_loss);
      std::fflush(stdout);
    }
    return 0;
  });
}

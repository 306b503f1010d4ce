// bench_train.cpp — how long does one epoch of the book's MNIST training loop take, and how much memory?
//
// The loop is chapter 4's, exactly: TwoLayerNet 784-H-10 (Affine → Relu → Affine → SoftmaxWithLoss),
// SGD at lr 0.1, mini-batches of B images in a new random order each epoch (600 iterations for
// B = 100), and per iteration
//
//   loss = net.forward(x, t);  net.backward();  sgd.update(remove_duplicates(net.params()));
//
// including the conversion of each batch from MNIST's bytes to Scalars. It prints seconds per
// epoch (after an untimed warm-up epoch, the best of a few epochs: on a shared machine the best one
// is the least disturbed; and their median, which tools/run_bench.sh compares with the references)
// on 1 thread and on all cores, then how the time grows
// with the hidden size H and with the batch size B, then the peak memory. --phases splits one
// configuration's epoch into its steps (batch, each layer's forward and backward, dedup, update).
//
//   SCRATCH_DATA_DIR=/work/mnist-cache chrt -f 10 build/bin/bench_train
#include <sched.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.hpp"
#include "scratch.hpp"

using namespace scratch;
using scratch::bench::command_line;
using scratch::bench::cpu_model;
using scratch::bench::load_average;
using scratch::bench::load_average_1min;
using scratch::bench::parse_sizes;

namespace {

constexpr Scalar kLearningRate = Scalar(0.1);
constexpr Scalar kWeightInitStd = Scalar(0.01);
constexpr std::uint64_t kSeed = 42;

// The most memory this process has held in RAM so far (max RSS), in MB.
double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

struct EpochTimes {
  double best = 0, median = 0;
  std::size_t iterations = 0;
  double final_loss = 0;           // mean mini-batch loss of the last epoch, to show it trains
  double fresh_per_iteration = 0;  // Storage blocks taken from the system allocator, after epoch 1
};

// Trains a fresh net for `warmup` + `epochs` epochs exactly as chapter 4 does and times each of
// the last `epochs` (the warm-up ones fill Storage's cache and start the OpenMP threads).
EpochTimes time_epochs(const Dataset& train, std::size_t hidden, std::size_t batch, int warmup, int epochs) {
  Rng rng(kSeed);
  TwoLayerNet net(kMnistPixels, hidden, kMnistClasses, kWeightInitStd, rng);
  SGD optimizer(kLearningRate);
  MiniBatches batches(train, batch, rng);
  std::vector<double> seconds;
  EpochTimes result;
  std::size_t fresh_before = 0;
  for (int epoch = 0; epoch < warmup + epochs; ++epoch) {
    if (epoch == 1) fresh_before = storage_stats().fresh_allocations;
    double loss_sum = 0;
    std::size_t steps = 0;
    Timer timer;
    while (batches.next()) {
      loss_sum += net.forward(batches.x(), batches.t());
      net.backward();
      optimizer.update(remove_duplicates(net.params()));
      ++steps;
    }
    if (epoch >= warmup) seconds.push_back(timer.seconds());
    result.iterations = steps;
    result.final_loss = loss_sum / double(steps);
  }
  const int total_epochs = warmup + epochs;
  if (total_epochs > 1)
    result.fresh_per_iteration = double(storage_stats().fresh_allocations - fresh_before) /
                                 double(result.iterations * std::size_t(total_epochs - 1));
  std::sort(seconds.begin(), seconds.end());
  result.best = seconds.front();
  result.median = seconds[seconds.size() / 2];
  return result;
}

// Multiply-adds of one iteration's three products (x·W1, xᵀ·dout for dW1, the second layer's
// three; the first layer's dx is skipped), as flops: 2·B·(784·H·2 + H·10·3).
double flops_per_iteration(std::size_t hidden, std::size_t batch) {
  return 2.0 * double(batch) * (2.0 * double(kMnistPixels * hidden) + 3.0 * double(hidden * kMnistClasses));
}

void print_row(const char* what, std::size_t hidden, std::size_t batch, int threads, const EpochTimes& e) {
  const double gflops = flops_per_iteration(hidden, batch) * double(e.iterations) / e.best / 1e9;
  std::printf("%-8s %6zu %6zu %7d %5s %9.4f %9.4f %6zu %8.1f %8.3f %7.2f\n", what, hidden, batch, threads,
              kScalarIsFloat ? "f32" : "f64", e.best, e.median, e.iterations, gflops, e.final_loss,
              e.fresh_per_iteration);
  std::fflush(stdout);
}

// ---- the per-phase breakdown: the same iteration, written out layer by layer with a stopwatch ----

enum Phase {
  kBatch,
  kAffine1F,
  kReluF,
  kAffine2F,
  kLossF,
  kLossB,
  kAffine2B,
  kReluB,
  kAffine1B,
  kDedup,
  kUpdate,
  kPhases
};
const char* const kPhaseNames[kPhases] = {
    "batch (bytes → Scalar)",   "affine1 forward",       "relu forward",     "affine2 forward",
    "softmax+loss forward",     "softmax+loss backward", "affine2 backward", "relu backward",
    "affine1 backward (no dx)", "remove_duplicates",     "SGD update"};

void print_phases(const Dataset& train, std::size_t hidden, std::size_t batch, int epochs) {
  Rng rng(kSeed);
  TwoLayerNet net(kMnistPixels, hidden, kMnistClasses, kWeightInitStd, rng);
  // The TwoLayerNet's own layers; the loss layer is a second instance of the same class.
  Layer& affine1 = *net.layers()[0];
  Layer& relu = *net.layers()[1];
  Layer& affine2 = *net.layers()[2];
  affine1.set_input_grad(InputGrad::kSkip);  // as Sequential::backward does
  SoftmaxWithLoss loss;
  SGD optimizer(kLearningRate);
  MiniBatches batches(train, batch, rng);
  std::vector<double> best(kPhases, 1e300);
  double best_total = 1e300;
  for (int epoch = 0; epoch < epochs; ++epoch) {
    std::vector<double> sum(kPhases, 0);
    Timer total, lap;
    auto mark = [&](Phase p) {
      sum[p] += lap.seconds();
      lap.reset();
    };
    lap.reset();
    while (batches.next()) {
      mark(kBatch);
      Tensor h = affine1.forward(batches.x());
      mark(kAffine1F);
      h = relu.forward(h);
      mark(kReluF);
      h = affine2.forward(h);
      mark(kAffine2F);
      loss.forward(h, batches.t());
      mark(kLossF);
      Tensor dout = loss.backward(1);
      mark(kLossB);
      dout = affine2.backward(dout);
      mark(kAffine2B);
      dout = relu.backward(dout);
      mark(kReluB);
      affine1.backward(dout);
      mark(kAffine1B);
      const std::vector<ParamPtr> params = remove_duplicates(net.params());
      mark(kDedup);
      optimizer.update(params);
      mark(kUpdate);
    }
    mark(kBatch);  // the final next() that ends the epoch
    best_total = std::min(best_total, total.seconds());
    for (int p = 0; p < kPhases; ++p) best[p] = std::min(best[p], sum[p]);
  }
  const double iterations = double(batches.batches_per_epoch());
  double sum_of_best = 0;
  for (double b : best) sum_of_best += b;
  std::printf("\n# per-phase breakdown, H = %zu, B = %zu, %d threads (each phase: its best epoch of %d)\n", hidden,
              batch, max_threads(), epochs);
  std::printf("%-26s %12s %10s %7s\n", "phase", "µs/iteration", "ms/epoch", "share");
  for (int p = 0; p < kPhases; ++p)
    std::printf("%-26s %12.1f %10.2f %6.1f%%\n", kPhaseNames[p], best[p] / iterations * 1e6, best[p] * 1e3,
                100 * best[p] / sum_of_best);
  std::printf("%-26s %12.1f %10.2f\n", "sum of the phases", sum_of_best / iterations * 1e6, sum_of_best * 1e3);
  std::printf("%-26s %12.1f %10.2f\n", "best whole epoch", best_total / iterations * 1e6, best_total * 1e3);
}

}  // namespace

int main(int argc, char** argv) {
  return guarded_main("bench_train", [&] {
    Cli cli(argc, argv, "Seconds per epoch and peak memory of the MNIST TwoLayerNet loop of chapter 4.");
    const bool quick = cli.flag("--quick", "H = 50, B = 100 only, best of 2 epochs (CI)");
    const int epochs = cli.get("--epochs", quick ? 2 : 5, "timed epochs of H = 50, B = 100; best and median");
    const int warmup = cli.get("--warmup", quick ? 0 : 1, "untimed epochs before those of H = 50, B = 100");
    const int sweep_epochs = cli.get("--sweep-epochs", 2, "timed epochs per configuration of the sweeps");
    const int top_threads =
        cli.get("--max-threads", int(std::thread::hardware_concurrency()), "measure 1 thread and this many");
    const std::string hiddens = cli.get<std::string>("--hidden", "50,100,500,1000", "hidden sizes to sweep (B = 100)");
    const std::string batch_sizes = cli.get<std::string>("--batch", "32,100,256,1000", "batch sizes to sweep (H = 50)");
    const bool sweep = !cli.flag("--no-sweep", "skip the two sweeps (implied by --quick)") && !quick;
    const bool phases = cli.flag("--phases", "also split the H = 50, B = 100 epoch into its steps");
    if (!cli.finish()) return cli.exit_code();

    const std::string command = command_line(argc, argv);
    const unsigned cores = std::thread::hardware_concurrency();
    std::printf(
        "# bench_train: one epoch of chapter 4's loop (TwoLayerNet 784-H-10, SGD lr %.1f, batch B), "
        "%d warm-up + %d timed epochs\n",
        double(kLearningRate), warmup, epochs);
    std::printf("# machine: %s, %u logical cores; load average %s\n", cpu_model().c_str(), cores,
                load_average().c_str());
    std::printf("# build: scalar %s, %s\n", kScalarIsFloat ? "float" : "double",
#ifdef _OPENMP
                "OpenMP");
#else
                "no OpenMP (one thread)");
#endif
    const bool realtime = sched_getscheduler(0) == SCHED_FIFO || sched_getscheduler(0) == SCHED_RR;
    const char* wait_policy = std::getenv("OMP_WAIT_POLICY");
    std::printf("# scheduling: %s; OMP_WAIT_POLICY %s\n",
                realtime ? "real-time (chrt): other programs are pre-empted while it runs" : "normal",
                wait_policy ? wait_policy : "unset (libgomp spins a while, then sleeps)");
    std::printf("# reproduce: cd %s && SCRATCH_DATA_DIR=%s %s%s\n", SCRATCH_SOURCE_DIR, data_dir().c_str(),
                realtime ? "chrt -f 10 " : "", command.c_str());
    if (!realtime && load_average_1min() > 0.5 * cores)
      std::printf(
          "# WARNING: the load average is %s on %u cores: timings are low and noisy. Re-run on an idle\n"
          "#          machine, or as root under  chrt -f 10  (real-time priority).\n",
          load_average().c_str(), cores);

    const MnistOptions options{PixelScale::kUnit, ImageLayout::kFlat, LabelFormat::kIndex};
    const MnistDataset train = load_mnist(MnistSplit::kTrain, options);
    std::printf(
        "# s/epoch = best timed epoch, median of them beside it (sweeps: no warm-up); GFLOPS = the products' 2·B·(2·784·H + 3·H·10) flops "
        "per iteration / best time;\n# loss = mean mini-batch loss of the last epoch; fresh/it = Storage "
        "blocks from the system allocator per iteration after epoch 1\n");
    std::printf("%-8s %6s %6s %7s %5s %9s %9s %6s %8s %8s %7s\n", "run", "hidden", "batch", "threads", "dtype",
                "s/epoch", "median", "iters", "GFLOPS", "loss", "fresh/it");
    std::vector<int> thread_counts = {1};
    if (top_threads > 1) thread_counts.push_back(top_threads);
    for (int threads : thread_counts) {
      set_threads(threads);
      print_row("book", 50, 100, threads, time_epochs(train, 50, 100, warmup, epochs));
    }
    for (std::size_t hidden : sweep ? parse_sizes(hiddens) : std::vector<std::size_t>{})
      for (int threads : thread_counts) {
        set_threads(threads);
        print_row("hidden", hidden, 100, threads, time_epochs(train, hidden, 100, 0, sweep_epochs));
      }
    for (std::size_t batch : sweep ? parse_sizes(batch_sizes) : std::vector<std::size_t>{})
      for (int threads : thread_counts) {
        set_threads(threads);
        print_row("batch", 50, batch, threads, time_epochs(train, 50, batch, 0, sweep_epochs));
      }
    if (phases)
      for (int threads : thread_counts) {
        set_threads(threads);
        print_phases(train, 50, 100, epochs);
      }
    const StorageStats stats = storage_stats();
    std::printf("\n# peak RSS %.1f MB (MNIST training bytes: %.1f MB); peak live tensors %.2f MB\n", peak_rss_mb(),
                double(train.size() * (kMnistPixels + 1)) / 1e6, double(stats.peak_live_bytes) / 1e6);
    std::printf("# load average at the end: %s\n", load_average().c_str());
    return 0;
  });
}

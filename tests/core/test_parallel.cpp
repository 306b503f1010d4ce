// test_parallel.cpp — small work stays serial: below its threshold a loop opens no OpenMP region.
//
// The thresholds (core/parallel.hpp) were measured with bench/bench_parallel: an OpenMP region
// costs microseconds, more than a small loop. parallel_regions() counts the regions parallel_for
// opens, so each kind of loop is checked just below and at its threshold, on 2 threads.
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "test_util.hpp"

using namespace scratch;
using scratch::test::ScopedEnv;

namespace {

// Regions opened while body runs on 2 threads.
template <class Body>
std::size_t regions_opened_by(Body&& body) {
  const int before_threads = max_threads();
  set_threads(2);
  const std::size_t before = parallel_regions();
  body();
  const std::size_t opened = parallel_regions() - before;
  set_threads(before_threads);
  return opened;
}

#ifdef _OPENMP
constexpr std::size_t kOne = 1;  // a region is opened where the work reaches the threshold
#else
constexpr std::size_t kOne = 0;  // built without OpenMP: never
#endif

}  // namespace

BOOST_AUTO_TEST_SUITE(core_parallel)

BOOST_AUTO_TEST_CASE(chunks_cover_every_element_once) {
  // 10000 elements of kCostSimple work: [0, 4096), [4096, 8192), [8192, 10000)
  std::vector<int> hits(10000, 0);
  std::vector<std::pair<std::size_t, std::size_t>> chunks(3);
  parallel_for_chunks(hits.size(), kCostSimple, [&](std::size_t begin, std::size_t end) {
    chunks[begin / kParallelChunkWork] = {begin, end};
    for (std::size_t i = begin; i < end; ++i) ++hits[i];
  });
  for (int h : hits) BOOST_TEST(h == 1);
  BOOST_TEST((chunks[2] == std::pair<std::size_t, std::size_t>{8192, 10000}));
  parallel_for_chunks(0, kCostSimple, [&](std::size_t, std::size_t) { BOOST_ERROR("no chunk for n = 0"); });
}

BOOST_AUTO_TEST_CASE(memory_bound_elementwise_loops_split_from_the_threshold) {
  const std::size_t n = kMinParallelWork / kCostSimple;  // 131072 elements
  const Tensor small = Tensor::ones({n - 1}), large = Tensor::ones({n});
  BOOST_TEST(regions_opened_by([&] { (void)(small + small); }) == 0u);
  BOOST_TEST(regions_opened_by([&] { (void)(large + large); }) == kOne);
  Relu relu;
  BOOST_TEST(regions_opened_by([&] { relu.forward(small); }) == 0u);
  BOOST_TEST(regions_opened_by([&] { relu.forward(large); }) == kOne);
}

BOOST_AUTO_TEST_CASE(exp_and_log_split_from_a_few_thousand_elements) {
  const std::size_t n = kMinParallelWork / kCostTranscendental;  // 4096 elements
  BOOST_TEST(regions_opened_by([&] { (void)exp(Tensor::ones({n - 1})); }) == 0u);
  BOOST_TEST(regions_opened_by([&] { (void)exp(Tensor::ones({n})); }) == kOne);
  // softmax: rows of 10 classes, 32 units each per element → from 410 rows
  BOOST_TEST(regions_opened_by([&] { (void)softmax(Tensor::ones({400, 10})); }) == 0u);
  BOOST_TEST(regions_opened_by([&] { (void)softmax(Tensor::ones({410, 10})); }) == kOne);
}

BOOST_AUTO_TEST_CASE(parameter_loops_split_from_two_to_the_fifteen_elements) {
  const std::size_t n = kMinParallelWork / kCostOperandElement;  // 32768
  BOOST_TEST(n == 32768u);
  for (std::size_t size : {n - 1, n}) {
    ParamPtr W = make_param("W", Tensor::zeros({size}));
    const Tensor g = Tensor::ones({size});
    SGD sgd(Scalar(0.5));
    // one region to merge the gradient into W.grad, two for the SGD step (read everything to see
    // that it is finite and in range, then update in place) — or none at all
    const std::size_t regions = regions_opened_by([&] { sgd.update(remove_duplicates({{W, &g}})); });
    BOOST_TEST(regions == (size == n ? 3 * kOne : 0u));
    BOOST_TEST(W->value[size - 1] == Scalar(-0.5));  // and the result is right either way
  }
}

BOOST_AUTO_TEST_CASE(the_book_network_splits_only_the_operands_of_its_first_layer) {
  // One iteration of chapter 4 (784-50-10, batch 100): every activation loop (5000 elements or
  // fewer) stays serial; split are only the loops over the first layer's big operands, next to its
  // matrix products, which run in parallel on their own (gemm.hpp): Affine's copy of x (100 × 784)
  // and the loops over W1 (784 × 50): remove_duplicates, and the SGD step's two passes (the check
  // that every number is finite and in range, then the update in place).
  Rng rng(3);
  TwoLayerNet net(784, 50, 10, Scalar(0.01), rng);
  SGD sgd(Scalar(0.1));
  const Tensor x = Tensor::rand({100, 784}, rng);
  Tensor t = Tensor::zeros({100});
  const std::size_t regions = regions_opened_by([&] {
    net.forward(x, t);
    net.backward();
    sgd.update(remove_duplicates(net.params()));
  });
  BOOST_TEST(regions == 4 * kOne);
}

BOOST_AUTO_TEST_CASE(default_threads_follows_omp_num_threads_or_the_idle_cores) {
  {
    const ScopedEnv chosen_by_user("OMP_NUM_THREADS", "2");
    BOOST_TEST(default_threads() == max_threads());  // an explicit choice is respected
  }
  const ScopedEnv not_chosen("OMP_NUM_THREADS", std::nullopt);
  const int chosen = default_threads();  // depends on what else runs: between 1 and all cores
  BOOST_TEST(chosen >= 1);
  BOOST_TEST(chosen <= max_threads());

  // A core kept busy (here by a thread of our own that spins) is left out. Checkable only where the
  // machine has no more cores than we may use: on a bigger one the idle cores are still enough.
  const int machine_cores = static_cast<int>(std::thread::hardware_concurrency());
  if (max_threads() >= 2 && machine_cores == max_threads() && std::ifstream("/proc/stat")) {
    std::atomic<bool> stop{false};
    std::thread spinner([&] {
      while (!stop.load(std::memory_order_relaxed)) {
      }
    });
    const int while_busy = default_threads();
    stop = true;
    spinner.join();
    BOOST_TEST(while_busy <= max_threads() - 1);
  } else {
    BOOST_TEST_MESSAGE("default_threads under load not checked: " << machine_cores << " cores, " << max_threads()
                                                                  << " usable");
  }
}

BOOST_AUTO_TEST_SUITE_END()

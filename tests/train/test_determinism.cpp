// test_determinism.cpp — results never depend on the number of threads (DESIGN.md §3).
//
// Every parallel loop in ScratchNet gives each thread its own outputs and sums in a fixed order, so
// training on 1 thread and on 2 must produce the same losses bit for bit, not just close ones. The
// network here is sized so that every parallel path really runs on 2 threads (the sizes are checked
// against the thresholds below, and parallel_regions() shows the regions were opened):
//   - matrix products above kGemmParallelWork multiply-adds (every Affine forward and backward);
//   - parallel_for loops: Relu and Sigmoid over 256 × 512 activations, SoftmaxWithLoss over 256
//     rows of 32 classes, remove_duplicates and Adam over parameters of ≥ 2^15 elements;
//   - the tensor ops (elementwise, broadcasting, axis reductions, transpose, softmax).
#include <cstring>

#include "test_util.hpp"

using namespace scratch;

namespace {

constexpr std::size_t kSamples = 1024, kBatch = 256, kFeatures = 300, kHidden = 512, kClasses = 32;

// Runs body with `threads` OpenMP threads, then restores the previous count.
template <class Body>
void with_threads(int threads, Body&& body) {
  const int before = max_threads();
  set_threads(threads);
  body();
  set_threads(before);
}

Sequential make_net(Rng& rng) {
  Sequential net;
  auto affine = [&](std::size_t d, std::size_t m) {
    return std::make_unique<Affine>(make_param("W", Tensor::randn({d, m}, rng) * Scalar(0.05)),
                                    make_param("b", Tensor::zeros({m})));
  };
  net.add(affine(kFeatures, kHidden));
  net.add(std::make_unique<Relu>());
  net.add(affine(kHidden, kHidden));
  net.add(std::make_unique<Sigmoid>());
  net.add(affine(kHidden, kClasses));
  net.set_loss(std::make_unique<SoftmaxWithLoss>());
  return net;
}

struct Run {
  std::vector<Scalar> losses;
  std::vector<Tensor> weights;  // every parameter after training
  std::size_t regions = 0;      // parallel_for regions opened
};

// Eight Adam steps on shuffled mini-batches of a fixed synthetic data set, all from fixed seeds.
Run train(int threads) {
  Run run;
  with_threads(threads, [&] {
    Rng rng(2024);
    Tensor t = Tensor::empty({kSamples});
    for (std::size_t i = 0; i < kSamples; ++i) t[i] = Scalar(i * 7 % kClasses);
    const TensorDataset data(Tensor::randn({kSamples, kFeatures}, rng), t);
    Sequential net = make_net(rng);
    Adam adam(Scalar(1e-3));
    MiniBatches batches(data, kBatch, rng);
    const std::size_t regions_before = parallel_regions();
    for (int step = 0; step < 8; ++step) {
      if (!batches.next()) batches.next();  // the next epoch, with a new order
      run.losses.push_back(net.forward(batches.x(), batches.t()));
      net.backward();
      adam.update(remove_duplicates(net.params()));
    }
    run.regions = parallel_regions() - regions_before;
    for (const ParamPtr& p : remove_duplicates(net.params())) run.weights.push_back(p->value);
  });
  return run;
}

bool same_bits(Scalar a, Scalar b) { return std::memcmp(&a, &b, sizeof(Scalar)) == 0; }

}  // namespace

BOOST_AUTO_TEST_SUITE(train_determinism)

BOOST_AUTO_TEST_CASE(the_sizes_reach_every_parallel_threshold) {
  // So that the comparison below is not between two serial runs.
  BOOST_TEST(kBatch * kFeatures * kHidden >= kGemmParallelWork);            // smallest big product: layer 1
  BOOST_TEST(kBatch * kHidden * kCostSimple >= kMinParallelWork);           // Relu
  BOOST_TEST(kBatch * kClasses * kCostTranscendental >= kMinParallelWork);  // SoftmaxWithLoss rows
  BOOST_TEST(kFeatures * kHidden * kCostOperandElement >= kMinParallelWork);  // dedup and Adam on W1
}

BOOST_AUTO_TEST_CASE(one_and_two_threads_give_the_same_losses_bit_for_bit) {
  const Run one = train(1);
  const Run two = train(2);
  BOOST_REQUIRE(one.losses.size() == two.losses.size());
  for (std::size_t i = 0; i < one.losses.size(); ++i)
    BOOST_TEST(same_bits(one.losses[i], two.losses[i]),
               "step " << i << ": loss " << one.losses[i] << " on 1 thread, " << two.losses[i] << " on 2");
  BOOST_REQUIRE(one.weights.size() == two.weights.size());
  for (std::size_t k = 0; k < one.weights.size(); ++k) BOOST_TEST(array_equal(one.weights[k], two.weights[k]));
  BOOST_TEST(one.losses.back() < one.losses.front());  // and it does train
  BOOST_TEST(one.regions == 0u);                       // 1 thread never opens a region
#ifdef _OPENMP
  BOOST_TEST(two.regions > 0u);  // 2 threads really ran the parallel loops
#endif
}

BOOST_AUTO_TEST_CASE(tensor_ops_give_the_same_bits_on_one_and_two_threads) {
  Rng rng(9);
  const Tensor a = Tensor::randn({512, 512}, rng), b = Tensor::randn({512, 512}, rng);
  const Tensor row = Tensor::randn({512}, rng);
  auto results = [&] {
    return std::vector<Tensor>{exp(a),        a + b,      a * row,       a.sum(1), a.max(1, KeepDims::kYes),
                               a.transpose(), softmax(a), maximum(a, 0), tanh(b),  matmul(a, b)};
  };
  std::vector<Tensor> one, two;
  std::size_t regions = 0;
  with_threads(1, [&] { one = results(); });
  with_threads(2, [&] {
    const std::size_t before = parallel_regions();
    two = results();
    regions = parallel_regions() - before;
  });
  for (std::size_t i = 0; i < one.size(); ++i) BOOST_TEST(array_equal(one[i], two[i]), "result " << i);
#ifdef _OPENMP
  BOOST_TEST(regions >= 9u);  // one per result but matmul, which opens its own regions
#endif
}

BOOST_AUTO_TEST_SUITE_END()

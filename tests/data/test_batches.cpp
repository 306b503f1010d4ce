// test_batches.cpp — mini-batch iteration: every sample once per epoch, seeded shuffles, the partial
// last batch (kept or dropped), reused buffers, and the errors for impossible batch sizes.
#include <algorithm>

#include "data/data_files.hpp"

using namespace scratch;
using namespace scratch::test;

namespace {

// Ten samples: x[n] = (n, -n), t[n] = 10·n, so every batch shows which samples it holds and that
// x and t stayed paired.
TensorDataset ten_samples() {
  Tensor x = Tensor::empty({10, 2}), t = Tensor::empty({10});
  for (std::size_t n = 0; n < 10; ++n) {
    x(n, 0) = Scalar(n);
    x(n, 1) = -Scalar(n);
    t[n] = Scalar(10 * n);
  }
  return TensorDataset(std::move(x), std::move(t));
}

// Runs one epoch; returns the sample numbers seen (in order) and the batch sizes.
std::vector<std::size_t> one_epoch(MiniBatches& batches, std::vector<std::size_t>* sizes = nullptr) {
  std::vector<std::size_t> seen;
  while (batches.next()) {
    const Tensor& x = batches.x();
    const Tensor& t = batches.t();
    BOOST_REQUIRE(x.shape()[0] == t.shape()[0]);
    for (std::size_t b = 0; b < x.shape()[0]; ++b) {
      BOOST_REQUIRE(x(b, 1) == -x(b, 0));
      BOOST_REQUIRE(t[b] == 10 * x(b, 0));
      seen.push_back(static_cast<std::size_t>(x(b, 0)));
    }
    if (sizes != nullptr) sizes->push_back(x.shape()[0]);
  }
  return seen;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(data_batches)

BOOST_AUTO_TEST_CASE(every_sample_exactly_once_per_epoch_with_a_partial_last_batch) {
  const TensorDataset data = ten_samples();
  Rng rng(1);
  MiniBatches batches(data, 4, rng);
  BOOST_TEST(batches.batches_per_epoch() == 3u);  // ceil(10 / 4)
  std::vector<std::vector<std::size_t>> orders;
  for (std::size_t epoch = 1; epoch <= 3; ++epoch) {
    std::vector<std::size_t> sizes;
    std::vector<std::size_t> seen = one_epoch(batches, &sizes);
    BOOST_TEST(batches.epoch() == epoch);
    BOOST_TEST(sizes == (std::vector<std::size_t>{4, 4, 2}), boost::test_tools::per_element());
    orders.push_back(seen);
    std::sort(seen.begin(), seen.end());
    for (std::size_t n = 0; n < 10; ++n) BOOST_TEST(seen[n] == n);
  }
  // Each epoch draws a new order.
  BOOST_TEST((orders[0] != orders[1] || orders[1] != orders[2]));
}

BOOST_AUTO_TEST_CASE(seeded_shuffles_are_reproducible) {
  const TensorDataset data = ten_samples();
  Rng a(5), b(5), c(6);
  MiniBatches first(data, 3, a), second(data, 3, b), other(data, 3, c);
  for (int epoch = 0; epoch < 3; ++epoch) {
    const std::vector<std::size_t> from_first = one_epoch(first), from_second = one_epoch(second);
    BOOST_TEST(from_first == from_second, boost::test_tools::per_element());
    BOOST_TEST(first.order() == second.order(), boost::test_tools::per_element());
  }
  Rng d(5);
  BOOST_TEST(one_epoch(other) != d.permutation(10));
  // The order is exactly Rng::permutation(N), drawn once per epoch.
  Rng e(5), f(5);
  MiniBatches from_e(data, 10, e);
  BOOST_TEST(from_e.next());
  BOOST_TEST(from_e.order() == f.permutation(10), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(drop_keeps_only_full_batches) {
  const TensorDataset data = ten_samples();
  Rng rng(2);
  MiniBatches batches(data, 4, rng, {Shuffle::kEachEpoch, LastBatch::kDrop});
  BOOST_TEST(batches.batches_per_epoch() == 2u);  // floor(10 / 4)
  std::vector<std::size_t> left_out;
  for (int epoch = 0; epoch < 5; ++epoch) {
    std::vector<std::size_t> sizes;
    const std::vector<std::size_t> seen = one_epoch(batches, &sizes);
    BOOST_TEST(sizes == (std::vector<std::size_t>{4, 4}), boost::test_tools::per_element());
    // The two samples left out are the last two of this epoch's order.
    BOOST_TEST(std::equal(seen.begin(), seen.end(), batches.order().begin()));
    left_out.push_back(batches.order()[8]);
  }
  // Different samples are left out in different epochs.
  BOOST_TEST(std::count(left_out.begin(), left_out.end(), left_out[0]) < 5);
}

BOOST_AUTO_TEST_CASE(no_shuffle_keeps_the_stored_order) {
  const TensorDataset data = ten_samples();
  Rng rng(2);
  MiniBatches batches(data, 3, rng, {Shuffle::kNone, LastBatch::kKeep});
  std::vector<std::size_t> sizes;
  const std::vector<std::size_t> seen = one_epoch(batches, &sizes);
  BOOST_TEST(seen == (std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), boost::test_tools::per_element());
  BOOST_TEST(sizes == (std::vector<std::size_t>{3, 3, 3, 1}), boost::test_tools::per_element());
  // A full batch of the whole set is allowed.
  MiniBatches full(data, 10, rng);
  BOOST_TEST(full.next());
  BOOST_TEST(full.batch_in_epoch() == 1u);
  BOOST_TEST(!full.next());
}

BOOST_AUTO_TEST_CASE(the_batch_tensors_are_reused) {
  // 1000 samples in batches of 100: after the first epoch, iterating allocates nothing.
  Rng rng(3);
  const TensorDataset data = make_argmax_set(rng, {1000});
  MiniBatches batches(data, 100, rng);
  BOOST_TEST(batches.next());
  const Scalar* x_memory = batches.x().data();
  const Scalar* t_memory = batches.t().data();
  while (batches.next()) {
    BOOST_REQUIRE(batches.x().data() == x_memory);
    BOOST_REQUIRE(batches.t().data() == t_memory);
  }
  std::size_t fresh = storage_stats().fresh_allocations;
  for (int epoch = 0; epoch < 3; ++epoch)
    while (batches.next()) BOOST_REQUIRE(batches.x().data() == x_memory);
  BOOST_TEST(storage_stats().fresh_allocations == fresh);

  // With a partial last batch (300, 300, 300, 100) the two sizes alternate, and the storage cache
  // hands the blocks back: no new allocation after the first epoch either.
  MiniBatches uneven(data, 300, rng);
  while (uneven.next()) {
  }
  fresh = storage_stats().fresh_allocations;
  for (int epoch = 0; epoch < 3; ++epoch)
    while (uneven.next()) {
    }
  BOOST_TEST(storage_stats().fresh_allocations == fresh);
}

BOOST_AUTO_TEST_CASE(impossible_batch_sizes_are_value_errors) {
  const TensorDataset data = ten_samples();
  Rng rng(1);
  expect_mentions(error_message<ValueError>([&] { MiniBatches(data, 0, rng); }), "batch size must be at least 1");
  const std::string big = error_message<ValueError>([&] { MiniBatches(data, 11, rng); });
  expect_mentions(big, "batch size 11 is larger than the data set (10 samples)");
  expect_mentions(big, "use a batch size of at most 10");
  const TensorDataset empty(Tensor::zeros({0, 2}), Tensor::zeros({0}));
  expect_mentions(error_message<ValueError>([&] { MiniBatches(empty, 1, rng); }), "empty");
}

BOOST_AUTO_TEST_CASE(an_unfinished_epoch_continues_from_its_position) {
  // Batches of 3 from 10 samples: 4 per epoch. Stop after 2, continue elsewhere: the same 4 batches.
  const TensorDataset data = ten_samples();
  Rng rng(11);
  MiniBatches straight(data, 3, rng);
  const std::vector<std::size_t> whole = one_epoch(straight);

  Rng rng2(11);
  MiniBatches first(data, 3, rng2);
  BOOST_TEST(first.position().order.empty());  // before the first next(): between epochs
  std::vector<std::size_t> seen;
  for (int i = 0; i < 2; ++i) {
    BOOST_REQUIRE(first.next());
    for (std::size_t b = 0; b < 3; ++b) seen.push_back(static_cast<std::size_t>(first.x()(b, 0)));
  }
  const BatchPosition p = first.position();
  BOOST_TEST(p.next_batch == 2u);
  BOOST_TEST(p.order == straight.order());
  BOOST_TEST((p.samples == 10u && p.batch_size == 3u));

  Rng other(99);  // the order comes from the position, not from this engine
  MiniBatches second(data, 3, other);
  second.set_position(p);
  const std::string other_state = other.state();
  const std::vector<std::size_t> rest = one_epoch(second);
  seen.insert(seen.end(), rest.begin(), rest.end());
  BOOST_TEST(seen == whole);
  BOOST_TEST(other.state() == other_state);
  BOOST_TEST(second.position().order.empty());  // the epoch is over
}

BOOST_AUTO_TEST_CASE(a_batch_put_back_comes_again) {
  const TensorDataset data = ten_samples();
  MiniBatches batches(data, 4, global_rng(), {Shuffle::kNone, LastBatch::kKeep});
  BOOST_CHECK_THROW(batches.put_back(), ValueError);  // no batch yet
  BOOST_REQUIRE(batches.next());
  BOOST_REQUIRE(batches.next());  // samples 4 … 7
  batches.put_back();
  BOOST_TEST(batches.position().next_batch == 1u);
  BOOST_REQUIRE(batches.next());
  BOOST_TEST(batches.x()(0, 0) == Scalar(4));
  BOOST_TEST(batches.batch_in_epoch() == 2u);
}

BOOST_AUTO_TEST_CASE(a_position_for_other_batches_is_refused) {
  const TensorDataset data = ten_samples();
  MiniBatches batches(data, 3);
  BatchPosition p;
  p.samples = 10;
  p.batch_size = 4;
  p.order = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  BOOST_TEST(message_of<ValueError>([&] { batches.set_position(p); }) ==
             "MiniBatches.set_position: the epoch was cut into batches of 4 from 10 samples (an order of 10), but "
             "these batches are of 3 from 10 samples; continue it with the same data and batch size");
  p.batch_size = 3;
  p.next_batch = 5;
  BOOST_CHECK_THROW(batches.set_position(p), ValueError);  // 4 batches per epoch
  p.next_batch = 1;
  p.order[3] = 0;
  BOOST_TEST(message_of<ValueError>([&] { batches.set_position(p); }).find("index 0 appears twice") !=
             std::string::npos);
  BOOST_TEST(batches.position().order.empty());  // nothing was taken
}

BOOST_AUTO_TEST_CASE(a_borrowed_tensor_dataset_reads_the_callers_tensors) {
  const Tensor x = Tensor::from_rows({{1, 2}, {3, 4}, {5, 6}}), t = Tensor::from_vector({3}, {0, 1, 0});
  const TensorDataset borrowed = TensorDataset::borrow(x, t);
  BOOST_TEST(&borrowed.x() == &x);  // no copy
  BOOST_TEST(&borrowed.t() == &t);
  const TensorDataset copy = borrowed;  // a copy borrows the same tensors
  BOOST_TEST(&copy.x() == &x);
  Tensor bx, bt;
  copy.batch({2, 0, 1}, 0, 2, bx, bt);
  BOOST_TEST(bx(0, 0) == Scalar(5));
  BOOST_TEST(message_of<ShapeError>([&] { TensorDataset::borrow(x, bt); }) ==
             "TensorDataset::borrow: x has shape (3, 2) and t has shape (2,); both need the same number of samples "
             "along axis 0");
}

BOOST_AUTO_TEST_SUITE_END()

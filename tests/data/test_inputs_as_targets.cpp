// test_inputs_as_targets.cpp — InputsAsTargets serves each batch's x as its t.
#include "test_util.hpp"

using namespace scratch;
using scratch::test::expect_allclose;

BOOST_AUTO_TEST_SUITE(data_inputs_as_targets)

BOOST_AUTO_TEST_CASE(targets_are_the_inputs_of_the_same_batch) {
  // 4 samples of 3 features with labels 7 … 10; the view drops the labels and repeats x.
  const TensorDataset data(Tensor::from_rows({{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}}),
                           Tensor::from_vector({4}, {7, 8, 9, 10}));
  const InputsAsTargets images(data);
  BOOST_TEST(images.size() == 4u);
  Tensor x, t;
  images.batch({3, 0, 2, 1}, 1, 3, x, t);  // samples 0 and 2, in that order
  expect_allclose(x, Tensor::from_rows({{1, 2, 3}, {7, 8, 9}}), 0, 0, "x");
  expect_allclose(t, x, 0, 0, "t");
  BOOST_TEST(t.data() != x.data());  // a copy: the model may not alias its input and its target
}

BOOST_AUTO_TEST_CASE(the_trainer_reads_it_like_any_dataset) {
  const TensorDataset data(Tensor::from_rows({{0, 1}, {1, 0}, {1, 1}}), Tensor::zeros({3}));
  const InputsAsTargets images(data);
  MiniBatches batches(images, 2);
  std::size_t seen = 0;
  while (batches.next()) {
    expect_allclose(batches.t(), batches.x(), 0, 0, "t = x");
    seen += batches.x().shape()[0];
  }
  BOOST_TEST(seen == 3u);
}

BOOST_AUTO_TEST_SUITE_END()

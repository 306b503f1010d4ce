// test_loop_efficiency.cpp — the training loop does no work it can avoid: after a warm-up it takes
// every tensor buffer from Storage's cache, and the first layer skips the dx nobody reads.
//
// Every tensor buffer comes from Storage, which keeps freed blocks in a cache by size (see
// tensor/storage.hpp): once the first iterations have made each shape, a training loop should take
// every buffer from there and none from the system allocator. What is left for operator new is
// bookkeeping — a Shape vector per returned Tensor, the short lists of parameters — a fixed number
// of small blocks per iteration that does not grow with the batch or the layer sizes.
//
// To see those, this file replaces the global operator new (for the whole test program; it only
// counts, then calls malloc) and counts the calls while a flag is raised.
#include <atomic>
#include <cstdlib>
#include <new>

#include "test_util.hpp"

namespace {

std::atomic<bool> counting{false};
std::atomic<std::size_t> new_calls{0};
std::atomic<std::size_t> largest_new{0};

void* counted_new(std::size_t bytes) {
  if (counting.load(std::memory_order_relaxed)) {
    new_calls.fetch_add(1, std::memory_order_relaxed);
    std::size_t seen = largest_new.load(std::memory_order_relaxed);
    while (bytes > seen && !largest_new.compare_exchange_weak(seen, bytes)) {
    }
  }
  if (void* p = std::malloc(bytes == 0 ? 1 : bytes)) return p;
  throw std::bad_alloc();
}

}  // namespace

// Every form of new that a delete below frees is replaced too, the nothrow ones included (which
// std::stable_sort uses): otherwise AddressSanitizer's nothrow new would be paired with our
// free(), an alloc-dealloc mismatch it reports. (The aligned forms stay the library's, new and
// delete alike.)
void* operator new(std::size_t bytes) { return counted_new(bytes); }
void* operator new[](std::size_t bytes) { return counted_new(bytes); }
void* operator new(std::size_t bytes, const std::nothrow_t&) noexcept {
  try {
    return counted_new(bytes);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new[](std::size_t bytes, const std::nothrow_t& tag) noexcept { return operator new(bytes, tag); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

using namespace scratch;

namespace {

// What one stretch of iterations asked of the allocators.
struct Allocations {
  std::size_t storage_fresh;  // tensor buffers from the system allocator
  std::size_t new_calls;      // operator new calls (all of them bookkeeping, see above)
  std::size_t largest_new;    // the largest block operator new was asked for, in bytes
};

// One training step of chapter 4's loop.
void step(TwoLayerNet& net, SGD& sgd, MiniBatches& batches) {
  batches.next();
  net.forward(batches.x(), batches.t());
  net.backward();
  sgd.update(remove_duplicates(net.params()));
}

Allocations count_steps(TwoLayerNet& net, SGD& sgd, MiniBatches& batches, int steps) {
  const std::size_t fresh_before = storage_stats().fresh_allocations;
  new_calls = 0;
  largest_new = 0;
  counting = true;
  for (int i = 0; i < steps; ++i) step(net, sgd, batches);
  counting = false;
  return {storage_stats().fresh_allocations - fresh_before, new_calls.load(), largest_new.load()};
}

// The book's network and loop (784-50-10, batch 100, SGD) on random "images".
struct BookLoop {
  Rng rng{5};
  // 25 batches: the counted steps stay inside the first epoch (a new epoch draws a new order).
  TensorDataset data{Tensor::rand({2500, 784}, rng), Tensor::from_vector({2500}, labels(2500))};
  TwoLayerNet net{784, 50, 10, Scalar(0.01), rng};
  SGD sgd{Scalar(0.1)};
  MiniBatches batches{data, 100, rng};

  static std::vector<Scalar> labels(std::size_t n) {
    std::vector<Scalar> t(n);
    for (std::size_t i = 0; i < n; ++i) t[i] = Scalar(i % 10);
    return t;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(train_loop_efficiency)

BOOST_AUTO_TEST_CASE(after_warm_up_no_tensor_buffer_is_allocated) {
  BookLoop loop;
  for (int i = 0; i < 3; ++i) step(loop.net, loop.sgd, loop.batches);  // warm-up: the cache fills
  const Allocations a = count_steps(loop.net, loop.sgd, loop.batches, 20);
  BOOST_TEST(a.storage_fresh == 0u);
  // Bookkeeping only: no block near the size of a tensor of this network (the smallest, b2, is
  // 10 numbers; a (100, 10) score matrix is 8000 bytes in double) goes through operator new.
  BOOST_TEST(a.largest_new <= 256u);
  BOOST_TEST_MESSAGE("per iteration: " << a.new_calls / 20 << " operator new calls, the largest " << a.largest_new
                                       << " bytes");
}

BOOST_AUTO_TEST_CASE(the_bookkeeping_is_the_same_every_iteration) {
  BookLoop loop;
  for (int i = 0; i < 3; ++i) step(loop.net, loop.sgd, loop.batches);
  const Allocations one = count_steps(loop.net, loop.sgd, loop.batches, 1);
  const Allocations ten = count_steps(loop.net, loop.sgd, loop.batches, 10);
  BOOST_TEST(ten.new_calls == 10 * one.new_calls);  // a fixed count: nothing accumulates or grows
  // and few: a handful per layer (the Shapes of the tensors it returns, the parameter lists)
  BOOST_TEST(one.new_calls <= 40u);
}

BOOST_AUTO_TEST_CASE(the_first_layer_skips_the_input_gradient) {
  // dL/dx of the images is read by nobody; for the first Affine it would be a (100, 784) product,
  // as much work as its dW. Sequential marks the first layer InputGrad::kSkip when it back-propagates.
  BookLoop loop;
  step(loop.net, loop.sgd, loop.batches);
  const auto& layers = loop.net.layers();
  BOOST_TEST((layers[0]->input_grad() == InputGrad::kSkip));
  for (std::size_t i = 1; i < layers.size(); ++i) BOOST_TEST((layers[i]->input_grad() == InputGrad::kCompute));
  // and the layer honours it: its backward returns no dx (its dW and db are still written)
  const Tensor dout = Tensor::ones({100, 50});
  BOOST_TEST(layers[0]->backward(dout).empty());
  // Asking for dx (to inspect it) turns the product back on.
  loop.net.set_input_grad(InputGrad::kCompute);
  step(loop.net, loop.sgd, loop.batches);
  BOOST_TEST((layers[0]->input_grad() == InputGrad::kCompute));
  BOOST_TEST((layers[0]->backward(dout).shape() == Shape{100, 784}));
}

BOOST_AUTO_TEST_CASE(the_counter_sees_allocations) {
  // The replacement really is in use: a vector of 1000 doubles is one counted call of 8000 bytes.
  new_calls = 0;
  largest_new = 0;
  counting = true;
  std::vector<double> v(1000);
  counting = false;
  BOOST_TEST(new_calls.load() == 1u);
  BOOST_TEST(largest_new.load() == 8000u);
}

BOOST_AUTO_TEST_SUITE_END()

// test_sanitizer_canary.cpp — deliberate bugs that prove the sanitizer build catches bugs.
//
// `make test SANITIZE=1` is only worth running if a leak, a buffer overflow or undefined behaviour
// really fails it. Each case below commits one of them. The suite is disabled, so the normal run
// never executes it; in the sanitizer build CMakeLists.txt registers each case as its own CTest
// test that passes only when the run exits with an error AND the sanitizer's report names the bug.
// If someone turns the sanitizers off or lets them merely print, these tests fail.
#include <climits>
#include <cstdlib>
#include <vector>

#include "test_util.hpp"

namespace {

// Volatile, so the compiler can neither prove the bugs away nor fold them at compile time.
void* volatile g_sink = nullptr;
volatile std::size_t g_index = 3;
volatile int g_big = INT_MAX;

}  // namespace

BOOST_AUTO_TEST_SUITE(robustness_sanitizer_canary, *boost::unit_test::disabled())

BOOST_AUTO_TEST_CASE(leak) {
  g_sink = std::malloc(100);  // the only pointer to the block, overwritten below: a leak
  g_sink = nullptr;
  BOOST_TEST(true);
}

BOOST_AUTO_TEST_CASE(heap_buffer_overflow) {
  std::vector<int> v(3);
  v.data()[g_index] = 1;  // one past the end
  BOOST_TEST(v.size() == 3u);
}

BOOST_AUTO_TEST_CASE(signed_integer_overflow) {
  const int r = g_big + 1;  // undefined behaviour
  BOOST_TEST(r != 0);
}

BOOST_AUTO_TEST_SUITE_END()

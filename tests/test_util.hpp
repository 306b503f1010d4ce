// test_util.hpp — what every test file shares: tolerances that fit the build's Scalar, the one
// expect_allclose helper, and gradient checks for layers.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "scratch.hpp"

namespace scratch::test {

// Tolerances. "exact" covers rounding in short sums; "close" a long chain of operations;
// "grad" a numerical gradient against backprop (see train/gradient_check.hpp).
inline constexpr Scalar kExactRtol = kScalarIsFloat ? Scalar(1e-5) : Scalar(1e-12);
inline constexpr Scalar kExactAtol = kScalarIsFloat ? Scalar(1e-6) : Scalar(1e-14);
inline constexpr Scalar kCloseRtol = kScalarIsFloat ? Scalar(1e-4) : Scalar(1e-9);
inline constexpr Scalar kCloseAtol = kScalarIsFloat ? Scalar(1e-5) : Scalar(1e-11);
inline constexpr Scalar kGradTolerance = kScalarIsFloat ? Scalar(2e-2) : Scalar(1e-6);

// Checks |actual − expected| <= atol + rtol·|expected| everywhere. On failure reports both shapes,
// the worst index and its two values, and how many elements are off.
void expect_allclose(const Tensor& actual, const Tensor& expected, Scalar rtol = kExactRtol, Scalar atol = kExactAtol,
                     const std::string& what = "");

// Loss used to check a layer: L = Σ y ⊙ dout for a fixed random dout, so dL/dy = dout.
// Compares the layer's dx and every parameter gradient with numerical ones and reports any
// failure with the GradientReport table. x should keep clear of kinks (ReLU at 0).
void check_layer_gradients(Layer& layer, const Tensor& x, std::uint64_t seed = 7, Scalar tolerance = kGradTolerance);

// The same for a loss layer: L = loss(x, t); checks dx.
void check_loss_gradients(LossLayer& layer, const Tensor& x, const Tensor& t, Scalar tolerance = kGradTolerance);

// Random normal tensor from its own seeded engine (tests never touch the global one).
Tensor seeded_randn(const Shape& shape, std::uint64_t seed);

// The message of the exception of type E that f throws, or "(no exception)", for checking what an
// error says. An exception of another type escapes and fails the test.
template <class E = Error>
std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "(no exception)";
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Sets (or with nullopt unsets) an environment variable for one scope, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::optional<std::string>& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    if (value) {
      ::setenv(name_.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }

 private:
  std::string name_;
  std::optional<std::string> old_;
};

// A fresh empty folder, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ =
        fs::temp_directory_path() / ("scratch-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }
  // The names of the files in the folder, sorted (to find leftover temporaries).
  std::vector<std::string> files() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(path_)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  fs::path path_;
};

}  // namespace scratch::test

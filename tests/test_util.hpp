// test_util.hpp — what every test file shares: tolerances that fit the build's Scalar, the one
// expect_allclose helper, and gradient checks for layers.
#pragma once

#include <boost/test/unit_test.hpp>
#include <string>

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
void expect_allclose(const Tensor& actual, const Tensor& expected, Scalar rtol = kExactRtol,
                     Scalar atol = kExactAtol, const std::string& what = "");

// Loss used to check a layer: L = Σ y ⊙ dout for a fixed random dout, so dL/dy = dout.
// Compares the layer's dx and every parameter gradient with numerical ones and reports any
// failure with the GradientReport table. x should keep clear of kinks (ReLU at 0).
void check_layer_gradients(Layer& layer, const Tensor& x, std::uint64_t seed = 7,
                           Scalar tolerance = kGradTolerance);

// The same for a loss layer: L = loss(x, t); checks dx.
void check_loss_gradients(LossLayer& layer, const Tensor& x, const Tensor& t, Scalar tolerance = kGradTolerance);

// Random normal tensor from its own seeded engine (tests never touch the global one).
Tensor seeded_randn(const Shape& shape, std::uint64_t seed);

}  // namespace scratch::test

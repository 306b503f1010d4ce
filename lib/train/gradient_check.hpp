// gradient_check.hpp — numerical gradients by central differences, and a report that compares
// them with back-propagation.
//
//   ∂f/∂x_i ≈ (f(x + h·e_i) − f(x − h·e_i)) / 2h
//
// The error of the central difference is O(h²) from truncation plus O(ε·|f|/h) from rounding
// (ε = machine epsilon), so h balances the two: 1e-4 in double (the books' value), 1e-2 in float.
// Near a kink (ReLU at 0) the formula is wrong whenever x ± h crosses it; choose inputs whose
// pre-activations stay farther than h from 0.
//
// On a whole model (any Model: Sequential, CBOW, the autoencoder, …) the same three steps as the
// book's TwoLayerNet.gradient / numerical_gradient and its gradient check:
//
//   params    = gradient(model, x, t)                  forward, backward, remove_duplicates
//   numerical = numerical_gradient(model, x, t)        one central difference per weight
//   report    = gradient_check(model, x, t, 1e-6)      the two compared, parameter by parameter

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "models/model.hpp"
#include "tensor/tensor.hpp"

namespace scratch {

// The default finite-difference step for the build's Scalar.
Scalar default_gradient_step();

// Numerical gradient of f at x, with x's shape. f is called 2·x.size() times, each time with one
// element of x perturbed by ±h; x is perturbed in place (so f may read it through a layer that
// holds it) and every value is restored, also when f throws. Throws ValueError unless h is finite and > 0.
Tensor numerical_gradient(const std::function<Scalar(const Tensor&)>& f, Tensor& x,
                          Scalar h = default_gradient_step());

// How one gradient compares with its numerical estimate.
struct GradientComparison {
  std::string name;        // "W1"
  Shape shape;
  Scalar mean_abs_diff;    // mean |Δ|, Δ = backprop − numerical
  Scalar max_abs_diff;     // max |Δ|
  // max |Δ| / max |numerical| (∞-norm relative error): the worst difference measured against the
  // gradient's own scale. Element-wise |Δ_i|/|g_i| is not used: it explodes on entries that are
  // almost 0 (pixels that are dark in nearly every image), where rounding noise dominates.
  Scalar max_rel_error;
  bool pass;               // max_rel_error <= the tolerance
};

// Throws ShapeError when the shapes differ, ValueError for a negative or NaN tolerance.
GradientComparison compare_gradient(const std::string& name, const Tensor& backprop, const Tensor& numerical,
                                    Scalar tolerance);

// A table of comparisons and its verdict.
struct GradientReport {
  std::vector<GradientComparison> rows;
  Scalar tolerance = 0;
  bool pass() const;
};

// Back-propagation on a batch: model.forward(x, t), model.backward(), remove_duplicates. Returns
// the model's distinct parameters (a shared weight once) with Param::grad holding dL/dParam, ready
// for an optimizer.
std::vector<ParamPtr> gradient(Model& model, const Tensor& x, const Tensor& t);

// The central-difference gradient of the loss model.forward(x, t) with respect to every distinct
// parameter, in the order gradient() returns them (slow: two forward passes per weight). Each weight
// is perturbed in place and restored (train/dedup.hpp's distinct_params: no gradient is touched).
std::vector<Tensor> numerical_gradient(Model& model, const Tensor& x, const Tensor& t,
                                       Scalar h = default_gradient_step());

// Compares gradient() with numerical_gradient() parameter by parameter; `tolerance` bounds each
// parameter's max rel (see GradientComparison).
GradientReport gradient_check(Model& model, const Tensor& x, const Tensor& t, Scalar tolerance);

// Prints  param  shape  mean|Δ|  max|Δ|  max rel  PASS/FAIL  — one line per row.
std::ostream& operator<<(std::ostream& out, const GradientReport& report);

}  // namespace scratch

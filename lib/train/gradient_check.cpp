// gradient_check.cpp — see gradient_check.hpp.
#include "train/gradient_check.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <ostream>

#include "train/dedup.hpp"

namespace scratch {

Scalar default_gradient_step() { return kScalarIsFloat ? Scalar(1e-2) : Scalar(1e-4); }

Tensor numerical_gradient(const std::function<Scalar(const Tensor&)>& f, Tensor& x, Scalar h) {
  if (!(std::isfinite(h) && h > 0))
    fail<ValueError>("numerical_gradient: the step h must be a finite number > 0, got ", h,
                     " (default_gradient_step() is ", default_gradient_step(), ")");
  Tensor grad = Tensor::zeros(x.shape());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const Scalar saved = x[i];
    // Restores x[i] however the evaluation ends, so that an exception never leaves x perturbed.
    struct Restore {
      Tensor& x;
      std::size_t i;
      Scalar saved;
      ~Restore() { x[i] = saved; }
    } restore{x, i, saved};
    x[i] = saved + h;
    const Scalar f_plus = f(x);
    x[i] = saved - h;
    const Scalar f_minus = f(x);
    grad[i] = (f_plus - f_minus) / (2 * h);
  }
  return grad;
}

GradientComparison compare_gradient(const std::string& name, const Tensor& backprop, const Tensor& numerical,
                                    Scalar tolerance) {
  if (!(tolerance >= 0))
    fail<ValueError>("compare_gradient(", name, "): the tolerance must be a number >= 0, got ", tolerance);
  if (backprop.shape() != numerical.shape())
    fail<ShapeError>("compare_gradient(", name, "): backprop gradient has shape ", shape_string(backprop.shape()),
                     " but the numerical one has ", shape_string(numerical.shape()));
  GradientComparison c{name, backprop.shape(), 0, 0, 0, false};
  Scalar scale = 0;
  double sum_abs = 0;
  bool finite = true;
  for (std::size_t i = 0; i < backprop.size(); ++i) {
    const Scalar diff = std::abs(backprop[i] - numerical[i]);
    finite = finite && std::isfinite(diff);
    sum_abs += diff;
    c.max_abs_diff = std::max(c.max_abs_diff, diff);
    scale = std::max(scale, std::abs(numerical[i]));
  }
  c.mean_abs_diff = backprop.empty() ? Scalar(0) : static_cast<Scalar>(sum_abs / backprop.size());
  c.max_rel_error = scale > 0 ? c.max_abs_diff / scale : c.max_abs_diff;
  c.pass = finite && c.max_rel_error <= tolerance;
  if (!finite) c.max_rel_error = c.max_abs_diff = std::numeric_limits<Scalar>::infinity();
  return c;
}

std::vector<ParamPtr> gradient(Model& model, const Tensor& x, const Tensor& t) {
  model.forward(x, t);
  model.backward();
  return remove_duplicates(model.params());
}

std::vector<Tensor> numerical_gradient(Model& model, const Tensor& x, const Tensor& t, Scalar h) {
  // In the order remove_duplicates returns the parameters, so that gradient() and this line up.
  std::vector<Tensor> grads;
  for (const ParamPtr& p : distinct_params(model.params()))
    grads.push_back(numerical_gradient([&](const Tensor&) { return model.forward(x, t); }, p->value, h));
  return grads;
}

GradientReport gradient_check(Model& model, const Tensor& x, const Tensor& t, Scalar tolerance) {
  const std::vector<Tensor> numerical = numerical_gradient(model, x, t);
  const std::vector<ParamPtr> params = gradient(model, x, t);
  GradientReport report;
  report.tolerance = tolerance;
  for (std::size_t i = 0; i < params.size(); ++i)
    report.rows.push_back(compare_gradient(params[i]->name, params[i]->grad, numerical[i], tolerance));
  return report;
}

bool GradientReport::pass() const {
  return !rows.empty() && std::all_of(rows.begin(), rows.end(), [](const GradientComparison& c) { return c.pass; });
}

std::ostream& operator<<(std::ostream& out, const GradientReport& report) {
  char line[160];
  std::snprintf(line, sizeof line, "  %-8s %-12s %12s %12s %12s  %s\n", "param", "shape", "mean |diff|",
                "max |diff|", "max rel", "verdict");
  out << line;
  for (const auto& c : report.rows) {
    std::snprintf(line, sizeof line, "  %-8s %-12s %12.3e %12.3e %12.3e  %s\n", c.name.c_str(),
                  shape_string(c.shape).c_str(), static_cast<double>(c.mean_abs_diff),
                  static_cast<double>(c.max_abs_diff), static_cast<double>(c.max_rel_error),
                  c.pass ? "PASS" : "FAIL");
    out << line;
  }
  std::snprintf(line, sizeof line, "  tolerance on max rel: %.1e → %s\n", static_cast<double>(report.tolerance),
                report.pass() ? "all PASS" : "FAILED");
  return out << line;
}

}  // namespace scratch

// clip.cpp — see clip.hpp.
#include "train/clip.hpp"

#include <cmath>

namespace scratch {
namespace {

// Called when the sum of squares is not finite: finds the culprit and throws.
[[noreturn]] void report_non_finite(const std::vector<ParamPtr>& params) {
  const Param* largest = nullptr;
  Scalar largest_abs = 0;
  for (const ParamPtr& p : params) {
    const Tensor& g = p->grad;
    for (std::size_t i = 0; i < g.size(); ++i) {
      if (!std::isfinite(g[i]))
        fail<NumericalError>("grad_norm: the gradient of '", p->name, "' (shape ", shape_string(g.shape()),
                             ") holds ", g[i], " at flat index ", i,
                             "; the loss or a layer's backward produced it (diverging training: try a "
                             "smaller learning rate)");
      if (std::abs(g[i]) > largest_abs) {
        largest_abs = std::abs(g[i]);
        largest = p.get();
      }
    }
  }
  fail<NumericalError>("grad_norm: the sum of squared gradients overflowed although every element is finite "
                       "(the largest, ", largest_abs, ", is in '", largest ? largest->name : std::string("?"),
                       "'); the gradients have exploded: try a smaller learning rate");
}

}  // namespace

Scalar grad_norm(const std::vector<ParamPtr>& params) {
  double sum = 0;
  for (const ParamPtr& p : params) {
    if (!p) fail<ValueError>("grad_norm: the parameter list holds a null ParamPtr");
    for (const Scalar g : p->grad) sum += double(g) * double(g);
  }
  if (!std::isfinite(sum)) report_non_finite(params);
  const double norm = std::sqrt(sum);
  if (!std::isfinite(static_cast<Scalar>(norm))) report_non_finite(params);  // float: finite in double only
  return static_cast<Scalar>(norm);
}

Scalar clip_grads(const std::vector<ParamPtr>& params, Scalar max_norm) {
  if (!(std::isfinite(max_norm) && max_norm > 0))
    fail<ValueError>("clip_grads: max_norm must be a finite number > 0, got ", max_norm,
                     " (to train without clipping, do not call clip_grads)");
  const Scalar norm = grad_norm(params);
  if (norm > max_norm) {
    const Scalar rate = max_norm / (norm + Scalar(1e-6));
    for (const ParamPtr& p : params) p->grad *= rate;
  }
  return norm;
}

}  // namespace scratch

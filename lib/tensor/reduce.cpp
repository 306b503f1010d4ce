// reduce.cpp — sum, mean, max, min and argmax, over everything or along one axis.
//
// An axis reduction views the tensor as (outer, n, inner), where n is the reduced axis, and
// produces (outer, inner). The loop over n is the outermost of the two inner loops so that the
// innermost one runs over contiguous memory (and vectorises); the order of additions is fixed,
// so the result does not depend on the thread count.
#include <algorithm>
#include <cmath>
#include <limits>

#include "core/parallel.hpp"
#include "tensor/tensor.hpp"

namespace scratch {
namespace {

struct AxisView {
  std::size_t outer = 1, n = 1, inner = 1;
  Shape result_shape;
};

AxisView view_along(const Shape& shape, int axis, KeepDims keep) {
  AxisView v;
  for (int k = 0; k < static_cast<int>(shape.size()); ++k) {
    if (k < axis) v.outer *= shape[k];
    else if (k > axis) v.inner *= shape[k];
    if (k != axis) v.result_shape.push_back(shape[k]);
    else if (keep == KeepDims::kYes) v.result_shape.push_back(1);
  }
  v.n = shape[axis];
  return v;
}

enum class Reduction { kSum, kMax, kMin };

}  // namespace

Tensor Tensor::reduce(int axis, KeepDims keep, const char* op) const {
  const int a = normalize_axis(axis, op);
  const AxisView v = view_along(shape_, a, keep);
  const std::string name = op;
  const Reduction kind = name == "max" ? Reduction::kMax : name == "min" ? Reduction::kMin : Reduction::kSum;
  if (v.n == 0 && kind != Reduction::kSum)
    fail<ShapeError>(op, ": axis ", axis, " of shape ", shape_string(shape_), " is empty; ", op, " has no identity");
  Tensor out = Tensor::empty(v.result_shape);
  const Scalar* x = data();
  Scalar* y = out.data();
  parallel_for(v.outer, v.n * v.inner, [&](std::size_t o) {
    Scalar* row = y + o * v.inner;
    const Scalar* block = x + o * v.n * v.inner;
    if (v.n == 0) {
      std::fill(row, row + v.inner, Scalar(0));
      return;
    }
    std::copy(block, block + v.inner, row);
    for (std::size_t k = 1; k < v.n; ++k) {
      const Scalar* src = block + k * v.inner;
      switch (kind) {
        case Reduction::kSum:
          for (std::size_t i = 0; i < v.inner; ++i) row[i] += src[i];
          break;
        case Reduction::kMax:  // NaN wins, as in NumPy
          for (std::size_t i = 0; i < v.inner; ++i) row[i] = (src[i] > row[i] || std::isnan(src[i])) ? src[i] : row[i];
          break;
        case Reduction::kMin:
          for (std::size_t i = 0; i < v.inner; ++i) row[i] = (src[i] < row[i] || std::isnan(src[i])) ? src[i] : row[i];
          break;
      }
    }
  });
  return out;
}

Tensor Tensor::sum(int axis, KeepDims keep) const { return reduce(axis, keep, "sum"); }
Tensor Tensor::max(int axis, KeepDims keep) const { return reduce(axis, keep, "max"); }
Tensor Tensor::min(int axis, KeepDims keep) const { return reduce(axis, keep, "min"); }

Tensor Tensor::mean(int axis, KeepDims keep) const {
  const std::size_t n = shape_[normalize_axis(axis, "mean")];
  if (n == 0) fail<ShapeError>("mean: axis ", axis, " of shape ", shape_string(shape_), " is empty");
  Tensor out = sum(axis, keep);
  out /= static_cast<Scalar>(n);
  return out;
}

Scalar Tensor::sum() const {
  // Plain left-to-right sum in double: deterministic and accurate enough for losses and norms.
  double total = 0;
  for (Scalar v : *this) total += v;
  return static_cast<Scalar>(total);
}

Scalar Tensor::mean() const {
  if (empty()) fail<ShapeError>("mean: the tensor is empty (shape ", shape_string(shape_), ")");
  return sum() / static_cast<Scalar>(size());
}

Scalar Tensor::max() const {
  if (empty()) fail<ShapeError>("max: the tensor is empty (shape ", shape_string(shape_), "); max has no identity");
  Scalar m = data()[0];
  for (Scalar v : *this) m = (v > m || std::isnan(v)) ? v : m;
  return m;
}

Scalar Tensor::min() const {
  if (empty()) fail<ShapeError>("min: the tensor is empty (shape ", shape_string(shape_), "); min has no identity");
  Scalar m = data()[0];
  for (Scalar v : *this) m = (v < m || std::isnan(v)) ? v : m;
  return m;
}

Tensor Tensor::argmax(int axis) const {
  const int a = normalize_axis(axis, "argmax");
  const AxisView v = view_along(shape_, a, KeepDims::kNo);
  if (v.n == 0) fail<ShapeError>("argmax: axis ", axis, " of shape ", shape_string(shape_), " is empty");
  Tensor out = Tensor::empty(v.result_shape);
  for (std::size_t o = 0; o < v.outer; ++o) {
    for (std::size_t i = 0; i < v.inner; ++i) {
      const Scalar* x = data() + o * v.n * v.inner + i;
      std::size_t best = 0;
      for (std::size_t k = 1; k < v.n; ++k)
        if (x[k * v.inner] > x[best * v.inner]) best = k;  // strict: the first maximum wins ties
      out[o * v.inner + i] = static_cast<Scalar>(best);
    }
  }
  return out;
}

}  // namespace scratch

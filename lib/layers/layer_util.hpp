// layer_util.hpp — small helpers the layer implementations share (not part of the public API).
//
//   copy_rows   x's rows copied into a cache, each row on the thread that will multiply it next
//   dims_of     a Shape as the std::vector<long> that Tensor::reshape takes
#pragma once

#include <algorithm>
#include <vector>

#include "core/parallel.hpp"
#include "tensor/tensor.hpp"

namespace scratch::detail {

// into = x for an (N, D) matrix x, reusing into's memory. Split by rows like the product x·W that
// reads the copy next (core/parallel.hpp, kCostOperandElement), so each core caches the rows it
// multiplies.
inline void copy_rows(const Tensor& x, Tensor& into) {
  const std::size_t n = x.shape()[0], d = x.shape()[1];
  into.resize(x.shape());
  const Scalar* src = x.data();
  Scalar* dst = into.data();
  parallel_for(n, d * kCostOperandElement,
               [=](std::size_t i) { std::copy(src + i * d, src + (i + 1) * d, dst + i * d); });
}

inline std::vector<long> dims_of(const Shape& shape) { return std::vector<long>(shape.begin(), shape.end()); }

}  // namespace scratch::detail

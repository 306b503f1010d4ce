// layer_util.hpp — small helpers the layer implementations share (not part of the public API).
//
//   for_each_element   a flat loop over a tensor's elements, split into parallel chunks when large
//   check_backward     the checks every backward starts with: forward came first, dout fits y
//   dims_of            a Shape as the std::vector<long> that Tensor::reshape takes
#pragma once

#include <algorithm>
#include <vector>

#include "core/errors.hpp"
#include "core/parallel.hpp"
#include "tensor/tensor.hpp"

namespace scratch::detail {

// Calls body(i) for every i in [0, n), in chunks that run in parallel when the work n ·
// cost_per_element is large enough (core/parallel.hpp); every i writes only its own outputs, so
// results do not depend on the thread count. For the hot loops prefer parallel_for_chunks with a
// plain inner loop: the compiler vectorises that more reliably than a per-element callback.
template <class Body>
void for_each_element(std::size_t n, Body&& body, std::size_t cost_per_element = kCostSimple) {
  parallel_for_chunks(n, cost_per_element, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) body(i);
  });
}

// Throws ValueError when backward comes before any forward, ShapeError when dout is not shaped
// like the y that the last forward returned.
inline void check_backward(const char* op, bool has_forward, const Tensor& dout, const Shape& y_shape) {
  if (!has_forward) fail<ValueError>(op, ": backward called before forward (there is nothing cached to differentiate)");
  if (dout.shape() != y_shape)
    fail<ShapeError>(op, ": dout has shape ", shape_string(dout.shape()), " but the last forward returned y of shape ",
                     shape_string(y_shape), " (dout is dL/dy, so it must be shaped like y)");
}

inline std::vector<long> dims_of(const Shape& shape) { return std::vector<long>(shape.begin(), shape.end()); }

}  // namespace scratch::detail

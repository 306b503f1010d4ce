// ops.hpp — elementwise arithmetic and math functions, with NumPy broadcasting.
//
// Broadcasting (NumPy's rule): align the two shapes at their last axis; each pair of dimensions
// must be equal or one of them 1, and the 1 is stretched. So a (N, M) matrix combines with
//   a scalar (shape () or (1,)),   a row vector (M,) or (1, M),   a column (N, 1),
// and any other pair that follows the rule. Anything else is a ShapeError naming both shapes:
//   add: cannot broadcast (2, 3) with (4,): axis -1 has 3 vs 4
// `*` is elementwise; the matrix product is matmul() in tensor/matmul.hpp.
#pragma once

#include <cmath>
#include <vector>

#include "core/parallel.hpp"
#include "tensor/tensor.hpp"

namespace scratch {

// The shape that `a op b` has, or a ShapeError that names `op`.
Shape broadcast_shape(const Shape& a, const Shape& b, const char* op);

Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator+(const Tensor& a, Scalar s);
Tensor operator-(const Tensor& a, Scalar s);
Tensor operator*(const Tensor& a, Scalar s);
Tensor operator/(const Tensor& a, Scalar s);
Tensor operator+(Scalar s, const Tensor& a);
Tensor operator-(Scalar s, const Tensor& a);
Tensor operator*(Scalar s, const Tensor& a);
Tensor operator/(Scalar s, const Tensor& a);
Tensor operator-(const Tensor& a);

Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);  // natural log; log(0) = -inf as in NumPy
Tensor sqrt(const Tensor& x);
Tensor abs(const Tensor& x);
Tensor square(const Tensor& x);
Tensor tanh(const Tensor& x);
// σ(x) = 1 / (1 + exp(−x)), the logistic sigmoid: one formula for the Sigmoid layer, SigmoidWithLoss
// and the autoencoder. For x < −745 (double) exp(−x) overflows to ∞ and σ is 0, the right limit.
inline Scalar sigmoid(Scalar x) { return Scalar(1) / (Scalar(1) + std::exp(-x)); }
Tensor sigmoid(const Tensor& x);
Tensor pow(const Tensor& x, Scalar p);
Tensor maximum(const Tensor& x, Scalar s);  // np.maximum(x, s): ReLU is maximum(x, 0)
Tensor minimum(const Tensor& x, Scalar s);
Tensor maximum(const Tensor& a, const Tensor& b);
Tensor minimum(const Tensor& a, const Tensor& b);
// 1 where x > s, else 0 — a mask to multiply with, like (x > s).astype(float).
Tensor greater(const Tensor& x, Scalar s);

// True when no element is NaN or ±infinity.
bool all_finite(const Tensor& x);

// np.concatenate(parts, axis): the parts joined along `axis` (negative counts from the end). Every
// part has the same number of dimensions (at least 1) and the same length on every other axis; the
// result's length on `axis` is the sum of theirs. The seed-003 model appends a column of ones to x
// (N, 784) this way, so that one weight row acts as the bias:
//   concatenate({x, Tensor::ones({N, 1})}, 1)  → (N, 785)
// Throws ValueError for no parts or an axis out of range, ShapeError naming the first part and the
// one that does not fit it: concatenate: cannot join (2, 3) and (4, 5) along axis 1: axis 0 has 2 vs 4
Tensor concatenate(const std::vector<Tensor>& parts, int axis);

// y[i] = f(x[i]) for a function of one Scalar; f must not touch shared state (it may run in parallel).
// cost_per_element: kCostSimple for arithmetic, kCostTranscendental when f calls exp, log, … (it
// decides from what size the loop is split between threads; see core/parallel.hpp).
template <class F>
Tensor apply(const Tensor& x, F f, std::size_t cost_per_element = kCostSimple) {
  Tensor y = Tensor::empty(x.shape());
  const Scalar* in = x.data();
  Scalar* out = y.data();
  parallel_for_chunks(x.size(), cost_per_element, [in, out, &f](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) out[i] = f(in[i]);
  });
  return y;
}

}  // namespace scratch

namespace scratch {

// out[i] = f(a[i], b[i]) for two tensors of one shape (no broadcasting); the result has that shape.
// Throws ShapeError when the shapes differ. Same threading rule as apply above.
template <class F>
Tensor apply(const Tensor& a, const Tensor& b, F f, std::size_t cost_per_element = kCostSimple) {
  if (a.shape() != b.shape())
    fail<ShapeError>("apply: the two tensors have shapes ", shape_string(a.shape()), " and ", shape_string(b.shape()),
                     "; an elementwise function of two tensors needs equal shapes");
  Tensor y = Tensor::empty(a.shape());
  const Scalar* pa = a.data();
  const Scalar* pb = b.data();
  Scalar* out = y.data();
  parallel_for_chunks(a.size(), cost_per_element, [pa, pb, out, &f](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) out[i] = f(pa[i], pb[i]);
  });
  return y;
}

}  // namespace scratch

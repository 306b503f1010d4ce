// ops.cpp — elementwise operations and broadcasting; see ops.hpp.
#include "tensor/ops.hpp"

#include <algorithm>
#include <cmath>

namespace scratch {

Shape broadcast_shape(const Shape& a, const Shape& b, const char* op) {
  const std::size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (std::size_t k = 0; k < n; ++k) {  // k counts from the last axis
    const std::size_t da = k < a.size() ? a[a.size() - 1 - k] : 1;
    const std::size_t db = k < b.size() ? b[b.size() - 1 - k] : 1;
    if (da != db && da != 1 && db != 1)
      fail<ShapeError>(op, ": cannot broadcast ", shape_string(a), " with ", shape_string(b), ": axis -", k + 1,
                       " has ", da, " vs ", db, " (dimensions must be equal or 1)");
    out[n - 1 - k] = da == 1 ? db : da;
  }
  return out;
}

namespace {

// Strides that walk `shape` as if it had `out`'s shape: 0 along every stretched axis.
std::vector<std::size_t> broadcast_strides(const Shape& shape, const Shape& out) {
  std::vector<std::size_t> strides(out.size(), 0);
  std::size_t stride = 1;
  for (std::size_t k = 0; k < shape.size(); ++k) {
    const std::size_t axis = shape.size() - 1 - k;
    const std::size_t out_axis = out.size() - 1 - k;
    strides[out_axis] = shape[axis] == 1 ? 0 : stride;
    stride *= shape[axis];
  }
  return strides;
}

// out = f(a, b) elementwise; out already has the broadcast shape and may be the same tensor as a.
template <class F>
void binary_into(const Tensor& a, const Tensor& b, Tensor& out, F f) {
  const Scalar* pa = a.data();
  const Scalar* pb = b.data();
  Scalar* po = out.data();
  const std::size_t n = out.size();
  if (a.size() == n && b.size() == n) {  // same shape: one flat loop
    parallel_for_chunks(n, kCostSimple, [=](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) po[i] = f(pa[i], pb[i]);
    });
    return;
  }
  if (a.size() == n && b.size() == 1) {  // tensor op scalar
    const Scalar s = pb[0];
    parallel_for_chunks(n, kCostSimple, [=](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) po[i] = f(pa[i], s);
    });
    return;
  }
  const Shape& shape = out.shape();
  const std::size_t width = shape.empty() ? 1 : shape.back();
  if (a.size() == n && b.size() == width && b.ndim() >= 1 && b.shape().back() == width && width > 0) {
    // A row vector against every row of a matrix (y += b in Affine): contiguous rows, no index arithmetic.
    parallel_for(n / width, width * kCostSimple, [=](std::size_t row) {
      const Scalar* ra = pa + row * width;
      Scalar* ro = po + row * width;
      for (std::size_t j = 0; j < width; ++j) ro[j] = f(ra[j], pb[j]);
    });
    return;
  }
  const auto sa = broadcast_strides(a.shape(), shape);
  const auto sb = broadcast_strides(b.shape(), shape);
  const std::size_t inner = shape.empty() ? 1 : shape.back();
  const std::size_t ia = shape.empty() ? 0 : sa.back(), ib = shape.empty() ? 0 : sb.back();
  const std::size_t rows = inner == 0 ? 0 : n / inner;
  // Walk the outer axes row by row; within a row, each operand either advances or stays put.
  parallel_for(rows, inner * kCostSimple, [&](std::size_t row) {
    std::size_t off_a = 0, off_b = 0, rest = row;
    for (std::size_t k = shape.size() - 1; k-- > 0;) {
      const std::size_t i = rest % shape[k];
      rest /= shape[k];
      off_a += i * sa[k];
      off_b += i * sb[k];
    }
    Scalar* dst = po + row * inner;
    for (std::size_t j = 0; j < inner; ++j) dst[j] = f(pa[off_a + j * ia], pb[off_b + j * ib]);
  });
}

template <class F>
Tensor binary(const Tensor& a, const Tensor& b, const char* op, F f) {
  Tensor out = Tensor::empty(broadcast_shape(a.shape(), b.shape(), op));
  binary_into(a, b, out, f);
  return out;
}

template <class F>
void binary_in_place(Tensor& a, const Tensor& b, const char* op, F f) {
  const Shape shape = broadcast_shape(a.shape(), b.shape(), op);
  if (shape != a.shape())
    fail<ShapeError>(op, ": the result would have shape ", shape_string(shape), " but the left side has shape ",
                     shape_string(a.shape()), " and is updated in place (use the non-assigning operator)");
  binary_into(a, b, a, f);
}

struct Add { Scalar operator()(Scalar x, Scalar y) const { return x + y; } };
struct Sub { Scalar operator()(Scalar x, Scalar y) const { return x - y; } };
struct Mul { Scalar operator()(Scalar x, Scalar y) const { return x * y; } };
struct Div { Scalar operator()(Scalar x, Scalar y) const { return x / y; } };
struct Max { Scalar operator()(Scalar x, Scalar y) const { return x > y || std::isnan(x) ? x : y; } };
struct Min { Scalar operator()(Scalar x, Scalar y) const { return x < y || std::isnan(x) ? x : y; } };


}  // namespace

Tensor operator+(const Tensor& a, const Tensor& b) { return binary(a, b, "add", Add{}); }
Tensor operator-(const Tensor& a, const Tensor& b) { return binary(a, b, "subtract", Sub{}); }
Tensor operator*(const Tensor& a, const Tensor& b) { return binary(a, b, "multiply", Mul{}); }
Tensor operator/(const Tensor& a, const Tensor& b) { return binary(a, b, "divide", Div{}); }

Tensor operator+(const Tensor& a, Scalar s) { return apply(a, [s](Scalar x) { return x + s; }); }
Tensor operator-(const Tensor& a, Scalar s) { return apply(a, [s](Scalar x) { return x - s; }); }
Tensor operator*(const Tensor& a, Scalar s) { return apply(a, [s](Scalar x) { return x * s; }); }
Tensor operator/(const Tensor& a, Scalar s) { return apply(a, [s](Scalar x) { return x / s; }); }
Tensor operator+(Scalar s, const Tensor& a) { return apply(a, [s](Scalar x) { return s + x; }); }
Tensor operator-(Scalar s, const Tensor& a) { return apply(a, [s](Scalar x) { return s - x; }); }
Tensor operator*(Scalar s, const Tensor& a) { return apply(a, [s](Scalar x) { return s * x; }); }
Tensor operator/(Scalar s, const Tensor& a) { return apply(a, [s](Scalar x) { return s / x; }); }
Tensor operator-(const Tensor& a) { return apply(a, [](Scalar x) { return -x; }); }

Tensor& Tensor::operator+=(const Tensor& other) {
  binary_in_place(*this, other, "add (+=)", Add{});
  return *this;
}
Tensor& Tensor::operator-=(const Tensor& other) {
  binary_in_place(*this, other, "subtract (-=)", Sub{});
  return *this;
}
Tensor& Tensor::operator*=(const Tensor& other) {
  binary_in_place(*this, other, "multiply (*=)", Mul{});
  return *this;
}
Tensor& Tensor::operator/=(const Tensor& other) {
  binary_in_place(*this, other, "divide (/=)", Div{});
  return *this;
}
Tensor& Tensor::operator+=(Scalar s) {
  for (Scalar& x : *this) x += s;
  return *this;
}
Tensor& Tensor::operator-=(Scalar s) {
  for (Scalar& x : *this) x -= s;
  return *this;
}
Tensor& Tensor::operator*=(Scalar s) {
  for (Scalar& x : *this) x *= s;
  return *this;
}
Tensor& Tensor::operator/=(Scalar s) {
  for (Scalar& x : *this) x /= s;
  return *this;
}

// exp, log, tanh and pow call libm per element: kCostTranscendental (core/parallel.hpp).
constexpr std::size_t kLibm = kCostTranscendental;
Tensor exp(const Tensor& x) { return apply(x, [](Scalar v) { return std::exp(v); }, kLibm); }
Tensor log(const Tensor& x) { return apply(x, [](Scalar v) { return std::log(v); }, kLibm); }
Tensor sqrt(const Tensor& x) { return apply(x, [](Scalar v) { return std::sqrt(v); }); }
Tensor abs(const Tensor& x) { return apply(x, [](Scalar v) { return std::abs(v); }); }
Tensor square(const Tensor& x) { return apply(x, [](Scalar v) { return v * v; }); }
Tensor tanh(const Tensor& x) { return apply(x, [](Scalar v) { return std::tanh(v); }, kLibm); }
Tensor sigmoid(const Tensor& x) { return apply(x, [](Scalar v) { return sigmoid(v); }, kLibm); }
Tensor pow(const Tensor& x, Scalar p) { return apply(x, [p](Scalar v) { return std::pow(v, p); }, kLibm); }
Tensor maximum(const Tensor& x, Scalar s) { return apply(x, [s](Scalar v) { return Max{}(v, s); }); }
Tensor minimum(const Tensor& x, Scalar s) { return apply(x, [s](Scalar v) { return Min{}(v, s); }); }
Tensor maximum(const Tensor& a, const Tensor& b) { return binary(a, b, "maximum", Max{}); }
Tensor minimum(const Tensor& a, const Tensor& b) { return binary(a, b, "minimum", Min{}); }
Tensor greater(const Tensor& x, Scalar s) { return apply(x, [s](Scalar v) { return v > s ? Scalar(1) : Scalar(0); }); }

bool all_finite(const Tensor& x) {
  for (Scalar v : x)
    if (!std::isfinite(v)) return false;
  return true;
}

// ---- concatenate: parts joined along one axis ----
// Row-major layout: with `outer` = the product of the dimensions before `axis`, each part is `outer`
// contiguous blocks of (its length on axis) × (the dimensions after axis) elements, and the result
// interleaves them: block o of part 0, block o of part 1, …, then block o + 1.

Tensor concatenate(const std::vector<Tensor>& parts, int axis) {
  if (parts.empty()) fail<ValueError>("concatenate: no tensors to join (np.concatenate needs at least one)");
  const Shape& first = parts.front().shape();
  const int ndim = static_cast<int>(first.size());
  if (ndim == 0) fail<ShapeError>("concatenate: part 0 is a 0-d scalar; only tensors with at least one axis can be joined");
  if (axis < -ndim || axis >= ndim)
    fail<ValueError>("concatenate: axis ", axis, " is out of range for ", ndim, "-d tensors such as ",
                     shape_string(first), " (valid: ", -ndim, " to ", ndim - 1, ")");
  const auto a = static_cast<std::size_t>(axis < 0 ? axis + ndim : axis);
  Shape out_shape = first;
  out_shape[a] = 0;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const Shape& shape = parts[k].shape();
    if (shape.size() != first.size())
      fail<ShapeError>("concatenate: cannot join ", shape_string(first), " and ", shape_string(shape), " along axis ",
                       axis, ": part ", k, " has ", shape.size(), " dimensions, part 0 has ", first.size());
    for (std::size_t d = 0; d < first.size(); ++d) {
      if (d != a && shape[d] != first[d])
        fail<ShapeError>("concatenate: cannot join ", shape_string(first), " and ", shape_string(shape), " along axis ",
                         axis, ": axis ", d, " has ", first[d], " vs ", shape[d], " (part ", k,
                         "); all axes but the joined one must match");
    }
    out_shape[a] += shape[a];
  }
  std::size_t outer = 1, inner = 1;  // elements before axis, and per unit of length on axis
  for (std::size_t d = 0; d < a; ++d) outer *= first[d];
  for (std::size_t d = a + 1; d < first.size(); ++d) inner *= first[d];
  Tensor y = Tensor::empty(out_shape);
  Scalar* out = y.data();
  for (std::size_t o = 0; o < outer; ++o) {
    for (const Tensor& part : parts) {
      const std::size_t block = part.shape()[a] * inner;
      out = std::copy_n(part.data() + o * block, block, out);
    }
  }
  return y;
}

}  // namespace scratch

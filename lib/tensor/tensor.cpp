// tensor.cpp — construction, element access, shape changes and printing; see tensor.hpp.
#include "tensor/tensor.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ostream>
#include <sstream>

#include "core/parallel.hpp"

namespace scratch {

std::size_t shape_size(const Shape& shape) {
  std::size_t n = 1;
  for (std::size_t d : shape) n *= d;
  return n;
}

namespace {

// No tensor can hold more bytes than this: 2⁴⁷ (128 TiB) is the whole user address space of x86-64
// and ARM64 Linux. Larger requests are certainly mistakes (often a shape computed from a negative
// number), so they are refused with a ShapeError before the allocator sees them.
constexpr std::size_t kMaxTensorBytes = std::size_t{1} << 47;

// shape_size(shape), checked: the product must not wrap around (2⁴⁰ × 2⁴⁰ would give 0 and a tensor
// claiming 2⁸⁰ elements over an empty buffer) and the bytes must stay below kMaxTensorBytes.
std::size_t checked_size(const Shape& shape) {
  std::size_t n = 1;
  for (const std::size_t d : shape) {
    if (d != 0 && n > SIZE_MAX / d)
      fail<ShapeError>("Tensor: shape ", shape_string(shape),
                       " has more elements than a size_t can count (the product of its dimensions overflows); "
                       "was a dimension computed from a negative number?");
    n *= d;
  }
  if (n > kMaxTensorBytes / sizeof(Scalar))
    fail<ShapeError>("Tensor: shape ", shape_string(shape), " holds ", n, " elements, more than the ", kMaxTensorBytes,
                     " bytes any process can address; was a dimension computed from a negative number?");
  return n;
}

}  // namespace

Tensor::Tensor() : shape_{0} {}

Tensor::Tensor(const Shape& shape) : shape_(shape), storage_(checked_size(shape)) {}

Tensor::Tensor(const Tensor& other) : shape_(other.shape_), storage_(other.size()) {
  if (other.size() > 0) std::memcpy(data(), other.data(), other.size() * sizeof(Scalar));
}

Tensor& Tensor::operator=(const Tensor& other) {
  if (this != &other) {
    resize(other.shape_);
    if (other.size() > 0) std::memcpy(data(), other.data(), other.size() * sizeof(Scalar));
  }
  return *this;
}

// ---- factories ----

Tensor Tensor::empty(const Shape& shape) { return Tensor(shape); }

Tensor Tensor::full(const Shape& shape, Scalar value) {
  Tensor t(shape);
  t.fill(value);
  return t;
}

Tensor Tensor::zeros(const Shape& shape) { return full(shape, Scalar(0)); }
Tensor Tensor::ones(const Shape& shape) { return full(shape, Scalar(1)); }
Tensor Tensor::scalar(Scalar value) { return full({}, value); }

Tensor Tensor::from_vector(const Shape& shape, std::vector<Scalar> values) {
  if (values.size() != shape_size(shape))
    fail<ShapeError>("Tensor::from_vector: shape ", shape_string(shape), " holds ", shape_size(shape),
                     " elements but ", values.size(), " values were given");
  Tensor t(shape);
  std::copy(values.begin(), values.end(), t.data());
  return t;
}

Tensor Tensor::from_rows(std::initializer_list<std::initializer_list<Scalar>> rows) {
  const std::size_t cols = rows.size() == 0 ? 0 : rows.begin()->size();
  std::vector<Scalar> values;
  values.reserve(rows.size() * cols);
  std::size_t r = 0;
  for (const auto& row : rows) {
    if (row.size() != cols)
      fail<ShapeError>("Tensor::from_rows: row ", r, " has ", row.size(), " values but row 0 has ", cols);
    values.insert(values.end(), row.begin(), row.end());
    ++r;
  }
  return from_vector({rows.size(), cols}, std::move(values));
}

Tensor Tensor::arange(std::size_t n) {
  Tensor t({n});
  for (std::size_t i = 0; i < n; ++i) t[i] = static_cast<Scalar>(i);
  return t;
}

Tensor Tensor::randn(const Shape& shape, Rng& rng) {
  Tensor t(shape);
  for (Scalar& v : t) v = static_cast<Scalar>(rng.normal());
  return t;
}

Tensor Tensor::rand(const Shape& shape, Rng& rng) {
  Tensor t(shape);
  for (Scalar& v : t) v = static_cast<Scalar>(rng.uniform());
  return t;
}

Tensor zeros_like(const Tensor& x) { return Tensor::zeros(x.shape()); }
Tensor ones_like(const Tensor& x) { return Tensor::ones(x.shape()); }

// ---- shape and access ----

int Tensor::normalize_axis(int axis, const char* op) const {
  const int n = static_cast<int>(ndim());
  if (axis < -n || axis >= n)
    fail<ValueError>(op, ": axis ", axis, " is out of range for a tensor of shape ", shape_string(shape_),
                     " (valid: ", -n, " … ", n - 1, ")");
  return axis < 0 ? axis + n : axis;
}

std::size_t Tensor::dim(int axis) const { return shape_[normalize_axis(axis, "Tensor::dim")]; }

Scalar& Tensor::at(std::initializer_list<std::size_t> index) {
  if (index.size() != ndim())
    fail<ShapeError>("Tensor::at: index has ", index.size(), " entries but the tensor has shape ",
                     shape_string(shape_));
  std::size_t flat = 0, axis = 0;
  for (std::size_t i : index) {
    if (i >= shape_[axis])
      fail<ShapeError>("Tensor::at: index ", i, " is out of range for axis ", axis, " of shape ",
                       shape_string(shape_));
    flat = flat * shape_[axis] + i;
    ++axis;
  }
  return data()[flat];
}

Scalar Tensor::at(std::initializer_list<std::size_t> index) const { return const_cast<Tensor*>(this)->at(index); }

Scalar Tensor::item() const {
  if (size() != 1)
    fail<ShapeError>("Tensor::item: only a tensor with one element has an item; this one has shape ",
                     shape_string(shape_));
  return data()[0];
}

namespace {

Shape infer_shape(const std::vector<long>& requested, std::size_t size, const Shape& from) {
  Shape shape(requested.size());
  std::size_t known = 1;
  int inferred = -1;
  for (std::size_t i = 0; i < requested.size(); ++i) {
    if (requested[i] == -1) {
      if (inferred >= 0) fail<ShapeError>("reshape: only one dimension can be -1, got two");
      inferred = static_cast<int>(i);
    } else if (requested[i] < 0) {
      fail<ShapeError>("reshape: dimension ", requested[i], " is negative (only -1, meaning 'infer', is allowed)");
    } else {
      shape[i] = static_cast<std::size_t>(requested[i]);
      if (shape[i] != 0 && known > SIZE_MAX / shape[i])  // a wrapped product could equal `size`
        fail<ShapeError>("reshape: cannot reshape ", shape_string(from), " into dimensions whose product overflows (",
                         requested[i], " at position ", i, " and the ones before it)");
      known *= shape[i];
    }
  }
  if (inferred >= 0) {
    if (known == 0 || size % known != 0)
      fail<ShapeError>("reshape: cannot reshape ", shape_string(from), " (", size,
                       " elements) so that the known dimensions multiply to ", known);
    shape[inferred] = size / known;
    known *= shape[inferred];
  }
  if (known != size) {
    std::string wanted = "(";
    for (std::size_t i = 0; i < requested.size(); ++i) wanted += (i ? ", " : "") + std::to_string(requested[i]);
    fail<ShapeError>("reshape: cannot reshape ", shape_string(from), " (", size, " elements) into ", wanted,
                     ") (", known, " elements)");
  }
  return shape;
}

}  // namespace

Tensor Tensor::reshape(const std::vector<long>& shape) const& { return Tensor(*this).reshape(shape); }

Tensor Tensor::reshape(const std::vector<long>& shape) && {
  shape_ = infer_shape(shape, size(), shape_);
  return std::move(*this);
}

Tensor Tensor::flatten() const& { return Tensor(*this).flatten(); }

Tensor Tensor::flatten() && {
  shape_ = {size()};
  return std::move(*this);
}

Tensor Tensor::transpose() const {
  if (ndim() != 2)
    fail<ShapeError>("transpose: needs a 2-d tensor, got shape ", shape_string(shape_),
                     " (reshape to 2-d first)");
  const std::size_t rows = shape_[0], cols = shape_[1];
  Tensor t({cols, rows});
  // Copy in 32×32 tiles so that both the reads and the writes stay within a few cache lines.
  constexpr std::size_t kTile = 32;
  const std::size_t row_tiles = (rows + kTile - 1) / kTile;
  const Scalar* src = data();
  Scalar* dst = t.data();
  parallel_for(row_tiles, kTile * cols, [&](std::size_t tile) {
    const std::size_t i0 = tile * kTile, i1 = std::min(rows, i0 + kTile);
    for (std::size_t j0 = 0; j0 < cols; j0 += kTile) {
      const std::size_t j1 = std::min(cols, j0 + kTile);
      for (std::size_t i = i0; i < i1; ++i)
        for (std::size_t j = j0; j < j1; ++j) dst[j * rows + i] = src[i * cols + j];
    }
  });
  return t;
}

Tensor Tensor::slice_rows(std::size_t begin, std::size_t end) const {
  if (ndim() == 0 || begin > end || end > shape_[0])
    fail<ShapeError>("slice_rows: rows [", begin, ", ", end, ") do not fit a tensor of shape ", shape_string(shape_));
  Shape shape = shape_;
  shape[0] = end - begin;
  Tensor t(shape);
  const std::size_t row = size() / std::max<std::size_t>(shape_[0], 1);
  if (t.size() > 0) std::memcpy(t.data(), data() + begin * row, t.size() * sizeof(Scalar));
  return t;
}

Tensor Tensor::take_rows(const std::vector<std::size_t>& order, std::size_t begin, std::size_t end) const {
  Tensor t;
  take_rows(order, begin, end, t);
  return t;
}

void Tensor::take_rows(const std::vector<std::size_t>& order, std::size_t begin, std::size_t end,
                       Tensor& into) const {
  if (ndim() == 0 || begin > end || end > order.size())
    fail<ShapeError>("take_rows: positions [", begin, ", ", end, ") do not fit an order of length ", order.size(),
                     " over a tensor of shape ", shape_string(shape_));
  if (&into == this) fail<ValueError>("take_rows: the output must not be the tensor itself");
  Shape shape = shape_;
  shape[0] = end - begin;
  into.resize(shape);
  const std::size_t row = shape_[0] == 0 ? 0 : size() / shape_[0];
  for (std::size_t i = begin; i < end; ++i) {
    if (order[i] >= shape_[0])
      fail<ShapeError>("take_rows: row ", order[i], " does not exist in a tensor of shape ", shape_string(shape_));
    std::memcpy(into.data() + (i - begin) * row, data() + order[i] * row, row * sizeof(Scalar));
  }
}

void Tensor::fill(Scalar value) { std::fill(begin(), end(), value); }

void Tensor::assign(const Tensor& other) {
  if (other.shape_ != shape_)
    fail<ShapeError>("assign: cannot copy a tensor of shape ", shape_string(other.shape_), " into one of shape ",
                     shape_string(shape_));
  if (size() > 0) std::memcpy(data(), other.data(), size() * sizeof(Scalar));
}

void Tensor::resize(const Shape& shape) {
  const std::size_t n = checked_size(shape);
  if (n != size()) storage_ = Storage(n);
  shape_ = shape;
}

// ---- comparison ----

bool allclose(const Tensor& a, const Tensor& b, Scalar rtol, Scalar atol) {
  if (a.shape() != b.shape()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const Scalar diff = std::abs(a[i] - b[i]);
    if (!(diff <= atol + rtol * std::abs(b[i]))) return false;  // written so that NaN fails
  }
  return true;
}

bool array_equal(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && std::equal(a.begin(), a.end(), b.begin());
}

// ---- printing ----

namespace {

constexpr std::size_t kSummaryThreshold = 1000;  // NumPy's default threshold
constexpr std::size_t kEdgeItems = 3;
constexpr std::size_t kLineWidth = 75;

// How NumPy would lay out one array: either fixed ("-2.5 ") or scientific ("1.e-05").
struct Format {
  bool scientific = false;
  int decimals = 0;       // digits after the point
  std::size_t int_width = 0;   // width of the part before the point (fixed) or of the whole (sci)
  std::size_t frac_width = 0;  // width reserved after the point (fixed)
};

std::string trimmed_fixed(Scalar v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%#.*f", decimals, static_cast<double>(v));
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();  // "2.50000000" → "2.5", "3.00000000" → "3."
  return s;
}

std::string trimmed_scientific(Scalar v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%#.*e", decimals, static_cast<double>(v));
  std::string s = buf;
  const auto e = s.find('e');
  std::string mantissa = s.substr(0, e), exponent = s.substr(e);
  while (!mantissa.empty() && mantissa.back() == '0') mantissa.pop_back();
  return mantissa + exponent;
}

// Scientific with exactly `decimals` mantissa digits, zeros kept: NumPy lines mantissas up this way.
std::string padded_scientific(Scalar v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%#.*e", decimals, static_cast<double>(v));
  return buf;
}

std::string special(Scalar v) {
  if (std::isnan(v)) return "nan";
  return v > 0 ? "inf" : "-inf";
}

Format choose_format(const std::vector<Scalar>& shown) {
  Format f;
  Scalar max_abs = 0, min_abs = 0;
  bool any_finite_nonzero = false;
  for (Scalar v : shown) {
    if (!std::isfinite(v) || v == 0) continue;
    const Scalar a = std::abs(v);
    max_abs = std::max(max_abs, a);
    min_abs = any_finite_nonzero ? std::min(min_abs, a) : a;
    any_finite_nonzero = true;
  }
  f.scientific = any_finite_nonzero && (max_abs >= Scalar(1e16) || min_abs < Scalar(1e-4) ||
                                        max_abs / min_abs > Scalar(1e3) * Scalar(1e3) * Scalar(1e3));
  // The fewest decimals (at most 8) with which every shown value reads back as the same Scalar —
  // NumPy's "unique" mode: 0.3f prints as 0.3, not with its 8 decimals, 0.30000001.
  for (Scalar v : shown) {
    if (!std::isfinite(v)) continue;
    int d = 0;
    for (; d < 8; ++d) {
      const std::string s = f.scientific ? trimmed_scientific(v, d) : trimmed_fixed(v, d);
      if (static_cast<Scalar>(std::strtod(s.c_str(), nullptr)) == v) break;
    }
    f.decimals = std::max(f.decimals, d);
  }
  for (Scalar v : shown) {
    if (!std::isfinite(v)) {
      f.int_width = std::max(f.int_width, special(v).size());
      continue;
    }
    const std::string s = f.scientific ? padded_scientific(v, f.decimals) : trimmed_fixed(v, f.decimals);
    if (f.scientific) {
      f.int_width = std::max(f.int_width, s.size());
    } else {
      const auto dot = s.find('.');
      f.int_width = std::max(f.int_width, dot);
      f.frac_width = std::max(f.frac_width, s.size() - dot - 1);
    }
  }
  return f;
}

std::string format_value(Scalar v, const Format& f) {
  std::string s;
  if (!std::isfinite(v)) {
    s = special(v);
    const std::size_t width = f.scientific ? f.int_width : f.int_width + 1 + f.frac_width;
    return std::string(width - std::min(width, s.size()), ' ') + s;
  }
  if (f.scientific) {  // every mantissa gets the same digits: 2.1567399e-02 1.0000000e-05
    s = padded_scientific(v, f.decimals);
    return std::string(f.int_width - std::min(f.int_width, s.size()), ' ') + s;
  }
  s = trimmed_fixed(v, f.decimals);
  const auto dot = s.find('.');
  const std::size_t frac = s.size() - dot - 1;
  return std::string(f.int_width - std::min(f.int_width, dot), ' ') + s + std::string(f.frac_width - frac, ' ');
}

// Indices of one axis that are shown: all, or the first and last kEdgeItems around a gap (SIZE_MAX).
std::vector<std::size_t> shown_indices(std::size_t n, bool summarize) {
  std::vector<std::size_t> idx;
  if (!summarize || n <= 2 * kEdgeItems) {
    for (std::size_t i = 0; i < n; ++i) idx.push_back(i);
  } else {
    for (std::size_t i = 0; i < kEdgeItems; ++i) idx.push_back(i);
    idx.push_back(SIZE_MAX);
    for (std::size_t i = n - kEdgeItems; i < n; ++i) idx.push_back(i);
  }
  return idx;
}

void collect_shown(const Tensor& x, std::size_t axis, std::size_t offset, bool summarize, std::vector<Scalar>& out) {
  const std::size_t stride = shape_size(Shape(x.shape().begin() + axis + 1, x.shape().end()));
  for (std::size_t i : shown_indices(x.shape()[axis], summarize)) {
    if (i == SIZE_MAX) continue;
    if (axis + 1 == x.ndim()) out.push_back(x[offset + i]);
    else collect_shown(x, axis + 1, offset + i * stride, summarize, out);
  }
}

void print_axis(std::ostream& out, const Tensor& x, std::size_t axis, std::size_t offset, bool summarize,
                const Format& f) {
  const std::size_t indent = axis + 1;
  const std::size_t stride = shape_size(Shape(x.shape().begin() + axis + 1, x.shape().end()));
  const auto indices = shown_indices(x.shape()[axis], summarize);
  out << '[';
  std::size_t column = indent;
  bool first = true;
  for (std::size_t i : indices) {
    if (axis + 1 == x.ndim()) {
      const std::string item = i == SIZE_MAX ? "..." : format_value(x[offset + i], f);
      if (!first) {
        if (column + 1 + item.size() + 1 > kLineWidth) {
          out << '\n' << std::string(indent, ' ');
          column = indent;
        } else {
          out << ' ';
          ++column;
        }
      }
      out << item;
      column += item.size();
    } else {
      if (!first) out << std::string(x.ndim() - axis - 1, '\n') << std::string(indent, ' ');
      if (i == SIZE_MAX) out << "...";
      else print_axis(out, x, axis + 1, offset + i * stride, summarize, f);
    }
    first = false;
  }
  out << ']';
}

}  // namespace

std::ostream& operator<<(std::ostream& out, const Tensor& x) {
  if (x.ndim() == 0) return out << format_value(x[0], choose_format({x[0]}));
  if (x.empty()) return out << "[]";
  const bool summarize = x.size() > kSummaryThreshold;
  std::vector<Scalar> shown;
  collect_shown(x, 0, 0, summarize, shown);
  print_axis(out, x, 0, 0, summarize, choose_format(shown));
  return out;
}

std::string to_string(const Tensor& x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

}  // namespace scratch

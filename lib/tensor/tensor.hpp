// tensor.hpp — the N-dimensional array every other part of ScratchNet computes with.
//
// A Tensor is owning, contiguous and row-major, with NumPy's dimension order and names:
//   Tensor x = Tensor::randn({100, 784});      // np.random.randn(100, 784)
//   x.shape()  → (100, 784)                   // x.shape
//   x.sum(0)   → shape (784,)                 // x.sum(axis=0)
// Copy is deep, move is cheap; there are no views and no lazy expressions: every operation returns
// a new Tensor holding its result. Elementwise arithmetic is in tensor/ops.hpp, the matrix product
// in tensor/matmul.hpp.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <iosfwd>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/random.hpp"
#include "core/scalar.hpp"
#include "tensor/storage.hpp"

namespace scratch {

// Dimensions, outermost first, like NumPy's shape tuple. {} is a 0-d scalar.
using Shape = std::vector<std::size_t>;

// Number of elements a shape holds (1 for the 0-d shape).
std::size_t shape_size(const Shape& shape);

// Whether a reduction keeps the reduced axis as length 1 (NumPy's keepdims=True).
enum class KeepDims { kNo, kYes };

class Tensor {
 public:
  // An empty 1-d tensor, shape (0,).
  Tensor();

  // ---- named factories: the only way to make a tensor, so shape and data are never confused ----
  // Each throws ShapeError for a shape whose element count overflows or whose bytes exceed 2⁴⁷
  // (128 TiB, more than any process can address); so does resize().
  static Tensor zeros(const Shape& shape);
  static Tensor ones(const Shape& shape);
  static Tensor full(const Shape& shape, Scalar value);
  // Contents unspecified (like np.empty): for results that are overwritten completely.
  static Tensor empty(const Shape& shape);
  // Row-major values; their count must equal the shape's size.
  static Tensor from_vector(const Shape& shape, std::vector<Scalar> values);
  // A 2-d tensor written out row by row, like np.array([[1, 2], [3, 4]]); rows must be equally long.
  static Tensor from_rows(std::initializer_list<std::initializer_list<Scalar>> rows);
  // A 0-d tensor holding one number (shape ()).
  static Tensor scalar(Scalar value);
  // 0, 1, …, n-1 as a 1-d tensor.
  static Tensor arange(std::size_t n);
  // Standard normal N(0, 1) entries, like np.random.randn.
  static Tensor randn(const Shape& shape, Rng& rng = global_rng());
  // Uniform [0, 1) entries, like np.random.rand.
  static Tensor rand(const Shape& shape, Rng& rng = global_rng());

  // ---- shape ----
  const Shape& shape() const { return shape_; }
  std::size_t ndim() const { return shape_.size(); }
  std::size_t size() const { return storage_.size(); }
  bool empty() const { return size() == 0; }
  // Length of one axis; negative axes count from the end (-1 is the last).
  std::size_t dim(int axis) const;

  // ---- element access ----
  Scalar* data() { return storage_.data(); }
  const Scalar* data() const { return storage_.data(); }
  Scalar* begin() { return data(); }
  Scalar* end() { return data() + size(); }
  const Scalar* begin() const { return data(); }
  const Scalar* end() const { return data() + size(); }
  // Flat (row-major) index, unchecked.
  Scalar& operator[](std::size_t i) { return storage_.data()[i]; }
  Scalar operator[](std::size_t i) const { return storage_.data()[i]; }
  // Element (i, j) of a 2-d tensor, unchecked.
  Scalar& operator()(std::size_t i, std::size_t j) { return storage_.data()[i * shape_[1] + j]; }
  Scalar operator()(std::size_t i, std::size_t j) const { return storage_.data()[i * shape_[1] + j]; }
  // Element at a full index, checked: throws ShapeError naming the index and the shape.
  Scalar& at(std::initializer_list<std::size_t> index);
  Scalar at(std::initializer_list<std::size_t> index) const;
  // The only element of a size-1 tensor (like .item()).
  Scalar item() const;

  // ---- shape changes (each returns a new tensor; the && overloads reuse this one's memory) ----
  // New shape with the same elements; one dimension may be -1 and is then inferred.
  Tensor reshape(const std::vector<long>& shape) const&;
  Tensor reshape(const std::vector<long>& shape) &&;
  // The same elements as a 1-d tensor.
  Tensor flatten() const&;
  Tensor flatten() &&;
  // Matrix transpose of a 2-d tensor (a copy; ScratchNet has no views).
  Tensor transpose() const;
  // Rows [begin, end) along the first axis: x[begin:end].
  Tensor slice_rows(std::size_t begin, std::size_t end) const;
  // The rows order[begin], …, order[end-1] along the first axis: x[order[begin:end]].
  Tensor take_rows(const std::vector<std::size_t>& order, std::size_t begin, std::size_t end) const;
  // The same written into `into`, which is resized and reuses its memory when the size is unchanged.
  void take_rows(const std::vector<std::size_t>& order, std::size_t begin, std::size_t end, Tensor& into) const;

  // ---- reductions (tensor/reduce.cpp); axis may be negative ----
  Scalar sum() const;
  Tensor sum(int axis, KeepDims keep = KeepDims::kNo) const;
  Scalar mean() const;
  Tensor mean(int axis, KeepDims keep = KeepDims::kNo) const;
  Scalar max() const;
  Tensor max(int axis, KeepDims keep = KeepDims::kNo) const;
  Scalar min() const;
  Tensor min(int axis, KeepDims keep = KeepDims::kNo) const;
  // Index of the largest element along `axis` (the first one on ties), stored as Scalar.
  Tensor argmax(int axis) const;

  // ---- in place (tensor/ops.cpp): `other` must broadcast to this tensor's shape ----
  Tensor& operator+=(const Tensor& other);
  Tensor& operator-=(const Tensor& other);
  Tensor& operator*=(const Tensor& other);
  Tensor& operator/=(const Tensor& other);
  Tensor& operator+=(Scalar s);
  Tensor& operator-=(Scalar s);
  Tensor& operator*=(Scalar s);
  Tensor& operator/=(Scalar s);
  void fill(Scalar value);
  // Copies other's elements into this tensor's existing memory; shapes must match.
  void assign(const Tensor& other);
  // Makes this tensor `shape`, reusing its memory when the size is unchanged. Contents unspecified.
  void resize(const Shape& shape);

  // Copy is deep; move is cheap.
  Tensor(const Tensor& other);
  Tensor& operator=(const Tensor& other);
  Tensor(Tensor&&) noexcept = default;
  Tensor& operator=(Tensor&&) noexcept = default;
  ~Tensor() = default;

 private:
  explicit Tensor(const Shape& shape);  // uninitialised
  int normalize_axis(int axis, const char* op) const;
  Tensor reduce(int axis, KeepDims keep, const char* op) const;

  Shape shape_;
  Storage storage_;
};

Tensor zeros_like(const Tensor& x);
Tensor ones_like(const Tensor& x);

// True when |a - b| <= atol + rtol * |b| everywhere and the shapes are equal (np.allclose).
bool allclose(const Tensor& a, const Tensor& b, Scalar rtol = 1e-5, Scalar atol = 1e-8);
// Same shape and exactly the same elements (np.array_equal).
bool array_equal(const Tensor& a, const Tensor& b);

// Prints like NumPy: [[ 1.  -0.5]
//                     [-2.   3. ]]
// Arrays with more than 1000 elements show the first and last three entries of each axis.
std::ostream& operator<<(std::ostream& out, const Tensor& x);
std::string to_string(const Tensor& x);

}  // namespace scratch

// affine.cpp — Affine and MatMul; see affine.hpp for the math and the shapes.
#include "layers/affine.hpp"

#include <algorithm>
#include <functional>
#include <numeric>

#include "layers/layer_util.hpp"
#include "tensor/matmul.hpp"

namespace scratch {
namespace {

Transpose transpose_of(Use use) { return use == Use::kDirect ? Transpose::kNo : Transpose::kYes; }

// (D, M): the shape of op(W), the matrix the layer multiplies by.
Shape used_shape(const char* op, const Param* W, Use use) {
  if (W == nullptr) fail<ValueError>(op, ": W is a null ParamPtr (make one with make_param)");
  const Shape& s = W->value.shape();
  if (s.size() != 2)
    fail<ShapeError>(op, ": W (", W->name, ") must be a 2-d matrix, got shape ", shape_string(s));
  return use == Use::kDirect ? Shape{s[0], s[1]} : Shape{s[1], s[0]};
}

void check_bias(const Param* b, const Param& W, std::size_t m) {
  if (b == nullptr) fail<ValueError>("affine: b is a null ParamPtr (make one with make_param)");
  if (b->value.shape() != Shape{m})
    fail<ShapeError>("affine: b (", b->name, ") has shape ", shape_string(b->value.shape()), " but W has shape ",
                     shape_string(W.value.shape()), ", which gives ", m, " output features: b must be (", m, ",)");
}

// Checks that x brings D features per sample and copies it into x2d as an (N, D) matrix (the cache
// backward needs; x2d reuses its memory from the last call). A 1-d x (D,) becomes (1, D).
void cache_input(const char* op, const Tensor& x, const Param& W, Use use, std::size_t d, Tensor& x2d) {
  if (x.ndim() == 0)
    fail<ShapeError>(op, ": x is a 0-d scalar; expected a batch (N, D) or one sample (D,) with D = ", d);
  const std::size_t n = x.ndim() == 1 ? 1 : x.shape()[0];
  const std::size_t features = x.ndim() == 1 ? x.shape()[0]
                                             : std::accumulate(x.shape().begin() + 1, x.shape().end(), std::size_t{1},
                                                               std::multiplies<std::size_t>());
  if (features != d) {
    std::string per_sample = x.ndim() > 2 ? concat(", i.e. ", features, " features per sample,") : "";
    std::string tied = use == Use::kTransposed
                           ? concat(" (W has shape ", shape_string(W.value.shape()), " and is used transposed)")
                           : "";
    fail<ShapeError>(op, ": x has shape ", shape_string(x.shape()), per_sample, " but W expects ", d,
                     " input features", tied);
  }
  x2d.resize({n, d});
  // Row by row, on the threads that will read these rows in the product x·W (core/parallel.hpp,
  // kCostOperandElement).
  const Scalar* src = x.data();
  Scalar* dst = x2d.data();
  parallel_for(n, d * kCostOperandElement,
               [=](std::size_t i) { std::copy(src + i * d, src + (i + 1) * d, dst + i * d); });
}

// y's shape for an input of shape x_shape: (N, M), or (M,) for one sample.
Shape output_shape(const Shape& x_shape, std::size_t m) {
  return x_shape.size() == 1 ? Shape{m} : Shape{x_shape[0], m};
}

// y (N, M) += b (M,) on every row. Plain pointers, so the inner loop vectorises.
void add_bias(Tensor& y, const Tensor& b) {
  const std::size_t rows = y.shape()[0], m = y.shape()[1];
  const Scalar* bias = b.data();
  for (std::size_t n = 0; n < rows; ++n) {
    Scalar* row = y.data() + n * m;
    for (std::size_t j = 0; j < m; ++j) row[j] += bias[j];
  }
}

// db (M,) = Σ_n g[n, :] for g (N, M), summed over n in order (the same on any thread count).
void sum_rows(const Tensor& g, Tensor& db) {
  const std::size_t rows = g.shape()[0], m = g.shape()[1];
  db.resize({m});
  Scalar* sum = db.data();
  std::fill(sum, sum + m, Scalar(0));
  for (std::size_t n = 0; n < rows; ++n) {
    const Scalar* row = g.data() + n * m;
    for (std::size_t j = 0; j < m; ++j) sum[j] += row[j];
  }
}

// t with the given shape: t itself when it already has it (a 2-d x, the usual case), else t reshaped.
Tensor shaped(Tensor t, const Shape& shape) {
  if (t.shape() == shape) return t;
  return std::move(t).reshape(detail::dims_of(shape));
}

// dout as an (N, M) matrix: dout itself, or for one sample (M,) a (1, M) copy held in `row`.
const Tensor& as_matrix(const Tensor& dout, Tensor& row) {
  if (dout.ndim() == 2) return dout;
  row = dout.reshape({1, -1});
  return row;
}

}  // namespace

// ---- Affine: y = x·op(W) + b ----

Affine::Affine(ParamPtr W, ParamPtr b, Use w_use) : W_(std::move(W)), b_(std::move(b)), w_use_(w_use) {
  const Shape used = used_shape("affine", W_.get(), w_use_);
  check_bias(b_.get(), *W_, used[1]);
  dW_ = Tensor::zeros(used);
  db_ = Tensor::zeros({used[1]});
}

Tensor Affine::forward(const Tensor& x) {
  has_forward_ = false;  // a forward that throws leaves nothing for backward to use
  const Shape used = used_shape("affine", W_.get(), w_use_);  // (D, M), re-read: W may have been replaced
  const std::size_t m = used[1];
  check_bias(b_.get(), *W_, m);
  cache_input("affine", x, *W_, w_use_, used[0], x_);
  x_shape_ = x.shape();
  y_shape_ = output_shape(x_shape_, m);

  Tensor y;
  matmul_into(y, x_, W_->value, Transpose::kNo, transpose_of(w_use_));  // (N, D)·(D, M) → (N, M)
  add_bias(y, b_->value);
  has_forward_ = true;
  return shaped(std::move(y), y_shape_);
}

Tensor Affine::backward(const Tensor& dout) {
  detail::check_backward("affine", has_forward_, dout, y_shape_);
  Tensor row;
  const Tensor& g = as_matrix(dout, row);  // (N, M)

  matmul_into(dW_, x_, g, Transpose::kYes, Transpose::kNo);  // dW = xᵀ·dout: (D, N)·(N, M) → (D, M)
  sum_rows(g, db_);                                          // db = Σ_n dout[n, :]

  if (input_grad_ == InputGrad::kSkip) return Tensor();
  // dx = dout·op(W)ᵀ: op(W)ᵀ is Wᵀ for a direct use and W itself for a transposed one.
  const Transpose tw = w_use_ == Use::kDirect ? Transpose::kYes : Transpose::kNo;
  return shaped(matmul(g, W_->value, Transpose::kNo, tw), x_shape_);  // (N, D) → x's shape
}

std::vector<ParamUse> Affine::params() const { return {{W_, &dW_, w_use_}, {b_, &db_, Use::kDirect}}; }

// ---- MatMul: y = x·op(W) ----

MatMul::MatMul(ParamPtr W, Use use) : W_(std::move(W)), use_(use) {
  dW_ = Tensor::zeros(used_shape("matmul layer", W_.get(), use_));
}

Tensor MatMul::forward(const Tensor& x) {
  has_forward_ = false;  // a forward that throws leaves nothing for backward to use
  const Shape used = used_shape("matmul layer", W_.get(), use_);  // (D, M)
  cache_input("matmul layer", x, *W_, use_, used[0], x_);
  x_shape_ = x.shape();
  y_shape_ = output_shape(x_shape_, used[1]);
  Tensor y;
  matmul_into(y, x_, W_->value, Transpose::kNo, transpose_of(use_));  // (N, D)·(D, M) → (N, M)
  has_forward_ = true;
  return shaped(std::move(y), y_shape_);
}

Tensor MatMul::backward(const Tensor& dout) {
  detail::check_backward("matmul layer", has_forward_, dout, y_shape_);
  Tensor row;
  const Tensor& g = as_matrix(dout, row);                    // (N, M)
  matmul_into(dW_, x_, g, Transpose::kYes, Transpose::kNo);  // dW = xᵀ·dout (D, M)
  if (input_grad_ == InputGrad::kSkip) return Tensor();
  const Transpose tw = use_ == Use::kDirect ? Transpose::kYes : Transpose::kNo;
  return shaped(matmul(g, W_->value, Transpose::kNo, tw), x_shape_);  // dx = dout·op(W)ᵀ
}

std::vector<ParamUse> MatMul::params() const { return {{W_, &dW_, use_}}; }

}  // namespace scratch

// matmul.cpp — the matrix product; see matmul.hpp.
#include "tensor/matmul.hpp"

namespace scratch {
namespace {

std::string operand_string(const Tensor& x, Transpose t) {
  return t == Transpose::kYes ? shape_string(x.shape()) + "ᵀ" : shape_string(x.shape());
}

// Element (i, k) of op(X) for a row-major X with `cols` columns.
inline Scalar element(const Scalar* x, std::size_t cols, Transpose t, std::size_t i, std::size_t k) {
  return t == Transpose::kNo ? x[i * cols + k] : x[k * cols + i];
}

}  // namespace

Shape matmul_shape(const Tensor& a, const Tensor& b, Transpose ta, Transpose tb, const char* op) {
  if (a.ndim() != 2 || b.ndim() != 2)
    fail<ShapeError>(op, ": needs two 2-d tensors, got ", operand_string(a, ta), " and ", operand_string(b, tb),
                     " (reshape vectors to (1, K) or (K, 1))");
  const std::size_t m = ta == Transpose::kNo ? a.shape()[0] : a.shape()[1];
  const std::size_t ka = ta == Transpose::kNo ? a.shape()[1] : a.shape()[0];
  const std::size_t kb = tb == Transpose::kNo ? b.shape()[0] : b.shape()[1];
  const std::size_t n = tb == Transpose::kNo ? b.shape()[1] : b.shape()[0];
  if (ka != kb)
    fail<ShapeError>(op, ": cannot multiply ", operand_string(a, ta), " by ", operand_string(b, tb),
                     ": inner dimensions ", ka, " != ", kb);
  return {m, n};
}

Tensor matmul_naive(const Tensor& a, const Tensor& b, Transpose ta, Transpose tb) {
  const Shape shape = matmul_shape(a, b, ta, tb, "matmul_naive");
  const std::size_t m = shape[0], n = shape[1];
  const std::size_t k_len = ta == Transpose::kNo ? a.shape()[1] : a.shape()[0];
  Tensor c = Tensor::empty(shape);
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      Scalar acc = 0;
      for (std::size_t k = 0; k < k_len; ++k)
        acc += element(a.data(), a.shape()[1], ta, i, k) * element(b.data(), b.shape()[1], tb, k, j);
      c(i, j) = acc;
    }
  }
  return c;
}

void matmul_into(Tensor& c, const Tensor& a, const Tensor& b, Transpose ta, Transpose tb) {
  const Shape shape = matmul_shape(a, b, ta, tb);
  if (&c == &a || &c == &b)
    fail<ValueError>(
        "matmul_into: the output must not be one of the inputs (it is overwritten while they are "
        "read); write into another tensor");
  const std::size_t k_len = ta == Transpose::kNo ? a.shape()[1] : a.shape()[0];
  c.resize(shape);
  gemm<Scalar>(shape[0], shape[1], k_len, a.data(), a.shape()[1], ta, b.data(), b.shape()[1], tb, c.data(), shape[1]);
}

Tensor matmul(const Tensor& a, const Tensor& b, Transpose ta, Transpose tb) {
  Tensor c;
  matmul_into(c, a, b, ta, tb);
  return c;
}

}  // namespace scratch

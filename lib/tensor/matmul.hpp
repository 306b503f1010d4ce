// matmul.hpp — the matrix product C = op(A) · op(B), where op(X) is X or Xᵀ.
//
// Shapes: op(A) is (M, K), op(B) is (K, N), C is (M, N). Passing Transpose::kYes multiplies by the
// transpose without ever building it, which is what backward passes need:
//   dx = dout · Wᵀ   → matmul(dout, W, Transpose::kNo, Transpose::kYes)
//   dW = xᵀ · dout   → matmul(x, dout, Transpose::kYes, Transpose::kNo)
// matmul_naive is the three-loop reference twin that tests compare the fast kernel against; the
// fast one is gemm<Scalar> (tensor/gemm.hpp, which also defines Transpose).
#pragma once

#include "tensor/gemm.hpp"
#include "tensor/tensor.hpp"

namespace scratch {

// The (M, N) shape of op(a) · op(b), or a ShapeError such as
//   matmul: cannot multiply (2, 3) by (4, 5): inner dimensions 3 != 4
Shape matmul_shape(const Tensor& a, const Tensor& b, Transpose ta, Transpose tb, const char* op = "matmul");

// The fast product: packed, cache-blocked, OpenMP-parallel above a size threshold (see gemm.cpp).
// Bitwise the same result on any number of threads; it may differ from matmul_naive in the last
// bits because it adds in a different order.
Tensor matmul(const Tensor& a, const Tensor& b, Transpose ta = Transpose::kNo, Transpose tb = Transpose::kNo);

// The same product written into c, which is resized to (M, N) and reuses its memory when it already
// has that size. c must not be a or b.
void matmul_into(Tensor& c, const Tensor& a, const Tensor& b, Transpose ta = Transpose::kNo,
                 Transpose tb = Transpose::kNo);

// Reference: C[i][j] = Σ_k op(A)[i][k] · op(B)[k][j], three plain loops, serial.
Tensor matmul_naive(const Tensor& a, const Tensor& b, Transpose ta = Transpose::kNo, Transpose tb = Transpose::kNo);

}  // namespace scratch

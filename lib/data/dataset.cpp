// dataset.cpp — see dataset.hpp.
#include "data/dataset.hpp"

namespace scratch {

TensorDataset::TensorDataset(Tensor x, Tensor t) : x_(std::move(x)), t_(std::move(t)) {
  if (x_.ndim() == 0 || t_.ndim() == 0 || x_.shape()[0] != t_.shape()[0])
    fail<ShapeError>("TensorDataset: x has shape ", shape_string(x_.shape()), " and t has shape ",
                     shape_string(t_.shape()), "; both need the same number of samples along axis 0");
}

void TensorDataset::batch(const std::vector<std::size_t>& order, std::size_t begin, std::size_t end, Tensor& x,
                          Tensor& t) const {
  x_.take_rows(order, begin, end, x);
  t_.take_rows(order, begin, end, t);
}

}  // namespace scratch

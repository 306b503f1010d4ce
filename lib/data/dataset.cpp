// dataset.cpp — see dataset.hpp.
#include "data/dataset.hpp"

#include <cstring>

namespace scratch {

TensorDataset::TensorDataset(Tensor x, Tensor t) : x_(std::move(x)), t_(std::move(t)) {
  if (x_.ndim() == 0 || t_.ndim() == 0 || x_.shape()[0] != t_.shape()[0])
    fail<ShapeError>("TensorDataset: x has shape ", shape_string(x_.shape()), " and t has shape ",
                     shape_string(t_.shape()), "; both need the same number of samples along axis 0");
}

void gather_rows(const Tensor& from, const std::vector<std::size_t>& order, std::size_t begin, std::size_t end,
                 Tensor& into) {
  if (from.ndim() == 0 || begin > end || end > order.size())
    fail<ShapeError>("gather_rows: positions [", begin, ", ", end, ") do not fit an order of length ", order.size(),
                     " over a tensor of shape ", shape_string(from.shape()));
  Shape shape = from.shape();
  const std::size_t rows = shape[0];
  const std::size_t row = rows == 0 ? 0 : from.size() / rows;
  shape[0] = end - begin;
  into.resize(shape);
  for (std::size_t i = begin; i < end; ++i) {
    if (order[i] >= rows)
      fail<ShapeError>("gather_rows: sample ", order[i], " does not exist; the tensor has ", rows, " samples");
    std::memcpy(into.data() + (i - begin) * row, from.data() + order[i] * row, row * sizeof(Scalar));
  }
}

void TensorDataset::batch(const std::vector<std::size_t>& order, std::size_t begin, std::size_t end, Tensor& x,
                          Tensor& t) const {
  gather_rows(x_, order, begin, end, x);
  gather_rows(t_, order, begin, end, t);
}

}  // namespace scratch

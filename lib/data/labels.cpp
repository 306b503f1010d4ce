// labels.cpp — see labels.hpp.
#include "data/labels.hpp"

#include <cmath>

namespace scratch {

Tensor one_hot(const Tensor& indices, std::size_t classes) {
  if (indices.ndim() != 1)
    fail<ShapeError>("one_hot: indices must have shape (N,), got ", shape_string(indices.shape()),
                     "; flatten them first");
  if (classes == 0) fail<ValueError>("one_hot: the number of classes must be at least 1");
  const std::size_t n = indices.size();
  Tensor t = Tensor::zeros({n, classes});
  for (std::size_t i = 0; i < n; ++i) {
    const Scalar k = indices[i];
    if (!(k >= 0 && k < static_cast<Scalar>(classes) && std::floor(k) == k))
      fail<ValueError>("one_hot: indices[", i, "] = ", k, " is not a class number in [0, ", classes, ")");
    t(i, static_cast<std::size_t>(k)) = 1;
  }
  return t;
}

Tensor class_indices(const Tensor& one_hot_labels) {
  if (one_hot_labels.ndim() != 2)
    fail<ShapeError>("class_indices: one-hot labels must have shape (N, C), got ",
                     shape_string(one_hot_labels.shape()));
  if (one_hot_labels.shape()[1] == 0 && one_hot_labels.shape()[0] > 0)
    fail<ShapeError>("class_indices: one-hot labels of shape ", shape_string(one_hot_labels.shape()),
                     " have no classes to pick from");
  return one_hot_labels.argmax(1);
}

}  // namespace scratch

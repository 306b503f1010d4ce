// labels.hpp — the two ways a classification label can be written, and converting between them.
//
// For C classes and N samples, the label of sample n is either
//   an index   t[n] = k                  t has shape (N,)     — "class indices"
//   one-hot    t[n, j] = (j == k ? 1 : 0)  t has shape (N, C)  — np.eye(C)[k]
// Loss layers accept both (DESIGN.md §3); the data sets let you choose with LabelFormat.
#pragma once

#include <cstddef>

#include "tensor/tensor.hpp"

namespace scratch {

enum class LabelFormat {
  kIndex,   // t (N,): the class number k, stored as a Scalar
  kOneHot,  // t (N, C): 1 at column k, 0 elsewhere
};

// indices (N,) of whole numbers in [0, classes) → one-hot (N, classes).
// Throws ShapeError for a non-1-d input and ValueError for an index that is not a whole number in range.
Tensor one_hot(const Tensor& indices, std::size_t classes);

// one-hot (N, C) → indices (N,): the column of each row's largest entry (argmax along axis 1).
// Throws ShapeError for a non-2-d input or rows of 0 classes.
Tensor class_indices(const Tensor& one_hot_labels);

}  // namespace scratch

// labels.hpp — the two ways a classification label can be written, the one check of class
// indices, and converting between the two.
//
// For C classes and N samples, the label of sample n is either
//   an index   t[n] = k                  t has shape (N,)     — "class indices"
//   one-hot    t[n, j] = (j == k ? 1 : 0)  t has shape (N, C)  — np.eye(C)[k]
// Loss layers and accuracy accept both (DESIGN.md §3); the data sets let you choose with LabelFormat.
// For a single sample x (C,), t is (C,) one-hot or one index, shape () or (1,) (one-hot wins when C = 1).
#pragma once

#include <cstddef>
#include <string>

#include "tensor/tensor.hpp"

namespace scratch {

enum class LabelFormat {
  kIndex,   // t (N,): the class number k, stored as a Scalar
  kOneHot,  // t (N, C): 1 at column k, 0 elsewhere (a row may also be any probability distribution)
};

// Which format labels t have for scores of shape x_shape ((N, C), or (C,) for one sample), after
// checking that t fits: ShapeError naming both shapes for the wrong count or width, ValueError (from
// check_class_indices) for an index that is not a class. `op` starts the messages.
LabelFormat label_format(const char* op, const Shape& x_shape, const Tensor& t);

// Throws ValueError unless every element of `ids` is a whole number in [0, classes), e.g.
//   softmax_with_loss: label t[3] = 10 is not a class index: indices must be whole numbers in [0, 10) since x (5, 10) has 10 classes
// `name` names the tensor in the message ("label t", "indices", "contexts"); why() says where the
// bound comes from. It is called only to build the message: a training loop checks its labels on
// every step and must not format strings for labels that are fine.
template <class Why>
void check_class_indices(const char* op, const Tensor& ids, std::size_t classes, const char* name, Why why);

// The position of the first element of ids that is not a whole number in [0, classes), or ids.size().
std::size_t first_non_class_index(const Tensor& ids, std::size_t classes);
[[noreturn]] void fail_class_index(const char* op, const Tensor& ids, std::size_t at, std::size_t classes,
                                   const char* name, const std::string& why);

// indices (N,) of whole numbers in [0, classes) → one-hot (N, classes).
// Throws ShapeError for a non-1-d input and ValueError for an index that is not a whole number in range.
Tensor one_hot(const Tensor& indices, std::size_t classes);

// one-hot (N, C) → indices (N,): the column of each row's largest entry (argmax along axis 1).
// Throws ShapeError for a non-2-d input or rows of 0 classes.
Tensor class_indices(const Tensor& one_hot_labels);

template <class Why>
void check_class_indices(const char* op, const Tensor& ids, std::size_t classes, const char* name, Why why) {
  const std::size_t at = first_non_class_index(ids, classes);
  if (at < ids.size()) fail_class_index(op, ids, at, classes, name, why());
}

}  // namespace scratch

// labels.cpp — see labels.hpp.
#include "tensor/labels.hpp"

#include <cmath>

namespace scratch {

LabelFormat label_format(const char* op, const Shape& x_shape, const Tensor& t) {
  const std::size_t n = x_shape.size() == 1 ? 1 : x_shape[0], c = x_shape.back();
  const auto xs = [&] { return shape_string(x_shape); };
  const auto ts = [&] { return shape_string(t.shape()); };
  LabelFormat format;
  if (t.shape() == x_shape) {
    format = LabelFormat::kOneHot;
  } else if (x_shape.size() == 1) {
    if (t.ndim() > 1 || t.size() != 1)
      fail<ShapeError>(op, ": x ", xs(), " is one sample with ", c, " classes, so t must be one-hot (", c,
                       ",) or a single class index, got t of shape ", ts());
    format = LabelFormat::kIndex;
  } else if (t.shape() == Shape{n}) {
    format = LabelFormat::kIndex;
  } else if (t.ndim() == 2 && t.shape()[0] == n) {
    fail<ShapeError>(op, ": one-hot labels t ", ts(), " have ", t.shape()[1], " columns but x ", xs(), " has ", c,
                     " classes (t must be (", n, ", ", c, ") one-hot, or (", n, ",) class indices)");
  } else if ((t.ndim() == 1 || t.ndim() == 2) && t.shape()[0] != n) {
    fail<ShapeError>(op, ": t ", ts(), " holds labels for ", t.shape()[0], " samples but x ", xs(), " has ", n,
                     " (one label per row of x)");
  } else {
    fail<ShapeError>(op, ": t has shape ", ts(), "; for x ", xs(), " expected one-hot (", n, ", ", c,
                     ") or class indices (", n, ",)");
  }
  if (format == LabelFormat::kIndex)
    check_class_indices(op, t, c, "label t", [&] { return concat("since x ", xs(), " has ", c, " classes"); });
  return format;
}

std::size_t first_non_class_index(const Tensor& ids, std::size_t classes) {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const Scalar k = ids[i];
    if (!(k >= 0 && k < static_cast<Scalar>(classes) && k == std::floor(k))) return i;
  }
  return ids.size();
}

void fail_class_index(const char* op, const Tensor& ids, std::size_t at, std::size_t classes, const char* name,
                      const std::string& why) {
  const std::string index =
      ids.ndim() == 2 ? concat("[", at / ids.shape()[1], ", ", at % ids.shape()[1], "]") : concat("[", at, "]");
  fail<ValueError>(op, ": ", name, index, " = ", ids[at], " is not a class index: indices must be whole numbers in [0, ",
                   classes, ") ", why);
}

Tensor one_hot(const Tensor& indices, std::size_t classes) {
  if (indices.ndim() != 1)
    fail<ShapeError>("one_hot: indices must have shape (N,), got ", shape_string(indices.shape()),
                     "; flatten them first");
  if (classes == 0) fail<ValueError>("one_hot: the number of classes must be at least 1");
  check_class_indices("one_hot", indices, classes, "indices", [&] { return concat("for ", classes, " classes"); });
  Tensor t = Tensor::zeros({indices.size(), classes});
  for (std::size_t i = 0; i < indices.size(); ++i) t(i, static_cast<std::size_t>(indices[i])) = 1;
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

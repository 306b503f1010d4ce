// dataset.cpp — see dataset.hpp.
#include "data/dataset.hpp"

namespace scratch {

TensorDataset::TensorDataset(Tensor x, Tensor t)
    : TensorDataset(std::make_shared<const Tensor>(std::move(x)), std::make_shared<const Tensor>(std::move(t)),
                    "TensorDataset") {}

TensorDataset TensorDataset::borrow(const Tensor& x, const Tensor& t, const char* who) {
  const auto keep = [](const Tensor*) {};  // the caller owns the tensor: nothing to delete
  return TensorDataset(std::shared_ptr<const Tensor>(&x, keep), std::shared_ptr<const Tensor>(&t, keep),
                       who);
}

TensorDataset::TensorDataset(std::shared_ptr<const Tensor> x, std::shared_ptr<const Tensor> t, const char* who)
    : x_(std::move(x)), t_(std::move(t)) {
  if (x_->ndim() == 0 || t_->ndim() == 0 || x_->shape()[0] != t_->shape()[0])
    fail<ShapeError>(who, ": x has shape ", shape_string(x_->shape()), " and t has shape ", shape_string(t_->shape()),
                     "; both need the same number of samples along axis 0");
}

void TensorDataset::batch(const std::vector<std::size_t>& order, std::size_t begin, std::size_t end, Tensor& x,
                          Tensor& t) const {
  x_->take_rows(order, begin, end, x);
  t_->take_rows(order, begin, end, t);
}

}  // namespace scratch

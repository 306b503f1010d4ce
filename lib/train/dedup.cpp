// dedup.cpp — see dedup.hpp.
#include "train/dedup.hpp"

#include <cstring>
#include <unordered_map>

namespace scratch {
namespace {

void check_fits(const ParamUse& use) {
  const Param& p = *use.param;
  if (use.grad == nullptr) fail<ValueError>("remove_duplicates: the use of ", p.name, " has no gradient");
  const Shape& value = p.value.shape();
  if (use.use == Use::kDirect) {
    if (use.grad->shape() != value)
      fail<ShapeError>("remove_duplicates: gradient of ", p.name, " has shape ", shape_string(use.grad->shape()),
                       " but the parameter has shape ", shape_string(value));
  } else if (value.size() != 2 || use.grad->shape() != Shape{value[1], value[0]}) {
    fail<ShapeError>("remove_duplicates: ", p.name, " (shape ", shape_string(value),
                     ") is used transposed, so its gradient must have the transposed shape, not ",
                     shape_string(use.grad->shape()));
  }
}

// total (rows, cols) += gᵀ, where g is (cols, rows).
void add_transposed(Tensor& total, const Tensor& g) {
  const std::size_t rows = total.shape()[0], cols = total.shape()[1];
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) total(i, j) += g(j, i);
}

}  // namespace

std::vector<ParamPtr> remove_duplicates(const std::vector<ParamUse>& uses) {
  std::vector<ParamPtr> distinct;
  std::unordered_map<std::uint64_t, bool> seen;
  for (const ParamUse& use : uses) {
    if (!use.param) fail<ValueError>("remove_duplicates: a parameter use holds no parameter");
    check_fits(use);
    Param& p = *use.param;
    const bool first = seen.emplace(p.id(), true).second;
    if (first) {
      distinct.push_back(use.param);
      p.grad.resize(p.value.shape());
      p.grad.fill(0);
    }
    if (use.use == Use::kDirect) p.grad += *use.grad;
    else add_transposed(p.grad, *use.grad);
  }
  return distinct;
}

}  // namespace scratch

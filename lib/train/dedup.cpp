// dedup.cpp — see dedup.hpp.
#include "train/dedup.hpp"

#include <algorithm>

#include "core/parallel.hpp"

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

enum class Update { kOverwrite, kAdd };

// total = g, or total += g, for tensors of one shape. Split between threads like the optimizers'
// loops (core/parallel.hpp, kCostOperandElement): each core handles the part of a large gradient
// that the matrix product which wrote it left in its cache.
void merge(Tensor& total, const Tensor& g, Update update) {
  total.resize(g.shape());
  Scalar* out = total.data();
  const Scalar* in = g.data();
  parallel_for_chunks(g.size(), kCostOperandElement, [=](std::size_t begin, std::size_t end) {
    if (update == Update::kOverwrite)
      std::copy(in + begin, in + end, out + begin);
    else
      for (std::size_t i = begin; i < end; ++i) out[i] += in[i];
  });
}

// total (rows, cols) = gᵀ or += gᵀ, where g is (cols, rows).
void merge_transposed(Tensor& total, const Tensor& g, Update update) {
  const std::size_t rows = g.shape()[1], cols = g.shape()[0];
  total.resize({rows, cols});
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) total(i, j) = (update == Update::kAdd ? total(i, j) : 0) + g(j, i);
}

// Identity, not value: whether the same Param object is already listed. A network has a handful
// of parameters, so a linear search beats a hash map (and allocates nothing).
bool listed(const std::vector<ParamPtr>& distinct, const Param& p) {
  return std::any_of(distinct.begin(), distinct.end(), [&](const ParamPtr& q) { return q.get() == &p; });
}

}  // namespace

std::vector<ParamPtr> distinct_params(const std::vector<ParamUse>& uses) {
  std::vector<ParamPtr> distinct;
  for (const ParamUse& use : uses) {
    if (!use.param) fail<ValueError>("distinct_params: a parameter use holds no parameter");
    if (!listed(distinct, *use.param)) distinct.push_back(use.param);
  }
  return distinct;
}

std::vector<ParamPtr> remove_duplicates(const std::vector<ParamUse>& uses) {
  std::vector<ParamPtr> distinct;
  distinct.reserve(uses.size());
  for (const ParamUse& use : uses) {
    if (!use.param) fail<ValueError>("remove_duplicates: a parameter use holds no parameter");
    check_fits(use);
    Param& p = *use.param;
    const bool first = !listed(distinct, p);
    if (first) distinct.push_back(use.param);
    // The first use is copied into grad (which keeps its memory from the last step), the others
    // are added to it.
    const Update update = first ? Update::kOverwrite : Update::kAdd;
    if (use.use == Use::kDirect)
      merge(p.grad, *use.grad, update);
    else
      merge_transposed(p.grad, *use.grad, update);
  }
  return distinct;
}

}  // namespace scratch

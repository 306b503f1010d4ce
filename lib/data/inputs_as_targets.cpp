// inputs_as_targets.cpp — see inputs_as_targets.hpp.
#include "data/inputs_as_targets.hpp"

namespace scratch {

void InputsAsTargets::batch(const std::vector<std::size_t>& order, std::size_t begin, std::size_t end, Tensor& x,
                            Tensor& t) const {
  Tensor labels;  // the wrapped set's labels: B numbers, not needed
  data_.batch(order, begin, end, x, labels);
  t.resize(x.shape());
  t.assign(x);
}

}  // namespace scratch

// layer.cpp — the bookkeeping of the Layer and LossLayer bases; see layer.hpp.
#include "layers/layer.hpp"

#include <algorithm>

#include "core/parallel.hpp"
#include "layers/layer_util.hpp"

namespace scratch {

Layer::Layer(std::string op, InputView view) : op_(std::move(op)), view_(view) {}

Tensor Layer::forward(const Tensor& x) {
  has_forward_ = false;  // a forward that throws leaves nothing for backward to use
  x_shape_ = x.shape();
  Tensor y;
  if (view_ == InputView::kAsIs || x.ndim() == 2) {
    y = forward_impl(x);
  } else {
    if (x.ndim() == 0)
      fail<ShapeError>(op_, ": x is a 0-d scalar; expected a batch (N, D) or one sample (D,)");
    // One sample (D,) is a batch of one; (N, d1, d2, …) is N samples of d1·d2·… features.
    const std::size_t n = x.ndim() == 1 ? 1 : x.shape()[0];
    const std::size_t d = x.ndim() == 1 ? x.shape()[0] : shape_size(Shape(x.shape().begin() + 1, x.shape().end()));
    x_matrix_.resize({n, d});
    std::copy(x.begin(), x.end(), x_matrix_.begin());
    y = forward_impl(x_matrix_);
    if (x.ndim() == 1) y = std::move(y).reshape({-1});  // (1, M) → (M,)
  }
  y_shape_ = y.shape();
  has_forward_ = true;
  return y;
}

Tensor Layer::backward(const Tensor& dout) {
  if (!has_forward_)
    fail<ValueError>(op_, ": backward called before forward (there is nothing cached to differentiate)");
  if (dout.shape() != y_shape_)
    fail<ShapeError>(op_, ": dout has shape ", shape_string(dout.shape()), " but the last forward returned y of shape ",
                     shape_string(y_shape_), " (dout is dL/dy, so it must be shaped like y)");
  Tensor dx = view_ == InputView::kMatrix && dout.ndim() == 1 ? backward_impl(dout.reshape({1, -1}))
                                                              : backward_impl(dout);
  if (input_grad_ == InputGrad::kSkip) return Tensor();
  if (dx.shape() != x_shape_) dx = std::move(dx).reshape(detail::dims_of(x_shape_));  // (N, D) → x's shape
  return dx;
}

std::vector<ParamUse> Layer::params() const {
  std::vector<ParamUse> uses;
  uses.reserve(uses_.size());
  for (const UseSlot& slot : uses_) uses.push_back({slot.param, &slot.grad, slot.use});
  return uses;
}

Tensor& Layer::use_param(ParamPtr param, Use use) {
  if (!param) fail<ValueError>(op_, ": a parameter is a null ParamPtr (make one with make_param)");
  const Shape& s = param->value.shape();
  if (use == Use::kTransposed && s.size() != 2)
    fail<ShapeError>(op_, ": ", param->name, " has shape ", shape_string(s),
                     "; only a 2-d matrix can be used transposed");
  Tensor grad = Tensor::zeros(use == Use::kDirect ? s : Shape{s[1], s[0]});
  uses_.push_back({std::move(param), use, std::move(grad)});
  return uses_.back().grad;
}

void Layer::register_buffer(std::string name, Tensor& value) { buffers_.push_back({std::move(name), &value}); }

// ---- LossLayer ----

Scalar LossLayer::forward(const Tensor& x, const Tensor& t) {
  has_forward_ = false;  // a forward that throws leaves nothing for backward to use
  const Scalar loss = forward_impl(x, t);
  x_shape_ = x.shape();
  has_forward_ = true;
  return loss;
}

Tensor LossLayer::backward(Scalar dout) {
  if (!has_forward_) fail<ValueError>(op_, ": backward called before forward (no loss to differentiate)");
  Tensor dx = backward_impl(dout);
  if (dx.shape() != x_shape_) dx = std::move(dx).reshape(detail::dims_of(x_shape_));
  return dx;
}

}  // namespace scratch

// batch_norm.cpp — BatchNormalization; see batch_norm.hpp for the math.
//
// x is read as (N, D, S): S = 1 for a matrix (N, D), S = H·W for images (N, C, H, W) with D = C.
// Element (n, d, s) sits at (n·D + d)·S + s. Every per-feature sum runs over n then s in that fixed
// order on one thread, so the results never depend on the thread count. The loops are serial: a
// BN layer of the chapters is a few 10 000 values, well under the size at which a region pays.
#include "layers/batch_norm.hpp"

#include <cmath>

namespace scratch {
namespace {

struct Dims {
  std::size_t n, d, s;
};

ParamPtr non_null(ParamPtr p, const char* what) {
  if (!p) fail<ValueError>("batch_norm: ", what, " is a null ParamPtr (make one with make_param)");
  return p;
}

}  // namespace

BatchNormalization::BatchNormalization(ParamPtr gamma, ParamPtr beta, Scalar momentum, Scalar eps)
    : Layer("batch_norm"),
      gamma_(non_null(std::move(gamma), "gamma")),
      beta_(non_null(std::move(beta), "beta")),
      momentum_(momentum),
      eps_(eps) {
  const Shape& g = gamma_->value.shape();
  if (g.size() != 1 || beta_->value.shape() != g)
    fail<ShapeError>("batch_norm: gamma (", gamma_->name, ") has shape ", shape_string(g), " and beta (", beta_->name,
                     ") has shape ", shape_string(beta_->value.shape()), "; both must be (D,) for the same D");
  if (!(momentum >= 0 && momentum < 1))
    fail<ValueError>("batch_norm: momentum is ", momentum, "; it must be in [0, 1) (the book's value is 0.9)");
  if (!(eps > 0 && std::isfinite(eps)))
    fail<ValueError>("batch_norm: eps is ", eps, "; it must be finite and > 0 (it keeps √(σ² + eps) away from 0)");
  dgamma_ = &use_param(gamma_);
  dbeta_ = &use_param(beta_);
  running_mean_ = Tensor::zeros(g);
  running_var_ = Tensor::ones(g);
  register_buffer("running_mean", running_mean_);
  register_buffer("running_var", running_var_);
}

Tensor BatchNormalization::forward_impl(const Tensor& x) {
  const std::size_t D = gamma_->value.size();
  const Shape& xs = x.shape();
  if ((xs.size() != 2 && xs.size() != 4) || xs[1] != D)
    fail<ShapeError>("batch_norm: x has shape ", shape_string(xs), " but gamma has shape ",
                     shape_string(gamma_->value.shape()), ": x must be (N, ", D, ") after an Affine or (N, ", D,
                     ", H, W) per channel");
  const Dims dims{xs[0], D, xs.size() == 4 ? xs[2] * xs[3] : 1};
  const std::size_t M = dims.n * dims.s;  // values per feature
  forward_mode_ = mode();
  std_.resize({D});
  if (mode() == Mode::kTrain) {
    if (M < 2)
      fail<ValueError>("batch_norm: training mode needs at least 2 values per feature to take a batch variance, but x "
                       "has shape ",
                       shape_string(xs), " (", M, " value per feature): the variance of one sample is 0, so xn would be 0 "
                       "whatever x is; train on batches of 2 or more, or predict in inference mode");
    Tensor mu = Tensor::zeros({D}), var = Tensor::zeros({D});
    for (std::size_t n = 0; n < dims.n; ++n)  // μ = (1/M) Σ x
      for (std::size_t d = 0; d < D; ++d)
        for (std::size_t s = 0; s < dims.s; ++s) mu[d] += x[(n * D + d) * dims.s + s];
    mu /= static_cast<Scalar>(M);
    xc_.resize(xs);
    for (std::size_t n = 0; n < dims.n; ++n)  // xc = x − μ;  σ² = (1/M) Σ xc²
      for (std::size_t d = 0; d < D; ++d)
        for (std::size_t s = 0; s < dims.s; ++s) {
          const std::size_t i = (n * D + d) * dims.s + s;
          xc_[i] = x[i] - mu[d];
          var[d] += xc_[i] * xc_[i];
        }
    var /= static_cast<Scalar>(M);
    for (std::size_t d = 0; d < D; ++d) {
      std_[d] = std::sqrt(var[d] + eps_);  // std = √(σ² + eps)
      running_mean_[d] = momentum_ * running_mean_[d] + (1 - momentum_) * mu[d];
      running_var_[d] = momentum_ * running_var_[d] + (1 - momentum_) * var[d];
    }
  } else {
    xc_.resize(xs);
    for (std::size_t d = 0; d < D; ++d) std_[d] = std::sqrt(running_var_[d] + eps_);
    for (std::size_t n = 0; n < dims.n; ++n)  // xc = x − running_mean
      for (std::size_t d = 0; d < D; ++d)
        for (std::size_t s = 0; s < dims.s; ++s) {
          const std::size_t i = (n * D + d) * dims.s + s;
          xc_[i] = x[i] - running_mean_[d];
        }
  }
  xn_.resize(xs);
  Tensor y = Tensor::empty(xs);
  const Tensor& gamma = gamma_->value;
  const Tensor& beta = beta_->value;
  for (std::size_t n = 0; n < dims.n; ++n)  // xn = xc / std;  y = γ ⊙ xn + β
    for (std::size_t d = 0; d < D; ++d)
      for (std::size_t s = 0; s < dims.s; ++s) {
        const std::size_t i = (n * D + d) * dims.s + s;
        xn_[i] = xc_[i] / std_[d];
        y[i] = gamma[d] * xn_[i] + beta[d];
      }
  return y;
}

Tensor BatchNormalization::backward_impl(const Tensor& dout) {
  const Shape& xs = xc_.shape();
  const std::size_t D = std_.size();
  const Dims dims{xs[0], D, xs.size() == 4 ? xs[2] * xs[3] : 1};
  const Scalar M = static_cast<Scalar>(dims.n * dims.s);
  const Tensor& gamma = gamma_->value;
  dgamma_->resize({D});
  dbeta_->resize({D});
  dgamma_->fill(0);
  dbeta_->fill(0);
  Tensor dstd = Tensor::zeros({D});
  Tensor dx = Tensor::empty(xs);
  for (std::size_t n = 0; n < dims.n; ++n)  // dβ = Σ dout;  dγ = Σ xn ⊙ dout;  dxc = γ ⊙ dout / std
    for (std::size_t d = 0; d < D; ++d)
      for (std::size_t s = 0; s < dims.s; ++s) {
        const std::size_t i = (n * D + d) * dims.s + s;
        (*dbeta_)[d] += dout[i];
        (*dgamma_)[d] += xn_[i] * dout[i];
        const Scalar dxn = gamma[d] * dout[i];
        dx[i] = dxn / std_[d];
        dstd[d] -= dxn * xc_[i] / (std_[d] * std_[d]);  // dstd = −Σ dxn ⊙ xc / std²
      }
  // Inference: μ and std were constants, so dx = dxc is the whole gradient.
  if (forward_mode_ == Mode::kInference || !needs_input_grad()) return dx;
  Tensor dmu = Tensor::zeros({D});
  for (std::size_t n = 0; n < dims.n; ++n)  // dxc += (2/M) · xc ⊙ dσ², dσ² = ½ dstd / std;  dμ = Σ dxc
    for (std::size_t d = 0; d < D; ++d) {
      const Scalar dvar = Scalar(0.5) * dstd[d] / std_[d];
      for (std::size_t s = 0; s < dims.s; ++s) {
        const std::size_t i = (n * D + d) * dims.s + s;
        dx[i] += (2 / M) * xc_[i] * dvar;
        dmu[d] += dx[i];
      }
    }
  for (std::size_t n = 0; n < dims.n; ++n)  // dx = dxc − dμ / M
    for (std::size_t d = 0; d < D; ++d)
      for (std::size_t s = 0; s < dims.s; ++s) dx[(n * D + d) * dims.s + s] -= dmu[d] / M;
  return dx;
}

}  // namespace scratch

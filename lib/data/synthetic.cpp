// synthetic.cpp — see synthetic.hpp.
#include "data/synthetic.hpp"

#include <cmath>

namespace scratch {

TensorDataset make_argmax_set(Rng& rng, ArgmaxSetOptions options) {
  const std::size_t N = options.samples, D = options.features, C = options.classes;
  if (N == 0 || D == 0 || C == 0)
    fail<ValueError>("make_argmax_set: samples, features and classes must all be at least 1, got ", N, ", ", D, " and ",
                     C);
  Tensor x = Tensor::randn({N, D}, rng);
  Tensor k = x.argmax(1);  // (N,): the column of each row's largest feature
  for (Scalar& label : k) label = static_cast<Scalar>(static_cast<std::size_t>(label) % C);
  Tensor t = options.labels == LabelFormat::kOneHot ? one_hot(k, C) : std::move(k);
  return TensorDataset(std::move(x), std::move(t));
}

TensorDataset make_spiral(Rng& rng, SpiralOptions options) {
  const std::size_t P = options.points_per_class, C = options.classes;
  if (P == 0 || C == 0)
    fail<ValueError>("make_spiral: points_per_class and classes must be at least 1, got ", P, " and ", C);
  if (!(std::isfinite(options.noise) && options.noise >= 0))
    fail<ValueError>("make_spiral: noise must be a finite number >= 0, got ", options.noise);
  Tensor x = Tensor::empty({C * P, 2});
  Tensor k = Tensor::empty({C * P});
  for (std::size_t j = 0; j < C; ++j) {
    for (std::size_t i = 0; i < P; ++i) {
      const double rate = static_cast<double>(i) / static_cast<double>(P);
      const double radius = rate;
      const double theta = 4.0 * static_cast<double>(j) + 4.0 * rate + rng.normal() * options.noise;
      const std::size_t n = P * j + i;
      x(n, 0) = static_cast<Scalar>(radius * std::sin(theta));
      x(n, 1) = static_cast<Scalar>(radius * std::cos(theta));
      k[n] = static_cast<Scalar>(j);
    }
  }
  Tensor t = options.labels == LabelFormat::kOneHot ? one_hot(k, C) : std::move(k);
  return TensorDataset(std::move(x), std::move(t));
}

}  // namespace scratch

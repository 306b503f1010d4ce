// synthetic.hpp — small data sets made from random numbers, for gradient checks and quick training.
//
// Argmax set (the seed notebooks' gradient-check data):
//   x (N, D) ~ N(0, 1)            D = 5 features by default
//   t[n]     = argmax_j x[n, j] mod C      C = 3 classes by default
// so the class is a simple function of the features that a small net can learn.
//
// Spiral set ("Deep Learning from Scratch 2", dataset/spiral.py): C arms of P points each in the
// plane. Point i of arm j (rate r = i / P):
//   radius = r,   θ = 4j + 4r + 0.2·ε,  ε ~ N(0, 1)
//   x = (radius·sin θ, radius·cos θ),  t = j
// Arms wind around each other, so no straight line separates the classes: the set shows why a
// hidden layer is needed. Samples come arm by arm (all of class 0, then class 1, …).
//
// Both draw from the Rng they are given, so a seed reproduces them exactly.
#pragma once

#include <cstddef>

#include "core/random.hpp"
#include "data/dataset.hpp"
#include "tensor/labels.hpp"

namespace scratch {

struct ArgmaxSetOptions {
  std::size_t samples = 1000;                 // N
  std::size_t features = 5;                   // D
  std::size_t classes = 3;                    // C
  LabelFormat labels = LabelFormat::kOneHot;  // t (N, C), as in the seed notebook; kIndex: t (N,)
};

// x (N, D), t (N, C) or (N,). Throws ValueError when N, D or C is 0.
TensorDataset make_argmax_set(Rng& rng, ArgmaxSetOptions options = {});

struct SpiralOptions {
  std::size_t points_per_class = 100;         // P
  std::size_t classes = 3;                    // C (the number of arms)
  Scalar noise = 0.2;                         // standard deviation of the angle noise, in radians
  LabelFormat labels = LabelFormat::kOneHot;  // t (C·P, C), as in the book; kIndex: t (C·P,)
};

// x (C·P, 2), t (C·P, C) or (C·P,). Throws ValueError when P or C is 0 or noise is negative or not finite.
TensorDataset make_spiral(Rng& rng, SpiralOptions options = {});

}  // namespace scratch

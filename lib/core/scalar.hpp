// scalar.hpp — the one floating-point type of ScratchNet.
//
// Everything (tensors, layers, optimizers) is written against `scratch::Scalar`. It is `double` by
// default, like NumPy, so that numerical gradient checks are meaningful (central differences lose
// about half the significant digits). The float build is one CMake option:
//   cmake -DSCRATCH_SCALAR=float ...
#pragma once

#ifndef SCRATCH_SCALAR
#define SCRATCH_SCALAR double
#endif

namespace scratch {

using Scalar = SCRATCH_SCALAR;

// True in the float build; tests use it to pick tolerances that fit the precision.
inline constexpr bool kScalarIsFloat = sizeof(Scalar) == sizeof(float);

}  // namespace scratch

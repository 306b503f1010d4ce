// clip.hpp — global-norm gradient clipping, the guard against exploding gradients.
//
// All gradients of a model are treated as one long vector g = (g₁, g₂, …):
//
//   ‖g‖ = √(Σ over parameters p, Σ over elements i of p.grad[i]²)
//   if ‖g‖ > max_norm:   p.grad ← p.grad · max_norm / (‖g‖ + 1e-6)   for every p
//
// Scaling every gradient by the same factor keeps the step's direction and only shortens it, so a
// rare huge gradient (an RNN on a long sequence) cannot throw the weights far away. The 1e-6 keeps
// the factor finite; it leaves the clipped norm a hair below max_norm.
//
// A NaN or infinite norm cannot be clipped into anything meaningful (the NumPy original scaled by
// max_norm / nan, leaving NaN gradients that then poisoned every weight). It is a NumericalError
// that names the first parameter holding a non-finite gradient.
#pragma once

#include <vector>

#include "tensor/param.hpp"

namespace scratch {

// ‖g‖ over the Param::grad of every parameter. The sum of squares is accumulated in double, in a
// fixed order (results do not depend on threads). Throws NumericalError naming the first
// parameter (and element) with a NaN or ±inf gradient, or saying that the sum overflowed.
Scalar grad_norm(const std::vector<ParamPtr>& params);

// Clips as above and returns ‖g‖ before clipping. Throws ValueError when max_norm is not finite
// and > 0, NumericalError as grad_norm. Nothing is modified when it throws.
Scalar clip_grads(const std::vector<ParamPtr>& params, Scalar max_norm);

}  // namespace scratch

// dedup.hpp — merge the gradients of shared parameters (DESIGN.md §3, "Shared weights").
//
// A network may use one Param in several layers (CBOW's context layers share W_in) or use it
// transposed (a tied autoencoder decodes with Wᵀ). Each layer reports its own gradient for each
// use; the chain rule says the total gradient is their sum:
//
//   W.grad = Σ over direct uses of dW  +  Σ over transposed uses of (dWᵀ)ᵀ
//
// Parameters are matched by identity (the same Param object), never by value: two different
// zero-initialised matrices are two parameters even when they hold equal numbers. (The NumPy
// original compared values for the transposed case and merged such look-alikes.)
#pragma once

#include <vector>

#include "layers/param.hpp"

namespace scratch {

// Writes each parameter's total gradient into Param::grad and returns the distinct parameters in
// order of first use. Throws ShapeError when a use's gradient does not fit its parameter.
std::vector<ParamPtr> remove_duplicates(const std::vector<ParamUse>& uses);

}  // namespace scratch

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

#include "tensor/param.hpp"

namespace scratch {

// Writes each parameter's total gradient into Param::grad and returns the distinct parameters in
// order of first use. Throws ShapeError when a use's gradient does not fit its parameter.
//
// Cost: one pass over each use's gradient — a copy for the first use, an addition for the others —
// into Param::grad, which keeps its memory from step to step. A parameter with a single use is
// still copied, not moved or aliased: the layer's own gradient stays valid afterwards (a test or a
// chapter may print it), ParamUse hands it out read-only, and clipping or an optimizer writing
// Param::grad must never reach back into a layer. For the MNIST TwoLayerNet the copy is some 40 000
// numbers per step, a few µs (bench/README.md has the per-phase figures).
std::vector<ParamPtr> remove_duplicates(const std::vector<ParamUse>& uses);

// The same distinct parameters in the same order, without touching any gradient: what a checkpoint
// or a numerical gradient needs. Throws ValueError for a use that holds no parameter.
std::vector<ParamPtr> distinct_params(const std::vector<ParamUse>& uses);

}  // namespace scratch

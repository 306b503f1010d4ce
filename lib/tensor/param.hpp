// param.hpp — a trainable parameter, shared between the layers that use it.
//
// A Param is held through a shared handle (ParamPtr), so two layers can use one weight matrix:
// the CBOW's two context layers share W_in; a tied autoencoder decodes with the encoder's Wᵀ.
// Each layer keeps its *own* gradient for each use; remove_duplicates (train/dedup.hpp) then adds
// the uses of one Param together into Param::grad, which is what optimizers read:
//
//   layer A uses W   → A's dW ─┐
//   layer B uses W   → B's dW ─┼─ remove_duplicates ─→ W.grad = A's dW + B's dW + (C's dWᵀ)ᵀ
//   layer C uses Wᵀ  → C's dWᵀ ─┘
//
// Where the book passes parallel lists `params` and `grads`, a ScratchNet Param carries both its
// value and its total gradient, so the two can never get out of step.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tensor/tensor.hpp"

namespace scratch {

struct Param {
  Param(std::string name, Tensor value);

  std::string name;  // "W1", "b1", … for reports and error messages
  Tensor value;      // the weight itself
  Tensor grad;       // dL/d(value) summed over every use; written by remove_duplicates

  // Unique for the life of the process and never reused (unlike an address): optimizers key their
  // per-parameter state by it.
  std::uint64_t id() const { return id_; }

 private:
  std::uint64_t id_;
};

using ParamPtr = std::shared_ptr<Param>;

ParamPtr make_param(std::string name, Tensor value);

// How a layer uses a parameter: as it is, or transposed (weight tying: y = x · Wᵀ).
enum class Use { kDirect, kTransposed };

// One use of a parameter by one layer, as reported by Layer::params().
struct ParamUse {
  ParamPtr param;
  const Tensor* grad;  // the layer's own gradient for this use: value's shape, or its transpose for kTransposed
  Use use = Use::kDirect;
};

}  // namespace scratch

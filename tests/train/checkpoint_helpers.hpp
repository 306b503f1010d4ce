// checkpoint_helpers.hpp — what the checkpoint, resume and interrupt tests share: a private
// temporary folder, bitwise comparisons, and a snapshot of a model and optimizer to prove that a
// failed load changed nothing.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <fstream>
#include <iterator>

#include "test_util.hpp"

namespace scratch::test {

inline std::vector<unsigned char> read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const fs::path& path, const std::vector<unsigned char>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// Same shape and the same bits in every element (stricter than ==, which equates 0 and −0).
inline bool bitwise_equal(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && std::memcmp(a.data(), b.data(), a.size() * sizeof(Scalar)) == 0;
}

inline bool bitwise_equal(const OptimizerState& a, const OptimizerState& b) {
  if (a.type != b.type || a.steps != b.steps || a.slot_names != b.slot_names || a.slots.size() != b.slots.size())
    return false;
  if (std::memcmp(&a.lr, &b.lr, sizeof(Scalar)) != 0) return false;
  for (std::size_t k = 0; k < a.slots.size(); ++k) {
    if (a.slots[k].size() != b.slots[k].size()) return false;
    for (std::size_t s = 0; s < a.slots[k].size(); ++s)
      if (!bitwise_equal(a.slots[k][s], b.slots[k][s])) return false;
  }
  return true;
}

// Every field of every point, losses bitwise.
inline bool bitwise_equal(const History& a, const History& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const HistoryPoint &p = a.points()[i], &q = b.points()[i];
    if (p.iteration != q.iteration || p.epoch != q.epoch || p.epoch_iter != q.epoch_iter ||
        p.iters_per_epoch != q.iters_per_epoch || p.iterations_averaged != q.iterations_averaged ||
        std::memcmp(&p.loss, &q.loss, sizeof(Scalar)) != 0)
      return false;
  }
  return true;
}

// The values of a model's distinct parameters and its optimizer's state, at one moment.
struct Snapshot {
  Snapshot(const Model& model, const Optimizer& optimizer)
      : params(distinct_params(model)), state(optimizer.export_state(params)) {
    for (const ParamPtr& p : params) values.push_back(p->value);
  }
  // True when the model and the optimizer are bit for bit as they were.
  bool unchanged(const Optimizer& optimizer) const {
    for (std::size_t k = 0; k < params.size(); ++k)
      if (!bitwise_equal(params[k]->value, values[k])) return false;
    return bitwise_equal(optimizer.export_state(params), state);
  }

  std::vector<ParamPtr> params;
  std::vector<Tensor> values;
  OptimizerState state;
};

}  // namespace scratch::test

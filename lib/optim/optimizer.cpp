// optimizer.cpp — see optimizer.hpp.
#include "optim/optimizer.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <unordered_set>

#include "core/parallel.hpp"

namespace scratch {
namespace {

// "W1, b1, W2, b2": names in the order their parameters were created (ids grow), at most 10.
std::string join_names(std::vector<std::pair<std::uint64_t, std::string>> named) {
  std::sort(named.begin(), named.end());
  constexpr std::size_t kMaxNames = 10;
  std::string names;
  for (std::size_t i = 0; i < named.size() && i < kMaxNames; ++i) names += (i ? ", " : "") + named[i].second;
  if (named.size() > kMaxNames) names += concat(", … (", named.size(), " in all)");
  return names;
}

// Throws ValueError unless every pointer is non-null and no parameter is listed twice.
void check_distinct(const std::string& where, const std::vector<ParamPtr>& params) {
  std::unordered_set<std::uint64_t> seen;
  for (const ParamPtr& p : params) {
    if (!p) fail<ValueError>(where, ": the parameter list holds a null ParamPtr");
    if (!seen.insert(p->id()).second)
      fail<ValueError>(where, ": parameter '", p->name, "' is listed twice; pass remove_duplicates(model.params())");
  }
}

// "m, v", or "none" for an optimizer without state (SGD).
std::string slot_list(const std::vector<std::string>& names) {
  if (names.empty()) return "none";
  std::string list;
  for (std::size_t s = 0; s < names.size(); ++s) list += (s ? ", " : "") + names[s];
  return list;
}

// How many of x[0, n) are NaN or ±inf. A count, not an early exit, so the compiler vectorises it;
// |x| <= max is false for NaN as well as for ±inf.
std::size_t count_non_finite(const Scalar* x, std::size_t n) {
  constexpr Scalar kMax = std::numeric_limits<Scalar>::max();
  std::size_t bad = 0;
  for (std::size_t i = 0; i < n; ++i) bad += !(std::fabs(x[i]) <= kMax);
  return bad;
}

// "NaN", "inf" or "-inf" ("nan" and "-nan" are what printf makes of a NaN, depending on its sign bit).
std::string number_text(Scalar x) { return std::isnan(x) ? std::string("NaN") : concat(x); }

// "(12, 7)": where flat element i sits in a tensor of this shape, the way NumPy prints an index.
std::string index_text(const std::vector<std::size_t>& shape, std::size_t i) {
  std::vector<std::size_t> index(shape.size());
  for (std::size_t d = shape.size(); d-- > 0;) {
    index[d] = i % shape[d];
    i /= shape[d];
  }
  return shape_string(index);
}

}  // namespace

Optimizer::Optimizer(std::string name, Scalar lr, std::vector<std::string> slot_names)
    : lr_(lr), name_(std::move(name)), slot_names_(std::move(slot_names)) {
  if (slot_names_.size() > kMaxSlots)
    fail<ValueError>(name_, ": ", slot_names_.size(), " state tensors per parameter, but the update loop holds at most ",
                     kMaxSlots, " (raise Optimizer::kMaxSlots)");
  set_lr(lr);
}

void Optimizer::set_lr(Scalar lr) {
  if (!(std::isfinite(lr) && lr > 0))
    fail<ValueError>(name_, ": the learning rate must be a finite number > 0, got ", lr,
                     " (typical values: 0.01 for SGD, 0.001 for Adam)");
  lr_ = lr;
}

void Optimizer::reset() {
  states_.clear();
  step_states_.clear();
  registered_ = false;
  steps_ = 0;
}

void Optimizer::check_unit_interval(const char* what, Scalar value) const {
  if (!(value >= 0 && value < 1)) fail<ValueError>(name_, ": ", what, " must be in [0, 1), got ", value);
}

void Optimizer::update(const std::vector<ParamPtr>& params) {
  const bool first = !registered_;
  const std::size_t t = steps_ + 1;  // this step's number
  bool in_place = false;
  try {
    collect_states(params, first);
    begin_update(t);
    in_place = within_safe_range(params);
    if (!in_place) compute_next(params, t);
  } catch (...) {
    if (first) states_.clear();  // a rejected first call must not fix the parameter set
    throw;
  }
  registered_ = true;
  if (in_place) {
    apply_in_place(params);
  } else {
    // Every gradient and every result is finite: the new values become the parameters' and the
    // state's, and the old ones the buffers of the next exact step (a swap moves no element).
    for (std::size_t k = 0; k < params.size(); ++k) {
      ParamState& state = *step_states_[k];
      std::swap(params[k]->value, state.next_value);
      for (std::size_t s = 0; s < slot_names_.size(); ++s) std::swap(state.slots[s], state.next_slots[s]);
    }
  }
  steps_ = t;
}

// The fast path's promise. Every rule here moves a value by at most about lr·(|g| + |state|)/ε
// (ε = 1e-7) and squares a gradient at most once, so when the learning rate, every gradient, value
// and state element are finite and at most kSafeMagnitude (1e100 in double, 1e10 in float), every
// result stays finite with a wide margin (1e100 · 1e100 · 1e7 ≪ 1.8e308). Those steps run in place,
// with no copy; a step with anything larger or non-finite takes the exact path (compute_next),
// which reports the first bad gradient or result before anything changes. A new rule that can grow
// faster than that must keep within the same promise.
constexpr Scalar kSafeMagnitude = kScalarIsFloat ? Scalar(1e10) : Scalar(1e100);

// Pass 0: reads every gradient, value and state element once (no writes) and says whether the
// step can run in place (see above). The elements stay in the cache for the pass that follows.
bool Optimizer::within_safe_range(const std::vector<ParamPtr>& params) const {
  if (!(lr_ <= kSafeMagnitude)) return false;
  for (std::size_t k = 0; k < params.size(); ++k) {
    const Param& p = *params[k];
    const ParamState& state = *step_states_[k];
    // g, W and each state tensor: a fixed array, so a training step allocates nothing here.
    const Scalar* arrays[2 + kMaxSlots] = {p.grad.data(), p.value.data()};
    const std::size_t count = 2 + state.slots.size();
    for (std::size_t s = 0; s < state.slots.size(); ++s) arrays[2 + s] = state.slots[s].data();
    std::atomic<bool> safe{true};
    parallel_for_chunks(p.value.size(), kCostOperandElement, [&](std::size_t begin, std::size_t end) {
      std::size_t outside = 0;  // a count, not an early exit, so the loops vectorise
      for (std::size_t a = 0; a < count; ++a)
        for (std::size_t i = begin; i < end; ++i) outside += !(std::fabs(arrays[a][i]) <= kSafeMagnitude);  // NaN too
      if (outside > 0) safe.store(false, std::memory_order_relaxed);
    });
    if (!safe.load()) return false;
  }
  return true;
}

// Pass 1 of the fast path: the rule on each chunk of each parameter, in place.
void Optimizer::apply_in_place(const std::vector<ParamPtr>& params) {
  for (std::size_t k = 0; k < params.size(); ++k) {
    Param& p = *params[k];
    ParamState& state = *step_states_[k];
    Scalar* W = p.value.data();
    const Scalar* g = p.grad.data();
    Scalar* slots[kMaxSlots] = {};
    for (std::size_t s = 0; s < slot_names_.size(); ++s) slots[s] = state.slots[s].data();
    const std::size_t slot_count = slot_names_.size();
    parallel_for_chunks(p.value.size(), kCostOperandElement, [&](std::size_t begin, std::size_t end) {
      Scalar* at[kMaxSlots] = {};
      for (std::size_t s = 0; s < slot_count; ++s) at[s] = slots[s] + begin;
      update_rule(W + begin, g + begin, at, end - begin);
    });
  }
}

// The exact path of update(): for each chunk of each parameter, copies W and its state into the
// parameter's next_* buffers, runs the rule there, and counts the non-finite gradients and
// results while they are still in the cache. Changes no parameter and no state. Throws
// NumericalError for the first non-finite gradient or result (in the order of `params`, then of
// the elements: the same on any number of threads).
void Optimizer::compute_next(const std::vector<ParamPtr>& params, std::size_t t) {
  for (std::size_t k = 0; k < params.size(); ++k) {
    const Param& p = *params[k];
    ParamState& state = *step_states_[k];
    const std::size_t n = p.value.size(), slot_count = slot_names_.size();
    if (state.next_value.shape() != p.value.shape()) {  // first step (or first after import_state)
      state.next_value = Tensor::zeros(p.value.shape());
      state.next_slots.assign(slot_count, Tensor::zeros(p.value.shape()));
    }
    const Scalar* W = p.value.data();
    const Scalar* g = p.grad.data();
    Scalar* W_next = state.next_value.data();
    const Scalar* slots[kMaxSlots] = {};
    Scalar* slots_next[kMaxSlots] = {};
    for (std::size_t s = 0; s < slot_count; ++s) {
      slots[s] = state.slots[s].data();
      slots_next[s] = state.next_slots[s].data();
    }
    std::atomic<std::size_t> first_bad{n};  // the lowest index of a bad element; n: none
    parallel_for_chunks(n, kCostOperandElement, [&](std::size_t begin, std::size_t end) {
      const std::size_t m = end - begin;
      std::copy(W + begin, W + end, W_next + begin);
      Scalar* at[kMaxSlots] = {};
      for (std::size_t s = 0; s < slot_count; ++s) {
        std::copy(slots[s] + begin, slots[s] + end, slots_next[s] + begin);
        at[s] = slots_next[s] + begin;
      }
      update_rule(W_next + begin, g + begin, at, m);
      std::size_t bad = count_non_finite(g + begin, m) + count_non_finite(W_next + begin, m);
      for (std::size_t s = 0; s < slot_count; ++s) bad += count_non_finite(at[s], m);
      if (bad == 0) return;
      std::size_t i = begin;
      while (i < end && !count_non_finite(g + i, 1) && !count_non_finite(W_next + i, 1) &&
             std::none_of(at, at + slot_count, [&](const Scalar* x) { return count_non_finite(x + (i - begin), 1); }))
        ++i;
      std::size_t seen = first_bad.load();
      while (i < seen && !first_bad.compare_exchange_weak(seen, i)) {
      }
    });
    if (first_bad.load() < n) fail_non_finite(p, state, first_bad.load(), t);
  }
}

// The message for element i of p, whose gradient or new value or state (in state.next_*) is not finite.
void Optimizer::fail_non_finite(const Param& p, const ParamState& state, std::size_t i, std::size_t t) const {
  const std::string where = concat(name_, ".update: step ", t, ": ");
  const std::string at_index = index_text(p.value.shape(), i);
  const char* const kHint = "; no parameter was changed. Try a smaller learning rate or gradient clipping";
  const Scalar g = p.grad.data()[i];
  if (count_non_finite(&g, 1))
    fail<NumericalError>(where, "the gradient of '", p.name, "' is ", number_text(g), " at ", at_index, kHint);
  const Scalar W_next = state.next_value.data()[i];
  if (count_non_finite(&W_next, 1))
    fail<NumericalError>(where, "the new value of '", p.name, "' would be ", number_text(W_next), " at ", at_index,
                         " (it is ", p.value.data()[i], ", its gradient ", g, ")", kHint);
  for (std::size_t s = 0; s < slot_names_.size(); ++s) {
    const Scalar next = state.next_slots[s].data()[i];
    if (count_non_finite(&next, 1))
      fail<NumericalError>(where, "the new '", slot_names_[s], "' of '", p.name, "' would be ", number_text(next),
                           " at ", at_index, " (it is ", state.slots[s].data()[i], ", the gradient ", g, ")", kHint);
  }
  fail<NumericalError>(where, "a non-finite number in the update of '", p.name, "' at ", at_index, kHint);
}

// Looks up (or, on the first call, creates) each parameter's state and checks the set; modifies
// nothing but the bookkeeping, so a rejected call leaves every parameter as it was.
void Optimizer::collect_states(const std::vector<ParamPtr>& params, bool first) {
  ++checks_;
  step_states_.clear();
  if (params.empty())
    fail<ValueError>(name_, ".update: got no parameters; pass the model's distinct parameters, "
                            "e.g. update(remove_duplicates(model.params()))");
  for (const ParamPtr& ptr : params) {
    if (!ptr) fail<ValueError>(name_, ".update: the parameter list holds a null ParamPtr");
    const Param& p = *ptr;
    if (p.grad.shape() != p.value.shape())
      fail<ShapeError>(name_, ".update: gradient of '", p.name, "' has shape ", shape_string(p.grad.shape()),
                       " but the parameter has shape ", shape_string(p.value.shape()),
                       "; Param::grad is written by remove_duplicates, call it before update");
    auto it = states_.find(p.id());
    if (it == states_.end()) {
      if (!first)
        fail<ValueError>(name_, ".update: parameter '", p.name, "' (id ", p.id(), ") is not one of the ",
                         states_.size(), " parameters this optimizer was first called with (", known_names(),
                         "); an optimizer's state belongs to one set of parameters: use one optimizer per "
                         "model, or call reset() to start over");
      ParamState fresh;
      fresh.name = p.name;
      for (std::size_t s = 0; s < slot_names_.size(); ++s) fresh.slots.push_back(Tensor::zeros(p.value.shape()));
      it = states_.emplace(p.id(), std::move(fresh)).first;
    } else if (it->second.last_check == checks_) {
      fail<ValueError>(name_, ".update: parameter '", p.name,
                       "' is listed twice; it would be updated twice in one step. Pass the distinct "
                       "parameters: update(remove_duplicates(model.params()))");
    }
    ParamState& state = it->second;
    if (!state.slots.empty() && state.slots[0].shape() != p.value.shape())
      fail<ShapeError>(name_, ".update: parameter '", p.name, "' has shape ", shape_string(p.value.shape()),
                       " but had shape ", shape_string(state.slots[0].shape()),
                       " when its state was created; call reset() after reshaping parameters");
    state.last_check = checks_;
    step_states_.push_back(&state);
  }
  if (step_states_.size() != states_.size()) {
    std::vector<std::pair<std::uint64_t, std::string>> missing;
    for (const auto& [id, state] : states_)
      if (state.last_check != checks_) missing.emplace_back(id, "'" + state.name + "'");
    fail<ValueError>(name_, ".update: got ", step_states_.size(), " of the ", states_.size(),
                     " parameters it was first called with; missing ", join_names(missing),
                     ". Pass every distinct parameter on every step: update(remove_duplicates(model.params()))");
  }
}

OptimizerState Optimizer::export_state(const std::vector<ParamPtr>& params) const {
  const std::string where = name_ + ".export_state";
  check_distinct(where, params);
  if (registered_ && params.size() != states_.size())
    fail<ValueError>(where, ": got ", params.size(), " parameters but the optimizer serves ", states_.size(), " (",
                     known_names(), "); pass the same distinct parameters as to update()");
  OptimizerState state;
  state.type = name_;
  state.lr = lr_;
  state.steps = steps_;
  state.slot_names = slot_names_;
  for (const ParamPtr& p : params) {
    if (!registered_) {  // no update yet: the zeros the first update would start from
      state.slots.emplace_back(slot_names_.size(), Tensor::zeros(p->value.shape()));
      continue;
    }
    const auto it = states_.find(p->id());
    if (it == states_.end())
      fail<ValueError>(where, ": parameter '", p->name, "' is not one of the parameters this optimizer serves (",
                       known_names(), ")");
    state.slots.push_back(it->second.slots);
  }
  return state;
}

void Optimizer::check_state(const std::vector<ParamPtr>& params, const OptimizerState& state,
                            const std::string& where) const {
  if (state.type != name_ || state.slot_names != slot_names_) {
    const std::string holds = concat("it holds ", state.type, " optimizer state (slots: ", slot_list(state.slot_names),
                                     ") but this optimizer is ", name_, " (slots: ", slot_list(slot_names_), ")");
    if (state.type != name_)
      fail<ValueError>(where, ": ", holds, "; load it into the same kind of optimizer that saved it, a ", state.type);
    fail<ValueError>(where, ": ", holds, ": ", state.slot_names.size(), " slots per parameter but ", name_, " keeps ",
                     slot_names_.size());
  }
  if (!(std::isfinite(state.lr) && state.lr > 0))
    fail<ValueError>(where, ": the learning rate must be a finite number > 0, got ", state.lr);
  check_distinct(where, params);
  if (state.slots.size() != params.size())
    fail<ValueError>(where, ": the state holds slots for ", state.slots.size(), " parameters but ", params.size(),
                     " parameters were given");
  for (std::size_t k = 0; k < params.size(); ++k) {
    const Param& p = *params[k];
    if (state.slots[k].size() != slot_names_.size())
      fail<ValueError>(where, ": parameter '", p.name, "' has ", state.slots[k].size(), " slots, expected ",
                       slot_names_.size());
    for (std::size_t s = 0; s < slot_names_.size(); ++s)
      if (state.slots[k][s].shape() != p.value.shape())
        fail<ShapeError>(where, ": slot '", slot_names_[s], "' of parameter '", p.name, "' has shape ",
                         shape_string(state.slots[k][s].shape()), " but the parameter has shape ",
                         shape_string(p.value.shape()));
  }
}

void Optimizer::import_state(const std::vector<ParamPtr>& params, const OptimizerState& state) {
  check_state(params, state, name_ + ".import_state");
  std::unordered_map<std::uint64_t, ParamState> fresh;
  for (std::size_t k = 0; k < params.size(); ++k) {
    ParamState entry;
    entry.name = params[k]->name;
    entry.slots = state.slots[k];
    fresh.emplace(params[k]->id(), std::move(entry));
  }
  // Everything checked: replace the state in one go.
  states_ = std::move(fresh);
  step_states_.clear();
  registered_ = true;
  steps_ = state.steps;
  lr_ = state.lr;
}

std::string Optimizer::known_names() const {
  std::vector<std::pair<std::uint64_t, std::string>> known;
  for (const auto& [id, state] : states_) known.emplace_back(id, state.name);
  return join_names(known);
}

}  // namespace scratch

// optimizer.cpp — see optimizer.hpp.
#include "optim/optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>

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

}  // namespace

Optimizer::Optimizer(std::string name, Scalar lr, std::vector<std::string> slot_names)
    : lr_(lr), name_(std::move(name)), slot_names_(std::move(slot_names)) {
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

const std::vector<Optimizer::ParamState*>& Optimizer::begin_step(const std::vector<ParamPtr>& params) {
  const bool first = !registered_;
  try {
    collect_states(params, first);
  } catch (...) {
    if (first) states_.clear();  // a rejected first call must not fix the parameter set
    throw;
  }
  registered_ = true;
  ++steps_;
  return step_states_;
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

void Optimizer::import_state(const std::vector<ParamPtr>& params, const OptimizerState& state) {
  const std::string where = name_ + ".import_state";
  if (state.type != name_)
    fail<ValueError>(where, ": the state belongs to a ", state.type, " optimizer, not to ", name_,
                     "; create the same kind of optimizer that saved it");
  if (state.slot_names != slot_names_)
    fail<ValueError>(where, ": the state has ", state.slot_names.size(), " slots per parameter but ", name_,
                     " keeps ", slot_names_.size());
  if (!(std::isfinite(state.lr) && state.lr > 0))
    fail<ValueError>(where, ": the learning rate must be a finite number > 0, got ", state.lr);
  check_distinct(where, params);
  if (state.slots.size() != params.size())
    fail<ValueError>(where, ": the state holds slots for ", state.slots.size(), " parameters but ", params.size(),
                     " parameters were given");
  std::unordered_map<std::uint64_t, ParamState> fresh;
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
    ParamState entry;
    entry.name = p.name;
    entry.slots = state.slots[k];
    fresh.emplace(p.id(), std::move(entry));
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

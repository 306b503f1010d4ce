// optimizer.hpp — the contract every optimizer follows, and the per-parameter state they share.
//
// An optimizer takes the *distinct* parameters of a model after remove_duplicates (train/dedup.hpp)
// and moves each value against its total gradient:
//
//   params = remove_duplicates(model.params());   // writes Param::grad = Σ over uses
//   optimizer.update(params);                      // W ← W − (a step computed from W.grad)
//
// Stateful optimizers remember something per parameter between steps (Momentum a velocity v,
// AdaGrad/RMSprop a sum of squares h, Adam the moments m and v). That state belongs to the
// parameter's identity, Param::id(), which is unique for the life of the process:
//   - not to a list position: a model that lists its parameters in another order still gets each
//     velocity applied to the right weight (the book's `self.v[i]` would silently mix them up);
//   - not to a memory address: a freed parameter's address can be reused by a new one.
// An optimizer serves one set of parameters, fixed by its first update. Passing a different set
// later (a parameter it has never seen, or one that is missing, or one listed twice) is almost
// always a bug — the wrong model, or gradients not de-duplicated — so it is a ValueError that
// names the parameter; reset() starts over deliberately.
//
// The base owns the loop (as DeZero's Optimizer.update owns the loop around update_one): update()
// checks the parameter set, finds each parameter's state, counts the step, and runs the
// subclass's update rule over each parameter's elements in chunks (on several threads for a large
// parameter; every element on its own, so the result does not depend on the thread count). A
// subclass writes only update_rule: the book's few lines over a range of one parameter's
// elements.
//
// Non-finite numbers stop an update before it changes anything. A NaN or infinite gradient, or a
// finite one whose step would overflow (SGD with lr 1e100 takes W − lr·g to ±inf), poisons every
// later step; the books' code then prints `loss nan` for the rest of the run. update() therefore
// first reads every gradient, value and state element (no writes). When all of them, and the
// learning rate, are finite and of a size no rule can overflow from (optimizer.cpp,
// kSafeMagnitude), the rules run in place — every ordinary training step. Otherwise the step
// takes the exact path: each parameter's new value and state are computed into buffers of its own
// (a copy of W and the state, then the rule on the copy, chunk by chunk while it is in the cache),
// every gradient and result is checked, and only then are the new tensors swapped in (moving no
// element). A NumericalError names the optimizer, the step, the parameter and the element, and
// leaves every parameter and every state exactly as it was.
//
// For checkpoints (train/checkpoint.hpp) the state leaves and re-enters the optimizer as an
// OptimizerState keyed to a parameter *list*: export_state(params).slots[k] belongs to params[k].
// A checkpoint stores it beside the parameters in the same order, so loading it into a fresh
// optimizer for a freshly built model restores each velocity to the right weight.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "tensor/param.hpp"

namespace scratch {

// An optimizer's complete state, keyed to a parameter list: slots[k] belongs to params[k].
struct OptimizerState {
  std::string type;                        // Optimizer::name(), e.g. "Adam"
  Scalar lr = 0;                           // the learning rate now (a schedule may have changed it)
  std::size_t steps = 0;                   // update() calls so far: Adam's t
  std::vector<std::string> slot_names;     // what each parameter remembers: {"m", "v"} for Adam, {} for SGD
  std::vector<std::vector<Tensor>> slots;  // slots[k][s]: slot s of params[k], shaped like its value
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;

  // Type name for messages and reports, e.g. "Adam".
  const std::string& name() const { return name_; }

  // One step on every parameter in `params`, reading p->grad and writing p->value in place.
  // `params` must hold each parameter once (use remove_duplicates) and the same set on every call;
  // the order may change. Throws ValueError (set changed, duplicate, null), ShapeError (a grad
  // whose shape is not its value's) or NumericalError (a non-finite gradient, or a step whose new
  // value or state would not be finite) before any parameter or state is modified.
  void update(const std::vector<ParamPtr>& params);

  Scalar lr() const { return lr_; }
  // A new learning rate for the following steps (learning-rate schedules); must be finite and > 0.
  void set_lr(Scalar lr);

  // Completed update() calls since construction or reset().
  std::size_t steps() const { return steps_; }

  // Forgets the parameter set and all per-parameter state: the next update starts afresh.
  void reset();

  // The names of the state tensors each parameter gets, e.g. {"m", "v"} for Adam.
  const std::vector<std::string>& slot_names() const { return slot_names_; }

  // The state for `params` (each once, non-null), in their order. Before the first update every
  // slot is zero, as the first update would create it. Afterwards `params` must be exactly the set
  // the optimizer serves (any order); otherwise ValueError names the parameter.
  OptimizerState export_state(const std::vector<ParamPtr>& params) const;

  // Replaces all state by `state`, whose slots[k] become params[k]'s; fixes the parameter set to
  // `params`, as a first update would. Checks everything first with check_state and throws
  // ValueError or ShapeError without changing anything when a check fails.
  void import_state(const std::vector<ParamPtr>& params, const OptimizerState& state);

  // Whether `state` fits this optimizer and `params` — the one judgement import_state makes, for
  // callers that must know before they change anything else (load_checkpoint): type and slot
  // names equal this optimizer's, lr finite and > 0, params distinct and non-null, one slot list
  // per parameter, every tensor shaped like its parameter's value. Throws ValueError or ShapeError
  // whose message starts with `where` (e.g. "Adam.import_state", "checkpoint \"run.ckpt\"");
  // changes nothing.
  void check_state(const std::vector<ParamPtr>& params, const OptimizerState& state, const std::string& where) const;

 protected:
  // What an optimizer remembers about one parameter.
  struct ParamState {
    std::string name;             // for messages: the parameter's name when it was first seen
    std::vector<Tensor> slots;    // one tensor per slot name, of the value's shape, zero at first
    Tensor next_value;                // update()'s new W and state, computed and checked here first,
    std::vector<Tensor> next_slots;   // then swapped with value and slots; created by the first update
    std::uint64_t last_check = 0; // the update call that last saw it (finds duplicates and missing ones)
  };

  // slot_names: the tensors of state each parameter needs ({} for SGD, {"m", "v"} for Adam).
  // Throws ValueError when lr is not finite and > 0.
  Optimizer(std::string name, Scalar lr, std::vector<std::string> slot_names);

  // The most state tensors an optimizer keeps per parameter (Adam's m and v).
  static constexpr std::size_t kMaxSlots = 2;

  // Called once per update, after the checks of the parameter set and before any element is
  // touched, with t = the number this step will have (1 on the first update): Adam computes its
  // bias-corrected lr_t here. Must not depend on anything but t and the hyperparameters.
  virtual void begin_update(std::size_t t) { (void)t; }

  // The update rule on elements [0, n) of one parameter: W its value, g its gradient, slots[s]
  // its state tensor s (in slot_names order), all offset to the same first element. Called once
  // per chunk of about a thousand elements, in place or (on the exact path) on copies of W and the
  // state that update() swaps in when every result is finite, possibly from several threads at
  // once: it must read only its arguments and the optimizer's hyperparameters, and write only
  // W[0, n) and slots[s][0, n). Copy the
  // hyperparameters into locals first, so the compiler knows the writes cannot change them and
  // vectorises the loop.
  virtual void update_rule(Scalar* W, const Scalar* g, Scalar* const* slots, std::size_t n) const = 0;

  // Throws ValueError "<name>: <what> must be in [0, 1), got <value>" unless 0 <= value < 1.
  void check_unit_interval(const char* what, Scalar value) const;

  Scalar lr_;

 private:
  void collect_states(const std::vector<ParamPtr>& params, bool first);
  bool within_safe_range(const std::vector<ParamPtr>& params) const;
  void apply_in_place(const std::vector<ParamPtr>& params);
  void compute_next(const std::vector<ParamPtr>& params, std::size_t t);
  [[noreturn]] void fail_non_finite(const Param& p, const ParamState& state, std::size_t i, std::size_t t) const;
  std::string known_names() const;

  std::string name_;
  std::vector<std::string> slot_names_;
  std::size_t steps_ = 0;
  std::uint64_t checks_ = 0;  // update calls that checked the parameter set, including rejected ones
  bool registered_ = false;   // whether the parameter set is fixed (after the first good update)
  std::unordered_map<std::uint64_t, ParamState> states_;  // keyed by Param::id()
  std::vector<ParamState*> step_states_;
};

}  // namespace scratch

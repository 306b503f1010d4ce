// layer.hpp — the contract every layer follows (DESIGN.md §3), and the base that keeps it.
//
//   y  = layer.forward(x)      caches exactly what backward needs
//   dx = layer.backward(dout)  dout = dL/dy (shape of y) → dx = dL/dx (shape of x), and writes the
//                              layer's gradient for each parameter it uses
//
// Neither call modifies its argument (the book's ReLU backward overwrote dout in place, a bug
// that corrupts any other branch reading the same gradient). Loss layers end a network: they
// take the labels and return a number.
//
// The base owns the bookkeeping, a layer owns its formula (STYLE.md §12). The public, non-virtual
// forward/backward around a subclass's forward_impl/backward_impl:
//   - refuse a backward before any forward, and after a forward that threw;
//   - record x's and y's shapes, check that dout is shaped like y, and hand dx back in x's shape;
//   - for a layer that computes on (N, D) matrices (InputView::kMatrix, e.g. Affine), show
//     forward_impl x as a matrix: one sample (D,) becomes (1, D) and its y (1, M) comes back as
//     (M,); an image batch (N, C, H, W) becomes (N, C·H·W) and dx comes back (N, C, H, W);
//   - keep each parameter use's gradient: a layer registers every use of a parameter once, in its
//     constructor (use_param, direct or transposed), writes that gradient in backward_impl, and
//     params() reports the uses. remove_duplicates (train/dedup.hpp) then adds the uses of one
//     Param together; a layer never writes Param::grad itself.
//
// What later layers need is part of the contract too:
//   - Mode. Dropout and BatchNormalization behave differently when training and when predicting.
//     A model sets the mode on all its layers (Model::set_mode); predict/accuracy run in
//     Mode::kInference, the Trainer in Mode::kTrain. A layer reads mode() in forward_impl.
//   - Buffers. Non-trainable state that belongs in a checkpoint (BatchNorm's running mean and
//     variance) is registered with register_buffer and reported by buffers().
//   - Inputs that are not float matrices. InputView::kAsIs hands x over untouched: word ids for an
//     Embedding (whole numbers stored as Scalars), (N, C, H, W) for a convolution, (N, T, D) for a
//     time layer. A time layer that carries its hidden state from call to call overrides
//     reset_state().
//   - Several parameters. A layer registers as many uses as it has parameters (LSTM: Wx, Wh, b).
//   - Whether dx is needed. The first layer of a network need not compute dL/dx (nobody reads the
//     gradient with respect to the input images; for Affine it is a whole (N, D) product). A model
//     decides this once when it is built (set_input_grad); with InputGrad::kSkip, backward returns
//     an empty tensor and backward_impl may skip the product (needs_input_grad()).
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "tensor/param.hpp"
#include "tensor/tensor.hpp"

namespace scratch {

// Whether backward must compute dx (see above).
enum class InputGrad { kCompute, kSkip };

// Training or inference. Dropout and BatchNormalization behave differently in the two: a model sets
// the mode on all its layers (Model::set_mode); predict/accuracy run in inference mode, the Trainer
// in training mode. Layers start in training mode.
enum class Mode { kTrain, kInference };

// How the base shows x to forward_impl (see above).
enum class InputView {
  kAsIs,    // x as the caller passed it; dout and dx in y's and x's own shapes
  kMatrix,  // x as an (N, D) matrix, y and dout (N, M); 1-d and N-d inputs are converted by the base
};

// A non-trainable tensor a layer keeps between calls that belongs in a checkpoint (BatchNorm's
// running mean and variance). The name is unique within its model ("bn1/running_mean").
struct Buffer {
  std::string name;
  Tensor* value;
};

class Layer {
 public:
  virtual ~Layer() = default;
  // A layer hands out pointers to its own gradients and buffers: it is never copied or moved.
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;

  // Type name for messages and summaries, e.g. "Affine".
  virtual std::string name() const = 0;

  // y = f(x). Throws ShapeError when x does not fit the layer (the message names x's shape).
  Tensor forward(const Tensor& x);

  // dout (the last y's shape) → dx (the last x's shape), or an empty tensor under InputGrad::kSkip;
  // writes this layer's gradient for each parameter use. Throws ValueError before any forward (or
  // after a forward that threw), ShapeError when dout is not shaped like y.
  Tensor backward(const Tensor& dout);

  // Every parameter this layer uses, with this layer's gradient for it (valid after backward).
  std::vector<ParamUse> params() const;
  // The layer's non-trainable state (empty for most layers).
  const std::vector<Buffer>& buffers() const { return buffers_; }

  void set_mode(Mode mode) { mode_ = mode; }
  Mode mode() const { return mode_; }

  // Set once, when a model is built: the first layer of a network skips dx.
  void set_input_grad(InputGrad mode) { input_grad_ = mode; }
  InputGrad input_grad() const { return input_grad_; }

  // Forgets state carried from one forward to the next (time layers' hidden state); most layers have none.
  virtual void reset_state() {}

 protected:
  // op: the name every message of this layer starts with ("affine"); view: see InputView.
  explicit Layer(std::string op, InputView view = InputView::kAsIs);

  // The layer's math. forward_impl sees x as InputView says; backward_impl gets a dout already
  // checked against y (as an (N, M) matrix under kMatrix) and returns dx in the shape forward_impl saw x.
  virtual Tensor forward_impl(const Tensor& x) = 0;
  virtual Tensor backward_impl(const Tensor& dout) = 0;

  // Registers one use of `param` (of its value as it is, or transposed: weight tying) and returns the
  // gradient tensor for it, zero and shaped like the matrix the layer uses (value's shape, or its
  // transpose). The tensor lives as long as the layer; backward_impl overwrites it. Call in the
  // constructor, once per use.
  Tensor& use_param(ParamPtr param, Use use = Use::kDirect);

  // Registers a non-trainable tensor of the layer's (a member) under `name`, for checkpoints.
  void register_buffer(std::string name, Tensor& value);

  bool needs_input_grad() const { return input_grad_ == InputGrad::kCompute; }

  // x's shape as the caller passed it to the current (or last) forward, for messages and shapes.
  const Shape& input_shape() const { return x_shape_; }

  // The start of every message: "affine".
  const std::string& op() const { return op_; }

 private:
  struct UseSlot {
    ParamPtr param;
    Use use;
    Tensor grad;  // this use's gradient: the used matrix's shape
  };

  std::string op_;
  InputView view_;
  InputGrad input_grad_ = InputGrad::kCompute;
  Mode mode_ = Mode::kTrain;
  std::deque<UseSlot> uses_;  // a deque: the gradients handed out by use_param never move
  std::vector<Buffer> buffers_;
  Shape x_shape_, y_shape_;  // of the last forward
  Tensor x_matrix_;          // kMatrix: an N-d x as (N, D), reusing its memory from call to call
  bool has_forward_ = false;
};

// A layer that ends the network with a loss: scores and labels in, one number out.
//
// The same split as Layer: the public forward/backward refuse a backward before a forward (or after
// one that threw) and give dx back in x's shape; a loss writes forward_impl/backward_impl.
class LossLayer {
 public:
  virtual ~LossLayer() = default;
  LossLayer(const LossLayer&) = delete;
  LossLayer& operator=(const LossLayer&) = delete;

  virtual std::string name() const = 0;

  // x: scores; t: labels or targets (each loss says which shapes). Returns the loss averaged over the batch.
  Scalar forward(const Tensor& x, const Tensor& t);

  // dL/dx for the last forward, scaled by dout; already divided by the batch size. x's shape.
  Tensor backward(Scalar dout = 1);

 protected:
  explicit LossLayer(std::string op) : op_(std::move(op)) {}

  virtual Scalar forward_impl(const Tensor& x, const Tensor& t) = 0;
  virtual Tensor backward_impl(Scalar dout) = 0;

  const std::string& op() const { return op_; }

 private:
  std::string op_;
  Shape x_shape_;
  bool has_forward_ = false;
};

}  // namespace scratch

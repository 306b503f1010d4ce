// sequential.cpp — see sequential.hpp.
#include "models/sequential.hpp"

#include <algorithm>
#include <cmath>

#include "data/batches.hpp"
#include "tensor/labels.hpp"

namespace scratch {

LossLayer& Sequential::loss_layer() {
  if (!loss_) fail<ValueError>("Sequential: no loss layer set (call set_loss before computing a loss)");
  return *loss_;
}

void Sequential::set_input_grad(InputGrad mode) {
  input_grad_ = mode;
  if (!layers_.empty()) layers_.front()->set_input_grad(mode);
}

void Sequential::set_mode(Mode mode) {
  Model::set_mode(mode);
  for (const auto& layer : layers_) layer->set_mode(mode);
}

Tensor Sequential::run(const Tensor& x) {
  if (layers_.empty()) fail<ValueError>("Sequential::predict: the network has no layers");
  Tensor y = layers_.front()->forward(x);
  for (std::size_t i = 1; i < layers_.size(); ++i) y = layers_[i]->forward(y);
  return y;
}

Tensor Sequential::predict(const Tensor& x) {
  const Mode was = mode();
  set_mode(Mode::kInference);
  try {
    Tensor y = run(x);
    set_mode(was);
    return y;
  } catch (...) {
    set_mode(was);
    throw;
  }
}

Scalar Sequential::forward(const Tensor& x, const Tensor& t) { return loss_layer().forward(run(x), t); }

void Sequential::backward() {
  Tensor dout = loss_layer().backward(1);
  for (std::size_t i = layers_.size(); i-- > 0;) dout = layers_[i]->backward(dout);
}

std::vector<Buffer> Sequential::buffers() const {
  std::vector<Buffer> all;
  for (std::size_t i = 0; i < layers_.size(); ++i)
    for (const Buffer& b : layers_[i]->buffers()) all.push_back({concat(layers_[i]->name(), i + 1, "/", b.name), b.value});
  return all;
}

std::vector<ParamUse> Sequential::params() const {
  std::vector<ParamUse> uses;
  for (const auto& layer : layers_)
    for (ParamUse& use : layer->params()) uses.push_back(std::move(use));
  return uses;
}

Scalar accuracy_of(const Tensor& scores, const Tensor& t) {
  if (scores.ndim() != 2) fail<ShapeError>("accuracy: scores must be (N, C), got ", shape_string(scores.shape()));
  const std::size_t n = scores.shape()[0], classes = scores.shape()[1];
  const bool one_hot = t.ndim() == 2;
  if (t.ndim() == 0 || t.ndim() > 2 || t.shape()[0] != n || (one_hot && t.shape()[1] != classes))
    fail<ShapeError>("accuracy: scores have shape ", shape_string(scores.shape()), " but labels have shape ",
                     shape_string(t.shape()), " (expected (", n, ",) indices or (", n, ", ", classes, ") one-hot)");
  if (n == 0) fail<ShapeError>("accuracy: the batch is empty");
  if (classes == 0)
    fail<ShapeError>("accuracy: scores have shape ", shape_string(scores.shape()), ", i.e. no classes to choose from");
  // An index outside [0, C) can never equal a prediction: it would silently count as wrong.
  if (!one_hot)
    check_class_indices("accuracy", t, classes, "label t", [&] {
      return concat("since the scores ", shape_string(scores.shape()), " have ", classes, " classes");
    });
  const Tensor predicted = scores.argmax(1);
  const Tensor truth = one_hot ? t.argmax(1) : t;
  std::size_t correct = 0;
  for (std::size_t i = 0; i < n; ++i) correct += predicted[i] == truth[i] ? 1 : 0;
  return static_cast<Scalar>(correct) / static_cast<Scalar>(n);
}

Scalar Sequential::accuracy(const Tensor& x, const Tensor& t) { return accuracy_of(predict(x), t); }

Scalar Sequential::accuracy(const Dataset& data, std::size_t batch_size) {
  if (batch_size == 0) fail<ValueError>("accuracy: batch_size must be positive");
  const std::size_t n = data.size();
  if (n == 0) fail<ValueError>("accuracy: the data set is empty");
  // In stored order, every sample once; a data set smaller than one batch is one batch.
  MiniBatches batches(data, std::min(batch_size, n), global_rng(), {Shuffle::kNone, LastBatch::kKeep});
  double correct = 0;
  while (batches.next())
    correct += accuracy_of(predict(batches.x()), batches.t()) * static_cast<double>(batches.x().shape()[0]);
  return static_cast<Scalar>(correct / static_cast<double>(n));
}

std::string Sequential::summary() const {
  std::string s;
  for (const auto& layer : layers_) s += (s.empty() ? "" : " → ") + layer->name();
  if (loss_) s += (s.empty() ? "" : " → ") + loss_->name();
  return s;
}

}  // namespace scratch

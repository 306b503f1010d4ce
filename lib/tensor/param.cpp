// param.cpp — see param.hpp.
#include "tensor/param.hpp"

#include <atomic>

namespace scratch {
namespace {
std::atomic<std::uint64_t> next_param_id{1};
}  // namespace

Param::Param(std::string name_, Tensor value_)
    : name(std::move(name_)), value(std::move(value_)), grad(Tensor::zeros(value.shape())), id_(next_param_id++) {}

ParamPtr make_param(std::string name, Tensor value) { return std::make_shared<Param>(std::move(name), std::move(value)); }

}  // namespace scratch

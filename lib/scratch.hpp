// scratch.hpp — everything a chapter or a user program needs, in one include.
#pragma once

#include "core/cli.hpp"
#include "core/errors.hpp"
#include "core/parallel.hpp"
#include "core/paths.hpp"
#include "core/random.hpp"
#include "core/scalar.hpp"
#include "core/timer.hpp"
#include "layers/layer.hpp"
#include "layers/param.hpp"
#include "models/model.hpp"
#include "tensor/matmul.hpp"
#include "tensor/ops.hpp"
#include "tensor/storage.hpp"
#include "tensor/tensor.hpp"
#include "train/dedup.hpp"
#include "train/gradient_check.hpp"

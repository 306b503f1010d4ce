// checkpoint.hpp — saving training to disk and taking it up again: a model's parameters, its
// optimizer's state and (for a Trainer) everything needed to continue a run as if it had never
// stopped.
//
//   save_checkpoint("run.ckpt", model, optimizer);   // atomically: the old file survives a crash
//   load_checkpoint("run.ckpt", model, optimizer);   // all or nothing
//
// Parameters are identified by their position in distinct_params(model) — the order of
// remove_duplicates(model.params()), a shared weight stored once — and checked by name and shape;
// the model's buffers (Model::buffers(): BatchNorm's running statistics, say) likewise, in order.
//
// Loading reads and checks the *whole* file into temporaries first, then copies. A file that is
// not a checkpoint, of another format version, of another Scalar type, corrupt (CRC-32) or
// truncated is a FormatError; one that is fine but holds a different model (parameter or buffer
// count, names or shapes) is a ShapeError; one saved from another kind of optimizer is a ValueError. Every
// message names the path, what was expected and what was found, and after any error the model and
// the optimizer are exactly as they were.
//
// A float checkpoint is not loaded into a double build (nor the reverse): a resumed run could not
// repeat the original bit for bit, and narrowing would lose digits silently. The error says which
// SCRATCH_SCALAR build reads the file.
//
// ---- file format, version 2 ----
// Little-endian throughout; the types are defined in checkpoint_io.hpp (string = u32 length + bytes;
// tensor = string name, u32 ndim, ndim × u64 dims, row-major data as `scalar`s). P parameters, K
// buffers, each optimizer parameter has S slots.
//
//   offset  bytes  field
//   0       8      magic "SNETCKPT"
//   8       4      u32 format version (2)
//   12      4      u32 scalar size: 8 (double build) or 4 (float build); `scalar` below has this size
//   16      8      u64 total file size in bytes, this header and the checksum included
//   24             parameters   u64 P; P × tensor (name = Param::name)
//                  buffers      u64 K; K × tensor (name = Buffer::name, in Model::buffers() order)
//                  optimizer    string type ("Adam"); scalar lr; u64 steps; u32 S; S × string slot name;
//                               P × S tensors (parameter k's slots in order, named "<param>/<slot>")
//                  trainer      u8 present (0 or 1); if 1, the TrainerState (trainer.hpp):
//                                 u64 completed epochs (< 2³¹ − 1); u64 completed iterations
//                                   (< 2⁶⁴ − 1); string RNG state of the shuffling engine;
//                                 stats: u64 param_uses, u64 distinct_params, u64 clipped_updates,
//                                        scalar max_grad_norm;
//                                 f64 sum of losses since the last history point; u64 their count;
//                                 unfinished epoch (BatchPosition, data/batches.hpp): u64 samples N,
//                                   u64 batch size, u64 next batch, u64 length (N, or 0 between
//                                   epochs) + that many u64: the order;
//                                 history: u64 count; count × (u64 iteration, u64 epoch, u64 epoch_iter,
//                                   u64 iters_per_epoch, u64 iterations_averaged, scalar loss)
//   size−4  4      u32 CRC-32 (zlib's crc32) of every byte before it
//
// Version 1 (still read): no buffers section, and stats began with a u64 count of updates, which
// always equalled the completed iterations and is skipped. Files are always written as version 2.
//
// Checks on load, in this order: magic, size ≥ header, version, scalar size, total size = file
// size (truncation or trailing bytes), CRC-32, then a bounds-checked parse that must end exactly at
// the checksum (counts a trainer could not go on from, such as an epoch of 2³¹ − 1, are refused
// there), then the fit to the model and optimizer.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/paths.hpp"
#include "models/model.hpp"
#include "optim/optimizer.hpp"
#include "train/history.hpp"
#include "train/trainer.hpp"

namespace scratch {

inline constexpr char kCheckpointMagic[8] = {'S', 'N', 'E', 'T', 'C', 'K', 'P', 'T'};
inline constexpr std::uint32_t kCheckpointVersion = 2;  // written; versions 1 … 2 are read

struct NamedTensor {
  std::string name;
  Tensor value;
};

// A checkpoint file's whole content, parsed.
struct Checkpoint {
  std::vector<NamedTensor> params;   // in distinct_params(model) order
  std::vector<NamedTensor> buffers;  // in model.buffers() order
  OptimizerState optimizer;          // slots[k] belongs to params[k]
  std::optional<TrainerState> trainer;
  std::string rng;  // with a trainer: Rng::state() of its shuffling engine
};

// The model's distinct parameters in order of first use — the order remove_duplicates returns —
// without touching any gradient (remove_duplicates writes Param::grad and needs a backward first).
std::vector<ParamPtr> distinct_params(const Model& model);

// The model's parameters and buffers and the optimizer's state, copied into a Checkpoint (no
// trainer section).
Checkpoint make_checkpoint(const Model& model, const Optimizer& optimizer);

// Writes `checkpoint` to `path` with write_file_atomically: a failure at any point leaves the
// previous file intact and no temporary behind. Throws IoError naming the path.
void write_checkpoint(const fs::path& path, const Checkpoint& checkpoint);

// Reads and checks the file's format (everything up to the fit to a model). Throws IoError when it
// cannot be read, FormatError as described above.
Checkpoint read_checkpoint(const fs::path& path);

// Throws ShapeError / ValueError unless `checkpoint` fits the model's parameters and buffers (count,
// names, shapes) and `optimizer`; `path` is for the messages. Changes nothing.
void check_fits(const Checkpoint& checkpoint, const Model& model, const Optimizer& optimizer, const fs::path& path);

// Copies the parameters, buffers and optimizer state of a checkpoint that passed check_fits.
void restore(const Checkpoint& checkpoint, const Model& model, Optimizer& optimizer);

// make_checkpoint + write_checkpoint: the model's distinct parameters and buffers and the
// optimizer's state (no trainer section).
void save_checkpoint(const fs::path& path, const Model& model, const Optimizer& optimizer);

// read_checkpoint + check_fits + restore: all or nothing. A trainer section, if any, is ignored
// (Trainer::resume reads it).
void load_checkpoint(const fs::path& path, Model& model, Optimizer& optimizer);

}  // namespace scratch

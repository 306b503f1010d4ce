// checkpoint.hpp — saving training to disk and taking it up again: a model's parameters, its
// optimizer's state and (for a Trainer) everything needed to continue a run as if it had never
// stopped.
//
//   save_checkpoint("run.ckpt", model, optimizer);   // atomically: the old file survives a crash
//   load_checkpoint("run.ckpt", model, optimizer);   // all or nothing
//
// Parameters are identified by their position in distinct_params(model) — the order of
// remove_duplicates(model.params()), a shared weight stored once — and checked by name and shape.
//
// Loading reads and checks the *whole* file into temporaries first, then copies. A file that is
// not a checkpoint, of another format version, of another Scalar type, corrupt (CRC-32) or
// truncated is a FormatError; one that is fine but holds a different model (parameter count, names
// or shapes) is a ShapeError; one saved from another kind of optimizer is a ValueError. Every
// message names the path, what was expected and what was found, and after any error the model and
// the optimizer are exactly as they were.
//
// A float checkpoint is not loaded into a double build (nor the reverse): a resumed run could not
// repeat the original bit for bit, and narrowing would lose digits silently. The error says which
// SCRATCH_SCALAR build reads the file.
//
// ---- file format, version 1 ----
// Little-endian throughout; the types are defined in checkpoint_io.hpp (string = u32 length + bytes;
// tensor = string name, u32 ndim, ndim × u64 dims, row-major data as `scalar`s). P parameters, each
// optimizer parameter has S slots.
//
//   offset  bytes  field
//   0       8      magic "SNETCKPT"
//   8       4      u32 format version (1)
//   12      4      u32 scalar size: 8 (double build) or 4 (float build); `scalar` below has this size
//   16      8      u64 total file size in bytes, this header and the checksum included
//   24             parameters   u64 P; P × tensor (name = Param::name)
//                  optimizer    string type ("Adam"); scalar lr; u64 steps; u32 S; S × string slot name;
//                               P × S tensors (parameter k's slots in order, named "<param>/<slot>")
//                  trainer      u8 present (0 or 1); if 1:
//                                 u64 completed epochs; u64 completed iterations; string RNG state;
//                                 stats: u64 updates, u64 param_uses, u64 distinct_params,
//                                        u64 clipped_updates, scalar max_grad_norm;
//                                 f64 sum of losses since the last history point; u64 their count;
//                                 unfinished epoch: u64 samples N, u64 batch size, u64 next iteration,
//                                   u64 length (N, or 0 between epochs) + that many u64: the order;
//                                 history: u64 count; count × (u64 iteration, u64 epoch, u64 epoch_iter,
//                                   u64 iters_per_epoch, u64 iterations_averaged, scalar loss)
//   size−4  4      u32 CRC-32 (zlib's crc32) of every byte before it
//
// Checks on load, in this order: magic, size ≥ header, version, scalar size, total size = file
// size (truncation or trailing bytes), CRC-32, then a bounds-checked parse that must end exactly at
// the checksum, then the fit to the model and optimizer.
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
inline constexpr std::uint32_t kCheckpointVersion = 1;

struct NamedTensor {
  std::string name;
  Tensor value;
};

// What a Trainer adds to a checkpoint: where it is in training, down to the iteration.
struct TrainerState {
  int epoch = 0;              // completed epochs
  std::size_t iteration = 0;  // completed updates
  std::string rng;            // Rng::state() of the shuffling engine
  TrainerStats stats;
  double total_loss = 0;       // sum of the losses since the last history point
  std::size_t loss_count = 0;  // how many
  // The epoch in progress when the checkpoint was taken: its shuffled order (empty between
  // epochs), next iteration (0-based), and the sample count and batch size they were made for.
  std::size_t samples = 0, batch_size = 0, next_iter = 0;
  std::vector<std::size_t> order;
  History history;
};

// A checkpoint file's whole content, parsed.
struct Checkpoint {
  std::vector<NamedTensor> params;  // in distinct_params(model) order
  OptimizerState optimizer;         // slots[k] belongs to params[k]
  std::optional<TrainerState> trainer;
};

// The model's distinct parameters in order of first use — the order remove_duplicates returns —
// without touching any gradient (remove_duplicates writes Param::grad and needs a backward first).
std::vector<ParamPtr> distinct_params(const Model& model);

// Writes `checkpoint` to `path` with write_file_atomically: a failure at any point leaves the
// previous file intact and no temporary behind. Throws IoError naming the path.
void write_checkpoint(const fs::path& path, const Checkpoint& checkpoint);

// Reads and checks the file's format (everything up to the fit to a model). Throws IoError when it
// cannot be read, FormatError as described above.
Checkpoint read_checkpoint(const fs::path& path);

// Throws ShapeError / ValueError unless `checkpoint` fits `params` (distinct_params order) and
// `optimizer`; `path` is for the messages. Changes nothing.
void check_fits(const Checkpoint& checkpoint, const std::vector<ParamPtr>& params, const Optimizer& optimizer,
                const fs::path& path);

// Copies the parameters and optimizer state of a checkpoint that passed check_fits.
void restore(const Checkpoint& checkpoint, const std::vector<ParamPtr>& params, Optimizer& optimizer);

// The model's distinct parameters and the optimizer's state (no trainer section).
void save_checkpoint(const fs::path& path, const Model& model, const Optimizer& optimizer);

// read_checkpoint + check_fits + restore: all or nothing. A trainer section, if any, is ignored
// (Trainer::resume reads it).
void load_checkpoint(const fs::path& path, Model& model, Optimizer& optimizer);

}  // namespace scratch

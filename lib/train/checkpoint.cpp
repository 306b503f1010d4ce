// checkpoint.cpp — see checkpoint.hpp for the format; the bytes themselves are in checkpoint_io.cpp.
#include "train/checkpoint.hpp"

#include <zlib.h>

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <limits>
#include <sstream>

#include "train/checkpoint_io.hpp"
#include "train/dedup.hpp"

namespace scratch {
namespace {

constexpr std::size_t kHeaderSize = 24;  // magic, version, scalar size, total size
constexpr std::size_t kCrcSize = 4;

const char* scalar_name(std::uint64_t bytes) { return bytes == 8 ? "double" : bytes == 4 ? "float" : "unknown"; }

// "W1, b1, W2" — for messages.
template <class Items, class Name>
std::string list_names(const Items& items, Name name) {
  std::string s;
  for (std::size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + name(items[i]);
  return s;
}

// ---- writing ----

void encode_trainer(ByteWriter& w, const TrainerState& s, const std::string& rng) {
  w.u64(static_cast<std::uint64_t>(s.epoch));
  w.u64(s.iteration);
  w.string(rng);
  w.u64(s.stats.param_uses);
  w.u64(s.stats.distinct_params);
  w.u64(s.stats.clipped_updates);
  w.scalar(s.stats.max_grad_norm);
  w.f64(s.total_loss);
  w.u64(s.loss_count);
  const BatchPosition& e = s.batches;
  w.u64(e.samples);
  w.u64(e.batch_size);
  w.u64(e.next_batch);
  w.u64(e.order.size());
  for (const std::size_t i : e.order) w.u64(i);
  w.u64(s.history.size());
  for (const HistoryPoint& p : s.history.points()) {
    w.u64(p.iteration);
    w.u64(static_cast<std::uint64_t>(p.epoch));
    w.u64(p.epoch_iter);
    w.u64(p.iters_per_epoch);
    w.u64(p.iterations_averaged);
    w.scalar(p.loss);
  }
}

void encode(ByteWriter& w, const Checkpoint& c, std::uint64_t total_size) {
  w.bytes(kCheckpointMagic, sizeof kCheckpointMagic);
  w.u32(kCheckpointVersion);
  w.u32(sizeof(Scalar));
  w.u64(total_size);
  w.u64(c.params.size());
  for (const NamedTensor& p : c.params) w.tensor(p.name, p.value);
  w.u64(c.buffers.size());
  for (const NamedTensor& b : c.buffers) w.tensor(b.name, b.value);
  const OptimizerState& o = c.optimizer;
  w.string(o.type);
  w.scalar(o.lr);
  w.u64(o.steps);
  w.u32(static_cast<std::uint32_t>(o.slot_names.size()));
  for (const std::string& name : o.slot_names) w.string(name);
  for (std::size_t k = 0; k < c.params.size(); ++k)
    for (std::size_t s = 0; s < o.slot_names.size(); ++s)
      w.tensor(c.params[k].name + "/" + o.slot_names[s], o.slots[k][s]);
  w.u8(c.trainer ? 1 : 0);
  if (c.trainer) encode_trainer(w, *c.trainer, c.rng);
}

// ---- reading ----

std::vector<unsigned char> read_file(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) fail<IoError>("checkpoint: ", path, " is a folder, not a checkpoint file");
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in)
    fail<IoError>("checkpoint: cannot open ", path, ": ", std::strerror(errno),
                  " (checkpoints are written by save_checkpoint or Trainer::set_checkpoint)");
  const std::streamsize size = in.tellg();
  if (size < 0) fail<IoError>("checkpoint: cannot tell the size of ", path, " (is it a regular file?)");
  std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(bytes.data()), size);
  if (!in) fail<IoError>("checkpoint: reading ", path, " failed after ", in.gcount(), " of ", size, " bytes");
  return bytes;
}

// The checks on the fixed-size header and the checksum; returns the size without the checksum and
// sets `version`.
std::size_t check_envelope(const std::vector<unsigned char>& bytes, const fs::path& path, std::uint32_t& version) {
  const std::size_t size = bytes.size();
  if (size < sizeof kCheckpointMagic)
    fail<FormatError>("checkpoint ", path, ": truncated: the file has ", size,
                      " bytes, fewer than the 8-byte magic \"SNETCKPT\" that starts a checkpoint");
  if (std::memcmp(bytes.data(), kCheckpointMagic, sizeof kCheckpointMagic) != 0) {
    std::ostringstream found;
    for (std::size_t i = 0; i < 8; ++i)
      found << (i ? " " : "") << std::hex << std::setw(2) << std::setfill('0') << int(bytes[i]);
    fail<FormatError>("checkpoint ", path, ": not a ScratchNet checkpoint: it starts with bytes ", found.str(),
                      " instead of the magic \"SNETCKPT\"");
  }
  if (size < kHeaderSize + kCrcSize)
    fail<FormatError>("checkpoint ", path, ": truncated: the file has ", size, " bytes, fewer than the ",
                      kHeaderSize + kCrcSize, " of a header and checksum");
  ByteReader header(bytes, sizeof kCheckpointMagic, kHeaderSize, path);
  version = header.u32("the format version");
  if (version < 1 || version > kCheckpointVersion)
    fail<FormatError>("checkpoint ", path, ": format version ", version, ", but this build reads versions 1 to ",
                      kCheckpointVersion, (version > kCheckpointVersion ? " (written by a newer ScratchNet?)" : ""));
  const std::uint32_t scalar_size = header.u32("the scalar size");
  if (scalar_size != sizeof(Scalar))
    fail<FormatError>("checkpoint ", path, ": it holds ", scalar_size, "-byte (", scalar_name(scalar_size),
                      ") numbers but this build's Scalar is ", sizeof(Scalar), "-byte (", scalar_name(sizeof(Scalar)),
                      "); load it with a build configured with -DSCRATCH_SCALAR=", scalar_name(scalar_size));
  const std::uint64_t total = header.u64("the total size");
  if (total != size)
    fail<FormatError>("checkpoint ", path, ": ", total > size ? "truncated: " : "", "the header says ", total,
                      " bytes but the file has ", size,
                      total > size ? " (an interrupted copy?)" : " (bytes appended after the checksum?)");
  const std::size_t body = size - kCrcSize;
  ByteReader trailer(bytes, body, size, path);
  const std::uint32_t stored = trailer.u32("the checksum");
  const auto computed = static_cast<std::uint32_t>(::crc32(0, bytes.data(), static_cast<uInt>(body)));
  if (stored != computed)
    fail<FormatError>("checkpoint ", path, ": checksum mismatch (stored ", std::hex, "0x", stored, ", computed 0x",
                      computed, std::dec, "): the file is corrupt; use an older copy or retrain");
  return body;
}

// Throws FormatError "<path>: <what>" unless ok.
template <class... Parts>
void expect(bool ok, const ByteReader& r, const Parts&... what) {
  if (!ok) fail<FormatError>("checkpoint ", r.path(), ": ", what..., " (near offset ", r.offset(), ")");
}

TrainerState decode_trainer(ByteReader& r, std::uint32_t version, std::string& rng) {
  TrainerState s;
  // The trainer goes on counting from these: epoch + 1 must still be an int, iteration + 1 must
  // not wrap around.
  const std::uint64_t epoch = r.u64("the epoch");
  expect(epoch < INT_MAX, r, "impossible epoch count ", epoch, ": a trainer counts at most ", INT_MAX - 1,
         " epochs (a hand-edited or corrupt file?)");
  s.epoch = static_cast<int>(epoch);
  const std::uint64_t iteration = r.u64("the iteration");
  expect(iteration < std::numeric_limits<std::uint64_t>::max() && iteration < std::numeric_limits<std::size_t>::max(),
         r, "impossible iteration count ", iteration, ": the trainer could not count one more (a hand-edited or ",
         "corrupt file?)");
  s.iteration = static_cast<std::size_t>(iteration);
  rng = r.string("the random-engine state");
  try {
    Rng probe;
    probe.set_state(rng);
  } catch (const FormatError&) {
    expect(false, r, "the random-engine state does not parse");
  }
  if (version == 1) r.u64("the statistics");  // v1's count of updates: always the iteration count
  s.stats.param_uses = r.u64("the statistics");
  s.stats.distinct_params = r.u64("the statistics");
  s.stats.clipped_updates = r.u64("the statistics");
  s.stats.max_grad_norm = r.scalar("the statistics");
  s.total_loss = r.f64("the running loss");
  s.loss_count = r.u64("the running loss");
  expect(s.loss_count <= s.iteration, r, s.loss_count, " losses are pending but only ", s.iteration,
         " iterations were done");
  BatchPosition& e = s.batches;
  e.samples = r.u64("the unfinished epoch");
  e.batch_size = r.u64("the unfinished epoch");
  e.next_batch = r.u64("the unfinished epoch");
  const std::uint64_t order_size = r.u64("the unfinished epoch");
  expect(order_size <= r.remaining() / 8, r, "the shuffled order claims ", order_size, " entries");
  std::vector<bool> seen(order_size, false);
  for (std::uint64_t i = 0; i < order_size; ++i) {
    const std::uint64_t index = r.u64("the shuffled order");
    expect(index < order_size && !seen[index], r, "the shuffled order is not a permutation of 0 … ", order_size - 1);
    seen[index] = true;
    e.order.push_back(index);
  }
  if (e.order.empty()) {
    expect(e.next_batch == 0, r, "iteration ", e.next_batch, " is next but no epoch is unfinished");
  } else {
    expect(e.batch_size > 0 && e.order.size() == e.samples && e.samples > 0, r, "the unfinished epoch has ", e.samples,
           " samples, batch size ", e.batch_size, " and an order of ", e.order.size());
    expect(e.next_batch < (e.samples + e.batch_size - 1) / e.batch_size, r, "the unfinished epoch's next iteration ",
           e.next_batch, " is past its end");
  }
  const std::uint64_t points = r.u64("the history");
  expect(points <= r.remaining() / (5 * 8 + sizeof(Scalar)), r, "the history claims ", points, " points");
  for (std::uint64_t i = 0; i < points; ++i) {
    HistoryPoint p;
    p.iteration = r.u64("a history point");
    const std::uint64_t point_epoch = r.u64("a history point");
    expect(point_epoch <= INT_MAX, r, "impossible epoch ", point_epoch, " in the history");
    p.epoch = static_cast<int>(point_epoch);
    p.epoch_iter = r.u64("a history point");
    p.iters_per_epoch = r.u64("a history point");
    p.iterations_averaged = r.u64("a history point");
    p.loss = r.scalar("a history point");
    s.history.add(p);
  }
  return s;
}

Checkpoint decode(ByteReader& r, std::uint32_t version) {
  Checkpoint c;
  const std::uint64_t count = r.u64("the parameter count");
  for (std::uint64_t k = 0; k < count; ++k) {
    NamedTensor p;
    p.value = r.tensor("a parameter", p.name);
    c.params.push_back(std::move(p));
  }
  const std::uint64_t buffers = version >= 2 ? r.u64("the buffer count") : 0;  // v1 had none
  for (std::uint64_t k = 0; k < buffers; ++k) {
    NamedTensor b;
    b.value = r.tensor("a buffer", b.name);
    c.buffers.push_back(std::move(b));
  }
  OptimizerState& o = c.optimizer;
  o.type = r.string("the optimizer's type");
  o.lr = r.scalar("the learning rate");
  expect(std::isfinite(o.lr) && o.lr > 0, r, "the learning rate is ", o.lr);
  o.steps = r.u64("the optimizer's step count");
  const std::uint32_t slots = r.u32("the optimizer's slot count");
  expect(slots <= r.remaining() / 4, r, "the optimizer claims ", slots, " slots per parameter");
  for (std::uint32_t s = 0; s < slots; ++s) o.slot_names.push_back(r.string("a slot name"));
  for (const NamedTensor& p : c.params) {
    o.slots.emplace_back();
    for (const std::string& slot : o.slot_names) {
      std::string name;
      o.slots.back().push_back(r.tensor("an optimizer slot", name));
      expect(name == p.name + "/" + slot, r, "expected the optimizer slot '", p.name, "/", slot, "', found '", name,
             "'");
      expect(o.slots.back().back().shape() == p.value.shape(), r, "optimizer slot '", name, "' has shape ",
             shape_string(o.slots.back().back().shape()), " but its parameter ", shape_string(p.value.shape()));
    }
  }
  const std::uint8_t has_trainer = r.u8("the trainer flag");
  expect(has_trainer <= 1, r, "the trainer flag is ", int(has_trainer), ", not 0 or 1");
  if (has_trainer == 1) c.trainer = decode_trainer(r, version, c.rng);
  expect(r.remaining() == 0, r, r.remaining(), " unexpected bytes before the checksum");
  return c;
}

}  // namespace

std::vector<ParamPtr> distinct_params(const Model& model) { return distinct_params(model.params()); }

void write_checkpoint(const fs::path& path, const Checkpoint& checkpoint) {
  const OptimizerState& o = checkpoint.optimizer;
  bool consistent = o.slots.size() == checkpoint.params.size();
  for (std::size_t k = 0; consistent && k < o.slots.size(); ++k) consistent = o.slots[k].size() == o.slot_names.size();
  if (!consistent)
    fail<ValueError>("write_checkpoint: the optimizer state needs ", o.slot_names.size(), " slots for each of the ",
                     checkpoint.params.size(), " parameters; make it with export_state(params)");
  ByteWriter counter(nullptr);
  encode(counter, checkpoint, 0);
  const std::uint64_t total = counter.size() + kCrcSize;
  try {
    write_file_atomically(path, [&](std::ostream& out) {
      ByteWriter w(&out);
      encode(w, checkpoint, total);
      w.flush();
      w.u32(w.crc());
      w.flush();
    });
  } catch (const IoError& e) {
    fail<IoError>("write_checkpoint: cannot write ", path,
                  "; the previous checkpoint, if any, is unchanged: ", e.what());
  }
}

Checkpoint read_checkpoint(const fs::path& path) {
  const std::vector<unsigned char> bytes = read_file(path);
  std::uint32_t version = 0;
  const std::size_t body = check_envelope(bytes, path, version);
  ByteReader reader(bytes, kHeaderSize, body, path);
  return decode(reader, version);
}

Checkpoint make_checkpoint(const Model& model, const Optimizer& optimizer) {
  const std::vector<ParamPtr> params = distinct_params(model);
  Checkpoint c;
  for (const ParamPtr& p : params) c.params.push_back({p->name, p->value});
  for (const Buffer& b : model.buffers()) c.buffers.push_back({b.name, *b.value});
  c.optimizer = optimizer.export_state(params);
  return c;
}

void check_fits(const Checkpoint& checkpoint, const Model& model, const Optimizer& optimizer, const fs::path& path) {
  const std::vector<ParamPtr> params = distinct_params(model);
  const auto& saved = checkpoint.params;
  if (saved.size() != params.size())
    fail<ShapeError>("checkpoint ", path, ": it holds ", saved.size(), " parameters (",
                     list_names(saved, [](const NamedTensor& p) { return p.name; }), ") but the model has ",
                     params.size(), " (", list_names(params, [](const ParamPtr& p) { return p->name; }),
                     "); was it saved from another model?");
  for (std::size_t k = 0; k < params.size(); ++k) {
    if (saved[k].name != params[k]->name)
      fail<ShapeError>("checkpoint ", path, ": parameter ", k + 1, " is '", saved[k].name, "' in the file but '",
                       params[k]->name, "' in the model; was it saved from another model?");
    if (saved[k].value.shape() != params[k]->value.shape())
      fail<ShapeError>("checkpoint ", path, ": parameter '", saved[k].name, "' has shape ",
                       shape_string(saved[k].value.shape()), " in the file but ",
                       shape_string(params[k]->value.shape()), " in the model; were the layer sizes changed?");
  }
  const std::vector<Buffer> buffers = model.buffers();
  const auto& saved_buffers = checkpoint.buffers;
  if (saved_buffers.size() != buffers.size())
    fail<ShapeError>("checkpoint ", path, ": it holds ", saved_buffers.size(), " buffers (",
                     saved_buffers.empty() ? "none" : list_names(saved_buffers, [](const NamedTensor& b) { return b.name; }),
                     ") but the model has ", buffers.size(), " (",
                     buffers.empty() ? "none" : list_names(buffers, [](const Buffer& b) { return b.name; }),
                     "); was it saved from another model (or before the model had layers with running statistics)?");
  for (std::size_t k = 0; k < buffers.size(); ++k) {
    if (saved_buffers[k].name != buffers[k].name)
      fail<ShapeError>("checkpoint ", path, ": buffer ", k + 1, " is '", saved_buffers[k].name, "' in the file but '",
                       buffers[k].name, "' in the model; was it saved from another model?");
    if (saved_buffers[k].value.shape() != buffers[k].value->shape())
      fail<ShapeError>("checkpoint ", path, ": buffer '", saved_buffers[k].name, "' has shape ",
                       shape_string(saved_buffers[k].value.shape()), " in the file but ",
                       shape_string(buffers[k].value->shape()), " in the model; were the layer sizes changed?");
  }
  optimizer.check_state(params, checkpoint.optimizer, concat("checkpoint ", path));
}

void restore(const Checkpoint& checkpoint, const Model& model, Optimizer& optimizer) {
  const std::vector<ParamPtr> params = distinct_params(model);
  const std::vector<Buffer> buffers = model.buffers();
  optimizer.import_state(params, checkpoint.optimizer);  // checks again and may throw: before any copy
  for (std::size_t k = 0; k < params.size(); ++k) params[k]->value.assign(checkpoint.params[k].value);
  for (std::size_t k = 0; k < buffers.size(); ++k) buffers[k].value->assign(checkpoint.buffers[k].value);
}

void save_checkpoint(const fs::path& path, const Model& model, const Optimizer& optimizer) {
  write_checkpoint(path, make_checkpoint(model, optimizer));
}

void load_checkpoint(const fs::path& path, Model& model, Optimizer& optimizer) {
  const Checkpoint c = read_checkpoint(path);
  check_fits(c, model, optimizer, path);
  restore(c, model, optimizer);
}

}  // namespace scratch

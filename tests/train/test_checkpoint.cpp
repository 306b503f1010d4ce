// test_checkpoint.cpp — the checkpoint file: round trip, the documented byte layout, and every
// protection of load (magic, version, scalar size, truncation, checksum, model fit) and of save
// (atomic replacement), each shown to leave the model and the optimizer untouched.
#include <signal.h>
#include <sys/resource.h>
#include <zlib.h>

#include "test_util.hpp"
#include "train/checkpoint_helpers.hpp"
#include "train/toy_models.hpp"

using namespace scratch;
using scratch::test::bitwise_equal;
using scratch::test::LinearRegression;
using scratch::test::read_bytes;
using scratch::test::seeded_randn;
using scratch::test::Snapshot;
using scratch::test::TempDir;
using scratch::test::TiedAutoencoder;
using scratch::test::write_bytes;

namespace {

// A few Adam steps on a LinearRegression, so parameters and state are all non-trivial.
void train(LinearRegression& model, Optimizer& opt, int steps) {
  const Tensor x = seeded_randn({8, 3}, 21), t = seeded_randn({8, 2}, 22);
  for (int s = 0; s < steps; ++s) {
    model.forward(x, t);
    model.backward();
    opt.update(remove_duplicates(model.params()));
  }
}

// Recomputes the trailing CRC-32 after a deliberate edit, so that only the edited field is wrong.
void fix_crc(std::vector<unsigned char>& bytes) {
  const std::size_t body = bytes.size() - 4;
  const auto crc = static_cast<std::uint32_t>(crc32(0, bytes.data(), static_cast<uInt>(body)));
  for (int i = 0; i < 4; ++i) bytes[body + i] = static_cast<unsigned char>(crc >> (8 * i));
}

std::uint64_t le(const std::vector<unsigned char>& bytes, std::size_t offset, int n) {
  std::uint64_t x = 0;
  for (int i = 0; i < n; ++i) x |= std::uint64_t(bytes[offset + i]) << (8 * i);
  return x;
}

// A saved checkpoint, and a different model + optimizer to load it into.
struct Fixture {
  Fixture() : saved(3, 2, 1), opt_saved(0.05), model(3, 2, 2), opt(0.05) {
    train(saved, opt_saved, 3);
    save_checkpoint(path, saved, opt_saved);
    train(model, opt, 2);  // state to be kept intact by failed loads
  }
  // Writes `bytes` as a checkpoint and loads it: must throw E whose message holds `expected`, and
  // change nothing.
  template <class E>
  void expect_rejected(const std::vector<unsigned char>& bytes, const std::string& expected) {
    write_bytes(bad, bytes);
    const Snapshot before(model, opt);
    try {
      load_checkpoint(bad, model, opt);
      BOOST_ERROR("loaded a bad checkpoint; expected: " << expected);
    } catch (const E& e) {
      const std::string msg = e.what();
      BOOST_TEST(msg.find(expected) != std::string::npos, msg);
      BOOST_TEST(msg.find(bad.string()) != std::string::npos, "the message names the path: " << msg);
    } catch (const Error& e) {
      BOOST_ERROR("wrong exception type for '" << expected << "': " << e.what());
    }
    BOOST_TEST(before.unchanged(opt));
  }

  TempDir dir;
  fs::path path = dir / "model.ckpt", bad = dir / "bad.ckpt";
  LinearRegression saved;
  Adam opt_saved;
  LinearRegression model;
  Adam opt;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(train_checkpoint)

BOOST_AUTO_TEST_CASE(round_trip_restores_parameters_and_optimizer_state_bitwise) {
  Fixture f;
  load_checkpoint(f.path, f.model, f.opt);
  BOOST_TEST(bitwise_equal(f.model.W_->value, f.saved.W_->value));
  BOOST_TEST(bitwise_equal(f.model.b_->value, f.saved.b_->value));
  BOOST_TEST(
      bitwise_equal(f.opt.export_state(distinct_params(f.model)), f.opt_saved.export_state(distinct_params(f.saved))));
  // A fresh optimizer takes the state too, and both continue identically.
  LinearRegression fresh(3, 2, 9);
  Adam fresh_opt(0.05);
  load_checkpoint(f.path, fresh, fresh_opt);
  train(fresh, fresh_opt, 2);
  train(f.saved, f.opt_saved, 2);
  BOOST_TEST(bitwise_equal(fresh.W_->value, f.saved.W_->value));
  BOOST_TEST(f.dir.files() == (std::vector<std::string>{"model.ckpt"}));  // no temporary left behind
}

BOOST_AUTO_TEST_CASE(the_file_has_the_documented_byte_layout) {
  // One parameter "w" of shape (1,) holding 1.5, one buffer "m" of shape (1,) holding 0.5, SGD with
  // lr 0.25, no trainer:
  //   header 24 | P: 8 | tensor: 4+1 name, 4 ndim, 8 dim, s data | K: 8 | tensor: 17+s |
  //   "SGD": 4+3 | lr s | steps 8 | S 4 | trainer flag 1 | crc 4      = 98 + 3s bytes (s = sizeof(Scalar))
  struct One : Model {
    Scalar forward(const Tensor&, const Tensor&) override { return 0; }
    void backward() override {}
    std::vector<ParamUse> params() const override { return {{w, &dw}}; }
    std::vector<Buffer> buffers() const override { return {{"m", &m}}; }
    ParamPtr w = make_param("w", Tensor::from_vector({1}, {1.5}));
    Tensor dw = Tensor::zeros({1});
    mutable Tensor m = Tensor::from_vector({1}, {0.5});
  } model;
  SGD sgd(0.25);
  TempDir dir;
  save_checkpoint(dir / "one.ckpt", model, sgd);
  const std::vector<unsigned char> b = read_bytes(dir / "one.ckpt");
  const std::size_t s = sizeof(Scalar);
  BOOST_REQUIRE(b.size() == 98 + 3 * s);
  BOOST_TEST(std::string(b.begin(), b.begin() + 8) == "SNETCKPT");
  BOOST_TEST(le(b, 8, 4) == 2u);         // version
  BOOST_TEST(le(b, 12, 4) == s);         // scalar size
  BOOST_TEST(le(b, 16, 8) == b.size());  // total size
  BOOST_TEST(le(b, 24, 8) == 1u);        // P
  BOOST_TEST(le(b, 32, 4) == 1u);        // name length
  BOOST_TEST(b[36] == 'w');
  BOOST_TEST(le(b, 37, 4) == 1u);  // ndim
  BOOST_TEST(le(b, 41, 8) == 1u);  // dim 0
  Scalar w = 0;
  std::memcpy(&w, &b[49], s);  // little-endian host: the bytes are the Scalar
  BOOST_TEST(w == Scalar(1.5));
  BOOST_TEST(le(b, 49 + s, 8) == 1u);  // K
  BOOST_TEST(le(b, 57 + s, 4) == 1u);  // the buffer's name length
  BOOST_TEST(b[61 + s] == 'm');
  Scalar m = 0;
  std::memcpy(&m, &b[74 + s], s);
  BOOST_TEST(m == Scalar(0.5));
  BOOST_TEST(le(b, 74 + 2 * s, 4) == 3u);
  BOOST_TEST(std::string(&b[78 + 2 * s], &b[81 + 2 * s]) == "SGD");
  BOOST_TEST(le(b, 89 + 3 * s, 4) == 0u);  // S (after lr and steps)
  BOOST_TEST(b[93 + 3 * s] == 0);          // no trainer
  BOOST_TEST(le(b, 94 + 3 * s, 4) == crc32(0, b.data(), static_cast<uInt>(94 + 3 * s)));
}

BOOST_AUTO_TEST_CASE(shared_weights_are_stored_once_in_remove_duplicates_order) {
  TiedAutoencoder model(4, 2, 3);
  Adam adam(0.01);
  TempDir dir;
  const Tensor x = seeded_randn({5, 4}, 4);
  model.forward(x, x);
  model.backward();
  const std::vector<ParamPtr> merged = remove_duplicates(model.params());
  BOOST_TEST(distinct_params(model) == merged);  // the same objects in the same order
  adam.update(merged);
  save_checkpoint(dir / "tied.ckpt", model, adam);
  const Checkpoint c = read_checkpoint(dir / "tied.ckpt");
  BOOST_REQUIRE(c.params.size() == 1u);  // W, used twice, stored once
  BOOST_TEST(c.params[0].name == "W");
  BOOST_TEST(!c.trainer.has_value());
  TiedAutoencoder other(4, 2, 8);
  Adam other_adam(0.01);
  load_checkpoint(dir / "tied.ckpt", other, other_adam);
  BOOST_TEST(bitwise_equal(other.W_->value, model.W_->value));
}

BOOST_AUTO_TEST_CASE(any_corrupt_byte_is_caught_and_a_data_byte_by_the_checksum) {
  Fixture f;
  const std::vector<unsigned char> good = read_bytes(f.path);
  // A byte inside W's numbers: only the checksum can tell.
  std::vector<unsigned char> bytes = good;
  bytes[60] ^= 0x10;
  f.expect_rejected<FormatError>(bytes, "checksum mismatch");
  // Every single-byte change anywhere is rejected, model untouched.
  for (std::size_t i = 0; i < good.size(); ++i) {
    bytes = good;
    bytes[i] ^= 0x01;
    write_bytes(f.bad, bytes);
    const Snapshot before(f.model, f.opt);
    BOOST_CHECK_THROW(load_checkpoint(f.bad, f.model, f.opt), FormatError);
    BOOST_TEST(before.unchanged(f.opt), "byte " << i);
  }
}

BOOST_AUTO_TEST_CASE(a_truncated_file_is_named_truncated_at_every_length) {
  Fixture f;
  const std::vector<unsigned char> good = read_bytes(f.path);
  for (std::size_t n : {std::size_t{0}, std::size_t{5}, std::size_t{8}, std::size_t{20}, std::size_t{27},
                        good.size() / 2, good.size() - 4, good.size() - 1})
    f.expect_rejected<FormatError>(std::vector<unsigned char>(good.begin(), good.begin() + n), "truncated");
  for (std::size_t n = 0; n < good.size(); ++n) {
    write_bytes(f.bad, std::vector<unsigned char>(good.begin(), good.begin() + n));
    BOOST_CHECK_THROW(load_checkpoint(f.bad, f.model, f.opt), FormatError);
  }
  for (std::size_t n = 0; n < good.size(); n += 7)  // every 7th length: message, path, nothing changed
    f.expect_rejected<FormatError>(std::vector<unsigned char>(good.begin(), good.begin() + n), "truncated");
  std::vector<unsigned char> longer = good;
  longer.push_back(0);
  f.expect_rejected<FormatError>(longer, "the header says");
}

BOOST_AUTO_TEST_CASE(wrong_magic_version_and_scalar_size_are_named) {
  Fixture f;
  const std::vector<unsigned char> good = read_bytes(f.path);
  std::vector<unsigned char> bytes = good;
  bytes[0] = 'P';  // a zip file, say
  bytes[1] = 'K';
  f.expect_rejected<FormatError>(bytes, "not a ScratchNet checkpoint: it starts with bytes 50 4b 45 54");
  bytes = good;
  bytes[8] = 3;
  fix_crc(bytes);  // only the version is wrong
  f.expect_rejected<FormatError>(bytes, "format version 3, but this build reads versions 1 to 2 (written by a newer");
  bytes[8] = 0;
  fix_crc(bytes);
  f.expect_rejected<FormatError>(bytes, "format version 0, but this build reads versions 1 to 2");
  bytes = good;
  bytes[12] = kScalarIsFloat ? 8 : 4;
  fix_crc(bytes);
  f.expect_rejected<FormatError>(bytes, kScalarIsFloat ? "holds 8-byte (double) numbers but this build's Scalar is "
                                                         "4-byte (float); load it with a build configured with "
                                                         "-DSCRATCH_SCALAR=double"
                                                       : "holds 4-byte (float) numbers but this build's Scalar is "
                                                         "8-byte (double); load it with a build configured with "
                                                         "-DSCRATCH_SCALAR=float");
}

BOOST_AUTO_TEST_CASE(a_malformed_body_behind_a_valid_checksum_is_still_rejected) {
  Fixture f;
  const std::vector<unsigned char> good = read_bytes(f.path);
  std::vector<unsigned char> bytes = good;
  for (int i = 0; i < 8; ++i) bytes[24 + i] = 0xff;  // P = 2^64 − 1: reads on into the buffers' and optimizer's bytes
  fix_crc(bytes);
  f.expect_rejected<FormatError>(bytes, "truncated: a parameter needs");
  bytes = good;
  bytes[37] = 0xff;  // W's ndim: 255 dimensions
  fix_crc(bytes);
  f.expect_rejected<FormatError>(bytes, "claims 255 dimensions");
}

BOOST_AUTO_TEST_CASE(a_checkpoint_of_another_model_is_a_shape_error_naming_both) {
  Fixture f;
  {
    LinearRegression wider(4, 2, 5);  // W (4, 2) instead of (3, 2)
    Adam adam(0.05);
    train(f.model, f.opt, 0);
    const Snapshot before(wider, adam);
    try {
      load_checkpoint(f.path, wider, adam);
      BOOST_ERROR("loaded into a model of another shape");
    } catch (const ShapeError& e) {
      BOOST_TEST(std::string(e.what()).find("parameter 'W' has shape (3, 2) in the file but (4, 2) in the model") !=
                     std::string::npos,
                 e.what());
    }
    BOOST_TEST(before.unchanged(adam));
  }
  {
    TiedAutoencoder tied(3, 2, 5);
    Adam adam(0.05);
    const Snapshot before(tied, adam);
    try {
      load_checkpoint(f.path, tied, adam);
      BOOST_ERROR("loaded into a model with another parameter count");
    } catch (const ShapeError& e) {
      BOOST_TEST(
          std::string(e.what()).find("it holds 2 parameters (W, b) but the model has 1 (W)") != std::string::npos,
          e.what());
    }
    BOOST_TEST(before.unchanged(adam));
  }
  {
    f.model.b_->name = "bias";
    const Snapshot before(f.model, f.opt);
    try {
      load_checkpoint(f.path, f.model, f.opt);
      BOOST_ERROR("loaded into a model with other parameter names");
    } catch (const ShapeError& e) {
      BOOST_TEST(
          std::string(e.what()).find("parameter 2 is 'b' in the file but 'bias' in the model") != std::string::npos,
          e.what());
    }
    BOOST_TEST(before.unchanged(f.opt));
    f.model.b_->name = "b";
  }
  {
    Momentum momentum(0.05);
    const Snapshot before(f.model, momentum);
    try {
      load_checkpoint(f.path, f.model, momentum);
      BOOST_ERROR("loaded Adam's state into Momentum");
    } catch (const ValueError& e) {
      BOOST_TEST(std::string(e.what()).find(
                     "holds Adam optimizer state (slots: m, v) but this optimizer is Momentum") != std::string::npos,
                 e.what());
    }
    BOOST_TEST(before.unchanged(momentum));
  }
}

BOOST_AUTO_TEST_CASE(a_missing_file_or_a_folder_is_an_io_error_naming_it) {
  Fixture f;
  const Snapshot before(f.model, f.opt);
  try {
    load_checkpoint(f.dir / "missing.ckpt", f.model, f.opt);
    BOOST_ERROR("loaded a missing file");
  } catch (const IoError& e) {
    BOOST_TEST(std::string(e.what()).find("missing.ckpt") != std::string::npos, e.what());
  }
  BOOST_CHECK_THROW(load_checkpoint(f.dir.path(), f.model, f.opt), IoError);
  BOOST_TEST(before.unchanged(f.opt));
}

BOOST_AUTO_TEST_CASE(a_write_that_fails_midway_keeps_the_previous_checkpoint_and_no_temporary) {
  Fixture f;
  const std::vector<unsigned char> previous = read_bytes(f.path);
  train(f.saved, f.opt_saved, 1);  // new values to (fail to) save
  BOOST_REQUIRE(previous.size() > 100u);

  // The disk "fills up" after 100 bytes: the kernel refuses to let files grow past RLIMIT_FSIZE
  // (SIGXFSZ ignored, so write() fails with EFBIG instead of killing the process).
  struct sigaction ignore {
  }, old_action{};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGXFSZ, &ignore, &old_action);
  rlimit old_limit{};
  getrlimit(RLIMIT_FSIZE, &old_limit);
  rlimit small = old_limit;
  small.rlim_cur = 100;
  setrlimit(RLIMIT_FSIZE, &small);
  std::string msg = "no IoError";
  try {
    save_checkpoint(f.path, f.saved, f.opt_saved);
  } catch (const IoError& e) {
    msg = e.what();
  }
  setrlimit(RLIMIT_FSIZE, &old_limit);
  sigaction(SIGXFSZ, &old_action, nullptr);
  BOOST_TEST(msg.find("cannot write " + concat(f.path)) != std::string::npos, msg);
  BOOST_TEST(msg.find("previous checkpoint, if any, is unchanged") != std::string::npos, msg);
  BOOST_TEST(read_bytes(f.path) == previous);
  BOOST_TEST(f.dir.files() == (std::vector<std::string>{"model.ckpt"}));

  // A path that is a folder: the rename fails; the folder and its contents stay, no temporary.
  fs::create_directories(f.dir / "folder");
  write_bytes(f.dir / "folder" / "inside", {1, 2, 3});
  BOOST_CHECK_THROW(save_checkpoint(f.dir / "folder", f.saved, f.opt_saved), IoError);
  BOOST_TEST(fs::is_directory(f.dir / "folder"));
  BOOST_TEST(read_bytes(f.dir / "folder" / "inside") == (std::vector<unsigned char>{1, 2, 3}));
  BOOST_TEST(f.dir.files() == (std::vector<std::string>{"folder", "model.ckpt"}));

  // And the previous checkpoint still loads.
  load_checkpoint(f.path, f.model, f.opt);
}

BOOST_AUTO_TEST_SUITE_END()

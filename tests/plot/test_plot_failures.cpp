// test_plot_failures.cpp — a figure replaces the old one only when gnuplot wrote a complete PNG:
// a truncated or damaged PNG (what pngcairo leaves on a full disk, while exiting 0) is discarded, the
// old figure stays and the message says why; a gnuplot that never exits is stopped after
// SCRATCH_GNUPLOT_TIMEOUT seconds. The last case fills a real (tiny tmpfs) disk when mounting is
// permitted.
#include <sys/mount.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "plot_test_util.hpp"

using namespace scratch;
using namespace scratch::test;
using scratch::test::contains;

namespace {

PlotOptions labelled() {
  PlotOptions options;
  options.title = "loss";
  options.xlabel = "iteration";
  options.ylabel = "loss";
  return options;
}

const Series kLoss{"loss", {}, {3, 2, 1.5, 1.2, 1}};

// Draws loss.png in `dir` with a fake gnuplot that writes `bytes` as the PNG and exits 0, over an
// old, good loss.png. Checks that the old figure and the CSV + script are there and no temporary.
PlotResult draw_over_old_figure(const TempDir& dir, const std::string& bytes) {
  const std::string old_png = tiny_png(5, 5);
  write_bytes(dir / "loss.png", old_png);
  write_bytes(dir / "written.bin", bytes);
  const ScopedEnv env("SCRATCH_GNUPLOT", fake_gnuplot(dir, fake_png_writer(dir / "written.bin")).string());
  const PlotResult result = plot_curve(dir / "loss.png", kLoss, labelled());
  BOOST_TEST(read_text(dir / "loss.png") == old_png, "the old figure was replaced");
  BOOST_TEST(dir.files() ==
                 (std::vector<std::string>{"fake-gnuplot", "loss.csv", "loss.gp", "loss.png", "written.bin"}),
             boost::test_tools::per_element());
  return result;
}

// A Boost.Test precondition: can this process mount a tmpfs (root, or a capable container)?
boost::test_tools::assertion_result tmpfs_mountable(boost::unit_test::test_unit_id) {
  const TempDir dir;
  const bool ok = ::mount("tmpfs", dir.path().c_str(), "tmpfs", 0, "size=16k") == 0;
  const int error = errno;
  if (ok) ::umount2(dir.path().c_str(), MNT_DETACH);
  boost::test_tools::assertion_result result = ok && gnuplot_present(0);
  if (!ok) result.message() << "mounting a tmpfs is not permitted here (" << std::strerror(error) << ")";
  if (ok && !gnuplot_present(0)) result.message() << "gnuplot is not installed (sudo apt-get install gnuplot-nox)";
  return result;
}

// A tmpfs of `size` mounted on `dir` for one scope.
class TinyDisk {
 public:
  TinyDisk(const fs::path& dir, const std::string& size) : dir_(dir) {
    fs::create_directories(dir_);
    BOOST_TEST_REQUIRE(::mount("tmpfs", dir_.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0,
                       "mount tmpfs: " << std::strerror(errno));
  }
  ~TinyDisk() { ::umount2(dir_.c_str(), MNT_DETACH); }
  TinyDisk(const TinyDisk&) = delete;
  TinyDisk& operator=(const TinyDisk&) = delete;
  std::uint64_t free_bytes() const {
    struct statvfs info {};
    ::statvfs(dir_.c_str(), &info);
    return static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize;
  }

 private:
  fs::path dir_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(plot_failures)

BOOST_AUTO_TEST_CASE(a_cut_off_png_does_not_replace_the_old_figure) {
  const TempDir dir;
  const std::string good = tiny_png();
  const PlotResult result = draw_over_old_figure(dir, good.substr(0, good.size() / 2));
  BOOST_TEST(!result.rendered);
  BOOST_TEST(contains(result.message, "could not write loss.png"), result.message);
  BOOST_TEST(contains(result.message, "truncated"), result.message);
  BOOST_TEST(contains(result.message, "is from an earlier run"), result.message);
}

BOOST_AUTO_TEST_CASE(a_png_without_its_iend_chunk_is_incomplete) {
  const TempDir dir;
  const std::string good = tiny_png();
  const PlotResult result = draw_over_old_figure(dir, good.substr(0, good.size() - 12));  // IEND is 12 bytes
  BOOST_TEST(!result.rendered);
  BOOST_TEST(contains(result.message, "without an IEND chunk"), result.message);
}

BOOST_AUTO_TEST_CASE(a_png_with_a_damaged_chunk_fails_its_crc) {
  const TempDir dir;
  std::string damaged = tiny_png();
  damaged[8 + 8 + 2] ^= 0x01;  // a byte of IHDR's width
  const PlotResult result = draw_over_old_figure(dir, damaged);
  BOOST_TEST(!result.rendered);
  BOOST_TEST(contains(result.message, "CRC"), result.message);
}

BOOST_AUTO_TEST_CASE(an_empty_or_foreign_file_is_not_a_png) {
  for (const std::string& bytes : {std::string(), std::string("GIF89a and so on")}) {
    const TempDir dir;
    const PlotResult result = draw_over_old_figure(dir, bytes);
    BOOST_TEST(!result.rendered);
    BOOST_TEST(contains(result.message, "could not write loss.png"), result.message);
  }
}

BOOST_AUTO_TEST_CASE(a_complete_png_is_accepted) {
  const TempDir dir;
  const std::string good = tiny_png();
  write_bytes(dir / "written.bin", good);
  const ScopedEnv env("SCRATCH_GNUPLOT", fake_gnuplot(dir, fake_png_writer(dir / "written.bin")).string());
  const PlotResult result = plot_curve(dir / "loss.png", kLoss, labelled());
  BOOST_TEST(result.rendered, result.message);
  BOOST_TEST(read_text(dir / "loss.png") == good);
}

BOOST_AUTO_TEST_CASE(a_gnuplot_that_never_exits_is_stopped_after_the_time_limit) {
  // One that never reads its script, and one that reads it and then hangs.
  for (const std::string& body : {std::string("exec sleep 30"), std::string("cat > /dev/null; exec sleep 30")}) {
    const TempDir dir;
    write_bytes(dir / "loss.png", "old figure");
    const ScopedEnv limit("SCRATCH_GNUPLOT_TIMEOUT", std::string("1"));
    const ScopedEnv env("SCRATCH_GNUPLOT", fake_gnuplot(dir, body).string());
    const auto start = std::chrono::steady_clock::now();
    const PlotResult result = plot_curve(dir / "loss.png", kLoss, labelled());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    BOOST_TEST(seconds < 10.0, body << ": took " << seconds << " s");
    BOOST_TEST(!result.rendered);
    BOOST_TEST(contains(result.message, "gnuplot did not finish within 1 s"), result.message);
    BOOST_TEST(contains(result.message, "SCRATCH_GNUPLOT_TIMEOUT"), result.message);
    BOOST_TEST(read_text(dir / "loss.png") == "old figure");
    BOOST_TEST(dir.files() == (std::vector<std::string>{"fake-gnuplot", "loss.csv", "loss.gp", "loss.png"}),
               boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(a_bad_time_limit_is_reported_and_the_default_used) {
  const TempDir dir;
  const ScopedEnv limit("SCRATCH_GNUPLOT_TIMEOUT", std::string("soon"));
  const ScopedEnv env("SCRATCH_GNUPLOT", fake_gnuplot(dir, "cat > /dev/null; exit 3").string());
  const PlotResult result = plot_curve(dir / "loss.png", kLoss, labelled());
  BOOST_TEST(contains(result.message, "SCRATCH_GNUPLOT_TIMEOUT='soon' is not a number of seconds; used 60"),
             result.message);
}

BOOST_AUTO_TEST_CASE(a_full_disk_keeps_the_old_figure, *boost::unit_test::precondition(tmpfs_mountable)) {
  const TempDir dir;
  const fs::path disk = dir / "disk";
  const TinyDisk tiny(disk, "96k");
  const std::string old_png = tiny_png(5, 5);
  write_bytes(disk / "loss.png", old_png);
  // Leave about 16 KB: room for the CSV and the script (4 KB pages), not for a 1600 × 1200 figure.
  write_bytes(disk / "filler", std::string(tiny.free_bytes() - 16 * 1024, 'x'));
  PlotOptions big = labelled();
  big.width = 1600;
  big.height = 1200;
  const PlotResult result = plot_curve(disk / "loss.png", kLoss, big);
  BOOST_TEST_MESSAGE(result.message);
  BOOST_TEST(!result.rendered, result.message);
  BOOST_TEST(contains(result.message, "could not write loss.png"), result.message);
  BOOST_TEST(read_text(disk / "loss.png") == old_png, "the old figure was replaced");
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(disk)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  BOOST_TEST(names == (std::vector<std::string>{"filler", "loss.csv", "loss.gp", "loss.png"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

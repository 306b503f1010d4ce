// test_paths.cpp — write_file_atomically / replace_file_atomically: the temporaries that a killed
// process (kill -9 of a checkpointing Trainer) leaves behind are swept by the next write of the same
// file, and nothing else is: not a live process's temporary, not a name that merely looks alike.
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <sstream>

#include "core/temporary_files.hpp"
#include "test_util.hpp"

using namespace scratch;
using namespace scratch::test;

namespace {

// The pid of a process that has exited and been reaped: no process has it now (until the kernel
// hands it out again, which takes a full cycle of the pid space).
pid_t dead_pid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  BOOST_TEST_REQUIRE(pid > 0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  BOOST_TEST_REQUIRE(::kill(pid, 0) == -1);
  return pid;
}

// A child that lives until the end of the test.
class LiveChild {
 public:
  LiveChild() : pid_(::fork()) {
    if (pid_ == 0) {
      ::pause();
      ::_exit(0);
    }
  }
  ~LiveChild() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  LiveChild(const LiveChild&) = delete;
  LiveChild& operator=(const LiveChild&) = delete;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_;
};

void touch(const fs::path& path) { std::ofstream(path) << "left behind"; }

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(core_paths)

BOOST_AUTO_TEST_CASE(write_file_atomically_replaces_the_file_and_leaves_no_temporary) {
  const TempDir dir;
  write_file_atomically(dir / "history.csv", [](std::ostream& out) { out << "old\n"; });
  write_file_atomically(dir / "history.csv", [](std::ostream& out) { out << "new\n"; });
  BOOST_TEST(read_text(dir / "history.csv") == "new\n");
  BOOST_TEST(dir.files() == std::vector<std::string>{"history.csv"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(temporaries_of_killed_processes_are_swept_by_the_next_write) {
  const TempDir dir;
  const LiveChild live;
  const std::string dead = std::to_string(dead_pid());
  const std::string alive = std::to_string(live.pid());
  // What `kill -9` of a checkpointing Trainer leaves: one temporary per file it was writing.
  touch(dir / (".run.ckpt.tmp." + dead));
  touch(dir / (".history.csv.tmp." + dead));
  // Not ours to remove: a live process's temporary, and names that only look like ours.
  const std::vector<std::string> kept = {".run.ckpt.tmp." + alive,  ".run.ckpt.tmp." + dead + ".bak",
                                         ".run.ckpt.tmp.0" + dead,  "run.ckpt.tmp." + dead,
                                         ".run.ckpt.tmp.",          ".run.ckpt.tmp.12ab",
                                         ".xrun.ckpt.tmp." + dead,  ".run.ckpt.tmp.0"};
  for (const auto& name : kept) touch(dir / name);

  write_file_atomically(dir / "run.ckpt", [](std::ostream& out) { out << "checkpoint"; });
  write_file_atomically(dir / "history.csv", [](std::ostream& out) { out << "epoch,loss\n"; });

  std::vector<std::string> expected = kept;
  expected.push_back("history.csv");
  expected.push_back("run.ckpt");
  std::sort(expected.begin(), expected.end());
  BOOST_TEST(dir.files() == expected, boost::test_tools::per_element());
  BOOST_TEST(read_text(dir / "run.ckpt") == "checkpoint");
}

BOOST_AUTO_TEST_CASE(remove_stale_temporaries_names_what_it_removed_and_spares_other_files) {
  const TempDir dir;
  const std::string dead = std::to_string(dead_pid());
  touch(dir / (".loss.png.tmp." + dead));
  touch(dir / (".loss.csv.tmp." + dead));  // another file's: swept when loss.csv is written
  touch(dir / (".loss.png.tmp." + std::to_string(::getpid())));  // ours: in use
  const std::vector<fs::path> removed = remove_stale_temporaries(dir / "loss.png");
  BOOST_TEST(removed == std::vector<fs::path>{dir / (".loss.png.tmp." + dead)}, boost::test_tools::per_element());
  BOOST_TEST(fs::exists(dir / (".loss.csv.tmp." + dead)));
  BOOST_TEST(fs::exists(dir / (".loss.png.tmp." + std::to_string(::getpid()))));
}

BOOST_AUTO_TEST_CASE(a_produce_that_fails_keeps_the_old_file_and_removes_the_temporary) {
  const TempDir dir;
  write_file_atomically(dir / "loss.png", [](std::ostream& out) { out << "old figure"; });
  const bool replaced = replace_file_atomically(dir / "loss.png", [](const fs::path& tmp) {
    std::ofstream(tmp) << "half";
    return false;
  });
  BOOST_TEST(!replaced);
  BOOST_TEST(read_text(dir / "loss.png") == "old figure");
  BOOST_TEST(dir.files() == std::vector<std::string>{"loss.png"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

// temporary_files.hpp — the temporaries that write_file_atomically and replace_file_atomically
// (core/paths.hpp) write beside a file, and sweeping the ones a killed process left behind.
//
// The temporary of `dir/name` is `dir/.<name>.tmp.<pid>` (loss.csv → .loss.csv.tmp.4242). A process
// ended by SIGKILL (kill -9, the OOM killer) cannot remove its own, so before each write both
// functions call remove_stale_temporaries on the file they are about to replace: a Trainer that
// checkpoints run.ckpt sweeps the .run.ckpt.tmp.<pid> of a killed earlier run on its first save.
#pragma once

#include <filesystem>
#include <vector>

namespace scratch {

// Removes the regular files beside `path` named exactly `.<name>.tmp.<pid>` (pid: decimal, no
// leading zero) whose process no longer exists — kill(pid, 0) fails with ESRCH. Never touches a
// live process's temporary (EPERM counts as alive), this process's own, or any other name, and
// only the temporaries of this one `path`. Returns what it removed; one it cannot remove stays for
// the next run to try.
std::vector<std::filesystem::path> remove_stale_temporaries(const std::filesystem::path& path);

}  // namespace scratch

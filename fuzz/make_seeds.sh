#!/usr/bin/env bash
# fuzz/make_seeds.sh DIR — writes fuzz_idx's seed corpus (20 small files, fuzz/README.md lists them)
# into DIR. run_fuzz.sh calls it; the seeds are generated rather than committed, so every byte of
# them is readable here. Needs only bash, printf and gzip; the output is the same on every run.
set -euo pipefail
dir=${1:?usage: fuzz/make_seeds.sh DIR}
mkdir -p "$dir"
cd "$dir"

# bytes HEX… — writes the bytes given as hex digits ("0000 0801" → 00 00 08 01).
bytes() {
  local hex="$*"
  hex=${hex// /}
  printf '%b' "$(sed 's/../\\x&/g' <<<"$hex")"
}
gz() { gzip -n -c; }  # -n: no name or time stamp, so the output never changes

# A 28×28 image: a ring of ink (255) with grey edges (128) on black, the shape of a 0.
image28() {
  local r c d hex=""
  for ((r = 0; r < 28; r++)); do
    for ((c = 0; c < 28; c++)); do
      d=$(((2 * r - 27) * (2 * r - 27) + (2 * c - 27) * (2 * c - 27)))  # (2·distance from the centre)²
      if ((d >= 196 && d <= 324)); then hex+="ff"; elif ((d >= 144 && d <= 400)); then hex+="80"; else hex+="00"; fi
    done
  done
  bytes "$hex"
}

# Valid files: IDX magic 00 00 08 NDIM (08 = unsigned bytes), NDIM big-endian sizes, the data.
bytes 0000 0801 0000 0003 05 00 09 >labels3.idx
gz <labels3.idx >labels3.idx.gz
{ bytes 0000 0803 0000 0001 0000 001c 0000 001c; image28; } >image1.idx
gz <image1.idx >image1.idx.gz
bytes 0000 0803 0000 0002 0000 0002 0000 0003 000102030405 060708090a0b >images_2x2x3.idx
bytes 0000 0802 0000 0003 0000 0004 000102030405 060708090a0b >matrix_3x4.idx

# Image file + label file back to back; the harness splits them at the label magic 00 00 08 01.
{ cat image1.idx; bytes 0000 0801 0000 0001 07; } >mnist1_pair.idx
{ cat image1.idx; bytes 0000 0801 0000 0001 0a; } >mnist1_bad_label.idx        # label 10
{ cat image1.idx; bytes 0000 0801 0000 0002 0102; } >mnist_count_mismatch.idx  # 1 image, 2 labels
{ cat images_2x2x3.idx; bytes 0000 0801 0000 0002 0402; } >mnist_pair_2x3_images.idx

# Headers that do not add up.
bytes 0000 0801 0000 000a 01020304 >truncated_data.idx        # 10 labels promised, 4 there
bytes 0000 0801 0000 0002 0102 090909 >trailing_bytes.idx     # 3 bytes too many
bytes 0000 0803 0000 0003 0000 >header_cut.idx                # the header itself cut short
bytes 0000 0803 8000 0000 0000 001c 0000 001c 09090909 09090909 09090909 09090909 >claims_2g_images.idx
bytes 0000 0803 ffff ffff ffff ffff ffff ffff >dims_overflow.idx  # the sizes' product overflows
bytes 0000 0d01 0000 0002 0000 0000 0000 0000 >float_type.idx     # element type 0x0D (float)
printf '<!DOCTYPE html><html>404</html>' >html_page                # what a broken mirror returns
: >empty

# gzip that is not a clean IDX file: a stream cut in half, and a file compressed twice.
labels600() {  # 600 labels 0–9 from a fixed linear congruential sequence
  local i x=12345 hex=""
  for ((i = 0; i < 600; i++)); do
    x=$(((x * 1103515245 + 12345) % 2147483648))
    hex+=$(printf '%02x' $(((x >> 16) % 10)))
  done
  bytes 0000 0801 0000 0258 "$hex"
}
labels600 | gz >labels600.gz
head -c $(($(wc -c <labels600.gz) / 2)) labels600.gz >truncated.gz
rm labels600.gz
bytes 0000 0801 0000 0002 0102 | gz | gz >twice.gz

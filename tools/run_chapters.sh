#!/usr/bin/env bash
# tools/run_chapters.sh BUILD_DIR [flags…] — run every chapter program in order (make run, make plots).
#
# Chapters live in chapters/chNN_topic/<program>.cpp and build into BUILD_DIR/bin/<program>.
# Extra flags (e.g. --quick) are passed to every program. Stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true

ran=0
for source in chapters/ch*/*.cpp; do
  program=$(basename "$source" .cpp)
  binary="$build/bin/$program"
  if [[ ! -x $binary ]]; then
    echo "run_chapters: $binary is missing; build first (make build)" >&2
    exit 1
  fi
  echo
  echo "================================================================================"
  echo "== $program $*"
  echo "================================================================================"
  start_ns=$(date +%s%N)
  if ! "$binary" "$@"; then
    echo "run_chapters: $program failed (command: $binary $*)" >&2
    exit 1
  fi
  elapsed_ms=$((($(date +%s%N) - start_ns) / 1000000))
  printf '== %s finished in %d.%01d s\n' "$program" $((elapsed_ms / 1000)) $((elapsed_ms % 1000 / 100))
  ran=$((ran + 1))
done
echo
echo "run_chapters: ran $ran chapter programs; figures and their CSV data are in plots/ (see plots/README.md)"

#!/usr/bin/env bash
# tools/deps.sh — check ScratchNet's build dependencies and install what is missing.
#
#   tools/deps.sh core    compiler, CMake, OpenMP, zlib, Boost.Test, gnuplot-iostream, gnuplot, curl
#   tools/deps.sh bench   also OpenBLAS and NumPy (references the benchmarks compare against), and
#                         tries PyTorch (python3-torch) and libtorch (libtorch-dev): optional, a
#                         failure to install them is reported and the benchmarks say "not installed"
#   tools/deps.sh fuzz    also clang and its runtime libraries (libFuzzer, sanitizers) for make fuzz
#
# Each requirement is probed directly (compile a one-line program, look for a command), so a
# machine that already has it from elsewhere is left alone. Missing pieces are installed with
# apt-get when we are root or have password-less sudo; otherwise the exact command is printed.
set -euo pipefail

mode=${1:-core}
missing=()
cxx=${CXX:-c++}

have() { command -v "$1" >/dev/null 2>&1; }
# compiles: true when a C++ snippet compiles (and links, with the given flags)
compiles() {
  local code=$1; shift
  have "$cxx" || return 1
  printf '%s\n' "$code" | "$cxx" -std=c++17 -x c++ - -o /dev/null "$@" >/dev/null 2>&1
}

core_packages=(g++ make cmake curl ca-certificates zlib1g-dev libboost-test-dev libboost-iostreams-dev
               libboost-filesystem-dev libgnuplot-iostream-dev)
bench_packages=(libopenblas-dev python3-numpy)
bench_optional=(python3-torch libtorch-dev)  # large (~1 GB with their dependencies); never required
fuzz_packages=(clang libclang-rt-dev)
wanted=("${core_packages[@]}")
[[ $mode == bench ]] && wanted+=("${bench_packages[@]}" "${bench_optional[@]}")
[[ $mode == fuzz ]] && wanted+=("${fuzz_packages[@]}")

# Fast path (about 50 ms): on Debian/Ubuntu, when dpkg lists every package as installed and gnuplot
# is on PATH, there is nothing to probe.
if have dpkg-query && have gnuplot; then
  installed=$(dpkg-query -W -f='${Status}\n' "${wanted[@]}" 2>/dev/null | grep -c 'install ok installed' || true)
  [[ $installed -eq ${#wanted[@]} ]] && exit 0
fi

# Each probe prints the package(s) it needs when it fails; the compile probes run concurrently
# (each takes about a second), so a machine with everything installed is checked quickly.
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
probe() {  # probe NAME PACKAGES… -- COMMAND…: runs COMMAND in the background, records PACKAGES on failure
  local name=$1; shift
  local packages=()
  while [[ $1 != -- ]]; do packages+=("$1"); shift; done
  shift
  ( "$@" > /dev/null 2>&1 || echo "${packages[*]}" > "$probe_dir/$name" ) &
}

have g++ || have "$cxx" || missing+=(g++)
have make || missing+=(make)
have cmake || missing+=(cmake)
have curl || missing+=(curl ca-certificates)
have gnuplot || missing+=(gnuplot-nox)
probe openmp g++ -- compiles 'int main() { return 0; }' -fopenmp
probe zlib zlib1g-dev -- compiles '#include <zlib.h>
int main() { return zlibVersion() == nullptr; }' -lz
probe boost_test libboost-test-dev -- compiles '#define BOOST_TEST_MODULE probe
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>
BOOST_AUTO_TEST_CASE(probe) {}' -lboost_unit_test_framework
probe gnuplot_iostream libgnuplot-iostream-dev libboost-iostreams-dev libboost-filesystem-dev -- \
  compiles '#include <gnuplot-iostream.h>
int main() { Gnuplot gp(stdout); return 0; }' -lboost_iostreams -lboost_filesystem
if [[ $mode == bench ]]; then
  probe openblas libopenblas-dev -- compiles '#include <cblas.h>
int main() { return 0; }' -lopenblas
  probe numpy python3-numpy -- /usr/bin/python3 -c 'import numpy'
  probe optional_torch python3-torch -- /usr/bin/python3 -c 'import torch'
  # CMake finds Debian's libtorch through this file (bench/bench.cmake: find_package(Torch)).
  probe optional_libtorch libtorch-dev -- bash -c 'compgen -G "/usr/lib/*/cmake/Torch/TorchConfig.cmake"'
fi
if [[ $mode == fuzz ]]; then
  probe libfuzzer clang libclang-rt-dev -- bash -c "printf '%s\n' 'extern \"C\" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }' |
    clang++ -x c++ - -fsanitize=fuzzer,address,undefined -o /dev/null >/dev/null 2>&1"
fi
wait
optional=()
for failed in "$probe_dir"/*; do
  [[ -e $failed ]] || continue
  read -r -a needed < "$failed"
  if [[ $(basename "$failed") == optional_* ]]; then
    optional+=("${needed[@]}")
  else
    missing+=("${needed[@]}")
  fi
done

if [[ ${#missing[@]} -eq 0 && ${#optional[@]} -eq 0 ]]; then
  exit 0
fi

packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
optional_packages=$(printf '%s\n' "${optional[@]}" | sort -u | tr '\n' ' ')
[[ ${#missing[@]} -gt 0 ]] && echo "deps: missing: $packages"
[[ ${#optional[@]} -gt 0 ]] && echo "deps: missing, optional (benchmark references): $optional_packages"
# give_up_optional: the optional references stay missing; the benchmarks print "not installed" for them.
give_up_optional() {
  echo "deps: $1; without $optional_packages the benchmarks print \"not installed\" in their columns" >&2
}
if ! have apt-get; then
  if [[ ${#missing[@]} -gt 0 ]]; then
    echo "deps: this is not a Debian/Ubuntu system; install the equivalents of: $packages" >&2
    exit 1
  fi
  give_up_optional "not a Debian/Ubuntu system"
  exit 0
fi
if [[ $(id -u) -eq 0 ]]; then
  sudo=""
elif have sudo && sudo -n true 2>/dev/null; then
  sudo="sudo"
else
  if [[ ${#missing[@]} -gt 0 ]]; then
    echo "deps: cannot install without root. Run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y $packages $optional_packages" >&2
    exit 1
  fi
  give_up_optional "cannot install without root (sudo apt-get install -y $optional_packages)"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "deps: installing with apt-get: $packages"
  # shellcheck disable=SC2086
  $sudo apt-get install -y -qq --no-install-recommends $packages >/dev/null
fi
if [[ ${#optional[@]} -gt 0 ]]; then
  echo "deps: installing with apt-get (optional; large, a few minutes): $optional_packages"
  # shellcheck disable=SC2086
  $sudo apt-get install -y -qq --no-install-recommends $optional_packages >/dev/null ||
    give_up_optional "apt-get could not install them"
fi
echo "deps: done"

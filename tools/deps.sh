#!/usr/bin/env bash
# tools/deps.sh — check ScratchNet's build dependencies and install what is missing.
#
#   tools/deps.sh core    compiler, CMake, OpenMP, zlib, Boost.Test, gnuplot-iostream, gnuplot, curl
#   tools/deps.sh bench   also OpenBLAS and NumPy (references the benchmarks compare against)
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

have g++ || have "$cxx" || missing+=(g++)
have make || missing+=(make)
have cmake || missing+=(cmake)
have curl || missing+=(curl ca-certificates)
have gnuplot || missing+=(gnuplot-nox)
compiles 'int main() { return 0; }' -fopenmp || missing+=(libgomp1)
compiles '#include <zlib.h>
int main() { return zlibVersion() == nullptr; }' -lz || missing+=(zlib1g-dev)
compiles '#define BOOST_TEST_MODULE probe
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>
BOOST_AUTO_TEST_CASE(probe) {}' -lboost_unit_test_framework || missing+=(libboost-test-dev)
compiles '#include <gnuplot-iostream.h>
int main() { return 0; }' -lboost_iostreams || missing+=(libgnuplot-iostream-dev libboost-iostreams-dev)

if [[ $mode == bench ]]; then
  compiles '#include <cblas.h>
int main() { return 0; }' -lopenblas || missing+=(libopenblas-dev)
  /usr/bin/python3 -c 'import numpy' >/dev/null 2>&1 || missing+=(python3-numpy)
fi

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

# g++ brings libgomp with it; ask for it by the package people know.
packages=$(printf '%s\n' "${missing[@]}" | sed 's/^libgomp1$/g++/' | sort -u | tr '\n' ' ')
echo "deps: missing: $packages"
if ! have apt-get; then
  echo "deps: this is not a Debian/Ubuntu system; install the equivalents of: $packages" >&2
  exit 1
fi
if [[ $(id -u) -eq 0 ]]; then
  sudo=""
elif have sudo && sudo -n true 2>/dev/null; then
  sudo="sudo"
else
  echo "deps: cannot install without root. Run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y $packages" >&2
  exit 1
fi
echo "deps: installing with apt-get: $packages"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $packages >/dev/null
echo "deps: done"

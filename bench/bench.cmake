# bench.cmake — benchmarks (not tests): bench/bench_<name>.cpp → build/bin/bench_<name>.
# Included by CMakeLists.txt when SCRATCH_BUILD_BENCH is on. See bench/README.md.
#
# OpenBLAS is the reference the matmul benchmark compares against. It is optional and for the
# benchmarks only: when both the library and its cblas.h are found, the bench targets (and only
# they) get SCRATCH_HAVE_OPENBLAS and link it; libscratch never does. Without it the OpenBLAS
# columns stay empty. Debian: sudo apt-get install libopenblas-dev  (or: make bench-deps).
find_library(SCRATCH_OPENBLAS_LIBRARY NAMES openblas)
# OpenBLAS's own cblas.h sits beside openblas_config.h (Debian: include/<arch>/openblas-pthread/);
# another cblas.h (netlib's) would lack openblas_set_num_threads.
find_path(SCRATCH_OPENBLAS_INCLUDE_DIR NAMES openblas_config.h PATH_SUFFIXES openblas-pthread openblas)
if(SCRATCH_OPENBLAS_LIBRARY AND SCRATCH_OPENBLAS_INCLUDE_DIR AND EXISTS ${SCRATCH_OPENBLAS_INCLUDE_DIR}/cblas.h)
  set(SCRATCH_BENCH_OPENBLAS ON)
  message(STATUS "Benchmarks compare with OpenBLAS: ${SCRATCH_OPENBLAS_LIBRARY}")
else()
  set(SCRATCH_BENCH_OPENBLAS OFF)
  message(STATUS "OpenBLAS not found: benchmarks run without the reference column (apt-get install libopenblas-dev)")
endif()

file(GLOB SCRATCH_BENCH_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/bench/bench_*.cpp)
list(REMOVE_ITEM SCRATCH_BENCH_SOURCES ${CMAKE_SOURCE_DIR}/bench/bench_libtorch.cpp)  # below, only with Torch
foreach(source ${SCRATCH_BENCH_SOURCES})
  get_filename_component(program ${source} NAME_WE)
  add_executable(${program} ${source})
  target_link_libraries(${program} PRIVATE scratch)
  if(SCRATCH_BENCH_OPENBLAS)
    target_compile_definitions(${program} PRIVATE SCRATCH_HAVE_OPENBLAS)
    target_include_directories(${program} SYSTEM PRIVATE ${SCRATCH_OPENBLAS_INCLUDE_DIR})
    target_link_libraries(${program} PRIVATE ${SCRATCH_OPENBLAS_LIBRARY})
  endif()
  list(APPEND SCRATCH_BENCHES ${program})
endforeach()

# libtorch (PyTorch's C++ API) is another optional reference: bench_libtorch, chapter 4's loop written
# with torch::nn, is built only when CMake finds Torch. Debian's libtorch-dev installs its
# TorchConfig.cmake in /usr/lib/<arch>/cmake/Torch, where find_package looks by default; elsewhere,
# pass -DTorch_DIR=<libtorch>/share/cmake/Torch. Only this target sees Torch's flags and libraries.
# Off by default: libtorch's headers take minutes to compile, and the sanitizer, float and serial
# builds of the test suite need none of it. tools/run_bench.sh (make bench) turns it on.
option(SCRATCH_BENCH_LIBTORCH "Build bench_libtorch when CMake finds Torch (make bench turns this on)" OFF)
if(SCRATCH_BENCH_LIBTORCH)
  find_package(Torch CONFIG QUIET)
endif()
if(SCRATCH_BENCH_LIBTORCH AND Torch_FOUND)
  message(STATUS "Benchmarks compare with libtorch ${Torch_VERSION}: ${Torch_DIR}")
  add_executable(bench_libtorch ${CMAKE_SOURCE_DIR}/bench/bench_libtorch.cpp)
  # The imported torch target brings its headers (as system headers: no warnings from them) and
  # TORCH_CXX_FLAGS, the C++ ABI it was built with (-D_GLIBCXX_USE_CXX11_ABI=1 on Debian).
  target_link_libraries(bench_libtorch PRIVATE scratch ${TORCH_LIBRARIES})
  list(APPEND SCRATCH_BENCHES bench_libtorch)
elseif(SCRATCH_BENCH_LIBTORCH)
  message(STATUS "Torch not found: no bench_libtorch (apt-get install libtorch-dev, or make bench-deps)")
endif()
add_custom_target(benches DEPENDS ${SCRATCH_BENCHES})

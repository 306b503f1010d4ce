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
add_custom_target(benches DEPENDS ${SCRATCH_BENCHES})

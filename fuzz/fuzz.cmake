# fuzz/fuzz.cmake — libFuzzer targets, included by CMakeLists.txt when SCRATCH_FUZZ is ON (clang).
# Each fuzz/fuzz_<name>.cpp defines LLVMFuzzerTestOneInput and becomes build-fuzz/bin/fuzz_<name>;
# `make fuzz` (fuzz/run_fuzz.sh) configures that build and runs them for a bounded time.
file(GLOB SCRATCH_FUZZ_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/fuzz/fuzz_*.cpp)
foreach(source ${SCRATCH_FUZZ_SOURCES})
  get_filename_component(target ${source} NAME_WE)
  add_executable(${target} ${source})
  target_link_libraries(${target} PRIVATE scratch)
  # -fsanitize=fuzzer links libFuzzer's main(), which calls LLVMFuzzerTestOneInput once per input.
  target_link_options(${target} PRIVATE -fsanitize=fuzzer)
endforeach()

# chapters/flags_test.cmake — registers chapters/test_chapter_flags.sh with CTest (included from
# CMakeLists.txt inside the tests block): every chapter rejects bad flags with status 2 and a message
# naming the flag, before it loads MNIST. It runs the built chapter programs and needs no data; when
# they are not built (only scratch_tests was), the test is reported as skipped, not passed.
find_program(SCRATCH_BASH bash)
if(SCRATCH_BASH)
  add_test(NAME chapters_flags COMMAND ${SCRATCH_BASH} ${CMAKE_SOURCE_DIR}/chapters/test_chapter_flags.sh
                                       ${CMAKE_RUNTIME_OUTPUT_DIRECTORY})
  set_tests_properties(chapters_flags PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77)
else()
  message(STATUS "bash not found: the chapters' flag test is not registered")
endif()

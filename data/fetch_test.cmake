# data/fetch_test.cmake — registers the test of data/fetch_mnist.sh with CTest (included from
# CMakeLists.txt inside the tests block). The test needs no network: it serves tiny fake files from
# file:// URLs. It runs fetch_mnist.sh from the source tree and writes only into a temporary folder.
find_program(SCRATCH_BASH bash)
if(SCRATCH_BASH)
  add_test(NAME data_fetch_mnist COMMAND ${SCRATCH_BASH} ${CMAKE_SOURCE_DIR}/data/test_fetch_mnist.sh)
  # About 10 s on an idle machine; shared, loaded build machines have needed 80 s.
  set_tests_properties(data_fetch_mnist PROPERTIES TIMEOUT 300)
else()
  message(STATUS "bash not found: the test of data/fetch_mnist.sh is not registered")
endif()

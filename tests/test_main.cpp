// test_main.cpp — the Boost.Test runner's entry point. Each test file adds one top-level suite,
// which CMake registers as one CTest test (see CMakeLists.txt).
#define BOOST_TEST_MODULE ScratchNet
#include <boost/test/unit_test.hpp>

// parallel.cpp — thread-count control; see parallel.hpp.
#include "core/parallel.hpp"

#include "core/errors.hpp"

namespace scratch {

int max_threads() {
#ifdef _OPENMP
  return omp_get_max_threads();
#else
  return 1;
#endif
}

void set_threads(int threads) {
  if (threads < 1) fail<ValueError>("set_threads: need at least 1 thread, got ", threads);
#ifdef _OPENMP
  omp_set_num_threads(threads);
#endif
}

}  // namespace scratch

// Cost of entering and leaving an (almost empty) OpenMP parallel region with
// OMP_NUM_THREADS threads (libgomp, threads kept warm), averaged over many regions.
#include <stdio.h>
#include <time.h>
#include <omp.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }
int main(void) {
  volatile int sink = 0;
  const int n = 200000;
  for (int trial = 0; trial < 3; ++trial) {
    double t0 = now();
    for (int i = 0; i < n; ++i) {
#pragma omp parallel
      { if (omp_get_thread_num() == 0) sink++; }
    }
    printf("threads=%d: %.2f us per parallel region\n", omp_get_max_threads(), (now() - t0) / n * 1e6);
  }
  return 0;
}

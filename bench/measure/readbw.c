// Read bandwidth vs working-set size (per thread, summed over threads): each
// thread repeatedly sums its own buffer with 8 independent 256-bit AVX2 accumulators so the
// loads, not the adds, are the limit. Sizes per thread, to place the working
// set in L1, L2, L3 or DRAM.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <omp.h>
#include <immintrin.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }
int main(void) {
  size_t sizes[] = {16 << 10, 256 << 10, 8 << 20, 512 << 20};
  for (int s = 0; s < 4; ++s) {
    size_t bytes = sizes[s], n = bytes / 4;
    double total = 0, best = 0;
    for (int trial = 0; trial < 5; ++trial) {
      size_t reps = ((size_t)4 << 30) / bytes; // ~4 GiB read per thread
      if (reps < 2) reps = 2;
      double t0 = 0, t1 = 0;
#pragma omp parallel reduction(+ : total)
      {
        float *p = aligned_alloc(64, bytes);
        for (size_t i = 0; i < n; ++i) p[i] = 1.0f;
        __m256 acc[8];
        for (int j = 0; j < 8; ++j) acc[j] = _mm256_setzero_ps();
#pragma omp barrier
#pragma omp master
        t0 = now();
        for (size_t r = 0; r < reps; ++r) {
          for (size_t i = 0; i < n; i += 64) // 8 independent 256-bit load+add chains
            for (int j = 0; j < 8; ++j) acc[j] = _mm256_add_ps(acc[j], _mm256_load_ps(p + i + 8 * j));
          __asm__ volatile("" ::: "memory");
        }
#pragma omp barrier
#pragma omp master
        t1 = now();
        for (int j = 1; j < 8; ++j) acc[0] = _mm256_add_ps(acc[0], acc[j]);
        float tmp[8];
        _mm256_storeu_ps(tmp, acc[0]);
        total += tmp[0];
        free(p);
      }
      double gbs = (double)bytes * reps * omp_get_max_threads() / (t1 - t0) / 1e9;
      if (gbs > best) best = gbs;
    }
    printf("threads=%d per-thread working set %8zu KiB: read %.1f GB/s (chk %g)\n",
           omp_get_max_threads(), bytes >> 10, best, total);
  }
  return 0;
}

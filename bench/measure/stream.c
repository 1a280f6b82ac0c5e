// STREAM-like copy and triad (McCalpin's kernels, not the official benchmark)
// over arrays much larger than L3. Bytes counted as in STREAM: copy 16 B/elem,
// triad 24 B/elem (write-allocate traffic not counted). Run with
// OMP_NUM_THREADS = number of vCPUs.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <omp.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }
int main(int argc, char **argv) {
  size_t n = argc > 1 ? strtoull(argv[1], 0, 10) : (size_t)64 << 20; // doubles per array
  double *a = aligned_alloc(64, n * 8), *b = aligned_alloc(64, n * 8), *c = aligned_alloc(64, n * 8);
#pragma omp parallel for
  for (size_t i = 0; i < n; ++i) { a[i] = 1.0; b[i] = 2.0; c[i] = 0.0; }
  double bc = 0, bt = 0;
  for (int k = 0; k < 10; ++k) {
    double t0 = now();
#pragma omp parallel for
    for (size_t i = 0; i < n; ++i) c[i] = a[i];
    double t1 = now();
#pragma omp parallel for
    for (size_t i = 0; i < n; ++i) a[i] = b[i] + 3.0 * c[i];
    double t2 = now();
    double gc = 16.0 * n / (t1 - t0) / 1e9, gt = 24.0 * n / (t2 - t1) / 1e9;
    if (gc > bc) bc = gc;
    if (gt > bt) bt = gt;
  }
  printf("threads=%d n=%zu (%.0f MiB/array) copy best %.1f GB/s, triad best %.1f GB/s (a[0]=%g)\n",
         omp_get_max_threads(), n, n * 8.0 / (1 << 20), bc, bt, a[0]);
  return 0;
}

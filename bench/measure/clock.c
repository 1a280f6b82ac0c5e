// Core clock estimate: a chain of dependent 64-bit integer adds retires at one
// add per cycle (1-cycle ALU latency), so adds/second = cycles/second.
#include <stdio.h>
#include <stdint.h>
#include <time.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }
int main(void) {
  const uint64_t n = 2000000000ull; // 2e9 dependent adds per trial
  double best = 0;
  for (int trial = 0; trial < 5; ++trial) {
    uint64_t x = trial;
    double t0 = now();
    for (uint64_t i = 0; i < n; i += 8) {
      // 8 dependent adds per iteration; the loop counter runs in parallel.
      __asm__ volatile("add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
                       "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0"
                       : "+r"(x));
    }
    double ghz = n / (now() - t0) / 1e9;
    if (ghz > best) best = ghz;
    printf("trial %d: %.3f GHz (x=%llu)\n", trial, ghz, (unsigned long long)x);
  }
  printf("best: %.3f GHz\n", best);
  return 0;
}

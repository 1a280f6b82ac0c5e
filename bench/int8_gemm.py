#!/usr/bin/env python3
#===- int8_gemm.py - green-opt's int8 GEMM vs its fp32 GEMM and oneDNN ----===#
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# In one run, for square N:
#   i8-1t / i8-2t    green-opt --green-lower-cpu, C(i32) = A(i8) x B(i8),
#                    threads=1 / threads=2 (vpdpbusd on cpu-zen4, vpmaddwd
#                    on cpu-zen3: the --target's kernel)
#   f32-1t / f32-2t  the same GEMM in f32 through the same pipeline
#   dnnl-1t/dnnl-2t  oneDNN dnnl_gemm_u8s8s32 (A u8, B s8, C s32), in a
#                    small C program linked with -ldnnl (its own process:
#                    oneDNN uses libgomp, green's code libomp)
# Prints GOPS (2 N^3 ops; best of --repeats, each the mean of enough calls
# to last >= 0.2 s), the spread (max/min - 1) and the ratios i8/f32 and
# i8/dnnl. green's int8 results are checked against numpy EXACTLY (full
# range int8 with -128 and 127), f32 to 1e-4 relative, oneDNN's against a
# naive loop on sampled rows. Everything is compiled -O3 -march=native:
# run it on a host that can execute the chosen target.
#
#   /usr/bin/python3 bench/int8_gemm.py --green-opt build/bin/green-opt \
#       --target cpu-zen4 --sizes 256,512,1024
#===------------------------------------------------------------------------===#

import argparse
import ctypes
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "python"))
from green.compiler import build_native_library  # noqa: E402
from green.runtime import descriptor_type, to_descriptor  # noqa: E402
from gemm import measure  # noqa: E402  (bench/gemm.py: GOPS, best and spread)

L = "/usr/lib/llvm-22"
libc = ctypes.CDLL("libc.so.6")
Desc2 = descriptor_type(2)


def source(n, elt, acc, zero):
    a = "tensor<%dx%dx%s>" % (n, n, elt)
    c = "tensor<%dx%dx%s>" % (n, n, acc)
    return f"""
func.func @gemm(%a: {a}, %b: {a}) -> {c} {{
  %z = arith.constant {zero} : {acc}
  %e = tensor.empty() : {c}
  %c = linalg.fill ins(%z : {acc}) outs(%e : {c}) -> {c}
  %r = linalg.matmul ins(%a, %b : {a}, {a}) outs(%c : {c}) -> {c}
  return %r : {c}
}}"""


def build(workdir, name, n, src, options, green_opt, ctype):
    base = os.path.join(workdir, "%s-%d" % (name, n))
    with open(base + ".mlir", "w") as f:
        f.write(src)
    subprocess.run([green_opt, "--green-lower-cpu=" + options,
                    base + ".mlir", "-o", base + ".llvm.mlir"], check=True)
    lib = ctypes.CDLL(build_native_library(base + ".llvm.mlir", base + ".so"))
    fn = lib._mlir_ciface_gemm

    def run(a, b, keep):
        r = Desc2()
        da, db = to_descriptor(a), to_descriptor(b)
        fn(ctypes.byref(r), ctypes.byref(da), ctypes.byref(db))
        out = None
        if keep:
            out = np.ctypeslib.as_array(
                (ctype * (n * n)).from_address(r.aligned)).reshape(n, n).copy()
        libc.free(ctypes.c_void_p(r.allocated))
        return out

    return run


DNNL_C = r"""
#include <oneapi/dnnl/dnnl.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(int argc, char **argv) {
  long n = atol(argv[1]);
  int threads = atoi(argv[2]), repeats = atoi(argv[3]);
  omp_set_num_threads(threads);
  uint8_t *a = malloc(n * n);
  int8_t *b = malloc(n * n);
  int32_t *c = malloc(4 * n * n);
  unsigned s = 12345;
  for (long i = 0; i < n * n; ++i) {
    s = s * 1103515245u + 12345u;
    a[i] = (uint8_t)(s >> 16);
    s = s * 1103515245u + 12345u;
    b[i] = (int8_t)(s >> 16);
  }
  int32_t co = 0;
#define GEMM()                                                               \
  dnnl_gemm_u8s8s32('N', 'N', 'F', n, n, n, 1.0f, a, n, 0, b, n, 0, 0.0f, c, \
                    n, &co)
  if (GEMM() != dnnl_success) {
    printf("error\n");
    return 1;
  }
  /* Exactness on sampled rows (a naive int64 loop). */
  long bad = 0;
  for (long i = 0; i < n; i += 1 + n / 16)
    for (long j = 0; j < n; ++j) {
      long long acc = 0;
      for (long k = 0; k < n; ++k)
        acc += (long long)a[i * n + k] * b[k * n + j];
      bad += acc != c[i * n + j];
    }
  double t0 = now();
  GEMM();
  double once = now() - t0;
  long iters = once > 0.2 ? 1 : (long)(0.2 / (once > 1e-7 ? once : 1e-7));
  double best = 0, worst = 1e300;
  for (int r = 0; r < repeats; ++r) {
    t0 = now();
    for (long i = 0; i < iters; ++i)
      GEMM();
    double gops = 2.0 * n * n * n / ((now() - t0) / iters) / 1e9;
    best = gops > best ? gops : best;
    worst = gops < worst ? gops : worst;
  }
  printf("%f %f %ld\n", best, best / worst - 1, bad);
  return 0;
}
"""


def build_dnnl(workdir):
    src = os.path.join(workdir, "dnnl_gemm.c")
    exe = os.path.join(workdir, "dnnl_gemm")
    with open(src, "w") as f:
        f.write(DNNL_C)
    subprocess.run(["cc", "-O2", "-fopenmp", src, "-o", exe, "-ldnnl"],
                   check=True)
    return exe


def dnnl(exe, n, threads, repeats):
    out = subprocess.run([exe, str(n), str(threads), str(repeats)],
                         check=True, capture_output=True, text=True).stdout
    gops, spread, bad = out.split()
    assert int(bad) == 0, "oneDNN u8s8s32 wrong on %s elements" % bad
    return float(gops), float(spread)


COLS = ["i8-1t", "i8-2t", "f32-1t", "f32-2t", "dnnl-1t", "dnnl-2t"]
RATIOS = [("i8/f32 1t", "i8-1t", "f32-1t"), ("i8/f32 2t", "i8-2t", "f32-2t"),
          ("i8/dnnl 1t", "i8-1t", "dnnl-1t"),
          ("i8/dnnl 2t", "i8-2t", "dnnl-2t")]


def print_row(row, header):
    if header:
        print("%6s" % "N" + "".join("%17s" % c for c in COLS) +
              "".join("%12s" % r[0] for r in RATIOS))
    cells = []
    for c in COLS:
        g, s = row[c]
        cells.append("%8.1f (±%3.0f%%)" % (g, 100 * s))
    print("%6d" % row["n"] + "".join("%17s" % c for c in cells) +
          "".join("%12.2f" % (row[a][0] / row[b][0]) for _, a, b in RATIOS),
          flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--green-opt", required=True)
    p.add_argument("--sizes", default="256,512,1024")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--target", default="host")
    args = p.parse_args()
    os.environ.setdefault("GREEN_LLVM_BIN", L + "/bin")
    sizes = [int(s) for s in args.sizes.split(",")]
    print("target %s; GOPS = 2 N^3 / s (one multiply-add = 2 ops)" %
          args.target)
    with tempfile.TemporaryDirectory() as wd:
        exe = build_dnnl(wd)
        for n in sizes:
            rng = np.random.default_rng(n)
            a8 = rng.integers(-128, 128, (n, n), dtype=np.int16).astype(
                np.int8)
            b8 = rng.integers(-128, 128, (n, n), dtype=np.int16).astype(
                np.int8)
            a8[0, 0] = b8[0, 0] = -128
            a8[-1, -1] = b8[-1, -1] = 127
            ref8 = a8.astype(np.int64) @ b8.astype(np.int64)
            af = rng.standard_normal((n, n)).astype(np.float32)
            bf = rng.standard_normal((n, n)).astype(np.float32)
            reff = af.astype(np.float64) @ bf.astype(np.float64)
            row = {"n": n}
            ops = 2.0 * n**3
            for t in (1, 2):
                opts = "target=%s threads=%d" % (args.target, t)
                run8 = build(wd, "i8-%dt" % t, n, source(n, "i8", "i32", "0"),
                             opts, args.green_opt, ctypes.c_int32)
                got = run8(a8, b8, True).astype(np.int64)
                assert np.array_equal(got, ref8), \
                    "green i8 %dt: %d elements wrong" % (
                        t, np.count_nonzero(got != ref8))
                row["i8-%dt" % t] = measure(
                    lambda r=run8: r(a8, b8, False), ops, args.repeats)
                runf = build(wd, "f32-%dt" % t, n,
                             source(n, "f32", "f32", "0.0"), opts,
                             args.green_opt, ctypes.c_float)
                err = np.max(np.abs(runf(af, bf, True) - reff)) / np.max(
                    np.abs(reff))
                assert err < 1e-4, "green f32 %dt wrong: %g" % (t, err)
                row["f32-%dt" % t] = measure(
                    lambda r=runf: r(af, bf, False), ops, args.repeats)
                row["dnnl-%dt" % t] = dnnl(exe, n, t, args.repeats)
            print_row(row, header=(n == sizes[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

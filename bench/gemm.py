#!/usr/bin/env python3
#===- gemm.py - time green-opt's GEMM against OpenBLAS and plain lowering -===#
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Builds C = A x B (f32, row-major, square N) three ways, in one run:
#   green-1t / green-2t  green-opt --green-lower-cpu threads=1 / threads=2
#   plain                upstream linalg-to-loops lowering (N <= 512 only)
#   blas-1t / blas-2t    OpenBLAS cblas_sgemm with 1 / 2 threads
# and prints GFLOPS (best of --repeats, each the mean of enough calls to
# last >= 0.2 s), the spread (max/min - 1 over the repeats) and ratios to
# OpenBLAS. Everything is compiled with clang -O3 -march=native for the
# host. Run with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset:
#
#   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 \
#       bench/gemm.py --green-opt build/bin/green-opt
#===------------------------------------------------------------------------===#

import argparse
import ctypes
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

# Memref descriptors for the C interface: the green package's (python/).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "python"))
from green.compiler import build_native_library  # noqa: E402
from green.runtime import descriptor_type, to_descriptor  # noqa: E402

L = "/usr/lib/llvm-22"

PLAIN = ["--one-shot-bufferize=bufferize-function-boundaries "
         "function-boundary-type-conversion=identity-layout-map"] + (
         "--buffer-deallocation-pipeline --convert-bufferization-to-memref "
         "--convert-linalg-to-loops --lower-affine --convert-scf-to-cf "
         "--expand-strided-metadata --lower-affine --finalize-memref-to-llvm "
         "--convert-arith-to-llvm --convert-func-to-llvm --convert-cf-to-llvm "
         "--reconcile-unrealized-casts").split()


def source(n):
    t = "tensor<%dx%dxf32>" % (n, n)
    return f"""
func.func @gemm(%a: {t}, %b: {t}) -> {t} attributes {{llvm.emit_c_interface}} {{
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : {t}
  %c = linalg.fill ins(%z : f32) outs(%e : {t}) -> {t}
  %r = linalg.matmul ins(%a, %b : {t}, {t}) outs(%c : {t}) -> {t}
  return %r : {t}
}}"""


Desc2 = descriptor_type(2)
desc = to_descriptor


libc = ctypes.CDLL("libc.so.6")


def build(workdir, name, n, opt_args):
    base = os.path.join(workdir, "%s-%d" % (name, n))
    with open(base + ".mlir", "w") as f:
        f.write(source(n))
    subprocess.run(opt_args + [base + ".mlir", "-o", base + ".llvm.mlir"],
                   check=True)
    lib = ctypes.CDLL(build_native_library(base + ".llvm.mlir", base + ".so"))
    fn = lib._mlir_ciface_gemm

    def run(a, b):
        r = Desc2()
        fn(ctypes.byref(r), ctypes.byref(desc(a)), ctypes.byref(desc(b)))
        out = np.ctypeslib.as_array(
            (ctypes.c_float * (n * n)).from_address(r.aligned)).reshape(n, n)
        return r, out

    def call(a, b):
        r, out = run(a, b)
        libc.free(ctypes.c_void_p(r.allocated))

    def check(a, b):
        r, out = run(a, b)
        res = out.copy()
        libc.free(ctypes.c_void_p(r.allocated))
        return res

    return call, check


def blas(threads):
    lib = ctypes.CDLL("libopenblas.so.0")
    lib.openblas_set_num_threads(threads)
    sgemm = lib.cblas_sgemm
    sgemm.argtypes = [ctypes.c_int] * 6 + [
        ctypes.c_float, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p,
        ctypes.c_int, ctypes.c_float, ctypes.c_void_p, ctypes.c_int]

    def call(a, b, c):
        n = a.shape[0]
        lib.openblas_set_num_threads(threads)
        sgemm(101, 111, 111, n, n, n, 1.0, a.ctypes.data, n, b.ctypes.data, n,
              0.0, c.ctypes.data, n)

    return call


def measure(fn, flops, repeats):
    fn()  # warm up
    t0 = time.perf_counter()
    fn()
    once = max(time.perf_counter() - t0, 1e-7)
    iters = max(1, int(0.2 / once))
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(iters):
            fn()
        dt = (time.perf_counter() - t0) / iters
        rates.append(flops / dt / 1e9)
    return max(rates), max(rates) / min(rates) - 1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--green-opt", required=True)
    p.add_argument("--sizes", default="256,512,1024,2048")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--target", default="host")
    p.add_argument("--green-options", default="",
                   help="extra --green-lower-cpu options, e.g. pack-b=false")
    args = p.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as wd:
        for n in sizes:
            rng = np.random.default_rng(n)
            a = rng.standard_normal((n, n)).astype(np.float32)
            b = rng.standard_normal((n, n)).astype(np.float32)
            ref = a.astype(np.float64) @ b.astype(np.float64)
            flops = 2.0 * n**3
            row = {"n": n}
            impls = {}
            for t in (1, 2):
                call, check = build(wd, "green%d" % t, n, [
                    args.green_opt, "--green-lower-cpu=target=%s threads=%d %s" %
                    (args.target, t, args.green_options)])
                err = np.max(np.abs(check(a, b) - ref)) / np.max(np.abs(ref))
                assert err < 1e-4, "green-%dt wrong: %g" % (t, err)
                impls["green-%dt" % t] = lambda call=call: call(a, b)
            if n <= 512:
                call, check = build(wd, "plain", n, [L + "/bin/mlir-opt"] +
                                    PLAIN)
                impls["plain"] = lambda call=call: call(a, b)
            c = np.empty((n, n), dtype=np.float32)
            for t in (1, 2):
                impls["blas-%dt" % t] = lambda f=blas(t): f(a, b, c)
            for k, fn in impls.items():
                row[k] = measure(fn, flops, args.repeats)
            rows.append(row)
            print_row(row, header=(n == sizes[0]))
    return 0


COLS = ["green-1t", "green-2t", "plain", "blas-1t", "blas-2t"]


def print_row(row, header):
    if header:
        print("%6s" % "N" + "".join("%18s" % c for c in COLS) +
              "%12s%12s%12s" % ("g1t/blas1t", "g2t/blas2t", "g1t/plain"))
    cells = []
    for c in COLS:
        if c in row:
            g, s = row[c]
            cells.append("%9.1f (±%3.0f%%)" % (g, 100 * s))
        else:
            cells.append("-")
    r1 = row["green-1t"][0] / row["blas-1t"][0]
    r2 = row["green-2t"][0] / row["blas-2t"][0]
    rp = ("%12.1fx" % (row["green-1t"][0] / row["plain"][0])
          if "plain" in row else "%12s" % "-")
    print("%6d" % row["n"] + "".join("%18s" % c for c in cells) +
          "%12.2f%12.2f" % (r1, r2) + rp, flush=True)


if __name__ == "__main__":
    sys.exit(main())

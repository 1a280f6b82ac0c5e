#!/usr/bin/env python3
#===- conv.py - green-opt's 2-D convolutions vs im2col + OpenBLAS --------===#
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Builds an f32 NHWC/HWCF convolution (batch 1, stride 1, no padding) for a
# few layer shapes, in one run:
#   green-1t / green-2t  green-opt --green-lower-cpu threads=1 / threads=2
#                        (im2col + scheduled GEMM, green-cpu-conv-to-gemm)
#   loops-1t             --green-lower-cpu threads=1 conv-to-gemm=false (the
#                        convolution lowered to loops, LLVM's vectorizer)
#   blas-1t / blas-2t    im2col in numpy (not timed: a lower bound for the
#                        reference) + OpenBLAS cblas_sgemm, 1 / 2 threads
# and prints GFLOPS (2*OH*OW*F*KH*KW*C flops; best of --repeats, each the
# mean of enough calls to last >= 0.2 s), the spread and ratios. Every
# result is checked against numpy. Run with OPENBLAS_CORETYPE /
# OPENBLAS_L2_SIZE unset:
#
#   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 \
#       bench/conv.py --green-opt build/bin/green-opt
#===------------------------------------------------------------------------===#

import argparse
import ctypes
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gemm import L, libc, measure  # noqa: E402
from green.compiler import build_native_library  # noqa: E402
from green.runtime import descriptor_type, to_descriptor  # noqa: E402

# (H, W, C, KH, KW, F): ResNet-like layers at batch 1.
SHAPES = [(56, 56, 64, 3, 3, 64), (28, 28, 128, 3, 3, 128),
          (14, 14, 256, 3, 3, 256), (56, 56, 64, 1, 1, 256)]


def t(shape):
    return "tensor<%sxf32>" % "x".join(str(s) for s in shape)


def source(h, w, c, kh, kw, f):
    oh, ow = h - kh + 1, w - kw + 1
    x, k, o = t([1, h, w, c]), t([kh, kw, c, f]), t([1, oh, ow, f])
    return f"""
func.func @conv(%x: {x}, %w: {k}) -> {o} attributes {{llvm.emit_c_interface}} {{
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : {o}
  %c = linalg.fill ins(%z : f32) outs(%e : {o}) -> {o}
  %r = linalg.conv_2d_nhwc_hwcf
         {{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}}
         ins(%x, %w : {x}, {k}) outs(%c : {o}) -> {o}
  return %r : {o}
}}"""


descriptor = descriptor_type
desc = to_descriptor


def build(workdir, name, shape, opt_args):
    base = os.path.join(workdir, "%s-%s" % (name, "x".join(map(str, shape))))
    with open(base + ".mlir", "w") as fh:
        fh.write(source(*shape))
    subprocess.run(opt_args + [base + ".mlir", "-o", base + ".llvm.mlir"],
                   check=True)
    fn = ctypes.CDLL(build_native_library(base + ".llvm.mlir",
                                          base + ".so"))._mlir_ciface_conv
    h, w, c, kh, kw, f = shape
    oshape = (1, h - kh + 1, w - kw + 1, f)

    def run(x, k, keep):
        r = descriptor(4)()
        fn(ctypes.byref(r), ctypes.byref(desc(x)), ctypes.byref(desc(k)))
        out = None
        if keep:
            out = np.ctypeslib.as_array((ctypes.c_float * int(
                np.prod(oshape))).from_address(r.aligned)).reshape(oshape)
            out = out.copy()
        libc.free(ctypes.c_void_p(r.allocated))
        return out

    return run


def im2col(x, kh, kw):
    _, h, w, c = x.shape
    oh, ow = h - kh + 1, w - kw + 1
    cols = np.empty((oh * ow, kh * kw * c), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[:, (i * kw + j) * c:(i * kw + j + 1) * c] = x[
                0, i:i + oh, j:j + ow, :].reshape(oh * ow, c)
    return cols


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--green-opt", required=True)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--target", default="host")
    args = p.parse_args()
    rng = np.random.default_rng(0)
    cols = ["green-1t", "green-2t", "loops-1t", "blas-1t", "blas-2t"]
    print("%-22s" % "shape (HxWxC, KxK, F)" +
          "".join("%18s" % c for c in cols) +
          "  g1t/blas1t  g2t/blas2t  g1t/loops")
    with tempfile.TemporaryDirectory() as wd:
        for shape in SHAPES:
            h, w, c, kh, kw, f = shape
            oh, ow = h - kh + 1, w - kw + 1
            flops = 2.0 * oh * ow * f * kh * kw * c
            x = rng.standard_normal((1, h, w, c)).astype(np.float32)
            k = rng.standard_normal((kh, kw, c, f)).astype(np.float32)
            a = im2col(x, kh, kw)
            bm = np.ascontiguousarray(k.reshape(kh * kw * c, f))
            ref = (a.astype(np.float64) @ bm.astype(np.float64)).reshape(
                1, oh, ow, f)
            impls = {}
            for name, opts in [("green-1t", "threads=1"),
                               ("green-2t", "threads=2"),
                               ("loops-1t", "threads=1 conv-to-gemm=false")]:
                run = build(wd, name, shape, [
                    args.green_opt, "--green-lower-cpu=target=%s %s" %
                    (args.target, opts)])
                got = run(x, k, True)
                err = np.max(np.abs(got - ref)) / np.max(np.abs(ref))
                assert err < 1e-4, "%s wrong: %g" % (name, err)
                impls[name] = lambda run=run: run(x, k, False)
            out = np.empty((oh * ow, f), dtype=np.float32)
            for tcount in (1, 2):
                impls["blas-%dt" % tcount] = (
                    lambda g=blas_gemm(tcount): g(a, bm, out))
            blas_gemm(1)(a, bm, out)
            err = np.max(np.abs(out - ref.reshape(oh * ow, f))) / np.max(
                np.abs(ref))
            assert err < 1e-4, "blas wrong: %g" % err
            res = {n: measure(fn, flops, args.repeats)
                   for n, fn in impls.items()}
            label = "%dx%dx%d, %dx%d, %d" % (h, w, c, kh, kw, f)
            print("%-22s" % label + "".join(
                "%18s" % ("%.1f (±%3.0f%%)" % (res[n][0], 100 * res[n][1]))
                for n in cols) + "%12.2f%12.2f%10.1fx" % (
                    res["green-1t"][0] / res["blas-1t"][0],
                    res["green-2t"][0] / res["blas-2t"][0],
                    res["green-1t"][0] / res["loops-1t"][0]))
            sys.stdout.flush()
    return 0


def blas_gemm(threads):
    """C (M x N) = A (M x K) x B (K x N) with OpenBLAS on `threads` threads."""
    lib = ctypes.CDLL("libopenblas.so.0")
    sgemm = lib.cblas_sgemm
    sgemm.argtypes = [ctypes.c_int] * 6 + [
        ctypes.c_float, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p,
        ctypes.c_int, ctypes.c_float, ctypes.c_void_p, ctypes.c_int]

    def call(a, b, c):
        m, kk = a.shape
        n = b.shape[1]
        lib.openblas_set_num_threads(threads)
        sgemm(101, 111, 111, m, n, kk, 1.0, a.ctypes.data, kk, b.ctypes.data,
              n, 0.0, c.ctypes.data, n)

    return call


if __name__ == "__main__":
    sys.exit(main())

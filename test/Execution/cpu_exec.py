#!/usr/bin/env python3
#===- cpu_exec.py - run --green-lower-cpu output against numpy ------------===#
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Execution tests of the CPU backend: each case is a function on tensors;
# it is compiled with green-opt --green-lower-cpu, mlir-translate and
# clang -O3 -march=native (the host's own features) into a shared library,
# called through its _mlir_ciface_ wrapper with ctypes, and compared with a
# numpy reference (relative tolerance 1e-4).
#
# Usage: cpu_exec.py --green-opt PATH --llvm-bin DIR [--filter SUBSTR]
#===------------------------------------------------------------------------===#

import argparse
import ctypes
import os
import subprocess
import sys
import tempfile

import numpy as np

# Memref descriptors for the C interface: the green package's (python/).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "python"))
from green.compiler import build_native_library  # noqa: E402
from green.runtime import descriptor_type, to_descriptor  # noqa: E402

RTOL = 1e-4


def t(shape, dtype="f32"):
    return "tensor<%sx%s>" % ("x".join(str(s) for s in shape), dtype)


def matmul(m, n, k):
    return f"""
func.func @f(%a: {t([m, k])}, %b: {t([k, n])}) -> {t([m, n])} {{
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : {t([m, n])}
  %c = linalg.fill ins(%z : f32) outs(%e : {t([m, n])}) -> {t([m, n])}
  %r = linalg.matmul ins(%a, %b : {t([m, k])}, {t([k, n])})
                     outs(%c : {t([m, n])}) -> {t([m, n])}
  return %r : {t([m, n])}
}}""", [(m, k), (k, n)], lambda a, b: a @ b


def batch_matmul(bt, m, n, k):
    return f"""
func.func @f(%a: {t([bt, m, k])}, %b: {t([bt, k, n])}) -> {t([bt, m, n])} {{
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : {t([bt, m, n])}
  %c = linalg.fill ins(%z : f32) outs(%e : {t([bt, m, n])}) -> {t([bt, m, n])}
  %r = linalg.batch_matmul ins(%a, %b : {t([bt, m, k])}, {t([bt, k, n])})
                           outs(%c : {t([bt, m, n])}) -> {t([bt, m, n])}
  return %r : {t([bt, m, n])}
}}""", [(bt, m, k), (bt, k, n)], lambda a, b: a @ b


def tosa_matmul(bt, m, n, k):
    return f"""
func.func @f(%a: {t([bt, m, k])}, %b: {t([bt, k, n])}) -> {t([bt, m, n])} {{
  %zp = "tosa.const"() <{{values = dense<0.0> : tensor<1xf32>}}> : () -> tensor<1xf32>
  %r = tosa.matmul %a, %b, %zp, %zp : ({t([bt, m, k])}, {t([bt, k, n])}, tensor<1xf32>, tensor<1xf32>) -> {t([bt, m, n])}
  return %r : {t([bt, m, n])}
}}""", [(bt, m, k), (bt, k, n)], lambda a, b: a @ b


def conv_ref(x, w, stride, pad):
    # x NHWC, w HWCF, symmetric zero padding; float64 sums for floats,
    # exact int64 sums for integers (int8_exec.py).
    x = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    n, h, wd, c = x.shape
    kh, kw, _, f = w.shape
    oh = (h - kh) // stride + 1
    ow = (wd - kw) // stride + 1
    acc = np.int64 if x.dtype.kind in "iu" else np.float64
    out = np.zeros((n, oh, ow, f), dtype=acc)
    for i in range(kh):
        for j in range(kw):
            patch = x[:, i:i + stride * oh:stride, j:j + stride * ow:stride, :]
            out += np.einsum("nhwc,cf->nhwf", patch, w[i, j])
    return out


def conv2d(n, h, w, c, kh, kw, f, stride, pad):
    hp, wp = h + 2 * pad, w + 2 * pad
    oh, ow = (hp - kh) // stride + 1, (wp - kw) // stride + 1
    return f"""
func.func @f(%x: {t([n, h, w, c])}, %w: {t([kh, kw, c, f])}) -> {t([n, oh, ow, f])} {{
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, {pad}, {pad}, 0] high[0, {pad}, {pad}, 0] {{
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : f32
  }} : {t([n, h, w, c])} to {t([n, hp, wp, c])}
  %e = tensor.empty() : {t([n, oh, ow, f])}
  %o = linalg.fill ins(%z : f32) outs(%e : {t([n, oh, ow, f])}) -> {t([n, oh, ow, f])}
  %r = linalg.conv_2d_nhwc_hwcf
         {{dilations = dense<1> : tensor<2xi64>, strides = dense<{stride}> : tensor<2xi64>}}
         ins(%p, %w : {t([n, hp, wp, c])}, {t([kh, kw, c, f])})
         outs(%o : {t([n, oh, ow, f])}) -> {t([n, oh, ow, f])}
  return %r : {t([n, oh, ow, f])}
}}""", [(n, h, w, c), (kh, kw, c, f)], lambda x, wt: conv_ref(x, wt, stride,
                                                               pad)


def conv2d_nchw(n, h, w, c, kh, kw, f, stride):
    oh, ow = (h - kh) // stride + 1, (w - kw) // stride + 1
    return f"""
func.func @f(%x: {t([n, c, h, w])}, %w: {t([f, c, kh, kw])}) -> {t([n, f, oh, ow])} {{
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : {t([n, f, oh, ow])}
  %o = linalg.fill ins(%z : f32) outs(%e : {t([n, f, oh, ow])}) -> {t([n, f, oh, ow])}
  %r = linalg.conv_2d_nchw_fchw
         {{dilations = dense<1> : tensor<2xi64>, strides = dense<{stride}> : tensor<2xi64>}}
         ins(%x, %w : {t([n, c, h, w])}, {t([f, c, kh, kw])})
         outs(%o : {t([n, f, oh, ow])}) -> {t([n, f, oh, ow])}
  return %r : {t([n, f, oh, ow])}
}}""", [(n, c, h, w), (f, c, kh, kw)], lambda x, wt: conv_ref(
        x.transpose(0, 2, 3, 1), wt.transpose(2, 3, 1, 0), stride,
        0).transpose(0, 3, 1, 2)


def depthwise(n, h, w, c, kh, kw):
    oh, ow = h - kh + 1, w - kw + 1

    def ref(x, wt):
        out = np.zeros((n, oh, ow, c))
        for i in range(kh):
            for j in range(kw):
                out += x[:, i:i + oh, j:j + ow, :] * wt[i, j]
        return out

    return f"""
func.func @f(%x: {t([n, h, w, c])}, %w: {t([kh, kw, c])}) -> {t([n, oh, ow, c])} {{
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : {t([n, oh, ow, c])}
  %o = linalg.fill ins(%z : f32) outs(%e : {t([n, oh, ow, c])}) -> {t([n, oh, ow, c])}
  %r = linalg.depthwise_conv_2d_nhwc_hwc
         {{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}}
         ins(%x, %w : {t([n, h, w, c])}, {t([kh, kw, c])})
         outs(%o : {t([n, oh, ow, c])}) -> {t([n, oh, ow, c])}
  return %r : {t([n, oh, ow, c])}
}}""", [(n, h, w, c), (kh, kw, c)], ref


def elementwise(m, n):
    # relu(tanh(a) * b + a), through TOSA.
    return f"""
func.func @f(%a: {t([m, n])}, %b: {t([m, n])}) -> {t([m, n])} {{
  %sh = "tosa.const"() <{{values = dense<0> : tensor<1xi8>}}> : () -> tensor<1xi8>
  %0 = tosa.tanh %a : ({t([m, n])}) -> {t([m, n])}
  %1 = tosa.mul %0, %b, %sh : ({t([m, n])}, {t([m, n])}, tensor<1xi8>) -> {t([m, n])}
  %2 = tosa.add %1, %a : ({t([m, n])}, {t([m, n])}) -> {t([m, n])}
  %3 = tosa.clamp %2 {{min_val = 0.0 : f32, max_val = 3.4e38 : f32}} : ({t([m, n])}) -> {t([m, n])}
  return %3 : {t([m, n])}
}}""", [(m, n), (m, n)], lambda a, b: np.maximum(np.tanh(a) * b + a, 0)


def reduction(m, n):
    return f"""
func.func @f(%a: {t([m, n])}) -> {t([m])} {{
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : {t([m])}
  %o = linalg.fill ins(%z : f32) outs(%e : {t([m])}) -> {t([m])}
  %r = linalg.reduce ins(%a : {t([m, n])}) outs(%o : {t([m])}) dimensions = [1]
    (%x: f32, %acc: f32) {{
      %s = arith.addf %x, %acc : f32
      linalg.yield %s : f32
    }}
  return %r : {t([m])}
}}""", [(m, n)], lambda a: a.sum(axis=1)


def gelu(x):
    return 0.5 * x * (1 + np.tanh(0.7978845608 * (x + 0.044715 * x ** 3)))


GELU_PAYLOAD = """
    %x3 = arith.mulf %s, %s : f32
    %x3b = arith.mulf %x3, %s : f32
    %u0 = arith.mulf %x3b, %k1 : f32
    %u1 = arith.addf %s, %u0 : f32
    %u2 = arith.mulf %u1, %k2 : f32
    %th = math.tanh %u2 : f32
    %t1 = arith.addf %th, %one : f32
    %t2 = arith.mulf %s, %t1 : f32
    %g = arith.mulf %t2, %half : f32"""


def matmul_epilogue(m, n, k):
    """C = GELU(A B + bias) + R: green-fuse groups the matmul with its
    epilogue, green-cpu-tile-and-vectorize fuses it into the GEMM's tiles."""
    return f"""
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
func.func @f(%a: {t([m, k])}, %b: {t([k, n])}, %bias: {t([n])},
             %res: {t([m, n])}) -> {t([m, n])} {{
  %z = arith.constant 0.0 : f32
  %k1 = arith.constant 0.044715 : f32
  %k2 = arith.constant 0.7978845608 : f32
  %one = arith.constant 1.0 : f32
  %half = arith.constant 0.5 : f32
  %e = tensor.empty() : {t([m, n])}
  %c = linalg.fill ins(%z : f32) outs(%e : {t([m, n])}) -> {t([m, n])}
  %mm = linalg.matmul ins(%a, %b : {t([m, k])}, {t([k, n])})
                      outs(%c : {t([m, n])}) -> {t([m, n])}
  %biased = linalg.generic {{indexing_maps = [#id, #row, #id],
      iterator_types = ["parallel", "parallel"]}}
      ins(%mm, %bias : {t([m, n])}, {t([n])}) outs(%e : {t([m, n])}) {{
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }} -> {t([m, n])}
  %act = linalg.generic {{indexing_maps = [#id, #id],
      iterator_types = ["parallel", "parallel"]}}
      ins(%biased : {t([m, n])}) outs(%e : {t([m, n])}) {{
  ^bb0(%s: f32, %o: f32):{GELU_PAYLOAD}
    linalg.yield %g : f32
  }} -> {t([m, n])}
  %r = linalg.generic {{indexing_maps = [#id, #id, #id],
      iterator_types = ["parallel", "parallel"]}}
      ins(%act, %res : {t([m, n])}, {t([m, n])}) outs(%e : {t([m, n])}) {{
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }} -> {t([m, n])}
  return %r : {t([m, n])}
}}""", [(m, k), (k, n), (n,), (m, n)], \
        lambda a, b, bias, res: gelu(a @ b + bias) + res


def conv_epilogue(h, w, c, f):
    """ReLU(conv3x3(x) + bias) + x' (NHWC, batch 1, no padding): the
    epilogue follows the convolution through the im2col GEMM."""
    oh, ow = h - 2, w - 2
    o = t([1, oh, ow, f])
    return f"""
#m4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#c4 = affine_map<(d0, d1, d2, d3) -> (d3)>
func.func @f(%x: {t([1, h, w, c])}, %w: {t([3, 3, c, f])}, %bias: {t([f])},
             %res: {o}) -> {o} {{
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : {o}
  %i = linalg.fill ins(%z : f32) outs(%e : {o}) -> {o}
  %cv = linalg.conv_2d_nhwc_hwcf {{dilations = dense<1> : tensor<2xi64>,
                                   strides = dense<1> : tensor<2xi64>}}
     ins(%x, %w : {t([1, h, w, c])}, {t([3, 3, c, f])}) outs(%i : {o}) -> {o}
  %0 = linalg.generic {{indexing_maps = [#m4, #c4, #m4, #m4],
      iterator_types = ["parallel", "parallel", "parallel", "parallel"]}}
      ins(%cv, %bias, %res : {o}, {t([f])}, {o}) outs(%e : {o}) {{
  ^bb0(%a: f32, %b: f32, %r: f32, %out: f32):
    %s = arith.addf %a, %b : f32
    %m = arith.maximumf %s, %z : f32
    %y = arith.addf %m, %r : f32
    linalg.yield %y : f32
  }} -> {o}
  return %0 : {o}
}}""", [(1, h, w, c), (3, 3, c, f), (f,), (1, oh, ow, f)], \
        lambda x, wt, bias, res: np.maximum(valid_conv_ref(x, wt) + bias, 0) + res


def tosa_conv_relu(h, c, f):
    """tosa.conv2d 3x3, pad 1, FHWC filter, with bias, then ReLU: the filter
    is transposed to HWCF, the bias broadcast (the accumulator's init) and
    the ReLU are tile-fused into the im2col GEMM's tiles."""
    x, o, wt = t([1, h, h, c]), t([1, h, h, f]), t([f, 3, 3, c])
    return f"""
func.func @f(%x: {x}, %w: {wt}, %b: {t([f])}) -> {o} {{
  %zp = "tosa.const"() <{{values = dense<0.0> : tensor<1xf32>}}> : () -> tensor<1xf32>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {{acc_type = f32,
      dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>,
      stride = array<i64: 1, 1>}} : ({x}, {wt}, {t([f])}, tensor<1xf32>,
      tensor<1xf32>) -> {o}
  %r = tosa.clamp %c {{min_val = 0.0 : f32, max_val = 3.4e38 : f32}}
      : ({o}) -> {o}
  return %r : {o}
}}""", [(1, h, h, c), (f, 3, 3, c), (f,)], \
        lambda x, w, b: np.maximum(valid_conv_ref(
            np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0))),
            w.transpose(1, 2, 3, 0)) + b, 0)


def valid_conv_ref(x, w):
    kh, kw = w.shape[0], w.shape[1]
    oh, ow = x.shape[1] - kh + 1, x.shape[2] - kw + 1
    out = np.zeros((x.shape[0], oh, ow, w.shape[3]))
    for i in range(kh):
        for j in range(kw):
            out += np.einsum("nhwc,cf->nhwf", x[:, i:i + oh, j:j + ow, :],
                             w[i, j])
    return out


CASES = [
    ("matmul-7x33x257", matmul(7, 33, 257), ""),
    ("matmul-1x1x1", matmul(1, 1, 1), ""),
    ("matmul-257x257x257", matmul(257, 257, 257), ""),
    ("matmul-256-threads1", matmul(256, 256, 256), "threads=1"),
    ("matmul-128x96x64-latency", matmul(128, 96, 64), "objective=latency"),
    ("matmul-64x48x40-zen3", matmul(64, 48, 40), "target=cpu-zen3"),
    # Rows of B >= 4 KiB apart: the model packs B panels ([nc/nr][kc][nr]),
    # remainders in every dimension, one and two threads, AVX2 and AVX-512
    # register tiles; and the same kind of shape with packing turned off.
    ("matmul-65x1031x129-packed", matmul(65, 1031, 129), "threads=1"),
    ("matmul-257x1025x33-packed-2t", matmul(257, 1025, 33), "threads=2"),
    ("matmul-33x1024x257-packed-zen3", matmul(33, 1024, 257),
     "target=cpu-zen3"),
    ("matmul-17x1024x40-unpacked", matmul(17, 1024, 40), "pack-b=false"),
    ("batch-matmul-3x17x40x24", batch_matmul(3, 17, 40, 24), ""),
    ("tosa-matmul-2x9x20x12", tosa_matmul(2, 9, 20, 12), ""),
    ("conv2d-nhwc-stride2-pad1", conv2d(2, 9, 9, 3, 3, 3, 8, 2, 1), ""),
    # Batch 1: im2col + scheduled GEMM (green-cpu-conv-to-gemm); odd sizes,
    # stride and padding, one and two threads, AVX2 tiles.
    ("conv2d-nhwc-1x16x16x32-f64", conv2d(1, 16, 16, 32, 3, 3, 64, 1, 0), ""),
    ("conv2d-nhwc-1x13x11x7-s2p1", conv2d(1, 13, 11, 7, 3, 3, 33, 2, 1),
     "threads=1"),
    ("conv2d-nhwc-1x9x9x16-5x5-zen3", conv2d(1, 9, 9, 16, 5, 5, 24, 1, 2),
     "target=cpu-zen3"),
    ("conv2d-nhwc-3x7x5x16-1x1", conv2d(3, 7, 5, 16, 1, 1, 24, 1, 0), ""),
    ("conv2d-nhwc-2x8x8x4-1x1-s2", conv2d(2, 8, 8, 4, 1, 1, 8, 2, 0), ""),
    ("conv2d-nchw-2x3x10x9-s2", conv2d_nchw(2, 10, 9, 3, 3, 3, 8, 2), ""),
    ("conv2d-nchw-1x16x12x12", conv2d_nchw(1, 12, 12, 16, 3, 3, 40, 1), ""),
    ("depthwise-3x3", depthwise(1, 10, 12, 5, 3, 3), ""),
    ("elementwise-tosa-chain", elementwise(13, 37), ""),
    ("reduction-rows", reduction(19, 130), ""),
    # Epilogue groups tile-fused into the GEMM's tiles (green-fuse, then
    # green-cpu-tile-and-vectorize): bias + GELU + residual, one thread,
    # two threads (scf.forall tiles), remainders and packed B panels; and
    # conv + bias + ReLU + residual through the im2col GEMM.
    ("matmul-epilogue-256x512x64", matmul_epilogue(256, 512, 64),
     "threads=1"),
    ("matmul-epilogue-256x1024x33-2t", matmul_epilogue(256, 1024, 33),
     "threads=2"),
    ("matmul-epilogue-96x2048x129-zen3", matmul_epilogue(96, 2048, 129),
     "threads=1 target=cpu-zen3"),
    # Extents no register-tile multiple divides: left unfused (remark).
    ("matmul-epilogue-257x1025x33-2t", matmul_epilogue(257, 1025, 33),
     "threads=2"),
    ("conv-epilogue-1x30x30x16", conv_epilogue(30, 30, 16, 64),
     "threads=1"),
    ("tosa-conv-relu-1x28x28x32-fhwc", tosa_conv_relu(28, 32, 64),
     "threads=1"),
]




def run_case(name, case, options, args, workdir):
    src, shapes, ref = case
    base = os.path.join(workdir, name)
    with open(base + ".mlir", "w") as f:
        f.write(src)
    pipeline = "--green-lower-cpu" + ("=" + options if options else "")
    subprocess.run([args.green_opt, base + ".mlir", pipeline, "-o",
                    base + ".llvm.mlir"], check=True)
    lib = ctypes.CDLL(build_native_library(base + ".llvm.mlir", base + ".so"))
    rng = np.random.default_rng(len(name))
    inputs = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    expected = np.asarray(ref(*[x.astype(np.float64) for x in inputs]))
    result = descriptor_type(expected.ndim)()
    descs = [to_descriptor(x) for x in inputs]
    lib._mlir_ciface_f(ctypes.byref(result),
                       *[ctypes.byref(d) for d in descs])
    size = int(np.prod(expected.shape))
    buf = (ctypes.c_float * max(size, 1)).from_address(result.aligned +
                                                       4 * result.offset)
    got = np.ctypeslib.as_array(buf)[:size].reshape(expected.shape).copy()
    err = np.max(np.abs(got - expected)) / max(np.max(np.abs(expected)), 1e-30)
    ok = err <= RTOL
    print("%-32s %s  max rel err %.2e" % (name, "PASS" if ok else "FAIL", err))
    return ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--green-opt", required=True)
    parser.add_argument("--llvm-bin", default="/usr/lib/llvm-22/bin",
                        help="mlir-translate and clang come from here")
    parser.add_argument("--filter", default="")
    args = parser.parse_args()
    # green.compiler.build_native_library takes its tools from here.
    os.environ["GREEN_LLVM_BIN"] = args.llvm_bin
    failures = 0
    with tempfile.TemporaryDirectory() as workdir:
        for name, case, options in CASES:
            if args.filter not in name:
                continue
            try:
                if not run_case(name, case, options, args, workdir):
                    failures += 1
            except subprocess.CalledProcessError as e:
                print("%-32s FAIL  %s" % (name, e))
                failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
#===- int8_exec.py - integer kernels of --green-lower-cpu against numpy ---===#
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Execution tests of the CPU backend's integer kernels: i8 x i8 -> i32
# matmul, batch matmul and convolutions (NHWC and NCHW, strides, padding,
# depthwise), plus an f32 dequantization epilogue, on odd shapes, with
# random full-range int8 inputs that always contain -128 and 127. Integer
# results must equal numpy's int64 reference EXACTLY. Also int4 weights
# (constants) x int8, and bf16 and f16 matmuls accumulating in f32
# (relative error <= 1e-5).
#
# Each case is compiled for target=cpu-zen3 (AVX2 vpmaddwd kernels; every
# x86-64 host of this project can run AVX2) and, only when /proc/cpuinfo
# lists avx512_vnni, for target=cpu-zen4 (AVX-512 VNNI vpdpbusd kernels);
# otherwise the zen4 variants print SKIPPED.
#
# Usage: int8_exec.py --green-opt PATH --llvm-bin DIR [--filter SUBSTR]
#===------------------------------------------------------------------------===#

import argparse
import ctypes
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "python"))
from green.compiler import build_native_library  # noqa: E402
from green.runtime import descriptor_type, to_descriptor  # noqa: E402
import cpu_exec  # noqa: E402  (conv_ref, the shared reference)


def t(shape, dtype):
    return "tensor<%sx%s>" % ("x".join(str(s) for s in shape), dtype)


def i64(x):
    return x.astype(np.int64)


def matmul(m, n, k):
    a, b, c = t([m, k], "i8"), t([k, n], "i8"), t([m, n], "i32")
    return f"""
func.func @f(%a: {a}, %b: {b}) -> {c} {{
  %z = arith.constant 0 : i32
  %e = tensor.empty() : {c}
  %c = linalg.fill ins(%z : i32) outs(%e : {c}) -> {c}
  %r = linalg.matmul ins(%a, %b : {a}, {b}) outs(%c : {c}) -> {c}
  return %r : {c}
}}""", [(m, k), (k, n)], lambda a, b: i64(a) @ i64(b), "int32"


def matmul_unsigned(m, n, k):
    # linalg's cast_unsigned: both i8 operands are read as u8 (ONNX QDQ
    # models often carry uint8 activations). Generic path, exact.
    a, b, c = t([m, k], "i8"), t([k, n], "i8"), t([m, n], "i32")
    return f"""
func.func @f(%a: {a}, %b: {b}) -> {c} {{
  %z = arith.constant 0 : i32
  %e = tensor.empty() : {c}
  %c = linalg.fill ins(%z : i32) outs(%e : {c}) -> {c}
  %r = linalg.matmul {{cast = #linalg.type_fn<cast_unsigned>}}
         ins(%a, %b : {a}, {b}) outs(%c : {c}) -> {c}
  return %r : {c}
}}""", [(m, k), (k, n)], lambda a, b: (
        a.view(np.uint8).astype(np.int64) @ b.view(np.uint8).astype(np.int64)
    ), "int32"


def batch_matmul(bt, m, n, k):
    a, b, c = t([bt, m, k], "i8"), t([bt, k, n], "i8"), t([bt, m, n], "i32")
    return f"""
func.func @f(%a: {a}, %b: {b}) -> {c} {{
  %z = arith.constant 0 : i32
  %e = tensor.empty() : {c}
  %c = linalg.fill ins(%z : i32) outs(%e : {c}) -> {c}
  %r = linalg.batch_matmul ins(%a, %b : {a}, {b}) outs(%c : {c}) -> {c}
  return %r : {c}
}}""", [(bt, m, k), (bt, k, n)], lambda a, b: i64(a) @ i64(b), "int32"


def conv_ref(x, w, stride, pad):
    # x NHWC, w HWCF, zero padding; exact in int64 (cpu_exec.py's reference).
    return cpu_exec.conv_ref(i64(x), i64(w), stride, pad)


def conv2d(n, h, w, c, kh, kw, f, stride, pad):
    hp, wp = h + 2 * pad, w + 2 * pad
    oh, ow = (hp - kh) // stride + 1, (wp - kw) // stride + 1
    x, xp = t([n, h, w, c], "i8"), t([n, hp, wp, c], "i8")
    wt, o = t([kh, kw, c, f], "i8"), t([n, oh, ow, f], "i32")
    return f"""
func.func @f(%x: {x}, %w: {wt}) -> {o} {{
  %z = arith.constant 0 : i32
  %z8 = arith.constant 0 : i8
  %p = tensor.pad %x low[0, {pad}, {pad}, 0] high[0, {pad}, {pad}, 0] {{
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z8 : i8
  }} : {x} to {xp}
  %e = tensor.empty() : {o}
  %o = linalg.fill ins(%z : i32) outs(%e : {o}) -> {o}
  %r = linalg.conv_2d_nhwc_hwcf
         {{dilations = dense<1> : tensor<2xi64>, strides = dense<{stride}> : tensor<2xi64>}}
         ins(%p, %w : {xp}, {wt}) outs(%o : {o}) -> {o}
  return %r : {o}
}}""", [(n, h, w, c), (kh, kw, c, f)], lambda x, wt: conv_ref(
        x, wt, stride, pad), "int32"


def conv2d_nchw(n, h, w, c, kh, kw, f, stride):
    oh, ow = (h - kh) // stride + 1, (w - kw) // stride + 1
    x, wt, o = t([n, c, h, w], "i8"), t([f, c, kh, kw], "i8"), t(
        [n, f, oh, ow], "i32")
    return f"""
func.func @f(%x: {x}, %w: {wt}) -> {o} {{
  %z = arith.constant 0 : i32
  %e = tensor.empty() : {o}
  %o = linalg.fill ins(%z : i32) outs(%e : {o}) -> {o}
  %r = linalg.conv_2d_nchw_fchw
         {{dilations = dense<1> : tensor<2xi64>, strides = dense<{stride}> : tensor<2xi64>}}
         ins(%x, %w : {x}, {wt}) outs(%o : {o}) -> {o}
  return %r : {o}
}}""", [(n, c, h, w), (f, c, kh, kw)], lambda x, wt: conv_ref(
        x.transpose(0, 2, 3, 1), wt.transpose(2, 3, 1, 0), stride,
        0).transpose(0, 3, 1, 2), "int32"


def depthwise(n, h, w, c, kh, kw, stride):
    oh, ow = (h - kh) // stride + 1, (w - kw) // stride + 1
    x, wt, o = t([n, h, w, c], "i8"), t([kh, kw, c], "i8"), t(
        [n, oh, ow, c], "i32")

    def ref(x, wt):
        x, wt = i64(x), i64(wt)
        out = np.zeros((n, oh, ow, c), dtype=np.int64)
        for i in range(kh):
            for j in range(kw):
                out += x[:, i:i + stride * oh:stride,
                         j:j + stride * ow:stride, :] * wt[i, j]
        return out

    return f"""
func.func @f(%x: {x}, %w: {wt}) -> {o} {{
  %z = arith.constant 0 : i32
  %e = tensor.empty() : {o}
  %o = linalg.fill ins(%z : i32) outs(%e : {o}) -> {o}
  %r = linalg.depthwise_conv_2d_nhwc_hwc
         {{dilations = dense<1> : tensor<2xi64>, strides = dense<{stride}> : tensor<2xi64>}}
         ins(%x, %w : {x}, {wt}) outs(%o : {o}) -> {o}
  return %r : {o}
}}""", [(n, h, w, c), (kh, kw, c)], ref, "int32"


def dequant_matmul(m, n, k):
    # The layer form --green-quantize produces: an exact i32 GEMM, then
    # sitofp, a per-column scale and a bias in f32.
    a, b, c = t([m, k], "i8"), t([k, n], "i8"), t([m, n], "i32")
    fo, vn = t([m, n], "f32"), t([n], "f32")
    scale = 0.015625  # a power of two: the f32 reference is exact too
    return f"""
#map = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @f(%a: {a}, %b: {b}, %bias: {vn}) -> {fo} {{
  %z = arith.constant 0 : i32
  %s = arith.constant {scale} : f32
  %e = tensor.empty() : {c}
  %c = linalg.fill ins(%z : i32) outs(%e : {c}) -> {c}
  %r = linalg.matmul ins(%a, %b : {a}, {b}) outs(%c : {c}) -> {c}
  %ef = tensor.empty() : {fo}
  %y = linalg.generic {{indexing_maps = [#map, #col, #map],
                       iterator_types = ["parallel", "parallel"]}}
      ins(%r, %bias : {c}, {vn}) outs(%ef : {fo}) {{
  ^bb0(%v: i32, %bb: f32, %out: f32):
    %f = arith.sitofp %v : i32 to f32
    %m = arith.mulf %f, %s : f32
    %x = arith.addf %m, %bb : f32
    linalg.yield %x : f32
  }} -> {fo}
  return %y : {fo}
}}""", [(m, k), (k, n), (n,)], lambda a, b, bias: (
        (i64(a) @ i64(b)).astype(np.float32) * np.float32(scale) +
        bias), "float32"


def i4_weight_matmul(m, n, k):
    # int4 weights (a constant in [-8, 7], both extremes present) times int8
    # activations: the integer kernels sign-extend them while packing B.
    w = np.random.default_rng(k * n).integers(-8, 8, (k, n))
    w.flat[0], w.flat[-1] = -8, 7
    vals = ", ".join("[" + ", ".join(str(int(v)) for v in row) + "]"
                     for row in w)
    a, wt, c = t([m, k], "i8"), t([k, n], "i4"), t([m, n], "i32")
    return f"""
func.func @f(%a: {a}) -> {c} {{
  %w = arith.constant dense<[{vals}]> : {wt}
  %z = arith.constant 0 : i32
  %e = tensor.empty() : {c}
  %c = linalg.fill ins(%z : i32) outs(%e : {c}) -> {c}
  %r = linalg.matmul ins(%a, %w : {a}, {wt}) outs(%c : {c}) -> {c}
  return %r : {c}
}}""", [(m, k)], lambda x: i64(x) @ w.astype(np.int64), "int32"


def float_matmul(m, n, k, dtype):
    # bf16 / f16 inputs, f32 accumulation (the secondary part of the
    # quantization issue): the inputs are exactly representable, products
    # of two 8/11-bit mantissas are exact in f32, so only the f32
    # accumulation order differs from the float64 reference.
    a, b, c = t([m, k], dtype), t([k, n], dtype), t([m, n], "f32")
    return f"""
func.func @f(%a: {a}, %b: {b}) -> {c} {{
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : {c}
  %c = linalg.fill ins(%z : f32) outs(%e : {c}) -> {c}
  %r = linalg.matmul ins(%a, %b : {a}, {b}) outs(%c : {c}) -> {c}
  return %r : {c}
}}""", [(m, k, dtype), (k, n, dtype)], lambda a, b: (
        to_f64(a, dtype) @ to_f64(b, dtype)), "float32"


def to_f64(x, dtype):
    if dtype == "bf16":  # raw bits in uint16
        return (x.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
    return x.astype(np.float64)


CASES = [
    ("matmul-1x1x1", matmul(1, 1, 1), ""),
    ("matmul-7x33x257", matmul(7, 33, 257), ""),
    ("matmul-64x64x128", matmul(64, 64, 128), "threads=1"),
    ("matmul-257x257x257", matmul(257, 257, 257), ""),
    ("matmul-33x1024x257-packed", matmul(33, 1024, 257), "threads=1"),
    ("matmul-65x1031x129-2t", matmul(65, 1031, 129), "threads=2"),
    ("matmul-17x1024x40-unpacked", matmul(17, 1024, 40), "pack-b=false"),
    ("matmul-256-latency", matmul(256, 256, 256), "objective=latency"),
    ("matmul-unsigned-33x64x257", matmul_unsigned(33, 64, 257), ""),
    ("batch-matmul-3x7x33x17", batch_matmul(3, 7, 33, 17), ""),
    ("batch-matmul-2x64x48x257", batch_matmul(2, 64, 48, 257), ""),
    ("conv2d-nhwc-2x9x9x3-s2p1", conv2d(2, 9, 9, 3, 3, 3, 8, 2, 1), ""),
    ("conv2d-nhwc-1x13x11x7-s2p1", conv2d(1, 13, 11, 7, 3, 3, 33, 2, 1),
     "threads=1"),
    ("conv2d-nhwc-1x16x16x32", conv2d(1, 16, 16, 32, 3, 3, 64, 1, 0), ""),
    ("conv2d-nhwc-1x9x9x16-5x5p2", conv2d(1, 9, 9, 16, 5, 5, 24, 1, 2), ""),
    ("conv2d-nhwc-3x7x5x16-1x1", conv2d(3, 7, 5, 16, 1, 1, 24, 1, 0), ""),
    ("conv2d-nchw-2x3x10x9-s2", conv2d_nchw(2, 10, 9, 3, 3, 3, 8, 2), ""),
    ("conv2d-nchw-1x16x12x12", conv2d_nchw(1, 12, 12, 16, 3, 3, 40, 1), ""),
    ("depthwise-1x10x12x5", depthwise(1, 10, 12, 5, 3, 3, 1), ""),
    ("depthwise-2x11x9x33-s2", depthwise(2, 11, 9, 33, 3, 3, 2), ""),
    ("dequant-matmul-7x33x257", dequant_matmul(7, 33, 257), ""),
    ("i4-weights-matmul-33x48x257", i4_weight_matmul(33, 48, 257), ""),
    ("i4-weights-matmul-7x20x37", i4_weight_matmul(7, 20, 37), ""),
    ("i4-weights-matmul-9x40x36-unpacked", i4_weight_matmul(9, 40, 36),
     "pack-b=false"),
    ("bf16-matmul-33x64x257", float_matmul(33, 64, 257, "bf16"), ""),
    ("f16-matmul-7x33x257", float_matmul(7, 33, 257, "f16"), ""),
]

TARGETS = [("cpu-zen3", None), ("cpu-zen4", "avx512_vnni")]


def host_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def random_input(rng, shape, index):
    if len(shape) == 1:  # the f32 bias of the epilogue case
        return rng.standard_normal(shape).astype(np.float32)
    if shape[-1] in ("bf16", "f16"):
        x = rng.standard_normal(shape[:-1]).astype(np.float32)
        if shape[-1] == "f16":
            return x.astype(np.float16)
        # bf16: the top 16 bits of the f32 pattern (truncation).
        return (x.view(np.uint32) >> 16).astype(np.uint16)
    x = rng.integers(-128, 128, size=shape, dtype=np.int16).astype(np.int8)
    flat = x.reshape(-1)
    # The extremes always occur, and one operand's first element is -128
    # so that -128 x -128 products are exercised.
    flat[0] = -128
    flat[-1] = 127
    if flat.size > 2:
        flat[flat.size // 2] = -128 if index % 2 else 127
    return x


def run_case(name, case, options, args, workdir):
    src, shapes, ref, out_dtype = case
    base = os.path.join(workdir, name)
    with open(base + ".mlir", "w") as f:
        f.write(src)
    subprocess.run([args.green_opt, base + ".mlir",
                    "--green-lower-cpu=" + options, "-o",
                    base + ".llvm.mlir"], check=True)
    lib = ctypes.CDLL(build_native_library(base + ".llvm.mlir", base + ".so"))
    rng = np.random.default_rng(sum(map(ord, name)))
    inputs = [random_input(rng, s, i) for i, s in enumerate(shapes)]
    expected = np.asarray(ref(*inputs))
    result = descriptor_type(expected.ndim)()
    descs = [to_descriptor(np.ascontiguousarray(x)) for x in inputs]
    lib._mlir_ciface_f(ctypes.byref(result),
                       *[ctypes.byref(d) for d in descs])
    size = int(np.prod(expected.shape))
    ctype = ctypes.c_int32 if out_dtype == "int32" else ctypes.c_float
    buf = (ctype * max(size, 1)).from_address(result.aligned +
                                              4 * result.offset)
    got = np.ctypeslib.as_array(buf)[:size].reshape(expected.shape).copy()
    if out_dtype == "int32":
        # The reference is int64: a wrapped int32 result would differ.
        ok = np.array_equal(got.astype(np.int64), expected)
        bad = int(np.count_nonzero(got.astype(np.int64) != expected))
        detail = "exact" if ok else "%d of %d elements differ" % (bad, size)
    elif "dequant" in name:
        err = float(np.max(np.abs(got - expected.astype(np.float32))))
        ok = err == 0.0
        detail = "max abs err %.3g" % err
    else:
        # f32 accumulation of exact products: relative to the largest
        # magnitude, a few ulps times sqrt(k) at most.
        err = float(np.max(np.abs(got - expected)) /
                    max(np.max(np.abs(expected)), 1e-30))
        ok = err <= 1e-5
        detail = "max rel err %.2e" % err
    print("%-44s %s  %s" % (name, "PASS" if ok else "FAIL", detail))
    return ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--green-opt", required=True)
    parser.add_argument("--llvm-bin", default="/usr/lib/llvm-22/bin",
                        help="mlir-translate and clang come from here")
    parser.add_argument("--filter", default="")
    args = parser.parse_args()
    os.environ["GREEN_LLVM_BIN"] = args.llvm_bin
    flags = host_flags()
    failures = ran = 0
    with tempfile.TemporaryDirectory() as workdir:
        for target, needs in TARGETS:
            for name, case, options in CASES:
                full = "%s-%s" % (target, name)
                if args.filter not in full:
                    continue
                if needs and needs not in flags:
                    print("%-44s SKIPPED  (host CPU has no %s)" % (full, needs))
                    continue
                opts = ("target=%s %s" % (target, options)).strip()
                ran += 1
                try:
                    if not run_case(full, case, opts, args, workdir):
                        failures += 1
                except subprocess.CalledProcessError as e:
                    print("%-44s FAIL  %s" % (full, e))
                    failures += 1
    if ran == 0:
        print("no case ran")
        return 1
    print("%d cases, %d failed" % (ran, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

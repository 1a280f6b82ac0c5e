#!/usr/bin/env python3
#===- cpu_exec_ops.py - more ops through --green-lower-cpu vs numpy -------===#
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Execution tests of the CPU backend for the ops cpu_exec.py does not cover:
# NCHW and grouped convolutions with strides and padding, pooling (TOSA and
# linalg), softmax (linalg.softmax and a TOSA decomposition), layer norm
# (TOSA decomposition), reductions over different axes and element-wise
# chains with broadcasting, on shapes that no tile size divides (1, 7, 33,
# 257). Each case is compiled and called exactly as in cpu_exec.py (same
# harness, imported from it) and compared with numpy in float64.
#
# Usage: cpu_exec_ops.py --green-opt PATH --llvm-bin DIR [--filter SUBSTR]
#===------------------------------------------------------------------------===#

import argparse
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cpu_exec import run_case, t  # noqa: E402

# TOSA's mul takes a shift operand (0 for floats).
SHIFT = ('%sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : '
         '() -> tensor<1xi8>')


def fconst(name, value, shape):
    return (f'%{name} = "tosa.const"() <{{values = dense<{value:.9e}> : '
            f'{t(shape)}}}> : () -> {t(shape)}')


#===------------------------------------------------------------------------===#
# Convolutions
#===------------------------------------------------------------------------===#


def conv_nchw_ref(x, w, stride, pad, groups=1):
    # x NCHW, w FCHW (C per group), symmetric zero padding.
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    oh, ow = (h - kh) // stride + 1, (wd - kw) // stride + 1
    fg = f // groups
    out = np.zeros((n, f, oh, ow))
    for g in range(groups):
        xs = x[:, g * cg:(g + 1) * cg]
        ws = w[g * fg:(g + 1) * fg]
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i:i + stride * oh:stride,
                           j:j + stride * ow:stride]
                out[:, g * fg:(g + 1) * fg] += np.einsum(
                    "nchw,fc->nfhw", patch, ws[:, :, i, j])
    return out


def pad_nchw(shape, pad):
    n, c, h, w = shape
    if not pad:
        return "", "%x", shape
    ps = [n, c, h + 2 * pad, w + 2 * pad]
    return f"""
  %p = tensor.pad %x low[0, 0, {pad}, {pad}] high[0, 0, {pad}, {pad}] {{
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : f32
  }} : {t(shape)} to {t(ps)}""", "%p", ps


def conv_nchw(n, c, h, w, f, kh, kw, stride, pad):
    pre, src, ps = pad_nchw([n, c, h, w], pad)
    oh, ow = (ps[2] - kh) // stride + 1, (ps[3] - kw) // stride + 1
    o = [n, f, oh, ow]
    return f"""
func.func @f(%x: {t([n, c, h, w])}, %w: {t([f, c, kh, kw])}) -> {t(o)} {{
  %z = arith.constant 0.0 : f32{pre}
  %e = tensor.empty() : {t(o)}
  %o = linalg.fill ins(%z : f32) outs(%e : {t(o)}) -> {t(o)}
  %r = linalg.conv_2d_nchw_fchw
         {{dilations = dense<1> : tensor<2xi64>, strides = dense<{stride}> : tensor<2xi64>}}
         ins({src}, %w : {t(ps)}, {t([f, c, kh, kw])})
         outs(%o : {t(o)}) -> {t(o)}
  return %r : {t(o)}
}}""", [(n, c, h, w), (f, c, kh, kw)], lambda x, wt: conv_nchw_ref(
        x, wt, stride, pad)


def conv_grouped(n, g, c, h, w, f, kh, kw, stride, pad):
    # linalg.conv_2d_ngchw_gfchw on a [n, g, c, h, w] input; the reference
    # sees it as a grouped NCHW conv on [n, g*c, h, w].
    xs = [n, g, c, h, w]
    ps = [n, g, c, h + 2 * pad, w + 2 * pad]
    oh, ow = (ps[3] - kh) // stride + 1, (ps[4] - kw) // stride + 1
    o = [n, g, f, oh, ow]

    def ref(x, wt):
        y = conv_nchw_ref(x.reshape(n, g * c, h, w),
                          wt.reshape(g * f, c, kh, kw), stride, pad, g)
        return y.reshape(o)

    return f"""
func.func @f(%x: {t(xs)}, %w: {t([g, f, c, kh, kw])}) -> {t(o)} {{
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 0, {pad}, {pad}] high[0, 0, 0, {pad}, {pad}] {{
  ^bb0(%i: index, %j: index, %k: index, %l: index, %m: index):
    tensor.yield %z : f32
  }} : {t(xs)} to {t(ps)}
  %e = tensor.empty() : {t(o)}
  %o = linalg.fill ins(%z : f32) outs(%e : {t(o)}) -> {t(o)}
  %r = linalg.conv_2d_ngchw_gfchw
         {{dilations = dense<1> : tensor<2xi64>, strides = dense<{stride}> : tensor<2xi64>}}
         ins(%p, %w : {t(ps)}, {t([g, f, c, kh, kw])})
         outs(%o : {t(o)}) -> {t(o)}
  return %r : {t(o)}
}}""", [xs, (g, f, c, kh, kw)], ref


def tosa_conv2d(n, h, w, c, f, kh, kw, stride, pad):
    # tosa.conv2d: NHWC input, OHWI weights, bias, zero points.
    oh, ow = (h + 2 * pad - kh) // stride + 1, (w + 2 * pad - kw) // stride + 1
    o = [n, oh, ow, f]

    def ref(x, wt, b):
        y = conv_nchw_ref(x.transpose(0, 3, 1, 2), wt.transpose(0, 3, 1, 2),
                          stride, pad)
        return y.transpose(0, 2, 3, 1) + b

    return f"""
func.func @f(%x: {t([n, h, w, c])}, %w: {t([f, kh, kw, c])}, %b: {t([f])}) -> {t(o)} {{
  {fconst("zp", 0.0, [1])}
  %r = tosa.conv2d %x, %w, %b, %zp, %zp
         {{acc_type = f32, dilation = array<i64: 1, 1>,
          pad = array<i64: {pad}, {pad}, {pad}, {pad}>,
          stride = array<i64: {stride}, {stride}>}}
       : ({t([n, h, w, c])}, {t([f, kh, kw, c])}, {t([f])}, tensor<1xf32>, tensor<1xf32>) -> {t(o)}
  return %r : {t(o)}
}}""", [(n, h, w, c), (f, kh, kw, c), (f,)], ref


#===------------------------------------------------------------------------===#
# Pooling
#===------------------------------------------------------------------------===#


def pool_ref(x, k, stride, pad, kind):
    # x NHWC; max pads with -inf, avg divides by the count of valid
    # (unpadded) elements, as TOSA's avg_pool2d does.
    n, h, w, c = x.shape
    oh, ow = (h + 2 * pad - k) // stride + 1, (w + 2 * pad - k) // stride + 1
    fill = -np.inf if kind == "max" else 0.0
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)),
                constant_values=fill)
    ones = np.pad(np.ones((h, w)), pad)
    out = np.full((n, oh, ow, c), fill)
    cnt = np.zeros((oh, ow))
    for i in range(k):
        for j in range(k):
            win = xp[:, i:i + stride * oh:stride, j:j + stride * ow:stride]
            if kind == "max":
                out = np.maximum(out, win)
            else:
                out = out + win
                cnt += ones[i:i + stride * oh:stride, j:j + stride * ow:stride]
    if kind == "avg":
        out = out / cnt[None, :, :, None]
    return out


def tosa_pool(kind, n, h, w, c, k, stride, pad):
    oh, ow = (h + 2 * pad - k) // stride + 1, (w + 2 * pad - k) // stride + 1
    i, o = [n, h, w, c], [n, oh, ow, c]
    attrs = (f"kernel = array<i64: {k}, {k}>, "
             f"pad = array<i64: {pad}, {pad}, {pad}, {pad}>, "
             f"stride = array<i64: {stride}, {stride}>")
    if kind == "max":
        body = (f"%r = tosa.max_pool2d %x {{{attrs}}} : "
                f"({t(i)}) -> {t(o)}")
    else:
        body = (fconst("zp", 0.0, [1]) + "\n  " +
                f"%r = tosa.avg_pool2d %x, %zp, %zp {{acc_type = f32, {attrs}}}"
                f" : ({t(i)}, tensor<1xf32>, tensor<1xf32>) -> {t(o)}")
    return f"""
func.func @f(%x: {t(i)}) -> {t(o)} {{
  {body}
  return %r : {t(o)}
}}""", [i], lambda x: pool_ref(x, k, stride, pad, kind)


def linalg_pool(kind, n, h, w, c, k, stride):
    # linalg.pooling_nhwc_max / pooling_nchw_sum, no padding.
    oh, ow = (h - k) // stride + 1, (w - k) // stride + 1
    if kind == "max":
        op, i, o, init = "pooling_nhwc_max", [n, h, w, c], [n, oh, ow, c], \
            "-3.4e38"

        def ref(x):
            return pool_ref(x, k, stride, 0, "max")
    else:
        op, i, o, init = "pooling_nchw_sum", [n, c, h, w], [n, c, oh, ow], \
            "0.0"

        def ref(x):
            y = pool_ref(x.transpose(0, 2, 3, 1), k, stride, 0, "avg")
            return y.transpose(0, 3, 1, 2) * k * k

    return f"""
func.func @f(%x: {t(i)}) -> {t(o)} {{
  %init = arith.constant {init} : f32
  %win = tensor.empty() : {t([k, k])}
  %e = tensor.empty() : {t(o)}
  %o = linalg.fill ins(%init : f32) outs(%e : {t(o)}) -> {t(o)}
  %r = linalg.{op}
         {{dilations = dense<1> : tensor<2xi64>, strides = dense<{stride}> : tensor<2xi64>}}
         ins(%x, %win : {t(i)}, {t([k, k])}) outs(%o : {t(o)}) -> {t(o)}
  return %r : {t(o)}
}}""", [i], ref


#===------------------------------------------------------------------------===#
# Softmax, layer norm
#===------------------------------------------------------------------------===#


def softmax_ref(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def linalg_softmax(shape, axis):
    return f"""
func.func @f(%x: {t(shape)}) -> {t(shape)} {{
  %e = tensor.empty() : {t(shape)}
  %r = linalg.softmax dimension({axis}) ins(%x : {t(shape)}) outs(%e : {t(shape)}) -> {t(shape)}
  return %r : {t(shape)}
}}""", [shape], lambda x: softmax_ref(x, axis)


def tosa_softmax(shape, axis):
    # max, sub, exp, sum, reciprocal, mul (the decomposition importers emit).
    red = list(shape)
    red[axis] = 1
    s, r = t(shape), t(red)
    return f"""
func.func @f(%x: {s}) -> {s} {{
  {SHIFT}
  %m = tosa.reduce_max %x {{axis = {axis} : i32}} : ({s}) -> {r}
  %d = tosa.sub %x, %m : ({s}, {r}) -> {s}
  %e = tosa.exp %d : ({s}) -> {s}
  %u = tosa.reduce_sum %e {{axis = {axis} : i32}} : ({s}) -> {r}
  %v = tosa.reciprocal %u : ({r}) -> {r}
  %y = tosa.mul %e, %v, %sh : ({s}, {r}, tensor<1xi8>) -> {s}
  return %y : {s}
}}""", [shape], lambda x: softmax_ref(x, axis)


def tosa_layernorm(rows, cols, eps=1e-5):
    # Over the last axis, with per-column gamma and beta.
    s, r, p = t([rows, cols]), t([rows, 1]), t([1, cols])

    def ref(x, gamma, beta):
        mu = x.mean(axis=1, keepdims=True)
        var = ((x - mu)**2).mean(axis=1, keepdims=True)
        return (x - mu) / np.sqrt(var + eps) * gamma + beta

    return f"""
func.func @f(%x: {s}, %g: {p}, %b: {p}) -> {s} {{
  {SHIFT}
  {fconst("inv", 1.0 / cols, [1, 1])}
  {fconst("eps", eps, [1, 1])}
  %sum = tosa.reduce_sum %x {{axis = 1 : i32}} : ({s}) -> {r}
  %mu = tosa.mul %sum, %inv, %sh : ({r}, tensor<1x1xf32>, tensor<1xi8>) -> {r}
  %d = tosa.sub %x, %mu : ({s}, {r}) -> {s}
  %d2 = tosa.mul %d, %d, %sh : ({s}, {s}, tensor<1xi8>) -> {s}
  %vs = tosa.reduce_sum %d2 {{axis = 1 : i32}} : ({s}) -> {r}
  %var = tosa.mul %vs, %inv, %sh : ({r}, tensor<1x1xf32>, tensor<1xi8>) -> {r}
  %ve = tosa.add %var, %eps : ({r}, tensor<1x1xf32>) -> {r}
  %rs = tosa.rsqrt %ve : ({r}) -> {r}
  %n = tosa.mul %d, %rs, %sh : ({s}, {r}, tensor<1xi8>) -> {s}
  %sc = tosa.mul %n, %g, %sh : ({s}, {p}, tensor<1xi8>) -> {s}
  %y = tosa.add %sc, %b : ({s}, {p}) -> {s}
  return %y : {s}
}}""", [(rows, cols), (1, cols), (1, cols)], ref


#===------------------------------------------------------------------------===#
# Reductions, element-wise chains
#===------------------------------------------------------------------------===#


def tosa_reduce(kind, shape, axis):
    red = list(shape)
    red[axis] = 1
    fn = {"sum": np.sum, "max": np.max, "min": np.min, "prod": np.prod}[kind]
    return f"""
func.func @f(%x: {t(shape)}) -> {t(red)} {{
  %r = tosa.reduce_{kind} %x {{axis = {axis} : i32}} : ({t(shape)}) -> {t(red)}
  return %r : {t(red)}
}}""", [shape], lambda x: fn(x, axis=axis, keepdims=True)


def linalg_reduce_max(shape, dims):
    out = [s for i, s in enumerate(shape) if i not in dims]
    dl = ", ".join(str(d) for d in dims)
    return f"""
func.func @f(%a: {t(shape)}) -> {t(out)} {{
  %z = arith.constant -3.4e38 : f32
  %e = tensor.empty() : {t(out)}
  %o = linalg.fill ins(%z : f32) outs(%e : {t(out)}) -> {t(out)}
  %r = linalg.reduce ins(%a : {t(shape)}) outs(%o : {t(out)}) dimensions = [{dl}]
    (%x: f32, %acc: f32) {{
      %s = arith.maximumf %x, %acc : f32
      linalg.yield %s : f32
    }}
  return %r : {t(out)}
}}""", [shape], lambda a: a.max(axis=tuple(dims))


def tosa_broadcast_chain(m, n):
    # sigmoid((a - b_row) * c_col) + exp(-|a|), broadcasting [1, n], [m, 1].
    s = t([m, n])
    return f"""
func.func @f(%a: {s}, %b: {t([1, n])}, %c: {t([m, 1])}) -> {s} {{
  {SHIFT}
  {fconst("zp", 0.0, [1])}
  %0 = tosa.sub %a, %b : ({s}, {t([1, n])}) -> {s}
  %1 = tosa.mul %0, %c, %sh : ({s}, {t([m, 1])}, tensor<1xi8>) -> {s}
  %2 = tosa.sigmoid %1 : ({s}) -> {s}
  %3 = tosa.abs %a : ({s}) -> {s}
  %4 = tosa.negate %3, %zp, %zp : ({s}, tensor<1xf32>, tensor<1xf32>) -> {s}
  %5 = tosa.exp %4 : ({s}) -> {s}
  %6 = tosa.add %2, %5 : ({s}, {s}) -> {s}
  return %6 : {s}
}}""", [(m, n), (1, n), (m, 1)], lambda a, b, c: 1 / (1 + np.exp(-(a - b) * c)) + np.exp(-np.abs(a))


def arith_chain(shape):
    # Element-wise arith/math directly on tensors (convert-elementwise-to-linalg).
    s = t(shape)
    return f"""
func.func @f(%a: {s}, %b: {s}) -> {s} {{
  %one = arith.constant dense<1.0> : {s}
  %0 = arith.mulf %a, %b : {s}
  %1 = math.tanh %0 : {s}
  %2 = arith.subf %1, %a : {s}
  %3 = arith.maximumf %2, %b : {s}
  %4 = math.fma %b, %b, %one : {s}
  %5 = arith.divf %3, %4 : {s}
  return %5 : {s}
}}""", [shape, shape], lambda a, b: np.maximum(np.tanh(a * b) - a, b) / (
        b * b + 1)


CASES = [
    ("conv-nchw-s2-p1-1x3x7x7-f33", conv_nchw(1, 3, 7, 7, 33, 3, 3, 2, 1)),
    ("conv-nchw-s1-p0-2x7x9x33-f7", conv_nchw(2, 7, 9, 33, 7, 3, 3, 1, 0)),
    ("conv-nchw-1x1-s2-1x33x13x13", conv_nchw(1, 33, 13, 13, 8, 1, 1, 2, 0)),
    ("conv-ngchw-g3-s2-p1", conv_grouped(1, 3, 5, 9, 9, 7, 3, 3, 2, 1)),
    ("conv-ngchw-g2-s1-p0-n2", conv_grouped(2, 2, 4, 7, 11, 3, 3, 3, 1, 0)),
    ("tosa-conv2d-s2-p1-1x9x9x7-f33", tosa_conv2d(1, 9, 9, 7, 33, 3, 3, 2, 1)),
    ("tosa-max-pool-3x3-s2-p1", tosa_pool("max", 2, 9, 9, 7, 3, 2, 1)),
    ("tosa-max-pool-2x2-s2", tosa_pool("max", 1, 8, 8, 33, 2, 2, 0)),
    ("tosa-avg-pool-3x3-s1-p1", tosa_pool("avg", 1, 7, 7, 33, 3, 1, 1)),
    ("tosa-avg-pool-2x2-s2", tosa_pool("avg", 2, 10, 10, 3, 2, 2, 0)),
    ("linalg-pool-nhwc-max-3x3-s2", linalg_pool("max", 1, 11, 9, 7, 3, 2)),
    ("linalg-pool-nchw-sum-2x2-s1", linalg_pool("sum", 2, 33, 7, 7, 2, 1)),
    ("tosa-softmax-7x257", tosa_softmax([7, 257], 1)),
    ("tosa-softmax-3x33x7-mid", tosa_softmax([3, 33, 7], 1)),
    ("tosa-layernorm-7x257", tosa_layernorm(7, 257)),
    ("tosa-layernorm-1x33", tosa_layernorm(1, 33)),
    ("tosa-reduce-sum-axis0-257x7", tosa_reduce("sum", [257, 7], 0)),
    ("tosa-reduce-sum-axis1-7x33x3", tosa_reduce("sum", [7, 33, 3], 1)),
    ("tosa-reduce-max-axis2-3x7x257", tosa_reduce("max", [3, 7, 257], 2)),
    ("tosa-reduce-min-axis0-1x33", tosa_reduce("min", [1, 33], 0)),
    ("linalg-reduce-max-dims02", linalg_reduce_max([7, 33, 5], [0, 2])),
    ("linalg-reduce-max-dim0-257", linalg_reduce_max([257, 3], [0])),
    ("tosa-broadcast-chain-7x257", tosa_broadcast_chain(7, 257)),
    ("tosa-broadcast-chain-1x1", tosa_broadcast_chain(1, 1)),
    ("tosa-broadcast-chain-33x1", tosa_broadcast_chain(33, 1)),
    ("arith-chain-257x33", arith_chain([257, 33])),
    ("arith-chain-1x7x1", arith_chain([1, 7, 1])),
    # linalg.softmax is decomposed by green-cpu-decompose-aggregates.
    ("linalg-softmax-7x257-last", linalg_softmax([7, 257], 1)),
    ("linalg-softmax-33x7-first", linalg_softmax([33, 7], 0)),
]

# Cases the pipeline does not lower yet; run them with --known-failures.
KNOWN_FAILURES = []


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--green-opt", required=True)
    parser.add_argument("--llvm-bin", default="/usr/lib/llvm-22/bin",
                        help="mlir-translate and clang come from here")
    parser.add_argument("--filter", default="")
    parser.add_argument("--known-failures", action="store_true",
                        help="also run the cases in KNOWN_FAILURES")
    parser.add_argument("-j", type=int, default=2,
                        help="cases compiled in parallel")
    args = parser.parse_args()
    # green.compiler.build_native_library takes its tools from here.
    os.environ["GREEN_LLVM_BIN"] = args.llvm_bin
    cases = CASES + (KNOWN_FAILURES if args.known_failures else [])
    cases = [c for c in cases if args.filter in c[0]]

    def one(name, case, workdir):
        try:
            return run_case(name, case, "", args, workdir)
        except subprocess.CalledProcessError as e:
            print("%-32s FAIL  %s" % (name, e))
            return False

    with tempfile.TemporaryDirectory() as workdir:
        with ThreadPoolExecutor(max_workers=args.j) as pool:
            ok = list(pool.map(lambda c: one(c[0], c[1], workdir), cases))
    failures = ok.count(False)
    print("%d of %d cases failed" % (failures, len(cases)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# ===- quant_exec.py - --green-quantize results against numpy ------------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Compiles small models with green.compile(quantize=...) and checks, by
# running them:
#  - int8 (symmetric and asymmetric activations, per-channel and per-tensor
#    weights, an MLP with bias+ReLU between the layers, an NCHW conv): the
#    output equals, bit for bit, a numpy reimplementation of the same
#    quantization (float32 scales, round half to even, int64 accumulation),
#    and the dequantized output is within the bound the scales give:
#      |y - x.W| <= sum_k (s_x/2 |W_kn| + |x_mk| s_w[n]/2 + s_x s_w[n]/4)
#  - int8/int4 weight-only: equal to x . dequant(W) (float64) up to f32
#    rounding, and within sum_k |x_mk| s_w[n]/2 of fp32;
#  - fp16 (and bf16 where the host has AVX512-BF16): equal to the product of
#    the rounded operands;
#  - mixed: the compiled model meets the error budget on the calibration
#    inputs (SQNR recomputed here), and picks int8 where it saves energy.
#
# Usage: PYTHONPATH=python GREEN_OPT_BUILD_DIR=build quant_exec.py
# ===-----------------------------------------------------------------------=== #

import os
import shutil
import sys
import tempfile

import numpy as np

import green

RNG = np.random.default_rng(7)
FAILURES = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILURES.append(what)


def dense(a):
    """An exact f32 dense attribute (hex, little-endian)."""
    ty = "tensor<%sxf32>" % "x".join(str(s) for s in a.shape)
    return 'dense<"0x%s"> : %s' % (a.astype("<f4").tobytes().hex().upper(),
                                   ty), ty


def matmul_model(w, m):
    k, n = w.shape
    wd, wt = dense(w)
    return f"""
func.func @f(%x: tensor<{m}x{k}xf32>) -> tensor<{m}x{n}xf32> {{
  %w = arith.constant {wd}
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<{m}x{n}xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<{m}x{n}xf32>) -> tensor<{m}x{n}xf32>
  %y = linalg.matmul ins(%x, %w : tensor<{m}x{k}xf32>, {wt}) outs(%f : tensor<{m}x{n}xf32>) -> tensor<{m}x{n}xf32>
  return %y : tensor<{m}x{n}xf32>
}}
"""


def mlp_model(w1, b1, w2, m):
    k, h = w1.shape
    n = w2.shape[1]
    w1d, w1t = dense(w1)
    b1d, b1t = dense(b1)
    w2d, w2t = dense(w2)
    return f"""
#id = affine_map<(i, j) -> (i, j)>
#col = affine_map<(i, j) -> (j)>
func.func @f(%x: tensor<{m}x{k}xf32>) -> tensor<{m}x{n}xf32> {{
  %w1 = arith.constant {w1d}
  %b1 = arith.constant {b1d}
  %w2 = arith.constant {w2d}
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<{m}x{h}xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<{m}x{h}xf32>) -> tensor<{m}x{h}xf32>
  %h = linalg.matmul ins(%x, %w1 : tensor<{m}x{k}xf32>, {w1t}) outs(%f1 : tensor<{m}x{h}xf32>) -> tensor<{m}x{h}xf32>
  %r = linalg.generic {{indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}}
      ins(%h, %b1 : tensor<{m}x{h}xf32>, {b1t}) outs(%e1 : tensor<{m}x{h}xf32>) {{
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %t = arith.maximumf %s, %zero : f32
    linalg.yield %t : f32
  }} -> tensor<{m}x{h}xf32>
  %e2 = tensor.empty() : tensor<{m}x{n}xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<{m}x{n}xf32>) -> tensor<{m}x{n}xf32>
  %y = linalg.matmul ins(%r, %w2 : tensor<{m}x{h}xf32>, {w2t}) outs(%f2 : tensor<{m}x{n}xf32>) -> tensor<{m}x{n}xf32>
  return %y : tensor<{m}x{n}xf32>
}}
"""


def conv_model(w, xshape):
    f, c, kh, kw = w.shape
    nb, _, h, wd_ = xshape
    oh, ow = h - kh + 1, wd_ - kw + 1
    wd, wt = dense(w)
    xt = "tensor<%sxf32>" % "x".join(map(str, xshape))
    yt = f"tensor<{nb}x{f}x{oh}x{ow}xf32>"
    return f"""
func.func @f(%x: {xt}) -> {yt} {{
  %w = arith.constant {wd}
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : {yt}
  %z = linalg.fill ins(%zero : f32) outs(%e : {yt}) -> {yt}
  %y = linalg.conv_2d_nchw_fchw {{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}}
         ins(%x, %w : {xt}, {wt}) outs(%z : {yt}) -> {yt}
  return %y : {yt}
}}
"""


# --- numpy reference of green's quantization (docs/quantization.md) --------

def weight_scales(w, axis, bits=8, per_channel=True):
    qmax = 2 ** (bits - 1) - 1
    if per_channel:
        other = tuple(i for i in range(w.ndim) if i != axis)
        amax = np.abs(w.astype(np.float64)).max(axis=other)
    else:
        amax = np.full(w.shape[axis], np.abs(w.astype(np.float64)).max())
    s = np.where(amax > 0, amax / qmax, 1.0)
    return s.astype(np.float32)


def quantize(x, s, zp, axis=None, bits=8):
    """clamp(roundeven(x / s) + zp) in float32, like the generated code."""
    lo, hi = -2 ** (bits - 1), 2 ** (bits - 1) - 1
    if axis is not None:
        shape = [1] * x.ndim
        shape[axis] = -1
        s = s.reshape(shape)
        zp = np.asarray(zp, np.float32).reshape(shape) if np.ndim(zp) else zp
    q = np.round(x.astype(np.float32) / np.float32(s) if axis is None
                 else x.astype(np.float32) / s) + np.float32(zp)
    return np.clip(q, lo, hi).astype(np.int64)


def int8_matmul_ref(x, w, sx, zpx, sw):
    xq = quantize(x, np.float32(sx), zpx)
    wq = quantize(w, sw, 0, axis=1)
    acc = xq @ wq  # exact in int64
    corr = zpx * wq.sum(axis=0)
    scale = (np.float32(sx) * sw).astype(np.float32)
    y = (acc - corr).astype(np.float32) * scale + np.float32(0)
    return y.astype(np.float32)


def scales_bound(x, w, sx, sw):
    return (np.abs(x) @ np.ones_like(w)) * sw / 2 + \
        (sx / 2) * (np.ones_like(x) @ np.abs(w)) + x.shape[1] * sx * sw / 4


def sqnr(ref, y):
    noise = np.sum((y.astype(np.float64) - ref) ** 2)
    return 200.0 if noise == 0 else 10 * np.log10(np.sum(ref ** 2) / noise)


def host_has(flag):
    try:
        with open("/proc/cpuinfo") as f:
            return any(flag in line.split() for line in f
                       if line.startswith("flags"))
    except OSError:
        return False


def write_calibration(tmp, name, arrays):
    d = os.path.join(tmp, name)
    os.makedirs(d)
    for i, a in enumerate(arrays):
        np.save(os.path.join(d, "%03d.npy" % i), a)
    return d


def compile_text(tmp, name, text, **kw):
    path = os.path.join(tmp, name + ".mlir")
    with open(path, "w") as f:
        f.write(text)
    return green.compile(path, target="cpu-zen3", **kw)


def main():
    tmp = tempfile.mkdtemp(prefix="green-quant-exec-")
    try:
        run(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        return 1
    print("all quantization execution checks passed")
    return 0


def run(tmp):
    m, k, n = 8, 32, 16
    w = RNG.standard_normal((k, n)).astype(np.float32)
    w[:, 3] *= 20  # one large channel
    calib = [RNG.standard_normal((m, k)).astype(np.float32) for _ in range(4)]
    cdir = write_calibration(tmp, "calib_mm", calib)
    x = (RNG.standard_normal((m, k)) * 0.9).astype(np.float32)
    y32 = x.astype(np.float64) @ w.astype(np.float64)
    text = matmul_model(w, m)

    # int8: symmetric / asymmetric activations, per-channel / per-tensor.
    amax = max(np.abs(c).max() for c in calib)
    for sym in (True, False):
        for per_channel in (True, False):
            what = "int8 %s, %s weights" % (
                "symmetric" if sym else "asymmetric",
                "per-channel" if per_channel else "per-tensor")
            model = compile_text(
                tmp, "mm", text, quantize="int8",
                quantize_options={"calibration-data": cdir,
                                  "symmetric": str(sym).lower(),
                                  "per-channel": str(per_channel).lower()})
            act = model.quantize_report["layers"][0]["activation"]
            sx, zpx = act["scale"], act["zero_point"]
            if sym:
                check(zpx == 0 and abs(sx - amax / 127) <= 1e-6 * sx,
                      what + ": activation scale = max|x| / 127")
            else:
                lo = min(0.0, min(float(c.min()) for c in calib))
                hi = max(0.0, max(float(c.max()) for c in calib))
                s = (hi - lo) / 255
                check(abs(sx - s) <= 1e-6 * s and
                      zpx == int(-128 - np.round(lo / s)),
                      what + ": scale = (max - min) / 255, zero point "
                      "-128 - round(min / scale) (%g, %d)" % (sx, zpx))
            sw = weight_scales(w, 1, per_channel=per_channel)
            y = model(x)
            ref = int8_matmul_ref(x, w, sx, zpx, sw)
            check(np.array_equal(y, ref),
                  what + ": equals the numpy integer reference exactly "
                  "(max diff %g)" % np.abs(y - ref).max())
            bound = scales_bound(np.abs(x).astype(np.float64),
                                 w.astype(np.float64), sx, sw) * 1.0001
            check(np.all(np.abs(y - y32) <= bound),
                  what + ": within the scale-derived bound of fp32 "
                  "(max err %.3g, min slack %.3g)" %
                  (np.abs(y - y32).max(), (bound - np.abs(y - y32)).min()))
            if per_channel:
                err_pc = np.abs(y - y32).mean()
            else:
                err_pt = np.abs(y - y32).mean()
        check(err_pc < err_pt, "int8 %s: per-channel error %.4g < "
              "per-tensor %.4g with one large channel"
              % ("symmetric" if sym else "asymmetric", err_pc, err_pt))

    # Two layers with bias + ReLU between them: the second layer's input is
    # the first's dequantized output.
    h = 24
    w1 = RNG.standard_normal((k, h)).astype(np.float32) * 0.3
    b1 = RNG.standard_normal((h,)).astype(np.float32) * 0.1
    w2 = RNG.standard_normal((h, n)).astype(np.float32) * 0.3
    model = compile_text(tmp, "mlp", mlp_model(w1, b1, w2, m),
                         quantize="int8",
                         quantize_options={"calibration-data": cdir})
    layers = model.quantize_report["layers"]
    s1 = layers[0]["activation"]["scale"]
    s2 = layers[1]["activation"]["scale"]
    h1 = int8_matmul_ref(x, w1, s1, 0, weight_scales(w1, 1))
    r1 = np.maximum(h1 + b1, np.float32(0)).astype(np.float32)
    ref = int8_matmul_ref(r1, w2, s2, 0, weight_scales(w2, 1))
    y = model(x)
    check(np.array_equal(y, ref), "int8 MLP (bias+ReLU between layers) "
          "equals the numpy integer reference (max diff %g)"
          % np.abs(y - ref).max())

    # NCHW convolution, per-output-channel weights (axis 0).
    wc = RNG.standard_normal((4, 3, 3, 3)).astype(np.float32)
    xs = (1, 3, 7, 6)
    calib_c = [RNG.standard_normal(xs).astype(np.float32) for _ in range(2)]
    ccdir = write_calibration(tmp, "calib_conv", calib_c)
    model = compile_text(tmp, "conv", conv_model(wc, xs), quantize="int8",
                         quantize_options={"calibration-data": ccdir,
                                           "symmetric": "false"})
    act = model.quantize_report["layers"][0]["activation"]
    sx, zpx = act["scale"], act["zero_point"]
    xc = RNG.standard_normal(xs).astype(np.float32)
    sw = weight_scales(wc, 0)
    xq = quantize(xc, np.float32(sx), zpx)
    wq = quantize(wc, sw, 0, axis=0)
    oh, ow = xs[2] - 2, xs[3] - 2
    acc = np.zeros((1, 4, oh, ow), np.int64)
    for i in range(3):
        for j in range(3):
            acc += np.einsum("nchw,fc->nfhw", xq[:, :, i:i + oh, j:j + ow],
                             wq[:, :, i, j])
    corr = zpx * wq.sum(axis=(1, 2, 3))
    scale = (np.float32(sx) * sw).astype(np.float32)
    ref = ((acc - corr[None, :, None, None]).astype(np.float32) *
           scale[None, :, None, None] + np.float32(0)).astype(np.float32)
    y = model(xc)
    check(np.array_equal(y, ref), "int8 NCHW conv (asymmetric) equals the "
          "numpy integer reference (max diff %g)" % np.abs(y - ref).max())

    # TOSA conv2d (through tosa-to-linalg: NHWC x FHWC weights, axis 0),
    # bias as the accumulator's init.
    wt_ = RNG.standard_normal((5, 3, 3, 2)).astype(np.float32)
    bt_ = RNG.standard_normal((5,)).astype(np.float32)
    xs = (1, 6, 7, 2)
    wtd, wtt = dense(wt_)
    btd, btt = dense(bt_)
    yt = "tensor<1x4x5x5xf32>"
    tosa = f'''
func.func @f(%x: tensor<1x6x7x2xf32>) -> {yt} {{
  %w = "tosa.const"() <{{values = {wtd}}}> : () -> {wtt}
  %b = "tosa.const"() <{{values = {btd}}}> : () -> {btt}
  %zp = "tosa.const"() <{{values = dense<0.0> : tensor<1xf32>}}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {{acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}} : (tensor<1x6x7x2xf32>, {wtt}, {btt}, tensor<1xf32>, tensor<1xf32>) -> {yt}
  return %y : {yt}
}}
'''
    calib_t = [RNG.standard_normal(xs).astype(np.float32) for _ in range(2)]
    tdir = write_calibration(tmp, "calib_tosa", calib_t)
    model = compile_text(tmp, "tosa", tosa, quantize="int8",
                         quantize_options={"calibration-data": tdir,
                                           "symmetric": "false"})
    act = model.quantize_report["layers"][0]["activation"]
    sx, zpx = act["scale"], act["zero_point"]
    xt_ = RNG.standard_normal(xs).astype(np.float32)
    sw = weight_scales(wt_, 0)
    xq = quantize(xt_, np.float32(sx), zpx)
    wq = quantize(wt_, sw, 0, axis=0)
    acc = np.zeros((1, 4, 5, 5), np.int64)
    for i in range(3):
        for j in range(3):
            acc += np.einsum("nhwc,fc->nhwf", xq[:, i:i + 4, j:j + 5, :],
                             wq[:, i, j, :])
    corr = zpx * wq.sum(axis=(1, 2, 3))
    scale = (np.float32(sx) * sw).astype(np.float32)
    ref = ((acc - corr).astype(np.float32) * scale + bt_).astype(np.float32)
    y = model(xt_)
    check(np.array_equal(y, ref), "int8 TOSA conv2d (NHWC/FHWC, bias init, "
          "asymmetric) equals the numpy integer reference (max diff %g)"
          % np.abs(y - ref).max())

    # Depthwise NHWC convolution: weights KH x KW x C, per channel (axis 2).
    wdw = RNG.standard_normal((3, 3, 4)).astype(np.float32)
    wdw[:, :, 1] *= 10
    xs = (1, 5, 6, 4)
    wdd, wdt = dense(wdw)
    yt = "tensor<1x3x4x4xf32>"
    dw = f'''
func.func @f(%x: tensor<1x5x6x4xf32>) -> {yt} {{
  %w = arith.constant {wdd}
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : {yt}
  %z = linalg.fill ins(%zero : f32) outs(%e : {yt}) -> {yt}
  %y = linalg.depthwise_conv_2d_nhwc_hwc {{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}}
         ins(%x, %w : tensor<1x5x6x4xf32>, {wdt}) outs(%z : {yt}) -> {yt}
  return %y : {yt}
}}
'''
    calib_d = [RNG.standard_normal(xs).astype(np.float32) for _ in range(2)]
    ddir = write_calibration(tmp, "calib_dw", calib_d)
    model = compile_text(tmp, "dw", dw, quantize="int8",
                         quantize_options={"calibration-data": ddir,
                                           "symmetric": "false"})
    act = model.quantize_report["layers"][0]["activation"]
    sx, zpx = act["scale"], act["zero_point"]
    xd_ = RNG.standard_normal(xs).astype(np.float32)
    sw = weight_scales(wdw, 2)
    xq = quantize(xd_, np.float32(sx), zpx)
    wq = quantize(wdw, sw, 0, axis=2)
    acc = np.zeros((1, 3, 4, 4), np.int64)
    for i in range(3):
        for j in range(3):
            acc += xq[:, i:i + 3, j:j + 4, :] * wq[i, j, :]
    corr = zpx * wq.sum(axis=(0, 1))
    scale = (np.float32(sx) * sw).astype(np.float32)
    ref = ((acc - corr).astype(np.float32) * scale +
           np.float32(0)).astype(np.float32)
    y = model(xd_)
    check(np.array_equal(y, ref), "int8 depthwise NHWC conv (asymmetric) "
          "equals the numpy integer reference (max diff %g)"
          % np.abs(y - ref).max())

    # Range methods: percentile keeps P_p(|x|) / 127.
    model = compile_text(tmp, "mm", text, quantize="int8",
                         quantize_options={"calibration-data": cdir,
                                           "method": "percentile",
                                           "percentile": 99.0})
    sx = model.quantize_report["layers"][0]["activation"]["scale"]
    want = np.percentile(np.abs(np.concatenate([c.ravel() for c in calib])),
                         99.0) / 127
    check(abs(sx - want) <= 1e-6 * want,
          "method=percentile: scale = P99(|x|) / 127 (%g, numpy %g)"
          % (sx, want))
    for method in ("mse", "entropy"):
        model = compile_text(tmp, "mm", text, quantize="int8",
                             quantize_options={"calibration-data": cdir,
                                               "method": method})
        s = model.quantize_report["layers"][0]["activation"]["scale"]
        check(0 < s <= amax / 127 * (1 + 1e-6),
              "method=%s: scale %g within (0, max|x| / 127]" % (method, s))

    # Weight-only int8 / int4.
    for scheme, bits in (("int8-weight-only", 8), ("int4-weight-only", 4)):
        model = compile_text(tmp, "mm", text, quantize=scheme)
        sw = weight_scales(w, 1, bits=bits)
        wdq = quantize(w, sw, 0, axis=1, bits=bits).astype(np.float64) * sw
        ref = x.astype(np.float64) @ wdq
        y = model(x)
        tol = 1e-5 * np.abs(ref).max()
        check(np.abs(y - ref).max() <= tol,
              "%s equals x . dequant(W) (max diff %g)"
              % (scheme, np.abs(y - ref).max()))
        bound = (np.abs(x).astype(np.float64) @ np.ones_like(w)) * sw / 2
        check(np.all(np.abs(y - y32) <= bound * 1.0001 + tol),
              "%s within sum|x| s_w / 2 of fp32 (max err %.3g)"
              % (scheme, np.abs(y - y32).max()))

    # fp16 (and bf16 where the host can run it).
    model = compile_text(tmp, "mm", text, quantize="fp16")
    ref = (x.astype(np.float16).astype(np.float64) @
           w.astype(np.float16).astype(np.float64))
    y = model(x)
    check(np.abs(y - ref).max() <= 1e-5 * np.abs(ref).max(),
          "fp16 equals the product of f16-rounded operands (max diff %g)"
          % np.abs(y - ref).max())
    if host_has("avx512_bf16"):
        def to_bf16(a):
            b = a.astype(np.float32).view(np.uint32).astype(np.uint64)
            b = (b + 0x7FFF + ((b >> 16) & 1)) >> 16 << 16
            return b.astype(np.uint32).view(np.float32).astype(np.float64)
        path = os.path.join(tmp, "mm.mlir")
        model = green.compile(path, target="cpu-zen4", quantize="bf16")
        ref = to_bf16(x) @ to_bf16(w)
        y = model(x)
        check(np.abs(y - ref).max() <= 1e-5 * np.abs(ref).max(),
              "bf16 equals the product of bf16-rounded operands (max diff "
              "%g)" % np.abs(y - ref).max())
    else:
        print("skip bf16: the host has no AVX512-BF16")

    # Mixed: layers large enough that int8 pays for its (de)quantization.
    mb, kb, nb = 64, 256, 256
    wb1 = RNG.standard_normal((kb, nb)).astype(np.float32) * 0.1
    bb1 = np.zeros((nb,), np.float32)
    wb2 = RNG.standard_normal((nb, 32)).astype(np.float32) * 0.1
    calib_b = [RNG.standard_normal((mb, kb)).astype(np.float32)
               for _ in range(2)]
    bdir = write_calibration(tmp, "calib_big", calib_b)
    text_b = mlp_model(wb1, bb1, wb2, mb)
    fp32 = compile_text(tmp, "big", text_b)
    for budget in (25, 60):
        model = compile_text(tmp, "big", text_b, quantize="mixed",
                             quantize_options={"calibration-data": bdir,
                                               "error-budget": budget})
        rep = model.quantize_report
        chosen = [l["precision"] for l in rep["layers"]]
        got = min(sqnr(fp32(c).astype(np.float64), model(c))
                  for c in calib_b)
        check(got >= budget - 1e-6,
              "mixed, budget %g dB: %s meets the budget on the calibration "
              "inputs (SQNR %.2f dB, reported %.2f)"
              % (budget, chosen, got, rep["error"]))
        check(rep["energy_j"] <= rep["energy_fp32_j"],
              "mixed, budget %g dB: estimated energy %.3g J <= fp32 %.3g J"
              % (budget, rep["energy_j"], rep["energy_fp32_j"]))
        if budget == 25:
            check(any(p != "fp32" for p in chosen),
                  "mixed, budget 25 dB quantizes at least one layer")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
#===- models.py - time whole models: green-opt against OpenBLAS -----------===#
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
#===------------------------------------------------------------------------===#
"""Two small models, end to end, f32:
  mlp  batch 64, 784-1024-1024-10, bias + ReLU after the hidden layers
  cnn  NHWC input 1x32x32x16, two ResNet basic blocks of 3x3 convs
       (block 1: 16->16, stride 1, identity shortcut; block 2: 16->32,
       stride 2, 1x1 stride-2 projection shortcut), bias + ReLU
Each model is emitted as linalg + TOSA IR on tensors with the weights as
function arguments (seeded random data), compiled with
green-opt --green-lower-cpu="target=host threads=T", mlir-translate and
clang -O3 -march=native, and called through _mlir_ciface_<model>. The
reference is numpy + OpenBLAS through ctypes: cblas_sgemm for the dense
layers, im2col (numpy) + cblas_sgemm for the convolutions, numpy for bias,
ReLU and shortcuts; openblas_set_num_threads(T). Results are checked
against the reference (max |diff| / max |ref| <= 1e-4), then both sides
are timed in the same run for T = 1 and 2: milliseconds per call, best of
--repeats, each the mean of enough calls to last >= 0.2 s; ± is the spread
max/min - 1 over the repeats. Ratios are green / reference time (< 1:
green is faster).

  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 \
      bench/models.py --green-opt build/bin/green-opt
"""

import argparse
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def t(shape):
    return "tensor<%sxf32>" % "x".join(str(s) for s in shape)


class Builder:
    """Emits a func.func on tensors line by line."""

    def __init__(self):
        self.lines = []
        self.args = []
        self.n = 0

    def arg(self, shape):
        name = "%%arg%d" % len(self.args)
        self.args.append((name, shape))
        return name, shape

    def val(self):
        self.n += 1
        return "%%v%d" % self.n

    def emit(self, text):
        self.lines.append("  " + text)

    def func(self, name, result):
        sig = ", ".join("%s: %s" % (n, t(s)) for n, s in self.args)
        body = "\n".join(self.lines)
        return (f"func.func @{name}({sig}) -> {t(result[1])} {{\n"
                f"  %zero = arith.constant 0.0 : f32\n{body}\n"
                f"  return {result[0]} : {t(result[1])}\n}}\n")

    def zeros(self, shape):
        e, f = self.val(), self.val()
        self.emit(f"{e} = tensor.empty() : {t(shape)}")
        self.emit(f"{f} = linalg.fill ins(%zero : f32) outs({e} : {t(shape)})"
                  f" -> {t(shape)}")
        return f

    def matmul(self, a, b):
        (an, (m, k)), (bn, (_, n)) = a, b
        c, r = self.zeros([m, n]), self.val()
        self.emit(f"{r} = linalg.matmul ins({an}, {bn} : {t([m, k])}, "
                  f"{t([k, n])}) outs({c} : {t([m, n])}) -> {t([m, n])}")
        return r, [m, n]

    def add(self, a, b):
        r = self.val()
        self.emit(f"{r} = tosa.add {a[0]}, {b[0]} : ({t(a[1])}, {t(b[1])}) "
                  f"-> {t(a[1])}")
        return r, a[1]

    def relu(self, a):
        r = self.val()
        self.emit(f"{r} = tosa.clamp {a[0]} {{min_val = 0.0 : f32, "
                  f"max_val = 3.4e38 : f32}} : ({t(a[1])}) -> {t(a[1])}")
        return r, a[1]

    def conv(self, x, w, stride, pad):
        (xn, (n, h, wd, c)), (wn, (kh, kw, _, f)) = x, w
        src, ps = xn, [n, h, wd, c]
        if pad:
            src, ps = self.val(), [n, h + 2 * pad, wd + 2 * pad, c]
            self.emit(f"{src} = tensor.pad {xn} low[0, {pad}, {pad}, 0] "
                      f"high[0, {pad}, {pad}, 0] {{\n"
                      f"  ^bb0(%i: index, %j: index, %k: index, %l: index):\n"
                      f"    tensor.yield %zero : f32\n"
                      f"  }} : {t([n, h, wd, c])} to {t(ps)}")
        oh, ow = (ps[1] - kh) // stride + 1, (ps[2] - kw) // stride + 1
        o = [n, oh, ow, f]
        init, r = self.zeros(o), self.val()
        self.emit(f"{r} = linalg.conv_2d_nhwc_hwcf {{dilations = dense<1> : "
                  f"tensor<2xi64>, strides = dense<{stride}> : tensor<2xi64>}}"
                  f" ins({src}, {wn} : {t(ps)}, {t([kh, kw, c, f])}) "
                  f"outs({init} : {t(o)}) -> {t(o)}")
        return r, o


#===------------------------------------------------------------------------===#
# Models: IR and reference from the same parameter list
#===------------------------------------------------------------------------===#


def mlp():
    dims = [784, 1024, 1024, 10]
    batch = 64
    b = Builder()
    x = b.arg([batch, dims[0]])
    params = []
    h = x
    for i in range(3):
        w = b.arg([dims[i], dims[i + 1]])
        bias = b.arg([1, dims[i + 1]])
        params.append((w[1], bias[1]))
        h = b.add(b.matmul(h, w), bias)
        if i < 2:
            h = b.relu(h)
    src = b.func("mlp", h)
    shapes = [x[1]] + [s for p in params for s in p]

    def ref(blas, x, *ws):
        h = x
        for i in range(3):
            h = blas.matmul(h, ws[2 * i])
            h += ws[2 * i + 1]
            if i < 2:
                np.maximum(h, 0, out=h)
        return h

    flops = 2 * batch * sum(dims[i] * dims[i + 1] for i in range(3))
    return "mlp", src, shapes, h[1], ref, flops


def im2col_conv(blas, x, w, stride, pad):
    n, h, wd, c = x.shape
    kh, kw, _, f = w.shape
    if pad:
        x = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    oh, ow = (x.shape[1] - kh) // stride + 1, (x.shape[2] - kw) // stride + 1
    sn, sh, sw, sc = x.strides
    patches = np.lib.stride_tricks.as_strided(
        x, (n, oh, ow, kh, kw, c),
        (sn, sh * stride, sw * stride, sh, sw, sc))
    cols = np.ascontiguousarray(patches).reshape(n * oh * ow, kh * kw * c)
    return blas.matmul(cols, w.reshape(kh * kw * c, f)).reshape(n, oh, ow, f)


def cnn():
    b = Builder()
    x = b.arg([1, 32, 32, 16])
    blocks = [(16, 16, 1), (16, 32, 2)]
    shapes = [x[1]]
    h = x
    flops = 0
    for cin, cout, stride in blocks:
        w1, b1 = b.arg([3, 3, cin, cout]), b.arg([1, 1, 1, cout])
        w2, b2 = b.arg([3, 3, cout, cout]), b.arg([1, 1, 1, cout])
        shapes += [w1[1], b1[1], w2[1], b2[1]]
        y = b.relu(b.add(b.conv(h, w1, stride, 1), b1))
        y = b.add(b.conv(y, w2, 1, 1), b2)
        oh = y[1][1]
        flops += 2 * oh * oh * cout * 9 * (cin + cout)
        if stride != 1 or cin != cout:
            wp, bp = b.arg([1, 1, cin, cout]), b.arg([1, 1, 1, cout])
            shapes += [wp[1], bp[1]]
            short = b.add(b.conv(h, wp, stride, 0), bp)
            flops += 2 * oh * oh * cout * cin
        else:
            short = h
        h = b.relu(b.add(y, short))
    src = b.func("cnn", h)

    def ref(blas, x, *ws):
        h, i = x, 0
        for cin, cout, stride in blocks:
            w1, b1, w2, b2 = ws[i:i + 4]
            i += 4
            y = im2col_conv(blas, h, w1, stride, 1)
            y += b1
            np.maximum(y, 0, out=y)
            y = im2col_conv(blas, y, w2, 1, 1)
            y += b2
            if stride != 1 or cin != cout:
                wp, bp = ws[i:i + 2]
                i += 2
                short = im2col_conv(blas, h, wp, stride, 0)
                short += bp
            else:
                short = h
            y += short
            np.maximum(y, 0, out=y)
            h = y
        return h

    return "cnn", src, shapes, h[1], ref, flops


def main():
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--green-opt", default="build/bin/green-opt")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--keep", help="keep the generated files here")
    args = parser.parse_args()
    blas = harness.OpenBLAS()
    rows = []
    workdir = args.keep or tempfile.mkdtemp(prefix="green-models-")
    os.makedirs(workdir, exist_ok=True)
    for name, src, shapes, out_shape, ref, flops in [mlp(), cnn()]:
        rng = np.random.default_rng(0)
        inputs = [(rng.standard_normal(s) / np.sqrt(np.prod(s[:-1]) if
                                                   len(s) > 1 else 1))
                  .astype(np.float32) for s in shapes]
        inputs[0] = rng.standard_normal(shapes[0]).astype(np.float32)
        row = {"model": name, "gflop": flops / 1e9}
        for threads in (1, 2):
            fn, _ = harness.compile_module(
                args.green_opt, src, workdir, "%s-%dt" % (name, threads),
                ["--green-lower-cpu=target=host threads=%d remarks=false" %
                 threads], name, out_shape)
            blas.set_threads(threads)
            expected = ref(blas, *inputs)
            got = fn(*inputs)
            err = np.max(np.abs(got - expected)) / np.max(np.abs(expected))
            if not err <= 1e-4:
                print("%s %dt: result mismatch, max rel err %.2e" %
                      (name, threads, err))
                return 1
            row["err%d" % threads] = err
            row["green%d" % threads] = harness.time_call(
                fn.bind(*inputs), args.repeats)
            row["blas%d" % threads] = harness.time_call(
                lambda: ref(blas, *inputs), args.repeats)
        rows.append(row)

    print("load average during the run: %.1f %.1f %.1f (on %d CPUs)" %
          (os.getloadavg() + (os.cpu_count(),)))

    def ms(v):
        return "%.3f (±%.0f%%)" % (v[0] * 1e3, v[1] * 100)

    print("| model | GFLOP | green-1t ms | green-2t ms | ref-1t ms | ref-2t ms "
          "| g1t/ref1t | g2t/ref2t | max rel err |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print("| %s | %.3f | %s | %s | %s | %s | %.2f | %.2f | %.1e |" %
              (r["model"], r["gflop"], ms(r["green1"]), ms(r["green2"]),
               ms(r["blas1"]), ms(r["blas2"]),
               r["green1"][0] / r["blas1"][0], r["green2"][0] / r["blas2"][0],
               max(r["err1"], r["err2"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())

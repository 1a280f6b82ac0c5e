#!/usr/bin/env python3
#===- prune.py - what 50% channel pruning buys on the CPU back end --------===#
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
#===------------------------------------------------------------------------===#
"""The two models of bench/models.py, written in TOSA with constant weights
(what importers produce and what --green-prune works on), f32:
  mlp  batch 64, 784-1024-1024-10, bias + ReLU after the hidden layers
  cnn  NHWC input 1x32x32x16, two ResNet basic blocks of 3x3 convs
       (block 1: 16->16, identity shortcut; block 2: 16->32, stride 2,
       1x1 stride-2 projection shortcut), bias + ReLU
Each model is pruned with green-opt --green-prune="ratio=R" (default 0.5;
the report gives MACs, parameters and estimated energy before and after),
then the original and the pruned module are compiled the same way
(--green-lower-cpu="target=host threads=T", mlir-translate, clang -O3
-march=native) and timed in the same run: milliseconds per call, best of
--repeats, each the mean of enough calls to last >= 0.2 s; ± is the spread
max/min - 1; and the minimum of >= 50 single calls of each (the call least
disturbed on a shared machine). Printed ratios: measured speed-up (original / pruned time),
MAC reduction and estimated energy saved (1 - after/before, from the
pass's report on the same target).

Channels that reach a function argument or result cannot be pruned (the
interface must not change): the MLP's 10 outputs, the CNN's block-1
channels (identity shortcut from the input) and block-2 output channels
stay; the hidden layers and each block's inner conv lose R of their
channels.

  /usr/bin/python3 bench/prune.py --green-opt build/bin/green-opt
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

RELU = "{min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32}"


def t(shape):
    return "tensor<%sxf32>" % "x".join(str(s) for s in shape)


class Builder:
    """Emits a TOSA func.func with hex-encoded constant weights."""

    def __init__(self):
        self.lines = ['%zp = "tosa.const"() <{values = dense<0.0> : '
                      'tensor<1xf32>}> : () -> tensor<1xf32>']
        self.n = 0

    def val(self):
        self.n += 1
        return "%%v%d" % self.n

    def emit(self, text):
        self.lines.append(text)

    def const(self, a):
        v = self.val()
        data = a.astype("<f4").tobytes().hex().upper()
        self.emit(f'{v} = "tosa.const"() <{{values = dense<"0x{data}"> : '
                  f'{t(a.shape)}}}> : () -> {t(a.shape)}')
        return v, a.shape

    def matmul(self, x, w, name):
        (xn, (b, m, _)), (wn, (_, k, n)) = x, w
        r = self.val()
        self.emit(f"{r} = tosa.matmul {xn}, {wn}, %zp, %zp : ({t([b, m, k])}, "
                  f"{t([1, k, n])}, tensor<1xf32>, tensor<1xf32>) -> "
                  f"{t([b, m, n])} loc(\"{name}\")")
        return r, (b, m, n)

    def add(self, a, b):
        r = self.val()
        self.emit(f"{r} = tosa.add {a[0]}, {b[0]} : ({t(a[1])}, {t(b[1])}) "
                  f"-> {t(a[1])}")
        return r, a[1]

    def relu(self, a):
        r = self.val()
        self.emit(f"{r} = tosa.clamp {a[0]} {RELU} : ({t(a[1])}) -> "
                  f"{t(a[1])}")
        return r, a[1]

    def conv(self, x, w, b, stride, pad, name):
        """A PyTorch-style conv (pad on every side, floor division): TOSA
        wants the padded extent to divide evenly by the stride, so the rows
        and columns the stride never reaches are not padded (or are sliced
        off)."""
        (xn, (n, h, wd, c)), (wn, (f, kh, kw, _)), (bn, _) = x, w, b
        extra = (h + 2 * pad - kh) % stride
        lo, hi = pad, pad - extra
        if hi < 0:
            h2 = h + hi
            r = self.val()
            self.emit(f"%s{r[1:]} = tosa.const_shape {{values = dense<[0, 0, "
                      f"0, 0]> : tensor<4xindex>}} : () -> !tosa.shape<4>")
            self.emit(f"%z{r[1:]} = tosa.const_shape {{values = dense<[{n}, "
                      f"{h2}, {h2}, {c}]> : tensor<4xindex>}} : () -> "
                      f"!tosa.shape<4>")
            self.emit(f"{r} = tosa.slice {xn}, %s{r[1:]}, %z{r[1:]} : "
                      f"({t((n, h, wd, c))}, !tosa.shape<4>, !tosa.shape<4>) "
                      f"-> {t((n, h2, h2, c))}")
            xn, h, wd, hi = r, h2, h2, 0
        oh = (h + lo + hi - kh) // stride + 1
        ow = (wd + lo + hi - kw) // stride + 1
        o = (n, oh, ow, f)
        r = self.val()
        self.emit(f"{r} = tosa.conv2d {xn}, {wn}, {bn}, %zp, %zp {{acc_type = "
                  f"f32, dilation = array<i64: 1, 1>, pad = array<i64: {lo}, "
                  f"{hi}, {lo}, {hi}>, stride = array<i64: {stride}, "
                  f"{stride}>}} : ({t((n, h, wd, c))}, {t((f, kh, kw, c))}, "
                  f"tensor<{f}xf32>, tensor<1xf32>, tensor<1xf32>) -> {t(o)} "
                  f"loc(\"{name}\")")
        return r, o

    def func(self, name, x_shape, result):
        body = "\n  ".join(self.lines)
        return (f"func.func @{name}(%x: {t(x_shape)}) -> {t(result[1])} {{\n"
                f"  {body}\n  return {result[0]} : {t(result[1])}\n}}\n")


def mlp(rng):
    dims, batch = [784, 1024, 1024, 10], 64
    b = Builder()
    h = ("%x", (1, batch, dims[0]))
    for i in range(3):
        w = b.const(rng.standard_normal((1, dims[i], dims[i + 1])) /
                    np.sqrt(dims[i]))
        bias = b.const(rng.standard_normal((1, 1, dims[i + 1])) * 0.1)
        h = b.add(b.matmul(h, w, f"fc{i + 1}"), bias)
        if i < 2:
            h = b.relu(h)
    return "mlp", b.func("mlp", (1, batch, dims[0]), h), (1, batch, dims[0])


def cnn(rng):
    b = Builder()
    x_shape = (1, 32, 32, 16)
    h = ("%x", x_shape)

    def conv(x, cin, cout, k, stride, pad, name):
        w = b.const(rng.standard_normal((cout, k, k, cin)) /
                    np.sqrt(k * k * cin))
        bias = b.const(rng.standard_normal((cout,)) * 0.1)
        return b.conv(x, w, bias, stride, pad, name)

    for i, (cin, cout, stride) in enumerate([(16, 16, 1), (16, 32, 2)]):
        y = b.relu(conv(h, cin, cout, 3, stride, 1, f"block{i + 1}.conv1"))
        y = conv(y, cout, cout, 3, 1, 1, f"block{i + 1}.conv2")
        if stride != 1 or cin != cout:
            short = conv(h, cin, cout, 1, stride, 0, f"block{i + 1}.proj")
        else:
            short = h
        h = b.relu(b.add(y, short))
    return "cnn", b.func("cnn", x_shape, h), x_shape


def main():
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--green-opt", default="build/bin/green-opt")
    parser.add_argument("--ratio", type=float, default=0.5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--keep", help="keep the generated files here")
    args = parser.parse_args()
    workdir = args.keep or tempfile.mkdtemp(prefix="green-prune-bench-")
    os.makedirs(workdir, exist_ok=True)
    lower = ["--green-lower-cpu=target=host threads=%d remarks=false" %
             args.threads]
    rows = []
    for build in (mlp, cnn):
        rng = np.random.default_rng(0)
        name, src, x_shape = build(rng)
        base = os.path.join(workdir, name)
        with open(base + ".mlir", "w") as f:
            f.write(src)
        report = base + ".prune.json"
        subprocess.run([args.green_opt, base + ".mlir",
                        f"--green-prune=ratio={args.ratio} target=host "
                        f"report={report}", "--mlir-print-debuginfo",
                        "-o", base + ".pruned.mlir"], check=True,
                       capture_output=True)
        with open(report) as f:
            rep = json.load(f)
        with open(base + ".pruned.mlir") as f:
            pruned_src = f.read()
        # The output shape is the interface: unchanged by pruning.
        out_shape = src.rsplit("return", 1)[1].split("tensor<")[1]
        out_shape = [int(d) for d in out_shape.split("xf32")[0].split("x")]
        x = rng.standard_normal(x_shape).astype(np.float32)
        fns = {}
        for variant, text in (("orig", src), ("pruned", pruned_src)):
            fns[variant], _ = harness.compile_module(
                args.green_opt, text, workdir, f"{name}-{variant}", lower,
                name, out_shape)
        outs = {v: fn(x) for v, fn in fns.items()}
        assert all(np.all(np.isfinite(o)) for o in outs.values())
        times = {v: harness.time_call(fn.bind(x), args.repeats)
                 for v, fn in fns.items()}
        # On a loaded machine the fastest single call is the least
        # disturbed one: a second estimate of the same ratio.
        mins = {v: harness.time_call_min(fn.bind(x), 50)
                for v, fn in fns.items()}
        rows.append({"model": name, "rep": rep, "times": times,
                     "mins": mins})

    print("load average during the run: %.1f %.1f %.1f (on %d CPUs)" %
          (os.getloadavg() + (os.cpu_count(),)))

    def ms(v):
        return "%.3f (±%.0f%%)" % (v[0] * 1e3, v[1] * 100)

    print(f"ratio {args.ratio}, {args.threads} thread(s), target host")
    print("| model | MACs orig | MACs pruned | MAC reduction | params "
          "orig -> pruned | orig ms | pruned ms | speed-up | min-call "
          "speed-up | est. energy orig -> pruned (J) | est. energy saved |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | "
          "---: | ---: |")
    for r in rows:
        rep, tm = r["rep"], r["times"]
        print("| %s | %d | %d | %.2fx | %d -> %d | %s | %s | %.2fx | %.2fx | "
              "%.3e -> %.3e | %.0f%% |" % (
                  r["model"], rep["macs_before"], rep["macs_after"],
                  rep["macs_before"] / rep["macs_after"],
                  rep["params_before"], rep["params_after"],
                  ms(tm["orig"]), ms(tm["pruned"]),
                  tm["orig"][0] / tm["pruned"][0],
                  r["mins"]["orig"][0] / r["mins"]["pruned"][0],
                  rep["energy_before_j"], rep["energy_after_j"],
                  100 * (1 - rep["energy_after_j"] / rep["energy_before_j"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())

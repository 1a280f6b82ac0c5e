#!/usr/bin/env python3
# ===- fusion.py - green-fuse vs unfused vs upstream, one table ---------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Each case is compiled three ways and run through green-run (JIT, one
# thread, the same seeded random inputs, best of --runs calls: the machine
# is shared, and the minimum is the least disturbed by other load):
#   unfused   green-lower-cpu{fuse=false}
#   green     green-lower-cpu (its default runs green-fuse: constant folding
#             on TOSA, element-wise groups, epilogue groups tile-fused into
#             the GEMM's tiles)
#   upstream  tosa-to-linalg-pipeline, linalg-fuse-elementwise-ops, then
#             green-lower-cpu{fuse=false}
# The fused outputs are checked against the unfused ones (rtol 1e-4).
# Estimates come from green-energy-report on the IR after the fusion step
# (compulsory bytes, DRAM joules, total joules); for green, the savings
# green-fuse reports for its epilogue and row groups (bytes and joules that
# stay in cache once green-cpu-tile-and-vectorize fuses the tiles) are
# subtracted from bytes and total joules, since the IR after green-fuse
# only marks them (the DRAM column does not include them).
#
# Cases (default sizes, --quick sizes in brackets):
#   chain      8-op element-wise chain over 16M f32 [4M]
#   mm-gelu    BERT-base FFN up-projection: 512x768 @ 768x3072 + bias + GELU
#              [128 rows]
#   conv-bn    ResNet-50 stage-1 3x3 conv, 1x56x56x64 -> 64, + batch norm
#              + ReLU, TOSA with constant weights [1x28x28x64]
#   softmax    BERT-base attention scores: 12 heads x 512 rows of 512
#              (6144x512) [1536x512]
#   layernorm  BERT-base layer norm over 512 tokens x 768 [128x768]
#   cnn        the CNN of bench/models.py (2 residual blocks, 1x32x32x16)
#
#   /usr/bin/python3 bench/fusion.py [--build build] [--quick] [--runs N]
#                                    [--cases chain,softmax] [--target host]
# ===--------------------------------------------------------------------=== #

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import models  # noqa: E402

# ---------------------------------------------------------------- sources


def tt(shape):
    return "tensor<%sxf32>" % "x".join(str(s) for s in shape)


CHAIN_OPS = [
    "arith.addf %x, %a : f32",
    "arith.mulf %x, %b : f32",
    "arith.maximumf %x, %zero : f32",
    "arith.subf %x, %a : f32",
    "arith.minimumf %x, %b : f32",
    "arith.addf %x, %b : f32",
    "arith.mulf %x, %half : f32",
    "math.absf %x : f32",
]


def chain(n):
    t = tt([n])
    lines = [
        "#map = affine_map<(d0) -> (d0)>",
        f"func.func @f(%a0: {t}, %b0: {t}) -> {t} {{",
        f"  %e = tensor.empty() : {t}",
        "  %zero = arith.constant 0.0 : f32",
        "  %half = arith.constant 0.5 : f32",
    ]
    prev = "%a0"
    for i, op in enumerate(CHAIN_OPS):
        lines += [
            f"  %v{i} = linalg.generic {{indexing_maps = [#map, #map, #map, "
            f'#map], iterator_types = ["parallel"]}}',
            f"      ins({prev}, %a0, %b0 : {t}, {t}, {t}) outs(%e : {t}) {{",
            "  ^bb0(%x: f32, %a: f32, %b: f32, %o: f32):",
            f"    %r = {op}",
            "    linalg.yield %r : f32",
            f"  }} -> {t}",
        ]
        prev = f"%v{i}"
    lines += [f"  return {prev} : {t}", "}"]
    return "\n".join(lines) + "\n"


def mm_gelu(m, k, n):
    a, b, c = tt([m, k]), tt([k, n]), tt([m, n])
    return f"""#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
func.func @f(%a: {a}, %w: {b}, %bias: {tt([n])}) -> {c} {{
  %z = arith.constant 0.0 : f32
  %k1 = arith.constant 0.044715 : f32
  %k2 = arith.constant 0.7978845608 : f32
  %one = arith.constant 1.0 : f32
  %half = arith.constant 0.5 : f32
  %e = tensor.empty() : {c}
  %f = linalg.fill ins(%z : f32) outs(%e : {c}) -> {c}
  %mm = linalg.matmul ins(%a, %w : {a}, {b}) outs(%f : {c}) -> {c}
  %s0 = linalg.generic {{indexing_maps = [#id, #row, #id],
      iterator_types = ["parallel", "parallel"]}}
      ins(%mm, %bias : {c}, {tt([n])}) outs(%e : {c}) {{
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }} -> {c}
  %g = linalg.generic {{indexing_maps = [#id, #id],
      iterator_types = ["parallel", "parallel"]}}
      ins(%s0 : {c}) outs(%e : {c}) {{
  ^bb0(%s: f32, %o: f32):
    %x2 = arith.mulf %s, %s : f32
    %x3 = arith.mulf %x2, %s : f32
    %u0 = arith.mulf %x3, %k1 : f32
    %u1 = arith.addf %s, %u0 : f32
    %u2 = arith.mulf %u1, %k2 : f32
    %th = math.tanh %u2 : f32
    %t1 = arith.addf %th, %one : f32
    %t2 = arith.mulf %s, %t1 : f32
    %r = arith.mulf %t2, %half : f32
    linalg.yield %r : f32
  }} -> {c}
  return %g : {c}
}}
"""


def dense(values):
    return "[" + ", ".join(dense(v) if isinstance(v, list) else "%.7g" % v
                           for v in values) + "]"


def conv_bn(h, c, f):
    """TOSA conv2d (3x3, pad 1) with constant weights, then an inference
    batch norm as per-channel sub/mul/add by constants, then ReLU."""
    rng = np.random.default_rng(0)
    w = (rng.standard_normal((f, 3, 3, c)) / np.sqrt(9 * c)).astype(np.float32)
    bias = rng.standard_normal(f).astype(np.float32) * 0.1
    mean = rng.standard_normal(f).astype(np.float32) * 0.1
    scale = (1 + 0.1 * rng.standard_normal(f)).astype(np.float32)
    shift = rng.standard_normal(f).astype(np.float32) * 0.1
    x, o = tt([1, h, h, c]), tt([1, h, h, f])
    ch = tt([1, 1, 1, f])

    def const(name, arr, shape):
        return (f'  %{name} = "tosa.const"() <{{values = dense<'
                f'{dense(arr.reshape(shape).tolist())}> : {tt(shape)}}}> : '
                f'() -> {tt(shape)}')
    return "\n".join([
        f"func.func @f(%x: {x}) -> {o} {{",
        const("w", w, [f, 3, 3, c]),
        const("b", bias, [f]),
        const("mean", mean, [1, 1, 1, f]),
        const("scale", scale, [1, 1, 1, f]),
        const("shift", shift, [1, 1, 1, f]),
        '  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : '
        '() -> tensor<1xf32>',
        '  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : '
        '() -> tensor<1xi8>',
        f"  %c = tosa.conv2d %x, %w, %b, %zp, %zp {{acc_type = f32, "
        f"dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, "
        f"stride = array<i64: 1, 1>}} : ({x}, {tt([f, 3, 3, c])}, "
        f"{tt([f])}, tensor<1xf32>, tensor<1xf32>) -> {o}",
        f"  %0 = tosa.sub %c, %mean : ({o}, {ch}) -> {o}",
        f"  %1 = tosa.mul %0, %scale, %sh : ({o}, {ch}, tensor<1xi8>) -> {o}",
        f"  %2 = tosa.add %1, %shift : ({o}, {ch}) -> {o}",
        f"  %3 = tosa.clamp %2 {{min_val = 0.0 : f32, max_val = 3.4e38 : f32}}"
        f" : ({o}) -> {o}",
        f"  return %3 : {o}",
        "}", ""])


def softmax(rows, cols):
    a, r = tt([rows, cols]), tt([rows])
    return f"""#id = affine_map<(d0, d1) -> (d0, d1)>
#red = affine_map<(d0, d1) -> (d0)>
func.func @f(%a: {a}) -> {a} {{
  %e = tensor.empty() : {a}
  %e1 = tensor.empty() : {r}
  %ninf = arith.constant -3.0e38 : f32
  %z = arith.constant 0.0 : f32
  %mi = linalg.fill ins(%ninf : f32) outs(%e1 : {r}) -> {r}
  %mx = linalg.generic {{indexing_maps = [#id, #red],
      iterator_types = ["parallel", "reduction"]}}
      ins(%a : {a}) outs(%mi : {r}) {{
  ^bb0(%x: f32, %o: f32):
    %m = arith.maximumf %x, %o : f32
    linalg.yield %m : f32
  }} -> {r}
  %ex = linalg.generic {{indexing_maps = [#id, #red, #id],
      iterator_types = ["parallel", "parallel"]}}
      ins(%a, %mx : {a}, {r}) outs(%e : {a}) {{
  ^bb0(%x: f32, %m: f32, %o: f32):
    %s = arith.subf %x, %m : f32
    %x1 = math.exp %s : f32
    linalg.yield %x1 : f32
  }} -> {a}
  %si = linalg.fill ins(%z : f32) outs(%e1 : {r}) -> {r}
  %sum = linalg.generic {{indexing_maps = [#id, #red],
      iterator_types = ["parallel", "reduction"]}}
      ins(%ex : {a}) outs(%si : {r}) {{
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  }} -> {r}
  %d = linalg.generic {{indexing_maps = [#id, #red, #id],
      iterator_types = ["parallel", "parallel"]}}
      ins(%ex, %sum : {a}, {r}) outs(%e : {a}) {{
  ^bb0(%x: f32, %s: f32, %o: f32):
    %q = arith.divf %x, %s : f32
    linalg.yield %q : f32
  }} -> {a}
  return %d : {a}
}}
"""


def layernorm(rows, cols):
    a, r, c = tt([rows, cols]), tt([rows]), tt([cols])
    return f"""#id = affine_map<(d0, d1) -> (d0, d1)>
#red = affine_map<(d0, d1) -> (d0)>
#col = affine_map<(d0, d1) -> (d1)>
#vec = affine_map<(d0) -> (d0)>
func.func @f(%a: {a}, %gamma: {c}, %beta: {c}) -> {a} {{
  %e = tensor.empty() : {a}
  %e1 = tensor.empty() : {r}
  %z = arith.constant 0.0 : f32
  %inv = arith.constant {1.0 / cols:.9e} : f32
  %eps = arith.constant 1.0e-5 : f32
  %zi = linalg.fill ins(%z : f32) outs(%e1 : {r}) -> {r}
  %sum = linalg.generic {{indexing_maps = [#id, #red],
      iterator_types = ["parallel", "reduction"]}}
      ins(%a : {a}) outs(%zi : {r}) {{
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  }} -> {r}
  %mean = linalg.generic {{indexing_maps = [#vec, #vec],
      iterator_types = ["parallel"]}}
      ins(%sum : {r}) outs(%e1 : {r}) {{
  ^bb0(%s: f32, %o: f32):
    %m = arith.mulf %s, %inv : f32
    linalg.yield %m : f32
  }} -> {r}
  %cen = linalg.generic {{indexing_maps = [#id, #red, #id],
      iterator_types = ["parallel", "parallel"]}}
      ins(%a, %mean : {a}, {r}) outs(%e : {a}) {{
  ^bb0(%x: f32, %m: f32, %o: f32):
    %d = arith.subf %x, %m : f32
    linalg.yield %d : f32
  }} -> {a}
  %sq = linalg.generic {{indexing_maps = [#id, #id],
      iterator_types = ["parallel", "parallel"]}}
      ins(%cen : {a}) outs(%e : {a}) {{
  ^bb0(%d: f32, %o: f32):
    %q = arith.mulf %d, %d : f32
    linalg.yield %q : f32
  }} -> {a}
  %ssq = linalg.generic {{indexing_maps = [#id, #red],
      iterator_types = ["parallel", "reduction"]}}
      ins(%sq : {a}) outs(%zi : {r}) {{
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  }} -> {r}
  %rstd = linalg.generic {{indexing_maps = [#vec, #vec],
      iterator_types = ["parallel"]}}
      ins(%ssq : {r}) outs(%e1 : {r}) {{
  ^bb0(%s: f32, %o: f32):
    %v = arith.mulf %s, %inv : f32
    %ve = arith.addf %v, %eps : f32
    %rs = math.rsqrt %ve : f32
    linalg.yield %rs : f32
  }} -> {r}
  %y = linalg.generic {{indexing_maps = [#id, #red, #col, #col, #id],
      iterator_types = ["parallel", "parallel"]}}
      ins(%cen, %rstd, %gamma, %beta : {a}, {r}, {c}, {c}) outs(%e : {a}) {{
  ^bb0(%d: f32, %rs: f32, %g: f32, %b: f32, %o: f32):
    %n = arith.mulf %d, %rs : f32
    %sc = arith.mulf %n, %g : f32
    %sh = arith.addf %sc, %b : f32
    linalg.yield %sh : f32
  }} -> {a}
  return %y : {a}
}}
"""


def cnn():
    _, src, _, _, _, _ = models.cnn()
    return src.replace("func.func @cnn(", "func.func @f(")


def cases(quick):
    return [
        ("chain", "8-op element-wise chain, %dM f32" %
         ((4 if quick else 16)), chain((4 if quick else 16) << 20)),
        ("mm-gelu", "matmul %dx768x3072 + bias + GELU" % (128 if quick else
                                                         512),
         mm_gelu(128 if quick else 512, 768, 3072)),
        ("conv-bn", "conv 3x3 1x%dx%dx64->64 + BN + ReLU (TOSA)" %
         ((28, 28) if quick else (56, 56)), conv_bn(28 if quick else 56, 64,
                                                    64)),
        ("softmax", "softmax %dx512 rows" % (1536 if quick else 6144),
         softmax(1536 if quick else 6144, 512)),
        ("layernorm", "layer norm %dx768" % (128 if quick else 512),
         layernorm(128 if quick else 512, 768)),
        ("cnn", "CNN of bench/models.py (1x32x32x16, 2 blocks)", cnn()),
    ]


# ---------------------------------------------------------------- running

UPSTREAM = "tosa-to-linalg-pipeline,func.func(linalg-fuse-elementwise-ops),"


def pipelines(target):
    lower = f"green-lower-cpu{{threads=1 target={target}"
    return {
        "unfused": f"builtin.module({lower} fuse=false}})",
        "green": f"builtin.module({lower} fuse=true}})",
        "upstream": f"builtin.module({UPSTREAM}{lower} fuse=false}})",
    }


def estimate(opt, src, name, target, tmp):
    """(bytes, DRAM J, total J) of the IR after the variant's fusion step."""
    report = os.path.join(tmp, name + ".report.json")
    fuse_report = os.path.join(tmp, name + ".fuse.json")
    energy = (f"green-energy-report{{format=json target={target} "
              f"output={report}}}")
    prefix = {
        "unfused": "tosa-to-linalg-pipeline,",
        "green": (f"func.func(green-fuse{{target={target} elementwise=false "
                  f"epilogues=false rows=false}}),tosa-to-linalg-pipeline,"
                  f"func.func(green-fuse{{target={target} "
                  f"report={fuse_report}}}),"),
        "upstream": UPSTREAM,
    }[name]
    subprocess.run([opt, src, "-o", os.devnull,
                    "--pass-pipeline=builtin.module(" + prefix + energy + ")"],
                   check=True, stderr=subprocess.DEVNULL)
    with open(report) as f:
        totals = json.load(f)["totals"]
    nbytes = totals["bytes"]
    dram = totals["components"]["memory_j"].get("dram", 0.0)
    joules = totals["energy_j"]
    epilogues = 0
    if os.path.exists(fuse_report):
        with open(fuse_report) as f:
            for line in f:
                for g in json.loads(line)["groups"]:
                    if g["kind"] in ("epilogue", "rows"):
                        epilogues += 1
                        nbytes -= g["bytes_saved"]
                        joules -= g["joules_saved"]
    return nbytes, dram, joules, epilogues


def measure(run, src, name, pipeline, runs, tmp, rtol):
    out = os.path.join(tmp, name + ".run.json")
    cmd = [run, src, "--seed", "1", "--runs", str(runs), "--warmup", "1",
           "--json", out, "--pipeline", pipeline]
    if name == "unfused":
        cmd += ["--save-outputs", os.path.join(tmp, "ref")]
    else:
        cmd += ["--rtol", str(rtol), "--atol", "1e-5", "--expect",
                os.path.join(tmp, "ref", "f.result0.npy")]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if r.returncode != 0:
        sys.exit(f"{name}: green-run failed:\n{r.stdout[-3000:]}")
    with open(out) as f:
        return json.load(f)["timing"]["min_s"]


def main():
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default="build")
    p.add_argument("--quick", action="store_true",
                   help="smaller sizes and 7 runs (about 15 s)")
    p.add_argument("--runs", type=int, default=0,
                   help="timed calls per variant (default 11, --quick 7)")
    p.add_argument("--cases", default="",
                   help="comma-separated subset of the cases")
    p.add_argument("--target", default="host")
    args = p.parse_args()
    runs = args.runs or (7 if args.quick else 11)
    opt = os.path.join(args.build, "bin", "green-opt")
    run = os.path.join(args.build, "bin", "green-run")
    wanted = [c for c in args.cases.split(",") if c]
    start = time.time()
    load_before = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for case, desc, text in cases(args.quick):
            if wanted and case not in wanted:
                continue
            cdir = os.path.join(tmp, case)
            os.makedirs(cdir)
            src = os.path.join(cdir, "f.mlir")
            with open(src, "w") as f:
                f.write(text)
            res = {}
            for name, pipe in pipelines(args.target).items():
                est = estimate(opt, src, name, args.target, cdir)
                sec = measure(run, src, name, pipe, runs, cdir, 1e-4)
                res[name] = (sec,) + est
            rows.append((case, desc, res))
    print(f"green-fuse benchmarks: 1 thread, target {args.target}, best of "
          f"{runs} runs{' (--quick sizes)' if args.quick else ''}; fused "
          f"outputs equal the unfused ones (rtol 1e-4)")
    print("| case | unfused ms | green ms | upstream ms | speedup green "
          "| speedup upstream | green/upstream time | est. bytes u / g / up "
          "| est. DRAM J u / g / up | est. J u / g / up | est. J green/unfused "
          "| tile-fused groups |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | "
          "---: | ---: | ---: |")
    for case, desc, r in rows:
        u, g, up = r["unfused"], r["green"], r["upstream"]
        print(f"| {case}: {desc} | {u[0] * 1e3:.3f} | {g[0] * 1e3:.3f} | "
              f"{up[0] * 1e3:.3f} | {u[0] / g[0]:.2f}x | {u[0] / up[0]:.2f}x | "
              f"{g[0] / up[0]:.2f} | {u[1]:.3g} / {g[1]:.3g} / {up[1]:.3g} | "
              f"{u[2]:.3g} / {g[2]:.3g} / {up[2]:.3g} | "
              f"{u[3]:.3g} / {g[3]:.3g} / {up[3]:.3g} | {g[3] / u[3]:.2f} | "
              f"{g[4]} |")
    print("load average before / after: %.2f %.2f %.2f / %.2f %.2f %.2f; "
          "%.0f s" % (load_before + os.getloadavg() + (time.time() - start,)))


if __name__ == "__main__":
    main()

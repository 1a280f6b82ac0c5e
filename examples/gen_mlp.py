#!/usr/bin/env python3
# ===- gen_mlp.py - regenerate examples/mlp.mlir ---------------------------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Writes a small TOSA MLP (the IR torch-mlir's TOSA path produces for
# Linear -> ReLU -> Linear) with seeded random weights, so the bundled example
# is reproducible: /usr/bin/python3 examples/gen_mlp.py > examples/mlp.mlir
#
# ===-----------------------------------------------------------------------=== #
import random
import struct

IN, HIDDEN, OUT, BATCH = 64, 32, 10, 4
rng = random.Random(20261124)


def dense(shape, scale):
    n = 1
    for d in shape:
        n *= d
    # Hex form (little-endian f32): compact and exact.
    raw = b"".join(struct.pack("<f", rng.uniform(-scale, scale)) for _ in range(n))
    ty = "x".join(str(d) for d in shape)
    return f'dense<"0x{raw.hex().upper()}"> : tensor<{ty}xf32>'




print(f"""// A small MLP in TOSA, as torch-mlir emits it: x[{BATCH}x{IN}] -> Linear({IN},{HIDDEN})
// -> ReLU -> Linear({HIDDEN},{OUT}). Weights are seeded random numbers
// (examples/gen_mlp.py regenerates this file).
module attributes {{green.target = #green.target<"host">}} {{
  func.func @mlp(%x: tensor<1x{BATCH}x{IN}xf32>) -> tensor<1x{BATCH}x{OUT}xf32> {{
    %zp = "tosa.const"() <{{values = dense<0.0> : tensor<1xf32>}}> : () -> tensor<1xf32>
    %w1 = "tosa.const"() <{{values = {dense([1, IN, HIDDEN], 0.125)}}}> : () -> tensor<1x{IN}x{HIDDEN}xf32>
    %b1 = "tosa.const"() <{{values = {dense([1, 1, HIDDEN], 0.05)}}}> : () -> tensor<1x1x{HIDDEN}xf32>
    %w2 = "tosa.const"() <{{values = {dense([1, HIDDEN, OUT], 0.18)}}}> : () -> tensor<1x{HIDDEN}x{OUT}xf32>
    %b2 = "tosa.const"() <{{values = {dense([1, 1, OUT], 0.05)}}}> : () -> tensor<1x1x{OUT}xf32>
    %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x{BATCH}x{IN}xf32>, tensor<1x{IN}x{HIDDEN}xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x{BATCH}x{HIDDEN}xf32>
    %hb = tosa.add %h, %b1 : (tensor<1x{BATCH}x{HIDDEN}xf32>, tensor<1x1x{HIDDEN}xf32>) -> tensor<1x{BATCH}x{HIDDEN}xf32>
    %r = tosa.clamp %hb {{min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32}} : (tensor<1x{BATCH}x{HIDDEN}xf32>) -> tensor<1x{BATCH}x{HIDDEN}xf32>
    %o = tosa.matmul %r, %w2, %zp, %zp : (tensor<1x{BATCH}x{HIDDEN}xf32>, tensor<1x{HIDDEN}x{OUT}xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x{BATCH}x{OUT}xf32>
    %y = tosa.add %o, %b2 : (tensor<1x{BATCH}x{OUT}xf32>, tensor<1x1x{OUT}xf32>) -> tensor<1x{BATCH}x{OUT}xf32>
    return %y : tensor<1x{BATCH}x{OUT}xf32>
  }}
}}""")

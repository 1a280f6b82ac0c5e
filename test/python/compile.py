# green.compile: IR in, a callable over numpy arrays out, checked against numpy.
# RUN: %PYTHON %s | FileCheck %s

import numpy as np

import green

IR = """
func.func @dense_relu(%x: tensor<7x33xf32>, %w: tensor<33x257xf32>,
                      %b: tensor<7x257xf32>) -> (tensor<7x257xf32>, tensor<7xf32>) {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<7x257xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<7x257xf32>) -> tensor<7x257xf32>
  %m = linalg.matmul ins(%x, %w : tensor<7x33xf32>, tensor<33x257xf32>)
                     outs(%c : tensor<7x257xf32>) -> tensor<7x257xf32>
  %s = arith.addf %m, %b : tensor<7x257xf32>
  %r = arith.maximumf %s, %c : tensor<7x257xf32>
  %e1 = tensor.empty() : tensor<7xf32>
  %c1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<7xf32>) -> tensor<7xf32>
  %sum = linalg.reduce ins(%r : tensor<7x257xf32>) outs(%c1 : tensor<7xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  return %r, %sum : tensor<7x257xf32>, tensor<7xf32>
}
"""

rng = np.random.default_rng(0)
x = rng.standard_normal((7, 33)).astype(np.float32)
w = rng.standard_normal((33, 257)).astype(np.float32)
b = rng.standard_normal((7, 257)).astype(np.float32)
ref = np.maximum(x.astype(np.float64) @ w + b, 0)

for objective in ["energy", "latency"]:
    model = green.compile(IR, target="cpu-zen3", objective=objective)
    r, s = model(x, w, b)
    print(objective, model.entry, r.shape, s.shape,
          np.allclose(r, ref, rtol=1e-4, atol=1e-4),
          np.allclose(s, ref.sum(axis=1), rtol=1e-4, atol=1e-3))
# CHECK: energy dense_relu (7, 257) (7,) True True
# CHECK: latency dense_relu (7, 257) (7,) True True

print([str(t) for t in model.input_types])
# CHECK: ['tensor<7x33xf32>', 'tensor<33x257xf32>', 'tensor<7x257xf32>']

# Repeated calls give the same answer (results are fresh buffers).
r2, _ = model(x, w, b)
print("repeat", np.array_equal(r, r2))
# CHECK: repeat True

# The energy report of what was compiled.
report = model.report()
print(report["schema"], report["target"]["name"], report["totals"]["flops"] > 0)
# CHECK: green-energy-report/1 cpu-zen3 True

# Bad input: clear errors.
try:
    model(x.astype(np.float64), w, b)
except ValueError as e:
    print("error:", e)
# CHECK: error: input 0 of @dense_relu: expected tensor<7x33xf32> (float32 [7, 33]), got float64 [7, 33]
try:
    model(x, w)
except ValueError as e:
    print("error:", e)
# CHECK: error: @dense_relu takes 3 inputs, got 2
try:
    green.compile(IR, target="no-such-target")
except green.GreenToolError as e:
    print("error:", e.tool, "unknown target 'no-such-target'" in e.diagnostics,
          "reproducer kept in" in e.diagnostics)
# CHECK: error: green-run True True
try:
    green.compile(IR, objective="speed")
except ValueError as e:
    print("error:", e)
# CHECK: error: objective must be one of energy, latency, edp, got 'speed'
try:
    green.compile("/no/such/model.mlir")
except FileNotFoundError as e:
    print("error:", e)
# CHECK: error: no model at '/no/such/model.mlir'

# green.compile on an entry with more arguments than green-run calls (64 with
# the result): the library is then built through green-opt, mlir-translate
# and clang instead of green-run --emit-bitcode, and computes the same.
# RUN: %PYTHON %s | FileCheck %s

import numpy as np

import green

N = 70
args = ", ".join(f"%a{i}: tensor<3x5xf32>" for i in range(N))
body = ["  %s0 = tosa.add %a0, %a1 : (tensor<3x5xf32>, tensor<3x5xf32>) -> tensor<3x5xf32>"]
for i in range(2, N):
    body.append(f"  %s{i - 1} = tosa.add %s{i - 2}, %a{i} : (tensor<3x5xf32>, "
                f"tensor<3x5xf32>) -> tensor<3x5xf32>")
IR = (f"func.func @sum({args}) -> tensor<3x5xf32> {{\n" + "\n".join(body) +
      f"\n  return %s{N - 2} : tensor<3x5xf32>\n}}\n")

steps = []
model = green.compile(IR, target="cpu-zen3", progress=steps.append)
print(steps[-1])
# CHECK: compiling native code (mlir-translate, clang -O3)
rng = np.random.default_rng(3)
xs = [rng.standard_normal((3, 5)).astype(np.float32) for _ in range(N)]
print("sum", np.allclose(model(*xs), np.sum(xs, axis=0), rtol=1e-5, atol=1e-5))
# CHECK: sum True

# With fewer arguments, green-run --emit-bitcode builds it.
SMALL = """
func.func @small(%a: tensor<3x5xf32>, %b: tensor<3x5xf32>) -> tensor<3x5xf32> {
  %s = tosa.add %a, %b : (tensor<3x5xf32>, tensor<3x5xf32>) -> tensor<3x5xf32>
  return %s : tensor<3x5xf32>
}
"""
steps = []
small = green.compile(SMALL, target="cpu-zen3", progress=steps.append)
print("small", np.allclose(small(xs[0], xs[1]), xs[0] + xs[1]))
# CHECK: small True
print(steps[-1])
# CHECK: compiling native code (clang -O3)

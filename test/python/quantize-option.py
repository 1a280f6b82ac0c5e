# quantize= of green.compile and `green compile --quantize`: passed to green-opt
# as --green-quantize=scheme=<value>; a clear error when the green-opt in use
# does not register that pass. Wrappers around the real green-opt
# (Inputs/fake_green_opt.py) make both cases testable in any build.
# RUN: rm -rf %t && mkdir -p %t
# RUN: %PYTHON %S/Inputs/fake_green_opt.py %t green-opt
# RUN: %PYTHON %s %t | FileCheck %s

import os
import subprocess
import sys

import numpy as np

import green

tmp = sys.argv[1]
IR = """
func.func @f(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = tosa.tanh %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
"""
x = np.linspace(-2, 2, 32, dtype=np.float32).reshape(4, 8)


def use(build):
    os.environ["GREEN_OPT_BUILD_DIR"] = os.path.join(tmp, build)


# A green-opt without --green-quantize: the error says so, nothing runs.
use("noquant")
print("noquant has_pass", green.has_pass("green-quantize"),
      green.has_pass("green-lower-cpu"))
# CHECK: noquant has_pass False True
try:
    green.compile(IR, quantize="int8")
except NotImplementedError as e:
    print("error:", e)
# CHECK: error: quantize='int8' needs the --green-quantize pass, which {{.*}}noquant/bin/green-opt does not register (this build has no quantization); compile without quantize= for fp32
# fp32 still compiles with the same green-opt.
print("fp32", np.allclose(green.compile(IR)(x), np.tanh(x), atol=1e-6))
# CHECK: fp32 True

# The command line says the same and exits with 1.
env = dict(os.environ, GREEN_OPT_BUILD_DIR=os.path.join(tmp, "noquant"))
mlir = os.path.join(tmp, "f.mlir")
with open(mlir, "w") as f:
    f.write(IR)
proc = subprocess.run([sys.executable, "-m", "green", "compile", mlir,
                       "--quantize", "int8", "-o", os.path.join(tmp, "q.so")],
                      env=env, capture_output=True, text=True)
print("cli", proc.returncode, proc.stderr.strip())
# CHECK: cli 1 green compile: error: quantize='int8' needs the --green-quantize pass, which {{.*}} does not register

# A green-opt with the pass: the scheme is passed through as
# --green-quantize=scheme=<value>, before lowering.
use("withquant")
model = green.compile(IR, quantize="int8")
with open(os.path.join(tmp, "withquant", "log")) as f:
    print("passed:", f.read().strip())
# CHECK: passed: --green-quantize=scheme=int8
print("ran", np.allclose(model(x), np.tanh(x), atol=1e-6))
# CHECK: ran True
env["GREEN_OPT_BUILD_DIR"] = os.path.join(tmp, "withquant")
proc = subprocess.run([sys.executable, "-m", "green", "compile", mlir,
                       "--quantize", "bf16", "-o", os.path.join(tmp, "q.so")],
                      env=env, capture_output=True, text=True)
print("cli", proc.returncode, proc.stderr.count("quantizing (bf16)"))
# CHECK: cli 0 1
with open(os.path.join(tmp, "withquant", "log")) as f:
    print("passed:", f.read().split())
# CHECK: passed: ['--green-quantize=scheme=int8', '--green-quantize=scheme=bf16']

# A value that is no scheme name is rejected before any tool runs.
for bad in ["int8 extra", "", 8]:
    try:
        green.compile(IR, quantize=bad)
    except ValueError as e:
        print("error:", e)
# CHECK: error: quantize must be a scheme name such as 'int8', got 'int8 extra'
# CHECK: error: quantize must be a scheme name such as 'int8', got ''
# CHECK: error: quantize must be a scheme name such as 'int8', got 8

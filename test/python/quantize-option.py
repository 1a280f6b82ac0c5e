# quantize= of green.compile and `green compile --quantize`: a clear error when
# the green-opt in use does not register --green-quantize (a wrapper around the
# real green-opt hides it: Inputs/fake_green_opt.py), the pass's report with
# the real one, and bad scheme names rejected before any tool runs.
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


real_build = os.environ.get("GREEN_OPT_BUILD_DIR")


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

# The real green-opt runs the pass before lowering; its report comes back.
os.environ["GREEN_OPT_BUILD_DIR"] = real_build
model = green.compile(IR, quantize="int8")
print("ran", np.allclose(model(x), np.tanh(x), atol=1e-6),
      type(model.quantize_report).__name__)
# CHECK: ran True dict

# A value that is no scheme name is rejected before any tool runs.
for bad in ["int8 extra", "", 8]:
    try:
        green.compile(IR, quantize=bad)
    except ValueError as e:
        print("error:", e)
# CHECK: error: quantize must be one of int8, {{.*}}, got 'int8 extra'
# CHECK: error: quantize must be one of int8, {{.*}}, got ''
# CHECK: error: quantize must be one of int8, {{.*}}, got '8'

# ===- onnx_flow.py - ONNX -> green -> numpy, for onnx-flow.test -----------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Builds a small MLP in ONNX (Gemm -> Relu -> Gemm) with seeded weights, then
# imports, reports and compiles it with the green package and compares the
# result with numpy.
# ===-----------------------------------------------------------------------=== #
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import green

out = sys.argv[1]
rng = np.random.default_rng(7)
w1 = rng.standard_normal((16, 32)).astype(np.float32)
b1 = rng.standard_normal(32).astype(np.float32)
w2 = rng.standard_normal((10, 32)).astype(np.float32)  # used with transB
b2 = rng.standard_normal(10).astype(np.float32)
graph = helper.make_graph(
    [helper.make_node("Gemm", ["x", "w1", "b1"], ["h"], name="fc1"),
     helper.make_node("Relu", ["h"], ["r"], name="relu"),
     helper.make_node("Gemm", ["r", "w2", "b2"], ["y"], name="fc2",
                      transB=1)],
    "mlp",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 16])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4, 10])],
    [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(b1, "b1"),
     numpy_helper.from_array(w2, "w2"), numpy_helper.from_array(b2, "b2")])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
path = os.path.join(out, "mlp.onnx")
onnx.save(model, path)

ir = green.import_onnx(path)
print("imported:", "func.func @main" if "func.func @main" in ir else ir[:200])

report = green.energy_report(path, target="cpu-zen3")
names = sorted({o["location"] for o in report["ops"]
                if o["location"] in ("fc1", "fc2")})
print("report:", *names)

x = rng.standard_normal((4, 16)).astype(np.float32)
ref = np.maximum(x @ w1 + b1, 0) @ w2.T + b2
y = green.compile(path, target="cpu-zen3")(x)
print("run:", y.shape, np.allclose(y, ref, rtol=1e-4, atol=1e-4))

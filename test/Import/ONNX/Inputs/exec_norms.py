# ===- exec_norms.py - LayerNormalization and InstanceNormalization --------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Usage: exec_norms.py OUTDIR [NAME...]. Every model is imported, compiled and
# run (onnx_exec.py) and compared with torch's layer_norm / instance_norm on
# the same inputs (float64 reference).
# ===-----------------------------------------------------------------------=== #
import sys
import zlib

import numpy as np
import torch
from onnx import TensorProto, helper, numpy_helper

from onnx_exec import main

F = TensorProto.FLOAT


def make(name, op, opset, xshape, pshape, bias=True, **attrs):
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    # An offset and a spread per row, so that mean and variance matter.
    x = (rng.standard_normal(xshape) * 3 + 1.5).astype(np.float32)
    scale = rng.standard_normal(pshape).astype(np.float32)
    b = rng.standard_normal(pshape).astype(np.float32)
    inits = [numpy_helper.from_array(scale, "scale")]
    ins = ["x", "scale"]
    if bias:
        inits.append(numpy_helper.from_array(b, "b"))
        ins.append("b")
    node = helper.make_node(op, ins, ["y"], name=name, **attrs)
    graph = helper.make_graph(
        [node], name, [helper.make_tensor_value_info("x", F, xshape)],
        [helper.make_tensor_value_info("y", F, None)], inits)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    eps = attrs.get("epsilon", 1e-5)
    t = torch.from_numpy(x).double()
    if op == "LayerNormalization":
        axis = attrs.get("axis", -1) % len(xshape)
        ref = torch.nn.functional.layer_norm(
            t, xshape[axis:], torch.from_numpy(scale).double(),
            torch.from_numpy(b).double() if bias else None, eps)
    else:
        ref = torch.nn.functional.instance_norm(
            t, weight=torch.from_numpy(scale).double(),
            bias=torch.from_numpy(b).double(), eps=eps)
    return model, [x], [ref.numpy().astype(np.float32)]


MODELS = [
    ("ln_last", lambda: make("ln_last", "LayerNormalization", 17,
                             [2, 7, 33], [33])),
    ("ln_axis1_nobias", lambda: make("ln_axis1_nobias", "LayerNormalization",
                                     17, [3, 4, 5], [4, 5], bias=False,
                                     axis=1, epsilon=1e-3)),
    ("in_2d", lambda: make("in_2d", "InstanceNormalization", 9,
                           [2, 3, 5, 7], [3])),
    ("in_1d", lambda: make("in_1d", "InstanceNormalization", 13,
                           [1, 4, 9], [4], epsilon=1e-2)),
]

if __name__ == "__main__":
    sys.exit(main(MODELS, sys.argv[1]))

# ===- exec_activations.py - HardSigmoid, HardSwish and Range --------------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Usage: exec_activations.py OUTDIR [NAME...]. Every model is imported,
# compiled and run (onnx_exec.py) and compared with numpy written from the
# ONNX definitions (HardSwish also against torch.nn.functional.hardswish).
# ===-----------------------------------------------------------------------=== #
import sys
import zlib

import numpy as np
import torch
from onnx import TensorProto, helper, numpy_helper

from onnx_exec import main

F = TensorProto.FLOAT


def model(name, nodes, xshape, inits=(), opset=14):
    graph = helper.make_graph(
        nodes, name, [helper.make_tensor_value_info("x", F, xshape)],
        [helper.make_tensor_value_info("y", F, None)], list(inits))
    m = helper.make_model(graph,
                          opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 8
    return m


def inputs(name, shape):
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    # Spans the linear part and both saturated ends of the hard ops.
    return (rng.standard_normal(shape) * 4).astype(np.float32)


def hard_sigmoid(name, **attrs):
    x = inputs(name, [3, 17])
    alpha, beta = attrs.get("alpha", 0.2), attrs.get("beta", 0.5)
    ref = np.clip(alpha * x + beta, 0, 1)
    node = helper.make_node("HardSigmoid", ["x"], ["y"], name=name, **attrs)
    return model(name, [node], [3, 17]), [x], [ref.astype(np.float32)]


def hard_swish(name):
    x = inputs(name, [2, 4, 5, 5])
    ref = x * np.clip(x / 6 + 0.5, 0, 1)
    t = torch.nn.functional.hardswish(torch.from_numpy(x)).numpy()
    assert np.allclose(t, ref, rtol=1e-5, atol=1e-6), name
    node = helper.make_node("HardSwish", ["x"], ["y"], name=name)
    return model(name, [node], [2, 4, 5, 5]), [x], [ref.astype(np.float32)]


def range_add(name):
    # y = x + Range(2, 11, 1.5): six values broadcast along the last axis.
    x = inputs(name, [4, 6])
    consts = [numpy_helper.from_array(np.array(v, np.float32), n)
              for n, v in (("start", 2.0), ("limit", 11.0), ("delta", 1.5))]
    nodes = [helper.make_node("Range", ["start", "limit", "delta"], ["r"],
                              name=name + "_range"),
             helper.make_node("Add", ["x", "r"], ["y"], name=name)]
    ref = x + np.arange(2.0, 11.0, 1.5, dtype=np.float32)
    return model(name, nodes, [4, 6], consts), [x], [ref]


MODELS = [
    ("hard_sigmoid", lambda: hard_sigmoid("hard_sigmoid")),
    ("hard_sigmoid_attrs", lambda: hard_sigmoid("hard_sigmoid_attrs",
                                                alpha=0.3, beta=0.25)),
    ("hard_swish", lambda: hard_swish("hard_swish")),
    ("range_add", lambda: range_add("range_add")),
]

if __name__ == "__main__":
    sys.exit(main(MODELS, sys.argv[1]))

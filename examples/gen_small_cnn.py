#!/usr/bin/env python3
# ===- gen_small_cnn.py - regenerate examples/small_cnn.onnx ---------------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Writes the demo's ONNX model with onnx.helper (no PyTorch needed) and
# seeded random weights, so the bundled file is reproducible:
#   /usr/bin/python3 examples/gen_small_cnn.py examples/small_cnn.onnx
#
# x[1x3x32x32] -> conv1 3x3 3->16 pad 1 -> bn1 -> relu1
#              -> conv2 3x3 16->32 stride 2 pad 1 -> relu2 -> pool 2x2
#              -> conv3 3x3 32->32 pad 1 -> relu3 -> add (residual) -> gap
#              -> flatten -> fc 32->10 -> softmax -> y[1x10]
# Opset 13, node names on every node (they become MLIR locations and name
# the ops of the energy report).
# ===-----------------------------------------------------------------------=== #
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(20261124)


def w(name, *shape, scale=None):
    fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else shape[0]
    scale = scale or np.sqrt(2.0 / fan_in)
    return numpy_helper.from_array(
        (rng.standard_normal(shape) * scale).astype(np.float32), name)


inits = [
    w("conv1.w", 16, 3, 3, 3), w("conv1.b", 16, scale=0.1),
    numpy_helper.from_array(
        (1 + 0.1 * rng.standard_normal(16)).astype(np.float32), "bn1.scale"),
    w("bn1.bias", 16, scale=0.1), w("bn1.mean", 16, scale=0.1),
    numpy_helper.from_array(
        (1 + 0.2 * rng.random(16)).astype(np.float32), "bn1.var"),
    w("conv2.w", 32, 16, 3, 3), w("conv2.b", 32, scale=0.1),
    w("conv3.w", 32, 32, 3, 3), w("conv3.b", 32, scale=0.1),
    w("fc.w", 10, 32), w("fc.b", 10, scale=0.1),
]
nodes = [
    helper.make_node("Conv", ["x", "conv1.w", "conv1.b"], ["c1"],
                     name="conv1", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
    helper.make_node("BatchNormalization",
                     ["c1", "bn1.scale", "bn1.bias", "bn1.mean", "bn1.var"],
                     ["b1"], name="bn1", epsilon=1e-5),
    helper.make_node("Relu", ["b1"], ["r1"], name="relu1"),
    helper.make_node("Conv", ["r1", "conv2.w", "conv2.b"], ["c2"],
                     name="conv2", pads=[1, 1, 1, 1], strides=[2, 2],
                     kernel_shape=[3, 3]),
    helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
    helper.make_node("MaxPool", ["r2"], ["p2"], name="pool",
                     kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("Conv", ["p2", "conv3.w", "conv3.b"], ["c3"],
                     name="conv3", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
    helper.make_node("Relu", ["c3"], ["r3"], name="relu3"),
    helper.make_node("Add", ["r3", "p2"], ["s3"], name="residual"),
    helper.make_node("GlobalAveragePool", ["s3"], ["g"], name="gap"),
    helper.make_node("Flatten", ["g"], ["f"], name="flatten"),
    helper.make_node("Gemm", ["f", "fc.w", "fc.b"], ["logits"], name="fc",
                     transB=1),
    helper.make_node("Softmax", ["logits"], ["y"], name="softmax", axis=1),
]
graph = helper.make_graph(
    nodes, "small_cnn",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 32, 32])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                          producer_name="green-opt examples/gen_small_cnn.py")
model.ir_version = 8
onnx.checker.check_model(model, full_check=True)
onnx.save(model, sys.argv[1] if len(sys.argv) > 1 else "small_cnn.onnx")

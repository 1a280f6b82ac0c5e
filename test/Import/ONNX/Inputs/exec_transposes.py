# ===- exec_transposes.py - NHWC graphs as converters write them ----------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Usage: exec_transposes.py OUTDIR [NAME...]. TensorFlow/TFLite converters
# keep NHWC tensors and wrap each NCHW ONNX op in Transpose nodes. These
# models are imported, compiled, run and compared with torch (fp32 rel err
# < 1e-4); transposes.test checks that the transposes are gone.
# ===-----------------------------------------------------------------------=== #
import sys

import numpy as np
import torch
from onnx import TensorProto, helper, numpy_helper

from onnx_exec import main

F = TensorProto.FLOAT
TO_NCHW, TO_NHWC = [0, 3, 1, 2], [0, 2, 3, 1]


def T(x, perm):
    return np.ascontiguousarray(np.transpose(x, perm))


def nhwc_block():
    # x (NHWC) -> T -> Conv -> Add bias -> Relu -> T -> Add residual (NHWC)
    # -> T -> Conv -> Sigmoid -> T -> y (NHWC).
    rng = np.random.default_rng(3)
    x = rng.standard_normal((1, 6, 6, 4)).astype(np.float32)
    w1 = rng.standard_normal((4, 4, 3, 3)).astype(np.float32) * 0.3
    b1 = rng.standard_normal((1, 4, 1, 1)).astype(np.float32)
    w2 = rng.standard_normal((5, 4, 1, 1)).astype(np.float32) * 0.3
    nodes = [
        helper.make_node("Transpose", ["x"], ["x_nchw"], name="t_in",
                         perm=TO_NCHW),
        helper.make_node("Conv", ["x_nchw", "w1"], ["c1"], name="conv1",
                         pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["c1", "b1"], ["a1"], name="bias1"),
        helper.make_node("Relu", ["a1"], ["r1"], name="relu1"),
        helper.make_node("Transpose", ["r1"], ["r1_nhwc"], name="t_mid",
                         perm=TO_NHWC),
        helper.make_node("Add", ["r1_nhwc", "x"], ["res"], name="residual"),
        helper.make_node("Transpose", ["res"], ["res_nchw"], name="t_res",
                         perm=TO_NCHW),
        helper.make_node("Conv", ["res_nchw", "w2"], ["c2"], name="conv2"),
        helper.make_node("Sigmoid", ["c2"], ["s2"], name="sig2"),
        helper.make_node("Transpose", ["s2"], ["y"], name="t_out",
                         perm=TO_NHWC),
    ]
    graph = helper.make_graph(
        nodes, "nhwc_block", [helper.make_tensor_value_info("x", F, x.shape)],
        [helper.make_tensor_value_info("y", F, None)],
        [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(b1, "b1"),
         numpy_helper.from_array(w2, "w2")])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    t = torch.from_numpy
    c1 = torch.nn.functional.conv2d(t(T(x, TO_NCHW)), t(w1), padding=1)
    r1 = torch.relu(c1 + t(b1))
    res = r1.permute(0, 2, 3, 1) + t(x)
    c2 = torch.nn.functional.conv2d(res.permute(0, 3, 1, 2), t(w2))
    y = torch.sigmoid(c2).permute(0, 2, 3, 1).numpy()
    return m, [x], [np.ascontiguousarray(y)]


def transpose_pair():
    # Transpose(perm) then Transpose(inverse perm) around a Tanh and a Mul
    # of two transposed values: nothing of the four transposes is left.
    rng = np.random.default_rng(4)
    a = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    b = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    p, inv = [2, 0, 3, 1], [1, 3, 0, 2]
    nodes = [
        helper.make_node("Transpose", ["a"], ["ta"], name="ta", perm=p),
        helper.make_node("Transpose", ["b"], ["tb"], name="tb", perm=p),
        helper.make_node("Tanh", ["ta"], ["h"], name="tanh"),
        helper.make_node("Mul", ["h", "tb"], ["m"], name="mul"),
        helper.make_node("Transpose", ["m"], ["y"], name="back", perm=inv),
    ]
    graph = helper.make_graph(
        nodes, "transpose_pair",
        [helper.make_tensor_value_info("a", F, a.shape),
         helper.make_tensor_value_info("b", F, b.shape)],
        [helper.make_tensor_value_info("y", F, None)])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    return m, [a, b], [(np.tanh(a) * b).astype(np.float32)]


MODELS = [("nhwc_block", nhwc_block), ("transpose_pair", transpose_pair)]

if __name__ == "__main__":
    sys.exit(main(MODELS, sys.argv[1]))

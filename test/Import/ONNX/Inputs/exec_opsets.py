# ===- exec_opsets.py - attribute forms of opsets 9 to 18, run ------------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Usage: exec_opsets.py OUTDIR [NAME...]. Ops whose attributes became inputs
# inside opsets 9..18 (Slice 9 vs 10+, Split 11 vs 13 vs 18, Squeeze and
# Unsqueeze 11 vs 13, ReduceX 11/13 vs 18, Pad 9 vs 11 vs 18, Clip 9 vs 11,
# Softmax 11 vs 13, Upsample 9 / Resize 10 elsewhere), each imported at its
# opset, compiled, run and compared with numpy.
# ===-----------------------------------------------------------------------=== #
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

from onnx_exec import main

F = TensorProto.FLOAT
rng = np.random.default_rng(11)
X = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)


def single(name, op, opset, outs, attrs=None, consts=(), nouts=1,
           x=X):
    """Model of one `op` node on input x plus constant inputs `consts`
    (name, array or None for an absent optional input)."""
    inits, ins = [], ["x"]
    for cname, value in consts:
        if value is None:
            ins.append("")
            continue
        inits.append(numpy_helper.from_array(np.asarray(value), cname))
        ins.append(cname)
    outputs = [f"y{i}" for i in range(nouts)]
    node = helper.make_node(op, ins, outputs, name=name, **(attrs or {}))
    graph = helper.make_graph(
        [node], name, [helper.make_tensor_value_info("x", F, x.shape)],
        [helper.make_tensor_value_info(o, F, None) for o in outputs], inits)
    m = helper.make_model(graph,
                          opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 8 if opset >= 13 else 6
    return m, [x], [np.ascontiguousarray(o).astype(np.float32) for o in outs]


def softmax_legacy(x, axis):
    shape = x.shape
    x2 = x.reshape(int(np.prod(shape[:axis])), -1)
    e = np.exp(x2 - x2.max(1, keepdims=True))
    return (e / e.sum(1, keepdims=True)).reshape(shape)


def softmax(x, axis):
    e = np.exp(x - x.max(axis, keepdims=True))
    return e / e.sum(axis, keepdims=True)


i64 = lambda v: np.array(v, np.int64)


def if_runtime(flag):
    # If on a run-time bool: scf.if; the then branch uses an initializer of
    # the main graph that the main graph uses again after the If.
    def build():
        B = np.arange(20, dtype=np.float32).reshape(4, 5) / 10
        then_g = helper.make_graph(
            [helper.make_node("Add", ["x", "b"], ["t"], name="then_add")],
            "then", [], [helper.make_tensor_value_info("t", F, None)])
        else_g = helper.make_graph(
            [helper.make_node("Neg", ["x"], ["e0"], name="else_neg"),
             helper.make_node("Mul", ["e0", "k"], ["e"], name="else_mul")],
            "else", [], [helper.make_tensor_value_info("e", F, None)],
            [numpy_helper.from_array(np.float32(3.0), "k")])
        nodes = [helper.make_node("If", ["flag"], ["i"], name="branch",
                                  then_branch=then_g, else_branch=else_g),
                 helper.make_node("Sub", ["i", "b"], ["y"], name="after")]
        graph = helper.make_graph(
            nodes, "if_runtime",
            [helper.make_tensor_value_info("x", F, X.shape),
             helper.make_tensor_value_info("flag", TensorProto.BOOL, [])],
            [helper.make_tensor_value_info("y", F, None)],
            [numpy_helper.from_array(B, "b")])
        m = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
        m.ir_version = 8
        ref = (X + B if flag else -X * 3) - B
        return m, [X, np.array(flag)], [ref.astype(np.float32)]
    return build


MODELS = [
    ("if_runtime_true", if_runtime(True)),
    ("if_runtime_false", if_runtime(False)),
    ("slice_opset9_attrs", lambda: single(
        "slice9", "Slice", 9, [X[:, 1:3, -3:, 0:100]],
        dict(starts=[1, -3, 0], ends=[3, 100, 1000], axes=[1, 2, 3]))),
    ("slice_opset13_inputs", lambda: single(
        "slice13", "Slice", 13, [X[:, :, 1:-1, ::2]],
        consts=[("s", i64([1, 0])), ("e", i64([-1, 5])), ("a", i64([2, 3])),
                ("st", i64([1, 2]))])),
    ("slice_opset13_negative_steps", lambda: single(
        "slice13neg", "Slice", 13, [X[:, ::-1, :, 3:0:-2]],
        consts=[("s", i64([-1, 3])), ("e", i64([-1000, 0])),
                ("a", i64([1, 3])), ("st", i64([-1, -2]))])),
    ("split_opset11_attr", lambda: single(
        "split11", "Split", 11, np.split(X, [1, 3], axis=3),
        dict(axis=3, split=[1, 2, 2]), nouts=3)),
    ("split_opset13_input", lambda: single(
        "split13", "Split", 13, np.split(X, [1], axis=1),
        dict(axis=1), consts=[("sp", i64([1, 2]))], nouts=2)),
    ("split_opset18_equal", lambda: single(
        "split18", "Split", 18, np.split(X, 2, axis=2),
        dict(axis=2, num_outputs=2), nouts=2)),
    ("squeeze_opset11_attr", lambda: single(
        "squeeze11", "Squeeze", 11, [X[:1, :, :1].reshape(3, 5)],
        dict(axes=[0, 2]), x=np.ascontiguousarray(X[:1, :, :1]))),
    ("squeeze_opset13_input", lambda: single(
        "squeeze13", "Squeeze", 13, [X[:1, :, :1].reshape(3, 5)],
        consts=[("ax", i64([0, -2]))], x=np.ascontiguousarray(X[:1, :, :1]))),
    ("unsqueeze_opset11_attr", lambda: single(
        "unsqueeze11", "Unsqueeze", 11, [X.reshape(2, 1, 3, 4, 5, 1)],
        dict(axes=[1, 5]))),
    ("unsqueeze_opset13_input", lambda: single(
        "unsqueeze13", "Unsqueeze", 13, [X.reshape(2, 3, 1, 4, 5)],
        consts=[("ax", i64([-3]))])),
    ("reducesum_opset11_attr", lambda: single(
        "rsum11", "ReduceSum", 11, [X.sum(axis=(1, 3), keepdims=True)],
        dict(axes=[1, -1]))),
    ("reducesum_opset13_input", lambda: single(
        "rsum13", "ReduceSum", 13, [X.sum(axis=2)], dict(keepdims=0),
        consts=[("ax", i64([2]))])),
    ("reducemean_opset13_attr", lambda: single(
        "rmean13", "ReduceMean", 13, [X.mean(axis=(0, 2))],
        dict(axes=[0, 2], keepdims=0))),
    ("reducemean_opset18_input", lambda: single(
        "rmean18", "ReduceMean", 18, [X.mean(axis=3, keepdims=True)],
        consts=[("ax", i64([3]))])),
    ("reducemax_opset18_noop", lambda: single(
        "rmax18", "ReduceMax", 18, [X], dict(noop_with_empty_axes=1))),
    ("pad_opset9_attrs", lambda: single(
        "pad9", "Pad", 9,
        [np.pad(X, ((0, 0), (1, 0), (0, 2), (1, 1)), constant_values=1.5)],
        dict(pads=[0, 1, 0, 1, 0, 0, 2, 1], value=1.5))),
    ("pad_opset11_inputs", lambda: single(
        "pad11", "Pad", 11,
        [np.pad(X, ((0, 0), (0, 0), (2, 1), (0, 0)), constant_values=-2.0)[
            :, :, :, 1:]],
        consts=[("p", i64([0, 0, 2, -1, 0, 0, 1, 0])),
                ("v", np.float32(-2.0))])),
    ("pad_opset18_axes", lambda: single(
        "pad18", "Pad", 18,
        [np.pad(X, ((0, 0), (0, 0), (0, 0), (3, 1)))],
        consts=[("p", i64([3, 1])), ("v", None), ("a", i64([-1]))])),
    ("clip_opset9_attrs", lambda: single(
        "clip9", "Clip", 9, [np.clip(X, -0.5, 0.7)],
        dict(min=-0.5, max=0.7))),
    ("clip_opset11_inputs", lambda: single(
        "clip11", "Clip", 11, [np.minimum(X, 0.3)],
        consts=[("lo", None), ("hi", np.float32(0.3))])),
    ("softmax_opset11_coerced", lambda: single(
        "softmax11", "Softmax", 11, [softmax_legacy(X, 2)], dict(axis=2))),
    ("softmax_opset13_axis", lambda: single(
        "softmax13", "Softmax", 13, [softmax(X, 1)], dict(axis=1))),
    ("logsoftmax_opset9_default", lambda: single(
        "logsoftmax9", "LogSoftmax", 9, [np.log(softmax_legacy(X, 1))])),
]

if __name__ == "__main__":
    sys.exit(main(MODELS, sys.argv[1]))

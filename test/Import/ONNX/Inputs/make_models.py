# ===- make_models.py - small ONNX models for the importer's lit tests --=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Usage: make_models.py OUTDIR NAME...   writes OUTDIR/NAME.onnx for each NAME.
# Models are built with onnx.helper (Debian's python3-onnx 1.12) and are
# deterministic. Each one exercises an op family or an error path.
#
# ===--------------------------------------------------------------------=== #

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F = TensorProto.FLOAT


def rand(*shape):
    rng = np.random.default_rng(sum(shape) + len(shape))
    return rng.standard_normal(shape).astype(np.float32)


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def model(nodes, inputs, outputs, inits=(), opset=13, name="g", extra=()):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(inits))
    opsets = [helper.make_opsetid("", opset)] + list(extra)
    m = helper.make_model(graph, opset_imports=opsets,
                          producer_name="green-opt-tests")
    m.ir_version = 8
    return m


def tin(name, shape, dtype=F):
    return helper.make_tensor_value_info(name, dtype, shape)


def tout(name, dtype=F):
    return helper.make_tensor_value_info(name, dtype, None)


def node(op, ins, outs, name, **attrs):
    return helper.make_node(op, ins, outs, name=name, **attrs)


MODELS = {}


def register(fn):
    MODELS[fn.__name__] = fn
    return fn


# --------------------------------------------------------------------------
# Conv
# --------------------------------------------------------------------------


@register
def conv_basic():
    # 3x3, pads 1, bias.
    return model([node("Conv", ["x", "w", "b"], ["y"], "conv1",
                       pads=[1, 1, 1, 1])],
                 [tin("x", [1, 3, 8, 8])], [tout("y")],
                 [init("w", rand(4, 3, 3, 3)), init("b", rand(4))])


@register
def conv_strided():
    # Stride 2, dilation 2, asymmetric pads; no bias. Floor rounding leaves
    # end padding TOSA must not see.
    return model([node("Conv", ["x", "w"], ["y"], "conv_s2d2",
                       strides=[2, 2], dilations=[2, 2], pads=[1, 2, 2, 1])],
                 [tin("x", [1, 2, 9, 10])], [tout("y")],
                 [init("w", rand(3, 2, 3, 3))])


@register
def conv_same_upper():
    return model([node("Conv", ["x", "w", "b"], ["y"], "conv_same",
                       auto_pad="SAME_UPPER", strides=[2, 2],
                       kernel_shape=[3, 3])],
                 [tin("x", [1, 2, 7, 7])], [tout("y")],
                 [init("w", rand(4, 2, 3, 3)), init("b", rand(4))])


@register
def conv_group():
    # group 2: 4 input channels, 6 output channels.
    return model([node("Conv", ["x", "w", "b"], ["y"], "conv_g2", group=2,
                       pads=[1, 1, 1, 1])],
                 [tin("x", [1, 4, 5, 5])], [tout("y")],
                 [init("w", rand(6, 2, 3, 3)), init("b", rand(6))])


@register
def conv_depthwise():
    # group == channels, multiplier 2.
    return model([node("Conv", ["x", "w"], ["y"], "conv_dw", group=3,
                       pads=[1, 1, 1, 1])],
                 [tin("x", [1, 3, 6, 6])], [tout("y")],
                 [init("w", rand(6, 1, 3, 3))])


# --------------------------------------------------------------------------
# Gemm and MatMul
# --------------------------------------------------------------------------


@register
def gemm_transb_beta():
    return model([node("Gemm", ["a", "w", "c"], ["y"], "fc", transB=1,
                       alpha=2.0, beta=0.5)],
                 [tin("a", [2, 8])], [tout("y")],
                 [init("w", rand(5, 8)), init("c", rand(5))])


@register
def gemm_transa():
    return model([node("Gemm", ["a", "b"], ["y"], "gemm_ta", transA=1)],
                 [tin("a", [8, 2]), tin("b", [8, 3])], [tout("y")])


@register
def matmul_2d():
    return model([node("MatMul", ["a", "b"], ["y"], "mm2d")],
                 [tin("a", [4, 6]), tin("b", [6, 3])], [tout("y")])


@register
def matmul_batched():
    # [2,4,6] x [6,3] (shared weights), [2,4,6] x [2,6,5] (batched) and
    # [1,4,6] x [2,6,5] (broadcast batch).
    return model([node("MatMul", ["a", "w"], ["y"], "mm_shared"),
                  node("MatMul", ["a", "b"], ["z"], "mm_batch"),
                  node("MatMul", ["a1", "b"], ["u"], "mm_bcast")],
                 [tin("a", [2, 4, 6]), tin("b", [2, 6, 5]),
                  tin("a1", [1, 4, 6])],
                 [tout("y"), tout("z"), tout("u")], [init("w", rand(6, 3))])


@register
def matmul_vector():
    return model([node("MatMul", ["v", "b"], ["y"], "mm_vec")],
                 [tin("v", [6]), tin("b", [3, 6, 4])], [tout("y")])


# --------------------------------------------------------------------------
# Elementwise
# --------------------------------------------------------------------------


@register
def elementwise():
    nodes = [
        node("Add", ["x", "bias"], ["a"], "add_bcast"),
        node("Sub", ["a", "x"], ["s"], "sub"),
        node("Mul", ["s", "x"], ["m"], "mul"),
        node("Div", ["m", "two"], ["d"], "div_const"),
        node("Div", ["d", "x"], ["d2"], "div"),
        node("Relu", ["d2"], ["r"], "relu"),
        node("Sigmoid", ["r"], ["sg"], "sigmoid"),
        node("Tanh", ["sg"], ["t"], "tanh"),
        node("Exp", ["t"], ["e"], "exp"),
        node("Log", ["e"], ["l"], "log"),
        node("Sqrt", ["l"], ["q"], "sqrt"),
        node("LeakyRelu", ["q"], ["lr"], "leaky", alpha=0.2),
        node("Cast", ["lr"], ["ci"], "to_int", to=TensorProto.INT32),
        node("Cast", ["ci"], ["y"], "to_float", to=TensorProto.FLOAT),
    ]
    return model(nodes, [tin("x", [2, 3, 4])], [tout("y")],
                 [init("bias", rand(4)), init("two", np.float32(2.0))])


@register
def clip_opset9():
    return model([node("Clip", ["x"], ["y"], "clip6", min=0.0, max=6.0)],
                 [tin("x", [2, 3])], [tout("y")], opset=9)


@register
def clip_opset13():
    return model([node("Clip", ["x", "lo", "hi"], ["y"], "clip_in"),
                  node("Clip", ["x", "", "hi"], ["z"], "clip_max")],
                 [tin("x", [2, 3])], [tout("y"), tout("z")],
                 [init("lo", np.float32(-1.0)), init("hi", np.float32(1.0))])


# --------------------------------------------------------------------------
# NN: normalization, pooling, softmax, reductions
# --------------------------------------------------------------------------


@register
def batchnorm():
    c = 3
    return model([node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"],
                       "bn", epsilon=1e-3)],
                 [tin("x", [1, c, 4, 4])], [tout("y")],
                 [init("s", rand(c)), init("b", rand(c)), init("m", rand(c)),
                  init("v", np.abs(rand(c)) + 1)])


@register
def pooling():
    return model([
        node("MaxPool", ["x"], ["mp"], "maxpool", kernel_shape=[3, 3],
             strides=[2, 2], pads=[1, 1, 1, 1]),
        node("AveragePool", ["x"], ["ap"], "avgpool", kernel_shape=[2, 2],
             strides=[2, 2]),
        node("AveragePool", ["x"], ["ai"], "avgpool_pad", kernel_shape=[3, 3],
             pads=[1, 1, 1, 1], count_include_pad=1),
        node("MaxPool", ["x"], ["mc"], "maxpool_ceil", kernel_shape=[2, 2],
             strides=[2, 2], ceil_mode=1),
        node("GlobalAveragePool", ["x"], ["g"], "gap"),
    ], [tin("x", [1, 2, 7, 7])],
        [tout("mp"), tout("ap"), tout("ai"), tout("mc"), tout("g")])


@register
def softmax_opset9():
    # Before opset 13: coerced to 2-D at axis 1.
    return model([node("Softmax", ["x"], ["y"], "softmax9")],
                 [tin("x", [2, 3, 4])], [tout("y")], opset=9)


@register
def softmax_opset13():
    return model([node("Softmax", ["x"], ["y"], "softmax13", axis=1)],
                 [tin("x", [2, 3, 4])], [tout("y")])


@register
def reduce_mean():
    return model([node("ReduceMean", ["x"], ["y"], "mean", axes=[-1],
                       keepdims=0)],
                 [tin("x", [2, 3, 4])], [tout("y")])


# --------------------------------------------------------------------------
# Shape ops
# --------------------------------------------------------------------------


@register
def reshape_ops():
    nodes = [
        node("Flatten", ["x"], ["f"], "flatten", axis=2),
        node("Reshape", ["f", "shape"], ["r"], "reshape"),
        node("Transpose", ["r"], ["t"], "transpose", perm=[1, 0, 2]),
        node("Concat", ["t", "t"], ["c"], "concat", axis=-1),
        node("Identity", ["c"], ["i"], "identity"),
        node("Dropout", ["i"], ["y"], "dropout"),
    ]
    return model(nodes, [tin("x", [2, 3, 4, 5])], [tout("y")],
                 [init("shape", np.array([0, -1, 4], dtype=np.int64))])


@register
def squeeze_opset9():
    return model([node("Unsqueeze", ["x"], ["u"], "unsqueeze9", axes=[0, 3]),
                  node("Squeeze", ["u"], ["y"], "squeeze9", axes=[0])],
                 [tin("x", [3, 4])], [tout("y")], opset=9)


@register
def squeeze_opset13():
    return model([node("Unsqueeze", ["x", "axes"], ["u"], "unsqueeze13"),
                  node("Squeeze", ["u", "axes0"], ["y"], "squeeze13")],
                 [tin("x", [3, 4])], [tout("y")],
                 [init("axes", np.array([0, -1], dtype=np.int64)),
                  init("axes0", np.array([0], dtype=np.int64))])


@register
def shape_fold():
    # The exporter idiom x.view(x.size(0), -1): folds to one reshape.
    nodes = [
        node("Shape", ["x"], ["s"], "shape"),
        node("Constant", [], ["zero"], "c0",
             value=helper.make_tensor("v", TensorProto.INT64, [], [0])),
        node("Gather", ["s", "zero"], ["n"], "gather", axis=0),
        node("Unsqueeze", ["n", "axes"], ["n1"], "unsq"),
        node("Concat", ["n1", "minus1"], ["target"], "cat", axis=0),
        node("Reshape", ["x", "target"], ["y"], "view"),
    ]
    return model(nodes, [tin("x", [2, 3, 4])], [tout("y")],
                 [init("axes", np.array([0], dtype=np.int64)),
                  init("minus1", np.array([-1], dtype=np.int64))])


@register
def slice_opset9():
    return model([node("Slice", ["x"], ["y"], "slice9", starts=[1, 0],
                       ends=[3, 1000], axes=[0, 2])],
                 [tin("x", [4, 3, 6])], [tout("y")], opset=9)


@register
def slice_opset13():
    return model([node("Slice", ["x", "st", "en", "ax"], ["y"], "slice13")],
                 [tin("x", [4, 3, 6])], [tout("y")],
                 [init("st", np.array([1, -4], dtype=np.int64)),
                  init("en", np.array([3, -1], dtype=np.int64)),
                  init("ax", np.array([0, 2], dtype=np.int64))])


@register
def pad_ops():
    return model([node("Pad", ["x", "pads", "cv"], ["y"], "pad")],
                 [tin("x", [1, 2, 3])], [tout("y")],
                 [init("pads", np.array([0, 1, 2, 0, 1, 0], dtype=np.int64)),
                  init("cv", np.float32(0.5))])


# --------------------------------------------------------------------------
# Whole models
# --------------------------------------------------------------------------


@register
def small_cnn():
    nodes = [
        node("Conv", ["x", "w1", "b1"], ["c1"], "conv1", pads=[1, 1, 1, 1]),
        node("Relu", ["c1"], ["r1"], "relu1"),
        node("MaxPool", ["r1"], ["p1"], "pool1", kernel_shape=[2, 2],
             strides=[2, 2]),
        node("Flatten", ["p1"], ["f"], "flatten"),
        node("Gemm", ["f", "w2", "b2"], ["y"], "fc", transB=1),
    ]
    return model(nodes, [tin("x", ["batch", 3, 16, 16])], [tout("y")],
                 [init("w1", rand(8, 3, 3, 3)), init("b1", rand(8)),
                  init("w2", rand(10, 512)), init("b2", rand(10))],
                 name="small_cnn")


@register
def if_flag():
    # Branch on a graph input: folds once the input is pinned.
    then_g = helper.make_graph(
        [node("Relu", ["x"], ["t"], "then_relu")], "then", [], [tout("t")])
    else_g = helper.make_graph(
        [node("Sigmoid", ["x"], ["e"], "else_sigmoid")], "else", [],
        [tout("e")])
    return model([node("If", ["flag"], ["y"], "branch", then_branch=then_g,
                       else_branch=else_g)],
                 [tin("x", [2, 3]), tin("flag", [], TensorProto.BOOL)],
                 [tout("y")])


@register
def if_shapes_differ():
    # A run-time If whose branches produce different shapes.
    then_g = helper.make_graph(
        [node("Relu", ["x"], ["t"], "then_relu")], "then", [], [tout("t")])
    else_g = helper.make_graph(
        [node("Transpose", ["x"], ["e"], "else_transpose", perm=[1, 0])],
        "else", [], [tout("e")])
    return model([node("If", ["flag"], ["y"], "branch", then_branch=then_g,
                       else_branch=else_g)],
                 [tin("x", [2, 3]), tin("flag", [], TensorProto.BOOL)],
                 [tout("y")])


# --------------------------------------------------------------------------
# Error cases
# --------------------------------------------------------------------------


@register
def unsupported():
    nodes = [
        node("Relu", ["x"], ["a"], "ok"),
        node("Foo", ["a"], ["b"], "n1"),
        node("Loop", ["b"], ["c"], "n7"),
        helper.make_node("FusedConv", ["c"], ["y"], name="n9",
                         domain="com.microsoft"),
    ]
    return model(nodes, [tin("x", [2])], [tout("y")],
                 extra=[helper.make_opsetid("com.microsoft", 1)])


@register
def opset19():
    return model([node("Relu", ["x"], ["y"], "r")], [tin("x", [2])],
                 [tout("y")], opset=19)


@register
def opset8():
    return model([node("Relu", ["x"], ["y"], "r")], [tin("x", [2])],
                 [tout("y")], opset=8)


@register
def unused_domain():
    # Imports a domain (and a future version of it) no node uses.
    return model([node("Relu", ["x"], ["y"], "r")], [tin("x", [2])],
                 [tout("y")],
                 extra=[helper.make_opsetid("ai.onnx.ml", 99),
                        helper.make_opsetid("com.example", 7)])


@register
def missing_init():
    return model([node("Add", ["x", "w"], ["y"], "add_w")], [tin("x", [2])],
                 [tout("y")])


@register
def dynamic():
    return model([node("Relu", ["x"], ["y"], "r")],
                 [tin("x", ["batch", 3, None])], [tout("y")])


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name in sys.argv[2:] or MODELS:
        onnx.save(MODELS[name](), os.path.join(out, name + ".onnx"))


if __name__ == "__main__":
    main()

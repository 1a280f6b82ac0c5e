#!/usr/bin/env python3
# ===- prune_exec.py - --green-prune keeps the kept channels' results -----=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# The invariant of --green-prune, checked by execution: the pruned model's
# output equals the original model's output with the removed channels'
# producer-side parameters (weights, biases, batch-norm shift, depthwise
# bias) set to zero. Each case builds a TOSA model with random weights,
# prunes it (the JSON report says which channels were kept), builds the
# zeroed variant of the original with numpy, compiles both with
# green.compile and compares outputs (rtol 1e-5). Models: an MLP; a CNN with
# batch-norm, depthwise conv, residual add and NCHW flatten into a linear
# layer; a channel concat of two convs with an NHWC flatten; and a model that goes through
# the ONNX importer (NCHW transposes, batch-norm, max-pool, flatten, Gemm).
# Per-layer ratios and Taylor importance (gradient files; the kept channels
# must be numpy's |w * g| ranking) go through the same check, and so does a
# multi-head attention (pruned heads: their Q, K, V columns zeroed). For
# mode=n-m and mode=unstructured the pruned model must equal the original
# with numpy's 2:4 / magnitude masks applied to its weights.
#
# Usage: PYTHONPATH=python GREEN_OPT_BUILD_DIR=build prune_exec.py
# ===-----------------------------------------------------------------------=== #

import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

import green
from green.tools import find_tool

RTOL = 1e-5
ZP = ('%zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> '
      'tensor<1xf32>\n  %sh = "tosa.const"() <{values = dense<0> : '
      'tensor<1xi8>}> : () -> tensor<1xi8>')
RELU = "{min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32}"
CONV = ("{acc_type = f32, dilation = array<i64: 1, 1>, "
        "pad = array<i64: %d, %d, %d, %d>, stride = array<i64: 1, 1>}")


def t(a):
    shape = a if isinstance(a, tuple) else a.shape
    return "tensor<%sxf32>" % "x".join(str(s) for s in shape)


def const(name, a):
    """A tosa.const holding `a` exactly (hex little-endian f32)."""
    data = a.astype("<f4").tobytes().hex().upper()
    return (f'%{name}_v = "tosa.const"() <{{values = dense<"0x{data}"> : '
            f'{t(a)}}}> : () -> {t(a)}')


def mlp(p):
    """x -> fc1 -> +b1 -> relu -> fc2 -> +b2 (fc2 feeds the result)."""
    return f"""
func.func @mlp(%x: tensor<1x4x8xf32>) -> tensor<1x4x5xf32> {{
  {ZP}
  {const("w1", p["w1"])}
  {const("b1", p["b1"])}
  {const("w2", p["w2"])}
  {const("b2", p["b2"])}
  %h = tosa.matmul %x, %w1_v, %zp, %zp : (tensor<1x4x8xf32>, {t(p["w1"])}, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x6xf32> loc("fc1")
  %hb = tosa.add %h, %b1_v : (tensor<1x4x6xf32>, {t(p["b1"])}) -> tensor<1x4x6xf32>
  %r = tosa.clamp %hb {RELU} : (tensor<1x4x6xf32>) -> tensor<1x4x6xf32>
  %y = tosa.matmul %r, %w2_v, %zp, %zp : (tensor<1x4x6xf32>, {t(p["w2"])}, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x5xf32> loc("fc2")
  %yb = tosa.add %y, %b2_v : (tensor<1x4x5xf32>, {t(p["b2"])}) -> tensor<1x4x5xf32>
  return %yb : tensor<1x4x5xf32>
}}"""


def mlp_params(rng):
    return {"w1": rng.standard_normal((1, 8, 6)),
            "b1": rng.standard_normal((1, 1, 6)),
            "w2": rng.standard_normal((1, 6, 5)),
            "b2": rng.standard_normal((1, 1, 5))}


def mlp_zero(p, groups):
    kept = groups["fc1"]
    drop = [c for c in range(6) if c not in kept]
    p["w1"][:, :, drop] = 0
    p["b1"][:, :, drop] = 0


def cnn(p):
    """conv1 -> batch-norm -> relu -> depthwise -> relu -> conv2, plus a 1x1
    conv3 of the input added as a residual -> relu -> NCHW flatten -> fc."""
    H = 6
    a = (1, H, H, 8)
    return f"""
func.func @cnn(%x: tensor<1x{H}x{H}x3xf32>) -> tensor<1x1x10xf32> {{
  {ZP}
  {const("w1", p["w1"])}
  {const("b1", p["b1"])}
  {const("s1", p["s1"])}
  {const("t1", p["t1"])}
  {const("wd", p["wd"])}
  {const("bd", p["bd"])}
  {const("w2", p["w2"])}
  {const("b2", p["b2"])}
  {const("w3", p["w3"])}
  {const("b3", p["b3"])}
  {const("wf", p["wf"])}
  %c1 = tosa.conv2d %x, %w1_v, %b1_v, %zp, %zp {CONV % (1, 1, 1, 1)} : (tensor<1x{H}x{H}x3xf32>, {t(p["w1"])}, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> {t(a)} loc("conv1")
  %bn = tosa.mul %c1, %s1_v, %sh : ({t(a)}, {t(p["s1"])}, tensor<1xi8>) -> {t(a)}
  %bn2 = tosa.add %bn, %t1_v : ({t(a)}, {t(p["t1"])}) -> {t(a)}
  %r1 = tosa.clamp %bn2 {RELU} : ({t(a)}) -> {t(a)}
  %d = tosa.depthwise_conv2d %r1, %wd_v, %bd_v, %zp, %zp {CONV % (1, 1, 1, 1)} : ({t(a)}, {t(p["wd"])}, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> {t(a)} loc("dw")
  %rd = tosa.clamp %d {RELU} : ({t(a)}) -> {t(a)}
  %c2 = tosa.conv2d %rd, %w2_v, %b2_v, %zp, %zp {CONV % (0, 0, 0, 0)} : ({t(a)}, {t(p["w2"])}, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> {t(a)} loc("conv2")
  %c3 = tosa.conv2d %x, %w3_v, %b3_v, %zp, %zp {CONV % (0, 0, 0, 0)} : (tensor<1x{H}x{H}x3xf32>, {t(p["w3"])}, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> {t(a)} loc("conv3")
  %s = tosa.add %c2, %c3 : ({t(a)}, {t(a)}) -> {t(a)}
  %rs = tosa.clamp %s {RELU} : ({t(a)}) -> {t(a)}
  %n = tosa.transpose %rs {{perms = array<i32: 0, 3, 1, 2>}} : ({t(a)}) -> tensor<1x8x{H}x{H}xf32>
  %fs = tosa.const_shape {{values = dense<[1, 1, {8 * H * H}]> : tensor<3xindex>}} : () -> !tosa.shape<3>
  %f = tosa.reshape %n, %fs : (tensor<1x8x{H}x{H}xf32>, !tosa.shape<3>) -> tensor<1x1x{8 * H * H}xf32>
  %y = tosa.matmul %f, %wf_v, %zp, %zp : (tensor<1x1x{8 * H * H}xf32>, {t(p["wf"])}, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x10xf32> loc("fc")
  return %y : tensor<1x1x10xf32>
}}"""


def concat_net(p):
    """Two convs of the input concatenated along channels (an Inception /
    DenseNet block) -> relu -> 1x1 conv; the NHWC flatten feeds a linear
    layer."""
    a = (1, 4, 4, 4)
    c = (1, 4, 4, 8)
    return f"""
func.func @concat_net(%x: tensor<1x4x4x3xf32>) -> tensor<1x1x5xf32> {{
  {ZP}
  {const("wa", p["wa"])}
  {const("ba", p["ba"])}
  {const("wb", p["wb"])}
  {const("bb", p["bb"])}
  {const("wc", p["wc"])}
  {const("bc", p["bc"])}
  {const("wf", p["wf"])}
  %a = tosa.conv2d %x, %wa_v, %ba_v, %zp, %zp {CONV % (1, 1, 1, 1)} : (tensor<1x4x4x3xf32>, {t(p["wa"])}, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> {t(a)} loc("conva")
  %b = tosa.conv2d %x, %wb_v, %bb_v, %zp, %zp {CONV % (0, 0, 0, 0)} : (tensor<1x4x4x3xf32>, {t(p["wb"])}, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> {t(a)} loc("convb")
  %cat = tosa.concat %a, %b {{axis = 3 : i32}} : ({t(a)}, {t(a)}) -> {t(c)}
  %r = tosa.clamp %cat {RELU} : ({t(c)}) -> {t(c)}
  %cc = tosa.conv2d %r, %wc_v, %bc_v, %zp, %zp {CONV % (0, 0, 0, 0)} : ({t(c)}, {t(p["wc"])}, tensor<6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x6xf32> loc("convc")
  %rc = tosa.clamp %cc {RELU} : (tensor<1x4x4x6xf32>) -> tensor<1x4x4x6xf32>
  %fs = tosa.const_shape {{values = dense<[1, 1, 96]> : tensor<3xindex>}} : () -> !tosa.shape<3>
  %f = tosa.reshape %rc, %fs : (tensor<1x4x4x6xf32>, !tosa.shape<3>) -> tensor<1x1x96xf32>
  %y = tosa.matmul %f, %wf_v, %zp, %zp : (tensor<1x1x96xf32>, {t(p["wf"])}, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x5xf32> loc("fc")
  return %y : tensor<1x1x5xf32>
}}"""


def concat_params(rng):
    n = rng.standard_normal
    return {"wa": n((4, 3, 3, 3)), "ba": n((4,)), "wb": n((4, 1, 1, 3)),
            "bb": n((4,)), "wc": n((6, 1, 1, 8)), "bc": n((6,)),
            "wf": n((1, 96, 5))}


def concat_zero(p, groups):
    for conv, w, b, n in (("conva", "wa", "ba", 4), ("convb", "wb", "bb", 4),
                          ("convc", "wc", "bc", 6)):
        drop = [c for c in range(n) if c not in groups[conv]]
        p[w][drop] = 0
        p[b][drop] = 0


def cnn_params(rng):
    n = rng.standard_normal
    return {"w1": n((8, 3, 3, 3)), "b1": n((8,)), "s1": n((1, 1, 1, 8)),
            "t1": n((1, 1, 1, 8)), "wd": n((3, 3, 8, 1)), "bd": n((8,)),
            "w2": n((8, 1, 1, 8)), "b2": n((8,)), "w3": n((8, 1, 1, 3)),
            "b3": n((8,)), "wf": n((1, 8 * 36, 10)) * 0.1}


def cnn_zero(p, groups):
    drop1 = [c for c in range(8) if c not in groups["conv1"]]
    p["w1"][drop1] = 0
    p["b1"][drop1] = 0
    p["t1"][..., drop1] = 0
    p["bd"][drop1] = 0
    drop2 = [c for c in range(8) if c not in groups["conv2"]]
    assert groups["conv2"] == groups["conv3"], "residual branches differ"
    for w in ("w2", "b2", "w3", "b3"):
        p[w][drop2] = 0


def onnx_cnn(tmp, p):
    """An ONNX CNN as exporters write it (NCHW): conv -> BatchNormalization
    -> relu -> maxpool -> conv -> relu -> flatten -> gemm; imported with
    green-import-onnx (weights become dense_resource blobs)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    inits = [numpy_helper.from_array(v, k) for k, v in p.items()]
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], "conv1",
                         pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["c1", "g", "beta", "mean",
                                                "var"], ["n1"], "bn1"),
        helper.make_node("Relu", ["n1"], ["r1"], "relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], "pool1",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "w2", "b2"], ["c2"], "conv2"),
        helper.make_node("Relu", ["c2"], ["r2"], "relu2"),
        helper.make_node("Flatten", ["r2"], ["f"], "flatten"),
        helper.make_node("Gemm", ["f", "wf", "bf"], ["y"], "fc", transB=1),
    ]
    graph = helper.make_graph(
        nodes, "cnn",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    model = helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", 13)])
    path = os.path.join(tmp, "model.onnx")
    onnx.save(model, path)
    return green.import_onnx(path)


def onnx_grouped(tmp, p):
    """conv -> relu -> grouped conv (2 groups, imported as channel slices,
    one conv each, and a concat) -> relu -> flatten -> gemm."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    inits = [numpy_helper.from_array(v, k) for k, v in p.items()]
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], "conv1",
                         pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], "relu1"),
        helper.make_node("Conv", ["r1", "w2", "b2"], ["c2"], "gconv",
                         group=2),
        helper.make_node("Relu", ["c2"], ["r2"], "relu2"),
        helper.make_node("Flatten", ["r2"], ["f"], "flatten"),
        helper.make_node("Gemm", ["f", "wf", "bf"], ["y"], "fc", transB=1),
    ]
    graph = helper.make_graph(
        nodes, "grouped",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 4, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    model = helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", 13)])
    path = os.path.join(tmp, "grouped.onnx")
    onnx.save(model, path)
    return green.import_onnx(path)


def onnx_residual(tmp, p):
    """conv1 -> relu -> conv2 -> relu -> conv3, conv3 + conv2 -> relu ->
    flatten -> gemm: conv3 reads and writes the same group of channels."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    inits = [numpy_helper.from_array(v, k) for k, v in p.items()]
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], "conv1",
                         pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], "relu1"),
        helper.make_node("Conv", ["r1", "w2", "b2"], ["c2"], "conv2",
                         pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c2"], ["r2"], "relu2"),
        helper.make_node("Conv", ["r2", "w3", "b3"], ["c3"], "conv3",
                         pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["c3", "c2"], ["s"], "res"),
        helper.make_node("Relu", ["s"], ["r3"], "relu3"),
        helper.make_node("Flatten", ["r3"], ["f"], "flatten"),
        helper.make_node("Gemm", ["f", "wf", "bf"], ["y"], "fc", transB=1),
    ]
    graph = helper.make_graph(
        nodes, "residual",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 4, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    model = helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", 13)])
    path = os.path.join(tmp, "residual.onnx")
    onnx.save(model, path)
    return green.import_onnx(path)


def residual_params(rng):
    n = rng.standard_normal
    return {"w1": n((6, 3, 3, 3)), "b1": n((6,)), "w2": n((8, 6, 3, 3)),
            "b2": n((8,)), "w3": n((8, 8, 3, 3)), "b3": n((8,)),
            "wf": n((4, 8 * 16)), "bf": n((4,))}


def residual_zero(p, groups):
    drop1 = [c for c in range(6) if c not in groups["conv1"]]
    p["w1"][drop1] = 0
    p["b1"][drop1] = 0
    drop2 = [c for c in range(8) if c not in groups["conv2"]]
    assert groups["conv2"] == groups["conv3"], "residual branches differ"
    for w in ("w2", "b2", "w3", "b3"):
        p[w][drop2] = 0


def grouped_params(rng):
    n = rng.standard_normal
    return {"w1": n((8, 3, 3, 3)), "b1": n((8,)), "w2": n((6, 4, 1, 1)),
            "b2": n((6,)), "wf": n((4, 6 * 16)), "bf": n((4,))}


def grouped_zero(p, groups):
    drop1 = [c for c in range(8) if c not in groups["conv1"]]
    p["w1"][drop1] = 0
    p["b1"][drop1] = 0
    # The grouped conv's halves are producers of their own groups.
    for name, lo in (("gconv", 0), ("gconv#1", 3)):
        kept = groups.get(name)
        if kept is None:
            continue
        drop = [lo + c for c in range(3) if c not in kept]
        p["w2"][drop] = 0
        p["b2"][drop] = 0


def onnx_params(rng):
    n = rng.standard_normal
    return {"w1": n((8, 3, 3, 3)), "b1": n((8,)), "g": n((8,)),
            "beta": n((8,)), "mean": n((8,)), "var": rng.random(8) + 0.5,
            "w2": n((6, 8, 1, 1)), "b2": n((6,)), "wf": n((4, 6 * 16)),
            "bf": n((4,))}


def onnx_zero(p, groups):
    # Producers are named by their ONNX nodes.
    drop1 = [c for c in range(8) if c not in groups["conv1"]]
    p["w1"][drop1] = 0
    p["b1"][drop1] = 0
    # Batch-norm of a zero channel: beta - mean * g / sqrt(var + eps); make
    # it zero.
    p["beta"][drop1] = 0
    p["mean"][drop1] = 0
    drop2 = [c for c in range(6) if c not in groups["conv2"]]
    p["w2"][drop2] = 0
    p["b2"][drop2] = 0


def _tt(shape):
    return "tensor<%sxf32>" % "x".join(str(d) for d in shape)


def _aconst(name, a):
    data = a.astype("<f4").tobytes().hex().upper()
    return (f'%{name} = "tosa.const"() <{{values = dense<"0x{data}"> : '
            f'{_tt(a.shape)}}}> : () -> {_tt(a.shape)}')


def shape(name, dims):
    """A tosa.const_shape."""
    return (f'%{name} = tosa.const_shape {{values = dense<[{", ".join(map(str, dims))}]> : '
            f'tensor<{len(dims)}xindex>}} : () -> !tosa.shape<{len(dims)}>')


def attention(p, S=3, D=8, H=4):
    """Multi-head attention as importers write it: Q, K, V projections,
    reshape to heads, transposes, batched matmuls, softmax, output
    projection (its result is returned, so only heads are pruned)."""
    dh = D // H
    L = [ '%zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>',
          '%sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>',
          _aconst("scale", np.full((1, 1, 1), 1 / np.sqrt(dh), np.float32)),
          shape("s4", [1, S, H, dh]), shape("s3", [H, S, dh]), shape("kshape", [H, dh, S]),
          shape("o3", [1, S, D]), shape("o4", [1, H, S, dh])]
    for n in ("q", "k", "v", "o"):
        L.append(_aconst("w" + n, p["w" + n]))
        L.append(_aconst("b" + n, p["b" + n]))
    for n in ("q", "k", "v"):
        perm = "0, 2, 3, 1" if n == "k" else "0, 2, 1, 3"
        tshape = [1, H, dh, S] if n == "k" else [1, H, S, dh]
        rshape = [H, dh, S] if n == "k" else [H, S, dh]
        L += [f'%{n}m = tosa.matmul %x, %w{n}, %zp, %zp : ({_tt([1, S, D])}, {_tt([1, D, D])}, tensor<1xf32>, tensor<1xf32>) -> {_tt([1, S, D])} loc("{n}_proj")',
              f'%{n}b = tosa.add %{n}m, %b{n} : ({_tt([1, S, D])}, {_tt([1, 1, D])}) -> {_tt([1, S, D])}',
              f'%{n}4 = tosa.reshape %{n}b, %s4 : ({_tt([1, S, D])}, !tosa.shape<4>) -> {_tt([1, S, H, dh])}',
              f'%{n}t = tosa.transpose %{n}4 {{perms = array<i32: {perm}>}} : ({_tt([1, S, H, dh])}) -> {_tt(tshape)}',
              f'%{n}3 = tosa.reshape %{n}t, %{"kshape" if n == "k" else "s3"} : ({_tt(tshape)}, !tosa.shape<3>) -> {_tt(rshape)}']
    hs = [H, S, S]
    L += [f'%s = tosa.matmul %q3, %k3, %zp, %zp : ({_tt([H, S, dh])}, {_tt([H, dh, S])}, tensor<1xf32>, tensor<1xf32>) -> {_tt(hs)}',
          f'%ss = tosa.mul %s, %scale, %sh : ({_tt(hs)}, {_tt([1, 1, 1])}, tensor<1xi8>) -> {_tt(hs)}',
          f'%mx = tosa.reduce_max %ss {{axis = 2 : i32}} : ({_tt(hs)}) -> {_tt([H, S, 1])}',
          f'%sd = tosa.sub %ss, %mx : ({_tt(hs)}, {_tt([H, S, 1])}) -> {_tt(hs)}',
          f'%ex = tosa.exp %sd : ({_tt(hs)}) -> {_tt(hs)}',
          f'%sm = tosa.reduce_sum %ex {{axis = 2 : i32}} : ({_tt(hs)}) -> {_tt([H, S, 1])}',
          f'%rc = tosa.reciprocal %sm : ({_tt([H, S, 1])}) -> {_tt([H, S, 1])}',
          f'%pr = tosa.mul %ex, %rc, %sh : ({_tt(hs)}, {_tt([H, S, 1])}, tensor<1xi8>) -> {_tt(hs)}',
          f'%av = tosa.matmul %pr, %v3, %zp, %zp : ({_tt(hs)}, {_tt([H, S, dh])}, tensor<1xf32>, tensor<1xf32>) -> {_tt([H, S, dh])}',
          f'%a4 = tosa.reshape %av, %o4 : ({_tt([H, S, dh])}, !tosa.shape<4>) -> {_tt([1, H, S, dh])}',
          f'%at = tosa.transpose %a4 {{perms = array<i32: 0, 2, 1, 3>}} : ({_tt([1, H, S, dh])}) -> {_tt([1, S, H, dh])}',
          f'%a3 = tosa.reshape %at, %o3 : ({_tt([1, S, H, dh])}, !tosa.shape<3>) -> {_tt([1, S, D])}',
          f'%om = tosa.matmul %a3, %wo, %zp, %zp : ({_tt([1, S, D])}, {_tt([1, D, D])}, tensor<1xf32>, tensor<1xf32>) -> {_tt([1, S, D])} loc("out_proj")',
          f'%ob = tosa.add %om, %bo : ({_tt([1, S, D])}, {_tt([1, 1, D])}) -> {_tt([1, S, D])}']
    body = "\n  ".join(L)
    return (f"func.func @attention(%x: {_tt([1, S, D])}) -> {_tt([1, S, D])} {{\n  {body}\n"
            f"  return %ob : {_tt([1, S, D])}\n}}\n")

def attention_params(rng):
    n = rng.standard_normal
    return {k: n(s) * 0.5 for k, s in (
        ("wq", (1, 8, 8)), ("bq", (1, 1, 8)), ("wk", (1, 8, 8)),
        ("bk", (1, 1, 8)), ("wv", (1, 8, 8)), ("bv", (1, 1, 8)),
        ("wo", (1, 8, 8)), ("bo", (1, 1, 8)))}


def attention_zero(p, groups):
    """Zero the removed heads' Q, K and V columns and biases."""
    kept = groups["q_proj"]
    assert groups["k_proj"] == kept and groups["v_proj"] == kept
    for h in range(4):
        if h not in kept:
            for w in ("wq", "bq", "wk", "bk", "wv", "bv"):
                p[w][..., 2 * h:2 * h + 2] = 0


def prune(ir, options):
    with tempfile.TemporaryDirectory() as tmp:
        src, out, rep = (os.path.join(tmp, n)
                         for n in ("in.mlir", "out.mlir", "report.json"))
        with open(src, "w") as f:
            f.write(ir)
        subprocess.run([str(find_tool("green-opt")), src,
                        f"--green-prune={options} report={rep}",
                        "-o", out], check=True, capture_output=True)
        with open(out) as f, open(rep) as r:
            return f.read(), json.load(r)


def run_case(name, build, make_params, zero, inputs, options):
    rng = np.random.default_rng(0)
    params = {k: v.astype(np.float32) for k, v in make_params(rng).items()}
    tmp = tempfile.mkdtemp(prefix="green-prune-test-")
    build_ir = ((lambda q: build(tmp, q))
                if build in (onnx_cnn, onnx_grouped, onnx_residual)
                else build)
    ir = build_ir(params)
    pruned_ir, report = prune(ir, options)
    groups = {}
    for g in report["groups"]:
        for p in g["producers"]:
            # Several producers of one name (a grouped conv's halves): name,
            # name#1, ... in program order.
            key, i = p, 0
            while key in groups:
                i += 1
                key = f"{p}#{i}"
            groups[key] = g.get("kept", list(range(g["channels"])))
    zeroed = {k: v.copy() for k, v in params.items()}
    zero(zeroed, groups)
    x = rng.standard_normal(inputs).astype(np.float32)
    want = green.compile(build_ir(zeroed), target="host")(x)
    got = green.compile(pruned_ir, target="host")(x)
    shutil.rmtree(tmp, ignore_errors=True)
    ok = np.allclose(got, want, rtol=RTOL, atol=1e-5)
    # The comparison can fail: the unzeroed original differs.
    full = green.compile(ir, target="host")(x)
    if np.allclose(got, full, rtol=RTOL, atol=1e-5):
        print(f"{name}: pruning changed nothing observable")
        ok = False
    removed = report["params_before"] - report["params_after"]
    print(f"{name}: {'ok' if ok else 'MISMATCH'} ({options}; "
          f"params {report['params_before']} -> {report['params_after']}, "
          f"MACs {report['macs_before']} -> {report['macs_after']}, "
          f"energy {report['energy_before_j']:.3e} -> "
          f"{report['energy_after_j']:.3e} J)")
    if "energy-target" in options:
        goal = float(options.split("energy-target=")[1].split()[0])
        if report["energy_after_j"] > goal * report["energy_before_j"]:
            print(f"{name}: energy target {goal} missed")
            ok = False
    if not ok:
        print("max abs diff", np.max(np.abs(got - want)))
    return ok and removed > 0


def nm_mask(w, axis, n=2, m=4):
    """w with all but the n largest |w| of every block of m along `axis`
    zeroed (ties to the lower index)."""
    moved = np.moveaxis(w, axis, -1)
    blocks = moved.reshape(moved.shape[:-1] + (moved.shape[-1] // m, m))
    order = np.argsort(-np.abs(blocks), axis=-1, kind="stable")
    keep = np.zeros(blocks.shape, bool)
    np.put_along_axis(keep, order[..., :n], True, axis=-1)
    out = np.where(keep, blocks, 0).reshape(moved.shape)
    return np.moveaxis(out, -1, axis)


def magnitude_mask(w, ratio):
    """w with the floor(ratio * size) smallest |w| zeroed (stable order)."""
    flat = w.ravel().copy()
    order = np.argsort(np.abs(flat), kind="stable")
    flat[order[:int(np.floor(ratio * flat.size + 1e-9))]] = 0
    return flat.reshape(w.shape)


def run_sparsity_case(name, build, make_params, weights, inputs, options):
    """mode=n-m / mode=unstructured: the pruned model equals the original
    with numpy's masks applied to the weights. `weights` maps a parameter
    to its N:M axis (None: the pass must leave it dense)."""
    rng = np.random.default_rng(0)
    params = {k: v.astype(np.float32) for k, v in make_params(rng).items()}
    pruned_ir, report = prune(build(params), options)
    masked = {k: v.copy() for k, v in params.items()}
    ratio = float(options.split("ratio=")[1].split()[0]) \
        if "ratio=" in options else None
    for w, axis in weights.items():
        if "mode=n-m" in options:
            if axis is not None:
                masked[w] = nm_mask(params[w], axis)
        else:
            masked[w] = magnitude_mask(params[w], ratio)
    x = rng.standard_normal(inputs).astype(np.float32)
    want = green.compile(build(masked), target="host")(x)
    got = green.compile(pruned_ir, target="host")(x)
    full = green.compile(build(params), target="host")(x)
    ok = np.allclose(got, want, rtol=RTOL, atol=1e-5)
    changed = not np.allclose(got, full, rtol=RTOL, atol=1e-5)
    sparse = [l for l in report["layers"] if "nonzeros_after" in l and
              l["nonzeros_after"] < l["nonzeros_before"]]
    print(f"{name}: {'ok' if ok and changed else 'MISMATCH'} ({options}; "
          f"{len(sparse)} layers thinned: " + ", ".join(
              f"{l['name']} {l['nonzeros_before']}->{l['nonzeros_after']}"
              for l in sparse) + ")")
    if not changed:
        print(f"{name}: sparsity changed nothing observable")
    return ok and changed and len(sparse) > 0


def taylor_case():
    """gradients=<dir>: the channels kept are the numpy |w * g| ranking, and
    the invariant holds."""
    rng = np.random.default_rng(3)
    grads = {"conv1": rng.random((8, 3, 3, 3)) ** 4,
             "conv2": rng.random((8, 1, 1, 8)),
             "conv3": rng.random((8, 1, 1, 3))}
    tmp = tempfile.mkdtemp(prefix="green-prune-grads-")
    for layer, g in grads.items():
        np.save(os.path.join(tmp, layer + ".npy"), g.astype(np.float32))
    ok = run_case("cnn-taylor", cnn, cnn_params, cnn_zero, (1, 6, 6, 3),
                  f"ratio=0.5 gradients={tmp}")
    params = {k: v.astype(np.float32) for k, v in
              cnn_params(np.random.default_rng(0)).items()}
    _, report = prune(cnn(params), f"ratio=0.5 gradients={tmp}")
    shutil.rmtree(tmp, ignore_errors=True)
    w1, g1 = params["w1"], grads["conv1"].astype(np.float32)
    scores = np.abs(w1 * g1).reshape(8, -1).sum(1)
    want = sorted(np.argsort(-scores, kind="stable")[:4].tolist())
    kept = [g["kept"] for g in report["groups"]
            if g["producers"] == ["conv1"]][0]
    l1 = sorted(np.argsort(-(np.abs(w1).reshape(8, -1).sum(1) +
                             np.abs(params["b1"])), kind="stable")[:4]
                .tolist())
    same = kept == want
    print(f"cnn-taylor ranking: {'ok' if same else 'MISMATCH'} (kept "
          f"{kept}, numpy |w*g| {want}, L1 would keep {l1})")
    return ok and same


def torch_mha_case():
    """torch.nn.MultiheadAttention (fused QKV projection, sliced into Q, K,
    V) -> relu -> linear, exported with torch.onnx.export and imported:
    the pruned model equals torch's with the removed heads' Q, K and V
    rows (and the out-projection's removed channels) zeroed."""
    import torch
    torch.manual_seed(0)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.att = torch.nn.MultiheadAttention(8, 4, batch_first=True)
            self.fc = torch.nn.Linear(8, 6)

        def forward(self, x):
            y, _ = self.att(x, x, x, need_weights=False)
            return self.fc(torch.relu(y))

    net = Net().eval()
    tmp = tempfile.mkdtemp(prefix="green-prune-mha-")
    path = os.path.join(tmp, "mha.onnx")
    x = torch.randn(1, 3, 8)
    torch.onnx.export(net, x, path, input_names=["x"], output_names=["y"],
                      opset_version=14)
    pruned_ir, report = prune(green.import_onnx(path), "ratio=0.5")
    shutil.rmtree(tmp, ignore_errors=True)
    heads = [g for g in report["groups"] if g.get("features_per_channel")]
    out = [g for g in report["groups"] if g["producers"] == ["/att/Gemm"]]
    ok = len(heads) == 1 and len(heads[0].get("kept", [])) == 2
    with torch.no_grad():
        full = net(x).numpy()
        w, b = net.att.in_proj_weight, net.att.in_proj_bias
        for h in range(4):
            if h not in heads[0]["kept"]:
                for part in range(3):  # Q, K, V rows of head h
                    w[part * 8 + 2 * h:part * 8 + 2 * h + 2] = 0
                    b[part * 8 + 2 * h:part * 8 + 2 * h + 2] = 0
        if out and "kept" in out[0]:
            drop = [c for c in range(8) if c not in out[0]["kept"]]
            net.att.out_proj.weight[drop] = 0
            net.att.out_proj.bias[drop] = 0
        want = net(x).numpy()
    got = green.compile(pruned_ir, target="host")(x.numpy())
    same = np.allclose(got, want, rtol=1e-4, atol=1e-5)
    changed = not np.allclose(got, full, rtol=1e-4, atol=1e-5)
    print(f"torch-mha: {'ok' if ok and same and changed else 'MISMATCH'} "
          f"(heads kept {heads[0].get('kept') if heads else None}; max abs "
          f"diff to zeroed torch {np.max(np.abs(got - want)):.1e})")
    return ok and same and changed


def main():
    ok = True
    ok &= run_case("attention-heads", attention, attention_params,
                   attention_zero, (1, 3, 8), "ratio=0.5")
    ok &= run_case("cnn-layer-ratios", cnn, cnn_params, cnn_zero,
                   (1, 6, 6, 3), "layer-ratios=conv1:0.25,conv2:0.5")
    ok &= taylor_case()
    ok &= run_sparsity_case("mlp-2:4", mlp, mlp_params,
                            {"w1": 1, "w2": None}, (1, 4, 8), "mode=n-m")
    ok &= run_sparsity_case("cnn-2:4", cnn, cnn_params,
                            {"w1": None, "w2": 3, "w3": None, "wd": None,
                             "wf": 1}, (1, 6, 6, 3), "mode=n-m")
    ok &= run_sparsity_case("cnn-unstructured", cnn, cnn_params,
                            {"w1": 0, "w2": 0, "w3": 0, "wd": 0, "wf": 0},
                            (1, 6, 6, 3), "mode=unstructured ratio=0.5")
    for ratio in ("0.5", "0.25"):
        ok &= run_case("mlp", mlp, mlp_params, mlp_zero, (1, 4, 8),
                       f"ratio={ratio}")
        ok &= run_case("cnn", cnn, cnn_params, cnn_zero, (1, 6, 6, 3),
                       f"ratio={ratio}")
    ok &= run_case("cnn-l2", cnn, cnn_params, cnn_zero, (1, 6, 6, 3),
                   "ratio=0.5 importance=l2")
    ok &= run_case("concat", concat_net, concat_params, concat_zero,
                   (1, 4, 4, 3), "ratio=0.5")
    ok &= run_case("cnn-energy", cnn, cnn_params, cnn_zero, (1, 6, 6, 3),
                   "energy-target=0.8")
    # green.compile(prune=) runs the pass before lowering.
    rng = np.random.default_rng(1)
    params = {k: v.astype(np.float32) for k, v in mlp_params(rng).items()}
    pruned, _ = prune(mlp(params), "ratio=0.5")
    x = rng.standard_normal((1, 4, 8)).astype(np.float32)
    direct = green.compile(pruned, target="host")(x)
    via = green.compile(mlp(params), target="host", prune=0.5)(x)
    same = np.allclose(direct, via, rtol=RTOL)
    print(f"compile(prune=0.5): {'ok' if same else 'MISMATCH'}")
    ok &= same
    # ... and passes a string through as the pass's options.
    pruned, _ = prune(mlp(params), "layer-ratios=fc1:0.5")
    direct = green.compile(pruned, target="host")(x)
    via = green.compile(mlp(params), target="host",
                        prune="layer-ratios=fc1:0.5")(x)
    same = np.allclose(direct, via, rtol=RTOL)
    print(f"compile(prune='layer-ratios=fc1:0.5'): "
          f"{'ok' if same else 'MISMATCH'}")
    ok &= same
    try:
        green.compile(mlp(params), target="host", prune="layer-ratios=fc9:0.5")
        print("compile(prune='layer-ratios=fc9:0.5'): no error")
        ok = False
    except green.GreenToolError as e:
        print("compile(prune='layer-ratios=fc9:0.5'): error, as it should "
              f"({'no prunable layer named' in str(e)})")
        ok &= "no prunable layer named 'fc9'" in str(e)
    try:
        import onnx  # noqa: F401
    except ImportError:
        print("onnx: skipped (no onnx module)")
    else:
        ok &= run_case("onnx-cnn", onnx_cnn, onnx_params, onnx_zero,
                       (1, 3, 8, 8), "ratio=0.5")
        ok &= run_case("onnx-residual", onnx_residual, residual_params,
                       residual_zero, (1, 3, 4, 4), "ratio=0.5")
        ok &= run_case("onnx-grouped", onnx_grouped, grouped_params,
                       grouped_zero, (1, 3, 4, 4), "ratio=0.5")
        try:
            import torch  # noqa: F401
        except ImportError:
            print("torch-mha: skipped (no torch module)")
        else:
            ok &= torch_mha_case()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

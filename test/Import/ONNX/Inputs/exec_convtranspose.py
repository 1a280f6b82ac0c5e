# ===- exec_convtranspose.py - ConvTranspose models, run and compared -----=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Usage: exec_convtranspose.py OUTDIR [NAME...]. Every model is imported,
# compiled and run (onnx_exec.py) and compared with a direct numpy
# implementation of ONNX's definition (scatter of every input pixel times the
# kernel), itself checked against torch.conv_transpose2d where torch has the
# same parameters.
# ===-----------------------------------------------------------------------=== #
import sys
import zlib

import numpy as np
import torch
from onnx import TensorProto, helper, numpy_helper

from onnx_exec import main

F = TensorProto.FLOAT


def conv_transpose_ref(x, w, b, strides, pads, dilations, group,
                       output_padding, output_shape=None, auto_pad="NOTSET"):
    n, c, h, wd = x.shape
    cin, cog, kh, kw = w.shape
    s, d, op = strides, dilations, output_padding
    ek = [(kh - 1) * d[0] + 1, (kw - 1) * d[1] + 1]
    full = [s[i] * ((h, wd)[i] - 1) + op[i] + ek[i] for i in range(2)]
    pads = list(pads)
    if output_shape is not None or auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        want = output_shape or [(h, wd)[i] * s[i] for i in range(2)]
        for i in range(2):
            total = full[i] - want[i]
            if auto_pad == "SAME_UPPER":
                pads[i], pads[i + 2] = total // 2, total - total // 2
            else:
                pads[i], pads[i + 2] = total - total // 2, total // 2
    out = [full[i] - pads[i] - pads[i + 2] for i in range(2)]
    big = np.zeros((n, cog * group, full[0], full[1]), np.float64)
    cig = c // group
    for g in range(group):
        for ic in range(cig):
            for y in range(h):
                for xx in range(wd):
                    v = x[:, g * cig + ic, y, xx].astype(np.float64)
                    for ky in range(kh):
                        for kx in range(kw):
                            big[:, g * cog:(g + 1) * cog,
                                y * s[0] + ky * d[0],
                                xx * s[1] + kx * d[1]] += (
                                v[:, None] * w[g * cig + ic, :, ky, kx])
    y = np.zeros((n, cog * group, out[0], out[1]), np.float64)
    # Rows outside the scattered range (negative pads) stay zero + bias.
    for i in range(out[0]):
        for j in range(out[1]):
            fi, fj = i + pads[0], j + pads[1]
            if 0 <= fi < full[0] and 0 <= fj < full[1]:
                y[:, :, i, j] = big[:, :, fi, fj]
    if b is not None:
        y += b[None, :, None, None]
    return y.astype(np.float32)


def make(name, xshape, wshape, bias=True, **attrs):
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    x = rng.standard_normal(xshape).astype(np.float32)
    w = rng.standard_normal(wshape).astype(np.float32)
    b = rng.standard_normal(wshape[1] * attrs.get("group", 1)).astype(
        np.float32) if bias else None
    inits = [numpy_helper.from_array(w, "w")]
    ins = ["x", "w"]
    if bias:
        inits.append(numpy_helper.from_array(b, "b"))
        ins.append("b")
    node = helper.make_node("ConvTranspose", ins, ["y"], name=name, **attrs)
    graph = helper.make_graph(
        [node], name, [helper.make_tensor_value_info("x", F, xshape)],
        [helper.make_tensor_value_info("y", F, None)], inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    ref = conv_transpose_ref(
        x, w, b, attrs.get("strides", [1, 1]), attrs.get("pads", [0] * 4),
        attrs.get("dilations", [1, 1]), attrs.get("group", 1),
        attrs.get("output_padding", [0, 0]), attrs.get("output_shape"),
        attrs.get("auto_pad", "NOTSET"))
    # The reference against torch, where torch has the same parameters.
    p = attrs.get("pads", [0] * 4)
    if ("output_shape" not in attrs and "auto_pad" not in attrs
            and p[0] == p[2] and p[1] == p[3]):
        t = torch.nn.functional.conv_transpose2d(
            torch.from_numpy(x), torch.from_numpy(w),
            None if b is None else torch.from_numpy(b),
            stride=attrs.get("strides", [1, 1]), padding=p[:2],
            output_padding=attrs.get("output_padding", [0, 0]),
            groups=attrs.get("group", 1),
            dilation=attrs.get("dilations", [1, 1])).numpy()
        assert np.allclose(t, ref, rtol=1e-4, atol=1e-4), name
    return model, [x], [ref]


MODELS = [
    ("ct_basic", lambda: make("ct_basic", [1, 3, 5, 5], [3, 4, 3, 3])),
    ("ct_stride2_pads", lambda: make("ct_stride2_pads", [2, 4, 4, 5],
                                     [4, 3, 3, 3], strides=[2, 2],
                                     pads=[1, 1, 1, 1])),
    ("ct_output_padding", lambda: make("ct_output_padding", [1, 2, 4, 4],
                                       [2, 3, 3, 3], strides=[2, 3],
                                       pads=[1, 0, 1, 0],
                                       output_padding=[1, 2])),
    ("ct_asym_pads", lambda: make("ct_asym_pads", [1, 2, 5, 4],
                                  [2, 2, 4, 3], bias=False, strides=[2, 2],
                                  pads=[2, 0, 1, 3])),
    ("ct_groups", lambda: make("ct_groups", [1, 4, 5, 5], [4, 3, 3, 3],
                               group=2, strides=[2, 2], pads=[1, 1, 1, 1])),
    ("ct_depthwise", lambda: make("ct_depthwise", [1, 3, 4, 4], [3, 1, 2, 2],
                                  group=3, strides=[2, 2])),
    ("ct_dilation", lambda: make("ct_dilation", [1, 2, 5, 5], [2, 3, 3, 3],
                                 dilations=[2, 2], strides=[2, 1],
                                 pads=[1, 2, 1, 2])),
    ("ct_output_shape", lambda: make("ct_output_shape", [1, 2, 4, 4],
                                     [2, 2, 3, 3], strides=[2, 2],
                                     output_shape=[9, 8])),
    ("ct_same_upper", lambda: make("ct_same_upper", [1, 2, 3, 5],
                                   [2, 2, 3, 3], strides=[2, 2],
                                   auto_pad="SAME_UPPER")),
    ("ct_big_pads", lambda: make("ct_big_pads", [1, 2, 6, 6], [2, 2, 2, 2],
                                 strides=[1, 1], pads=[2, 1, 3, 2])),
]

if __name__ == "__main__":
    sys.exit(main(MODELS, sys.argv[1]))

# ===- exec_quant.py - quantized ONNX ops, run and compared exactly -------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Usage: exec_quant.py OUTDIR [NAME...]. QuantizeLinear, DequantizeLinear,
# MatMulInteger, QLinearMatMul, ConvInteger and QLinearConv with int8 and
# uint8 operands, scalar and per-channel zero points, compared bit-exactly
# with numpy: integer products accumulated in int64, requantization as ONNX
# defines it (divide or multiply by the scale in float32, round half to
# even, add the zero point, saturate). uint8 graph inputs and outputs are
# passed as int8 bit patterns (numpy .view(np.int8)), as green-import-onnx
# documents.
# ===-----------------------------------------------------------------------=== #
import sys
import zlib

import numpy as np
from onnx import TensorProto, helper, numpy_helper

from onnx_exec import main

F = TensorProto.FLOAT
I8 = TensorProto.INT8
U8 = TensorProto.UINT8
I32 = TensorProto.INT32
NP = {I8: np.int8, U8: np.uint8}


def rng_for(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def graph_model(name, nodes, inputs, outputs, inits, opset=13):
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 8 if opset >= 13 else 6
    return m


def saturate(v, dtype):
    info = np.iinfo(dtype)
    return np.clip(v, info.min, info.max).astype(dtype)


def quantize_ref(x, scale, zp, dtype, axis=None):
    x = x.astype(np.float32)
    scale = np.float32(scale) if axis is None else scale.astype(np.float32)
    if axis is not None:
        shape = [1] * x.ndim
        shape[axis] = -1
        scale = scale.reshape(shape)
        zp = zp.reshape(shape)
    q = np.rint((x / scale).astype(np.float32)).astype(np.int64)
    return saturate(q + np.asarray(zp).astype(np.int64), dtype)


def requant_ref(acc, mult, zp, dtype):
    f = acc.astype(np.float32) * np.asarray(mult, np.float32)
    return saturate(np.rint(f.astype(np.float32)).astype(np.int64) + int(zp),
                    dtype)


def conv_int_ref(x, w, zx, zw, pads, strides, dilations, group):
    # (x - zx) conv (w - zw), zero padding of the difference.
    xs = x.astype(np.int64) - np.int64(zx)
    zw = np.asarray(zw).astype(np.int64)
    ws = w.astype(np.int64) - (zw.reshape(-1, 1, 1, 1) if zw.size > 1 else zw)
    n, c, h, wd = xs.shape
    f, cg, kh, kw = ws.shape
    xs = np.pad(xs, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    eh, ew = (kh - 1) * dilations[0] + 1, (kw - 1) * dilations[1] + 1
    oh = (xs.shape[2] - eh) // strides[0] + 1
    ow = (xs.shape[3] - ew) // strides[1] + 1
    fg = f // group
    y = np.zeros((n, f, oh, ow), np.int64)
    for g in range(group):
        for i in range(oh):
            for j in range(ow):
                patch = xs[:, g * cg:(g + 1) * cg,
                           i * strides[0]:i * strides[0] + eh:dilations[0],
                           j * strides[1]:j * strides[1] + ew:dilations[1]]
                y[:, g * fg:(g + 1) * fg, i, j] = np.einsum(
                    "nchw,fchw->nf", patch, ws[g * fg:(g + 1) * fg])
    return y


def as_i8(a):
    return a.view(np.int8) if a.dtype == np.uint8 else a


# --- Quantize / Dequantize ----------------------------------------------------
def quant_dequant(dtype, per_axis):
    def build():
        name = f"qdq_{'u8' if dtype == U8 else 'i8'}" + (
            "_per_axis" if per_axis else "")
        rng = rng_for(name)
        x = (rng.standard_normal((2, 3, 4, 5)) * 4).astype(np.float32)
        # Exact ties to check rounding half to even: 0.5 / 1.5 / -2.5 steps.
        x.flat[:6] = np.array([0.25, 0.75, -1.25, 2.5, 1000., -1000.]) * (
            0.5 if not per_axis else 1)
        if per_axis:
            scale = np.array([0.5, 0.25, 0.125], np.float32)
            zp = (np.array([3, 130, 255]) if dtype == U8 else
                  np.array([3, -7, 0])).astype(NP[dtype])
        else:
            scale = np.float32(0.25)
            zp = NP[dtype](128 if dtype == U8 else -3)
        inits = [numpy_helper.from_array(np.asarray(scale), "s"),
                 numpy_helper.from_array(np.asarray(zp), "z")]
        nodes = [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"],
                                  name="quant", axis=1),
                 helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"],
                                  name="dequant", axis=1)]
        m = graph_model(name, nodes,
                        [helper.make_tensor_value_info("x", F, x.shape)],
                        [helper.make_tensor_value_info("q", dtype, None),
                         helper.make_tensor_value_info("y", F, None)], inits)
        q = quantize_ref(x, scale, zp, NP[dtype], 1 if per_axis else None)
        zpb = zp.reshape(1, -1, 1, 1) if per_axis else zp
        sb = scale.reshape(1, -1, 1, 1) if per_axis else scale
        y = ((q.astype(np.int64) - zpb.astype(np.int64)).astype(np.float32)
             * sb).astype(np.float32)
        return m, [x], [as_i8(q), y], True
    return build


def quantize_default_zp():
    # No zero point: uint8 output, zero point 0.
    x = np.linspace(-3, 70, 24, dtype=np.float32).reshape(4, 6)
    nodes = [helper.make_node("QuantizeLinear", ["x", "s"], ["q"], name="q")]
    m = graph_model("quantize_default_zp", nodes,
                    [helper.make_tensor_value_info("x", F, x.shape)],
                    [helper.make_tensor_value_info("q", U8, None)],
                    [numpy_helper.from_array(np.float32(0.2), "s")])
    return m, [x], [as_i8(quantize_ref(x, 0.2, 0, np.uint8))], True


# --- MatMulInteger / QLinearMatMul --------------------------------------------
def matmul_integer(adt, bdt, za, zb, ashape=(5, 7), const_b=True):
    def build():
        name = (f"matmulinteger_{'u8' if adt == U8 else 'i8'}"
                f"{'u8' if bdt == U8 else 'i8'}_{'c' if const_b else 'v'}"
                f"{len(ashape)}d")
        rng = rng_for(name)
        k, n = ashape[-1], 4
        a = rng.integers(np.iinfo(NP[adt]).min, np.iinfo(NP[adt]).max + 1,
                         ashape).astype(NP[adt])
        b = rng.integers(np.iinfo(NP[bdt]).min, np.iinfo(NP[bdt]).max + 1,
                         (k, n)).astype(NP[bdt])
        za_a = np.asarray(za, NP[adt])
        zb_a = np.asarray(zb, NP[bdt])
        inits = [numpy_helper.from_array(za_a, "za"),
                 numpy_helper.from_array(zb_a, "zb")]
        ins = [helper.make_tensor_value_info("a", adt, a.shape)]
        feeds = [as_i8(a)]
        if const_b:
            inits.append(numpy_helper.from_array(b, "b"))
        else:
            ins.append(helper.make_tensor_value_info("b", bdt, b.shape))
            feeds.append(as_i8(b))
        nodes = [helper.make_node("MatMulInteger", ["a", "b", "za", "zb"],
                                  ["y"], name="mmi")]
        m = graph_model(name, nodes, ins,
                        [helper.make_tensor_value_info("y", I32, None)],
                        inits)
        za64 = za_a.astype(np.int64)
        if za64.ndim == 1:
            za64 = za64[:, None]
        ref = (a.astype(np.int64) - za64) @ (b.astype(np.int64) -
                                             zb_a.astype(np.int64))
        return m, feeds, [ref.astype(np.int32)], True
    return build


def qlinear_matmul(dt, per_col):
    def build():
        name = f"qlinearmatmul_{'u8' if dt == U8 else 'i8'}" + (
            "_per_column" if per_col else "")
        rng = rng_for(name)
        lo, hi = np.iinfo(NP[dt]).min, np.iinfo(NP[dt]).max + 1
        a = rng.integers(lo, hi, (2, 3, 16)).astype(NP[dt])
        b = rng.integers(lo, hi, (16, 6)).astype(NP[dt])
        a_s, y_s = np.float32(0.02), np.float32(0.35)
        b_s = (np.linspace(0.01, 0.03, 6).astype(np.float32) if per_col
               else np.float32(0.015))
        a_z = NP[dt](130 if dt == U8 else 5)
        b_z = (np.arange(6).astype(NP[dt]) + (125 if dt == U8 else -3)
               if per_col else NP[dt](120 if dt == U8 else 0))
        y_z = NP[dt](128 if dt == U8 else -4)
        inits = [numpy_helper.from_array(np.asarray(v), n) for v, n in [
            (a_s, "as"), (a_z, "az"), (b, "b"), (b_s, "bs"), (b_z, "bz"),
            (y_s, "ys"), (y_z, "yz")]]
        nodes = [helper.make_node(
            "QLinearMatMul", ["a", "as", "az", "b", "bs", "bz", "ys", "yz"],
            ["y"], name="qlmm")]
        m = graph_model(name, nodes,
                        [helper.make_tensor_value_info("a", dt, a.shape)],
                        [helper.make_tensor_value_info("y", dt, None)], inits)
        acc = (a.astype(np.int64) - int(a_z)) @ (
            b.astype(np.int64) - np.asarray(b_z).astype(np.int64))
        mult = (np.float32(a_s * np.asarray(b_s, np.float32)) / y_s).astype(
            np.float32)
        return m, [as_i8(a)], [as_i8(requant_ref(acc, mult, y_z, NP[dt]))], \
            True
    return build


# --- ConvInteger / QLinearConv --------------------------------------------------
def conv_integer(xdt, wdt, zx, zw, group=1, **attrs):
    def build():
        name = (f"convinteger_{'u8' if xdt == U8 else 'i8'}"
                f"{'u8' if wdt == U8 else 'i8'}_g{group}"
                f"{'_zw' if np.any(np.asarray(zw)) else ''}")
        rng = rng_for(name)
        x = rng.integers(np.iinfo(NP[xdt]).min, np.iinfo(NP[xdt]).max + 1,
                         (1, 4, 6, 7)).astype(NP[xdt])
        w = rng.integers(np.iinfo(NP[wdt]).min, np.iinfo(NP[wdt]).max + 1,
                         (6, 4 // group, 3, 3)).astype(NP[wdt])
        inits = [numpy_helper.from_array(w, "w"),
                 numpy_helper.from_array(np.asarray(zx, NP[xdt]), "zx"),
                 numpy_helper.from_array(np.asarray(zw, NP[wdt]), "zw")]
        nodes = [helper.make_node("ConvInteger", ["x", "w", "zx", "zw"],
                                  ["y"], name="convint", group=group,
                                  **attrs)]
        m = graph_model(name, nodes,
                        [helper.make_tensor_value_info("x", xdt, x.shape)],
                        [helper.make_tensor_value_info("y", I32, None)],
                        inits)
        ref = conv_int_ref(x, w, zx, zw, attrs.get("pads", [0] * 4),
                           attrs.get("strides", [1, 1]),
                           attrs.get("dilations", [1, 1]), group)
        return m, [as_i8(x)], [ref.astype(np.int32)], True
    return build


def qlinear_conv(dt, per_channel, group=1):
    def build():
        name = (f"qlinearconv_{'u8' if dt == U8 else 'i8'}_g{group}"
                f"{'_per_channel' if per_channel else ''}")
        rng = rng_for(name)
        lo, hi = np.iinfo(NP[dt]).min, np.iinfo(NP[dt]).max + 1
        x = rng.integers(lo, hi, (2, 4, 5, 6)).astype(NP[dt])
        # Weights int8 (the common case), symmetric per channel or with a
        # zero point.
        w = rng.integers(-128, 128, (8, 4 // group, 3, 3)).astype(np.int8)
        bias = rng.integers(-2000, 2000, 8).astype(np.int32)
        x_s, y_s = np.float32(0.05), np.float32(0.9)
        w_s = (np.linspace(0.002, 0.01, 8).astype(np.float32) if per_channel
               else np.float32(0.004))
        x_z = NP[dt](127 if dt == U8 else -2)
        w_z = np.zeros(8, np.int8) if per_channel else np.int8(3)
        y_z = NP[dt](120 if dt == U8 else 1)
        inits = [numpy_helper.from_array(np.asarray(v), n) for v, n in [
            (x_s, "xs"), (x_z, "xz"), (w, "w"), (w_s, "ws"), (w_z, "wz"),
            (y_s, "ys"), (y_z, "yz"), (bias, "bias")]]
        nodes = [helper.make_node(
            "QLinearConv",
            ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz", "bias"], ["y"],
            name="qlconv", group=group, pads=[1, 1, 1, 1], strides=[2, 1])]
        m = graph_model(name, nodes,
                        [helper.make_tensor_value_info("x", dt, x.shape)],
                        [helper.make_tensor_value_info("y", dt, None)], inits)
        acc = conv_int_ref(x, w, x_z, w_z, [1, 1, 1, 1], [2, 1], [1, 1],
                           group) + bias.reshape(1, -1, 1, 1)
        mult = (np.float32(x_s * np.asarray(w_s, np.float32)) / y_s).astype(
            np.float32)
        mult = np.asarray(mult).reshape(1, -1, 1, 1) if per_channel else mult
        return m, [as_i8(x)], [as_i8(requant_ref(acc, mult, y_z, NP[dt]))], \
            True
    return build


def qdq_conv_model():
    # A QDQ graph as converters write it: Q -> DQ -> Conv(DQ weights) -> Q
    # -> MaxPool on uint8 -> DQ; weights are dequantized at import.
    name = "qdq_conv_maxpool"
    rng = rng_for(name)
    x = rng.standard_normal((1, 3, 6, 6)).astype(np.float32)
    wq = rng.integers(-100, 100, (4, 3, 3, 3)).astype(np.int8)
    inits = [numpy_helper.from_array(np.asarray(v), n) for v, n in [
        (np.float32(0.05), "xs"), (np.uint8(128), "xz"), (wq, "wq"),
        (np.float32(0.01), "ws"), (np.int8(0), "wz"),
        (np.float32(0.1), "ys"), (np.uint8(100), "yz")]]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"], name="qx"),
        helper.make_node("DequantizeLinear", ["xq", "xs", "xz"], ["xd"],
                         name="dqx"),
        helper.make_node("DequantizeLinear", ["wq", "ws", "wz"], ["wd"],
                         name="dqw"),
        helper.make_node("Conv", ["xd", "wd"], ["c"], name="conv",
                         pads=[1, 1, 1, 1]),
        helper.make_node("QuantizeLinear", ["c", "ys", "yz"], ["cq"],
                         name="qc"),
        helper.make_node("MaxPool", ["cq"], ["p"], name="pool",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("DequantizeLinear", ["p", "ys", "yz"], ["y"],
                         name="dqy")]
    m = graph_model(name, nodes,
                    [helper.make_tensor_value_info("x", F, x.shape)],
                    [helper.make_tensor_value_info("y", F, None)], inits)
    xq = quantize_ref(x, np.float32(0.05), np.uint8(128), np.uint8)
    xd = ((xq.astype(np.int64) - 128).astype(np.float32) * np.float32(0.05))
    wd = wq.astype(np.float32) * np.float32(0.01)
    import torch
    c = torch.nn.functional.conv2d(torch.from_numpy(xd), torch.from_numpy(wd),
                                   padding=1).numpy()
    cq = quantize_ref(c, np.float32(0.1), np.uint8(100), np.uint8)
    p = cq.reshape(1, 4, 3, 2, 3, 2).max(axis=(3, 5))
    y = (p.astype(np.int64) - 100).astype(np.float32) * np.float32(0.1)
    # The conv itself is fp32: compare with a tolerance of one quantization
    # step where the float conv lands on a rounding boundary.
    return m, [x], [y], False


def qdq_pad_u8():
    # Quantize to uint8, Pad (fill: a uint8 constant, opset 13 inputs),
    # MaxPool on uint8, Dequantize: the fill keeps its uint8 value.
    name = "qdq_pad_u8"
    rng = rng_for(name)
    x = rng.standard_normal((1, 2, 4, 4)).astype(np.float32)
    inits = [numpy_helper.from_array(np.asarray(v), n) for v, n in [
        (np.float32(0.05), "s"), (np.uint8(10), "z"),
        (np.array([0, 0, 1, 2, 0, 0, 1, 0], np.int64), "pads"),
        (np.uint8(200), "fill")]]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"], name="q"),
        helper.make_node("Pad", ["q", "pads", "fill"], ["p"], name="pad"),
        helper.make_node("MaxPool", ["p"], ["m"], name="pool",
                         kernel_shape=[2, 2]),
        helper.make_node("DequantizeLinear", ["m", "s", "z"], ["y"],
                         name="dq")]
    m = graph_model(name, nodes,
                    [helper.make_tensor_value_info("x", F, x.shape)],
                    [helper.make_tensor_value_info("m", U8, None),
                     helper.make_tensor_value_info("y", F, None)], inits)
    q = quantize_ref(x, np.float32(0.05), np.uint8(10), np.uint8)
    p = np.pad(q, ((0, 0), (0, 0), (1, 1), (2, 0)), constant_values=200)
    mx = np.lib.stride_tricks.sliding_window_view(p, (2, 2), axis=(2, 3)).max(
        axis=(4, 5))
    y = (mx.astype(np.int64) - 10).astype(np.float32) * np.float32(0.05)
    return m, [x], [as_i8(mx), y], True


MODELS = [
    ("qdq_i8", quant_dequant(I8, False)),
    ("qdq_u8", quant_dequant(U8, False)),
    ("qdq_i8_per_axis", quant_dequant(I8, True)),
    ("qdq_u8_per_axis", quant_dequant(U8, True)),
    ("quantize_default_zp", quantize_default_zp),
    ("matmulinteger_u8u8", matmul_integer(U8, U8, 131, 120)),
    ("matmulinteger_i8i8_per_row", matmul_integer(I8, I8, [1, -2, 3, 0, 5],
                                                  0)),
    ("matmulinteger_u8i8_var_b", matmul_integer(U8, I8, 7, [1, 2, -3, 4],
                                                const_b=False)),
    ("matmulinteger_i8u8_3d", matmul_integer(I8, U8, -5, 200,
                                             ashape=(2, 3, 6))),
    ("qlinearmatmul_u8", qlinear_matmul(U8, False)),
    ("qlinearmatmul_i8_per_column", qlinear_matmul(I8, True)),
    ("convinteger_u8u8", conv_integer(U8, U8, 129, 110,
                                      pads=[1, 1, 1, 1])),
    ("convinteger_i8i8_groups", conv_integer(I8, I8, -3, 0, group=2,
                                             strides=[2, 2],
                                             pads=[0, 1, 2, 1])),
    ("convinteger_u8i8_dilated", conv_integer(U8, I8, 100, 4,
                                              dilations=[2, 1],
                                              pads=[2, 0, 2, 0])),
    ("qlinearconv_u8", qlinear_conv(U8, False)),
    ("qlinearconv_i8_per_channel", qlinear_conv(I8, True)),
    ("qlinearconv_u8_groups", qlinear_conv(U8, True, group=2)),
    ("qdq_conv_maxpool", qdq_conv_model),
    ("qdq_pad_u8", qdq_pad_u8),
]

if __name__ == "__main__":
    sys.exit(main(MODELS, sys.argv[1]))

# ===- exec_resize.py - Resize and Upsample models, run and compared ------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Usage: exec_resize.py OUTDIR [NAME...]. References: torch.nn.functional.
# interpolate where PyTorch has the same semantics (nearest = asymmetric +
# floor, bilinear/bicubic with and without align_corners), else a port of
# ONNX's reference implementation (onnx/backend/test/case/node/resize.py:
# neighbours of the source coordinate in the edge-padded row, ties to the
# left), which Debian's onnx 1.12 does not ship as an evaluator.
# ===-----------------------------------------------------------------------=== #
import sys
import zlib

import numpy as np
import torch
from onnx import TensorProto, helper, numpy_helper

from onnx_exec import main

F = TensorProto.FLOAT


# --- ONNX reference (ported) ----------------------------------------------
def cubic_coeffs(ratio, A=-0.75):
    r = ratio
    return np.array([
        ((A * (r + 1) - 5 * A) * (r + 1) + 8 * A) * (r + 1) - 4 * A,
        ((A + 2) * r - (A + 3)) * r * r + 1,
        ((A + 2) * (1 - r) - (A + 3)) * (1 - r) * (1 - r) + 1,
        ((A * ((1 - r) + 1) - 5 * A) * ((1 - r) + 1) + 8 * A) *
        ((1 - r) + 1) - 4 * A])


def linear_coeffs(ratio):
    return np.array([1 - ratio, ratio])


def nearest_coeffs(ratio, mode):
    if float(ratio).is_integer():
        return np.array([0, 1])
    if mode == "round_prefer_floor":
        return np.array([ratio <= 0.5, ratio > 0.5])
    if mode == "round_prefer_ceil":
        return np.array([ratio < 0.5, ratio >= 0.5])
    if mode == "floor":
        return np.array([1, 0])
    return np.array([0, 1])


def get_neighbor(x, n, data):
    pad_width = int(np.ceil(n / 2))
    padded = np.pad(data, (pad_width, pad_width), mode="edge")
    x += pad_width
    idxes = sorted(range(len(padded)), key=lambda i: (abs(x - i), i))[:n]
    idxes = np.array(sorted(idxes))
    return idxes - pad_width, padded[idxes]


def interp_1d(data, scale, out_w, x, get_coeffs, ctm, exclude_outside):
    in_w = len(data)
    output_width = scale * in_w
    if ctm == "align_corners":
        x_ori = 0.0 if output_width == 1 else x * (in_w - 1) / (
            output_width - 1)
    elif ctm == "asymmetric":
        x_ori = x / scale
    elif ctm == "pytorch_half_pixel":
        x_ori = -0.5 if output_width == 1 else (x + 0.5) / scale - 0.5
    elif ctm == "tf_half_pixel_for_nn":
        x_ori = (x + 0.5) / scale
    else:
        x_ori = (x + 0.5) / scale - 0.5
    x_ori_int = np.floor(x_ori).astype(int).item()
    ratio = 1 if float(x_ori).is_integer() else x_ori - x_ori_int
    coeffs = get_coeffs(ratio)
    n = len(coeffs)
    idxes, points = get_neighbor(x_ori, n, data)
    if exclude_outside:
        coeffs = np.array([0 if (i < 0 or i >= in_w) else c
                           for i, c in zip(idxes, coeffs)])
        coeffs = coeffs / coeffs.sum()
    return np.dot(coeffs, points).item()


def interp_nd(data, get_coeffs, out_size, scales, ctm, exclude_outside):
    if len(data.shape) == 1:
        return np.array([interp_1d(data, scales[0], out_size[0], x,
                                   get_coeffs, ctm, exclude_outside)
                         for x in range(out_size[0])])
    res = []
    for i in range(data.shape[0]):
        res.append(interp_nd(data[i], get_coeffs, out_size[1:], scales[1:],
                             ctm, exclude_outside))
    res = np.array(res)
    # The first axis: interpolate the stacked rows.
    out = np.zeros([out_size[0]] + list(res.shape[1:]))
    for idx in np.ndindex(*res.shape[1:]):
        col = res[(slice(None),) + idx]
        for x in range(out_size[0]):
            out[(x,) + idx] = interp_1d(col, scales[0], out_size[0], x,
                                        get_coeffs, ctm, exclude_outside)
    return out


def onnx_resize_ref(x, mode, ctm="half_pixel", nearest_mode="round_prefer_floor",
                    scales=None, sizes=None, cubic_a=-0.75,
                    exclude_outside=False):
    if sizes is not None:
        scales = [s / d for s, d in zip(sizes, x.shape)]
    else:
        scales = [float(np.float32(s)) for s in scales]
        sizes = [int(d * s) for d, s in zip(x.shape, scales)]
    if mode == "nearest":
        c = lambda r: nearest_coeffs(r, nearest_mode)
    elif mode == "linear":
        c = linear_coeffs
    else:
        c = lambda r: cubic_coeffs(r, cubic_a)
    return interp_nd(x.astype(np.float64), c, sizes, scales, ctm,
                     exclude_outside).astype(np.float32)


# --- models -----------------------------------------------------------------
def build(name, xshape, opset, op="Resize", scales=None, sizes=None,
          attr_scales=False, **attrs):
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    x = rng.standard_normal(xshape).astype(np.float32)
    inits, ins = [], ["x"]
    if op == "Upsample":
        if attr_scales:
            attrs["scales"] = scales
        else:
            inits.append(numpy_helper.from_array(
                np.array(scales, np.float32), "scales"))
            ins.append("scales")
    elif opset == 10:
        inits.append(numpy_helper.from_array(np.array(scales, np.float32),
                                             "scales"))
        ins.append("scales")
    else:
        inits.append(numpy_helper.from_array(np.zeros(0, np.float32), "roi"))
        ins.append("roi")
        if scales is not None:
            inits.append(numpy_helper.from_array(
                np.array(scales, np.float32), "scales"))
            ins.append("scales")
        else:
            if opset >= 13:
                ins.append("")
            else:
                inits.append(numpy_helper.from_array(
                    np.zeros(0, np.float32), "scales"))
                ins.append("scales")
            inits.append(numpy_helper.from_array(np.array(sizes, np.int64),
                                                 "sizes"))
            ins.append("sizes")
    node = helper.make_node(op, ins, ["y"], name=name, **attrs)
    graph = helper.make_graph(
        [node], name, [helper.make_tensor_value_info("x", F, xshape)],
        [helper.make_tensor_value_info("y", F, None)], inits)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8 if opset >= 13 else 6
    return model, x


def torch_ref(x, **kw):
    return torch.nn.functional.interpolate(torch.from_numpy(x), **kw).numpy()


def case_nearest_2x():
    # PyTorch's exporter at opset 13: asymmetric + floor.
    m, x = build("nearest_2x", [1, 2, 3, 4], 13, scales=[1, 1, 2, 2],
                 mode="nearest", coordinate_transformation_mode="asymmetric",
                 nearest_mode="floor")
    return m, [x], [torch_ref(x, scale_factor=2, mode="nearest")]


def case_nearest_sizes():
    # 5x7 -> 8x3: not integer repeats (gather).
    m, x = build("nearest_sizes", [1, 2, 5, 7], 13, sizes=[1, 2, 8, 3],
                 mode="nearest", coordinate_transformation_mode="asymmetric",
                 nearest_mode="floor")
    return m, [x], [torch_ref(x, size=(8, 3), mode="nearest")]


def case_nearest_half_pixel():
    m, x = build("nearest_half_pixel", [1, 1, 4, 5], 13,
                 scales=[1, 1, 1.75, 0.6], mode="nearest",
                 nearest_mode="round_prefer_ceil")
    return m, [x], [onnx_resize_ref(x, "nearest", scales=[1, 1, 1.75, 0.6],
                                    nearest_mode="round_prefer_ceil")]


def case_nearest_tf():
    m, x = build("nearest_tf", [1, 1, 3, 3], 11, sizes=[1, 1, 5, 4],
                 mode="nearest",
                 coordinate_transformation_mode="tf_half_pixel_for_nn",
                 nearest_mode="ceil")
    return m, [x], [onnx_resize_ref(x, "nearest", ctm="tf_half_pixel_for_nn",
                                    nearest_mode="ceil", sizes=[1, 1, 5, 4])]


def case_linear_pytorch():
    m, x = build("linear_pytorch_half_pixel", [2, 3, 4, 5], 13,
                 sizes=[2, 3, 8, 7], mode="linear",
                 coordinate_transformation_mode="pytorch_half_pixel")
    return m, [x], [torch_ref(x, size=(8, 7), mode="bilinear",
                              align_corners=False)]


def case_linear_align():
    m, x = build("linear_align_corners", [1, 2, 4, 4], 11,
                 scales=[1, 1, 2, 2], mode="linear",
                 coordinate_transformation_mode="align_corners")
    return m, [x], [torch_ref(x, scale_factor=2, mode="bilinear",
                              align_corners=True)]


def case_linear_down():
    m, x = build("linear_half_pixel_down", [1, 2, 6, 8], 18,
                 scales=[1, 1, 0.5, 0.75], mode="linear")
    return m, [x], [onnx_resize_ref(x, "linear", scales=[1, 1, 0.5, 0.75])]


def case_cubic():
    m, x = build("cubic_torch", [1, 2, 4, 5], 13, sizes=[1, 2, 7, 9],
                 mode="cubic", cubic_coeff_a=-0.75,
                 coordinate_transformation_mode="pytorch_half_pixel")
    return m, [x], [torch_ref(x, size=(7, 9), mode="bicubic",
                              align_corners=False)]


def case_cubic_exclude():
    m, x = build("cubic_exclude_outside", [1, 1, 4, 4], 13,
                 scales=[1, 1, 1.5, 2.0], mode="cubic", cubic_coeff_a=-0.5,
                 exclude_outside=1)
    return m, [x], [onnx_resize_ref(x, "cubic", scales=[1, 1, 1.5, 2.0],
                                    cubic_a=-0.5, exclude_outside=True)]


def case_axes18():
    m, x = build("sizes_axes_opset18", [1, 2, 4, 6], 18, sizes=[6, 3],
                 axes=[2, 3], mode="linear",
                 coordinate_transformation_mode="align_corners")
    return m, [x], [torch_ref(x, size=(6, 3), mode="bilinear",
                              align_corners=True)]


def case_resize10():
    m, x = build("resize_opset10_nearest", [1, 2, 3, 3], 10,
                 scales=[1, 1, 2, 3], mode="nearest")
    return m, [x], [np.repeat(np.repeat(x, 2, 2), 3, 3)]


def case_upsample9():
    m, x = build("upsample_opset9_nearest", [1, 2, 3, 4], 9, op="Upsample",
                 scales=[1, 1, 2, 2], mode="nearest")
    return m, [x], [torch_ref(x, scale_factor=2, mode="nearest")]


def case_upsample9_linear():
    m, x = build("upsample_opset9_linear", [1, 1, 3, 4], 9, op="Upsample",
                 scales=[1, 1, 2, 1.5], mode="linear")
    return m, [x], [onnx_resize_ref(x, "linear", ctm="asymmetric",
                                    scales=[1, 1, 2, 1.5])]


MODELS = [(f.__name__[5:], f) for f in [
    case_nearest_2x, case_nearest_sizes, case_nearest_half_pixel,
    case_nearest_tf, case_linear_pytorch, case_linear_align,
    case_linear_down, case_cubic, case_cubic_exclude, case_axes18,
    case_resize10, case_upsample9, case_upsample9_linear]]

if __name__ == "__main__":
    sys.exit(main(MODELS, sys.argv[1]))

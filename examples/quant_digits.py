#!/usr/bin/env python3
# ===- quant_digits.py - int8 and mixed precision on real data -----------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Trains a small MLP and a small CNN on scikit-learn's digits (8x8 images,
# 10 classes) with torch, exports them to linalg-on-tensors MLIR, compiles
# each with green-opt in fp32, int8 (static, calibrated on training images)
# and mixed precision (least estimated energy within an SQNR budget), runs
# them on the held-out split and prints accuracy, measured time per batch
# and estimated energy per batch.
#
#   PYTHONPATH=python GREEN_OPT_BUILD_DIR=build python3 examples/quant_digits.py
#   ... --fast --check   (the ctest version: fewer epochs; fails unless int8
#                         is within 1 point of fp32)
# ===-----------------------------------------------------------------------=== #

import argparse
import os
import shutil
import sys
import tempfile
import time

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import green


def dense(a):
    a = np.ascontiguousarray(a, dtype=np.float32)
    ty = "tensor<%sxf32>" % "x".join(str(s) for s in a.shape)
    return 'dense<"0x%s"> : %s' % (a.astype("<f4").tobytes().hex().upper(),
                                   ty), ty


def t(*shape):
    return "tensor<%sxf32>" % "x".join(str(s) for s in shape)


BIAS_RELU = """  %{out} = linalg.generic {{indexing_maps = [{imap}, {bmap}, {imap}], iterator_types = [{iters}]}}
      ins(%{inp}, %{b} : {ty}, {bt}) outs(%{init} : {ty}) {{
  ^bb0(%a: f32, %bb: f32, %o: f32):
    %s = arith.addf %a, %bb : f32
    {relu}
  }} -> {ty}
"""


def bias_act(out, inp, b, bt, init, shape, channel_dim, relu=True):
    rank = len(shape)
    dims = ", ".join("d%d" % i for i in range(rank))
    imap = "affine_map<(%s) -> (%s)>" % (dims, dims)
    bmap = "affine_map<(%s) -> (d%d)>" % (dims, channel_dim)
    iters = ", ".join(['"parallel"'] * rank)
    body = ("%r = arith.maximumf %s, %zero : f32\n    linalg.yield %r : f32"
            if relu else "linalg.yield %s : f32")
    return BIAS_RELU.format(out=out, imap=imap, bmap=bmap, iters=iters,
                            inp=inp, b=b, ty=t(*shape), bt=bt, init=init,
                            relu=body)


def linear(lines, name, inp, w, b, n, k, relu):
    """y = inp @ w.T + b (torch layout), optionally ReLU."""
    m = w.shape[0]
    wd, wt = dense(w.T)
    bd, bt = dense(b)
    lines.append(f"  %{name}_w = arith.constant {wd}")
    lines.append(f"  %{name}_b = arith.constant {bd}")
    lines.append(f"  %{name}_e = tensor.empty() : {t(n, m)}")
    lines.append(f"  %{name}_f = linalg.fill ins(%zero : f32) outs(%{name}_e : {t(n, m)}) -> {t(n, m)}")
    lines.append(f"  %{name}_mm = linalg.matmul ins(%{inp}, %{name}_w : {t(n, k)}, {wt}) outs(%{name}_f : {t(n, m)}) -> {t(n, m)}")
    lines.append(bias_act(name, name + "_mm", name + "_b", bt, name + "_e",
                          (n, m), 1, relu))
    return name


def conv(lines, name, inp, w, b, n, c, h, wd_, relu=True):
    """3x3 convolution, padding 1, stride 1, NCHW (torch layout)."""
    f = w.shape[0]
    wdense, wt = dense(w)
    bd, bt = dense(b)
    lines.append(f"  %{name}_w = arith.constant {wdense}")
    lines.append(f"  %{name}_b = arith.constant {bd}")
    lines.append(f"  %{name}_p = tensor.pad %{inp} low[0, 0, 1, 1] high[0, 0, 1, 1] {{\n"
                 f"  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):\n"
                 f"    tensor.yield %zero : f32\n  }} : {t(n, c, h, wd_)} to {t(n, c, h + 2, wd_ + 2)}")
    lines.append(f"  %{name}_e = tensor.empty() : {t(n, f, h, wd_)}")
    lines.append(f"  %{name}_f = linalg.fill ins(%zero : f32) outs(%{name}_e : {t(n, f, h, wd_)}) -> {t(n, f, h, wd_)}")
    lines.append(f"  %{name}_c = linalg.conv_2d_nchw_fchw {{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}} "
                 f"ins(%{name}_p, %{name}_w : {t(n, c, h + 2, wd_ + 2)}, {wt}) outs(%{name}_f : {t(n, f, h, wd_)}) -> {t(n, f, h, wd_)}")
    lines.append(bias_act(name, name + "_c", name + "_b", bt, name + "_e",
                          (n, f, h, wd_), 1, relu))
    return name


def export_mlp(model, n):
    l1, l2, l3 = model[0], model[2], model[4]
    lines = [f"func.func @mlp(%x: {t(n, 64)}) -> {t(n, 10)} {{",
             "  %zero = arith.constant 0.0 : f32"]
    h = linear(lines, "l1", "x", l1.weight.detach().numpy(),
               l1.bias.detach().numpy(), n, 64, True)
    h = linear(lines, "l2", h, l2.weight.detach().numpy(),
               l2.bias.detach().numpy(), n, l1.out_features, True)
    h = linear(lines, "l3", h, l3.weight.detach().numpy(),
               l3.bias.detach().numpy(), n, l2.out_features, False)
    lines.append(f"  return %{h} : {t(n, 10)}\n}}")
    return "\n".join(lines)


def export_cnn(model, n):
    c1, c2, fc = model[0], model[2], model[5]
    f1, f2 = c1.out_channels, c2.out_channels
    lines = [f"func.func @cnn(%x: {t(n, 1, 8, 8)}) -> {t(n, 10)} {{",
             "  %zero = arith.constant 0.0 : f32"]
    h = conv(lines, "c1", "x", c1.weight.detach().numpy(),
             c1.bias.detach().numpy(), n, 1, 8, 8)
    h = conv(lines, "c2", h, c2.weight.detach().numpy(),
             c2.bias.detach().numpy(), n, f1, 8, 8)
    lines.append(f"  %flat = tensor.collapse_shape %{h} [[0], [1, 2, 3]] : "
                 f"{t(n, f2, 8, 8)} into {t(n, f2 * 64)}")
    h = linear(lines, "fc", "flat", fc.weight.detach().numpy(),
               fc.bias.detach().numpy(), n, f2 * 64, False)
    lines.append(f"  return %{h} : {t(n, 10)}\n}}")
    return "\n".join(lines)


def train(model, x, y, epochs, lr):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    for _ in range(epochs):
        perm = torch.randperm(len(xt))
        for i in range(0, len(xt), 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            loss_fn(model(xt[idx]), yt[idx]).backward()
            opt.step()
    return model


def time_call(model, x, runs):
    model(x)
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        model(x)
        samples.append(time.perf_counter() - t0)
    return float(np.median(samples))


def evaluate(name, text, x_test, y_test, x_calib, tmp, target, budget, runs):
    path = os.path.join(tmp, name + ".mlir")
    with open(path, "w") as f:
        f.write(text)
    cdir = os.path.join(tmp, name + "_calib")
    os.makedirs(cdir, exist_ok=True)
    np.save(os.path.join(cdir, "calib.npy"), x_calib)
    rows = []
    for scheme in ("fp32", "int8", "mixed"):
        kw = {}
        if scheme != "fp32":
            kw = dict(quantize=scheme, quantize_options={
                "calibration-data": cdir, "error-budget": budget})
        model = green.compile(path, target=target, **kw)
        logits = model(x_test)
        acc = float((logits.argmax(axis=1) == y_test).mean())
        sec = time_call(model, x_test, runs)
        # Estimated energy per batch from --green-quantize's report (the
        # cost model on the target; quantized contractions priced at their
        # input precision). The fp32 row takes the fp32 estimate of the
        # same report.
        energy, layers = None, ""
        if model.quantize_report:
            energy = model.quantize_report["energy_j"]
            fp32_energy = model.quantize_report["energy_fp32_j"]
            layers = ",".join(l["precision"]
                              for l in model.quantize_report["layers"])
        rows.append([name, scheme, acc, sec, energy, layers])
    rows[0][4] = fp32_energy
    return rows


def run_all(epochs, target, budget, runs):
    """Trains both models, compiles them in fp32, int8 and mixed and runs
    them on the held-out split. Returns (rows, torch accuracy, test size);
    a row is [model, scheme, accuracy, seconds per batch, joules, layers]."""
    torch.manual_seed(0)
    torch.set_num_threads(1)
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=0.3, random_state=0, stratify=y)
    n = len(x_test)

    mlp = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(),
                              torch.nn.Linear(128, 64), torch.nn.ReLU(),
                              torch.nn.Linear(64, 10))
    cnn = torch.nn.Sequential(torch.nn.Conv2d(1, 8, 3, padding=1),
                              torch.nn.ReLU(),
                              torch.nn.Conv2d(8, 16, 3, padding=1),
                              torch.nn.ReLU(), torch.nn.Flatten(),
                              torch.nn.Linear(16 * 64, 10))
    t0 = time.time()
    train(mlp, x_train, y_train, epochs, 1e-2)
    train(cnn, x_train.reshape(-1, 1, 8, 8), y_train, epochs, 3e-3)
    print("trained both models in %.1f s (%d epochs)" % (time.time() - t0,
                                                         epochs))
    with torch.no_grad():
        torch_acc = {
            "mlp": float((mlp(torch.from_numpy(x_test)).argmax(1).numpy()
                          == y_test).mean()),
            "cnn": float((cnn(torch.from_numpy(
                x_test.reshape(-1, 1, 8, 8))).argmax(1).numpy()
                == y_test).mean())}

    # Calibration: the first n training images (the entry has batch n).
    x_calib = x_train[:n]
    tmp = tempfile.mkdtemp(prefix="green-quant-digits-")
    try:
        rows = evaluate("mlp", export_mlp(mlp, n), x_test, y_test, x_calib,
                        tmp, target, budget, runs)
        rows += evaluate("cnn", export_cnn(cnn, n),
                         x_test.reshape(-1, 1, 8, 8), y_test,
                         x_calib.reshape(-1, 1, 8, 8), tmp, target,
                         budget, runs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    return rows, torch_acc, n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fast", action="store_true",
                    help="fewer epochs and timing runs (ctest)")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 unless int8 is within 1 point of fp32")
    ap.add_argument("--target", default="host")
    ap.add_argument("--budget", type=float, default=25.0,
                    help="mixed precision SQNR budget in dB")
    args = ap.parse_args()

    rows, torch_acc, n = run_all(15 if args.fast else 40, args.target,
                                 args.budget, 5 if args.fast else 30)
    print("digits: %d test images, target %s, mixed budget %.0f dB SQNR"
          % (n, args.target, args.budget))
    print("%-5s %-6s %9s %12s %14s  %s" % ("model", "scheme", "accuracy",
                                          "time/batch", "est. energy",
                                          "layers"))
    ok = True
    for name, scheme, acc, sec, energy, layers in rows:
        print("%-5s %-6s %8.2f%% %10.3f ms %12.3g J  %s"
              % (name, scheme, 100 * acc, 1e3 * sec, energy or 0, layers))
    for name in ("mlp", "cnn"):
        fp32 = next(r for r in rows if r[0] == name and r[1] == "fp32")
        int8 = next(r for r in rows if r[0] == name and r[1] == "int8")
        mixed = next(r for r in rows if r[0] == name and r[1] == "mixed")
        print("%s: torch %.2f%%, int8 - fp32 = %+.2f points, mixed - fp32 = "
              "%+.2f points; int8 time %.2fx, energy %.2fx of fp32"
              % (name, 100 * torch_acc[name], 100 * (int8[2] - fp32[2]),
                 100 * (mixed[2] - fp32[2]), int8[3] / fp32[3],
                 (int8[4] or 0) / (fp32[4] or 1)))
        if abs(fp32[2] - torch_acc[name]) > 0.005:
            print("FAIL %s: compiled fp32 accuracy differs from torch" % name)
            ok = False
        if fp32[2] - int8[2] > 0.01:
            print("FAIL %s: int8 more than 1 point below fp32" % name)
            ok = False
    if args.check and not ok:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# ===- prune_digits.py - prune a digits CNN with green-opt, fine-tune, plot -=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# ===-----------------------------------------------------------------------=== #
"""Structured pruning on real data: scikit-learn's digits (1797 8x8 images,
10 classes), a small CNN trained with torch on CPU, pruned by green-opt.

  conv1 1->16 3x3 -> relu -> conv2 16->32 3x3 -> relu -> maxpool 2
  -> flatten (32x4x4) -> fc1 512->64 -> relu -> fc2 64->10

Steps: train (seeded); export with torch.onnx.export and import with
green-import-onnx (TOSA, constant weights, ONNX node names as locations);
for each ratio run `green-opt --green-prune="ratio=R report=..."` (L1
importance, and first-order Taylor importance from dL/dw of the training
set written as .npy files); read the kept channels from the report and
build the smaller torch model from them; check that it computes what the
pruned MLIR compiled by green.compile computes (before fine-tuning); then
fine-tune it briefly and measure test accuracy. MACs before and after come
from the pass's report. The plot (accuracy against MAC reduction) goes to
--plot.

  /usr/bin/python3 examples/prune_digits.py --plot prune_digits.png
  /usr/bin/python3 examples/prune_digits.py --fast   # the ctest variant

--fast trains less, prunes at one ratio and checks: pruned MLIR == smaller
torch model, MAC reduction >= 2x, accuracy after fine-tuning within
--max-loss points (default 1) of the unpruned model.
"""

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

try:
    import sklearn  # noqa: F401
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:  # the ctest skips (77) without them
    print(f"skipped: {e} (install python3-torch and python3-sklearn)")
    sys.exit(77)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "python"))
import green  # noqa: E402
from green.tools import find_tool  # noqa: E402

LAYERS = ("conv1", "conv2", "fc1", "fc2")


class Net(nn.Module):
    def __init__(self, c1=16, c2=32, hidden=64):
        super().__init__()
        self.conv1 = nn.Conv2d(1, c1, 3, padding=1)
        self.conv2 = nn.Conv2d(c1, c2, 3, padding=1)
        self.fc1 = nn.Linear(c2 * 16, hidden)
        self.fc2 = nn.Linear(hidden, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.fc1(torch.flatten(x, 1)))
        return self.fc2(x)


def load_data(seed):
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)[:, None]
    y = digits.target.astype(np.int64)
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.25,
                                          random_state=seed, stratify=y)
    return (torch.from_numpy(xtr), torch.from_numpy(ytr),
            torch.from_numpy(xte), torch.from_numpy(yte))


def train(net, x, y, epochs, lr, seed):
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    net.train()
    for _ in range(epochs):
        perm = torch.randperm(len(x), generator=gen)
        for i in range(0, len(x), 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            F.cross_entropy(net(x[idx]), y[idx]).backward()
            opt.step()
    net.eval()
    return net


def accuracy(net, x, y):
    with torch.no_grad():
        return 100.0 * (net(x).argmax(1) == y).float().mean().item()


def export(net, path):
    torch.onnx.export(net, torch.zeros(1, 1, 8, 8), path,
                      input_names=["x"], output_names=["y"], opset_version=13)


def layer_of(node):
    """'/conv1/Conv' -> 'conv1'."""
    for name in LAYERS:
        if f"/{name}/" in node or node == name:
            return name
    raise KeyError(node)


def write_gradients(net, x, y, directory, seed):
    """dL/dw of the training loss for Taylor importance, as the root mean
    square over mini-batches of 64 (the gradient of the whole-set mean is
    near zero at a trained optimum; |w| * RMS(g) is the usual first-order
    Taylor score aggregated over batches), in the layout of the imported
    weights: OHWI for tosa.conv2d (torch: OIHW), [1, K, N] for tosa.matmul
    (torch Linear: [N, K]). Files are named after the ONNX nodes
    ('/conv1/Conv' -> '_conv1_Conv.npy')."""
    sums = {name: 0 for name in LAYERS}
    gen = torch.Generator().manual_seed(seed)
    perm = torch.randperm(len(x), generator=gen)
    batches = 0
    for i in range(0, len(x), 64):
        idx = perm[i:i + 64]
        net.zero_grad()
        F.cross_entropy(net(x[idx]), y[idx]).backward()
        for name in LAYERS:
            sums[name] = sums[name] + getattr(net, name).weight.grad ** 2
        batches += 1
    net.zero_grad()
    os.makedirs(directory, exist_ok=True)
    for name in LAYERS:
        g = (sums[name] / batches).sqrt().detach().numpy()
        g = g.transpose(0, 2, 3, 1) if g.ndim == 4 else g.T[None]
        node = f"_{name}_{'Conv' if name.startswith('conv') else 'Gemm'}"
        np.save(os.path.join(directory, node + ".npy"),
                np.ascontiguousarray(g, dtype=np.float32))


def prune(ir_path, options, workdir, tag):
    if "target=" not in options:
        options += " target=cpu-zen3"  # one target for every estimate
    out = os.path.join(workdir, f"{tag}.mlir")
    report = os.path.join(workdir, f"{tag}.json")
    proc = subprocess.run([str(find_tool("green-opt")), ir_path,
                           f"--green-prune={options} report={report}",
                           "--mlir-print-debuginfo", "-o", out],
                          capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(proc.stderr)
    with open(report) as f:
        return out, json.load(f)


def kept_channels(report, net):
    """Kept output channels per layer (all where the group stayed whole)."""
    kept = {name: list(range(getattr(net, name).weight.shape[0]))
            for name in LAYERS}
    for group in report["groups"]:
        if "kept" in group:
            for producer in group["producers"]:
                kept[layer_of(producer)] = group["kept"]
    return kept


def shrink(net, kept):
    """The smaller torch model with only the kept channels."""
    k1, k2, kh = kept["conv1"], kept["conv2"], kept["fc1"]
    small = Net(len(k1), len(k2), len(kh))
    # NCHW flatten: channel c owns features c*16 .. c*16+15.
    features = [c * 16 + j for c in k2 for j in range(16)]
    with torch.no_grad():
        small.conv1.weight.copy_(net.conv1.weight[k1])
        small.conv1.bias.copy_(net.conv1.bias[k1])
        small.conv2.weight.copy_(net.conv2.weight[k2][:, k1])
        small.conv2.bias.copy_(net.conv2.bias[k2])
        small.fc1.weight.copy_(net.fc1.weight[kh][:, features])
        small.fc1.bias.copy_(net.fc1.bias[kh])
        small.fc2.weight.copy_(net.fc2.weight[:, kh])
        small.fc2.bias.copy_(net.fc2.bias)
    small.eval()
    return small


def check_same(pruned_mlir, small, x, samples):
    """The pruned MLIR, compiled by green-opt, against the smaller torch
    model: the same logits on the first `samples` test images."""
    model = green.compile(pruned_mlir, target="host")
    worst = 0.0
    with torch.no_grad():
        for i in range(samples):
            want = small(x[i:i + 1]).numpy()
            got = model(x[i:i + 1].numpy())
            worst = max(worst, float(np.max(np.abs(got - want)) /
                                     max(np.max(np.abs(want)), 1e-6)))
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fast", action="store_true",
                        help="the quick seeded check run by ctest")
    parser.add_argument("--ratios", default="0.2,0.3,0.4,0.5,0.6,0.7")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--finetune", type=int, default=10)
    parser.add_argument("--energy-targets", default="0.5,0.35",
                        help="also prune to these estimated energy fractions "
                             "(cuts allocated by the pass)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-loss", type=float, default=1.0)
    parser.add_argument("--plot", help="write the accuracy/MAC plot here")
    parser.add_argument("--json", help="write the measured points here")
    args = parser.parse_args()
    if args.fast:
        args.ratios, args.epochs, args.finetune = "0.5", 40, 10
        args.energy_targets = ""
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    xtr, ytr, xte, yte = load_data(args.seed)
    net = train(Net(), xtr, ytr, args.epochs, 2e-3, args.seed)
    base = accuracy(net, xte, yte)
    # The control: the unpruned model trained as many more epochs as the
    # pruned ones are fine-tuned; losses are against the better of the two.
    control = copy.deepcopy(net)
    control_acc = accuracy(train(control, xtr, ytr, args.finetune, 1e-3,
                                 args.seed), xte, yte)
    print(f"unpruned: test accuracy {base:.2f}% ({len(xte)} test images); "
          f"{control_acc:.2f}% after {args.finetune} more epochs")
    base = max(base, control_acc)

    workdir = tempfile.mkdtemp(prefix="green-digits-")
    onnx_path = os.path.join(workdir, "digits.onnx")
    export(net, onnx_path)
    ir_path = os.path.join(workdir, "digits.mlir")
    with open(ir_path, "w") as f:
        f.write(green.import_onnx(onnx_path))
    grads = os.path.join(workdir, "grads")
    write_gradients(net, xtr, ytr, grads, args.seed)

    methods = [("l1", "")]
    if not args.fast:
        methods.append(("taylor", f" gradients={grads}"))
    points = []
    ok = True
    runs = [(method, f"ratio={r}{extra}", float(r))
            for r in args.ratios.split(",") for method, extra in methods]
    if args.energy_targets:
        methods.append(("energy-target", ""))
        runs += [("energy-target", f"energy-target={e} target=cpu-zen3",
                  float(e)) for e in args.energy_targets.split(",")]
        methods.append(("energy-target+taylor", ""))
        runs += [("energy-target+taylor",
                  f"energy-target={e} target=cpu-zen3 gradients={grads}",
                  float(e)) for e in args.energy_targets.split(",")]
    for method, options, ratio in runs:
        if True:
            tag = f"{method}-{ratio}"
            pruned, report = prune(ir_path, options, workdir, tag)
            small = shrink(net, kept_channels(report, net))
            err = check_same(pruned, small, xte, 16 if args.fast else 8)
            before = accuracy(small, xte, yte)
            tuned = train(small, xtr, ytr, args.finetune, 1e-3, args.seed)
            after = accuracy(tuned, xte, yte)
            reduction = report["macs_before"] / report["macs_after"]
            energy = 1 - report["energy_after_j"] / report["energy_before_j"]
            print(f"{options.split(' gradients')[0]:28s} ({method}): MACs {report['macs_before']}"
                  f" -> {report['macs_after']} ({reduction:.2f}x fewer), "
                  f"est. energy -{100 * energy:.0f}%, accuracy "
                  f"{before:.2f}% pruned, {after:.2f}% fine-tuned "
                  f"(loss {base - after:+.2f} points); MLIR vs torch max "
                  f"rel err {err:.1e}")
            if err > 1e-4:
                print("  MISMATCH: the pruned MLIR and the smaller torch "
                      "model differ")
                ok = False
            points.append({"method": method, "ratio": ratio,
                           "mac_reduction": reduction,
                           "energy_saved": energy, "acc_pruned": before,
                           "acc_finetuned": after, "acc_base": base})
    best = [p for p in points if p["mac_reduction"] >= 2.0 and
            base - p["acc_finetuned"] <= args.max_loss]
    if best:
        p = max(best, key=lambda p: p["mac_reduction"])
        print(f"target met: {p['mac_reduction']:.2f}x fewer MACs at "
              f"{base - p['acc_finetuned']:+.2f} points ({p['method']}, "
              f"ratio {p['ratio']})")
    else:
        print(f"target NOT met: no point with >= 2x fewer MACs within "
              f"{args.max_loss} points")
        ok = False
    if args.json:
        with open(args.json, "w") as f:
            json.dump(points, f, indent=1)
    if args.plot:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(9, 4))
        for method, _ in methods:
            ps = sorted((p for p in points if p["method"] == method),
                        key=lambda p: p["mac_reduction"])
            ax.plot([p["mac_reduction"] for p in ps],
                    [p["acc_finetuned"] for p in ps], "o-",
                    label=f"{method}, fine-tuned {args.finetune} epochs")
            ax.plot([p["mac_reduction"] for p in ps],
                    [p["acc_pruned"] for p in ps], "x--",
                    label=f"{method}, before fine-tuning")
        ax.axhline(base, color="gray", lw=0.8, label="unpruned")
        ax.axhline(base - 1, color="gray", lw=0.8, ls=":",
                   label="unpruned - 1 point")
        ax.axvline(2, color="gray", lw=0.8, ls="--")
        ax.set_xlabel("MAC reduction (original / pruned)")
        ax.set_ylabel("test accuracy (%)")
        ax.set_title("digits CNN pruned by green-opt --green-prune")
        ax.set_ylim(max(0, min(p["acc_pruned"] for p in points) - 5), 100.5)
        ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.02, 0.5))
        fig.tight_layout()
        fig.savefig(args.plot, dpi=120)
        print(f"plot: {args.plot}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

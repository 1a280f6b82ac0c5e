# green.torch.compile: a torch.nn.Module in, a callable over torch tensors or
# numpy arrays out (export, import, compile, call), checked against the module.
# REQUIRES: torch, onnx-import
# RUN: %PYTHON %s | FileCheck %s

import os

import numpy as np
import torch

import green
import green.torch

# green.torch is the submodule; PyTorch is still PyTorch.
print("torch is", "pytorch" if torch.__file__.endswith(
    os.path.join("torch", "__init__.py")) else torch.__file__,
      green.torch._import_torch() is torch, green.torch is not torch)
# CHECK: torch is pytorch True True


class Net(torch.nn.Module):
    """conv + batch norm + ReLU, pooling, linear; two outputs."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1, stride=2)
        self.bn = torch.nn.BatchNorm2d(8)
        self.fc = torch.nn.Linear(8 * 4 * 4, 10)

    def forward(self, x):
        h = torch.relu(self.bn(self.conv(x)))
        h = torch.nn.functional.avg_pool2d(h, 2)
        logits = self.fc(torch.flatten(h, 1))
        return logits, torch.softmax(logits, dim=1)


def normwise(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return np.abs(a - b).max() / np.abs(b).max()


torch.manual_seed(0)
net = Net()
# Non-trivial batch-norm statistics (eval mode uses them).
net.bn.running_mean.uniform_(-0.5, 0.5)
net.bn.running_var.uniform_(0.5, 2.0)
net.train()  # compile exports in eval mode and restores the mode
x = torch.randn(2, 3, 16, 16)
fn = green.torch.compile(net, (x,), target="cpu-zen3")
print("mode kept", net.training)
# CHECK: mode kept True
net.eval()
with torch.no_grad():
    ref_logits, ref_probs = net(x)

# torch tensors in, torch tensors out.
logits, probs = fn(x)
print("torch", type(logits).__name__, tuple(logits.shape), logits.dtype,
      normwise(logits, ref_logits) < 1e-4, normwise(probs, ref_probs) < 1e-4)
# CHECK: torch Tensor (2, 10) torch.float32 True True

# numpy in, numpy out; another input than the example.
x2 = torch.randn(2, 3, 16, 16)
with torch.no_grad():
    ref2 = net(x2)[0].numpy()
out2 = fn(x2.numpy())
print("numpy", type(out2[0]).__name__, normwise(out2[0], ref2) < 1e-4,
      normwise(out2[0], logits.numpy()) > 1e-2)
# CHECK: numpy ndarray True True

print("signature", [str(t) for t in fn.input_types],
      [str(t) for t in fn.output_types])
# CHECK: signature ['tensor<2x3x16x16xf32>'] ['tensor<2x10xf32>', 'tensor<2x10xf32>']

# A tensor that needs grad is detached, not rejected.
xg = x.clone().requires_grad_(True)
print("grad input", normwise(fn(xg)[0], ref_logits) < 1e-4)
# CHECK: grad input True

# The energy report of what was compiled names the exported layers.
report = fn.report()
print("report", report["target"]["name"], report["totals"]["flops"] > 0)
# CHECK: report cpu-zen3 True

# green.compile takes a module too (with example_inputs), and numpy examples.
single = torch.nn.Sequential(torch.nn.Linear(16, 4), torch.nn.Tanh()).eval()
a = np.random.default_rng(1).standard_normal((3, 16)).astype(np.float32)
m = green.compile(single, example_inputs=(a,), target="cpu-zen3")
with torch.no_grad():
    ref = single(torch.from_numpy(a)).numpy()
print("green.compile(module)", normwise(m(a), ref) < 1e-4)
# CHECK: green.compile(module) True

# Errors.
try:
    fn(torch.randn(1, 3, 16, 16))
except ValueError as e:
    print("error:", e)
# CHECK: error: input 0 of @main: expected tensor<2x3x16x16xf32> (float32 [2, 3, 16, 16]), got float32 [1, 3, 16, 16]
try:
    green.compile(single)
except ValueError as e:
    print("error:", e)
# CHECK: error: compiling a torch.nn.Module needs example_inputs= (one example per input)
try:
    green.torch.compile(lambda t: t, (x,))
except TypeError as e:
    print("error:", e)
# CHECK: error: expected a torch.nn.Module, got function
try:
    green.compile(42)
except TypeError as e:
    print("error:", e)
# CHECK: error: expected MLIR text, a .mlir or .onnx path or a torch.nn.Module, got int

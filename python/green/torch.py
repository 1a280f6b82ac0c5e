# ===- torch.py - green-opt as a backend for PyTorch modules ---------------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# ===-----------------------------------------------------------------------=== #
"""PyTorch modules through green-opt: export to ONNX, import, compile, call.

    import green.torch
    fn = green.torch.compile(module, (x,))       # x: example torch tensor
    y = fn(x)                                    # torch tensors in and out
    y = fn(x.numpy())                            # or numpy in, numpy out

This module is `green.torch`; the real PyTorch is imported by absolute name
(`importlib.import_module("torch")`), so the two never shadow each other, even
when this file's directory is on sys.path.
"""

import importlib
import os
import shutil
import sys
import tempfile
from typing import Optional, Sequence

import numpy as np

from green import compiler

# Opset of torch.onnx.export. 13 is the highest that torch 1.13 exports and
# green-import-onnx converts for every op of the torchvision models and of
# nn.TransformerEncoder (opset 17 exports LayerNorm as LayerNormalization).
DEFAULT_OPSET = 13


def _import_torch():
    """The real PyTorch package, or ImportError with what to install."""
    here = os.path.dirname(os.path.abspath(__file__))
    saved = sys.path[:]
    # A script run from python/green would otherwise find this file as
    # `torch`.
    sys.path[:] = [p for p in sys.path
                   if os.path.abspath(p or os.getcwd()) != here]
    try:
        torch = importlib.import_module("torch")
    except ImportError as e:
        raise ImportError("green.torch needs PyTorch (Debian: apt-get "
                          "install python3-torch)") from e
    finally:
        sys.path[:] = saved
    if not hasattr(torch, "nn") or not hasattr(torch, "onnx"):
        raise ImportError(f"'torch' resolved to {torch.__file__}, which is "
                          f"not PyTorch")
    return torch


def _as_tuple(inputs):
    if isinstance(inputs, (list, tuple)):
        return tuple(inputs)
    return (inputs,)


class TorchCompiledModel:
    """A module compiled by green-opt. Call it like the module, with torch
    tensors (results are torch tensors) or numpy arrays (results are numpy
    arrays). Several outputs come back as a tuple."""

    def __init__(self, model: compiler.CompiledModel, onnx_path: str,
                 input_names: Sequence[str], output_names: Sequence[str],
                 workdir: str):
        self.model = model
        self.onnx_path = onnx_path
        self.input_names = list(input_names)
        self.output_names = list(output_names)
        self._workdir = workdir

    @property
    def input_types(self):
        return self.model.input_types

    @property
    def output_types(self):
        return self.model.output_types

    def __call__(self, *inputs):
        torch = None
        arrays = []
        for x in inputs:
            if type(x).__module__.startswith("torch") and hasattr(x, "detach"):
                torch = torch or _import_torch()
                arrays.append(x.detach().cpu().contiguous().numpy())
            else:
                arrays.append(np.asarray(x))
        outputs = self.model(*arrays)
        if torch is None:
            return outputs
        if isinstance(outputs, tuple):
            return tuple(torch.from_numpy(o) for o in outputs)
        return torch.from_numpy(outputs)

    def report(self, **options) -> dict:
        """The energy report (green-energy-report/1) of the compiled model."""
        return self.model.report(**options)

    def save(self, path: str) -> None:
        """Copies the shared library to `path`."""
        self.model.save(path)

    def __del__(self):
        shutil.rmtree(self._workdir, ignore_errors=True)


def export_onnx(module, example_inputs, path: str,
                opset: int = DEFAULT_OPSET):
    """torch.onnx.export of `module` (in eval mode) on `example_inputs`
    (a tensor or a tuple of them) to `path`. Returns (input names, output
    names)."""
    torch = _import_torch()
    if not isinstance(module, torch.nn.Module):
        raise TypeError(f"expected a torch.nn.Module, got "
                        f"{type(module).__name__}")
    examples = tuple(torch.as_tensor(x) if not isinstance(x, torch.Tensor)
                     else x for x in _as_tuple(example_inputs))
    if not examples:
        raise ValueError("example_inputs is empty: the exported graph needs "
                         "one example per input to fix its shapes")
    was_training = module.training
    module.eval()
    try:
        with torch.no_grad():
            outputs = module(*examples)
        n_out = len(outputs) if isinstance(outputs, (list, tuple)) else 1
        input_names = [f"input{i}" for i in range(len(examples))]
        output_names = [f"output{i}" for i in range(n_out)]
        torch.onnx.export(module, examples, path, opset_version=opset,
                          input_names=input_names, output_names=output_names,
                          do_constant_folding=True)
    finally:
        module.train(was_training)
    return input_names, output_names


def compile(module, example_inputs, target: str = "host",
            objective: str = "energy", threads: int = 0,
            quantize: Optional[str] = None, prune: Optional[float] = None,
            opset: int = DEFAULT_OPSET, progress=None) -> TorchCompiledModel:
    """Compiles a torch.nn.Module with green-opt; returns a callable.

    The module is exported with torch.onnx.export at the shapes and dtypes
    of `example_inputs` (static shapes: calling with other shapes is an
    error), imported with green-import-onnx and compiled like
    green.compile (same `target`, `objective`, `threads`, `quantize`,
    `prune`).
    """
    say = progress or (lambda message: None)
    workdir = tempfile.mkdtemp(prefix="green-torch-")
    try:
        path = os.path.join(workdir, "model.onnx")
        say(f"exporting {type(module).__name__} to ONNX (opset {opset})")
        inputs, outputs = export_onnx(module, example_inputs, path, opset)
        model = compiler.compile(path, target=target, objective=objective,
                                 threads=threads, quantize=quantize,
                                 prune=prune, progress=progress)
        return TorchCompiledModel(model, path, inputs, outputs, workdir)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise

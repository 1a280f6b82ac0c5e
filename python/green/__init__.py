# ===- __init__.py - green-opt Python package ------------------------------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# A plain Python package (MLIR 22's own bindings need nanobind, which Debian
# does not ship): it drives the C++ tools and, later, calls compiled models
# and the C API through ctypes. Use it from /usr/bin/python3.
#
# ===-----------------------------------------------------------------------=== #
"""green-opt: an energy-aware MLIR compiler, from Python."""

from green.compiler import CompiledModel, compile, energy_report, has_pass
from green.importers.onnx import import_onnx
from green.tools import GreenToolError, find_tool, opt
# green.torch imports PyTorch only when it is used.
from green import torch  # noqa: E402  (the submodule, not PyTorch)

__version__ = "0.1.0"

__all__ = ["CompiledModel", "GreenToolError", "compile", "energy_report",
           "find_tool", "has_pass", "import_onnx", "opt", "torch",
           "__version__"]

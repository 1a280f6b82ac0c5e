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

from green.tools import GreenToolError, find_tool, opt

__version__ = "0.1.0"

__all__ = ["GreenToolError", "find_tool", "opt", "__version__"]

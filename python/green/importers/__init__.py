# ===- importers/__init__.py - model importers -----------------------------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# ===-----------------------------------------------------------------------=== #
"""Importers: thin wrappers over green's C++ importers."""

from green.importers.onnx import import_onnx

__all__ = ["import_onnx"]

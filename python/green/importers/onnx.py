# ===- onnx.py - import ONNX models ----------------------------------------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# ===-----------------------------------------------------------------------=== #
"""ONNX to MLIR (TOSA on tensors) through the C++ `green-import-onnx`."""

import os
import subprocess
import tempfile
from typing import Dict, Optional

from green.tools import GreenToolError, find_tool


def import_onnx(path: str, dims: Optional[Dict[str, int]] = None,
                input_shapes: Optional[Dict[str, tuple]] = None,
                const_inputs: Optional[Dict[str, str]] = None) -> str:
    """Imports the ONNX model at `path`; returns the module as MLIR text.

    `dims` fixes named dynamic dimensions ({"N": 1}), `input_shapes` whole
    input shapes ({"x": (1, 3, 224, 224)}), `const_inputs` pins inputs to
    constants so that branches on them fold. Errors (unsupported ops, bad
    files, unresolved dimensions) raise GreenToolError with the importer's
    message.
    """
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no ONNX model at '{path}'")
    args = [str(find_tool("green-import-onnx")), path]
    for name, value in (dims or {}).items():
        args.append(f"--dim={name}={int(value)}")
    for name, shape in (input_shapes or {}).items():
        args.append(f"--input-shape={name}=" + "x".join(str(int(d))
                                                        for d in shape))
    for name, value in (const_inputs or {}).items():
        args.append(f"--const-input={name}={value}")
    with tempfile.TemporaryDirectory(prefix="green-import-") as tmp:
        out = os.path.join(tmp, "model.mlir")
        # Keep locations: they carry the ONNX node names that reports show.
        proc = subprocess.run(args + ["--mlir-print-debuginfo", "-o", out],
                              capture_output=True,
                              text=True, check=False)
        if proc.returncode != 0:
            raise GreenToolError("green-import-onnx", proc.returncode,
                                 proc.stderr)
        with open(out) as f:
            return f.read()

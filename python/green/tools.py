# ===- tools.py - locate and run green-opt's command-line tools ------------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# ===-----------------------------------------------------------------------=== #
"""Find green-opt's tools (build tree or PATH) and run them."""

import os
import shutil
import subprocess
from pathlib import Path
from typing import Optional, Sequence

_REPO_ROOT = Path(__file__).resolve().parents[2]


class GreenToolError(RuntimeError):
    """A green tool exited with an error; `diagnostics` holds its stderr."""

    def __init__(self, tool: str, returncode: int, diagnostics: str):
        super().__init__(f"{tool} failed with exit code {returncode}:\n"
                         f"{diagnostics.rstrip()}")
        self.tool = tool
        self.returncode = returncode
        self.diagnostics = diagnostics


def _build_dirs():
    env = os.environ.get("GREEN_OPT_BUILD_DIR")
    if env:
        yield Path(env)
    yield _REPO_ROOT / "build"


def find_tool(name: str) -> Path:
    """Returns the path of tool `name` (e.g. "green-opt").

    Looks in $GREEN_OPT_BUILD_DIR/bin, then <repo>/build/bin, then PATH.
    """
    for build in _build_dirs():
        candidate = build / "bin" / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(name)
    if found:
        return Path(found)
    raise FileNotFoundError(
        f"cannot find '{name}': build green-opt (scripts/setup.sh) or set "
        f"GREEN_OPT_BUILD_DIR to its build directory")


def opt(ir: str, args: Sequence[str] = (), tool: Optional[str] = None) -> str:
    """Runs green-opt on the IR text `ir` with `args`; returns the output IR.

    Raises GreenToolError with green-opt's diagnostics on failure.
    """
    exe = str(find_tool(tool or "green-opt"))
    proc = subprocess.run([exe, *args, "-"], input=ir, capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        raise GreenToolError(Path(exe).name, proc.returncode, proc.stderr)
    return proc.stdout

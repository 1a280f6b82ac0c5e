# ===- fake_green_opt.py - green-opt wrappers for quantize= tests ----------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Writes a build directory whose bin/green-opt wraps the real one but does
# not list --green-quantize, so that the error of green.compile(quantize=)
# and `green compile --quantize` for a build without the pass is testable:
#   <dir>/noquant/bin/green-opt    --help without --green-quantize
# Everything else goes to the real green-opt unchanged.
#
# Usage: fake_green_opt.py <dir> <real green-opt>
# ===-----------------------------------------------------------------------=== #
import os
import sys

out, real = sys.argv[1], os.path.abspath(sys.argv[2])

NOQUANT = f"""#!/bin/sh
if [ "$1" = "--help" ]; then
  "{real}" --help | grep -v -e '--green-quantize'
  exit 0
fi
exec "{real}" "$@"
"""

for name, text in (("noquant", NOQUANT),):
    bindir = os.path.join(out, name, "bin")
    os.makedirs(bindir, exist_ok=True)
    path = os.path.join(bindir, "green-opt")
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)

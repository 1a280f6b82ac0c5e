# ===- fake_green_opt.py - green-opt wrappers for quantize= tests ----------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Writes two build directories whose bin/green-opt wraps the real one, so that
# the quantize= option of green.compile and `green compile --quantize` can be
# tested whether or not the real green-opt has --green-quantize:
#   <dir>/noquant/bin/green-opt    --help without --green-quantize
#   <dir>/withquant/bin/green-opt  --help with a --green-quantize line; a
#       --green-quantize=... argument is appended to <dir>/withquant/log and
#       dropped (the wrapper copies the module instead of quantizing)
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

WITHQUANT = f"""#!/bin/sh
if [ "$1" = "--help" ]; then
  "{real}" --help | grep -v -e '--green-quantize'
  echo "      --green-quantize  - (test double) quantize"
  exit 0
fi
# Log and drop --green-quantize=...; keep the other arguments in order.
for a in "$@"; do
  case "$a" in
    --green-quantize*) echo "$a" >> "{out}/withquant/log" ;;
    *) set -- "$@" "$a" ;;
  esac
  shift
done
exec "{real}" "$@"
"""

for name, text in (("noquant", NOQUANT), ("withquant", WITHQUANT)):
    bindir = os.path.join(out, name, "bin")
    os.makedirs(bindir, exist_ok=True)
    path = os.path.join(bindir, "green-opt")
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)

# ===- __main__.py - `python -m green` -------------------------------------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# ===-----------------------------------------------------------------------=== #
import sys

from green.cli import main

sys.exit(main())

# ===- check_report.py - check a report written by `green compile` --------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Usage: check_report.py report.json original.onnx
# Prints facts about the report for FileCheck: schema, target, entry, the
# ONNX node names among op locations, whether components and ops add up to
# the totals, and whether it has fewer parameters than the unpruned original.
# ===-----------------------------------------------------------------------=== #
import json
import math
import sys

import green

with open(sys.argv[1]) as f:
    r = json.load(f)
print("schema", r["schema"], "target", r["target"]["name"], "entry",
      r["entry_function"])
wanted = ("conv1", "conv2", "conv3", "fc")
print("nodes", *sorted({o["location"] for o in r["ops"]
                        if o["location"] in wanted}))
t = r["totals"]
c = t["components"]
parts = (c["compute_j"] + sum(c["memory_j"].values()) + c["transfer_j"]
         + c["communication_j"] + c["static_j"])
ops = sum(o["energy_j"] for o in r["ops"])
print("energy positive", t["energy_per_inference_j"] > 0, "components sum",
      math.isclose(parts, t["energy_j"], rel_tol=1e-6), "ops sum",
      math.isclose(ops, t["energy_j"], rel_tol=1e-6))
original = green.energy_report(sys.argv[2], target=r["target"]["name"])
print("pruned parameters fewer",
      0 < t["parameters"] < original["totals"]["parameters"])

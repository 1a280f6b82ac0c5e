"""Checks a green-prune report of an energy target: the estimate meets the
target, and layer `costly` kept fewer channels than layer `cheap`.

Usage: check-prune-allocation.py report.json target costly cheap
"""
import json
import sys

report = json.load(open(sys.argv[1]))
goal, costly, cheap = float(sys.argv[2]), sys.argv[3], sys.argv[4]
kept = {l["name"]: l.get("channels_kept") for l in report["layers"]}
ratio = report["energy_after_j"] / report["energy_before_j"]
print(f"energy after/before {ratio:.3f} (target {goal}); kept {kept}")
assert ratio <= goal, "energy target missed"
assert kept[costly] < kept[cheap], "costly layer should lose more channels"

# ===- cli.py - the `green` command line -----------------------------------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# ===-----------------------------------------------------------------------=== #
"""`green` command line: `/usr/bin/python3 -m green <command> ...`."""

import argparse
import json
import sys

from green import estimate


def _estimate_run(args) -> int:
    try:
        groups = [estimate.parse_device(d) for d in args.device]
        result = estimate.estimate_run(groups, args.hours, args.pue,
                                       args.grid)
    except ValueError as e:
        print(f"green estimate-run: error: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({
            "schema": "green-run-estimate/1",
            "hours": args.hours, "pue": args.pue,
            "grid_gco2_per_kwh": args.grid,
            "devices": [{"name": g.name, "count": g.count,
                         "power_w": g.power_w, "utilization": g.utilization,
                         "kwh": kwh}
                        for g, kwh in zip(groups, result.per_group_kwh)],
            "it_kwh": result.it_kwh, "facility_kwh": result.facility_kwh,
            "gco2e": result.gco2e}, indent=2))
        return 0
    print(f"{'devices':<16}{'count':>6}{'power W':>10}{'util':>7}{'kWh':>12}")
    for g, kwh in zip(groups, result.per_group_kwh):
        print(f"{g.name:<16}{g.count:>6}{g.power_w:>10g}{g.utilization:>7g}"
              f"{kwh:>12.3f}")
    print(f"IT energy        {result.it_kwh:.3f} kWh over {args.hours:g} h")
    print(f"facility energy  {result.facility_kwh:.3f} kWh (PUE {args.pue:g})")
    print(f"emissions        {result.gco2e / 1000:.3f} kgCO2e "
          f"({args.grid:g} gCO2e/kWh)")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="green", description="green-opt: energy-aware ML compilation")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser(
        "estimate-run",
        help="coarse energy and CO2e of a whole training or serving run",
        description="E = sum(count x power x utilization) x hours, then x PUE "
                    "x grid intensity. See docs/energy-model.md.")
    run.add_argument("--device", action="append", required=True,
                     metavar="NAME:COUNT:POWER_W:UTIL",
                     help="a group of identical devices (repeatable), e.g. "
                          "h100:8:700:0.6")
    run.add_argument("--hours", type=float, required=True,
                     help="duration of the run in hours")
    run.add_argument("--pue", type=float, default=1.2,
                     help="power usage effectiveness of the facility "
                          "(default 1.2, see docs/targets.md)")
    run.add_argument("--grid", type=float, default=400.0,
                     help="grid carbon intensity in gCO2e/kWh (default 400)")
    run.add_argument("--json", action="store_true", help="print JSON")
    run.set_defaults(func=_estimate_run)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

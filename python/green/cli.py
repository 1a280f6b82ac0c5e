# ===- cli.py - the `green` command line -----------------------------------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# ===-----------------------------------------------------------------------=== #
"""`green` command line: `/usr/bin/python3 -m green <command> ...`."""

import argparse
import json
import os
import sys
import time

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


def _quantize_options(args):
    """--green-quantize options from the compile command's flags."""
    options = {}
    if args.calibration_data:
        options["calibration-data"] = ",".join(args.calibration_data)
    if args.error_budget is not None:
        options["error-budget"] = args.error_budget
    return options


def _compile(args) -> int:
    from green import compiler
    from green.tools import GreenToolError

    start = time.monotonic()
    step = [0]
    # load, [prune], [quantize], lower, native code; then the report if
    # asked for. Heartbeats of long steps ("  ... still running") are not
    # steps.
    total = 3 + sum(1 for extra in (args.prune, args.quantize, args.report)
                    if extra)

    def progress(message):
        if not message.startswith("  ..."):
            step[0] += 1
        print(f"[{step[0]}/{total} {time.monotonic() - start:6.2f} s] "
              f"{message}",
              file=sys.stderr, flush=True)

    try:
        model = compiler.compile(args.model, target=args.target,
                                 objective=args.objective,
                                 threads=args.threads, entry=args.entry,
                                 progress=progress, quantize=args.quantize,
                                 quantize_options=_quantize_options(args),
                                 prune=args.prune)
        model.save(args.output)
        if args.emit_mlir:
            with open(args.emit_mlir, "w") as f:
                f.write(model.ir)
        if args.report:
            progress(f"energy report -> {args.report}")
            with open(args.report, "w") as f:
                json.dump(model.report(), f, indent=2)
    except (GreenToolError, ValueError, FileNotFoundError,
            NotImplementedError) as e:
        print(f"green compile: error: {e}", file=sys.stderr)
        return 1
    sig = ", ".join(str(t) for t in model.input_types)
    res = ", ".join(str(t) for t in model.output_types)
    print(f"wrote {args.output}: @{model.entry}({sig}) -> ({res}), "
          f"call _mlir_ciface_{model.entry}; "
          f"{time.monotonic() - start:.2f} s")
    return 0


def _report(args) -> int:
    try:
        with open(args.report) as f:
            report = json.load(f)
        if report.get("schema") != "green-energy-report/1":
            raise ValueError(f"'{args.report}' is not a green-energy-report/1 "
                             f"file")
    except (OSError, ValueError) as e:
        print(f"green report: error: {e}", file=sys.stderr)
        return 1
    totals = report["totals"]
    print(f"target {report['target']['name']}: "
          f"{totals['energy_per_inference_j']:.4e} J per inference, "
          f"{totals['latency_s']:.4e} s, {totals['flops']} flop")
    comps = totals["components"]
    parts = {"compute": comps["compute_j"], "static": comps["static_j"],
             "transfer": comps["transfer_j"],
             "communication": comps["communication_j"]}
    for level, j in comps["memory_j"].items():
        parts["memory " + level] = j
    total = sum(parts.values()) or 1.0
    for name, j in sorted(parts.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<16}{j:12.4e} J {100 * j / total:6.1f}%")
    kinds = {}
    for o in report["ops"]:
        kinds[o["name"]] = kinds.get(o["name"], 0.0) + o["energy_j"]
    kinds = sorted(kinds.items(), key=lambda kv: -kv[1])
    print("  by op kind:")
    for name, j in kinds[:args.top]:
        print(f"  {name:<24}{j:12.4e} J {100 * j / total:6.1f}%")
    ops = sorted(report["ops"], key=lambda o: -o["energy_j"])[:args.top]
    print("  top ops:")
    for o in ops:
        print(f"  {o['name']:<24}{o['energy_j']:12.4e} J  {o['location']}")
    if args.plot:
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            print("green report: error: --plot needs matplotlib "
                  "(apt-get install python3-matplotlib)", file=sys.stderr)
            return 1
        fig, (ax0, ax1, ax2) = plt.subplots(1, 3, figsize=(16, 4.5))
        shown = kinds[:args.top]
        ax0.barh([k for k, _ in shown][::-1], [j for _, j in shown][::-1])
        ax0.set_xlabel("energy per inference (J)")
        ax0.set_title("by op kind")
        names = [f"{o['name']}\n{o['location']}" for o in ops]
        ax1.barh(names[::-1], [o["energy_j"] for o in ops][::-1])
        ax1.set_xlabel("energy per inference (J)")
        ax1.set_title(f"top {len(ops)} ops")
        comp = sorted(((k, v) for k, v in parts.items() if v > 0),
                      key=lambda kv: kv[1])
        bars = ax2.barh([k for k, _ in comp], [v for _, v in comp],
                        color="tab:green")
        ax2.bar_label(bars, labels=[f"{100 * v / total:.1f}%"
                                    for _, v in comp], padding=2)
        ax2.set_xlabel("energy per inference (J)")
        ax2.set_title(f"by component ({report['target']['name']}, "
                      f"{totals['energy_per_inference_j']:.3g} J)")
        for ax in (ax0, ax1, ax2):
            ax.ticklabel_format(axis="x", style="sci", scilimits=(0, 0))
        fig.tight_layout()
        try:
            fig.savefig(args.plot, dpi=100)
        except (OSError, ValueError) as e:
            print(f"green report: error: cannot write '{args.plot}': {e}",
                  file=sys.stderr)
            return 1
        finally:
            plt.close(fig)
        print(f"wrote {args.plot}")
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

    comp = sub.add_parser(
        "compile", help="compile a model (.onnx or .mlir) to a shared library",
        description="Import (for .onnx), lower with green-opt's CPU pipeline "
                    "(schedules chosen by the energy model), compile with "
                    "clang, and write a shared library with a C entry point "
                    "_mlir_ciface_<function>.")
    comp.add_argument("model", help=".onnx or .mlir (TOSA or linalg on "
                                    "tensors)")
    comp.add_argument("-o", "--output", required=True,
                      help="shared library to write")
    comp.add_argument("--target", default="host",
                      help="target description (targets/NAME.json) or host")
    comp.add_argument("--objective", default="energy",
                      choices=["energy", "latency", "edp"])
    comp.add_argument("--threads", type=int, default=0,
                      help="cores to use (0: all of the target's)")
    comp.add_argument("--entry", help="function to export (default: the "
                                      "only public one)")
    comp.add_argument("--prune", type=float, metavar="RATIO",
                      help="remove this fraction of the channels first "
                           "(--green-prune), e.g. 0.3")
    comp.add_argument("--report", help="write the energy report (JSON) here")
    comp.add_argument("--emit-mlir", help="write the imported MLIR here")
    from green.compiler import QUANTIZE_SCHEMES
    comp.add_argument("--quantize", choices=QUANTIZE_SCHEMES,
                      help="quantize layers with --green-quantize "
                           "(docs/quantization.md)")
    comp.add_argument("--calibration-data", action="append",
                      help=".npy file or directory for --quantize (repeat "
                           "for more)")
    comp.add_argument("--error-budget", type=float,
                      help="error budget of --quantize=mixed (default 30 dB "
                           "SQNR)")
    comp.set_defaults(func=_compile)

    rep = sub.add_parser("report", help="summarize an energy report")
    rep.add_argument("report", help="a green-energy-report/1 JSON file")
    rep.add_argument("--top", type=int, default=5, help="ops to list")
    rep.add_argument("--plot", help="draw energy by op and by component "
                                    "to this PNG (needs matplotlib)")
    rep.set_defaults(func=_report)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Checks target description files against the schema in docs/targets.md.

Usage: scripts/check-targets.py [FILE.json ...]   (default: targets/*.json)
Standard library only. Exits 1 and prints every problem when a file fails.
This mirrors the C++ loader's rules so data errors show up without a build.
"""
import glob, json, math, os, sys

TOP_REQ = {"schema_version", "name", "kind", "description", "process_nm", "units",
           "vector_bits", "features", "compute", "slow_op_lane_cost", "memory",
           "interconnect", "power", "dvfs", "overheads", "environment"}
TOP_OPT = {"notes", "systolic_array"}
KINDS = {"cpu", "gpu", "systolic"}
DTYPES = ["f64", "f32", "f16", "bf16", "i64", "i32", "i16", "i8", "i4", "i1"]
DTYPES_REQ = {"f32", "f16", "bf16", "i32", "i8", "i4"}
FLOATS = {"f64", "f32", "f16", "bf16"}
COMPUTE_REQ = {"add_pj", "mul_pj", "fma_pj", "div_pj", "lanes_per_cycle"}
MEM_KEYS = {"name", "size_bytes", "bandwidth_gbps", "energy_pj_per_byte", "shared"}
LINKS = {"pcie", "nvlink", "network"}


def is_num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def check(path):
    errs = []
    err = errs.append
    try:
        with open(path) as f:
            d = json.load(f)
    except (OSError, ValueError) as e:
        return [f"cannot parse: {e}"]
    if not isinstance(d, dict):
        return ["top level is not an object"]

    def keys(obj, where, req, opt=frozenset()):
        if not isinstance(obj, dict):
            err(f"{where}: expected an object")
            return False
        for k in sorted(req - obj.keys()):
            err(f"{where}.{k}: missing")
        for k in sorted(obj.keys() - req - opt):
            err(f"{where}.{k}: unknown key")
        return True

    def pos(obj, k, where, allow_zero=False):
        if k not in obj:
            return
        v = obj[k]
        if not is_num(v) or v < 0 or (v == 0 and not allow_zero):
            err(f"{where}.{k}: expected a number {'>= 0' if allow_zero else '> 0'}, got {v!r}")

    keys(d, "", TOP_REQ, TOP_OPT)
    if d.get("schema_version") != 1 or not is_int(d.get("schema_version")):
        err(".schema_version: must be the integer 1")
    stem = os.path.splitext(os.path.basename(path))[0]
    if d.get("name") != stem:
        err(f".name: {d.get('name')!r} must equal the file stem {stem!r}")
    kind = d.get("kind")
    if kind not in KINDS:
        err(f".kind: {kind!r} not in {sorted(KINDS)}")
    for k in ("description", "notes"):
        if k in d and not isinstance(d[k], str):
            err(f".{k}: expected a string")
    pos(d, "process_nm", "")
    for k in ("units", "vector_bits"):
        if k in d and (not is_int(d[k]) or d[k] <= 0):
            err(f".{k}: expected an integer > 0")
    feats = d.get("features")
    if not isinstance(feats, list) or not all(isinstance(x, str) for x in feats):
        err(".features: expected an array of strings")
    if kind == "systolic":
        sa = d.get("systolic_array")
        if sa is None:
            err(".systolic_array: required when kind is systolic")
        elif keys(sa, ".systolic_array", {"rows", "cols"}):
            for k in ("rows", "cols"):
                if k in sa and (not is_int(sa[k]) or sa[k] <= 0):
                    err(f".systolic_array.{k}: expected an integer > 0")
    elif "systolic_array" in d:
        err(".systolic_array: only allowed when kind is systolic")

    comp = d.get("compute", {})
    if keys(comp, ".compute", DTYPES_REQ, set(DTYPES) - DTYPES_REQ):
        for t, e in comp.items():
            if t not in DTYPES:
                continue
            w = f".compute.{t}"
            opt = {"matrix_lanes_per_cycle"}
            req = set(COMPUTE_REQ)
            if t in FLOATS:
                req.add("transcendental_pj")
            if not keys(e, w, req, opt):
                continue
            for k in req:
                pos(e, k, w)
            pos(e, "matrix_lanes_per_cycle", w, allow_zero=True)

    sl = d.get("slow_op_lane_cost", {})
    if keys(sl, ".slow_op_lane_cost", {"div", "transcendental"}):
        for k in ("div", "transcendental"):
            pos(sl, k, ".slow_op_lane_cost")

    mem = d.get("memory")
    if not isinstance(mem, list) or len(mem) < 2:
        err(".memory: expected an array of at least 2 levels")
        mem = []
    names = set()
    for i, m in enumerate(mem):
        w = f".memory[{i}]"
        if not keys(m, w, MEM_KEYS):
            continue
        if not isinstance(m.get("name"), str) or not m.get("name"):
            err(f"{w}.name: expected a non-empty string")
        elif m["name"] in names:
            err(f"{w}.name: duplicate {m['name']!r}")
        names.add(m.get("name"))
        for k in ("size_bytes", "bandwidth_gbps", "energy_pj_per_byte"):
            pos(m, k, w)
        if not isinstance(m.get("shared"), bool):
            err(f"{w}.shared: expected a boolean")
    # Consistency (not loader errors, but our data rules): energy per byte
    # strictly increases outward, bandwidth does not increase outward.
    for i in range(1, len(mem)):
        a, b = mem[i - 1], mem[i]
        try:
            if not b["energy_pj_per_byte"] > a["energy_pj_per_byte"]:
                err(f".memory[{i}]: energy_pj_per_byte must increase outward")
            if b["bandwidth_gbps"] > a["bandwidth_gbps"]:
                err(f".memory[{i}]: bandwidth_gbps must not increase outward")
        except (KeyError, TypeError):
            pass

    ic = d.get("interconnect", {})
    if keys(ic, ".interconnect", set(), LINKS):
        for k, v in ic.items():
            if k in LINKS and keys(v, f".interconnect.{k}", {"energy_pj_per_byte", "bandwidth_gbps"}):
                pos(v, "energy_pj_per_byte", f".interconnect.{k}")
                pos(v, "bandwidth_gbps", f".interconnect.{k}")

    pw = d.get("power", {})
    if keys(pw, ".power", {"static_w", "idle_w", "peak_w"}):
        for k in ("static_w", "idle_w", "peak_w"):
            pos(pw, k, ".power")
        if all(is_num(pw.get(k)) for k in ("idle_w", "peak_w")) and pw["peak_w"] < pw["idle_w"]:
            err(".power.peak_w: must be >= idle_w")

    dv = d.get("dvfs", {})
    if keys(dv, ".dvfs", {"nominal_index", "points"}):
        pts = dv.get("points")
        if not isinstance(pts, list) or not pts:
            err(".dvfs.points: expected a non-empty array")
            pts = []
        for i, p in enumerate(pts):
            w = f".dvfs.points[{i}]"
            if keys(p, w, {"frequency_ghz", "voltage_v"}):
                pos(p, "frequency_ghz", w)
                pos(p, "voltage_v", w)
        freqs = [p.get("frequency_ghz") for p in pts if isinstance(p, dict)]
        if all(is_num(f) for f in freqs) and freqs != sorted(freqs):
            err(".dvfs.points: must be sorted by frequency_ghz ascending")
        ni = dv.get("nominal_index")
        if not is_int(ni) or not (0 <= ni < len(pts)):
            err(f".dvfs.nominal_index: {ni!r} out of range")

    ov = d.get("overheads", {})
    if keys(ov, ".overheads", {"per_op_s", "parallel_region_s"}):
        for k in ("per_op_s", "parallel_region_s"):
            pos(ov, k, ".overheads", allow_zero=True)

    env = d.get("environment", {})
    if keys(env, ".environment", {"pue", "grid_gco2_per_kwh"}):
        if not is_num(env.get("pue")) or env["pue"] < 1:
            err(".environment.pue: expected a number >= 1")
        pos(env, "grid_gco2_per_kwh", ".environment", allow_zero=True)

    return errs


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    files = argv[1:] or sorted(glob.glob(os.path.join(root, "targets", "*.json")))
    bad = 0
    for f in files:
        errs = check(f)
        if errs:
            bad += 1
            for e in errs:
                print(f"{f}: {e}")
        else:
            print(f"{f}: ok")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

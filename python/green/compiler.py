# ===- compiler.py - compile a model to a callable -------------------------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# ===-----------------------------------------------------------------------=== #
"""Compile TOSA / linalg-on-tensors IR or an ONNX file for this CPU.

    model = green.compile("model.onnx", target="host", objective="energy")
    y = model(x)                      # numpy in, numpy out
    model.report()                    # the energy report of what was compiled

The steps are the command-line tools: `green-import-onnx` (for .onnx),
`green-opt --green-lower-cpu`, `mlir-translate --mlir-to-llvmir`, and
`clang -O3 -march=native -shared`. When a step fails, the error says which
one and keeps the inputs of the failing step as a reproducer.
"""

import ctypes
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from typing import Optional

from green.importers.onnx import import_onnx
from green.runtime import CompiledFunction, parse_signature
from green.tools import GreenToolError, find_tool

OBJECTIVES = ("energy", "latency", "edp")
QUANTIZE_SCHEMES = ("int8", "int8-weight-only", "int4-weight-only", "fp16",
                    "bf16", "mixed")


def _llvm_bin() -> str:
    return os.environ.get("GREEN_LLVM_BIN", "/usr/lib/llvm-22/bin")


# green-run calls functions with at most this many arguments, the result
# descriptor included (kMaxCallArguments in green/Runtime/Executable.h).
MAX_GREEN_RUN_ARGUMENTS = 64


def native_library_commands(llvm_dialect_file: str, library: str):
    """The (step, argv) pairs that turn LLVM-dialect MLIR into a shared
    library for this CPU: mlir-translate, then clang -O3 -march=native,
    linked with the OpenMP runtime and MLIR's C runner utilities (memrefCopy)
    that green-lower-cpu's output calls. The clang step alone also takes
    LLVM bitcode (a .bc file, from green-run --emit-bitcode)."""
    llvm_ir = llvm_dialect_file
    if not llvm_dialect_file.endswith(".bc"):
        llvm_ir = os.path.splitext(library)[0] + ".ll"
    libdir = os.path.join(os.path.dirname(_llvm_bin()), "lib")
    return [
        ("mlir-translate", [os.path.join(_llvm_bin(), "mlir-translate"),
                            "--mlir-to-llvmir", llvm_dialect_file, "-o",
                            llvm_ir]),
        ("clang", [os.path.join(_llvm_bin(), "clang"), "-O3",
                   "-march=native", "-Wno-override-module", "-shared",
                   "-fPIC", llvm_ir, "-o", library, "-L" + libdir, "-lomp",
                   "-lmlir_c_runner_utils", "-Wl,-rpath," + libdir, "-lm"]),
    ]


def build_native_library(llvm_dialect_file: str, library: str) -> str:
    """Runs native_library_commands; raises CalledProcessError on failure.
    Returns `library`."""
    for _, args in native_library_commands(llvm_dialect_file, library):
        subprocess.run(args, check=True)
    return library


def _load_ir(module_or_path: str) -> str:
    """MLIR text from IR text, a .mlir file or an .onnx file."""
    if "func.func" in module_or_path or module_or_path.lstrip().startswith(
            "module"):
        return module_or_path
    if module_or_path.endswith(".onnx"):
        return import_onnx(module_or_path)
    if not os.path.isfile(module_or_path):
        raise FileNotFoundError(f"no model at '{module_or_path}' (expected "
                                f"MLIR text, a .mlir file or an .onnx file)")
    with open(module_or_path) as f:
        return f.read()


def _public_functions(ir: str):
    return [m.group(1) for m in re.finditer(
        r"func\.func\s+(?!private\b)(?:public\s+)?@([\w$.-]+)\s*\(", ir)]


class CompiledModel:
    """A compiled model: call it with numpy arrays."""

    def __init__(self, library_path: str, ir: str, entry: str, target: str,
                 workdir: str):
        self.library_path = library_path
        self.ir = ir
        self.entry = entry
        self.target = target
        self._workdir = workdir
        self._library = ctypes.CDLL(library_path)
        args, results = parse_signature(ir, entry)
        self._function = CompiledFunction(self._library, entry, args, results)

    @property
    def input_types(self):
        return self._function.arg_types

    @property
    def output_types(self):
        return self._function.result_types

    def __call__(self, *inputs):
        return self._function(*inputs)

    def report(self, **options) -> dict:
        """The energy report (green-energy-report/1) of the compiled IR."""
        return energy_report(self.ir, target=self.target, **options)

    def save(self, path: str) -> None:
        """Copies the shared library to `path`."""
        shutil.copyfile(self.library_path, path)

    def __del__(self):
        shutil.rmtree(self._workdir, ignore_errors=True)


# Seconds between "still running" lines of a long step (CLI progress).
HEARTBEAT_S = 15.0


def _run(step: str, args, workdir: str, say=None):
    """Runs one step; on failure raises GreenToolError and keeps the inputs
    of the step as a reproducer. With `say`, a step that runs longer than
    HEARTBEAT_S reports that it is still running, every HEARTBEAT_S."""
    args = [str(a) for a in args]
    with tempfile.TemporaryFile(mode="w+") as out, \
            tempfile.TemporaryFile(mode="w+") as err:
        proc = subprocess.Popen(args, stdout=out, stderr=err, text=True)
        start = time.monotonic()
        while True:
            try:
                proc.wait(timeout=HEARTBEAT_S if say else None)
                break
            except subprocess.TimeoutExpired:
                say(f"  ... {step} still running "
                    f"({time.monotonic() - start:.0f} s)")
        err.seek(0)
        stderr = err.read()
    if proc.returncode != 0:
        keep = tempfile.mkdtemp(prefix="green-reproducer-")
        for name in os.listdir(workdir):
            shutil.copy(os.path.join(workdir, name), keep)
        raise GreenToolError(
            step, proc.returncode,
            stderr + f"\n(reproducer kept in {keep}: {' '.join(args)})")
    return proc


_PASS_CACHE = {}


def has_pass(name: str, tool: Optional[str] = None) -> bool:
    """Whether green-opt (or `tool`) registers pass `--name`, from the
    option list of its --help."""
    exe = str(tool or find_tool("green-opt"))
    if exe not in _PASS_CACHE:
        proc = subprocess.run([exe, "--help"], capture_output=True,
                              text=True, check=False)
        _PASS_CACHE[exe] = set(re.findall(r"^\s+--([\w-]+)",
                                          proc.stdout, flags=re.M))
    return name in _PASS_CACHE[exe]


def _is_torch_module(obj) -> bool:
    return any(c.__module__ == "torch.nn.modules.module" and
               c.__name__ == "Module" for c in type(obj).__mro__)


def compile(module_or_path, target: str = "host",
            objective: str = "energy", threads: int = 0,
            entry: Optional[str] = None, quantize: Optional[str] = None,
            prune=None, progress=None,
            quantize_options: Optional[dict] = None,
            example_inputs=None) -> CompiledModel:
    """Compiles a model for this CPU and returns a callable.

    `module_or_path`: MLIR text, a .mlir file (TOSA or linalg on tensors),
    an .onnx file, or a torch.nn.Module together with `example_inputs`
    (then this is green.torch.compile and the callable also takes torch
    tensors). `target`: a target description name (targets/) or `host`.
    `objective`: what schedule selection minimizes (energy, latency, edp).
    `threads`: cores to use (0: all the target has). `prune`: remove this
    fraction of the channels of layers with constant weights first
    (--green-prune; kept channels compute the same), or a string of
    --green-prune options ("layer-ratios=fc1:0.5,fc2:0.3",
    "energy-target=0.6", "mode=n-m"). `progress`: a callable taking a
    message, called at each step and every HEARTBEAT_S seconds of a long
    one. `quantize`: a --green-quantize scheme (int8, int8-weight-only,
    int4-weight-only, fp16, bf16, mixed); an error when the green-opt in use
    has no such pass. `quantize_options`: more of its options, e.g.
    {"calibration-data": "calib/", "error-budget": 30}. The pass's JSON
    report is then in the returned model's `quantize_report`.
    """
    if _is_torch_module(module_or_path):
        if example_inputs is None:
            raise ValueError("compiling a torch.nn.Module needs "
                             "example_inputs= (one example per input)")
        from green import torch as green_torch
        return green_torch.compile(module_or_path, example_inputs,
                                   target=target, objective=objective,
                                   threads=threads, quantize=quantize,
                                   prune=prune, progress=progress)
    if not isinstance(module_or_path, (str, os.PathLike)):
        raise TypeError(f"expected MLIR text, a .mlir or .onnx path or a "
                        f"torch.nn.Module, got {type(module_or_path).__name__}")
    module_or_path = os.fspath(module_or_path)
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}, "
                         f"got '{objective}'")
    if quantize is not None and quantize not in QUANTIZE_SCHEMES:
        raise ValueError(f"quantize must be one of "
                         f"{', '.join(QUANTIZE_SCHEMES)}, got '{quantize}'")
    if prune is not None and not isinstance(prune, str) and \
            not 0 <= prune < 1:
        raise ValueError(f"prune must be a ratio in [0, 1) or a string of "
                         f"--green-prune options, got {prune}")
    if quantize and not has_pass("green-quantize"):
        raise NotImplementedError(
            f"quantize='{quantize}' needs the --green-quantize pass, which "
            f"{find_tool('green-opt')} does not register (this build has no "
            f"quantization); compile without quantize= for fp32")
    say = progress or (lambda message: None)
    workdir = tempfile.mkdtemp(prefix="green-compile-")
    try:
        say("loading model")
        ir = _load_ir(module_or_path)
        src = os.path.join(workdir, "model.mlir")
        with open(src, "w") as f:
            f.write(ir)
        # Print canonically so that the signature parser sees one form;
        # keep locations (node names) for the energy report.
        opt = find_tool("green-opt")
        # Never write over the input: green-opt maps it into memory, and
        # truncating a mapped file kills it with SIGBUS on large models.
        canonical = os.path.join(workdir, "model.canonical.mlir")
        _run("green-opt", [opt, src, "--mlir-print-debuginfo", "-o",
                           canonical], workdir)
        src = canonical
        with open(src) as f:
            ir = f.read()
        publics = _public_functions(ir)
        if entry is None:
            if len(publics) != 1:
                raise ValueError(
                    "cannot choose the entry function: the module has "
                    f"{len(publics)} public functions "
                    f"({', '.join('@' + p for p in publics) or 'none'}); "
                    "pass entry=")
            entry = publics[0]
        elif entry not in publics:
            raise ValueError(f"no public function @{entry} (public: "
                             f"{', '.join('@' + p for p in publics)})")
        # Fail early on signatures the runtime cannot call.
        parse_signature(ir, entry)

        if prune:
            options = prune if isinstance(prune, str) else f"ratio={prune!r}"
            say(f"pruning ({options})")
            pruned = os.path.join(workdir, "model.pruned.mlir")
            _run("green-opt", [opt, src, f"--green-prune={options}",
                               "--mlir-print-debuginfo", "-o", pruned],
                 workdir, say)
            src = pruned
            with open(src) as f:
                ir = f.read()

        quantize_report = None
        if quantize:
            say(f"quantizing ({quantize})")
            quantized = os.path.join(workdir, "model.quantized.mlir")
            report = os.path.join(workdir, "quantize.json")
            options = {"scheme": quantize, "target": target,
                       "report": report}
            options.update(quantize_options or {})
            text = " ".join(f"{k}={v}" for k, v in options.items())
            # TOSA models (and ONNX imports) reach linalg first.
            pipeline = ("builtin.module(func.func(tosa-to-linalg-named,"
                        "tosa-to-linalg,tosa-to-arith,tosa-to-tensor),"
                        f"green-quantize{{{text}}})")
            _run("green-opt", [opt, src, f"--pass-pipeline={pipeline}",
                               "--mlir-print-debuginfo", "-o", quantized],
                 workdir, say)
            src = quantized
            with open(src) as f:
                ir = f.read()
            with open(report) as f:
                quantize_report = json.load(f)

        lower = (f"target={target} objective={objective} "
                 f"threads={threads}")
        lib = os.path.join(workdir, "model.so")
        say(f"lowering for '{target}' (objective {objective}) to LLVM "
            f"bitcode")
        n_args = len(parse_signature(ir, entry)[0])
        if n_args + 1 <= MAX_GREEN_RUN_ARGUMENTS:
            # green-run lowers (entry marked for the C interface, inputs
            # read-only) and writes bitcode: weights stay binary, where
            # mlir-translate's text takes minutes for large models.
            bitcode = os.path.join(workdir, "model.bc")
            _run("green-run", [
                find_tool("green-run"), src, "--entry", entry,
                f"--pipeline=builtin.module(green-lower-cpu{{{lower}}})",
                "--emit-bitcode", bitcode], workdir, say)
            say("compiling native code (clang -O3)")
            _run("clang", native_library_commands(bitcode, lib)[1][1],
                 workdir, say)
        else:
            lowered = os.path.join(workdir, "model.llvm.mlir")
            _run("green-opt", [opt, src, f"--green-lower-cpu={lower}", "-o",
                               lowered], workdir, say)
            say("compiling native code (mlir-translate, clang -O3)")
            for step, args in native_library_commands(lowered, lib):
                _run(step, args, workdir, say)
        model = CompiledModel(lib, ir, entry, target, workdir)
        model.quantize_report = quantize_report
        return model
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise


def energy_report(module_or_path: str, target: Optional[str] = None,
                  **options) -> dict:
    """The energy report of a model as a dict (schema green-energy-report/1).

    `target` defaults to the module's green.target, else host; other options
    are those of --green-energy-report (threads, operating_point,
    assume_dynamic_size, ...).
    """
    ir = _load_ir(module_or_path)
    with tempfile.TemporaryDirectory(prefix="green-report-") as tmp:
        src = os.path.join(tmp, "model.mlir")
        out = os.path.join(tmp, "report.json")
        with open(src, "w") as f:
            f.write(ir)
        opts = [f"format=json", f"output={out}"]
        if target:
            opts.append(f"target={target}")
        for key, value in options.items():
            opts.append(f"{key.replace('_', '-')}={value}")
        proc = subprocess.run([str(find_tool("green-opt")), src,
                               "--green-energy-report=" + " ".join(opts),
                               "-o", os.devnull], capture_output=True,
                              text=True, check=False)
        if proc.returncode != 0:
            raise GreenToolError("green-opt", proc.returncode, proc.stderr)
        with open(out) as f:
            return json.load(f)

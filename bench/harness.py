#===- harness.py - compile IR with green-opt, call it, time it -------------===#
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Shared by bench/models.py and bench/costmodel.py: the same steps as
# test/Execution/cpu_exec.py and bench/gemm.py (green-opt, mlir-translate,
# clang -O3 -march=native -shared, _mlir_ciface_<entry> through ctypes),
# plus a timer that reports the best of several repeats and their spread.
#===------------------------------------------------------------------------===#

import ctypes
import os
import sys
import subprocess
import time

import numpy as np

# Memref descriptors for the C interface: the green package's (python/).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "python"))
from green.compiler import build_native_library  # noqa: E402
from green.runtime import descriptor_type, to_descriptor  # noqa: E402

LLVM = "/usr/lib/llvm-22"
libc = ctypes.CDLL("libc.so.6")




def lower(green_opt, mlir_path, out_path, pipeline_args):
    """Runs green-opt on a file; returns (stderr text, seconds)."""
    start = time.perf_counter()
    proc = subprocess.run([green_opt, mlir_path] + pipeline_args +
                          ["-o", out_path], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode:
        raise RuntimeError("green-opt %s failed:\n%s" %
                           (" ".join(pipeline_args), proc.stderr))
    return proc.stderr, elapsed


def build_library(llvm_mlir, base):
    """LLVM-dialect file -> shared library; returns the .so path."""
    return build_native_library(llvm_mlir, base + ".so")


class Compiled:
    """A function f(inputs...) -> one f32 tensor, from a shared library."""

    def __init__(self, so_path, entry, out_shape):
        self.lib = ctypes.CDLL(so_path)
        self.fn = getattr(self.lib, "_mlir_ciface_" + entry)
        self.out_shape = tuple(out_shape)
        self.rtype = descriptor_type(len(out_shape))

    def bind(self, *inputs):
        """Returns a no-argument callable that runs once and frees."""
        descs = [ctypes.byref(to_descriptor(x)) for x in inputs]
        self._keep = inputs
        result = self.rtype()
        rref = ctypes.byref(result)
        fn = self.fn

        def call():
            fn(rref, *descs)
            libc.free(ctypes.c_void_p(result.allocated))

        return call

    def __call__(self, *inputs):
        result = self.rtype()
        self.fn(ctypes.byref(result),
                *[ctypes.byref(to_descriptor(x)) for x in inputs])
        size = int(np.prod(self.out_shape))
        buf = (ctypes.c_float * max(size, 1)).from_address(
            result.aligned + 4 * result.offset)
        out = np.ctypeslib.as_array(buf)[:size].reshape(self.out_shape).copy()
        libc.free(ctypes.c_void_p(result.allocated))
        return out


def compile_module(green_opt, src, workdir, name, pipeline_args, entry,
                   out_shape):
    base = os.path.join(workdir, name)
    with open(base + ".mlir", "w") as f:
        f.write(src)
    stderr, _ = lower(green_opt, base + ".mlir", base + ".llvm.mlir",
                      pipeline_args)
    return Compiled(build_library(base + ".llvm.mlir", base), entry,
                    out_shape), stderr


def time_call(call, repeats=5, min_time=0.2):
    """Best and spread (max/min - 1) over `repeats` of the mean time of
    enough calls to last >= min_time seconds."""
    call()
    start = time.perf_counter()
    call()
    once = max(time.perf_counter() - start, 1e-7)
    n = max(1, int(min_time / once))
    means = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(n):
            call()
        means.append((time.perf_counter() - start) / n)
    best = min(means)
    return best, max(means) / best - 1


def time_call_min(call, calls=50, min_time=0.2):
    """Minimum single-call time over max(calls, enough calls to last
    min_time s), and the spread median/min - 1. On a shared machine the
    minimum is the run least disturbed by other jobs."""
    call()
    samples = []
    start = time.perf_counter()
    while len(samples) < calls or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        call()
        samples.append(time.perf_counter() - t0)
        if len(samples) >= 100000:
            break
    best = min(samples)
    return best, float(np.median(samples)) / best - 1


class OpenBLAS:
    """cblas_sgemm on row-major float32 arrays with a fixed thread count."""

    def __init__(self):
        self.lib = ctypes.CDLL("libopenblas.so.0")
        self.sgemm = self.lib.cblas_sgemm
        self.sgemm.argtypes = [ctypes.c_int] * 6 + [
            ctypes.c_float, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p,
            ctypes.c_int, ctypes.c_float, ctypes.c_void_p, ctypes.c_int]

    def set_threads(self, n):
        self.lib.openblas_set_num_threads(n)

    def matmul(self, a, b, out=None):
        m, k = a.shape
        n = b.shape[1]
        if out is None:
            out = np.empty((m, n), dtype=np.float32)
        self.sgemm(101, 111, 111, m, n, k, 1.0, a.ctypes.data,
                   a.strides[0] // 4, b.ctypes.data, b.strides[0] // 4, 0.0,
                   out.ctypes.data, out.strides[0] // 4)
        return out

# ===- runtime.py - call compiled models through the MLIR C interface ------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# ===-----------------------------------------------------------------------=== #
"""numpy arrays in and out of `_mlir_ciface_<f>` functions.

A function compiled by `--green-lower-cpu` from `func.func @f(tensor...) ->
tensor...` is called as `_mlir_ciface_f(Result*, Arg0*, Arg1*, ...)`: every
argument is a pointer to a ranked memref descriptor (allocated, aligned,
offset, sizes[rank], strides[rank]); the results come back in descriptors the
callee fills with newly allocated buffers (one descriptor, or a struct of
them when there are several results), which the caller frees.
"""

import ctypes
import re
from dataclasses import dataclass
from typing import List, Sequence, Tuple

import numpy as np

# MLIR element type -> numpy dtype. i1 is stored one byte per element.
_DTYPES = {
    "f64": np.float64, "f32": np.float32, "f16": np.float16,
    "i64": np.int64, "i32": np.int32, "i16": np.int16, "i8": np.int8,
    "i1": np.bool_,
}

_libc = ctypes.CDLL(None)
_libc.free.argtypes = [ctypes.c_void_p]


@dataclass(frozen=True)
class TensorType:
    """A ranked, statically shaped tensor type: shape and element type."""

    shape: Tuple[int, ...]
    element: str

    @property
    def dtype(self):
        return np.dtype(_DTYPES[self.element])

    def __str__(self):
        dims = "".join(f"{d}x" for d in self.shape)
        return f"tensor<{dims}{self.element}>"


_TENSOR = re.compile(r"tensor<((?:\d+x)*)([a-z0-9]+)>")


def _strip_decorations(text: str) -> str:
    """Drops trailing attribute dictionaries and loc(...) from a type."""
    text = re.sub(r"\s+loc\(.*\)\s*$", "", text.strip(), flags=re.S)
    return re.sub(r"\{.*\}\s*$", "", text.strip(), flags=re.S).strip()


def parse_tensor_type(text: str) -> TensorType:
    """Parses `tensor<4x64xf32>`; raises ValueError for anything else."""
    m = _TENSOR.fullmatch(_strip_decorations(text))
    if not m:
        raise ValueError(f"unsupported type '{text.strip()}': expected a "
                         f"ranked tensor with static shape")
    shape = tuple(int(d) for d in m.group(1).split("x") if d)
    if m.group(2) not in _DTYPES:
        raise ValueError(f"unsupported element type '{m.group(2)}' in "
                         f"'{text.strip()}' (supported: "
                         f"{', '.join(_DTYPES)})")
    return TensorType(shape, m.group(2))


def _split_top_level(text: str) -> List[str]:
    """Splits at commas outside <>, (), [] and {}."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "<([{":
            depth += 1
        elif ch in ">)]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if text[start:].strip():
        parts.append(text[start:])
    return parts


def parse_signature(ir: str, entry: str) -> Tuple[List[TensorType],
                                                   List[TensorType]]:
    """Argument and result types of `func.func @entry` in printed IR."""
    m = re.search(r"func\.func\s+(?:public\s+)?@" + re.escape(entry) +
                  r"\s*\(", ir)
    if not m:
        raise ValueError(f"no function @{entry} in the module")
    # The argument list: up to the matching ')'.
    depth, i = 1, m.end()
    while depth:
        depth += {"(": 1, ")": -1}.get(ir[i], 0)
        i += 1
    args_text = ir[m.end():i - 1]
    rest = ir[i:]
    args = []
    for arg in _split_top_level(args_text):
        args.append(parse_tensor_type(arg.split(":", 1)[1]))
    results = []
    r = re.match(r"\s*->\s*(\((.*?)\)|[^{\s]+)", rest, flags=re.S)
    if r:
        text = r.group(2) if r.group(2) is not None else r.group(1)
        for res in _split_top_level(text):
            results.append(parse_tensor_type(res))
    return args, results


def descriptor_type(rank: int):
    """The ctypes struct of a rank-`rank` memref descriptor."""
    fields = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
              ("offset", ctypes.c_int64)]
    if rank:
        fields += [("sizes", ctypes.c_int64 * rank),
                   ("strides", ctypes.c_int64 * rank)]
    return type(f"MemRef{rank}D", (ctypes.Structure,), {"_fields_": fields})


def to_descriptor(array: np.ndarray):
    """A descriptor viewing `array` (which must stay alive during the call)."""
    desc = descriptor_type(array.ndim)()
    desc.allocated = desc.aligned = array.ctypes.data
    desc.offset = 0
    for i, (size, stride) in enumerate(zip(array.shape, array.strides)):
        desc.sizes[i] = size
        desc.strides[i] = stride // array.itemsize
    return desc


def from_descriptor(desc, ty: TensorType) -> np.ndarray:
    """Copies the data a result descriptor points to into a new array."""
    itemsize = ty.dtype.itemsize
    if ty.shape:
        strides = tuple(s * itemsize for s in desc.strides)
        shape = tuple(desc.sizes)
    else:
        strides, shape = (), ()
    span = sum((n - 1) * s for n, s in zip(shape, strides)) + itemsize
    if any(n == 0 for n in shape):
        return np.zeros(ty.shape, dtype=ty.dtype)
    raw = (ctypes.c_uint8 * span).from_address(desc.aligned +
                                               desc.offset * itemsize)
    view = np.lib.stride_tricks.as_strided(
        np.frombuffer(raw, dtype=ty.dtype, count=span // itemsize),
        shape=shape, strides=strides)
    return np.array(view, copy=True)


class CompiledFunction:
    """A callable over a `_mlir_ciface_` symbol: numpy arrays in and out."""

    def __init__(self, library: ctypes.CDLL, name: str,
                 args: Sequence[TensorType], results: Sequence[TensorType]):
        self.name = name
        self.arg_types = list(args)
        self.result_types = list(results)
        symbol = "_mlir_ciface_" + name
        try:
            self._fn = getattr(library, symbol)
        except AttributeError:
            raise ValueError(f"the compiled library does not export "
                             f"'{symbol}'") from None
        self._fn.restype = None
        if len(self.result_types) == 1:
            self._result_struct = descriptor_type(
                len(self.result_types[0].shape))
        else:
            self._result_struct = type("Results", (ctypes.Structure,), {
                "_fields_": [(f"r{i}", descriptor_type(len(t.shape)))
                             for i, t in enumerate(self.result_types)]})

    def __call__(self, *inputs):
        if len(inputs) != len(self.arg_types):
            raise ValueError(f"@{self.name} takes {len(self.arg_types)} "
                             f"inputs, got {len(inputs)}")
        arrays = []
        for i, (x, ty) in enumerate(zip(inputs, self.arg_types)):
            x = np.asarray(x)
            if x.shape != ty.shape or x.dtype != ty.dtype:
                raise ValueError(
                    f"input {i} of @{self.name}: expected {ty} ({ty.dtype} "
                    f"{list(ty.shape)}), got {x.dtype} {list(x.shape)}")
            arrays.append(np.ascontiguousarray(x))
        descs = [to_descriptor(a) for a in arrays]
        if not self.result_types:
            self._fn(*[ctypes.byref(d) for d in descs])
            return None
        out = self._result_struct()
        self._fn(ctypes.byref(out), *[ctypes.byref(d) for d in descs])
        if len(self.result_types) == 1:
            result_descs = [out]
        else:
            result_descs = [getattr(out, f"r{i}")
                            for i in range(len(self.result_types))]
        inputs_memory = {a.ctypes.data for a in arrays}
        results, freed = [], set()
        for d, ty in zip(result_descs, self.result_types):
            results.append(from_descriptor(d, ty))
            # Results are fresh allocations unless they alias an input.
            if d.allocated and d.allocated not in inputs_memory \
                    and d.allocated not in freed:
                _libc.free(d.allocated)
                freed.add(d.allocated)
        return results[0] if len(results) == 1 else tuple(results)

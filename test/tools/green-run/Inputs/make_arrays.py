# ===- make_arrays.py - .npy inputs and references for green-run tests ---=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Writes the inputs of one test case and numpy's reference results into a
# directory:  make_arrays.py CASE DIR
#
# ===--------------------------------------------------------------------=== #

import os
import sys

import numpy as np


def matmul(rng, save):
    a = rng.standard_normal((7, 33)).astype(np.float32)
    b = rng.standard_normal((33, 257)).astype(np.float32)
    c = (a.astype(np.float64) @ b.astype(np.float64)).astype(np.float32)
    save(a=a, b=b, c=c)
    # Off by 1e-2 in one element only: FAIL names that element.
    wrong = c.copy()
    wrong[3, 100] += 1e-2
    save(wrong=wrong)


def add_clamp(rng, save):
    a = rng.uniform(-1, 1, (4, 64)).astype(np.float32)
    b = rng.uniform(-1, 1, (4, 64)).astype(np.float32)
    save(a=a, b=b, c=np.clip(a + b, -0.5, 0.5).astype(np.float32))
    save(wrong=np.clip(a + b, -0.5, 0.5).astype(np.float32) + 0.01)


def three_results(rng, save):
    a = rng.uniform(-3, 3, (3, 5)).astype(np.float32)
    b = rng.uniform(-3, 3, (5,)).astype(np.float32)
    p = a * b
    save(a=a, b=b, p=p, s=np.array(p.sum(dtype=np.float32)),
         i=p.astype(np.int32))


def dtypes(rng, save):
    h = np.array([0.5, 1, -2, 3.25, 1e-3], np.float16)
    b = np.array([1, -2, 3, 60, -100], np.int8)
    c = np.array([True, False, True, True, False])
    # int8 wraps around (120, -200): the compiled code must too.
    save(h=h, b=b, c=c, h2=h + h, b2=(b + b).astype(np.int8), notc=~c)


def bad(rng, save, out):
    a = rng.uniform(-1, 1, (4, 64)).astype(np.float32)
    save(good=a, f64=a.astype(np.float64), transposed=a.T.copy(),
         fortran=np.asfortranarray(a), i32=(a * 10).astype(np.int32))
    with open(os.path.join(out, "garbage.npy"), "wb") as f:
        f.write(b"this is not an npy file\n")
    # A header that breaks off in the middle of the dictionary.
    header = b"{'descr': '<f4', 'fortran_order': False, 'shape': (4, 64"
    with open(os.path.join(out, "truncated.npy"), "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") +
                header)


def main():
    case, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(0)

    def save(**arrays):
        for name, array in arrays.items():
            np.save(os.path.join(out, name + ".npy"), array)

    if case == "bad":
        bad(rng, save, out)
    else:
        globals()[case](rng, save)


if __name__ == "__main__":
    main()

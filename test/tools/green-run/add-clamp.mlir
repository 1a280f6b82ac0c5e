// TOSA as importers produce it: add and clamp, lowered through linalg.
// RUN: rm -rf %t && %PYTHON %S/Inputs/make_arrays.py add_clamp %t
// RUN: green-run %s %t/a.npy %t/b.npy --expect %t/c.npy --runs 2 | FileCheck %s
// CHECK: output 0  tensor<4x64xf32> vs {{.*}}c.npy: PASS (max abs error 0.000000e+00
// CHECK: status: pass

// A deliberately wrong reference: FAIL, exit code 1, the first mismatch named.
// RUN: not green-run %s %t/a.npy %t/b.npy --expect %t/wrong.npy --runs 2 --json %t/fail.json \
// RUN:   | FileCheck %s --check-prefix=FAIL
// RUN: FileCheck %s --check-prefix=FAIL-JSON < %t/fail.json
// FAIL: output 0  tensor<4x64xf32> vs {{.*}}wrong.npy: FAIL (max abs error 1.0{{[0-9]*}}e-02, max rel error {{.*}}, 256 of 256 elements differ); first at flat index 0: got
// FAIL: status: fail
// FAIL-JSON: "mismatches": 256
// FAIL-JSON-NEXT: "pass": false
// FAIL-JSON: "status": "fail"

// The same reference passes with a tolerance that covers the offset.
// RUN: green-run %s %t/a.npy %t/b.npy --expect %t/wrong.npy --atol 0.02 --runs 1 | FileCheck %s --check-prefix=ATOL
// ATOL: output 0  tensor<4x64xf32> vs {{.*}}wrong.npy: PASS (max abs error 1.0{{[0-9]*}}e-02

// Missing inputs are seeded random data, announced on stderr; same seed,
// same outputs.
// RUN: green-run %s --seed 5 --runs 1 --save-outputs %t/r1 2>&1 | FileCheck %s --check-prefix=RANDOM
// RUN: green-run %s --seed 5 --runs 1 --save-outputs %t/r2 > /dev/null 2>&1
// RUN: cmp %t/r1/add_clamp.result0.npy %t/r2/add_clamp.result0.npy
// RANDOM: note: argument 0 of @add_clamp (tensor<4x64xf32>): random data, seed 5
// RANDOM: note: argument 1 of @add_clamp (tensor<4x64xf32>): random data, seed 6
// RANDOM: input 0   tensor<4x64xf32> random (seed 5)
// RANDOM: status: unchecked

func.func @add_clamp(%a: tensor<4x64xf32>, %b: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %s = tosa.add %a, %b : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  %c = tosa.clamp %s {min_val = -0.5 : f32, max_val = 0.5 : f32} : (tensor<4x64xf32>) -> tensor<4x64xf32>
  return %c : tensor<4x64xf32>
}

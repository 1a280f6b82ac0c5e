// A linalg.matmul on tensors with odd sizes (7x33 times 33x257), compiled with
// the default pipeline and checked against numpy's float64 product.
// RUN: rm -rf %t && %PYTHON %S/Inputs/make_arrays.py matmul %t
// RUN: green-run %s %t/a.npy %t/b.npy --expect %t/c.npy --runs 3 --warmup 1 \
// RUN:   --target cpu-zen3 --save-outputs %t/out --json %t/run.json \
// RUN:   --calibration-point %t/cal.json | FileCheck %s
// RUN: FileCheck %s --check-prefix=JSON < %t/run.json
// RUN: %PYTHON -c "import numpy as np; r = np.load('%t/out/matmul.result0.npy'); \
// RUN:   c = np.load('%t/c.npy'); print(r.dtype, r.shape, bool(np.allclose(r, c, 1e-4, 1e-5)))" \
// RUN:   | FileCheck %s --check-prefix=SAVED

// A second run appends a calibration point that green-calibrate accepts
// (it needs three).
// RUN: green-run %s --input 0=%t/a.npy --input arg1=%t/b.npy --runs 1 --warmup 0 \
// RUN:   --target cpu-zen3 --calibration-point %t/cal.json > /dev/null
// RUN: green-run %s --runs 1 --warmup 0 --target cpu-zen3 \
// RUN:   --calibration-point %t/cal.json > /dev/null 2>&1
// RUN: FileCheck %s --check-prefix=CAL < %t/cal.json
// RUN: green-calibrate %t/cal.json | FileCheck %s --check-prefix=CALIBRATE

// CHECK: @matmul from {{.*}}matmul.mlir (jit)
// CHECK-NEXT: input 0   tensor<7x33xf32> from {{.*}}a.npy
// CHECK-NEXT: input 1   tensor<33x257xf32> from {{.*}}b.npy
// CHECK-NEXT: output 0  tensor<7x257xf32> vs {{.*}}c.npy: PASS (max abs error {{.*}}, 0 of 1799 elements differ) saved to {{.*}}matmul.result0.npy
// CHECK-NEXT: compile {{.*}} s
// CHECK-NEXT: measured    median {{.*}} s, min {{.*}} s, max {{.*}} s (3 runs after 1 warm-up)
// CHECK-NEXT: predicted   latency {{.*}} s, energy {{.*}} J (target cpu-zen3, 1 or all threads per op, as the model chooses, {{[0-9]+}} ops)
// CHECK-NEXT: prediction error {{-?[0-9.]+}}%
// CHECK-NEXT: status: pass

// Keys are written in sorted order.
// JSON: "entry": "matmul"
// JSON: "mode": "jit"
// JSON: "outputs": [
// JSON: "mismatches": 0
// JSON-NEXT: "pass": true
// JSON: "pipeline": "builtin.module(
// JSON: "predicted": {
// JSON: "flops": 118734
// JSON: "target": "cpu-zen3"
// JSON: "work": {
// JSON: "prediction_error":
// JSON: "schema": "green-run/1"
// JSON: "status": "pass"
// JSON: "timing": {
// JSON: "runs": 3
// JSON: "warmup": 1

// SAVED: float32 (7, 257) True

// CAL: "points": [
// CAL: "measured_s":
// CAL: "name": "{{.*}}matmul.mlir@matmul"
// CAL: "threads": 0
// CAL: "class": "fma"
// CAL-NEXT: "contraction": true
// CAL-NEXT: "count": 59367
// CAL-NEXT: "kind": "f32"
// CAL: "name": "{{.*}}matmul.mlir@matmul"
// CAL: "name": "{{.*}}matmul.mlir@matmul"
// CAL: "schema": "green-calibration/1"
// CAL-NEXT: "target": "cpu-zen3"

// CALIBRATE: calibrated 'cpu-zen3' from 3 measurements

func.func @matmul(%a: tensor<7x33xf32>, %b: tensor<33x257xf32>) -> tensor<7x257xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<7x257xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<7x257xf32>) -> tensor<7x257xf32>
  %c = linalg.matmul ins(%a, %b : tensor<7x33xf32>, tensor<33x257xf32>)
                     outs(%init : tensor<7x257xf32>) -> tensor<7x257xf32>
  return %c : tensor<7x257xf32>
}

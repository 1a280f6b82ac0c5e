// What --green-energy-report does with what it cannot cost, and its errors.
// RUN: green-opt %s --split-input-file --verify-diagnostics --green-energy-report="target=cpu-zen3 output=%t.txt" -o /dev/null
// RUN: green-opt %s --split-input-file --green-energy-report="target=cpu-zen3" -o /dev/null 2>/dev/null | FileCheck %s --check-prefix=TABLE

// An op without an energy model is warned about at its location and listed,
// never counted as zero.
func.func @no_model(%a: complex<f32>, %b: complex<f32>) -> complex<f32> {
  // expected-warning @+1 {{energy model: 'complex.add' not costed: no energy model for this op}}
  %0 = complex.add %a, %b : complex<f32>
  return %0 : complex<f32>
}
// TABLE: Not costed (1 ops; totals exclude them)
// TABLE-NEXT: complex.add at {{.*}}energy-report-invalid.mlir:[[@LINE-4]]:8: no energy model for this op

// -----

// A dynamic dimension without assume-dynamic-size: a diagnostic that says so.
func.func @dynamic(%a: tensor<?x64xf32>, %b: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-warning @+1 {{energy model: 'arith.addf' not costed: dynamic dimension}}
  %0 = arith.addf %a, %b : tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}
// TABLE: Not costed (1 ops; totals exclude them)
// TABLE-NEXT: arith.addf at {{.*}}: dynamic dimension and no assumed dynamic size
// (energy-report-assume.mlir costs it with assume-dynamic-size.)

// -----

// Ops inside a loop with constant trips are counted per trip; a loop without
// a constant trip count is counted once, with a note.
func.func @loops(%m: memref<8x8xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    linalg.add ins(%m, %m : memref<8x8xf32>, memref<8x8xf32>) outs(%m : memref<8x8xf32>)
  }
  scf.for %i = %c0 to %n step %c1 {
    linalg.add ins(%m, %m : memref<8x8xf32>, memref<8x8xf32>) outs(%m : memref<8x8xf32>)
  }
  return
}
// 4 trips x 64 adds + 1 x 64 adds = 320 flop.
// TABLE: arithmetic              320 flop
// TABLE: loop at {{.*}}energy-report-invalid.mlir:{{[0-9]+}}:{{[0-9]+}} has no constant trip count: its body is counted once

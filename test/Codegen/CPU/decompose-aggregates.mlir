// RUN: green-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(green-cpu-decompose-aggregates))" | FileCheck %s

// linalg.softmax becomes structured ops: max and sum reductions, the
// exponentials and the division.
// CHECK-LABEL: func.func @softmax
// CHECK-NOT: linalg.softmax
// CHECK: arith.maxnumf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: arith.divf
func.func @softmax(%x: tensor<7x257xf32>) -> tensor<7x257xf32> {
  %e = tensor.empty() : tensor<7x257xf32>
  %r = linalg.softmax dimension(1) ins(%x : tensor<7x257xf32>) outs(%e : tensor<7x257xf32>) -> tensor<7x257xf32>
  return %r : tensor<7x257xf32>
}

// -----

// Structured ops are left alone.
// CHECK-LABEL: func.func @negative_structured
// CHECK: linalg.matmul
func.func @negative_structured(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %c: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

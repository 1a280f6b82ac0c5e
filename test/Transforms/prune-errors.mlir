// Bad options give clear errors.
// RUN: not green-opt %s --green-prune="ratio=1.0" 2>&1 | FileCheck %s --check-prefix=ONE
// RUN: not green-opt %s --green-prune="ratio=-0.1" 2>&1 | FileCheck %s --check-prefix=NEG
// RUN: not green-opt %s --green-prune="layers=fc9" 2>&1 | FileCheck %s --check-prefix=LAYER
// RUN: not green-opt %s --green-prune="energy-target=1.5" 2>&1 | FileCheck %s --check-prefix=ENERGY
// RUN: not green-opt %s --green-prune="importance=l3" 2>&1 | FileCheck %s --check-prefix=IMP

// ONE: error: green-prune: ratio must be in [0, 1), got 1
// NEG: error: green-prune: ratio must be in [0, 1), got -0.1
// LAYER: error: green-prune: no prunable layer named 'fc9' (layers: fc1, fc2)
// ENERGY: error: green-prune: energy-target must be in (0, 1] or 0 (off), got 1.5
// IMP: for the --importance option: Cannot find option named 'l3'!

func.func @mlp(%x: tensor<1x2x3xf32>) -> tensor<1x2x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w1 = "tosa.const"() <{values = dense<1.0> : tensor<1x3x4xf32>}> : () -> tensor<1x3x4xf32>
  %w2 = "tosa.const"() <{values = dense<1.0> : tensor<1x4x2xf32>}> : () -> tensor<1x4x2xf32>
  %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x2x3xf32>, tensor<1x3x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x4xf32> loc("fc1")
  %y = tosa.matmul %h, %w2, %zp, %zp : (tensor<1x2x4xf32>, tensor<1x4x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2xf32> loc("fc2")
  return %y : tensor<1x2x2xf32>
}

// Round trip of the green dialect's attributes.
// RUN: green-opt %s --split-input-file | green-opt --split-input-file | FileCheck %s

// A module names its target.
// CHECK-LABEL: module attributes {green.target = #green.target<"cpu-zen4">}
module attributes {green.target = #green.target<"cpu-zen4">} {
  func.func @f() {
    return
  }
}

// -----

// Names with dots, digits and underscores (e.g. a calibrated copy).
// CHECK-LABEL: module attributes {green.target = #green.target<"cpu-zen3_calibrated.v2">}
module attributes {green.target = #green.target<"cpu-zen3_calibrated.v2">} {
}

// -----

// The attribute can appear as an ordinary attribute value too (e.g. in a
// report or a pass option), not only as the module's green.target.
// CHECK-LABEL: func.func @attr_as_value
// CHECK-SAME: targets = [#green.target<"gpu-h100">, #green.target<"tpu-like">]
func.func @attr_as_value() attributes {targets = [#green.target<"gpu-h100">, #green.target<"tpu-like">]} {
  return
}

// -----

// A CPU schedule on a contraction round-trips.
// CHECK-LABEL: func.func @cpu_schedule
// CHECK: green.cpu_schedule = #green.cpu_schedule<tile = [64, 256, 8], register_tile = [4, 16, 4], parallel_dim = 0, threads = 2, operating_point = 1>
func.func @cpu_schedule(%a: tensor<64x8xf32>, %b: tensor<8x256xf32>, %c: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %r = linalg.matmul {green.cpu_schedule = #green.cpu_schedule<tile = [64, 256, 8], register_tile = [4, 16, 4], parallel_dim = 0, threads = 2, operating_point = 1>}
         ins(%a, %b : tensor<64x8xf32>, tensor<8x256xf32>) outs(%c : tensor<64x256xf32>) -> tensor<64x256xf32>
  return %r : tensor<64x256xf32>
}

// -----

// pack_b is printed only when set.
// CHECK-LABEL: func.func @cpu_schedule_packed
// CHECK: green.cpu_schedule = #green.cpu_schedule<tile = [64, 256, 8], register_tile = [4, 16, 4], parallel_dim = -1, threads = 1, operating_point = 1, pack_b = true>
// CHECK: green.cpu_schedule = #green.cpu_schedule<tile = [64, 256, 8], register_tile = [4, 16, 4], parallel_dim = -1, threads = 1, operating_point = 1>}
func.func @cpu_schedule_packed(%a: tensor<64x8xf32>, %b: tensor<8x256xf32>, %c: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %r = linalg.matmul {green.cpu_schedule = #green.cpu_schedule<tile = [64, 256, 8], register_tile = [4, 16, 4], parallel_dim = -1, threads = 1, operating_point = 1, pack_b = true>}
         ins(%a, %b : tensor<64x8xf32>, tensor<8x256xf32>) outs(%c : tensor<64x256xf32>) -> tensor<64x256xf32>
  %s = linalg.matmul {green.cpu_schedule = #green.cpu_schedule<tile = [64, 256, 8], register_tile = [4, 16, 4], parallel_dim = -1, threads = 1, operating_point = 1, pack_b = false>}
         ins(%a, %b : tensor<64x8xf32>, tensor<8x256xf32>) outs(%r : tensor<64x256xf32>) -> tensor<64x256xf32>
  return %s : tensor<64x256xf32>
}

// -----

// Sparsity attributes on weight constants round-trip; the verifier accepts
// values that hold the pattern.
// CHECK-LABEL: func.func @sparsity
// CHECK: green.sparsity = #green.nm_sparsity<n = 2, m = 4, axis = 1>
// CHECK: green.sparsity = #green.unstructured_sparsity<nonzeros = 2, total = 4>
func.func @sparsity() -> (tensor<1x4x2xf32>, tensor<4xf32>) {
  %a = "tosa.const"() <{values = dense<[[[1.0, 0.0], [0.0, 2.0], [3.0, 0.0], [0.0, 4.0]]]> : tensor<1x4x2xf32>}> {green.sparsity = #green.nm_sparsity<n = 2, m = 4, axis = 1>} : () -> tensor<1x4x2xf32>
  %b = "tosa.const"() <{values = dense<[1.0, 0.0, 2.0, 0.0]> : tensor<4xf32>}> {green.sparsity = #green.unstructured_sparsity<nonzeros = 2, total = 4>} : () -> tensor<4xf32>
  return %a, %b : tensor<1x4x2xf32>, tensor<4xf32>
}

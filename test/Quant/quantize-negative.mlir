// RUN: green-opt %s --green-quantize="scheme=int8-weight-only target=cpu-zen3" --verify-diagnostics | FileCheck %s

// The weight is an argument, not a constant: not a layer, nothing changes.
// CHECK-LABEL: func.func @negative_weight_argument
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<4x3xf32>) outs(%{{.*}} : tensor<2x3xf32>)
// CHECK-NOT: quant.
// CHECK-NOT: xi8>
// expected-remark @+1 {{green-quantize: no layer to quantize}}
func.func @negative_weight_argument(%x: tensor<2x4xf32>, %w: tensor<4x3xf32>) -> tensor<2x3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// RUN: green-opt %s --split-input-file --green-fold-quantized-contractions | FileCheck %s

// A model that arrives quantized (ONNX QDQ style): int8 weights as an i8
// constant behind quant.scast, asymmetric activation (zero point 3). The
// matmul becomes i8 x i8 -> i32 with the weights used as they are, and the
// epilogue subtracts zp_x * colsum(W) = 3 * [1+3, 2-4] = [12, -6].
// CHECK-LABEL: func.func @qdq_matmul
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[1, 2], [3, -4]]> : tensor<2x2xi8>
// CHECK-DAG: %[[CORR:.*]] = arith.constant dense<[12, -6]> : tensor<2xi32>
// CHECK: %[[XQ:.*]] = linalg.generic
// CHECK: math.roundeven
// CHECK: linalg.matmul ins(%[[XQ]], %[[W]] : tensor<1x2xi8>, tensor<2x2xi8>) outs(%{{.*}} : tensor<1x2xi32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %[[CORR]] : tensor<1x2xi32>, tensor<2xf32>, tensor<2xi32>)
// CHECK: arith.subi
// CHECK-NOT: quant.
func.func @qdq_matmul(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %wi = arith.constant dense<[[1, 2], [3, -4]]> : tensor<2x2xi8>
  %wq = quant.scast %wi : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>>
  %w = quant.dcast %wq : tensor<2x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>> to tensor<2x2xf32>
  %xq = quant.qcast %x : tensor<1x2xf32> to tensor<1x2x!quant.uniform<i8:f32, 0.1:3>>
  %xd = quant.dcast %xq : tensor<1x2x!quant.uniform<i8:f32, 0.1:3>> to tensor<1x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  %y = linalg.matmul ins(%xd, %w : tensor<1x2xf32>, tensor<2x2xf32>) outs(%f : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// A pair that feeds no contraction is lowered on its own: fake quantization
// (quantize then dequantize) in one element-wise generic.
// CHECK-LABEL: func.func @negative_no_contraction
// CHECK: math.roundeven
// CHECK: arith.fptosi %{{.*}} : f32 to i8
// CHECK: arith.sitofp %{{.*}} : i8 to f32
// CHECK-NOT: quant.
func.func @negative_no_contraction(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.5>>
  %d = quant.dcast %q : tensor<4x!quant.uniform<i8:f32, 0.5>> to tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// Batch matmul with per-tensor weights, symmetric activation: no correction.
// CHECK-LABEL: func.func @batch
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<2x1x2xi8>, tensor<2x2x3xi8>) outs(%{{.*}} : tensor<2x1x3xi32>)
// CHECK-NOT: arith.subi
func.func @batch(%x: tensor<2x1x2xf32>) -> tensor<2x1x3xf32> {
  %wf = arith.constant dense<0.5> : tensor<2x2x3xf32>
  %wq = quant.qcast %wf : tensor<2x2x3xf32> to tensor<2x2x3x!quant.uniform<i8:f32, 0.01>>
  %w = quant.dcast %wq : tensor<2x2x3x!quant.uniform<i8:f32, 0.01>> to tensor<2x2x3xf32>
  %xq = quant.qcast %x : tensor<2x1x2xf32> to tensor<2x1x2x!quant.uniform<i8:f32, 0.1>>
  %xd = quant.dcast %xq : tensor<2x1x2x!quant.uniform<i8:f32, 0.1>> to tensor<2x1x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x1x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x1x3xf32>) -> tensor<2x1x3xf32>
  %y = linalg.batch_matmul ins(%xd, %w : tensor<2x1x2xf32>, tensor<2x2x3xf32>) outs(%f : tensor<2x1x3xf32>) -> tensor<2x1x3xf32>
  return %y : tensor<2x1x3xf32>
}

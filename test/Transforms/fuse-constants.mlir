// RUN: green-opt %s --split-input-file -verify-diagnostics \
// RUN:   --green-fuse="target=cpu-zen3" | FileCheck %s

// Batch norm in inference mode after a 1x1 convolution, (x - mean) * scale +
// beta per channel, folded into the weights and bias:
//   bias = ((b - mean) * scale) + beta = [(0.5-1)*2+0.25, (-1-2)*0.5+3]
//        = [-0.75, 1.5]
//   W[o] = W[o] * scale[o]             = [[2, 4]], [[1.5, 2]]
// CHECK-LABEL: func.func @batch_norm
//   CHECK-DAG:   %[[W:.+]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}2.000000e+00, 4.000000e+00]]], {{\[\[\[}}1.500000e+00, 2.000000e+00]]]]> : tensor<2x1x1x2xf32>}>
//   CHECK-DAG:   %[[B:.+]] = "tosa.const"() <{values = dense<[-7.500000e-01, 1.500000e+00]> : tensor<2xf32>}>
//       CHECK:   %[[C:.+]] = tosa.conv2d %{{.+}}, %[[W]], %[[B]]
//   CHECK-NOT:   tosa.sub
//   CHECK-NOT:   tosa.mul
//   CHECK-NOT:   tosa.add
//       CHECK:   return %[[C]]
func.func @batch_norm(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() <{values = dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() <{values = dense<[0.5, -1.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %mean = "tosa.const"() <{values = dense<[[[[1.0, 2.0]]]]> : tensor<1x1x1x2xf32>}> : () -> tensor<1x1x1x2xf32>
  %scale = "tosa.const"() <{values = dense<[[[[2.0, 0.5]]]]> : tensor<1x1x1x2xf32>}> : () -> tensor<1x1x1x2xf32>
  %beta = "tosa.const"() <{values = dense<[[[[0.25, 3.0]]]]> : tensor<1x1x1x2xf32>}> : () -> tensor<1x1x1x2xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  // expected-remark @+1 {{per-channel tosa.sub folded into the convolution's bias: saves 256 bytes}}
  %s = tosa.sub %c, %mean : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  // expected-remark @+1 {{per-channel tosa.mul folded into the convolution's weights and bias}}
  %m = tosa.mul %s, %scale, %shift : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>, tensor<1xi8>) -> tensor<1x4x4x2xf32>
  // expected-remark @+1 {{per-channel tosa.add folded into the convolution's bias}}
  %a = tosa.add %m, %beta : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return %a : tensor<1x4x4x2xf32>
}

// -----

// The weights have another user: folding would store them twice, so the
// batch norm stays.
// CHECK-LABEL: func.func @negative_shared_weights
//       CHECK:   tosa.conv2d
//       CHECK:   tosa.mul
func.func @negative_shared_weights(%x: tensor<1x4x4x2xf32>) -> (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) {
  %w = "tosa.const"() <{values = dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() <{values = dense<[0.5, -1.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %scale = "tosa.const"() <{values = dense<[[[[2.0, 0.5]]]]> : tensor<1x1x1x2xf32>}> : () -> tensor<1x1x1x2xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %m = tosa.mul %c, %scale, %shift : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>, tensor<1xi8>) -> tensor<1x4x4x2xf32>
  return %m, %w : tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>
}

// -----

// A per-element (not per-channel) operand cannot be folded into the bias.
// CHECK-LABEL: func.func @negative_not_per_channel
//       CHECK:   tosa.add
func.func @negative_not_per_channel(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = "tosa.const"() <{values = dense<1.0> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %k = "tosa.const"() <{values = dense<[[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]]> : tensor<1x2x2x2xf32>}> : () -> tensor<1x2x2x2xf32>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  %a = tosa.add %c, %k : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %a : tensor<1x2x2x2xf32>
}

// -----

// tosa.transpose of a constant, done at compile time.
// CHECK-LABEL: func.func @tosa_transpose
//       CHECK:   %[[T:.+]] = "tosa.const"() <{values = dense<{{\[\[}}1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>}>
//   CHECK-NOT:   tosa.transpose
//       CHECK:   return %[[T]]
func.func @tosa_transpose() -> tensor<3x2xf32> {
  %w = "tosa.const"() <{values = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>}> : () -> tensor<2x3xf32>
  // expected-remark @+1 {{transpose of a constant done at compile time: saves 48 bytes}}
  %t = tosa.transpose %w {perms = array<i32: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %t : tensor<3x2xf32>
}

// -----

// linalg.transpose of a rank-3 constant: out[i][j][k] = in[k][i][j].
// CHECK-LABEL: func.func @linalg_transpose
//       CHECK:   %[[T:.+]] = arith.constant dense<{{\[\[\[}}0, 4], [1, 5]], {{\[\[}}2, 6], [3, 7]]]> : tensor<2x2x2xi32>
//   CHECK-NOT:   linalg.transpose
//       CHECK:   return %[[T]]
func.func @linalg_transpose() -> tensor<2x2x2xi32> {
  %w = arith.constant dense<[[[0, 1], [2, 3]], [[4, 5], [6, 7]]]> : tensor<2x2x2xi32>
  %e = tensor.empty() : tensor<2x2x2xi32>
  // expected-remark @+1 {{transpose of a constant done at compile time}}
  %t = linalg.transpose ins(%w : tensor<2x2x2xi32>) outs(%e : tensor<2x2x2xi32>) permutation = [1, 2, 0]
  return %t : tensor<2x2x2xi32>
}

// -----

// The constant has another user: the transpose stays (it would be stored
// twice). Not fused with anything either, it keeps its named form.
// CHECK-LABEL: func.func @negative_shared_constant
//       CHECK:   %[[C:.+]] = arith.constant
//       CHECK:   linalg.transpose ins(%[[C]] : tensor<2x3xi32>)
func.func @negative_shared_constant() -> (tensor<3x2xi32>, tensor<2x3xi32>) {
  %w = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %e = tensor.empty() : tensor<3x2xi32>
  %t = linalg.transpose ins(%w : tensor<2x3xi32>) outs(%e : tensor<3x2xi32>) permutation = [1, 0]
  return %t, %w : tensor<3x2xi32>, tensor<2x3xi32>
}

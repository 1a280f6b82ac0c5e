// RUN: green-opt %s --pass-pipeline="builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-arith),green-quantize{scheme=int8 target=cpu-zen3 symmetric=false})" 2>/dev/null | FileCheck %s

// TOSA after tosa-to-linalg: tosa.conv2d becomes linalg.conv_2d_nhwc_fhwc
// (weights F x KH x KW x C, per-channel axis 0), the bias broadcast is the
// init that the epilogue adds to, and the asymmetric zero-point correction
// is per output channel (weights sum over KH, KW, C).
// CHECK: #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @tosa_conv
// CHECK: %[[BIAS:.*]] = linalg.generic
// CHECK: linalg.conv_2d_nhwc_fhwc {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x6x6x2xi8>, tensor<3x3x3x2xi8>) outs(%{{.*}} : tensor<1x4x4x3xi32>)
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[CH]], #[[CH]], #{{.*}}]{{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<1x4x4x3xi32>, tensor<3xf32>, tensor<3xi32>) outs(%[[BIAS]] : tensor<1x4x4x3xf32>)
// CHECK: arith.subi
func.func @tosa_conv(%x: tensor<1x6x6x2xf32>) -> tensor<1x4x4x3xf32> {
  %w = "tosa.const"() <{values = dense<[[[[0.25, -0.5], [0.75, 1.0], [0.0, 0.5]], [[0.25, -0.5], [0.75, 1.0], [0.0, 0.5]], [[0.25, -0.5], [0.75, 1.0], [0.0, 0.5]]], [[[1.0, -0.5], [0.75, 1.0], [0.0, 0.5]], [[0.25, -0.5], [0.75, 1.0], [0.0, 0.5]], [[0.25, -0.5], [0.75, 1.0], [0.0, 0.5]]], [[[0.5, -0.5], [0.75, 1.0], [0.0, 0.5]], [[0.25, -0.5], [0.75, 1.0], [0.0, 0.5]], [[0.25, -0.5], [0.75, 1.0], [0.0, 2.0]]]]> : tensor<3x3x3x2xf32>}> : () -> tensor<3x3x3x2xf32>
  %b = "tosa.const"() <{values = dense<[0.1, 0.2, 0.3]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x6x6x2xf32>, tensor<3x3x3x2xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  return %y : tensor<1x4x4x3xf32>
}

// RUN: green-opt %s --green-quantize="scheme=int8 target=cpu-zen3" 2>/dev/null | FileCheck %s

// NHWC convolution: i8 input and filter, i32 accumulator, strides kept; the
// per-channel scale is indexed by the output channel (last dim).
// CHECK: #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @conv
// CHECK: linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<1x6x6x2xi8>, tensor<3x3x2x4xi8>) outs(%{{.*}} : tensor<1x2x2x4xi32>)
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[CH]], #{{.*}}]{{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x2x2x4xi32>, tensor<4xf32>)
func.func @conv(%x: tensor<1x6x6x2xf32>) -> tensor<1x2x2x4xf32> {
  %w = arith.constant dense<0.5> : tensor<3x3x2x4xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%x, %w : tensor<1x6x6x2xf32>, tensor<3x3x2x4xf32>) outs(%f : tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  return %y : tensor<1x2x2x4xf32>
}

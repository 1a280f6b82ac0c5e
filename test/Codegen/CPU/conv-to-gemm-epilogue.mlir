// green-cpu-conv-to-gemm keeps green-fuse's epilogue groups: the GEMM takes
// the group and the epilogue is collapsed onto the GEMM's (n*oh*ow, f) space.
// TOSA's FHWC filters are transposed to HWCF and take the GEMM path too.
// RUN: green-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(green-cpu-conv-to-gemm),canonicalize)" | FileCheck %s

#m4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#c4 = affine_map<(d0, d1, d2, d3) -> (d3)>

// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @hwcf
// CHECK:         %[[G:.*]] = linalg.matmul {green.fusion_group = 4 : i64}
// CHECK-SAME:      -> tensor<256x32xf32>
// CHECK:         %[[R:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] : tensor<1x16x16x32xf32> into tensor<256x32xf32>
// CHECK:         %[[E:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[ID]], #[[ID]]]
// CHECK-SAME:      ins(%[[G]], %{{.*}}, %[[R]] : tensor<256x32xf32>, tensor<32xf32>, tensor<256x32xf32>)
// CHECK-SAME:      attrs = {green.fusion_group = 4 : i64}
// CHECK:         tensor.expand_shape %[[E]] {{\[\[}}0, 1, 2], [3]]
func.func @hwcf(%x: tensor<1x18x18x8xf32>, %w: tensor<3x3x8x32xf32>, %bias: tensor<32xf32>, %res: tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x16x16x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, green.fusion_group = 4 : i64}
     ins(%x, %w : tensor<1x18x18x8xf32>, tensor<3x3x8x32xf32>) outs(%f : tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32>
  %0 = linalg.generic {indexing_maps = [#m4, #c4, #m4, #m4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c, %bias, %res : tensor<1x16x16x32xf32>, tensor<32xf32>, tensor<1x16x16x32xf32>) outs(%e : tensor<1x16x16x32xf32>) attrs = {green.fusion_group = 4 : i64} {
  ^bb0(%a: f32, %b: f32, %r: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %m = arith.maximumf %s, %z : f32
    %y = arith.addf %m, %r : f32
    linalg.yield %y : f32
  } -> tensor<1x16x16x32xf32>
  return %0 : tensor<1x16x16x32xf32>
}

// -----

#m4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// FHWC: the run-time filter viewed as [F, KH*KW*C] is transposed into the
// GEMM's B, then the same GEMM keeps the group.
// CHECK-LABEL: func.func @fhwc
// CHECK:         linalg.transpose ins(%{{.*}} : tensor<32x72xf32>) outs(%{{.*}} : tensor<72x32xf32>) permutation = [1, 0]
// CHECK:         linalg.matmul {green.fusion_group = 5 : i64}
// CHECK:         linalg.generic
// CHECK-SAME:      attrs = {green.fusion_group = 5 : i64}
// CHECK-NOT:     linalg.conv_2d
func.func @fhwc(%x: tensor<1x18x18x8xf32>, %w: tensor<32x3x3x8xf32>) -> tensor<1x16x16x32xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x16x16x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32>
  %c = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, green.fusion_group = 5 : i64}
     ins(%x, %w : tensor<1x18x18x8xf32>, tensor<32x3x3x8xf32>) outs(%f : tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32>
  %0 = linalg.generic {indexing_maps = [#m4, #m4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c : tensor<1x16x16x32xf32>) outs(%e : tensor<1x16x16x32xf32>) attrs = {green.fusion_group = 5 : i64} {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x16x16x32xf32>
  return %0 : tensor<1x16x16x32xf32>
}

// -----

#m4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#c4 = affine_map<(d0, d1, d2, d3) -> (d3)>

// The accumulator starts as the bias broadcast into the output (what
// tosa.conv2d lowers to): that producer is collapsed to (n*oh*ow, f) too and
// is the GEMM's init directly, so tile fusion can fuse it into each tile.
// CHECK-LABEL: func.func @bias_init
// CHECK:         %[[B:.*]] = linalg.generic
// CHECK-SAME:      ins(%{{.*}} : tensor<32xf32>) outs(%{{.*}} : tensor<256x32xf32>)
// CHECK:         linalg.matmul {green.fusion_group = 6 : i64} ins({{.*}}) outs(%[[B]] : tensor<256x32xf32>)
func.func @bias_init(%x: tensor<1x18x18x8xf32>, %w: tensor<3x3x8x32xf32>, %bias: tensor<32xf32>) -> tensor<1x16x16x32xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x16x16x32xf32>
  %b = linalg.generic {indexing_maps = [#c4, #m4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%bias : tensor<32xf32>) outs(%e : tensor<1x16x16x32xf32>) {
  ^bb0(%v: f32, %o: f32):
    linalg.yield %v : f32
  } -> tensor<1x16x16x32xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, green.fusion_group = 6 : i64}
     ins(%x, %w : tensor<1x18x18x8xf32>, tensor<3x3x8x32xf32>) outs(%b : tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32>
  %0 = linalg.generic {indexing_maps = [#m4, #m4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c : tensor<1x16x16x32xf32>) outs(%e : tensor<1x16x16x32xf32>) attrs = {green.fusion_group = 6 : i64} {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x16x16x32xf32>
  return %0 : tensor<1x16x16x32xf32>
}

// -----

#m4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#b4 = affine_map<(d0, d1, d2, d3) -> (0, 0, 0, d3)>

// TOSA's bias is 1x1x1xC indexed (0, 0, 0, d3): its unit dimensions are
// dropped (collapse_shape to C) so that the epilogue, with its residual
// input, can be collapsed onto the GEMM.
// CHECK-LABEL: func.func @tosa_bias
// CHECK:         %[[G:.*]] = linalg.matmul {green.fusion_group = 7 : i64}
// CHECK-DAG:     %[[B:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2, 3]] : tensor<1x1x1x32xf32> into tensor<32xf32>
// CHECK-DAG:     %[[R:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] : tensor<1x16x16x32xf32> into tensor<256x32xf32>
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[G]], %[[B]], %[[R]] : tensor<256x32xf32>, tensor<32xf32>, tensor<256x32xf32>)
// CHECK-SAME:      attrs = {green.fusion_group = 7 : i64}
func.func @tosa_bias(%x: tensor<1x18x18x8xf32>, %w: tensor<3x3x8x32xf32>, %bias: tensor<1x1x1x32xf32>, %res: tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x16x16x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, green.fusion_group = 7 : i64}
     ins(%x, %w : tensor<1x18x18x8xf32>, tensor<3x3x8x32xf32>) outs(%f : tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32>
  %0 = linalg.generic {indexing_maps = [#m4, #b4, #m4, #m4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c, %bias, %res : tensor<1x16x16x32xf32>, tensor<1x1x1x32xf32>, tensor<1x16x16x32xf32>) outs(%e : tensor<1x16x16x32xf32>) attrs = {green.fusion_group = 7 : i64} {
  ^bb0(%a: f32, %b: f32, %r: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %y = arith.addf %s, %r : f32
    linalg.yield %y : f32
  } -> tensor<1x16x16x32xf32>
  return %0 : tensor<1x16x16x32xf32>
}

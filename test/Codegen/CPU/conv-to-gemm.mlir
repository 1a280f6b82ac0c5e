// 2-D convolutions as im2col + GEMM.
// RUN: green-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(green-cpu-conv-to-gemm))" | FileCheck %s
// RUN: green-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(green-cpu-conv-to-gemm),canonicalize,green-cpu-select-schedule{target=cpu-zen4 remarks=false})" | FileCheck %s --check-prefix=SCHED

// NHWC: the input patches are copied into a 1x14x14x3x3x32 tensor
// (n, oh, ow, kh, kw, c; affine indices, the channels contiguous), viewed
// as a 196x288 (N*OH*OW x KH*KW*C) matrix and multiplied by the 288x64
// filter with a linalg.matmul, which schedule selection then schedules.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 + d3, d2 + d4, d5)>
// CHECK-LABEL: func.func @nhwc(
// CHECK: %[[COL:.+]] = linalg.generic {indexing_maps = [#[[IN]], {{.*}}} ins(%{{.+}} : tensor<1x16x16x32xf32>) outs(%{{.+}} : tensor<1x14x14x3x3x32xf32>)
// CHECK-NEXT: ^bb0(%[[I:.+]]: f32, %{{.+}}: f32):
// CHECK-NEXT: linalg.yield %[[I]]
// CHECK: %[[A:.+]] = tensor.collapse_shape %[[COL]] {{\[\[}}0, 1, 2], [3, 4, 5]] : tensor<1x14x14x3x3x32xf32> into tensor<196x288xf32>
// CHECK: %[[W:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2], [3]] : tensor<3x3x32x64xf32> into tensor<288x64xf32>
// CHECK: %[[C:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2], [3]] : tensor<1x14x14x64xf32> into tensor<196x64xf32>
// CHECK: %[[MM:.+]] = linalg.matmul ins(%[[A]], %[[W]] : tensor<196x288xf32>, tensor<288x64xf32>) outs(%[[C]] : tensor<196x64xf32>)
// CHECK: tensor.expand_shape %[[MM]] {{\[\[}}0, 1, 2], [3]] output_shape [1, 14, 14, 64] : tensor<196x64xf32> into tensor<1x14x14x64xf32>
// CHECK-NOT: linalg.conv_2d
// SCHED-LABEL: func.func @nhwc(
// SCHED: linalg.matmul {green.cpu_schedule = #green.cpu_schedule<
func.func @nhwc(%x: tensor<1x16x16x32xf32>, %w: tensor<3x3x32x64xf32>, %o: tensor<1x14x14x64xf32>) -> tensor<1x14x14x64xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x16x32xf32>, tensor<3x3x32x64xf32>) outs(%o : tensor<1x14x14x64xf32>) -> tensor<1x14x14x64xf32>
  return %r : tensor<1x14x14x64xf32>
}

// -----

// NCHW, batch 1: filter (F x C*KH*KW) times patches (C*KH*KW x OH*OW).
// CHECK-LABEL: func.func @nchw
// CHECK: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<40x144xf32>, tensor<144x100xf32>) outs(%{{.+}} : tensor<40x100xf32>)
// SCHED-LABEL: func.func @nchw
// SCHED: linalg.matmul {green.cpu_schedule = #green.cpu_schedule<
func.func @nchw(%x: tensor<1x16x12x12xf32>, %w: tensor<40x16x3x3xf32>, %o: tensor<1x40x10x10xf32>) -> tensor<1x40x10x10xf32> {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x12x12xf32>, tensor<40x16x3x3xf32>) outs(%o : tensor<1x40x10x10xf32>) -> tensor<1x40x10x10xf32>
  return %r : tensor<1x40x10x10xf32>
}

// -----

// A batch of 2 images, strides 2 and dilation (1, 2): still one matmul,
// the batch folded into its m dimension.
// CHECK: #[[S2:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d3, d2 * 2 + d4 * 2, d5)>
// CHECK-LABEL: func.func @nhwc_batch2
// CHECK: linalg.generic {indexing_maps = [#[[S2]], {{.*}} outs(%{{.+}} : tensor<2x2x1x3x3x3xf32>)
// CHECK: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<4x27xf32>, tensor<27x8xf32>) outs(%{{.+}} : tensor<4x8xf32>)
// SCHED-LABEL: func.func @nhwc_batch2
// SCHED: linalg.matmul {green.cpu_schedule
func.func @nhwc_batch2(%x: tensor<2x6x6x3xf32>, %w: tensor<3x3x3x8xf32>, %o: tensor<2x2x1x8xf32>) -> tensor<2x2x1x8xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<2x6x6x3xf32>, tensor<3x3x3x8xf32>) outs(%o : tensor<2x2x1x8xf32>) -> tensor<2x2x1x8xf32>
  return %r : tensor<2x2x1x8xf32>
}

// -----

// A 1x1 convolution with stride 1 is a GEMM on the input itself: no copy.
// CHECK-LABEL: func.func @pointwise
// CHECK-NOT: linalg.generic
// CHECK: %[[A:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2], [3]] : tensor<2x7x5x16xf32> into tensor<70x16xf32>
// CHECK: linalg.matmul ins(%[[A]], %{{.+}} : tensor<70x16xf32>, tensor<16x24xf32>) outs(%{{.+}} : tensor<70x24xf32>)
func.func @pointwise(%x: tensor<2x7x5x16xf32>, %w: tensor<1x1x16x24xf32>, %o: tensor<2x7x5x24xf32>) -> tensor<2x7x5x24xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<2x7x5x16xf32>, tensor<1x1x16x24xf32>) outs(%o : tensor<2x7x5x24xf32>) -> tensor<2x7x5x24xf32>
  return %r : tensor<2x7x5x24xf32>
}

// -----

// Depthwise convolutions and dynamic shapes are left alone.
// CHECK-LABEL: func.func @negative_depthwise
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc
// CHECK: linalg.conv_2d_nhwc_hwcf
func.func @negative_depthwise(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x4xf32>, %o: tensor<1x6x6x4xf32>,
                              %dx: tensor<?x8x8x4xf32>, %dw: tensor<3x3x4x8xf32>, %do: tensor<?x6x6x8xf32>) -> (tensor<1x6x6x4xf32>, tensor<?x6x6x8xf32>) {
  %r = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x8x4xf32>, tensor<3x3x4xf32>) outs(%o : tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  %s = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%dx, %dw : tensor<?x8x8x4xf32>, tensor<3x3x4x8xf32>) outs(%do : tensor<?x6x6x8xf32>) -> tensor<?x6x6x8xf32>
  return %r, %s : tensor<1x6x6x4xf32>, tensor<?x6x6x8xf32>
}

// -----

// Quantized NHWC (i8 input and filter, i32 accumulator): the patches and
// the filter stay i8 and the accumulator view stays i32, so the GEMM is the
// integer one the CPU backend's integer kernels take.
// CHECK-LABEL: func.func @nhwc_i8(
// CHECK: tensor.collapse_shape %{{.+}} : tensor<1x4x4x3x3x8xi8> into tensor<16x72xi8>
// CHECK: tensor.collapse_shape %{{.+}} : tensor<3x3x8x16xi8> into tensor<72x16xi8>
// CHECK: tensor.collapse_shape %{{.+}} : tensor<1x4x4x16xi32> into tensor<16x16xi32>
// CHECK: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<16x72xi8>, tensor<72x16xi8>) outs(%{{.+}} : tensor<16x16xi32>)
// SCHED-LABEL: func.func @nhwc_i8(
// SCHED: linalg.matmul {green.cpu_schedule = #green.cpu_schedule<
func.func @nhwc_i8(%x: tensor<1x6x6x8xi8>, %w: tensor<3x3x8x16xi8>, %o: tensor<1x4x4x16xi32>) -> tensor<1x4x4x16xi32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x6x6x8xi8>, tensor<3x3x8x16xi8>) outs(%o : tensor<1x4x4x16xi32>) -> tensor<1x4x4x16xi32>
  return %r : tensor<1x4x4x16xi32>
}

// -----

// NHWC with an FHWC filter (what tosa.conv2d lowers to): the same im2col;
// the filter viewed as [F, KH*KW*C] has its columns in (kh, kw, c) order, so
// the GEMM's B is its transpose, a linalg.transpose when it is a run-time
// value.
// CHECK-LABEL: func.func @nhwc_fhwc(
// CHECK: %[[COL:.+]] = linalg.generic {{.*}} ins(%{{.+}} : tensor<1x9x9x4xf32>) outs(%{{.+}} : tensor<1x4x4x3x3x4xf32>)
// CHECK: %[[A:.+]] = tensor.collapse_shape %[[COL]] {{\[\[}}0, 1, 2], [3, 4, 5]] : tensor<1x4x4x3x3x4xf32> into tensor<16x36xf32>
// CHECK: %[[FK:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0], [1, 2, 3]] : tensor<8x3x3x4xf32> into tensor<8x36xf32>
// CHECK: %[[B:.+]] = linalg.transpose ins(%[[FK]] : tensor<8x36xf32>) outs(%{{.+}} : tensor<36x8xf32>) permutation = [1, 0]
// CHECK: linalg.matmul ins(%[[A]], %[[B]] : tensor<16x36xf32>, tensor<36x8xf32>) outs(%{{.+}} : tensor<16x8xf32>)
// CHECK-NOT: linalg.conv_2d
// SCHED-LABEL: func.func @nhwc_fhwc(
// SCHED: linalg.matmul {green.cpu_schedule = #green.cpu_schedule<
func.func @nhwc_fhwc(%x: tensor<1x9x9x4xf32>, %w: tensor<8x3x3x4xf32>, %o: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %r = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x9x9x4xf32>, tensor<8x3x3x4xf32>) outs(%o : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  return %r : tensor<1x4x4x8xf32>
}

// -----

// A constant FHWC filter is transposed at compile time: W[k, f] = w[f, k]
// with k = (kh*KW + kw)*C + c. Here F = 2, KH = KW = 1, C = 3 (a 1x1
// convolution: the input is A), w[f, 0, 0, c] = 10*f + c.
// CHECK-LABEL: func.func @nhwc_fhwc_constant(
// CHECK-NOT: linalg.transpose
// CHECK: %[[B:.+]] = arith.constant dense_resource<green_conv_filter_kxf{{.*}}> : tensor<3x2xf32>
// CHECK: linalg.matmul ins(%{{.+}}, %[[B]] : tensor<20x3xf32>, tensor<3x2xf32>)
// CHECK: {-#
// CHECK: green_conv_filter_kxf{{.*}}: "0x0400000000000000000020410000803F000030410000004000004041"
func.func @nhwc_fhwc_constant(%x: tensor<1x4x5x3xf32>, %o: tensor<1x4x5x2xf32>) -> tensor<1x4x5x2xf32> {
  %w = arith.constant dense<[[[[0.0, 1.0, 2.0]]], [[[10.0, 11.0, 12.0]]]]> : tensor<2x1x1x3xf32>
  %r = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x5x3xf32>, tensor<2x1x1x3xf32>) outs(%o : tensor<1x4x5x2xf32>) -> tensor<1x4x5x2xf32>
  return %r : tensor<1x4x5x2xf32>
}

// Convolutions through the whole CPU pipeline: by default im2col + a
// scheduled GEMM (vector FMAs); with conv-to-gemm=false, loops.
// RUN: green-opt %s --green-lower-cpu="target=cpu-zen4 threads=1" | FileCheck %s
// RUN: green-opt %s --green-lower-cpu="target=cpu-zen4 threads=1 conv-to-gemm=false" | FileCheck %s --check-prefix=LOOPS

// CHECK-LABEL: llvm.func @conv(
// CHECK: llvm.intr.fmuladd{{.*}} : (vector<32xf32>, vector<32xf32>, vector<32xf32>) -> vector<32xf32>
// LOOPS-LABEL: llvm.func @conv(
// LOOPS-NOT: vector<32xf32>
// LOOPS: llvm.return
func.func @conv(%x: tensor<1x16x16x32xf32>, %w: tensor<3x3x32x64xf32>) -> tensor<1x14x14x64xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x14x14x64xf32>
  %o = linalg.fill ins(%z : f32) outs(%e : tensor<1x14x14x64xf32>) -> tensor<1x14x14x64xf32>
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x16x32xf32>, tensor<3x3x32x64xf32>) outs(%o : tensor<1x14x14x64xf32>) -> tensor<1x14x14x64xf32>
  return %r : tensor<1x14x14x64xf32>
}

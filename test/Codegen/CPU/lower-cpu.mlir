// The whole CPU pipeline: tensors in, LLVM dialect with C wrappers out,
// accepted by mlir-translate.
// RUN: green-opt %s --split-input-file --green-lower-cpu="target=cpu-zen4" | FileCheck %s
// RUN: green-opt %s --split-input-file --green-lower-cpu="target=cpu-zen3 threads=1" | FileCheck %s --check-prefix=SERIAL
// RUN: green-opt %s --green-lower-cpu="target=cpu-zen4" | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVMIR

// A GEMM: vector FMAs on the chosen register tile, split over threads with
// OpenMP, and a C-callable wrapper that returns the result memref.
// CHECK-LABEL: llvm.func @gemm(
// CHECK: omp.parallel
// CHECK: omp.wsloop
// CHECK: llvm.intr.fmuladd{{.*}} : (vector<32xf32>, vector<32xf32>, vector<32xf32>) -> vector<32xf32>
// CHECK-LABEL: llvm.func @_mlir_ciface_gemm(
// SERIAL-LABEL: llvm.func @gemm(
// SERIAL-NOT: omp.parallel
// SERIAL: llvm.intr.fmuladd{{.*}} -> vector<16xf32>
// SERIAL-LABEL: llvm.func @_mlir_ciface_gemm(
// LLVMIR: define {{.*}} @gemm(
// LLVMIR: call {{.*}} @__kmpc_fork_call
// LLVMIR: define void @_mlir_ciface_gemm(ptr
func.func @gemm(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256x256xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<256x256xf32>) -> tensor<256x256xf32>
  %r = linalg.matmul ins(%a, %b : tensor<256x256xf32>, tensor<256x256xf32>) outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
  return %r : tensor<256x256xf32>
}

// -----

// TOSA elementwise ops go through tosa-to-linalg and become loops.
// CHECK-LABEL: llvm.func @elementwise(
// CHECK: llvm.fmul
// CHECK: llvm.intr.maximum
// CHECK-LABEL: llvm.func @_mlir_ciface_elementwise(
func.func @elementwise(%a: tensor<13x37xf32>, %b: tensor<13x37xf32>) -> tensor<13x37xf32> {
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %0 = tosa.mul %a, %b, %sh : (tensor<13x37xf32>, tensor<13x37xf32>, tensor<1xi8>) -> tensor<13x37xf32>
  %1 = tosa.clamp %0 {min_val = 0.0 : f32, max_val = 3.4e38 : f32} : (tensor<13x37xf32>) -> tensor<13x37xf32>
  return %1 : tensor<13x37xf32>
}

// -----

// A convolution becomes im2col + GEMM; the GEMM (36 x 8 x 36) is vector
// FMAs, its remainders included.
// CHECK-LABEL: llvm.func @conv(
// CHECK: llvm.intr.fmuladd{{.*}} -> vector<8xf32>
// CHECK-NOT: llvm.fmul
// CHECK-LABEL: llvm.func @_mlir_ciface_conv(
func.func @conv(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x4x8xf32>) -> tensor<1x6x6x8xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x6x6x8xf32>
  %o = linalg.fill ins(%z : f32) outs(%e : tensor<1x6x6x8xf32>) -> tensor<1x6x6x8xf32>
  %r = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<1x8x8x4xf32>, tensor<3x3x4x8xf32>) outs(%o : tensor<1x6x6x8xf32>) -> tensor<1x6x6x8xf32>
  return %r : tensor<1x6x6x8xf32>
}

// -----

// Element-wise arith on tensors (as importers and users write it) goes
// through linalg and is bufferized and lowered like the rest.
// CHECK-LABEL: llvm.func @arith_on_tensors(
// CHECK: llvm.fadd
// CHECK: llvm.xor
// CHECK-LABEL: llvm.func @_mlir_ciface_arith_on_tensors(
func.func @arith_on_tensors(%h: tensor<5xf16>, %c: tensor<5xi1>) -> (tensor<5xf16>, tensor<5xi1>) {
  %h2 = arith.addf %h, %h : tensor<5xf16>
  %true = arith.constant dense<true> : tensor<5xi1>
  %notc = arith.xori %c, %true : tensor<5xi1>
  return %h2, %notc : tensor<5xf16>, tensor<5xi1>
}

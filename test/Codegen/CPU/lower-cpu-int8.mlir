// Integer (i8 x i8 -> i32) GEMMs through the whole CPU pipeline: the
// target description, not the host, picks the dot-product instruction.
// cpu-zen4 (avx512vnni): vpdpbusd; cpu-zen3 (AVX2 only): vpmaddwd on
// operands sign-extended to i16, never the saturating vpmaddubsw.
// RUN: green-opt %s --green-lower-cpu="target=cpu-zen4 threads=1" | FileCheck %s --check-prefix=ZEN4
// RUN: green-opt %s --green-lower-cpu="target=cpu-zen4 threads=1" | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=ZEN4-LL
// RUN: green-opt %s --green-lower-cpu="target=cpu-zen4 threads=1" | mlir-translate --mlir-to-llvmir | llc -O3 -mtriple=x86_64-linux-gnu -mcpu=znver4 | FileCheck %s --check-prefix=ZEN4-ASM
// RUN: green-opt %s --green-lower-cpu="target=cpu-zen3 threads=1" | FileCheck %s --check-prefix=ZEN3
// RUN: green-opt %s --green-lower-cpu="target=cpu-zen3 threads=1" | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=ZEN3-LL
// RUN: green-opt %s --green-lower-cpu="target=cpu-zen3 threads=1" | mlir-translate --mlir-to-llvmir | llc -O3 -mtriple=x86_64-linux-gnu -mcpu=znver3 | FileCheck %s --check-prefix=ZEN3-ASM

// ZEN4-LABEL: llvm.func @gemm_i8(
// ZEN4: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"({{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// ZEN4-NOT: pmadd
// ZEN4-LABEL: llvm.func @_mlir_ciface_gemm_i8(
// ZEN4-LL: call <16 x i32> @llvm.x86.avx512.vpdpbusd.512(<16 x i32> {{.*}}, <64 x i8> {{.*}}, <64 x i8> {{.*}})
// ZEN4-ASM: vpdpbusd {{.*}}%zmm
// ZEN3-LABEL: llvm.func @gemm_i8(
// ZEN3: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"({{.*}}) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// ZEN3-NOT: vpdpbusd
// ZEN3-NOT: pmaddubs
// ZEN3-LABEL: llvm.func @_mlir_ciface_gemm_i8(
// ZEN3-LL: call <8 x i32> @llvm.x86.avx2.pmadd.wd(<16 x i16> {{.*}}, <16 x i16> {{.*}})
// ZEN3-LL-NOT: pmaddubs
// ZEN3-LL-NOT: vpdpbusd
// ZEN3-ASM: vpmaddwd {{.*}}%ymm
// ZEN3-ASM-NOT: vpmaddubsw
// ZEN3-ASM-NOT: vpdpbusd
// ZEN3-ASM-NOT: zmm
func.func @gemm_i8(%a: tensor<64x256xi8>, %b: tensor<256x128xi8>) -> tensor<64x128xi32> {
  %z = arith.constant 0 : i32
  %e = tensor.empty() : tensor<64x128xi32>
  %c = linalg.fill ins(%z : i32) outs(%e : tensor<64x128xi32>) -> tensor<64x128xi32>
  %r = linalg.matmul ins(%a, %b : tensor<64x256xi8>, tensor<256x128xi8>) outs(%c : tensor<64x128xi32>) -> tensor<64x128xi32>
  return %r : tensor<64x128xi32>
}

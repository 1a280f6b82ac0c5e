//===- IntegerDotKernels.h - i8 x i8 -> i32 micro-kernels -------*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The integer GEMM micro-kernels of green-cpu-tile-and-vectorize: signed
// int8 operands, exact int32 results, on the target's integer dot-product
// instruction. Internal to lib/Codegen/CPU; the design is in
// docs/quantization-kernels.md.
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_LIB_CODEGEN_CPU_INTEGERDOTKERNELS_H
#define GREEN_LIB_CODEGEN_CPU_INTEGERDOTKERNELS_H

#include "green/Target/TargetDescription.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::green::cpu {

/// Which integer dot-product instruction a target's i8 GEMM kernels use.
enum class IntegerDotKind {
  /// None: integer contractions take the generic vector.contract path.
  None,
  /// AVX-512 VNNI `vpdpbusd` (u8 x s8 -> i32, 4-deep, accumulating) on
  /// 16 x i32 lanes; signed A is made unsigned by A + 128 and corrected
  /// with 128 x column sums of B.
  Avx512Vnni,
  /// AVX2 `vpmaddwd` (s16 x s16 -> i32, 2-deep) on 8 x i32 lanes, both
  /// operands sign-extended to i16 (exact: no saturation).
  Avx2MaddWd,
};

/// The kernel for `target`, from its feature list only (never the host):
/// "avx512vnni" (with 512-bit vectors) -> Avx512Vnni, else "avx2" ->
/// Avx2MaddWd, else None.
IntegerDotKind getIntegerDotKind(const TargetDescription &target);

/// "vpdpbusd", "vpmaddwd" or "none".
llvm::StringRef stringifyIntegerDotKind(IntegerDotKind kind);

/// i32 lanes per accumulator vector of `kind` (16 or 8; 0 for None).
int64_t getIntegerDotLanes(IntegerDotKind kind);

/// The discardable attribute (a string: stringifyIntegerDotKind) that marks
/// the kernels' `vector.contract` groups for green-cpu-lower-vectors.
llvm::StringRef getIntegerDotAttrName();

/// Adds the green-cpu-lower-vectors patterns that turn marked
/// `vector.contract` groups into the x86 intrinsics (llvm.call_intrinsic):
/// "vpdpbusd" -> llvm.x86.avx512.vpdpbusd.512, "vpmaddwd" ->
/// llvm.x86.avx2.pmadd.wd plus an add. Run them after bufferization: the
/// intrinsic calls have no memory-effect model.
void populateIntegerDotLoweringPatterns(RewritePatternSet &patterns);

/// True if `op` computes C[m, n] += sext(A[m, k]) * sext(B[k, n]) with
/// A and B of i8 (or narrower signless integers such as i4 weights, which
/// the packing sign-extends) and C of i32: the body is
/// `acc + extsi(a) * extsi(b)`, A
/// is indexed (m, k), B (k, n) and C (m, n), and there is no batch loop.
/// `dims` receives the m, n and k loop positions.
bool isSignedI8Gemm(linalg::LinalgOp op, std::array<unsigned, 3> *dims);

/// Replaces the cache-tile op `op` (an isSignedI8Gemm whose m, n and k
/// extents are multiples of `mr`, `nr` and 4) with the micro-kernel loop
/// nest of `kind`: B's panel is packed once above the loops that do not
/// change it ([nc/nr][kc/g][nr*g], g = 4 for VNNI (i8, plus the column
/// sums x 128), g = 2 for vpmaddwd (sign-extended to i16)), A's tile is
/// copied once (xor 0x80 for VNNI, sign-extended to i16 for AVX2), then every
/// mr x nr register tile keeps mr * nr / lanes accumulators in registers
/// over the whole k range. Emits nothing and fails on other input.
LogicalResult emitIntegerDotKernel(RewriterBase &rewriter,
                                   linalg::LinalgOp op, int64_t mr,
                                   int64_t nr, IntegerDotKind kind);

} // namespace mlir::green::cpu

#endif // GREEN_LIB_CODEGEN_CPU_INTEGERDOTKERNELS_H

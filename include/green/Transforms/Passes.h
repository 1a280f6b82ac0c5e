//===- Passes.h - green's cross-dialect passes ------------------*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_TRANSFORMS_PASSES_H
#define GREEN_TRANSFORMS_PASSES_H

#include "green/Dialect/Green/IR/GreenDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/Pass.h"

namespace mlir::green {

/// Output format of report passes.
enum class ReportFormat { Table, JSON };

/// What green-fuse minimizes.
enum class FusionObjective { Energy, Latency, EDP };

/// Patterns that do at compile time what a model would otherwise do at run
/// time on constants: transposes of constants, and per-channel affine ops
/// (a batch norm in inference mode) after a tosa.conv2d with constant
/// weights and bias, folded into the convolution. Each only fires when the
/// folded constant has no other user.
void populateFusionConstantFoldingPatterns(RewritePatternSet &patterns);
/// Channel importance measure of green-prune.
enum class PruneImportance { L1, L2 };
/// What green-prune removes: whole channels, N:M blocks or single weights.
enum class PruneMode { Channels, NM, Unstructured };

#define GEN_PASS_DECL
#include "green/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "green/Transforms/Passes.h.inc"

} // namespace mlir::green

#endif // GREEN_TRANSFORMS_PASSES_H

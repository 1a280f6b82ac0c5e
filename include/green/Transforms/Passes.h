//===- Passes.h - green's cross-dialect passes ------------------*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_TRANSFORMS_PASSES_H
#define GREEN_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::green {

/// Output format of report passes.
enum class ReportFormat { Table, JSON };

/// Channel importance measure of green-prune.
enum class PruneImportance { L1, L2 };

#define GEN_PASS_DECL
#include "green/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "green/Transforms/Passes.h.inc"

} // namespace mlir::green

#endif // GREEN_TRANSFORMS_PASSES_H

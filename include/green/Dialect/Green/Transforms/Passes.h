//===- Passes.h - green dialect passes --------------------------*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_DIALECT_GREEN_TRANSFORMS_PASSES_H
#define GREEN_DIALECT_GREEN_TRANSFORMS_PASSES_H

#include "green/Dialect/Green/IR/GreenDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::green {

#define GEN_PASS_DECL
#include "green/Dialect/Green/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "green/Dialect/Green/Transforms/Passes.h.inc"

} // namespace mlir::green

#endif // GREEN_DIALECT_GREEN_TRANSFORMS_PASSES_H

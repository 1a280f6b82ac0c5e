//===- GreenAttrs.h - green dialect attributes ------------------*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_DIALECT_GREEN_IR_GREENATTRS_H
#define GREEN_DIALECT_GREEN_IR_GREENATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"

#define GET_ATTRDEF_CLASSES
#include "green/Dialect/Green/IR/GreenAttrs.h.inc"

namespace mlir::green {

/// Returns the `#green.target` a module carries as `green.target`, or null.
TargetAttr getModuleTarget(ModuleOp module);

} // namespace mlir::green

#endif // GREEN_DIALECT_GREEN_IR_GREENATTRS_H

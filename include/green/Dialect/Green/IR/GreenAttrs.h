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
#include "green/Target/TargetDescription.h"

#define GET_ATTRDEF_CLASSES
#include "green/Dialect/Green/IR/GreenAttrs.h.inc"

namespace mlir::green {

/// Returns the `#green.target` a module carries as `green.target`, or null.
TargetAttr getModuleTarget(ModuleOp module);

/// The target description a pass running on `op` should use: `name` (a pass
/// option) if not empty, else the enclosing module's `green.target`, else
/// `host`; looked up in `extraDirs` first (see lookupTargetDescription).
llvm::Expected<TargetDescription>
lookupTargetFor(Operation *op, llvm::StringRef name,
                llvm::ArrayRef<std::string> extraDirs = {});

} // namespace mlir::green

#endif // GREEN_DIALECT_GREEN_IR_GREENATTRS_H

//===- GreenDialect.cpp - green dialect -----------------------------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Dialect/Green/IR/GreenDialect.h"
#include "green/Dialect/Green/IR/GreenAttrs.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::green;

#include "green/Dialect/Green/IR/GreenDialect.cpp.inc"

void GreenDialect::initialize() { registerAttributes(); }

LogicalResult GreenDialect::verifyOperationAttribute(Operation *op,
                                                     NamedAttribute attr) {
  if (attr.getName() == getTargetAttrName()) {
    if (!isa<TargetAttr>(attr.getValue()))
      return op->emitError() << "'" << getTargetAttrName()
                             << "' must be a #green.target attribute, got "
                             << attr.getValue();
    if (!isa<ModuleOp>(op))
      return op->emitError()
             << "'" << getTargetAttrName()
             << "' may only be attached to a builtin.module, not to '"
             << op->getName() << "'";
    return success();
  }
  if (attr.getName() == CPUScheduleAttr::getAttrName()) {
    auto schedule = dyn_cast<CPUScheduleAttr>(attr.getValue());
    if (!schedule)
      return op->emitError() << "'" << CPUScheduleAttr::getAttrName()
                             << "' must be a #green.cpu_schedule attribute, "
                                "got "
                             << attr.getValue();
    return success();
  }
  if (attr.getName() == getFusionGroupAttrName()) {
    auto id = dyn_cast<IntegerAttr>(attr.getValue());
    if (!id || !id.getType().isInteger(64) || id.getInt() < 0)
      return op->emitError() << "'" << getFusionGroupAttrName()
                             << "' must be a non-negative i64 group id, got "
                             << attr.getValue();
    return success();
  }
  return op->emitError() << "unknown green dialect attribute '"
                         << attr.getName().getValue() << "'";
}

//===- GreenAttrs.cpp - green dialect attributes --------------------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Dialect/Green/IR/GreenAttrs.h"
#include "green/Dialect/Green/IR/GreenDialect.h"
#include "green/Target/TargetDescription.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::green;

#define GET_ATTRDEF_CLASSES
#include "green/Dialect/Green/IR/GreenAttrs.cpp.inc"

void GreenDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "green/Dialect/Green/IR/GreenAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// TargetAttr
//===----------------------------------------------------------------------===//

bool TargetAttr::isValidName(StringRef name) {
  // One rule for attribute names and description file names.
  return isValidTargetName(name);
}

LogicalResult
TargetAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                   StringRef name) {
  if (name.empty())
    return emitError() << "target name must not be empty";
  if (!isValidName(name))
    return emitError() << "invalid target name '" << name
                       << "': expected a letter followed by letters, digits, "
                          "'-', '_' or '.'";
  return success();
}

TargetAttr mlir::green::getModuleTarget(ModuleOp module) {
  return module->getAttrOfType<TargetAttr>(GreenDialect::getTargetAttrName());
}

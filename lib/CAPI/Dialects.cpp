//===- Dialects.cpp - C API for green's dialects and passes ---------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green-c/Dialects.h"

#include "green/Dialect/Green/IR/GreenAttrs.h"
#include "green/Dialect/Green/IR/GreenDialect.h"
#include "green/InitAll.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"
#include "mlir/CAPI/Support.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

using namespace mlir;

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Green, green, green::GreenDialect)

void mlirGreenRegisterDialects(MlirDialectRegistry registry) {
  green::registerAllGreenDialects(*unwrap(registry));
}

void mlirGreenRegisterAllDialects(MlirDialectRegistry registry) {
  DialectRegistry &r = *unwrap(registry);
  registerAllDialects(r);
  registerAllExtensions(r);
  green::registerAllGreenDialects(r);
}

void mlirGreenRegisterPasses(void) { green::registerAllGreenPasses(); }

void mlirGreenRegisterAllPasses(void) {
  registerAllPasses();
  green::registerAllGreenPasses();
}

bool mlirAttributeIsAGreenTarget(MlirAttribute attr) {
  return isa<green::TargetAttr>(unwrap(attr));
}

MlirAttribute mlirGreenTargetAttrGet(MlirContext ctx, MlirStringRef name) {
  StringRef n = unwrap(name);
  if (!green::TargetAttr::isValidName(n))
    return MlirAttribute{nullptr};
  return wrap(green::TargetAttr::get(unwrap(ctx), n));
}

MlirStringRef mlirGreenTargetAttrGetName(MlirAttribute attr) {
  return wrap(cast<green::TargetAttr>(unwrap(attr)).getName());
}

const char *mlirGreenGetVersion(void) { return GREEN_OPT_VERSION; }

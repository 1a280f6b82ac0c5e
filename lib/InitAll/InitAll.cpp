//===- InitAll.cpp - register everything green provides -------------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/InitAll.h"

#include "green/Codegen/CPU/Passes.h"
#include "green/Dialect/Green/IR/GreenDialect.h"
#include "green/Dialect/Green/Transforms/Passes.h"
#include "green/Interfaces/ExternalModels.h"
#include "green/Quant/Passes.h"
#include "green/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"

void mlir::green::registerAllGreenDialects(DialectRegistry &registry) {
  registry.insert<GreenDialect>();
  registerEnergyCostExternalModels(registry);
}

void mlir::green::registerAllGreenPasses() {
  registerGreenDialectPasses();
  registerGreenTransformsPasses();
  registerGreenCodegenCPUPasses();
  registerLowerCPUPipelines();
  registerGreenQuantPasses();
}

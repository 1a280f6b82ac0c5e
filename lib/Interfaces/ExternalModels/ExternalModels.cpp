//===- ExternalModels.cpp - register all energy external models -----------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Interfaces/ExternalModels.h"

#include "ModelUtils.h"

void mlir::green::registerEnergyCostExternalModels(DialectRegistry &registry) {
  energy::registerLinalgEnergyModels(registry);
  energy::registerTosaEnergyModels(registry);
  energy::registerArithEnergyModels(registry);
  energy::registerMathEnergyModels(registry);
  energy::registerTensorEnergyModels(registry);
  energy::registerMemRefEnergyModels(registry);
}

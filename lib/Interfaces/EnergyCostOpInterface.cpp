//===- EnergyCostOpInterface.cpp - target-independent op work -------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Interfaces/EnergyCostOpInterface.h"

#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "green-energy-cost"

using namespace mlir;
using namespace mlir::green;

LogicalResult mlir::green::failToCost(const WorkOptions &options,
                                      const Twine &reason) {
  LLVM_DEBUG(llvm::dbgs() << "cannot cost op: " << reason << "\n");
  if (options.failureReason)
    *options.failureReason = reason.str();
  return failure();
}

#include "green/Interfaces/EnergyCostOpInterface.cpp.inc"

//===- EnergyCostOpInterface.h - target-independent op work -----*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Declares EnergyCostOpInterface (see EnergyCostOpInterface.td for the
// counting rules) and small helpers shared by its implementations.
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_INTERFACES_ENERGYCOSTOPINTERFACE_H
#define GREEN_INTERFACES_ENERGYCOSTOPINTERFACE_H

#include "green/Interfaces/OpWork.h"

#include "mlir/IR/OpDefinition.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/Twine.h"

namespace mlir::green {

/// Returns failure from a getWork implementation (it converts to any
/// FailureOr), recording `reason` in
/// `options.failureReason` when the caller asked for it. Never emits a
/// diagnostic: the caller decides how to report an op it cannot cost.
LogicalResult failToCost(const WorkOptions &options, const Twine &reason);

} // namespace mlir::green

#include "green/Interfaces/EnergyCostOpInterface.h.inc"

#endif // GREEN_INTERFACES_ENERGYCOSTOPINTERFACE_H

//===- TargetSerialization.h - write target descriptions --------*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_TARGET_TARGETSERIALIZATION_H
#define GREEN_TARGET_TARGETSERIALIZATION_H

#include "green/Target/TargetDescription.h"

#include "llvm/Support/JSON.h"

namespace mlir::green {

/// The description as JSON in the schema of docs/targets.md (schema version
/// 1), so that parseTargetDescription(toJSON(t)) gives back `t`. Used by
/// green-calibrate to write calibrated targets.
llvm::json::Value toJSON(const TargetDescription &target,
                         llvm::StringRef notes = "");

} // namespace mlir::green

#endif // GREEN_TARGET_TARGETSERIALIZATION_H

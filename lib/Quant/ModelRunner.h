//===- ModelRunner.h - run a copy of a module on inputs ---------*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Internal to lib/Quant: --green-quantize measures activation ranges and
// output errors by running the model it is compiling.
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_LIB_QUANT_MODELRUNNER_H
#define GREEN_LIB_QUANT_MODELRUNNER_H

#include "green/Runtime/Npy.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace mlir::green {

/// One model input set: one array per entry argument.
using Sample = std::vector<NpyArray>;

/// Lowers `module` (which the call consumes: it is moved into a fresh
/// context through bytecode, so the caller's context is never changed)
/// with the default CPU pipeline, JIT-compiles it for the host and runs
/// `entry` on every sample. Returns the results per sample.
llvm::Expected<std::vector<std::vector<NpyArray>>>
runModel(ModuleOp module, llvm::StringRef entry,
         llvm::ArrayRef<Sample> samples);

} // namespace mlir::green

#endif // GREEN_LIB_QUANT_MODELRUNNER_H

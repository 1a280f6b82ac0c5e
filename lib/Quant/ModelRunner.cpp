//===- ModelRunner.cpp - run a copy of a module on inputs -----------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "ModelRunner.h"

#include "green/Runtime/Executable.h"
#include "green/Runtime/Runner.h"
#include "green/Runtime/Signature.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::green;

llvm::Expected<std::vector<std::vector<NpyArray>>>
mlir::green::runModel(ModuleOp module, llvm::StringRef entry,
                      llvm::ArrayRef<Sample> samples) {
  // A fresh context: lowering loads dialects and must not touch the IR (or
  // the context) of the pass that asked for the run.
  std::string bytes;
  {
    llvm::raw_string_ostream os(bytes);
    if (failed(writeBytecodeToFile(module, os)))
      return llvm::createStringError("cannot serialize the module to run it");
  }
  MLIRContext context(module.getContext()->getDialectRegistry());
  context.allowUnregisteredDialects(
      module.getContext()->allowsUnregisteredDialects());
  ParserConfig config(&context);
  OwningOpRef<ModuleOp> copy = parseSourceString<ModuleOp>(bytes, config);
  if (!copy)
    return llvm::createStringError("cannot re-parse the module to run it");

  llvm::Expected<EntrySignature> signature = getEntrySignature(*copy, entry);
  if (!signature)
    return signature.takeError();
  if (llvm::Error e =
          lowerForExecution(*copy, entry, getDefaultLoweringPipeline()))
    return std::move(e);
  std::vector<std::string> libs = {GREEN_QUANT_C_RUNNER_UTILS, GREEN_QUANT_OMP};
  llvm::Expected<std::unique_ptr<Executable>> exe =
      Executable::jitCompile(*copy, entry, libs);
  if (!exe)
    return exe.takeError();
  std::vector<std::vector<NpyArray>> results;
  for (const Sample &sample : samples) {
    EntryCall call(**exe, *signature, sample);
    results.push_back(call.run());
  }
  return results;
}

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
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::green;

/// Upstream's plain lowering, as in lib/Runtime/Executable.cpp.
static constexpr llvm::StringLiteral kPlainPipeline =
    "builtin.module("
    "func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-arith,"
    "tosa-to-tensor),"
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-deallocation-pipeline,convert-bufferization-to-memref,"
    "convert-vector-to-scf,convert-linalg-to-loops,lower-affine,"
    "convert-scf-to-cf,convert-vector-to-llvm,expand-strided-metadata,"
    "lower-affine,finalize-memref-to-llvm,convert-math-to-llvm,"
    "convert-arith-to-llvm,convert-ub-to-llvm,convert-func-to-llvm,"
    "convert-cf-to-llvm,reconcile-unrealized-casts)";

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
  // Diagnostics of the run are collected into the returned error.
  std::string diagnostics;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &d) {
    if (d.getSeverity() == DiagnosticSeverity::Error)
      diagnostics += "\n  " + d.str();
    return success();
  });
  ParserConfig config(&context);
  auto parse = [&]() { return parseSourceString<ModuleOp>(bytes, config); };
  OwningOpRef<ModuleOp> copy = parse();
  if (!copy)
    return llvm::createStringError("cannot re-parse the module to run it" +
                                   diagnostics);

  // The run is on this machine: generate code for the host, whatever
  // target the module is compiled for (e.g. no AVX-512 on a Zen 3 host for a
  // cpu-zen4 module).
  auto forHost = [](ModuleOp m) { m->removeAttr("green.target"); };
  forHost(*copy);
  llvm::Expected<EntrySignature> signature = getEntrySignature(*copy, entry);
  if (!signature)
    return signature.takeError();
  if (llvm::Error e =
          lowerForExecution(*copy, entry, getDefaultLoweringPipeline())) {
    // The measurement only needs correct code: when the optimizing CPU
    // pipeline cannot lower an op (e.g. an integer kernel it does not
    // handle yet), fall back to upstream's plain lowering (linalg to loops).
    llvm::consumeError(std::move(e));
    std::string first = diagnostics;
    diagnostics.clear();
    copy = parse();
    if (!copy)
      return llvm::createStringError("cannot re-parse the module to run it");
    forHost(*copy);
    if (llvm::Error e2 = lowerForExecution(*copy, entry, kPlainPipeline))
      return llvm::createStringError(llvm::toString(std::move(e2)) + first +
                                     diagnostics);
  }
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

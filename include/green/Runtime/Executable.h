//===- Executable.h - a callable compiled entry function --------*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// green-run calls an entry function through its C interface,
// `_mlir_ciface_<entry>(Results *, ArgDesc *...)`, whether the code was
// JIT-compiled in process (lowerForExecution + jitCompile) or comes from a
// shared library built ahead of time (loadLibrary).
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_RUNTIME_EXECUTABLE_H
#define GREEN_RUNTIME_EXECUTABLE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir {
class ExecutionEngine;

namespace green {

/// Most pointer arguments (result struct included) a call can pass.
constexpr unsigned kMaxCallArguments = 64;

/// The textual pipeline green-run lowers with when none is given:
/// `builtin.module(green-lower-cpu)` once the pass registry has it, else
/// upstream's plain lowering (TOSA to linalg, one-shot bufferization with
/// tensor results returned as new identity-layout memrefs, linalg to loops,
/// everything to the LLVM dialect).
std::string getDefaultLoweringPipeline();

/// Marks `entry` with `llvm.emit_c_interface` and runs `pipeline` (a textual
/// pass pipeline anchored on builtin.module) on `module`. MLIR diagnostics go
/// to the context's handler; a pipeline that does not parse is an error
/// carrying the parser's message.
llvm::Error lowerForExecution(ModuleOp module, llvm::StringRef entry,
                              llvm::StringRef pipeline);

/// A compiled entry function.
class Executable {
public:
  Executable(Executable &&) = delete;
  ~Executable();

  /// JIT-compiles a module in the LLVM dialect at -O3 for the host CPU (its
  /// features included). `sharedLibs` are loaded for symbol resolution
  /// (memrefCopy and friends from libmlir_c_runner_utils).
  static llvm::Expected<std::unique_ptr<Executable>>
  jitCompile(ModuleOp module, llvm::StringRef entry,
             llvm::ArrayRef<std::string> sharedLibs);

  /// Loads `path` (after `sharedLibs`) and finds `_mlir_ciface_<entry>`.
  static llvm::Expected<std::unique_ptr<Executable>>
  loadLibrary(llvm::StringRef path, llvm::StringRef entry,
              llvm::ArrayRef<std::string> sharedLibs);

  /// Calls the C interface. `results` points to the result descriptor (or
  /// struct of descriptors) and is null for a function with no results;
  /// `args` holds one descriptor pointer per argument.
  void call(void *results, llvm::ArrayRef<void *> args) const;

private:
  Executable() = default;

  std::unique_ptr<ExecutionEngine> engine;
  void *function = nullptr;
};

/// Loads shared libraries into the process for good (RTLD_GLOBAL), so that
/// later libraries and JIT code resolve symbols against them.
llvm::Error loadSharedLibraries(llvm::ArrayRef<std::string> paths);

} // namespace green
} // namespace mlir

#endif // GREEN_RUNTIME_EXECUTABLE_H

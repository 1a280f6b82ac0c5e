//===- Executable.cpp - a callable compiled entry function ----------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Runtime/Executable.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <array>
#include <utility>

using namespace mlir;
using namespace mlir::green;

//===----------------------------------------------------------------------===//
// Lowering
//===----------------------------------------------------------------------===//

/// Upstream's plain lowering (the BUFFERIZE + TO_LLVM lists): TOSA to
/// linalg, bufferize with tensor results returned as fresh identity-layout
/// memrefs, linalg to loops, then everything to the LLVM dialect.
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

std::string mlir::green::getDefaultLoweringPipeline() {
  if (PassPipelineInfo::lookup("green-lower-cpu") ||
      PassInfo::lookup("green-lower-cpu"))
    return "builtin.module(green-lower-cpu)";
  return kPlainPipeline.str();
}

llvm::Error mlir::green::lowerForExecution(ModuleOp module,
                                           llvm::StringRef entry,
                                           llvm::StringRef pipeline) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return llvm::createStringError("entry function @" + entry + " not found");
  MLIRContext *ctx = module.getContext();
  func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                UnitAttr::get(ctx));
  // Inputs are shared by every timed call: bufferization must not write into
  // them.
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
    func.setArgAttr(i, "bufferization.writable", BoolAttr::get(ctx, false));

  // Pipelines are anchored on builtin.module; a bare list of passes gets
  // the anchor added, as in --pass-pipeline="builtin.module(...)".
  std::string text = pipeline.trim().str();
  if (!llvm::StringRef(text).starts_with("builtin.module("))
    text = "builtin.module(" + text + ")";
  std::string parseErrors;
  llvm::raw_string_ostream errorStream(parseErrors);
  FailureOr<OpPassManager> parsed = parsePassPipeline(text, errorStream);
  if (failed(parsed))
    return llvm::createStringError("invalid --pipeline '" + pipeline +
                                   "': " + llvm::StringRef(parseErrors).trim());
  PassManager pm(ctx);
  static_cast<OpPassManager &>(pm) = *parsed;
  if (failed(pm.run(module)))
    return llvm::createStringError("lowering pipeline failed (see the "
                                   "diagnostics above)");
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Executable
//===----------------------------------------------------------------------===//

Executable::~Executable() = default;

llvm::Error
mlir::green::loadSharedLibraries(llvm::ArrayRef<std::string> paths) {
  for (const std::string &path : paths) {
    std::string error;
    if (llvm::sys::DynamicLibrary::LoadLibraryPermanently(path.c_str(),
                                                          &error))
      return llvm::createStringError("cannot load shared library '" + path +
                                     "': " + error);
  }
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<Executable>>
Executable::jitCompile(ModuleOp module, llvm::StringRef entry,
                       llvm::ArrayRef<std::string> sharedLibs) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();

  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  // green-lower-cpu parallelizes with OpenMP (omp.parallel, omp.wsloop).
  registerOpenMPDialectTranslation(registry);
  module.getContext()->appendDialectRegistry(registry);

  // The host's CPU and features, as clang's -march=native would pick them.
  auto tmBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!tmBuilder)
    return tmBuilder.takeError();
  tmBuilder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  auto tm = tmBuilder->createTargetMachine();
  if (!tm)
    return tm.takeError();

  auto transformer =
      makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0, tm->get());
  llvm::SmallVector<llvm::StringRef> libs(sharedLibs.begin(),
                                          sharedLibs.end());
  ExecutionEngineOptions options;
  options.transformer = transformer;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  options.sharedLibPaths = libs;
  options.enableGDBNotificationListener = false;
  options.enablePerfNotificationListener = false;
  auto engine = ExecutionEngine::create(module, options, std::move(*tm));
  if (!engine)
    return engine.takeError();
  (*engine)->initialize();

  std::string symbol = ("_mlir_ciface_" + entry).str();
  auto function = (*engine)->lookup(symbol);
  if (!function)
    return llvm::joinErrors(
        llvm::createStringError("the lowered module has no '" + symbol +
                                "' (does the pipeline keep the C interface "
                                "of the entry function?)"),
        function.takeError());

  std::unique_ptr<Executable> exe(new Executable());
  exe->engine = std::move(*engine);
  exe->function = *function;
  return exe;
}

llvm::Expected<std::unique_ptr<Executable>>
Executable::loadLibrary(llvm::StringRef path, llvm::StringRef entry,
                        llvm::ArrayRef<std::string> sharedLibs) {
  if (auto err = loadSharedLibraries(sharedLibs))
    return std::move(err);
  // dlopen searches the library path for names without a '/'.
  llvm::SmallString<256> absolute(path);
  llvm::sys::fs::make_absolute(absolute);
  std::string error;
  llvm::sys::DynamicLibrary lib =
      llvm::sys::DynamicLibrary::getPermanentLibrary(absolute.c_str(), &error);
  if (!lib.isValid())
    return llvm::createStringError("cannot load library '" + path +
                                   "': " + error);
  std::string symbol = ("_mlir_ciface_" + entry).str();
  void *function = lib.getAddressOfSymbol(symbol.c_str());
  if (!function)
    return llvm::createStringError(
        "library '" + path + "' does not export '" + symbol +
        "' (compile the entry function with llvm.emit_c_interface)");
  std::unique_ptr<Executable> exe(new Executable());
  exe->function = function;
  return exe;
}

//===----------------------------------------------------------------------===//
// Calls with any number of pointer arguments
//===----------------------------------------------------------------------===//

namespace {
template <size_t I>
using VoidPtr = void *;

template <size_t... I>
void callWith(void *fn, void *const *args, std::index_sequence<I...>) {
  using Fn = void (*)(VoidPtr<I>...);
  reinterpret_cast<Fn>(fn)(args[I]...);
}

using Caller = void (*)(void *, void *const *);

template <size_t N>
void callN(void *fn, void *const *args) {
  callWith(fn, args, std::make_index_sequence<N>());
}

template <size_t... N>
constexpr std::array<Caller, sizeof...(N)>
makeCallers(std::index_sequence<N...>) {
  return {&callN<N>...};
}

constexpr auto kCallers =
    makeCallers(std::make_index_sequence<kMaxCallArguments + 1>());
} // namespace

void Executable::call(void *results, llvm::ArrayRef<void *> args) const {
  llvm::SmallVector<void *, 16> all;
  if (results)
    all.push_back(results);
  all.append(args.begin(), args.end());
  assert(all.size() <= kMaxCallArguments && "too many arguments");
  kCallers[all.size()](function, all.data());
}

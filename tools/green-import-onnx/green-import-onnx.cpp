//===- green-import-onnx.cpp - import an ONNX model as TOSA on tensors ----===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Reads an ONNX model and writes an MLIR module (TOSA on static tensors, ONNX
// node names as locations) that green-opt accepts:
//
//   green-import-onnx model.onnx -o model.mlir --dim batch=1
//   green-import-onnx model.onnx --input-shape x=1x3x224x224 --const-input flag=1
//
// On any error nothing is written: the output file is created only once the
// module is imported and verified (and removed again if writing it fails).
//
//===----------------------------------------------------------------------===//

#include "green/Import/ONNX/ONNXImporter.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
using namespace mlir::green;
namespace cl = llvm::cl;

static cl::OptionCategory category("green-import-onnx options");
static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<model.onnx>"),
                                      cl::cat(category));
static cl::opt<std::string> outputFile("o",
                                       cl::desc("Output file (default: stdout)"),
                                       cl::value_desc("file"), cl::init("-"),
                                       cl::cat(category));
static cl::list<std::string>
    dims("dim",
         cl::desc("Value of a symbolic dimension, e.g. --dim batch=1 "
                  "(repeatable)"),
         cl::value_desc("name=value"), cl::cat(category));
static cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("Static shape of a graph input, e.g. --input-shape "
             "x=1x3x224x224 (repeatable; `scalar` for rank 0)"),
    cl::value_desc("name=AxBxC"), cl::cat(category));
static cl::list<std::string> constInputs(
    "const-input",
    cl::desc("Replace a graph input by a constant, so that branches on it "
             "fold, e.g. --const-input training=0 (one value is splatted; "
             "else one per element, comma-separated)"),
    cl::value_desc("name=value[,value...]"), cl::cat(category));
static cl::opt<std::string>
    funcName("func-name", cl::desc("Name of the imported function"),
             cl::init("main"), cl::cat(category));
static cl::opt<int64_t> inlineLimit(
    "inline-limit",
    cl::desc("Constants with more elements become dense_resource blobs"),
    cl::init(16), cl::cat(category));
static cl::opt<bool>
    emitBytecode("emit-bytecode",
                 cl::desc("Write MLIR bytecode instead of text"),
                 cl::init(false), cl::cat(category));
static cl::opt<bool> noTransposePropagation(
    "no-transpose-propagation",
    cl::desc("Keep the layout transposes where the ops put them (to compare)"),
    cl::init(false), cl::cat(category));
static cl::opt<bool> printDebugInfo(
    "mlir-print-debuginfo",
    cl::desc("Print locations (ONNX node names) in the textual output"),
    cl::init(false), cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "green-import-onnx") << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "green-import-onnx: import an ONNX model (opsets 9 to 18) as TOSA on "
      "static tensors\n");

  OnnxImportOptions options;
  options.funcName = funcName;
  options.inlineElementLimit = inlineLimit;
  options.propagateTransposes = !noTransposePropagation;
  for (const std::string &d : dims)
    if (llvm::Error err = parseOnnxDimOption(d, options))
      return fail(llvm::toString(std::move(err)));
  for (const std::string &s : inputShapes)
    if (llvm::Error err = parseOnnxInputShapeOption(s, options))
      return fail(llvm::toString(std::move(err)));
  for (const std::string &c : constInputs)
    if (llvm::Error err = parseOnnxConstInputOption(c, options))
      return fail(llvm::toString(std::move(err)));

  DialectRegistry registry;
  registerOnnxImportDialects(registry);
  MLIRContext context(registry);
  // Diagnostics name the model file; node errors say which node.
  bool hadError = false;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    llvm::raw_ostream &os = llvm::errs();
    os << inputFile << ": ";
    if (diag.getSeverity() == DiagnosticSeverity::Error) {
      hadError = true;
      llvm::WithColor::error(os, "", /*DisableColors=*/true);
    } else if (diag.getSeverity() == DiagnosticSeverity::Warning) {
      llvm::WithColor::warning(os, "", true);
    } else {
      llvm::WithColor::note(os, "", true);
    }
    os << diag.str() << "\n";
    for (Diagnostic &note : diag.getNotes())
      os << inputFile << ": note: " << note.str() << "\n";
    return success();
  });

  OwningOpRef<ModuleOp> module =
      importOnnxModelFile(&context, inputFile, options);
  if (!module || hadError)
    return 1;

  // ToolOutputFile removes the file unless kept; write everything first.
  std::error_code ec;
  llvm::ToolOutputFile out(outputFile, ec,
                           emitBytecode ? llvm::sys::fs::OF_None
                                        : llvm::sys::fs::OF_Text);
  if (ec)
    return fail("cannot write '" + outputFile + "': " + ec.message());
  if (emitBytecode) {
    if (failed(writeBytecodeToFile(*module, out.os())))
      return fail("cannot write bytecode");
  } else {
    OpPrintingFlags flags;
    if (printDebugInfo)
      flags.enableDebugInfo();
    module->print(out.os(), flags);
  }
  out.os().flush();
  if (out.os().has_error())
    return fail("cannot write '" + outputFile + "'");
  out.keep();
  return 0;
}

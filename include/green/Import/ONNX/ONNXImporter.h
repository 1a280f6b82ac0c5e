//===- ONNXImporter.h - ONNX model to TOSA/linalg on tensors ----*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Imports an ONNX model (opsets 9 to 18 of the default domain) into a module
// holding one `func.func` on ranked, static tensors. Ops become TOSA (and
// tensor/math where TOSA has no op); initializers become `tosa.const` ops whose
// large values are `dense_resource` blobs; every op carries the ONNX node name
// as a `NameLoc`. Errors are reported through the context's diagnostic engine
// and the import returns null; nothing is written anywhere.
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_IMPORT_ONNX_ONNXIMPORTER_H
#define GREEN_IMPORT_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBufferRef.h"

#include <string>

namespace mlir {
class DialectRegistry;
class MLIRContext;

namespace green {

/// What the importer cannot read from the model itself.
struct OnnxImportOptions {
  /// Values of symbolic dimensions (`dim_param`), by name (`--dim N=1`).
  llvm::StringMap<int64_t> dimValues;
  /// Full static shapes of graph inputs, by input name; they win over
  /// `dimValues` (`--input-shape x=1x3x224x224`).
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
  /// Graph inputs replaced by constants, by input name: one value (splatted
  /// to the input's shape) or one value per element, in row-major order
  /// (`--const-input flag=1`). Branches (`If`) on such inputs fold.
  llvm::StringMap<llvm::SmallVector<double>> constInputs;
  /// Name of the imported function; empty means `main`.
  std::string funcName;
  /// Constants with more elements than this are `dense_resource` blobs;
  /// smaller ones (and splats) are printed inline.
  int64_t inlineElementLimit = 16;
  /// Sink layout transposes below element-wise ops and cancel the pairs
  /// that meet (`--no-transpose-propagation` turns it off, to compare).
  bool propagateTransposes = true;
};

/// Parses `name=value` (a `--dim` option) into `options.dimValues`.
llvm::Error parseOnnxDimOption(llvm::StringRef text,
                               OnnxImportOptions &options);
/// Parses `name=AxBxC` (an `--input-shape` option); `name=scalar` gives a
/// rank-0 shape.
llvm::Error parseOnnxInputShapeOption(llvm::StringRef text,
                                      OnnxImportOptions &options);
/// Parses `name=v` or `name=v1,v2,...` (a `--const-input` option).
llvm::Error parseOnnxConstInputOption(llvm::StringRef text,
                                      OnnxImportOptions &options);

/// Registers the dialects imported modules use (func, tosa, tensor, arith,
/// math).
void registerOnnxImportDialects(DialectRegistry &registry);

/// Imports the serialized ONNX model in `buffer`; its identifier names the
/// model in diagnostics and locates external tensor data. Returns null after
/// emitting diagnostics on failure.
OwningOpRef<ModuleOp> importOnnxModel(MLIRContext *context,
                                      llvm::MemoryBufferRef buffer,
                                      const OnnxImportOptions &options);

/// Reads and imports the ONNX model file at `path`.
OwningOpRef<ModuleOp> importOnnxModelFile(MLIRContext *context,
                                          llvm::StringRef path,
                                          const OnnxImportOptions &options);

} // namespace green
} // namespace mlir

#endif // GREEN_IMPORT_ONNX_ONNXIMPORTER_H

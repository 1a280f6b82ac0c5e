//===- ModelLoader.cpp - parse ONNX protobufs, run shape inference --------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The only file of the importer that calls into libonnx: it is compiled with
// exceptions (libonnx reports shape-inference failures by throwing) so that
// they become error messages instead of aborting the compiler.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include <exception>

using namespace mlir;
using namespace mlir::green::onnx_import;

llvm::Error mlir::green::onnx_import::parseOnnxModel(llvm::MemoryBufferRef buffer,
                                                    onnx::ModelProto &model) {
  llvm::StringRef bytes = buffer.getBuffer();
  if (bytes.empty())
    return llvm::createStringError("the file is empty");
  if (bytes.size() > static_cast<size_t>(INT_MAX))
    return llvm::createStringError("the file is larger than 2 GiB: store "
                                   "the weights as ONNX external data");
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return llvm::createStringError(
        "cannot parse the file as an ONNX model: it is corrupt or "
        "truncated");
  if (!model.has_graph() || model.ir_version() == 0)
    return llvm::createStringError(
        "not an ONNX model (no graph or IR version): the file is corrupt, "
        "truncated or of another format");
  return llvm::Error::success();
}

std::string mlir::green::onnx_import::runOnnxShapeInference(
    onnx::ModelProto &model) {
  try {
    onnx::ShapeInferenceOptions options(/*check_type_val=*/false,
                                        /*strict_mode_val=*/0,
                                        /*data_prop_val=*/true);
    onnx::shape_inference::InferShapes(model,
                                       onnx::OpSchemaRegistry::Instance(),
                                       options);
  } catch (const std::exception &e) {
    return e.what();
  }
  return "";
}

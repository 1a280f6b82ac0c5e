//===- Importer.cpp - ONNX graph to a func.func on tensors ----------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The graph walk: checks the opsets the graph uses and that every op has a
// converter (listing all that do not), fixes input shapes from the options,
// runs ONNX shape inference, turns initializers into host constants, converts
// nodes in order and returns the graph outputs. Op conversions live in
// OpConversions*.cpp.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::green;
using namespace mlir::green::onnx_import;

static constexpr int64_t kMinOpset = 9;
static constexpr int64_t kMaxOpset = 18;

static bool isDefaultDomain(llvm::StringRef domain) {
  return domain.empty() || domain == "ai.onnx";
}

//===----------------------------------------------------------------------===//
// Option parsing
//===----------------------------------------------------------------------===//

static llvm::Error optionError(llvm::StringRef option, llvm::StringRef expected,
                               llvm::StringRef text) {
  return llvm::createStringError("--" + option + ": expected " + expected +
                                 ", got '" + text + "'");
}

llvm::Error mlir::green::parseOnnxDimOption(llvm::StringRef text,
                                            OnnxImportOptions &options) {
  auto [name, value] = text.split('=');
  int64_t v;
  if (name.empty() || value.empty() || value.getAsInteger(10, v) || v < 0)
    return optionError("dim", "name=value with a non-negative integer value",
                       text);
  options.dimValues[name] = v;
  return llvm::Error::success();
}

llvm::Error mlir::green::parseOnnxInputShapeOption(llvm::StringRef text,
                                                   OnnxImportOptions &options) {
  auto [name, shapeText] = text.rsplit('=');
  if (name.empty() || !text.contains('='))
    return optionError("input-shape", "name=AxBxC", text);
  llvm::SmallVector<int64_t> shape;
  if (!shapeText.empty() && shapeText != "scalar") {
    llvm::SmallVector<llvm::StringRef> dims;
    shapeText.split(dims, 'x');
    for (llvm::StringRef d : dims) {
      int64_t v;
      if (d.getAsInteger(10, v) || v < 0)
        return optionError("input-shape",
                           "name=AxBxC with non-negative integer dimensions",
                           text);
      shape.push_back(v);
    }
  }
  options.inputShapes[name] = shape;
  return llvm::Error::success();
}

llvm::Error mlir::green::parseOnnxConstInputOption(llvm::StringRef text,
                                                   OnnxImportOptions &options) {
  auto [name, valuesText] = text.split('=');
  if (name.empty() || valuesText.empty())
    return optionError("const-input", "name=value or name=v1,v2,...", text);
  llvm::SmallVector<double> values;
  llvm::SmallVector<llvm::StringRef> parts;
  valuesText.split(parts, ',');
  for (llvm::StringRef part : parts) {
    part = part.trim();
    double v;
    if (part == "true")
      v = 1;
    else if (part == "false")
      v = 0;
    else if (part.getAsDouble(v))
      return optionError("const-input",
                         "name=value or name=v1,v2,... with numbers", text);
    values.push_back(v);
  }
  options.constInputs[name] = values;
  return llvm::Error::success();
}

void mlir::green::registerOnnxImportDialects(DialectRegistry &registry) {
  registry.insert<arith::ArithDialect, func::FuncDialect, math::MathDialect,
                  tensor::TensorDialect, tosa::TosaDialect,
                  linalg::LinalgDialect, scf::SCFDialect>();
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

std::string mlir::green::onnx_import::formatShape(llvm::ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string s;
  for (auto [i, d] : llvm::enumerate(shape)) {
    if (i)
      s += "x";
    s += ShapedType::isDynamic(d) ? "?" : std::to_string(d);
  }
  return s;
}

static std::string formatType(RankedTensorType type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

/// The location of a node: its name, else its first output's name.
static Location getNodeLoc(MLIRContext *context, const onnx::NodeProto &node) {
  std::string name = node.name();
  if (name.empty() && node.output_size() > 0)
    name = node.output(0);
  if (name.empty())
    name = node.op_type();
  return NameLoc::get(StringAttr::get(context, name));
}

/// Every node of `graph` and of its subgraphs (If branches, Loop bodies).
static void collectNodes(const onnx::GraphProto &graph,
                         std::vector<const onnx::NodeProto *> &nodes) {
  for (const onnx::NodeProto &node : graph.node()) {
    nodes.push_back(&node);
    for (const onnx::AttributeProto &attr : node.attribute()) {
      if (attr.has_g())
        collectNodes(attr.g(), nodes);
      for (const onnx::GraphProto &g : attr.graphs())
        collectNodes(g, nodes);
    }
  }
}

//===----------------------------------------------------------------------===//
// ImportState
//===----------------------------------------------------------------------===//

Value ImportState::createConstant(const HostTensor &tensor, Location loc,
                                  llvm::StringRef nameHint) {
  ElementsAttr attr = tensor.toAttr(nameHint, options.inlineElementLimit);
  return tosa::ConstOp::create(builder, loc, tensor.getType(), attr);
}

Value ImportState::materialize(llvm::StringRef name, Location loc) {
  ValueInfo &info = values[name];
  if (!info.value && info.constant) {
    Location loc = NameLoc::get(StringAttr::get(context, name));
    if (info.constant->elementType.isUnsignedInteger(8)) {
      // uint8 constants become offset uint8 (ValueInfo::offsetU8).
      HostTensor offset = HostTensor::zeros(builder.getIntegerType(8),
                                            info.constant->shape);
      for (int64_t i = 0, e = offset.getNumElements(); i < e; ++i)
        offset.setInt(i, info.constant->getInt(i) - 128);
      info.value = createConstant(offset, loc, name);
      info.offsetU8 = true;
    } else {
      info.value = createConstant(*info.constant, loc, name);
    }
  }
  return info.value;
}

//===----------------------------------------------------------------------===//
// Graph walk
//===----------------------------------------------------------------------===//

/// Whether `type` is fully known and static.
static RankedTensorType getStaticType(MLIRContext *context,
                                      const onnx::TypeProto &typeProto) {
  if (!typeProto.has_tensor_type() || !typeProto.tensor_type().has_shape())
    return {};
  const auto &tensorType = typeProto.tensor_type();
  Type elementType = convertOnnxElementType(context, tensorType.elem_type());
  if (!elementType)
    return {};
  llvm::SmallVector<int64_t> shape;
  for (const auto &dim : tensorType.shape().dim()) {
    if (!dim.has_dim_value())
      return {};
    shape.push_back(dim.dim_value());
  }
  return RankedTensorType::get(shape, elementType);
}

LogicalResult mlir::green::onnx_import::importNodes(
    ImportState &state, const onnx::GraphProto &graph) {
  for (const onnx::NodeProto &node : graph.node()) {
    Location loc = getNodeLoc(state.context, node);
    NodeImporter importer(state, node, loc);
    for (const std::string &input : node.input()) {
      if (input.empty() || state.values.count(input))
        continue;
      return importer.emitError()
             << "input '" << input
             << "' is not defined by any node, graph input or initializer "
                "(missing initializer?)";
    }
    // Offset uint8 values (ValueInfo::offsetU8) only flow into the ops
    // that know about them.
    bool u8Input = false;
    for (const std::string &input : node.input()) {
      if (input.empty())
        continue;
      const ValueInfo &info = state.values.find(input)->second;
      if (!info.type.getElementType().isUnsignedInteger(8))
        continue;
      u8Input = true;
      if (!isQuantAwareOp(node.op_type()) && !isU8LayoutOp(node.op_type()))
        return importer.emitError()
               << "uint8 input '" << input
               << "' is only supported by the quantized ops and layout ops "
                  "(Reshape, Transpose, MaxPool, ...)";
    }
    OpConverter convert = state.converters.lookup(node.op_type());
    if (failed(convert(importer)))
      return failure();
    if (u8Input && isU8LayoutOp(node.op_type())) {
      for (const std::string &output : node.output()) {
        auto it = state.values.find(output);
        if (output.empty() || it == state.values.end() || !it->second.value ||
            !it->second.type.getElementType().isInteger(8))
          continue;
        it->second.type = RankedTensorType::get(
            it->second.type.getShape(),
            IntegerType::get(state.context, 8, IntegerType::Unsigned));
        it->second.offsetU8 = true;
      }
    }
    for (const std::string &output : node.output()) {
      if (output.empty())
        continue;
      auto it = state.values.find(output);
      if (it == state.values.end())
        return importer.emitError()
               << "output '" << output << "' was not produced (importer bug)";
      RankedTensorType expected = state.inferredTypes.lookup(output);
      if (expected && expected != it->second.type)
        return importer.emitError()
               << "output '" << output << "' imported as "
               << formatType(it->second.type)
               << " but ONNX shape inference says " << formatType(expected)
               << " (importer bug)";
    }
  }
  return success();
}

namespace {
/// Imports one model into a new module.
class ModelImporter {
public:
  ModelImporter(MLIRContext *context, const OnnxImportOptions &options,
                llvm::StringRef modelName)
      : state(context, options),
        fileLoc(FileLineColLoc::get(context, modelName, 0, 0)) {
    state.modelName = modelName.str();
    llvm::SmallString<256> dir(modelName);
    llvm::sys::path::remove_filename(dir);
    state.baseDir = dir.empty() ? "." : dir.str().str();
    populateNNConverters(state.converters);
    populateElementwiseConverters(state.converters);
    populateShapeConverters(state.converters);
    populateControlFlowConverters(state.converters);
    populateResizeConverters(state.converters);
    populateQuantConverters(state.converters);
    populateRNNConverters(state.converters);
  }

  OwningOpRef<ModuleOp> run(onnx::ModelProto &model);

private:
  InFlightDiagnostic emitError() { return mlir::emitError(fileLoc); }
  LogicalResult checkOpsets(const onnx::ModelProto &model,
                            llvm::ArrayRef<const onnx::NodeProto *> nodes);
  LogicalResult checkSupported(llvm::ArrayRef<const onnx::NodeProto *> nodes);
  LogicalResult resolveInputs(onnx::GraphProto &graph);
  LogicalResult importInitializers(const onnx::GraphProto &graph);
  void collectInferredTypes(const onnx::GraphProto &graph);

  ImportState state;
  Location fileLoc;
  /// Graph inputs that become function arguments, in order.
  llvm::SmallVector<std::pair<std::string, RankedTensorType>> arguments;
};
} // namespace

LogicalResult
ModelImporter::checkOpsets(const onnx::ModelProto &model,
                           llvm::ArrayRef<const onnx::NodeProto *> nodes) {
  // Only the default domain's opset matters: imports of domains no node uses
  // are ignored, and nodes of other domains are reported as unsupported ops.
  bool usesDefault = llvm::any_of(nodes, [](const onnx::NodeProto *n) {
    return isDefaultDomain(n->domain());
  });
  std::optional<int64_t> version;
  for (const onnx::OperatorSetIdProto &opset : model.opset_import())
    if (isDefaultDomain(opset.domain()))
      version = opset.version();
  if (!usesDefault) {
    state.opset = version.value_or(kMaxOpset);
    return success();
  }
  if (!version)
    return emitError() << "the model imports no opset of the default ONNX "
                          "domain (ai.onnx) but its nodes use it";
  if (*version < kMinOpset || *version > kMaxOpset)
    return emitError() << "unsupported ONNX opset version " << *version
                       << " of domain 'ai.onnx' (supported: " << kMinOpset
                       << " to " << kMaxOpset << ")";
  state.opset = *version;
  return success();
}

LogicalResult
ModelImporter::checkSupported(llvm::ArrayRef<const onnx::NodeProto *> nodes) {
  std::string list;
  unsigned count = 0;
  for (const onnx::NodeProto *node : nodes) {
    if (isDefaultDomain(node->domain()) &&
        state.converters.count(node->op_type()))
      continue;
    std::string op = isDefaultDomain(node->domain())
                         ? node->op_type()
                         : node->domain() + "." + node->op_type();
    std::string name = node->name().empty() && node->output_size()
                           ? node->output(0)
                           : node->name();
    if (count++)
      list += ", ";
    list += "'" + op + "' (node '" + name + "')";
  }
  if (!count)
    return success();
  return emitError() << "unsupported ONNX op" << (count > 1 ? "s" : "")
                     << ": " << list;
}

LogicalResult ModelImporter::resolveInputs(onnx::GraphProto &graph) {
  const OnnxImportOptions &options = state.options;
  llvm::StringSet<> initializers, inputNames, usedDims;
  for (const onnx::TensorProto &t : graph.initializer())
    initializers.insert(t.name());

  // Options naming no graph input are typos: report them first.
  for (const onnx::ValueInfoProto &input : graph.input())
    inputNames.insert(input.name());
  for (const auto &entry : options.inputShapes)
    if (!inputNames.count(entry.getKey()))
      return emitError() << "--input-shape names '" << entry.getKey()
                         << "', which is not a graph input";
  for (const auto &entry : options.constInputs)
    if (!inputNames.count(entry.getKey()) ||
        initializers.count(entry.getKey()))
      return emitError() << "--const-input names '" << entry.getKey()
                         << "', which is not a graph input";

  std::string unresolved;
  for (onnx::ValueInfoProto &input : *graph.mutable_input()) {
    if (initializers.count(input.name()))
      continue;
    const std::string &name = input.name();
    onnx::TypeProto *type = input.mutable_type();
    if (!type->has_tensor_type())
      return emitError() << "graph input '" << name
                         << "' is not a tensor (sequences, maps and optionals "
                            "are not supported)";
    auto *tensorType = type->mutable_tensor_type();
    Type elementType =
        convertOnnxElementType(state.context, tensorType->elem_type());
    if (!elementType)
      return emitError() << "graph input '" << name
                         << "' has unsupported element type "
                         << getOnnxElementTypeName(tensorType->elem_type());

    llvm::SmallVector<int64_t> shape;
    auto explicitShape = options.inputShapes.find(name);
    if (explicitShape != options.inputShapes.end()) {
      shape.assign(explicitShape->second.begin(), explicitShape->second.end());
      if (tensorType->has_shape() &&
          tensorType->shape().dim_size() != static_cast<int>(shape.size()))
        return emitError() << "--input-shape " << name << "="
                           << formatShape(shape) << " has rank "
                           << shape.size() << " but the input has rank "
                           << tensorType->shape().dim_size();
      if (tensorType->has_shape())
        for (auto [i, dim] : llvm::enumerate(tensorType->shape().dim()))
          if (dim.has_dim_value() && dim.dim_value() != shape[i])
            return emitError()
                   << "--input-shape " << name << "=" << formatShape(shape)
                   << " conflicts with the model: dimension " << i << " is "
                   << dim.dim_value();
    } else if (!tensorType->has_shape()) {
      unresolved += "\n  input '" + name +
                    "' has no shape: give one with --input-shape " + name +
                    "=AxBxC";
      continue;
    } else {
      for (auto [i, dim] : llvm::enumerate(tensorType->shape().dim())) {
        if (dim.has_dim_value() && dim.dim_value() >= 0) {
          shape.push_back(dim.dim_value());
          continue;
        }
        if (dim.has_dim_param()) {
          usedDims.insert(dim.dim_param());
          auto it = options.dimValues.find(dim.dim_param());
          if (it != options.dimValues.end()) {
            shape.push_back(it->second);
            continue;
          }
          unresolved += "\n  input '" + name + "' dimension " +
                        std::to_string(i) + " is dynamic ('" +
                        dim.dim_param() + "'): fix it with --dim " +
                        dim.dim_param() + "=<value> or --input-shape " + name +
                        "=AxBxC";
        } else {
          unresolved += "\n  input '" + name + "' dimension " +
                        std::to_string(i) +
                        " is dynamic (unnamed): fix it with --input-shape " +
                        name + "=AxBxC";
        }
        shape.push_back(ShapedType::kDynamic);
      }
    }
    // Write the static shape back so ONNX shape inference propagates it.
    auto *shapeProto = tensorType->mutable_shape();
    shapeProto->clear_dim();
    for (int64_t d : shape)
      shapeProto->add_dim()->set_dim_value(d);
    auto rankedType = RankedTensorType::get(shape, elementType);

    auto constant = options.constInputs.find(name);
    if (constant == options.constInputs.end()) {
      arguments.push_back({name, rankedType});
      continue;
    }
    if (!rankedType.hasStaticShape())
      continue; // Reported with the other unresolved dimensions.
    llvm::ArrayRef<double> values = constant->second;
    if (values.size() != 1 &&
        static_cast<int64_t>(values.size()) != rankedType.getNumElements())
      return emitError() << "--const-input " << name << ": expected 1 or "
                         << rankedType.getNumElements()
                         << " values for shape " << formatShape(shape)
                         << ", got " << values.size();
    auto tensor = std::make_shared<HostTensor>(
        HostTensor::fromDoubles(elementType, shape, values));
    state.values[name] = ValueInfo{Value(), tensor, rankedType};
  }
  if (!unresolved.empty())
    return emitError() << "unresolved dynamic dimensions:" << unresolved;

  for (const auto &entry : options.dimValues)
    if (!usedDims.count(entry.getKey()))
      mlir::emitWarning(fileLoc)
          << "--dim " << entry.getKey()
          << ": no graph input has a dimension of that name";
  return success();
}

LogicalResult ModelImporter::importInitializers(const onnx::GraphProto &graph) {
  if (graph.sparse_initializer_size())
    return emitError() << "sparse initializers are not supported ('"
                       << graph.sparse_initializer(0).values().name() << "')";
  for (const onnx::TensorProto &tensor : graph.initializer()) {
    llvm::Expected<HostTensor> host =
        decodeTensorProto(state.context, tensor, state.baseDir);
    if (!host)
      return emitError() << "initializer '" << tensor.name()
                         << "': " << llvm::toString(host.takeError());
    RankedTensorType type = host->getType();
    state.values[tensor.name()] = ValueInfo{
        Value(), std::make_shared<HostTensor>(std::move(*host)), type};
  }
  return success();
}

void ModelImporter::collectInferredTypes(const onnx::GraphProto &graph) {
  for (const onnx::ValueInfoProto &info : graph.value_info())
    if (RankedTensorType type = getStaticType(state.context, info.type()))
      state.inferredTypes[info.name()] = type;
  for (const onnx::ValueInfoProto &info : graph.output())
    if (RankedTensorType type = getStaticType(state.context, info.type()))
      state.inferredTypes[info.name()] = type;
}

OwningOpRef<ModuleOp> ModelImporter::run(onnx::ModelProto &model) {
  MLIRContext *context = state.context;
  context->loadDialect<arith::ArithDialect, func::FuncDialect,
                       math::MathDialect, tensor::TensorDialect,
                       tosa::TosaDialect, linalg::LinalgDialect,
                       scf::SCFDialect>();
  onnx::GraphProto &graph = *model.mutable_graph();

  std::vector<const onnx::NodeProto *> nodes;
  collectNodes(graph, nodes);
  if (failed(checkOpsets(model, nodes)) || failed(checkSupported(nodes)) ||
      failed(resolveInputs(graph)))
    return nullptr;

  std::string inferenceError = runOnnxShapeInference(model);
  if (!inferenceError.empty())
    mlir::emitWarning(fileLoc)
        << "ONNX shape inference failed, continuing with the importer's own "
           "shapes: "
        << inferenceError;
  collectInferredTypes(graph);
  if (failed(importInitializers(graph)))
    return nullptr;

  // The function: arguments are the graph inputs that are neither
  // initializers nor pinned to constants.
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  std::string funcName =
      state.options.funcName.empty() ? "main" : state.options.funcName;
  // uint8 inputs and outputs are passed as int8 bit patterns (the CPU
  // backend has no unsigned element types).
  auto toSignless = [&](RankedTensorType t) -> RankedTensorType {
    if (!t.getElementType().isUnsignedInteger(8))
      return t;
    return RankedTensorType::get(t.getShape(), IntegerType::get(context, 8));
  };
  llvm::SmallVector<Type> argTypes;
  for (auto &arg : arguments)
    argTypes.push_back(toSignless(arg.second));
  state.builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(state.builder, fileLoc, funcName,
                                   FunctionType::get(context, argTypes, {}));
  Block *body = func.addEntryBlock();
  for (auto [i, arg] : llvm::enumerate(arguments)) {
    BlockArgument blockArg = body->getArgument(i);
    blockArg.setLoc(NameLoc::get(StringAttr::get(context, arg.first)));
    func.setArgAttr(i, "onnx.name", StringAttr::get(context, arg.first));
    state.values[arg.first] = ValueInfo{blockArg, nullptr, arg.second};
  }
  state.builder.setInsertionPointToEnd(body);
  for (auto [i, arg] : llvm::enumerate(arguments)) {
    if (!arg.second.getElementType().isUnsignedInteger(8))
      continue;
    ValueInfo &info = state.values[arg.first];
    info.value = createFlipSignBit(state.builder, body->getArgument(i).getLoc(),
                                   body->getArgument(i));
    info.offsetU8 = true;
  }

  if (failed(importNodes(state, graph)))
    return nullptr;

  llvm::SmallVector<Value> results;
  llvm::SmallVector<Type> resultTypes;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    if (!state.values.count(output.name())) {
      emitError() << "graph output '" << output.name()
                  << "' is not defined by any node, graph input or "
                     "initializer";
      return nullptr;
    }
    Location outLoc = NameLoc::get(StringAttr::get(context, output.name()));
    Value v = state.materialize(output.name(), outLoc);
    if (state.values[output.name()].offsetU8)
      v = createFlipSignBit(state.builder, outLoc, v);
    results.push_back(v);
    resultTypes.push_back(v.getType());
  }
  func::ReturnOp::create(state.builder, fileLoc, results);
  func.setFunctionType(FunctionType::get(context, argTypes, resultTypes));
  for (auto [i, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "onnx.name",
                       StringAttr::get(context, output.name()));

  // Drop what folding at import left unused (constants reshaped on the
  // host, reshapes of reshapes), last first.
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(*body)))
    if (isOpTriviallyDead(&op))
      op.erase();
  if (failed(mlir::verify(*module)))
    return nullptr;
  // NCHW <-> NHWC transposes around element-wise ops cancel.
  if (state.options.propagateTransposes)
    (void)propagateTransposes(*module);
  // Share the constants (zero points, shapes) converters create per node.
  PassManager pm(context);
  pm.addPass(createCSEPass());
  if (failed(pm.run(*module)))
    return nullptr;
  return module;
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

OwningOpRef<ModuleOp>
mlir::green::importOnnxModel(MLIRContext *context,
                             llvm::MemoryBufferRef buffer,
                             const OnnxImportOptions &options) {
  onnx::ModelProto model;
  llvm::StringRef name = buffer.getBufferIdentifier();
  if (llvm::Error err = parseOnnxModel(buffer, model)) {
    mlir::emitError(FileLineColLoc::get(context, name, 0, 0))
        << llvm::toString(std::move(err));
    return nullptr;
  }
  ModelImporter importer(context, options, name);
  return importer.run(model);
}

OwningOpRef<ModuleOp>
mlir::green::importOnnxModelFile(MLIRContext *context, llvm::StringRef path,
                                 const OnnxImportOptions &options) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    mlir::emitError(FileLineColLoc::get(context, path, 0, 0))
        << "cannot read '" << path << "': " << buffer.getError().message();
    return nullptr;
  }
  return importOnnxModel(context, (*buffer)->getMemBufferRef(), options);
}

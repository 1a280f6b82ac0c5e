//===- ImporterImpl.h - internals shared by the ONNX importer ---*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Not a public header. The graph walk (Importer.cpp) keeps one ValueInfo per
// ONNX value name; converters, split by op family (OpConversions*.cpp), see a
// node through NodeImporter: its inputs (as SSA values or, when known at
// import time, as HostTensors), its attributes, and builders for the TOSA
// idioms every family needs (rank broadcasting, reshapes, transposes,
// constants). Values known at import time stay on the host until an op needs
// them as a tensor, so shape computations (Shape -> Gather -> Concat ->
// Reshape) fold away and weights are transposed once, at import.
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_LIB_IMPORT_ONNX_IMPORTERIMPL_H
#define GREEN_LIB_IMPORT_ONNX_IMPORTERIMPL_H

#include "green/Import/ONNX/ONNXImporter.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"

#include <onnx/onnx_pb.h>

#include <memory>
#include <string>
#include <vector>

namespace mlir::green::onnx_import {

//===----------------------------------------------------------------------===//
// Host tensors
//===----------------------------------------------------------------------===//

/// A tensor whose value is known at import time: row-major, little-endian
/// bytes, one byte per i1 element.
struct HostTensor {
  Type elementType;
  llvm::SmallVector<int64_t> shape;
  std::vector<char> data;

  int64_t getNumElements() const;
  RankedTensorType getType() const;
  /// Element `i` converted to int64 / double, whatever the element type.
  int64_t getInt(int64_t i) const;
  double getDouble(int64_t i) const;
  void setInt(int64_t i, int64_t value);
  void setDouble(int64_t i, double value);
  llvm::SmallVector<int64_t> getInts() const;
  bool isSplat() const;

  /// A tensor of `shape` with every element zero.
  static HostTensor zeros(Type elementType, llvm::ArrayRef<int64_t> shape);
  static HostTensor fromInts(Type elementType, llvm::ArrayRef<int64_t> shape,
                             llvm::ArrayRef<int64_t> values);
  static HostTensor fromDoubles(Type elementType,
                                llvm::ArrayRef<int64_t> shape,
                                llvm::ArrayRef<double> values);

  HostTensor transposed(llvm::ArrayRef<int64_t> perm) const;
  HostTensor reshaped(llvm::ArrayRef<int64_t> newShape) const;
  HostTensor castTo(Type newElementType) const;
  /// Elements [starts, starts + sizes * steps) along every dimension.
  HostTensor sliced(llvm::ArrayRef<int64_t> starts,
                    llvm::ArrayRef<int64_t> steps,
                    llvm::ArrayRef<int64_t> sizes) const;
  /// Concatenation along `axis` (all parts share every other dimension).
  static HostTensor concat(llvm::ArrayRef<const HostTensor *> parts,
                           int64_t axis);

  /// The constant as an attribute: inline (dense) when it is a splat or has
  /// at most `inlineLimit` elements, else a dense_resource blob named after
  /// `blobName`.
  ElementsAttr toAttr(llvm::StringRef blobName, int64_t inlineLimit) const;
};

/// Size in bytes of one element in a HostTensor.
int64_t getElementByteSize(Type elementType);

/// The MLIR element type of an ONNX TensorProto data type, or null.
Type convertOnnxElementType(MLIRContext *context, int32_t dataType);
/// ONNX data type name (`FLOAT`, `INT64`, ...) for diagnostics.
std::string getOnnxElementTypeName(int32_t dataType);

/// Decodes a TensorProto (typed fields, raw_data or external data stored
/// relative to `baseDir`). On failure returns an error message.
llvm::Expected<HostTensor> decodeTensorProto(MLIRContext *context,
                                             const onnx::TensorProto &tensor,
                                             llvm::StringRef baseDir);

//===----------------------------------------------------------------------===//
// Model loading
//===----------------------------------------------------------------------===//

/// Parses a serialized model; the error says whether the file is corrupt or
/// truncated.
llvm::Error parseOnnxModel(llvm::MemoryBufferRef buffer,
                           onnx::ModelProto &model);
/// Runs ONNX's shape inference (opsets it knows; node-level errors are
/// ignored, the importer computes shapes itself and compares). Returns an
/// error message when shape inference itself failed.
std::string runOnnxShapeInference(onnx::ModelProto &model);

//===----------------------------------------------------------------------===//
// Import state and node view
//===----------------------------------------------------------------------===//

/// What the importer knows about one ONNX value.
struct ValueInfo {
  /// The SSA value; null for a constant not materialized yet.
  Value value;
  /// The value, when known at import time.
  std::shared_ptr<const HostTensor> constant;
  RankedTensorType type;
  /// An ONNX uint8 tensor (`type` has ui8 elements) whose SSA value holds
  /// `v - 128` as i8: the CPU backend has no unsigned element types, and
  /// the offset keeps the order (MaxPool) and makes zero-point arithmetic
  /// the signed one.
  bool offsetU8 = false;
};

class NodeImporter;
/// Converts one node; on failure it has emitted a diagnostic.
using OpConverter = LogicalResult (*)(NodeImporter &);

/// State of one import: the builder positioned in the function body, the
/// values defined so far, the converters.
struct ImportState {
  ImportState(MLIRContext *context, const OnnxImportOptions &options)
      : context(context), builder(context), options(options) {}

  MLIRContext *context;
  OpBuilder builder;
  const OnnxImportOptions &options;
  /// Model file name (diagnostics) and its directory (external data).
  std::string modelName, baseDir;
  /// Default-domain opset the model imports.
  int64_t opset = 0;
  llvm::StringMap<ValueInfo> values;
  /// Static types ONNX shape inference found, checked against ours.
  llvm::StringMap<RankedTensorType> inferredTypes;
  llvm::StringMap<OpConverter> converters;

  /// The SSA value of `name`, materializing a constant on first use.
  Value materialize(llvm::StringRef name, Location loc);
  /// A tosa.const holding `tensor`.
  Value createConstant(const HostTensor &tensor, Location loc,
                       llvm::StringRef nameHint);
};

/// Imports the nodes of `graph` (the main graph or an inlined If branch) in
/// order, reporting every unsupported op first.
LogicalResult importNodes(ImportState &state, const onnx::GraphProto &graph);

/// A converter's view of one node.
class NodeImporter {
public:
  NodeImporter(ImportState &state, const onnx::NodeProto &node, Location loc)
      : state(state), node(node), loc(loc) {}

  const onnx::NodeProto &getNode() const { return node; }
  llvm::StringRef getOpType() const { return node.op_type(); }
  int64_t getOpset() const { return state.opset; }
  Location getLoc() const { return loc; }
  OpBuilder &getBuilder() { return state.builder; }
  MLIRContext *getContext() const { return state.context; }
  ImportState &getState() { return state; }

  /// `node '<name>' (<OpType>): ...`
  InFlightDiagnostic emitError();

  //===--------------------------------------------------------------------===//
  // Inputs and outputs
  //===--------------------------------------------------------------------===//

  unsigned getNumInputs() const { return node.input_size(); }
  /// Whether input `i` is given (optional inputs may be absent or empty).
  bool hasInput(unsigned i) const;
  llvm::StringRef getInputName(unsigned i) const { return node.input(i); }
  RankedTensorType getInputType(unsigned i) const;
  llvm::ArrayRef<int64_t> getInputShape(unsigned i) const {
    return getInputType(i).getShape();
  }
  int64_t getInputRank(unsigned i) const { return getInputType(i).getRank(); }
  Type getInputElementType(unsigned i) const {
    return getInputType(i).getElementType();
  }
  /// The input's value when known at import time, else null.
  const HostTensor *getInputConstant(unsigned i) const;
  /// The input as an SSA value.
  Value getInput(unsigned i);
  /// Input `i` as integers known at import time (shapes, axes, pads);
  /// emits "input <what> must be a constant" otherwise.
  FailureOr<llvm::SmallVector<int64_t>> getConstantInts(unsigned i,
                                                        llvm::StringRef what);

  unsigned getNumOutputs() const { return node.output_size(); }
  bool hasOutput(unsigned i) const;
  void setOutput(unsigned i, Value value);
  /// Sets output `i` to an i8 `value` holding ONNX uint8 values minus 128.
  void setOutputOffsetU8(unsigned i, Value value);
  /// Whether input `i` is an ONNX uint8 tensor.
  bool isU8Input(unsigned i) const;
  void setOutputConstant(unsigned i, HostTensor tensor);

  //===--------------------------------------------------------------------===//
  // Attributes
  //===--------------------------------------------------------------------===//

  const onnx::AttributeProto *getAttr(llvm::StringRef name) const;
  bool hasAttr(llvm::StringRef name) const { return getAttr(name); }
  int64_t getIntAttr(llvm::StringRef name, int64_t defaultValue) const;
  float getFloatAttr(llvm::StringRef name, float defaultValue) const;
  std::string getStringAttr(llvm::StringRef name,
                            llvm::StringRef defaultValue) const;
  llvm::SmallVector<int64_t> getIntsAttr(llvm::StringRef name) const;
  /// Attribute `name` as a tensor (Constant's `value`).
  FailureOr<HostTensor> getTensorAttr(llvm::StringRef name);

  //===--------------------------------------------------------------------===//
  // Builders (all at the node's location)
  //===--------------------------------------------------------------------===//

  Value createConstant(const HostTensor &tensor);
  /// A constant of `rank` dimensions of size 1 holding `value`.
  Value createScalar(Type elementType, double value, int64_t rank);
  /// A `tensor<1xT>` zero point.
  Value createZeroPoint(Type elementType);
  Value createReshape(Value value, llvm::ArrayRef<int64_t> shape);
  Value createTranspose(Value value, llvm::ArrayRef<int64_t> perm);
  /// `value` with leading size-1 dimensions added up to `rank`.
  Value createRankBroadcast(Value value, int64_t rank);
  /// `value` broadcast (numpy rules) to `shape` with tosa.tile.
  Value createBroadcastTo(Value value, llvm::ArrayRef<int64_t> shape);
  /// tosa.slice of `sizes` elements from `starts`.
  Value createSlice(Value value, llvm::ArrayRef<int64_t> starts,
                    llvm::ArrayRef<int64_t> sizes);

  /// `value` padded with `low`/`high` elements per dimension (>= 0), filled
  /// with `padValue`: tosa.pad up to rank 3, tensor.pad above (MLIR 22's
  /// TOSA validation rejects the !tosa.shape<8> of a rank-4 tosa.pad as
  /// exceeding MAX_RANK, so rank-4 tosa.pad never reaches the CPU backend).
  Value createPad(Value value, llvm::ArrayRef<int64_t> low,
                  llvm::ArrayRef<int64_t> high, double padValue);

  /// The elements `indices` (known at import) of `value` along `axis`: a
  /// tosa.gather on `value` viewed as [outer, dim, inner].
  Value createGatherAlongAxis(Value value, int64_t axis,
                              llvm::ArrayRef<int64_t> indices);

  /// Numpy-style broadcast of two shapes; fails with a diagnostic.
  FailureOr<llvm::SmallVector<int64_t>>
  broadcastShapes(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);

  /// An elementwise TOSA binary op (add, sub, maximum, pow, ...) on
  /// numpy-broadcast operands; `resultElementType` defaults to the lhs's.
  template <typename OpTy>
  FailureOr<Value> createBinary(Value lhs, Value rhs,
                                Type resultElementType = {}) {
    FailureOr<std::pair<Value, Value>> operands = equalizeRanks(lhs, rhs);
    if (failed(operands))
      return failure();
    auto type = getBroadcastType(operands->first, operands->second,
                                 resultElementType);
    return OpTy::create(state.builder, loc, type, operands->first,
                        operands->second)
        .getResult();
  }
  /// tosa.mul (with its shift operand) on broadcast operands.
  FailureOr<Value> createMul(Value lhs, Value rhs);
  /// A reduction (tosa.reduce_*) over each axis in turn, keeping dimensions.
  template <typename OpTy>
  Value createReduce(Value value, llvm::ArrayRef<int64_t> axes) {
    for (int64_t axis : axes) {
      auto type = cast<RankedTensorType>(value.getType());
      llvm::SmallVector<int64_t> shape(type.getShape());
      shape[axis] = 1;
      value = OpTy::create(state.builder, loc,
                           RankedTensorType::get(shape, type.getElementType()),
                           value, state.builder.getI32IntegerAttr(axis));
    }
    return value;
  }

  /// Normalizes a possibly negative axis for `rank`; fails with a diagnostic
  /// when out of range.
  FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank);

private:
  FailureOr<std::pair<Value, Value>> equalizeRanks(Value lhs, Value rhs);
  RankedTensorType getBroadcastType(Value lhs, Value rhs, Type elementType);

  ImportState &state;
  const onnx::NodeProto &node;
  Location loc;
};

/// Padding and output size of one spatial dimension of a window op.
struct WindowDim {
  int64_t padBegin, padEnd, output;
};

/// Computes padding per ONNX's auto_pad/pads attributes and rounding
/// (ceil_mode) for a window op on `inputs` (the spatial dimensions), and
/// trims the end padding so the padded input is exactly (output - 1) *
/// stride + effective kernel. A negative padEnd means the input must be
/// cropped. `ignorePads` treats the padding as already applied.
FailureOr<llvm::SmallVector<WindowDim>>
computeWindow(NodeImporter &n, llvm::ArrayRef<int64_t> inputs,
              llvm::ArrayRef<int64_t> kernel, llvm::ArrayRef<int64_t> strides,
              llvm::ArrayRef<int64_t> dilations, bool ceilMode,
              bool ignorePads = false);

/// What a 2-D convolution node (NCHW input, OIHW weight) says about its
/// window: `group` (checked to divide the input and weight channels),
/// `strides` and `dilations` (default 1), and the window of `kernel`.
struct ConvWindow {
  int64_t group;
  llvm::SmallVector<int64_t> strides, dilations;
  llvm::SmallVector<WindowDim> window;
};
FailureOr<ConvWindow> computeConvWindow(NodeImporter &n,
                                        llvm::ArrayRef<int64_t> xShape,
                                        llvm::ArrayRef<int64_t> wShape,
                                        llvm::ArrayRef<int64_t> kernel);

/// Sinks layout transposes below element-wise ops and cancels the pairs
/// that meet (TransposePropagation.cpp).
LogicalResult propagateTransposes(ModuleOp module);

/// Shape `AxBxC` for diagnostics.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

//===----------------------------------------------------------------------===//
// Converters by op family
//===----------------------------------------------------------------------===//

/// Conv, Gemm, MatMul, pooling, normalization, Softmax.
void populateNNConverters(llvm::StringMap<OpConverter> &converters);
/// Arithmetic, activations, comparisons, Cast, Clip.
void populateElementwiseConverters(llvm::StringMap<OpConverter> &converters);
/// Reshape, Transpose, Concat, Slice, Pad, Gather, Shape, Constant, ...
void populateShapeConverters(llvm::StringMap<OpConverter> &converters);
/// If (on a condition known at import time).
void populateControlFlowConverters(llvm::StringMap<OpConverter> &converters);
/// Resize and Upsample.
void populateResizeConverters(llvm::StringMap<OpConverter> &converters);
/// LSTM and GRU, unrolled over the static sequence length.
void populateRNNConverters(llvm::StringMap<OpConverter> &converters);
/// QuantizeLinear, DequantizeLinear, MatMulInteger, QLinearMatMul,
/// ConvInteger, QLinearConv.
void populateQuantConverters(llvm::StringMap<OpConverter> &converters);
/// Ops that accept offset uint8 inputs (see ValueInfo::offsetU8): the
/// quantized ops, and layout ops whose i8 outputs are then offset uint8 too.
bool isQuantAwareOp(llvm::StringRef opType);
bool isU8LayoutOp(llvm::StringRef opType);
/// `x XOR 0x80` on i8: uint8 bits <-> offset uint8.
Value createFlipSignBit(OpBuilder &b, Location loc, Value x);

} // namespace mlir::green::onnx_import

#endif // GREEN_LIB_IMPORT_ONNX_IMPORTERIMPL_H

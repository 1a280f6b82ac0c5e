//===- NodeImporter.cpp - a converter's view of one ONNX node -------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Inputs, outputs and attributes of one node, and the TOSA building blocks
// shared by every op family: constants, reshapes, transposes, numpy-style
// rank broadcasting for elementwise ops.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace mlir::green::onnx_import;

InFlightDiagnostic NodeImporter::emitError() {
  std::string name = node.name();
  if (name.empty() && node.output_size())
    name = node.output(0);
  return mlir::emitError(loc)
         << "node '" << name << "' (" << node.op_type() << "): ";
}

//===----------------------------------------------------------------------===//
// Inputs and outputs
//===----------------------------------------------------------------------===//

bool NodeImporter::hasInput(unsigned i) const {
  return i < static_cast<unsigned>(node.input_size()) && !node.input(i).empty();
}

RankedTensorType NodeImporter::getInputType(unsigned i) const {
  ValueInfo info = state.values.lookup(node.input(i));
  // Offset uint8 values are stored as i8: converters see the storage type.
  if (info.offsetU8)
    return RankedTensorType::get(info.type.getShape(),
                                 IntegerType::get(state.context, 8));
  return info.type;
}

const HostTensor *NodeImporter::getInputConstant(unsigned i) const {
  if (!hasInput(i))
    return nullptr;
  auto it = state.values.find(node.input(i));
  return it == state.values.end() ? nullptr : it->second.constant.get();
}

Value NodeImporter::getInput(unsigned i) {
  return state.materialize(node.input(i), loc);
}

FailureOr<llvm::SmallVector<int64_t>>
NodeImporter::getConstantInts(unsigned i, llvm::StringRef what) {
  const HostTensor *constant = getInputConstant(i);
  if (!constant)
    return emitError() << "input '" << getInputName(i) << "' (" << what
                       << ") must be known at import time (an initializer, "
                          "a Constant or a shape computation on static "
                          "shapes; pin graph inputs with --const-input)";
  return constant->getInts();
}

bool NodeImporter::hasOutput(unsigned i) const {
  return i < static_cast<unsigned>(node.output_size()) &&
         !node.output(i).empty();
}

void NodeImporter::setOutput(unsigned i, Value value) {
  if (!hasOutput(i))
    return;
  state.values[node.output(i)] =
      ValueInfo{value, nullptr, cast<RankedTensorType>(value.getType())};
}

void NodeImporter::setOutputOffsetU8(unsigned i, Value value) {
  if (!hasOutput(i))
    return;
  auto type = cast<RankedTensorType>(value.getType());
  ValueInfo info{value, nullptr,
                 RankedTensorType::get(type.getShape(),
                                       IntegerType::get(state.context, 8,
                                                        IntegerType::Unsigned))};
  info.offsetU8 = true;
  state.values[node.output(i)] = info;
}

bool NodeImporter::isU8Input(unsigned i) const {
  if (!hasInput(i))
    return false;
  return state.values.lookup(node.input(i))
      .type.getElementType()
      .isUnsignedInteger(8);
}

void NodeImporter::setOutputConstant(unsigned i, HostTensor tensor) {
  if (!hasOutput(i))
    return;
  RankedTensorType type = tensor.getType();
  state.values[node.output(i)] = ValueInfo{
      Value(), std::make_shared<HostTensor>(std::move(tensor)), type};
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

const onnx::AttributeProto *
NodeImporter::getAttr(llvm::StringRef name) const {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

int64_t NodeImporter::getIntAttr(llvm::StringRef name,
                                 int64_t defaultValue) const {
  const onnx::AttributeProto *attr = getAttr(name);
  return attr ? attr->i() : defaultValue;
}

float NodeImporter::getFloatAttr(llvm::StringRef name,
                                 float defaultValue) const {
  const onnx::AttributeProto *attr = getAttr(name);
  return attr ? attr->f() : defaultValue;
}

std::string NodeImporter::getStringAttr(llvm::StringRef name,
                                        llvm::StringRef defaultValue) const {
  const onnx::AttributeProto *attr = getAttr(name);
  return attr ? attr->s() : defaultValue.str();
}

llvm::SmallVector<int64_t>
NodeImporter::getIntsAttr(llvm::StringRef name) const {
  const onnx::AttributeProto *attr = getAttr(name);
  if (!attr)
    return {};
  return llvm::SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
}

FailureOr<HostTensor> NodeImporter::getTensorAttr(llvm::StringRef name) {
  const onnx::AttributeProto *attr = getAttr(name);
  if (!attr || !attr->has_t())
    return emitError() << "missing tensor attribute '" << name << "'";
  llvm::Expected<HostTensor> t =
      decodeTensorProto(state.context, attr->t(), state.baseDir);
  if (!t)
    return emitError() << "attribute '" << name
                       << "': " << llvm::toString(t.takeError());
  return std::move(*t);
}

//===----------------------------------------------------------------------===//
// Builders
//===----------------------------------------------------------------------===//

Value NodeImporter::createConstant(const HostTensor &tensor) {
  std::string hint = node.output_size() ? node.output(0) : node.name();
  return state.createConstant(tensor, loc, hint);
}

Value NodeImporter::createScalar(Type elementType, double value,
                                 int64_t rank) {
  llvm::SmallVector<int64_t> shape(rank, 1);
  return createConstant(HostTensor::fromDoubles(elementType, shape, {value}));
}

Value NodeImporter::createZeroPoint(Type elementType) {
  return createConstant(HostTensor::zeros(elementType, {1}));
}

Value NodeImporter::createReshape(Value value, llvm::ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  auto newType = RankedTensorType::get(shape, type.getElementType());
  // Constants (weights) are reshaped at import, not by an op.
  if (auto constOp = value.getDefiningOp<tosa::ConstOp>()) {
    ElementsAttr reshaped;
    if (auto dense = dyn_cast<DenseElementsAttr>(constOp.getValues()))
      reshaped = dense.reshape(newType);
    else if (auto blob =
                 dyn_cast<DenseResourceElementsAttr>(constOp.getValues()))
      reshaped = DenseResourceElementsAttr::get(newType, blob.getRawHandle());
    if (reshaped) {
      Value result = tosa::ConstOp::create(state.builder, constOp.getLoc(),
                                           newType, reshaped);
      return result;
    }
  }
  // A reshape of a reshape reshapes the original value (the import drops
  // the intermediate one if nothing else uses it).
  if (auto reshape = value.getDefiningOp<tosa::ReshapeOp>()) {
    Value source = reshape.getInput1();
    return createReshape(source, shape);
  }
  ImplicitLocOpBuilder b(loc, state.builder);
  Value shapeValue = tosa::getTosaConstShape(b, shape);
  return tosa::ReshapeOp::create(state.builder, loc, newType, value,
                                 shapeValue);
}

Value NodeImporter::createTranspose(Value value,
                                    llvm::ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(value.getType());
  llvm::SmallVector<int64_t> shape;
  llvm::SmallVector<int32_t> perms;
  bool identity = true;
  for (auto [i, p] : llvm::enumerate(perm)) {
    shape.push_back(type.getDimSize(p));
    perms.push_back(static_cast<int32_t>(p));
    identity &= static_cast<int64_t>(i) == p;
  }
  if (identity)
    return value;
  return tosa::TransposeOp::create(
      state.builder, loc, RankedTensorType::get(shape, type.getElementType()),
      value, state.builder.getDenseI32ArrayAttr(perms));
}

Value NodeImporter::createRankBroadcast(Value value, int64_t rank) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() >= rank)
    return value;
  llvm::SmallVector<int64_t> shape(rank - type.getRank(), 1);
  llvm::append_range(shape, type.getShape());
  return createReshape(value, shape);
}

Value NodeImporter::createBroadcastTo(Value value,
                                      llvm::ArrayRef<int64_t> shape) {
  value = createRankBroadcast(value, shape.size());
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  llvm::SmallVector<int64_t> multiples;
  for (auto [have, want] : llvm::zip(type.getShape(), shape))
    multiples.push_back(have == want ? 1 : want);
  ImplicitLocOpBuilder b(loc, state.builder);
  Value multiplesValue = tosa::getTosaConstShape(b, multiples);
  return tosa::TileOp::create(
      state.builder, loc, RankedTensorType::get(shape, type.getElementType()),
      value, multiplesValue);
}

Value NodeImporter::createSlice(Value value, llvm::ArrayRef<int64_t> starts,
                                llvm::ArrayRef<int64_t> sizes) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == sizes)
    return value;
  ImplicitLocOpBuilder b(loc, state.builder);
  Value start = tosa::getTosaConstShape(b, starts);
  Value size = tosa::getTosaConstShape(b, sizes);
  return tosa::SliceOp::create(
      state.builder, loc, RankedTensorType::get(sizes, type.getElementType()),
      value, start, size);
}

Value NodeImporter::createPad(Value value, llvm::ArrayRef<int64_t> low,
                              llvm::ArrayRef<int64_t> high, double padValue) {
  auto type = cast<RankedTensorType>(value.getType());
  Type elementType = type.getElementType();
  llvm::SmallVector<int64_t> shape(type.getShape());
  llvm::SmallVector<int64_t> padding;
  for (auto [i, d] : llvm::enumerate(shape)) {
    d += low[i] + high[i];
    padding.append({low[i], high[i]});
  }
  auto outType = RankedTensorType::get(shape, elementType);
  OpBuilder &b = state.builder;
  if (type.getRank() <= 3) {
    ImplicitLocOpBuilder ib(loc, b);
    Value paddingValue = tosa::getTosaConstShape(ib, padding);
    return tosa::PadOp::create(b, loc, outType, value, paddingValue,
                               createScalar(elementType, padValue, 1));
  }
  TypedAttr attr;
  if (isa<FloatType>(elementType))
    attr = b.getFloatAttr(elementType, padValue);
  else
    attr = b.getIntegerAttr(elementType, static_cast<int64_t>(padValue));
  Value pad = arith::ConstantOp::create(b, loc, attr);
  llvm::SmallVector<OpFoldResult> lo, hi;
  for (auto [l, h] : llvm::zip(low, high)) {
    lo.push_back(b.getIndexAttr(l));
    hi.push_back(b.getIndexAttr(h));
  }
  return tensor::PadOp::create(b, loc, outType, value, lo, hi, pad);
}

Value NodeImporter::createGatherAlongAxis(Value value, int64_t axis,
                                          llvm::ArrayRef<int64_t> indices) {
  auto type = cast<RankedTensorType>(value.getType());
  llvm::ArrayRef<int64_t> shape = type.getShape();
  int64_t outer = 1, inner = 1, out = indices.size();
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= shape[d];
  llvm::SmallVector<int64_t> outShape(shape);
  outShape[axis] = out;
  Value values = createReshape(value, {outer, shape[axis], inner});
  llvm::SmallVector<int64_t> all;
  for (int64_t i = 0; i < outer; ++i)
    llvm::append_range(all, indices);
  Value indexValue = createConstant(HostTensor::fromInts(
      state.builder.getI32Type(), {outer, out}, all));
  Value gathered = tosa::GatherOp::create(
      state.builder, loc,
      RankedTensorType::get({outer, out, inner}, type.getElementType()),
      values, indexValue);
  return createReshape(gathered, outShape);
}

FailureOr<llvm::SmallVector<int64_t>>
NodeImporter::broadcastShapes(llvm::ArrayRef<int64_t> lhs,
                              llvm::ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  llvm::SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t l = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t r = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (l != r && l != 1 && r != 1)
      return emitError() << "shapes " << formatShape(lhs) << " and "
                         << formatShape(rhs) << " do not broadcast";
    result[i] = l == 1 ? r : l;
  }
  return result;
}

FailureOr<std::pair<Value, Value>> NodeImporter::equalizeRanks(Value lhs,
                                                               Value rhs) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  if (failed(broadcastShapes(lhsType.getShape(), rhsType.getShape())))
    return failure();
  int64_t rank = std::max(lhsType.getRank(), rhsType.getRank());
  return std::make_pair(createRankBroadcast(lhs, rank),
                        createRankBroadcast(rhs, rank));
}

RankedTensorType NodeImporter::getBroadcastType(Value lhs, Value rhs,
                                                Type elementType) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  llvm::SmallVector<int64_t> shape;
  for (auto [l, r] : llvm::zip(lhsType.getShape(), rhsType.getShape()))
    shape.push_back(l == 1 ? r : l);
  return RankedTensorType::get(shape, elementType ? elementType
                                                  : lhsType.getElementType());
}

FailureOr<Value> NodeImporter::createMul(Value lhs, Value rhs) {
  FailureOr<std::pair<Value, Value>> operands = equalizeRanks(lhs, rhs);
  if (failed(operands))
    return failure();
  auto type = getBroadcastType(operands->first, operands->second, {});
  Value shift = createConstant(
      HostTensor::zeros(state.builder.getIntegerType(8), {1}));
  return tosa::MulOp::create(state.builder, loc, type, operands->first,
                             operands->second, shift)
      .getResult();
}

FailureOr<int64_t> NodeImporter::normalizeAxis(int64_t axis, int64_t rank) {
  int64_t normalized = axis < 0 ? axis + rank : axis;
  if (normalized < 0 || normalized >= std::max<int64_t>(rank, 1))
    return emitError() << "axis " << axis << " is out of range for rank "
                       << rank;
  return normalized;
}

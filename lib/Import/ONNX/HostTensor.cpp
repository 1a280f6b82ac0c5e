//===- HostTensor.cpp - tensors known at import time ----------------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Decoding of ONNX TensorProtos (typed fields, raw_data, external data) and
// the few host-side operations the importer folds: transpose, reshape, cast,
// slice, concat. Constants become tosa.const attributes: inline dense values
// when small or splat, dense_resource blobs otherwise.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;
using namespace mlir::green::onnx_import;

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

int64_t mlir::green::onnx_import::getElementByteSize(Type elementType) {
  if (elementType.isInteger(1))
    return 1;
  return (elementType.getIntOrFloatBitWidth() + 7) / 8;
}

Type mlir::green::onnx_import::convertOnnxElementType(MLIRContext *context,
                                                      int32_t dataType) {
  Builder b(context);
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
    return b.getF32Type();
  case onnx::TensorProto::DOUBLE:
    return b.getF64Type();
  case onnx::TensorProto::FLOAT16:
    return b.getF16Type();
  case onnx::TensorProto::BFLOAT16:
    return b.getBF16Type();
  case onnx::TensorProto::INT8:
    return b.getIntegerType(8);
  case onnx::TensorProto::INT16:
    return b.getIntegerType(16);
  case onnx::TensorProto::INT32:
    return b.getIntegerType(32);
  case onnx::TensorProto::INT64:
    return b.getIntegerType(64);
  case onnx::TensorProto::UINT8:
    return b.getIntegerType(8, /*isSigned=*/false);
  case onnx::TensorProto::UINT16:
    return b.getIntegerType(16, /*isSigned=*/false);
  case onnx::TensorProto::UINT32:
    return b.getIntegerType(32, /*isSigned=*/false);
  case onnx::TensorProto::UINT64:
    return b.getIntegerType(64, /*isSigned=*/false);
  case onnx::TensorProto::BOOL:
    return b.getI1Type();
  default:
    return {};
  }
}

std::string mlir::green::onnx_import::getOnnxElementTypeName(int32_t dataType) {
  if (onnx::TensorProto::DataType_IsValid(dataType))
    return onnx::TensorProto::DataType_Name(
        static_cast<onnx::TensorProto::DataType>(dataType));
  return "data type " + std::to_string(dataType);
}

//===----------------------------------------------------------------------===//
// Element access
//===----------------------------------------------------------------------===//

int64_t HostTensor::getNumElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

RankedTensorType HostTensor::getType() const {
  return RankedTensorType::get(shape, elementType);
}

template <typename T>
static T load(const std::vector<char> &data, int64_t i) {
  T v;
  std::memcpy(&v, data.data() + i * sizeof(T), sizeof(T));
  return v;
}

template <typename T>
static void store(std::vector<char> &data, int64_t i, T v) {
  std::memcpy(data.data() + i * sizeof(T), &v, sizeof(T));
}

static const llvm::fltSemantics &getSemantics(Type t) {
  return cast<FloatType>(t).getFloatSemantics();
}

double HostTensor::getDouble(int64_t i) const {
  if (elementType.isF32())
    return load<float>(data, i);
  if (elementType.isF64())
    return load<double>(data, i);
  if (elementType.isF16() || elementType.isBF16()) {
    llvm::APFloat f(getSemantics(elementType),
                    llvm::APInt(16, load<uint16_t>(data, i)));
    return f.convertToDouble();
  }
  return static_cast<double>(getInt(i));
}

int64_t HostTensor::getInt(int64_t i) const {
  if (isa<FloatType>(elementType))
    return static_cast<int64_t>(getDouble(i));
  bool isUnsigned = elementType.isUnsignedInteger();
  switch (getElementByteSize(elementType)) {
  case 1:
    return isUnsigned || elementType.isInteger(1) ? load<uint8_t>(data, i)
                                                   : load<int8_t>(data, i);
  case 2:
    return isUnsigned ? load<uint16_t>(data, i) : load<int16_t>(data, i);
  case 4:
    return isUnsigned ? load<uint32_t>(data, i) : load<int32_t>(data, i);
  default:
    return load<int64_t>(data, i);
  }
}

void HostTensor::setDouble(int64_t i, double value) {
  if (elementType.isF32())
    return store<float>(data, i, static_cast<float>(value));
  if (elementType.isF64())
    return store<double>(data, i, value);
  if (elementType.isF16() || elementType.isBF16()) {
    llvm::APFloat f(value);
    bool losesInfo;
    f.convert(getSemantics(elementType), llvm::APFloat::rmNearestTiesToEven,
              &losesInfo);
    return store<uint16_t>(data, i,
                           f.bitcastToAPInt().getZExtValue() & 0xffff);
  }
  setInt(i, static_cast<int64_t>(value));
}

void HostTensor::setInt(int64_t i, int64_t value) {
  if (isa<FloatType>(elementType))
    return setDouble(i, static_cast<double>(value));
  if (elementType.isInteger(1))
    return store<uint8_t>(data, i, value != 0);
  switch (getElementByteSize(elementType)) {
  case 1:
    return store<uint8_t>(data, i, static_cast<uint8_t>(value));
  case 2:
    return store<uint16_t>(data, i, static_cast<uint16_t>(value));
  case 4:
    return store<uint32_t>(data, i, static_cast<uint32_t>(value));
  default:
    return store<int64_t>(data, i, value);
  }
}

llvm::SmallVector<int64_t> HostTensor::getInts() const {
  llvm::SmallVector<int64_t> values;
  for (int64_t i = 0, e = getNumElements(); i < e; ++i)
    values.push_back(getInt(i));
  return values;
}

bool HostTensor::isSplat() const {
  int64_t size = getElementByteSize(elementType);
  for (int64_t i = 1, e = getNumElements(); i < e; ++i)
    if (std::memcmp(data.data(), data.data() + i * size, size) != 0)
      return false;
  return true;
}

//===----------------------------------------------------------------------===//
// Construction and host operations
//===----------------------------------------------------------------------===//

HostTensor HostTensor::zeros(Type elementType, llvm::ArrayRef<int64_t> shape) {
  HostTensor t;
  t.elementType = elementType;
  t.shape.assign(shape.begin(), shape.end());
  t.data.assign(t.getNumElements() * getElementByteSize(elementType), 0);
  return t;
}

HostTensor HostTensor::fromInts(Type elementType,
                                llvm::ArrayRef<int64_t> shape,
                                llvm::ArrayRef<int64_t> values) {
  HostTensor t = zeros(elementType, shape);
  for (int64_t i = 0, e = t.getNumElements(); i < e; ++i)
    t.setInt(i, values.size() == 1 ? values[0] : values[i]);
  return t;
}

HostTensor HostTensor::fromDoubles(Type elementType,
                                   llvm::ArrayRef<int64_t> shape,
                                   llvm::ArrayRef<double> values) {
  HostTensor t = zeros(elementType, shape);
  for (int64_t i = 0, e = t.getNumElements(); i < e; ++i)
    t.setDouble(i, values.size() == 1 ? values[0] : values[i]);
  return t;
}

static llvm::SmallVector<int64_t> getStrides(llvm::ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

HostTensor HostTensor::transposed(llvm::ArrayRef<int64_t> perm) const {
  llvm::SmallVector<int64_t> newShape;
  for (int64_t p : perm)
    newShape.push_back(shape[p]);
  HostTensor t = zeros(elementType, newShape);
  int64_t size = getElementByteSize(elementType);
  llvm::SmallVector<int64_t> srcStrides = getStrides(shape);
  llvm::SmallVector<int64_t> index(newShape.size(), 0);
  for (int64_t i = 0, e = t.getNumElements(); i < e; ++i) {
    int64_t src = 0;
    for (size_t d = 0; d < perm.size(); ++d)
      src += index[d] * srcStrides[perm[d]];
    std::memcpy(t.data.data() + i * size, data.data() + src * size, size);
    for (int64_t d = static_cast<int64_t>(newShape.size()) - 1; d >= 0; --d) {
      if (++index[d] < newShape[d])
        break;
      index[d] = 0;
    }
  }
  return t;
}

HostTensor HostTensor::reshaped(llvm::ArrayRef<int64_t> newShape) const {
  HostTensor t = *this;
  t.shape.assign(newShape.begin(), newShape.end());
  return t;
}

HostTensor HostTensor::castTo(Type newElementType) const {
  HostTensor t = zeros(newElementType, shape);
  bool fromFloat = isa<FloatType>(elementType);
  for (int64_t i = 0, e = getNumElements(); i < e; ++i) {
    if (newElementType.isInteger(1))
      t.setInt(i, fromFloat ? getDouble(i) != 0.0 : getInt(i) != 0);
    else if (fromFloat)
      t.setDouble(i, getDouble(i));
    else
      t.setInt(i, getInt(i));
  }
  return t;
}

HostTensor HostTensor::sliced(llvm::ArrayRef<int64_t> starts,
                              llvm::ArrayRef<int64_t> steps,
                              llvm::ArrayRef<int64_t> sizes) const {
  HostTensor t = zeros(elementType, sizes);
  int64_t size = getElementByteSize(elementType);
  llvm::SmallVector<int64_t> srcStrides = getStrides(shape);
  llvm::SmallVector<int64_t> index(sizes.size(), 0);
  for (int64_t i = 0, e = t.getNumElements(); i < e; ++i) {
    int64_t src = 0;
    for (size_t d = 0; d < sizes.size(); ++d)
      src += (starts[d] + index[d] * steps[d]) * srcStrides[d];
    std::memcpy(t.data.data() + i * size, data.data() + src * size, size);
    for (int64_t d = static_cast<int64_t>(sizes.size()) - 1; d >= 0; --d) {
      if (++index[d] < sizes[d])
        break;
      index[d] = 0;
    }
  }
  return t;
}

HostTensor HostTensor::concat(llvm::ArrayRef<const HostTensor *> parts,
                              int64_t axis) {
  llvm::SmallVector<int64_t> shape(parts.front()->shape);
  shape[axis] = 0;
  for (const HostTensor *p : parts)
    shape[axis] += p->shape[axis];
  HostTensor t = zeros(parts.front()->elementType, shape);
  int64_t size = getElementByteSize(t.elementType);
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  char *dst = t.data.data();
  for (int64_t o = 0; o < outer; ++o) {
    for (const HostTensor *p : parts) {
      int64_t chunk = p->getNumElements() / std::max<int64_t>(outer, 1) * size;
      if (chunk == 0)
        continue;
      std::memcpy(dst, p->data.data() + o * chunk, chunk);
      dst += chunk;
    }
  }
  return t;
}

ElementsAttr HostTensor::toAttr(llvm::StringRef blobName,
                                int64_t inlineLimit) const {
  RankedTensorType type = getType();
  int64_t size = getElementByteSize(elementType);
  if (elementType.isInteger(1)) {
    llvm::SmallVector<bool> bits;
    for (int64_t i = 0, e = getNumElements(); i < e; ++i)
      bits.push_back(data[i] != 0);
    return DenseElementsAttr::get(type, bits);
  }
  if (getNumElements() > 0 && isSplat())
    return DenseElementsAttr::getFromRawBuffer(
        type, llvm::ArrayRef<char>(data.data(), size));
  if (getNumElements() <= inlineLimit)
    return DenseElementsAttr::getFromRawBuffer(type, data);
  AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
      data, alignof(uint64_t));
  return DenseResourceElementsAttr::get(type, blobName, std::move(blob));
}

//===----------------------------------------------------------------------===//
// TensorProto decoding
//===----------------------------------------------------------------------===//

/// Reads a tensor's bytes from external data (`location`, `offset`,
/// `length` relative to the model's directory).
static llvm::Expected<std::string>
readExternalData(const onnx::TensorProto &tensor, llvm::StringRef baseDir) {
  std::string location;
  uint64_t offset = 0;
  int64_t length = -1;
  for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
    if (entry.key() == "location")
      location = entry.value();
    else if (entry.key() == "offset")
      llvm::StringRef(entry.value()).getAsInteger(10, offset);
    else if (entry.key() == "length")
      llvm::StringRef(entry.value()).getAsInteger(10, length);
  }
  llvm::SmallString<256> path(baseDir);
  llvm::sys::path::append(path, location);
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError("cannot read external data '" +
                                   path.str() +
                                   "': " + buffer.getError().message());
  llvm::StringRef bytes = (*buffer)->getBuffer();
  if (offset > bytes.size() ||
      (length >= 0 && offset + length > bytes.size()))
    return llvm::createStringError("external data '" + path.str() +
                                   "' is shorter than offset + length");
  bytes = bytes.drop_front(offset);
  if (length >= 0)
    bytes = bytes.take_front(length);
  return bytes.str();
}

llvm::Expected<HostTensor> mlir::green::onnx_import::decodeTensorProto(
    MLIRContext *context, const onnx::TensorProto &tensor,
    llvm::StringRef baseDir) {
  Type elementType = convertOnnxElementType(context, tensor.data_type());
  if (!elementType)
    return llvm::createStringError("tensor '" + tensor.name() +
                                   "' has unsupported element type " +
                                   getOnnxElementTypeName(tensor.data_type()));
  llvm::SmallVector<int64_t> shape(tensor.dims().begin(), tensor.dims().end());
  for (int64_t d : shape)
    if (d < 0)
      return llvm::createStringError("tensor '" + tensor.name() +
                                     "' has a negative dimension");
  HostTensor t = HostTensor::zeros(elementType, shape);
  int64_t n = t.getNumElements();
  int64_t bytes = n * getElementByteSize(elementType);

  auto checkCount = [&](int64_t found) -> llvm::Error {
    if (found == n)
      return llvm::Error::success();
    return llvm::createStringError(
        "tensor '" + tensor.name() + "' has " + std::to_string(found) +
        " values for shape " + formatShape(shape) + " (" + std::to_string(n) +
        " elements): the file is corrupt or truncated");
  };

  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    llvm::Expected<std::string> raw = readExternalData(tensor, baseDir);
    if (!raw)
      return raw.takeError();
    if (static_cast<int64_t>(raw->size()) != bytes)
      return llvm::createStringError(
          "external data of tensor '" + tensor.name() + "' has " +
          std::to_string(raw->size()) + " bytes, expected " +
          std::to_string(bytes));
    std::memcpy(t.data.data(), raw->data(), bytes);
    return t;
  }
  if (tensor.has_raw_data()) {
    if (static_cast<int64_t>(tensor.raw_data().size()) != bytes)
      return llvm::createStringError(
          "tensor '" + tensor.name() + "' has " +
          std::to_string(tensor.raw_data().size()) + " bytes of raw data, " +
          "expected " + std::to_string(bytes) + " for shape " +
          formatShape(shape) + ": the file is corrupt or truncated");
    std::memcpy(t.data.data(), tensor.raw_data().data(), bytes);
    return t;
  }
  switch (tensor.data_type()) {
  case onnx::TensorProto::FLOAT:
    if (auto err = checkCount(tensor.float_data_size()))
      return std::move(err);
    for (int64_t i = 0; i < n; ++i)
      t.setDouble(i, tensor.float_data(i));
    break;
  case onnx::TensorProto::DOUBLE:
    if (auto err = checkCount(tensor.double_data_size()))
      return std::move(err);
    for (int64_t i = 0; i < n; ++i)
      t.setDouble(i, tensor.double_data(i));
    break;
  case onnx::TensorProto::INT64:
    if (auto err = checkCount(tensor.int64_data_size()))
      return std::move(err);
    for (int64_t i = 0; i < n; ++i)
      t.setInt(i, tensor.int64_data(i));
    break;
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64:
    if (auto err = checkCount(tensor.uint64_data_size()))
      return std::move(err);
    for (int64_t i = 0; i < n; ++i)
      t.setInt(i, static_cast<int64_t>(tensor.uint64_data(i)));
    break;
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16:
    // Stored as bit patterns in int32_data.
    if (auto err = checkCount(tensor.int32_data_size()))
      return std::move(err);
    for (int64_t i = 0; i < n; ++i)
      store<uint16_t>(t.data, i, static_cast<uint16_t>(tensor.int32_data(i)));
    break;
  default:
    if (auto err = checkCount(tensor.int32_data_size()))
      return std::move(err);
    for (int64_t i = 0; i < n; ++i)
      t.setInt(i, tensor.int32_data(i));
    break;
  }
  return t;
}

//===- OpConversionsQuant.cpp - quantized ONNX ops into integer linalg ----===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// QuantizeLinear, DequantizeLinear, MatMulInteger, QLinearMatMul,
// ConvInteger and QLinearConv in the project's integer representation:
//  - integer layers are linalg.matmul / linalg.conv_2d_nchw_fchw with i8
//    operands and an i32 accumulator (linalg.fill 0);
//  - zero points are exact corrections in i32: for a matmul
//      sum_k (a - za)(b - zb) = sum_k a b - za colsum(b) - zb rowsum(a)
//                               + K za zb,
//    with the terms on constant weights computed at import; a conv pads its
//    input with the input zero point so that the same identity holds at
//    every position (the weight zero-point term is a window sum, one more
//    conv with a ones kernel);
//  - element-wise epilogues are linalg.generic ops: sitofp, multiply by the
//    scale, round half to even, add the zero point, saturate, truncate.
// Requantization rounds before adding the zero point (as ONNX Runtime
// does); the multiplier of QLinearMatMul/QLinearConv is
// float32(a_scale * b_scale) / y_scale in float32.
//
// ONNX uint8 tensors are offset uint8 (ValueInfo::offsetU8): i8 holding
// v - 128. A uint8 zero point z becomes z - 128 in the same arithmetic, so
// (v - z) is unchanged and every kernel is a signed i8 kernel.
//
// Scales and zero points must be known at import time (they are
// initializers in quantized models).
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"

#include <cmath>
#include <numeric>

using namespace mlir;
using namespace mlir::green::onnx_import;

bool mlir::green::onnx_import::isQuantAwareOp(llvm::StringRef opType) {
  return llvm::is_contained({"QuantizeLinear", "DequantizeLinear", "MatMulInteger",
                             "QLinearMatMul", "ConvInteger", "QLinearConv"},
                            opType);
}

bool mlir::green::onnx_import::isU8LayoutOp(llvm::StringRef opType) {
  return llvm::is_contained({"Reshape", "Transpose", "Flatten", "Squeeze",
                             "Unsqueeze", "Identity", "MaxPool", "Concat",
                             "Slice", "Split", "Gather", "Expand", "Tile",
                             "GlobalMaxPool", "Pad"},
                            opType);
}

Value mlir::green::onnx_import::createFlipSignBit(OpBuilder &b, Location loc,
                                                  Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  llvm::SmallVector<int64_t> ones(type.getRank(), 1);
  auto constType = RankedTensorType::get(ones, b.getIntegerType(8));
  Value mask = tosa::ConstOp::create(
      b, loc, constType,
      DenseElementsAttr::get(constType, b.getIntegerAttr(b.getIntegerType(8),
                                                         -128)));
  return tosa::BitwiseXorOp::create(b, loc, type, x, mask);
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static int64_t product(llvm::ArrayRef<int64_t> values) {
  return std::accumulate(values.begin(), values.end(), int64_t{1},
                         std::multiplies<int64_t>());
}

/// An 8-bit operand in signed form: i8 (int8, or uint8 offset by -128).
struct QOperand {
  /// The signed values when known at import (i8 element type).
  std::optional<HostTensor> host;
  /// Whether the ONNX tensor is uint8.
  bool isU8 = false;
};

/// Input `i` (int8 or uint8) as a signed operand.
static FailureOr<QOperand> getQOperand(NodeImporter &n, unsigned i) {
  QOperand q;
  Type t = n.getInputElementType(i);
  q.isU8 = n.isU8Input(i);
  if (!q.isU8 && !t.isSignlessInteger(8))
    return n.emitError() << "input '" << n.getInputName(i)
                         << "' must be int8 or uint8";
  if (const HostTensor *c = n.getInputConstant(i)) {
    HostTensor s = HostTensor::zeros(n.getBuilder().getIntegerType(8),
                                     c->shape);
    for (int64_t k = 0, e = c->getNumElements(); k < e; ++k)
      s.setInt(k, c->getInt(k) - (q.isU8 ? 128 : 0));
    q.host = std::move(s);
  }
  return q;
}

/// The SSA value of a signed operand.
static Value getQValue(NodeImporter &n, unsigned i, const QOperand &q) {
  if (q.host)
    return n.getState().createConstant(
        *q.host, NameLoc::get(StringAttr::get(n.getContext(),
                                              n.getInputName(i))),
        n.getInputName(i));
  return n.getInput(i); // int8, or already offset uint8
}

/// Zero point input `i` as signed integers (offset by -128 when `isU8`);
/// {0} when absent.
static FailureOr<llvm::SmallVector<int64_t>>
getZeroPoints(NodeImporter &n, unsigned i, bool isU8) {
  if (!n.hasInput(i))
    return llvm::SmallVector<int64_t>{isU8 ? -128 : 0};
  const HostTensor *c = n.getInputConstant(i);
  if (!c)
    return n.emitError() << "zero point '" << n.getInputName(i)
                         << "' must be known at import time";
  llvm::SmallVector<int64_t> zp = c->getInts();
  if (isU8)
    for (int64_t &z : zp)
      z -= 128;
  return zp;
}

static FailureOr<llvm::SmallVector<double>> getScales(NodeImporter &n,
                                                      unsigned i) {
  const HostTensor *c = n.getInputConstant(i);
  if (!c)
    return n.emitError() << "scale '" << n.getInputName(i)
                         << "' must be known at import time";
  llvm::SmallVector<double> s;
  for (int64_t k = 0, e = c->getNumElements(); k < e; ++k)
    s.push_back(static_cast<float>(c->getDouble(k)));
  return s;
}

/// An element-wise linalg.generic producing `outType`; every input is
/// broadcast numpy-style (size-1 dimensions read index 0).
static Value
createGeneric(NodeImporter &n, RankedTensorType outType,
              llvm::ArrayRef<Value> inputs,
              llvm::function_ref<Value(OpBuilder &, Location, ValueRange)>
                  body) {
  OpBuilder &b = n.getBuilder();
  Location loc = n.getLoc();
  MLIRContext *ctx = n.getContext();
  int64_t rank = outType.getRank();
  llvm::SmallVector<AffineMap> maps;
  llvm::SmallVector<Value> ins;
  for (Value v : inputs) {
    v = n.createRankBroadcast(v, rank);
    auto t = cast<RankedTensorType>(v.getType());
    llvm::SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < rank; ++d)
      exprs.push_back(t.getDimSize(d) == 1 && outType.getDimSize(d) != 1
                          ? getAffineConstantExpr(0, ctx)
                          : getAffineDimExpr(d, ctx));
    maps.push_back(AffineMap::get(rank, 0, exprs, ctx));
    ins.push_back(v);
  }
  maps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));
  Value init = tensor::EmptyOp::create(b, loc, outType.getShape(),
                                       outType.getElementType());
  llvm::SmallVector<utils::IteratorType> iterators(
      rank, utils::IteratorType::parallel);
  auto op = linalg::GenericOp::create(
      b, loc, TypeRange{outType}, ins, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value r = body(nb, l, args.drop_back());
        linalg::YieldOp::create(nb, l, r);
      });
  return op.getResult(0);
}

/// A constant shaped to broadcast along `axis` of a rank-`rank` tensor (a
/// single value: all ones).
static Value createAxisConstant(NodeImporter &n, Type elementType,
                                llvm::ArrayRef<double> values, int64_t axis,
                                int64_t rank) {
  llvm::SmallVector<int64_t> shape(rank, 1);
  if (values.size() != 1)
    shape[axis] = values.size();
  return n.createConstant(
      HostTensor::fromDoubles(elementType, shape, values));
}

/// Saturating requantization of a float: round half to even, add `zp`,
/// clamp to the range of int8/uint8, then to the i8 storage (offset for
/// uint8).
static Value requantize(OpBuilder &b, Location loc, Value v, Value zp,
                        bool isU8) {
  Type f32 = b.getF32Type();
  Value r = math::RoundEvenOp::create(b, loc, v);
  r = arith::AddFOp::create(b, loc, r, zp);
  double lo = isU8 ? 0 : -128, hi = isU8 ? 255 : 127;
  r = arith::MaxNumFOp::create(
      b, loc, r, arith::ConstantOp::create(b, loc, b.getFloatAttr(f32, lo)));
  r = arith::MinNumFOp::create(
      b, loc, r, arith::ConstantOp::create(b, loc, b.getFloatAttr(f32, hi)));
  Value i = arith::FPToSIOp::create(b, loc, b.getI32Type(), r);
  if (isU8)
    i = arith::SubIOp::create(
        b, loc, i,
        arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(128)));
  return arith::TruncIOp::create(b, loc, b.getIntegerType(8), i);
}

static void setQuantizedOutput(NodeImporter &n, Value v, bool isU8) {
  if (isU8)
    n.setOutputOffsetU8(0, v);
  else
    n.setOutput(0, v);
}

/// acc (i32) requantized with a per-`axis` multiplier and output zero
/// point (inputs `scaleIdx`, `zpIdx` of the node are y_scale, y_zero_point).
static LogicalResult requantizeOutput(NodeImporter &n, Value acc,
                                      llvm::ArrayRef<double> inScale,
                                      int64_t axis, unsigned yScaleIdx,
                                      unsigned yZpIdx) {
  OpBuilder &b = n.getBuilder();
  auto yScale = getScales(n, yScaleIdx);
  if (failed(yScale))
    return failure();
  if (yScale->size() != 1)
    return n.emitError() << "y_scale must be a scalar";
  bool outU8 = !n.hasInput(yZpIdx) || n.isU8Input(yZpIdx);
  auto yZp = getZeroPoints(n, yZpIdx, /*isU8=*/false);
  if (failed(yZp))
    return failure();
  if (yZp->size() != 1)
    return n.emitError() << "y_zero_point must be a scalar";
  llvm::SmallVector<double> mult;
  for (double s : inScale)
    mult.push_back(static_cast<float>(static_cast<float>(s) /
                                      static_cast<float>((*yScale)[0])));
  auto accType = cast<RankedTensorType>(acc.getType());
  int64_t rank = accType.getRank();
  Value m = createAxisConstant(n, b.getF32Type(), mult, axis, rank);
  double zp = static_cast<double>((*yZp)[0]);
  auto outType = RankedTensorType::get(accType.getShape(), b.getIntegerType(8));
  Value y = createGeneric(
      n, outType, {acc, m}, [&](OpBuilder &nb, Location l, ValueRange args) {
        Value f = arith::SIToFPOp::create(nb, l, nb.getF32Type(), args[0]);
        f = arith::MulFOp::create(nb, l, f, args[1]);
        Value z = arith::ConstantOp::create(
            nb, l, nb.getFloatAttr(nb.getF32Type(), zp));
        return requantize(nb, l, f, z, outU8);
      });
  setQuantizedOutput(n, y, outU8);
  return success();
}

//===----------------------------------------------------------------------===//
// QuantizeLinear and DequantizeLinear
//===----------------------------------------------------------------------===//

/// The per-axis axis of Quantize/DequantizeLinear (axis attribute, opset
/// 13) when the scale has more than one element.
static FailureOr<int64_t> getQuantAxis(NodeImporter &n, size_t numScales) {
  int64_t rank = n.getInputRank(0);
  if (numScales == 1)
    return 0;
  auto axis = n.normalizeAxis(n.getIntAttr("axis", 1), rank);
  if (failed(axis))
    return failure();
  if (n.getInputShape(0)[*axis] != static_cast<int64_t>(numScales))
    return n.emitError() << numScales << " scales for axis " << *axis
                         << " of " << formatShape(n.getInputShape(0));
  return axis;
}

static LogicalResult convertQuantizeLinear(NodeImporter &n) {
  OpBuilder &b = n.getBuilder();
  if (!n.getInputElementType(0).isF32())
    return n.emitError() << "only float32 inputs are supported";
  auto scales = getScales(n, 1);
  if (failed(scales))
    return failure();
  bool isU8 = !n.hasInput(2) || n.isU8Input(2);
  if (n.hasInput(2) && !isU8 && !n.getInputElementType(2).isSignlessInteger(8))
    return n.emitError() << "only int8 and uint8 outputs are supported";
  auto zps = getZeroPoints(n, 2, /*isU8=*/false);
  if (failed(zps))
    return failure();
  if (zps->size() != scales->size())
    return n.emitError() << "scale and zero point sizes differ";
  auto axis = getQuantAxis(n, scales->size());
  if (failed(axis))
    return failure();
  int64_t rank = n.getInputRank(0);
  Value s = createAxisConstant(n, b.getF32Type(), *scales, *axis, rank);
  llvm::SmallVector<double> zpf(zps->begin(), zps->end());
  Value z = createAxisConstant(n, b.getF32Type(), zpf, *axis, rank);
  auto outType =
      RankedTensorType::get(n.getInputShape(0), b.getIntegerType(8));
  Value y = createGeneric(
      n, outType, {n.getInput(0), s, z},
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value q = arith::DivFOp::create(nb, l, args[0], args[1]);
        return requantize(nb, l, q, args[2], isU8);
      });
  setQuantizedOutput(n, y, isU8);
  return success();
}

static LogicalResult convertDequantizeLinear(NodeImporter &n) {
  OpBuilder &b = n.getBuilder();
  Type xType = n.getInputElementType(0);
  bool isU8 = n.isU8Input(0);
  if (!isU8 && !xType.isSignlessInteger(8) && !xType.isSignlessInteger(32))
    return n.emitError() << "only int8, uint8 and int32 inputs are supported";
  auto scales = getScales(n, 1);
  if (failed(scales))
    return failure();
  auto zps = getZeroPoints(n, 2, isU8);
  if (failed(zps))
    return failure();
  if (zps->size() != scales->size())
    return n.emitError() << "scale and zero point sizes differ";
  auto axis = getQuantAxis(n, scales->size());
  if (failed(axis))
    return failure();
  int64_t rank = n.getInputRank(0);
  Value x;
  if (const HostTensor *c = n.getInputConstant(0)) {
    // Constant weights (QDQ models): dequantized at import.
    HostTensor y = HostTensor::zeros(b.getF32Type(), c->shape);
    llvm::ArrayRef<int64_t> shape = c->shape;
    int64_t inner = product(shape.drop_front(*axis + 1));
    int64_t count = scales->size();
    for (int64_t k = 0, e = c->getNumElements(); k < e; ++k) {
      int64_t ch = count == 1 ? 0 : (k / inner) % count;
      int64_t zp = (*zps)[ch] + (isU8 ? 128 : 0);
      y.setDouble(k, static_cast<float>(
                         static_cast<float>(c->getInt(k) - zp) *
                         static_cast<float>((*scales)[ch])));
    }
    n.setOutputConstant(0, std::move(y));
    return success();
  }
  x = n.getInput(0);
  Value s = createAxisConstant(n, b.getF32Type(), *scales, *axis, rank);
  llvm::SmallVector<double> zpd(zps->begin(), zps->end());
  Value z = createAxisConstant(n, b.getI32Type(), zpd, *axis, rank);
  auto outType = RankedTensorType::get(n.getInputShape(0), b.getF32Type());
  Value y = createGeneric(
      n, outType, {x, s, z}, [&](OpBuilder &nb, Location l, ValueRange args) {
        Value v = args[0];
        if (!v.getType().isInteger(32))
          v = arith::ExtSIOp::create(nb, l, nb.getI32Type(), v);
        v = arith::SubIOp::create(nb, l, v, args[2]);
        Value f = arith::SIToFPOp::create(nb, l, nb.getF32Type(), v);
        return arith::MulFOp::create(nb, l, f, args[1]);
      });
  n.setOutput(0, y);
  return success();
}

//===----------------------------------------------------------------------===//
// MatMulInteger and QLinearMatMul
//===----------------------------------------------------------------------===//

/// i32 tensor of zeros, for accumulators.
static Value createZeroAcc(NodeImporter &n, llvm::ArrayRef<int64_t> shape) {
  OpBuilder &b = n.getBuilder();
  Location loc = n.getLoc();
  Value empty = tensor::EmptyOp::create(b, loc, shape, b.getI32Type());
  Value zero = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0));
  return linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{empty})
      .getResult(0);
}

/// Sum of i8 `x` over `axis` as i32, keeping the dimension.
static Value createI32Sum(NodeImporter &n, Value x, int64_t axis) {
  auto type = cast<RankedTensorType>(x.getType());
  Value wide = tosa::CastOp::create(
      n.getBuilder(), n.getLoc(),
      RankedTensorType::get(type.getShape(), n.getBuilder().getI32Type()), x);
  return n.createReduce<tosa::ReduceSumOp>(wide, {axis});
}

/// The exact integer product (a - za)(b - zb) of A [..., M, K] and B [K, N]
/// (inputs 0 and 1; zero points `zaIdx`, `zbIdx`, or -1 when absent), as i32
/// [..., M, N]. Also returns whether each operand was uint8.
static FailureOr<Value> createIntegerMatmul(NodeImporter &n, int zaIdx,
                                            int zbIdx, unsigned aIdx,
                                            unsigned bIdx) {
  OpBuilder &b = n.getBuilder();
  Location loc = n.getLoc();
  llvm::ArrayRef<int64_t> aShape = n.getInputShape(aIdx);
  llvm::ArrayRef<int64_t> bShape = n.getInputShape(bIdx);
  if (aShape.size() < 2 || bShape.size() != 2)
    return n.emitError() << "supported: A of rank 2 or more and a 2-D B, got "
                         << formatShape(aShape) << " x "
                         << formatShape(bShape);
  int64_t m = product(aShape.drop_back()), k = aShape.back(),
          nn = bShape[1];
  if (bShape[0] != k)
    return n.emitError() << "inner dimensions differ: "
                         << formatShape(aShape) << " x "
                         << formatShape(bShape);
  auto qa = getQOperand(n, aIdx), qb = getQOperand(n, bIdx);
  if (failed(qa) || failed(qb))
    return failure();
  auto za = zaIdx >= 0 ? getZeroPoints(n, zaIdx, qa->isU8)
                       : FailureOr<llvm::SmallVector<int64_t>>(
                             llvm::SmallVector<int64_t>{qa->isU8 ? -128 : 0});
  auto zb = zbIdx >= 0 ? getZeroPoints(n, zbIdx, qb->isU8)
                       : FailureOr<llvm::SmallVector<int64_t>>(
                             llvm::SmallVector<int64_t>{qb->isU8 ? -128 : 0});
  if (failed(za) || failed(zb))
    return failure();
  // ONNX allows a per-row A zero point (2-D A) and a per-column B one.
  if (za->size() != 1 && (aShape.size() != 2 ||
                          static_cast<int64_t>(za->size()) != m))
    return n.emitError() << "a_zero_point must be a scalar or have one value "
                            "per row of a 2-D A";
  if (zb->size() != 1 && static_cast<int64_t>(zb->size()) != nn)
    return n.emitError() << "b_zero_point must be a scalar or have one value "
                            "per column";
  Value a = n.createReshape(getQValue(n, aIdx, *qa), {m, k});
  Value bv = getQValue(n, bIdx, *qb);
  auto accType = RankedTensorType::get({m, nn}, b.getI32Type());
  Value acc = linalg::MatmulOp::create(b, loc, TypeRange{accType},
                                       ValueRange{a, bv},
                                       ValueRange{createZeroAcc(n, {m, nn})})
                  .getResult(0);
  bool zaZero = llvm::all_of(*za, [](int64_t z) { return z == 0; });
  bool zbZero = llvm::all_of(*zb, [](int64_t z) { return z == 0; });
  auto zaAt = [&](int64_t i) { return (*za)[za->size() == 1 ? 0 : i]; };
  auto zbAt = [&](int64_t j) { return (*zb)[zb->size() == 1 ? 0 : j]; };
  // Terms known at import: -za colsum(b) + K za zb, as [M or 1, N].
  if (!zaZero) {
    int64_t rows = za->size() == 1 ? 1 : m;
    if (qb->host) {
      llvm::SmallVector<int64_t> colsum(nn, 0);
      for (int64_t r = 0; r < k; ++r)
        for (int64_t c = 0; c < nn; ++c)
          colsum[c] += qb->host->getInt(r * nn + c);
      llvm::SmallVector<int64_t> bias;
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < nn; ++c)
          bias.push_back(-zaAt(r) * colsum[c] + k * zaAt(r) * zbAt(c));
      auto v = n.createBinary<tosa::AddOp>(
          acc, n.createConstant(HostTensor::fromInts(b.getI32Type(),
                                                     {rows, nn}, bias)));
      if (failed(v))
        return failure();
      acc = *v;
    } else {
      // -za colsum(b) at run time, + K za zb at import.
      Value colsum = createI32Sum(n, bv, 0); // [1, N]
      llvm::SmallVector<int64_t> negZa, kzz;
      for (int64_t r = 0; r < rows; ++r)
        negZa.push_back(-zaAt(r));
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < nn; ++c)
          kzz.push_back(k * zaAt(r) * zbAt(c));
      auto term = n.createMul(colsum, n.createConstant(HostTensor::fromInts(
                                          b.getI32Type(), {rows, 1}, negZa)));
      if (failed(term))
        return failure();
      auto v = n.createBinary<tosa::AddOp>(acc, *term);
      if (failed(v))
        return failure();
      v = n.createBinary<tosa::AddOp>(
          *v, n.createConstant(
                  HostTensor::fromInts(b.getI32Type(), {rows, nn}, kzz)));
      if (failed(v))
        return failure();
      acc = *v;
    }
  }
  // -zb rowsum(a), at run time (a is an activation) or at import.
  if (!zbZero) {
    Value rowsum = createI32Sum(n, a, 1); // [M, 1]
    llvm::SmallVector<int64_t> negZb;
    for (int64_t c = 0; c < static_cast<int64_t>(zb->size()); ++c)
      negZb.push_back(-(*zb)[c]);
    auto term = n.createMul(
        rowsum, n.createConstant(HostTensor::fromInts(
                    b.getI32Type(), {1, static_cast<int64_t>(zb->size())},
                    negZb)));
    if (failed(term))
      return failure();
    auto v = n.createBinary<tosa::AddOp>(acc, *term);
    if (failed(v))
      return failure();
    acc = *v;
  }
  llvm::SmallVector<int64_t> outShape(aShape.drop_back());
  outShape.push_back(nn);
  return n.createReshape(acc, outShape);
}

static LogicalResult convertMatMulInteger(NodeImporter &n) {
  auto acc = createIntegerMatmul(n, n.hasInput(2) ? 2 : -1,
                                 n.hasInput(3) ? 3 : -1, 0, 1);
  if (failed(acc))
    return failure();
  n.setOutput(0, *acc);
  return success();
}

static LogicalResult convertQLinearMatMul(NodeImporter &n) {
  // a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zp
  auto acc = createIntegerMatmul(n, 2, 5, 0, 3);
  if (failed(acc))
    return failure();
  auto aScale = getScales(n, 1), bScale = getScales(n, 4);
  if (failed(aScale) || failed(bScale))
    return failure();
  if (aScale->size() != 1)
    return n.emitError() << "a_scale must be a scalar";
  llvm::SmallVector<double> scale;
  for (double s : *bScale)
    scale.push_back(static_cast<float>((*aScale)[0] * s));
  int64_t rank = cast<RankedTensorType>(acc->getType()).getRank();
  return requantizeOutput(n, *acc, scale, rank - 1, 6, 7);
}

//===----------------------------------------------------------------------===//
// ConvInteger and QLinearConv
//===----------------------------------------------------------------------===//

/// The exact integer convolution (x - zx) * (w - zw) (+ bias) as i32 NCHW.
static FailureOr<Value> createIntegerConv(NodeImporter &n, unsigned xIdx,
                                          int zxIdx, unsigned wIdx, int zwIdx,
                                          int biasIdx) {
  OpBuilder &b = n.getBuilder();
  Location loc = n.getLoc();
  llvm::ArrayRef<int64_t> xShape = n.getInputShape(xIdx);
  llvm::ArrayRef<int64_t> wShape = n.getInputShape(wIdx);
  if (xShape.size() != 4 || wShape.size() != 4)
    return n.emitError() << "only 2-D convolutions are supported, got input "
                         << formatShape(xShape);
  llvm::SmallVector<int64_t> kernel = {wShape[2], wShape[3]};
  auto conv = computeConvWindow(n, xShape, wShape, kernel);
  if (failed(conv))
    return failure();
  int64_t group = conv->group;
  int64_t channels = xShape[1], outChannels = wShape[0];
  llvm::ArrayRef<int64_t> strides = conv->strides, dilations = conv->dilations;
  llvm::SmallVector<WindowDim> *window = &conv->window;
  auto qx = getQOperand(n, xIdx), qw = getQOperand(n, wIdx);
  if (failed(qx) || failed(qw))
    return failure();
  if (!qw->host)
    return n.emitError() << "the weight must be known at import time";
  auto zx = zxIdx >= 0 ? getZeroPoints(n, zxIdx, qx->isU8)
                       : FailureOr<llvm::SmallVector<int64_t>>(
                             llvm::SmallVector<int64_t>{qx->isU8 ? -128 : 0});
  auto zw = zwIdx >= 0 ? getZeroPoints(n, zwIdx, qw->isU8)
                       : FailureOr<llvm::SmallVector<int64_t>>(
                             llvm::SmallVector<int64_t>{qw->isU8 ? -128 : 0});
  if (failed(zx) || failed(zw))
    return failure();
  if (zx->size() != 1)
    return n.emitError() << "x_zero_point must be a scalar";
  if (zw->size() != 1 && static_cast<int64_t>(zw->size()) != outChannels)
    return n.emitError() << "w_zero_point must be a scalar or have one value "
                            "per output channel";
  int64_t zxv = (*zx)[0];
  auto zwAt = [&](int64_t f) { return (*zw)[zw->size() == 1 ? 0 : f]; };
  llvm::SmallVector<int64_t> bias(outChannels, 0);
  if (biasIdx >= 0 && n.hasInput(biasIdx)) {
    const HostTensor *c = n.getInputConstant(biasIdx);
    if (!c)
      return n.emitError() << "the bias must be known at import time";
    bias = c->getInts();
  }

  // Pad with the input zero point: (x - zx) is then 0 in the padding, as
  // ONNX's zero padding of (x - zx) requires. Negative end padding crops.
  Value x = getQValue(n, xIdx, *qx);
  llvm::SmallVector<int64_t> starts(4, 0), sizes(xShape);
  bool crop = false;
  for (int i = 0; i < 2; ++i)
    if ((*window)[i].padEnd < 0) {
      sizes[2 + i] += (*window)[i].padEnd;
      (*window)[i].padEnd = 0;
      crop = true;
    }
  if (crop)
    x = n.createSlice(x, starts, sizes);
  llvm::SmallVector<int64_t> padded(sizes);
  llvm::SmallVector<int64_t> padding = {0, 0, 0, 0};
  bool pad = false;
  for (int i = 0; i < 2; ++i) {
    padding.append({(*window)[i].padBegin, (*window)[i].padEnd});
    padded[2 + i] += (*window)[i].padBegin + (*window)[i].padEnd;
    pad |= (*window)[i].padBegin || (*window)[i].padEnd;
  }
  if (pad) {
    llvm::SmallVector<int64_t> low, high;
    for (size_t i = 0; i < padding.size(); i += 2) {
      low.push_back(padding[i]);
      high.push_back(padding[i + 1]);
    }
    x = n.createPad(x, low, high, static_cast<double>(zxv));
  }

  int64_t inPerGroup = channels / group, outPerGroup = outChannels / group;
  int64_t n0 = xShape[0], oh = (*window)[0].output, ow = (*window)[1].output;
  int64_t kSize = inPerGroup * kernel[0] * kernel[1];
  auto stridesAttr = b.getI64VectorAttr(strides);
  auto dilationsAttr = b.getI64VectorAttr(dilations);
  bool zwZero = llvm::all_of(*zw, [](int64_t z) { return z == 0; });
  llvm::SmallVector<Value> parts;
  for (int64_t g = 0; g < group; ++g) {
    Value xg = x;
    if (group > 1)
      xg = n.createSlice(x, {0, g * inPerGroup, 0, 0},
                         {n0, inPerGroup, padded[2], padded[3]});
    HostTensor wg = qw->host->sliced(
        {g * outPerGroup, 0, 0, 0}, {1, 1, 1, 1},
        {outPerGroup, inPerGroup, kernel[0], kernel[1]});
    Value wv = n.getState().createConstant(
        wg, NameLoc::get(StringAttr::get(n.getContext(), n.getInputName(wIdx))),
        n.getInputName(wIdx));
    auto accType =
        RankedTensorType::get({n0, outPerGroup, oh, ow}, b.getI32Type());
    Value acc = linalg::Conv2DNchwFchwOp::create(
                    b, loc, TypeRange{accType}, ValueRange{xg, wv},
                    ValueRange{createZeroAcc(n, accType.getShape())},
                    stridesAttr, dilationsAttr)
                    .getResult(0);
    // Per-channel terms: bias - zx sum(w) + K zx zw.
    llvm::SmallVector<int64_t> channelTerm;
    for (int64_t f = 0; f < outPerGroup; ++f) {
      int64_t sum = 0;
      for (int64_t e = 0; e < kSize; ++e)
        sum += wg.getInt(f * kSize + e);
      int64_t F = g * outPerGroup + f;
      channelTerm.push_back(bias[F] - zxv * sum + kSize * zxv * zwAt(F));
    }
    if (llvm::any_of(channelTerm, [](int64_t t) { return t != 0; })) {
      auto v = n.createBinary<tosa::AddOp>(
          acc, n.createConstant(HostTensor::fromInts(
                   b.getI32Type(), {1, outPerGroup, 1, 1}, channelTerm)));
      if (failed(v))
        return failure();
      acc = *v;
    }
    if (!zwZero) {
      // -zw[f] * (window sum of x): a conv with a ones kernel.
      HostTensor ones =
          HostTensor::zeros(b.getIntegerType(8),
                            {1, inPerGroup, kernel[0], kernel[1]});
      for (int64_t e = 0; e < kSize; ++e)
        ones.setInt(e, 1);
      auto sumType = RankedTensorType::get({n0, 1, oh, ow}, b.getI32Type());
      Value sums = linalg::Conv2DNchwFchwOp::create(
                       b, loc, TypeRange{sumType},
                       ValueRange{xg, n.createConstant(ones)},
                       ValueRange{createZeroAcc(n, sumType.getShape())},
                       stridesAttr, dilationsAttr)
                       .getResult(0);
      llvm::SmallVector<int64_t> negZw;
      for (int64_t f = 0; f < outPerGroup; ++f)
        negZw.push_back(-zwAt(g * outPerGroup + f));
      auto term = n.createMul(
          sums, n.createConstant(HostTensor::fromInts(
                    b.getI32Type(), {1, outPerGroup, 1, 1}, negZw)));
      if (failed(term))
        return failure();
      auto v = n.createBinary<tosa::AddOp>(acc, *term);
      if (failed(v))
        return failure();
      acc = *v;
    }
    parts.push_back(acc);
  }
  if (parts.size() == 1)
    return parts.front();
  return tosa::ConcatOp::create(
             b, loc,
             RankedTensorType::get({n0, outChannels, oh, ow}, b.getI32Type()),
             parts, b.getI32IntegerAttr(1))
      .getResult();
}

static LogicalResult convertConvInteger(NodeImporter &n) {
  auto acc = createIntegerConv(n, 0, n.hasInput(2) ? 2 : -1, 1,
                               n.hasInput(3) ? 3 : -1, -1);
  if (failed(acc))
    return failure();
  n.setOutput(0, *acc);
  return success();
}

static LogicalResult convertQLinearConv(NodeImporter &n) {
  // x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B
  auto acc = createIntegerConv(n, 0, 2, 3, 5, 8);
  if (failed(acc))
    return failure();
  auto xScale = getScales(n, 1), wScale = getScales(n, 4);
  if (failed(xScale) || failed(wScale))
    return failure();
  if (xScale->size() != 1)
    return n.emitError() << "x_scale must be a scalar";
  llvm::SmallVector<double> scale;
  for (double s : *wScale)
    scale.push_back(static_cast<float>((*xScale)[0] * s));
  return requantizeOutput(n, *acc, scale, 1, 6, 7);
}

void mlir::green::onnx_import::populateQuantConverters(
    llvm::StringMap<OpConverter> &converters) {
  converters["QuantizeLinear"] = convertQuantizeLinear;
  converters["DequantizeLinear"] = convertDequantizeLinear;
  converters["MatMulInteger"] = convertMatMulInteger;
  converters["QLinearMatMul"] = convertQLinearMatMul;
  converters["ConvInteger"] = convertConvInteger;
  converters["QLinearConv"] = convertQLinearConv;
}

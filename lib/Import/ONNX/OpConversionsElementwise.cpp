//===- OpConversionsElementwise.cpp - elementwise ONNX ops ----------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Arithmetic with numpy broadcasting, activations, comparisons, Clip and
// Cast. Binary ops on operands known at import time (shape arithmetic) fold
// on the host; everything else becomes TOSA (tosa.add, tosa.clamp, ...),
// except Sqrt (math.sqrt) and Cast (arith casts: ONNX truncates float to int
// toward zero, tosa.cast rounds to nearest).
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::green::onnx_import;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Largest elementwise-folded constant: shape arithmetic, not weights.
static constexpr int64_t kMaxFoldElements = 4096;

/// `value` as a clamp bound of `elementType`, saturated to its range.
static Attribute getClampAttr(OpBuilder &b, Type elementType, double value) {
  if (auto floatType = dyn_cast<FloatType>(elementType)) {
    const llvm::fltSemantics &sem = floatType.getFloatSemantics();
    llvm::APFloat largest = llvm::APFloat::getLargest(sem);
    double max = largest.convertToDouble();
    if (std::isinf(value) || std::abs(value) > max)
      value = value > 0 ? max : -max;
    return b.getFloatAttr(elementType, value);
  }
  unsigned width = elementType.getIntOrFloatBitWidth();
  double lo = -std::ldexp(1.0, width - 1), hi = std::ldexp(1.0, width - 1) - 1;
  value = std::min(std::max(value, lo), hi);
  return b.getIntegerAttr(elementType, static_cast<int64_t>(value));
}

static Value createClamp(NodeImporter &n, Value input, double lo, double hi) {
  OpBuilder &b = n.getBuilder();
  Type elementType = cast<RankedTensorType>(input.getType()).getElementType();
  return tosa::ClampOp::create(
      b, n.getLoc(), input.getType(), input,
      getClampAttr(b, elementType, lo), getClampAttr(b, elementType, hi),
      tosa::NanPropagationModeAttr::get(b.getContext(),
                                        tosa::NanPropagationMode::PROPAGATE));
}

/// Folds a binary op whose operands are both known at import time. Returns
/// false when it does not apply.
template <typename IntFn, typename FloatFn>
static bool foldBinary(NodeImporter &n, IntFn intFn, FloatFn floatFn,
                       Type resultElementType = {}) {
  const HostTensor *lhs = n.getInputConstant(0);
  const HostTensor *rhs = n.getInputConstant(1);
  if (!lhs || !rhs || lhs->elementType != rhs->elementType)
    return false;
  auto shape = n.broadcastShapes(lhs->shape, rhs->shape);
  if (failed(shape))
    return false;
  Type elementType = resultElementType ? resultElementType : lhs->elementType;
  HostTensor result = HostTensor::zeros(elementType, *shape);
  if (result.getNumElements() > kMaxFoldElements)
    return false;
  auto index = [&](const HostTensor &t, int64_t flat) {
    // Map a flat result index to the broadcast operand's flat index.
    int64_t rank = shape->size(), offset = rank - t.shape.size(), src = 0;
    int64_t stride = 1;
    for (int64_t d = rank - 1; d >= 0; --d) {
      int64_t coord = flat % (*shape)[d];
      flat /= (*shape)[d];
      if (d < offset)
        continue;
      int64_t dim = t.shape[d - offset];
      src += (dim == 1 ? 0 : coord) * stride;
      stride *= dim;
    }
    return src;
  };
  bool isFloat = isa<FloatType>(lhs->elementType);
  for (int64_t i = 0, e = result.getNumElements(); i < e; ++i) {
    int64_t l = index(*lhs, i), r = index(*rhs, i);
    if (isFloat)
      result.setDouble(i, floatFn(lhs->getDouble(l), rhs->getDouble(r)));
    else
      result.setInt(i, intFn(lhs->getInt(l), rhs->getInt(r)));
  }
  n.setOutputConstant(0, std::move(result));
  return true;
}

//===----------------------------------------------------------------------===//
// Binary arithmetic
//===----------------------------------------------------------------------===//

static LogicalResult convertAdd(NodeImporter &n) {
  if (foldBinary(
          n, [](int64_t a, int64_t b) { return a + b; },
          [](double a, double b) { return a + b; }))
    return success();
  auto v = n.createBinary<tosa::AddOp>(n.getInput(0), n.getInput(1));
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

static LogicalResult convertSub(NodeImporter &n) {
  if (foldBinary(
          n, [](int64_t a, int64_t b) { return a - b; },
          [](double a, double b) { return a - b; }))
    return success();
  auto v = n.createBinary<tosa::SubOp>(n.getInput(0), n.getInput(1));
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

static LogicalResult convertMul(NodeImporter &n) {
  if (foldBinary(
          n, [](int64_t a, int64_t b) { return a * b; },
          [](double a, double b) { return a * b; }))
    return success();
  auto v = n.createMul(n.getInput(0), n.getInput(1));
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

static LogicalResult convertDiv(NodeImporter &n) {
  if (foldBinary(
          n, [](int64_t a, int64_t b) { return b ? a / b : 0; },
          [](double a, double b) { return a / b; }))
    return success();
  Type elementType = n.getInputElementType(0);
  if (!isa<FloatType>(elementType)) {
    if (!elementType.isInteger(32))
      return n.emitError() << "integer division is supported on i32 only, "
                              "got "
                           << elementType;
    auto v = n.createBinary<tosa::IntDivOp>(n.getInput(0), n.getInput(1));
    if (failed(v))
      return failure();
    n.setOutput(0, *v);
    return success();
  }
  // x / y = x * reciprocal(y); a constant divisor is inverted at import.
  Value divisor;
  if (const HostTensor *c = n.getInputConstant(1)) {
    HostTensor inverse = *c;
    for (int64_t i = 0, e = inverse.getNumElements(); i < e; ++i)
      inverse.setDouble(i, 1.0 / c->getDouble(i));
    divisor = n.createConstant(inverse);
  } else {
    Value y = n.getInput(1);
    divisor = tosa::ReciprocalOp::create(n.getBuilder(), n.getLoc(),
                                         y.getType(), y);
  }
  auto v = n.createMul(n.getInput(0), divisor);
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

static LogicalResult convertPow(NodeImporter &n) {
  if (n.getInputElementType(0) != n.getInputElementType(1))
    return n.emitError() << "exponent of type " << n.getInputElementType(1)
                         << " differs from base type "
                         << n.getInputElementType(0);
  auto v = n.createBinary<tosa::PowOp>(n.getInput(0), n.getInput(1));
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

/// Max, Min, Sum, Mean: variadic, folded pairwise.
template <typename OpTy>
static LogicalResult convertVariadic(NodeImporter &n) {
  Value acc = n.getInput(0);
  for (unsigned i = 1, e = n.getNumInputs(); i < e; ++i) {
    auto v = n.createBinary<OpTy>(acc, n.getInput(i));
    if (failed(v))
      return failure();
    acc = *v;
  }
  if (n.getOpType() == "Mean" && n.getNumInputs() > 1) {
    auto type = cast<RankedTensorType>(acc.getType());
    auto v = n.createMul(acc, n.createScalar(type.getElementType(),
                                             1.0 / n.getNumInputs(),
                                             type.getRank()));
    if (failed(v))
      return failure();
    acc = *v;
  }
  n.setOutput(0, acc);
  return success();
}

//===----------------------------------------------------------------------===//
// Comparisons and logic
//===----------------------------------------------------------------------===//

template <typename OpTy, bool swap, bool negate>
static LogicalResult convertCompare(NodeImporter &n) {
  Type i1 = n.getBuilder().getI1Type();
  Value lhs = n.getInput(swap ? 1 : 0), rhs = n.getInput(swap ? 0 : 1);
  auto v = n.createBinary<OpTy>(lhs, rhs, i1);
  if (failed(v))
    return failure();
  Value result = *v;
  if (negate)
    result = tosa::LogicalNotOp::create(n.getBuilder(), n.getLoc(),
                                        result.getType(), result);
  n.setOutput(0, result);
  return success();
}

static LogicalResult convertEqual(NodeImporter &n) {
  Type i1 = n.getBuilder().getI1Type();
  if (foldBinary(
          n, [](int64_t a, int64_t b) -> int64_t { return a == b; },
          [](double a, double b) -> double { return a == b; }, i1))
    return success();
  return convertCompare<tosa::EqualOp, false, false>(n);
}

template <typename OpTy>
static LogicalResult convertLogical(NodeImporter &n) {
  auto v = n.createBinary<OpTy>(n.getInput(0), n.getInput(1));
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

static LogicalResult convertWhere(NodeImporter &n) {
  auto shape = n.broadcastShapes(n.getInputShape(0), n.getInputShape(1));
  if (failed(shape))
    return failure();
  shape = n.broadcastShapes(*shape, n.getInputShape(2));
  if (failed(shape))
    return failure();
  int64_t rank = shape->size();
  Value cond = n.createRankBroadcast(n.getInput(0), rank);
  Value x = n.createRankBroadcast(n.getInput(1), rank);
  Value y = n.createRankBroadcast(n.getInput(2), rank);
  auto type = RankedTensorType::get(*shape, n.getInputElementType(1));
  n.setOutput(0, tosa::SelectOp::create(n.getBuilder(), n.getLoc(), type,
                                        cond, x, y));
  return success();
}

//===----------------------------------------------------------------------===//
// Unary ops and activations
//===----------------------------------------------------------------------===//

template <typename OpTy>
static LogicalResult convertUnary(NodeImporter &n) {
  Value x = n.getInput(0);
  n.setOutput(0, OpTy::create(n.getBuilder(), n.getLoc(), x.getType(), x));
  return success();
}

static LogicalResult convertSqrt(NodeImporter &n) {
  Value x = n.getInput(0);
  n.setOutput(0, math::SqrtOp::create(n.getBuilder(), n.getLoc(), x));
  return success();
}

static LogicalResult convertNeg(NodeImporter &n) {
  Value x = n.getInput(0);
  Type elementType = n.getInputElementType(0);
  n.setOutput(0, tosa::NegateOp::create(n.getBuilder(), n.getLoc(),
                                        x.getType(), x,
                                        n.createZeroPoint(elementType),
                                        n.createZeroPoint(elementType)));
  return success();
}

static LogicalResult convertRelu(NodeImporter &n) {
  n.setOutput(0, createClamp(n, n.getInput(0), 0.0,
                             std::numeric_limits<double>::infinity()));
  return success();
}

static LogicalResult convertLeakyRelu(NodeImporter &n) {
  double alpha = n.getFloatAttr("alpha", 0.01f);
  Value x = n.getInput(0);
  auto type = cast<RankedTensorType>(x.getType());
  auto scaled = n.createMul(
      x, n.createScalar(type.getElementType(), alpha, type.getRank()));
  if (failed(scaled))
    return failure();
  if (alpha >= 0.0 && alpha <= 1.0) {
    // max(x, alpha * x) for 0 <= alpha <= 1.
    n.setOutput(0, tosa::MaximumOp::create(n.getBuilder(), n.getLoc(), type,
                                           x, *scaled));
    return success();
  }
  Value zero = n.createScalar(type.getElementType(), 0.0, type.getRank());
  auto isNonNegative = n.createBinary<tosa::GreaterEqualOp>(
      x, zero, n.getBuilder().getI1Type());
  if (failed(isNonNegative))
    return failure();
  n.setOutput(0, tosa::SelectOp::create(n.getBuilder(), n.getLoc(), type,
                                        *isNonNegative, x, *scaled));
  return success();
}

/// clamp(alpha * x + beta, 0, 1).
static FailureOr<Value> createHardSigmoid(NodeImporter &n, Value x,
                                         double alpha, double beta) {
  auto type = cast<RankedTensorType>(x.getType());
  auto scaled = n.createMul(
      x, n.createScalar(type.getElementType(), alpha, type.getRank()));
  if (failed(scaled))
    return failure();
  auto shifted = n.createBinary<tosa::AddOp>(
      *scaled, n.createScalar(type.getElementType(), beta, type.getRank()));
  if (failed(shifted))
    return failure();
  return createClamp(n, *shifted, 0.0, 1.0);
}

static LogicalResult convertHardSigmoid(NodeImporter &n) {
  auto v = createHardSigmoid(n, n.getInput(0), n.getFloatAttr("alpha", 0.2f),
                             n.getFloatAttr("beta", 0.5f));
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

/// x * HardSigmoid(x) with alpha 1/6, beta 1/2 (opset 14).
static LogicalResult convertHardSwish(NodeImporter &n) {
  Value x = n.getInput(0);
  auto gate = createHardSigmoid(n, x, 1.0 / 6.0, 0.5);
  if (failed(gate))
    return failure();
  auto v = n.createMul(x, *gate);
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

static LogicalResult convertPRelu(NodeImporter &n) {
  // y = max(x, 0) + slope * min(x, 0)
  Value x = n.getInput(0);
  double inf = std::numeric_limits<double>::infinity();
  Value positive = createClamp(n, x, 0.0, inf);
  Value negative = createClamp(n, x, -inf, 0.0);
  auto scaled = n.createMul(negative, n.getInput(1));
  if (failed(scaled))
    return failure();
  auto v = n.createBinary<tosa::AddOp>(positive, *scaled);
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

static LogicalResult convertClip(NodeImporter &n) {
  double inf = std::numeric_limits<double>::infinity();
  Value x = n.getInput(0);
  if (n.getOpset() < 11) {
    // Opset 6: bounds are attributes.
    n.setOutput(0, createClamp(n, x, n.getFloatAttr("min", -inf),
                               n.getFloatAttr("max", inf)));
    return success();
  }
  // Opset 11+: optional min and max inputs (scalars).
  const HostTensor *lo = n.hasInput(1) ? n.getInputConstant(1) : nullptr;
  const HostTensor *hi = n.hasInput(2) ? n.getInputConstant(2) : nullptr;
  if ((!n.hasInput(1) || lo) && (!n.hasInput(2) || hi)) {
    n.setOutput(0, createClamp(n, x, lo ? lo->getDouble(0) : -inf,
                               hi ? hi->getDouble(0) : inf));
    return success();
  }
  // Bounds computed at run time: maximum, then minimum.
  Value result = x;
  if (n.hasInput(1)) {
    auto v = n.createBinary<tosa::MaximumOp>(result, n.getInput(1));
    if (failed(v))
      return failure();
    result = *v;
  }
  if (n.hasInput(2)) {
    auto v = n.createBinary<tosa::MinimumOp>(result, n.getInput(2));
    if (failed(v))
      return failure();
    result = *v;
  }
  n.setOutput(0, result);
  return success();
}

//===----------------------------------------------------------------------===//
// Cast, Identity, Dropout
//===----------------------------------------------------------------------===//

static LogicalResult convertCast(NodeImporter &n) {
  int64_t to = n.getIntAttr("to", 0);
  Type target = convertOnnxElementType(n.getContext(), to);
  if (!target)
    return n.emitError() << "cast to unsupported type "
                         << getOnnxElementTypeName(to);
  if (const HostTensor *c = n.getInputConstant(0)) {
    n.setOutputConstant(0, c->castTo(target));
    return success();
  }
  Value x = n.getInput(0);
  Type source = n.getInputElementType(0);
  if (source == target) {
    n.setOutput(0, x);
    return success();
  }
  if (source.isUnsignedInteger() || target.isUnsignedInteger())
    return n.emitError() << "casts from or to unsigned integers are not "
                            "supported yet ("
                         << source << " to " << target << ")";
  OpBuilder &b = n.getBuilder();
  Location loc = n.getLoc();
  auto type = RankedTensorType::get(n.getInputShape(0), target);
  Value result;
  bool fromFloat = isa<FloatType>(source), toFloat = isa<FloatType>(target);
  if (target.isInteger(1)) {
    // Nonzero is true.
    Value zero = arith::ConstantOp::create(
        b, loc, cast<TypedAttr>(DenseElementsAttr::get(
                    cast<RankedTensorType>(x.getType()),
                    fromFloat ? Attribute(b.getFloatAttr(source, 0.0))
                              : Attribute(b.getIntegerAttr(source, 0)))));
    result = fromFloat
                 ? arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x,
                                         zero)
                       .getResult()
                 : arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x,
                                         zero)
                       .getResult();
  } else if (fromFloat && toFloat) {
    if (source.getIntOrFloatBitWidth() < target.getIntOrFloatBitWidth())
      result = arith::ExtFOp::create(b, loc, type, x);
    else
      result = arith::TruncFOp::create(b, loc, type, x);
  } else if (fromFloat) {
    result = arith::FPToSIOp::create(b, loc, type, x);
  } else if (toFloat) {
    if (source.isInteger(1))
      result = arith::UIToFPOp::create(b, loc, type, x);
    else
      result = arith::SIToFPOp::create(b, loc, type, x);
  } else if (source.isInteger(1) ||
             source.getIntOrFloatBitWidth() < target.getIntOrFloatBitWidth()) {
    if (source.isInteger(1))
      result = arith::ExtUIOp::create(b, loc, type, x);
    else
      result = arith::ExtSIOp::create(b, loc, type, x);
  } else {
    result = arith::TruncIOp::create(b, loc, type, x);
  }
  n.setOutput(0, result);
  return success();
}

/// Identity, and Dropout at inference (the mask output is all true).
static LogicalResult convertIdentity(NodeImporter &n) {
  if (n.getOpType() == "Dropout" && n.hasOutput(1))
    n.setOutputConstant(
        1, HostTensor::fromInts(n.getBuilder().getI1Type(),
                                n.getInputShape(0), {1}));
  if (const HostTensor *c = n.getInputConstant(0)) {
    n.setOutputConstant(0, *c);
    return success();
  }
  n.setOutput(0, n.getInput(0));
  return success();
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void mlir::green::onnx_import::populateElementwiseConverters(
    llvm::StringMap<OpConverter> &converters) {
  converters["Add"] = convertAdd;
  converters["Sub"] = convertSub;
  converters["Mul"] = convertMul;
  converters["Div"] = convertDiv;
  converters["Pow"] = convertPow;
  converters["Max"] = convertVariadic<tosa::MaximumOp>;
  converters["Min"] = convertVariadic<tosa::MinimumOp>;
  converters["Sum"] = convertVariadic<tosa::AddOp>;
  converters["Mean"] = convertVariadic<tosa::AddOp>;
  converters["Equal"] = convertEqual;
  converters["Greater"] = convertCompare<tosa::GreaterOp, false, false>;
  converters["Less"] = convertCompare<tosa::GreaterOp, true, false>;
  converters["GreaterOrEqual"] =
      convertCompare<tosa::GreaterEqualOp, false, false>;
  converters["LessOrEqual"] = convertCompare<tosa::GreaterEqualOp, true, false>;
  converters["And"] = convertLogical<tosa::LogicalAndOp>;
  converters["Or"] = convertLogical<tosa::LogicalOrOp>;
  converters["Xor"] = convertLogical<tosa::LogicalXorOp>;
  converters["Not"] = convertUnary<tosa::LogicalNotOp>;
  converters["Where"] = convertWhere;
  converters["Relu"] = convertRelu;
  converters["LeakyRelu"] = convertLeakyRelu;
  converters["HardSigmoid"] = convertHardSigmoid;
  converters["HardSwish"] = convertHardSwish;
  converters["PRelu"] = convertPRelu;
  converters["Sigmoid"] = convertUnary<tosa::SigmoidOp>;
  converters["Tanh"] = convertUnary<tosa::TanhOp>;
  converters["Exp"] = convertUnary<tosa::ExpOp>;
  converters["Log"] = convertUnary<tosa::LogOp>;
  converters["Abs"] = convertUnary<tosa::AbsOp>;
  converters["Floor"] = convertUnary<tosa::FloorOp>;
  converters["Ceil"] = convertUnary<tosa::CeilOp>;
  converters["Reciprocal"] = convertUnary<tosa::ReciprocalOp>;
  converters["Erf"] = convertUnary<tosa::ErfOp>;
  converters["Sin"] = convertUnary<tosa::SinOp>;
  converters["Cos"] = convertUnary<tosa::CosOp>;
  converters["Sqrt"] = convertSqrt;
  converters["Neg"] = convertNeg;
  converters["Clip"] = convertClip;
  converters["Cast"] = convertCast;
  converters["Identity"] = convertIdentity;
  converters["Dropout"] = convertIdentity;
}

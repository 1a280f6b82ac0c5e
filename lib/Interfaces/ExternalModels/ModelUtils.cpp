//===- ModelUtils.cpp - helpers shared by the energy models ---------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "ModelUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::green;
using namespace mlir::green::energy;

//===----------------------------------------------------------------------===//
// Types, shapes and bytes
//===----------------------------------------------------------------------===//

ScalarKind energy::classifyElementType(Type type) {
  return getScalarKind(getElementTypeOrSelf(type));
}

FailureOr<ScalarKind> energy::getArithmeticKind(Type type,
                                                const WorkOptions &options) {
  ScalarKind kind = classifyElementType(type);
  if (kind == ScalarKind::Unknown) {
    std::string name;
    llvm::raw_string_ostream os(name);
    os << getElementTypeOrSelf(type);
    return failToCost(options,
                      "no scalar kind for element type '" + name + "'");
  }
  return kind;
}

FailureOr<int64_t> energy::getNumElements(Type type,
                                          const WorkOptions &options) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped)
    return int64_t(1);
  if (!shaped.hasRank())
    return failToCost(options, "unranked shaped type");
  int64_t count = 1;
  for (int64_t dim : shaped.getShape()) {
    if (ShapedType::isDynamic(dim)) {
      if (ShapedType::isDynamic(options.assumedDynamicSize))
        return failToCost(options,
                          "dynamic dimension and no assumed dynamic size");
      dim = options.assumedDynamicSize;
    }
    count *= dim;
  }
  return count;
}

/// Bits of one element, 0 when the type has no meaningful width.
static unsigned getElementBitWidth(Type elementType) {
  if (elementType.isIndex())
    return 64;
  if (elementType.isIntOrFloat())
    return elementType.getIntOrFloatBitWidth();
  if (auto vector = dyn_cast<VectorType>(elementType))
    if (vector.hasStaticShape())
      return getElementBitWidth(vector.getElementType()) *
             vector.getNumElements();
  return 0;
}

FailureOr<int64_t> energy::getBytesOf(int64_t numElements, Type elementType,
                                      const WorkOptions &options) {
  unsigned bits = getElementBitWidth(elementType);
  if (bits == 0) {
    std::string name;
    llvm::raw_string_ostream os(name);
    os << elementType;
    return failToCost(options, "no bit width for '" + name + "'");
  }
  // i1 is stored one element per byte; narrower-than-byte types pack.
  if (bits == 1)
    return numElements;
  return (numElements * bits + 7) / 8;
}

FailureOr<int64_t> energy::getNumBytes(Type type, const WorkOptions &options) {
  FailureOr<int64_t> elements = getNumElements(type, options);
  if (failed(elements))
    return failure();
  return getBytesOf(*elements, getElementTypeOrSelf(type), options);
}

FailureOr<int64_t> energy::getTotalBytes(ValueRange values,
                                         const WorkOptions &options) {
  int64_t total = 0;
  for (Value value : values) {
    FailureOr<int64_t> bytes = getNumBytes(value.getType(), options);
    if (failed(bytes))
      return failure();
    total += *bytes;
  }
  return total;
}

FailureOr<int64_t> energy::getElementBytes(Type type,
                                           const WorkOptions &options) {
  return getBytesOf(1, getElementTypeOrSelf(type), options);
}

//===----------------------------------------------------------------------===//
// Scalar arithmetic classification
//===----------------------------------------------------------------------===//

std::optional<ScalarOpInfo> energy::classifyScalarOp(Operation *op) {
  auto onResult = [&](OpClass cls, int64_t n = 1) -> ScalarOpInfo {
    return {cls, n, op->getResult(0).getType()};
  };
  auto onOperand = [&](OpClass cls, int64_t n = 1) -> ScalarOpInfo {
    return {cls, n, op->getOperand(0).getType()};
  };
  return llvm::TypeSwitch<Operation *, std::optional<ScalarOpInfo>>(op)
      // Free: materialized constants.
      .Case<arith::ConstantOp>([&](auto) { return onResult(OpClass::Add, 0); })
      // One ALU op on the result type: add/sub, min/max, select, negate,
      // bitwise and shifts, and every cast.
      .Case<arith::AddFOp, arith::AddIOp, arith::SubFOp, arith::SubIOp,
            arith::MaximumFOp, arith::MinimumFOp, arith::MaxNumFOp,
            arith::MinNumFOp, arith::MaxSIOp, arith::MaxUIOp, arith::MinSIOp,
            arith::MinUIOp, arith::SelectOp, arith::NegFOp, arith::AndIOp,
            arith::OrIOp, arith::XOrIOp, arith::ShLIOp, arith::ShRSIOp,
            arith::ShRUIOp, arith::ExtFOp, arith::TruncFOp, arith::ExtSIOp,
            arith::ExtUIOp, arith::TruncIOp, arith::SIToFPOp, arith::UIToFPOp,
            arith::FPToSIOp, arith::FPToUIOp, arith::BitcastOp,
            arith::IndexCastOp, arith::IndexCastUIOp, arith::AddUIExtendedOp,
            math::AbsFOp, math::AbsIOp, math::CeilOp, math::FloorOp,
            math::RoundOp, math::RoundEvenOp, math::TruncOp, math::CopySignOp,
            math::ClampFOp, math::CountLeadingZerosOp,
            math::CountTrailingZerosOp, math::CtPopOp>(
          [&](auto) { return onResult(OpClass::Add); })
      // Compares and classifications: charged to the compared type.
      .Case<arith::CmpFOp, arith::CmpIOp, math::IsFiniteOp, math::IsInfOp,
            math::IsNaNOp, math::IsNormalOp>(
          [&](auto) { return onOperand(OpClass::Add); })
      .Case<arith::MulFOp, arith::MulIOp>(
          [&](auto) { return onResult(OpClass::Mul); })
      // Extended multiplies return two halves of one product.
      .Case<arith::MulSIExtendedOp, arith::MulUIExtendedOp>(
          [&](auto) { return onOperand(OpClass::Mul); })
      .Case<arith::DivFOp, arith::DivSIOp, arith::DivUIOp, arith::CeilDivSIOp,
            arith::CeilDivUIOp, arith::FloorDivSIOp, arith::RemFOp,
            arith::RemSIOp, arith::RemUIOp, math::SqrtOp, math::RsqrtOp>(
          [&](auto) { return onResult(OpClass::Div); })
      .Case<math::ExpOp, math::Exp2Op, math::ExpM1Op, math::LogOp, math::Log2Op,
            math::Log10Op, math::Log1pOp, math::TanhOp, math::SinhOp,
            math::CoshOp, math::AsinhOp, math::AcoshOp, math::AtanhOp,
            math::ErfOp, math::ErfcOp, math::SinOp, math::CosOp, math::TanOp,
            math::AsinOp, math::AcosOp, math::AtanOp, math::Atan2Op,
            math::PowFOp, math::FPowIOp, math::IPowIOp, math::CbrtOp>(
          [&](auto) { return onResult(OpClass::Transcendental); })
      // sincos computes two transcendental results.
      .Case<math::SincosOp>(
          [&](auto) { return onOperand(OpClass::Transcendental, 2); })
      .Case<math::FmaOp>([&](auto) { return onResult(OpClass::Fma); })
      .Default([](Operation *) { return std::nullopt; });
}

FailureOr<OpWork>
energy::getElementwiseScalarOpWork(Operation *op, const WorkOptions &options) {
  std::optional<ScalarOpInfo> info = classifyScalarOp(op);
  if (!info)
    return failToCost(options, "no energy model for '" +
                                   op->getName().getStringRef() + "'");
  OpWork work;
  if (info->opsPerElement == 0)
    return work;
  FailureOr<int64_t> elements = getNumElements(info->chargedType, options);
  if (failed(elements))
    return failure();
  FailureOr<ScalarKind> kind = getArithmeticKind(info->chargedType, options);
  if (failed(kind))
    return failure();
  work.add(*kind, info->cls, *elements * info->opsPerElement);
  // Tensors are values in memory; scalars and vectors are in registers.
  for (Value operand : op->getOperands()) {
    if (!isa<TensorType>(operand.getType()))
      continue;
    FailureOr<int64_t> bytes = getNumBytes(operand.getType(), options);
    if (failed(bytes))
      return failure();
    work.bytesRead += *bytes;
  }
  for (Value result : op->getResults()) {
    if (!isa<TensorType>(result.getType()))
      continue;
    FailureOr<int64_t> bytes = getNumBytes(result.getType(), options);
    if (failed(bytes))
      return failure();
    work.bytesWritten += *bytes;
  }
  return work;
}

//===----------------------------------------------------------------------===//
// Generic models
//===----------------------------------------------------------------------===//

FailureOr<OpWork> energy::getDataMovementWork(TypeRange reads, TypeRange writes,
                                              const WorkOptions &options) {
  OpWork work;
  work.dataMovement = true;
  for (Type type : reads) {
    FailureOr<int64_t> bytes = getNumBytes(type, options);
    if (failed(bytes))
      return failure();
    work.bytesRead += *bytes;
  }
  for (Type type : writes) {
    FailureOr<int64_t> bytes = getNumBytes(type, options);
    if (failed(bytes))
      return failure();
    work.bytesWritten += *bytes;
  }
  return work;
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

bool energy::isConstantWeight(Value value) {
  if (!isa<ShapedType>(value.getType()))
    return false;
  Operation *def = value.getDefiningOp();
  if (!def)
    return false;
  if (isa<arith::ConstantOp, tosa::ConstOp>(def))
    return true;
  if (auto getGlobal = dyn_cast<memref::GetGlobalOp>(def)) {
    auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
        getGlobal, getGlobal.getNameAttr());
    return global && global.getConstant();
  }
  return false;
}

FailureOr<int64_t> energy::getParameterElements(Value value,
                                                const WorkOptions &options) {
  if (!isConstantWeight(value))
    return int64_t(0);
  return getNumElements(value.getType(), options);
}

FailureOr<OpWork>
energy::getSingleElementAccessWork(Type container, bool write,
                                   const WorkOptions &options) {
  FailureOr<int64_t> bytes = getElementBytes(container, options);
  if (failed(bytes))
    return failure();
  OpWork work;
  (write ? work.bytesWritten : work.bytesRead) = *bytes;
  work.dataMovement = true;
  return work;
}

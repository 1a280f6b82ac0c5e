//===- ModelUtils.h - helpers shared by the energy models -------*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Internal to lib/Interfaces: shape and byte sizes with dynamic-dimension
// handling, element-type classification, the classification of scalar
// arith/math ops (used both for element-wise ops and for linalg payloads),
// constant-weight detection, and the per-dialect registration entry points.
//
// Counting rules (the interface description in EnergyCostOpInterface.td is
// the reference; this is the summary the models below implement):
//   * elements(ranked shaped type) = product of dims, a dynamic dim being
//     options.assumedDynamicSize or failure; unranked -> failure; a scalar
//     is one element.
//   * bytes(n elements of T) = ceil(n * bitwidth(T) / 8), except i1 which
//     is one byte per element; index is 64 bits; element types without a
//     bit width (complex, opaque types) fail.
//   * arithmetic is charged per element to a ScalarKind; ScalarKind::Unknown
//     fails instead of being counted.
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_LIB_INTERFACES_EXTERNALMODELS_MODELUTILS_H
#define GREEN_LIB_INTERFACES_EXTERNALMODELS_MODELUTILS_H

#include "green/Interfaces/EnergyCostOpInterface.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"

#include <optional>

namespace mlir {
class DialectRegistry;

namespace green::energy {

//===----------------------------------------------------------------------===//
// Types, shapes and bytes
//===----------------------------------------------------------------------===//

/// Classifies an element type (the element type of `type` when it is
/// shaped): f64/f32/f16/bf16; integers by width rounded up to 1/4/8/16/32/64
/// (wider than 64: Unknown); index -> I64; anything else Unknown: the
/// target library's getScalarKind applied to the element type.
ScalarKind classifyElementType(Type type);

/// Like classifyElementType, but fails (recording a reason) for Unknown.
FailureOr<ScalarKind> getArithmeticKind(Type type, const WorkOptions &options);

/// Number of elements of `type`: 1 for a non-shaped (scalar) type, the
/// product of the dims for a ranked shaped type. Dynamic dims use
/// options.assumedDynamicSize or fail; unranked types fail.
FailureOr<int64_t> getNumElements(Type type, const WorkOptions &options);

/// Bytes taken by `numElements` elements of `elementType`.
FailureOr<int64_t> getBytesOf(int64_t numElements, Type elementType,
                              const WorkOptions &options);

/// Bytes of a whole value of `type` (scalar or ranked shaped).
FailureOr<int64_t> getNumBytes(Type type, const WorkOptions &options);

/// Sum of getNumBytes over the types of `values`.
FailureOr<int64_t> getTotalBytes(ValueRange values, const WorkOptions &options);

/// Bytes of one element of the shaped `type` (memref.load, tensor.extract).
FailureOr<int64_t> getElementBytes(Type type, const WorkOptions &options);

//===----------------------------------------------------------------------===//
// Scalar arithmetic classification
//===----------------------------------------------------------------------===//

/// How one arith/math op counts per element it computes.
struct ScalarOpInfo {
  OpClass cls = OpClass::Add;
  /// Operations per element (2 for math.sincos, 0 for free ops).
  int64_t opsPerElement = 1;
  /// The type the operations are charged to (its element type): the result
  /// for most ops, the operand for compares and extended multiplies.
  Type chargedType;
};

/// Classifies an arith or math op. Returns std::nullopt for ops this model
/// does not understand (callers fail for them). arith.constant is free
/// (opsPerElement = 0).
std::optional<ScalarOpInfo> classifyScalarOp(Operation *op);

/// Work of an element-wise arith/math op: elements x class on the charged
/// element type. Tensor operands and results count their bytes; scalar and
/// vector values live in registers and count no bytes (loads, stores and
/// transfers are charged for their memory traffic).
FailureOr<OpWork> getElementwiseScalarOpWork(Operation *op,
                                             const WorkOptions &options);

/// The model attached to every arith and math op: getElementwiseScalarOpWork
/// (which fails for ops classifyScalarOp does not know).
template <typename OpTy>
struct ScalarOpEnergyModel
    : public EnergyCostOpInterface::ExternalModel<ScalarOpEnergyModel<OpTy>,
                                                  OpTy> {
  FailureOr<OpWork> getWork(Operation *op, const WorkOptions &options) const {
    return getElementwiseScalarOpWork(op, options);
  }
};

/// Attaches ScalarOpEnergyModel to each of `OpTys`.
template <typename... OpTys> void attachScalarOpModels(MLIRContext *ctx) {
  (OpTys::template attachInterface<ScalarOpEnergyModel<OpTys>>(*ctx), ...);
}

//===----------------------------------------------------------------------===//
// Generic models
//===----------------------------------------------------------------------===//

/// Work of reading (`write` false) or writing one element of the shaped
/// `container` (tensor.extract/insert, memref.load/store).
FailureOr<OpWork> getSingleElementAccessWork(Type container, bool write,
                                             const WorkOptions &options);

/// Work of a pure data-movement op: reads values of `reads` once and writes
/// values of `writes` once, no operations, dataMovement = true.
FailureOr<OpWork> getDataMovementWork(TypeRange reads, TypeRange writes,
                                      const WorkOptions &options);

/// A model that defers to a free function on the concrete op.
template <typename OpTy, FailureOr<OpWork> (*WorkFn)(OpTy, const WorkOptions &)>
struct FunctionEnergyModel : public EnergyCostOpInterface::ExternalModel<
                                 FunctionEnergyModel<OpTy, WorkFn>, OpTy> {
  FailureOr<OpWork> getWork(Operation *op, const WorkOptions &options) const {
    return WorkFn(cast<OpTy>(op), options);
  }
};

/// Zero work, dataMovement = false: metadata-only ops (reshapes, casts,
/// views, allocation) and constants.
template <typename OpTy>
struct ZeroWorkEnergyModel
    : public EnergyCostOpInterface::ExternalModel<ZeroWorkEnergyModel<OpTy>,
                                                  OpTy> {
  FailureOr<OpWork> getWork(Operation *, const WorkOptions &) const {
    return OpWork();
  }
};

template <typename... OpTys> void attachZeroWorkModels(MLIRContext *ctx) {
  (OpTys::template attachInterface<ZeroWorkEnergyModel<OpTys>>(*ctx), ...);
}

/// Always fails with "no energy model for '<op>'": for ops a dialect file
/// knows it cannot cost (control flow, ops with arbitrary bodies), so that
/// they report a reason instead of looking like ops without the interface.
template <typename OpTy>
struct UnsupportedEnergyModel
    : public EnergyCostOpInterface::ExternalModel<UnsupportedEnergyModel<OpTy>,
                                                  OpTy> {
  FailureOr<OpWork> getWork(Operation *op, const WorkOptions &options) const {
    return failToCost(options, "no energy model for '" +
                                   op->getName().getStringRef() + "'");
  }
};

template <typename... OpTys> void attachUnsupportedModels(MLIRContext *ctx) {
  (OpTys::template attachInterface<UnsupportedEnergyModel<OpTys>>(*ctx), ...);
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

/// True for a shaped value defined by a constant: arith.constant,
/// tosa.const, or memref.get_global of a constant memref.global.
bool isConstantWeight(Value value);

/// Elements of `value` if it is a constant weight, else 0.
FailureOr<int64_t> getParameterElements(Value value,
                                        const WorkOptions &options);

//===----------------------------------------------------------------------===//
// Registration, one function per dialect file
//===----------------------------------------------------------------------===//

void registerLinalgEnergyModels(DialectRegistry &registry);
void registerTosaEnergyModels(DialectRegistry &registry);
void registerArithEnergyModels(DialectRegistry &registry);
void registerMathEnergyModels(DialectRegistry &registry);
void registerTensorEnergyModels(DialectRegistry &registry);
void registerMemRefEnergyModels(DialectRegistry &registry);

} // namespace green::energy
} // namespace mlir

#endif // GREEN_LIB_INTERFACES_EXTERNALMODELS_MODELUTILS_H

//===- GreenDialect.cpp - green dialect -----------------------------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Dialect/Green/IR/GreenDialect.h"
#include "green/Dialect/Green/IR/GreenAttrs.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::green;

#include "green/Dialect/Green/IR/GreenDialect.cpp.inc"

void GreenDialect::initialize() { registerAttributes(); }

/// `green.sparsity` sits on an op with one ranked tensor result; on a
/// constant with dense float values the pattern it claims must hold.
static LogicalResult verifySparsity(Operation *op, Attribute value) {
  StringLiteral name = GreenDialect::getSparsityAttrName();
  if (!isa<NMSparsityAttr, UnstructuredSparsityAttr>(value))
    return op->emitError() << "'" << name
                           << "' must be a #green.nm_sparsity or "
                              "#green.unstructured_sparsity attribute, got "
                           << value;
  auto type = op->getNumResults() == 1
                  ? dyn_cast<RankedTensorType>(op->getResult(0).getType())
                  : RankedTensorType();
  if (!type || !type.hasStaticShape())
    return op->emitError() << "'" << name
                           << "' needs an op with one statically shaped "
                              "tensor result";
  auto values = op->getAttrOfType<DenseElementsAttr>("values");
  bool checkValues =
      values && isa<FloatType>(values.getElementType()) &&
      values.getType().getShape() == type.getShape();
  if (auto nm = dyn_cast<NMSparsityAttr>(value)) {
    if (nm.getAxis() >= type.getRank() ||
        type.getDimSize(nm.getAxis()) % nm.getM() != 0)
      return op->emitError()
             << "'" << name << "' " << value << " does not fit " << type
             << ": axis out of range or its size is not a multiple of m";
    if (!checkValues)
      return success();
    ArrayRef<int64_t> shape = type.getShape();
    int64_t axis = nm.getAxis();
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d)
      outer *= shape[d];
    for (int64_t d = axis + 1; d < type.getRank(); ++d)
      inner *= shape[d];
    SmallVector<APFloat> data(values.getValues<APFloat>());
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t b = 0; b < shape[axis]; b += nm.getM())
        for (int64_t i = 0; i < inner; ++i) {
          int64_t nonzeros = 0;
          for (int64_t k = b; k < b + nm.getM(); ++k)
            nonzeros += !data[(o * shape[axis] + k) * inner + i].isZero();
          if (nonzeros > nm.getN())
            return op->emitError()
                   << "'" << name << "' " << value << " does not hold: "
                   << nonzeros << " non-zeros in the block at index " << b
                   << " of axis " << axis;
        }
    return success();
  }
  auto unstructured = cast<UnstructuredSparsityAttr>(value);
  if (unstructured.getTotal() != type.getNumElements())
    return op->emitError() << "'" << name << "' " << value << " has total "
                           << unstructured.getTotal() << " but " << type
                           << " has " << type.getNumElements() << " elements";
  if (!checkValues)
    return success();
  int64_t nonzeros = 0;
  for (const APFloat &x : values.getValues<APFloat>())
    nonzeros += !x.isZero();
  if (nonzeros != unstructured.getNonzeros())
    return op->emitError() << "'" << name << "' " << value << " claims "
                           << unstructured.getNonzeros()
                           << " non-zeros, the values hold " << nonzeros;
  return success();
}

LogicalResult GreenDialect::verifyOperationAttribute(Operation *op,
                                                     NamedAttribute attr) {
  if (attr.getName() == getTargetAttrName()) {
    if (!isa<TargetAttr>(attr.getValue()))
      return op->emitError() << "'" << getTargetAttrName()
                             << "' must be a #green.target attribute, got "
                             << attr.getValue();
    if (!isa<ModuleOp>(op))
      return op->emitError()
             << "'" << getTargetAttrName()
             << "' may only be attached to a builtin.module, not to '"
             << op->getName() << "'";
    return success();
  }
  if (attr.getName() == CPUScheduleAttr::getAttrName()) {
    auto schedule = dyn_cast<CPUScheduleAttr>(attr.getValue());
    if (!schedule)
      return op->emitError() << "'" << CPUScheduleAttr::getAttrName()
                             << "' must be a #green.cpu_schedule attribute, "
                                "got "
                             << attr.getValue();
    return success();
  }
  if (attr.getName() == getFusionGroupAttrName()) {
    auto id = dyn_cast<IntegerAttr>(attr.getValue());
    if (!id || !id.getType().isInteger(64) || id.getInt() < 0)
      return op->emitError() << "'" << getFusionGroupAttrName()
                             << "' must be a non-negative i64 group id, got "
                             << attr.getValue();
    return success();
  }
  if (attr.getName() == getSparsityAttrName())
    return verifySparsity(op, attr.getValue());
  return op->emitError() << "unknown green dialect attribute '"
                         << attr.getName().getValue() << "'";
}

//===- ArithEnergyModels.cpp - EnergyCostOpInterface for arith ------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Every arith op gets the element-wise model: elements x class on the charged
// element type (classifyScalarOp in ModelUtils.cpp holds the class of each
// op). It works on scalars, vectors and tensors alike; only tensors count
// bytes. Ops the classification does not know fail with a reason rather
// than costing zero.
//
//===----------------------------------------------------------------------===//

#include "ModelUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::green;

void energy::registerArithEnergyModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, arith::ArithDialect *) {
    attachScalarOpModels<
#define GET_OP_LIST
#include "mlir/Dialect/Arith/IR/ArithOps.cpp.inc"
        >(ctx);
  });
}

//===- GreenDialect.h - green dialect declaration ---------------*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_DIALECT_GREEN_IR_GREENDIALECT_H
#define GREEN_DIALECT_GREEN_IR_GREENDIALECT_H

#include "mlir/IR/Dialect.h"

#include "green/Dialect/Green/IR/GreenDialect.h.inc"

#endif // GREEN_DIALECT_GREEN_IR_GREENDIALECT_H

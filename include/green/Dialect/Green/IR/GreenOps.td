//===- GreenOps.td - green dialect operations --------------*- tablegen -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The root file of the dialect's ODS: documentation is generated from here.
// The dialect has no operations yet; they arrive with the passes that need
// them (quantization and pruning markers, fusion groups).
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_DIALECT_GREEN_IR_GREENOPS_TD
#define GREEN_DIALECT_GREEN_IR_GREENOPS_TD

include "green/Dialect/Green/IR/GreenDialect.td"
include "green/Dialect/Green/IR/GreenAttrs.td"

#endif // GREEN_DIALECT_GREEN_IR_GREENOPS_TD

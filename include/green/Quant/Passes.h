//===- Passes.h - quantization passes ---------------------------*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_QUANT_PASSES_H
#define GREEN_QUANT_PASSES_H

#include "green/Quant/Calibration.h"
#include "green/Quant/Quantize.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::green {

#define GEN_PASS_DECL
#include "green/Quant/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "green/Quant/Passes.h.inc"

} // namespace mlir::green

#endif // GREEN_QUANT_PASSES_H

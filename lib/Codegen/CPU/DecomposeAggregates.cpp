//===- DecomposeAggregates.cpp - decompose aggregated linalg ops ----------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

#define DEBUG_TYPE "green-cpu-decompose-aggregates"

namespace mlir::green {
#define GEN_PASS_DEF_DECOMPOSEAGGREGATESPASS
#include "green/Codegen/CPU/Passes.h.inc"
} // namespace mlir::green

using namespace mlir;
using namespace mlir::green;

namespace {
struct DecomposeAggregatesPass
    : public green::impl::DecomposeAggregatesPassBase<
          DecomposeAggregatesPass> {
  using DecomposeAggregatesPassBase::DecomposeAggregatesPassBase;
  void runOnOperation() override;
};
} // namespace

void DecomposeAggregatesPass::runOnOperation() {
  SmallVector<linalg::AggregatedOpInterface> ops;
  getOperation()->walk(
      [&](linalg::AggregatedOpInterface op) { ops.push_back(op); });
  IRRewriter rewriter(&getContext());
  for (linalg::AggregatedOpInterface op : ops) {
    rewriter.setInsertionPoint(op);
    FailureOr<SmallVector<Value>> replacements =
        op.decomposeOperation(rewriter);
    if (failed(replacements) ||
        replacements->size() != op->getNumResults()) {
      op->emitOpError() << "cannot be decomposed for the CPU backend";
      return signalPassFailure();
    }
    rewriter.replaceOp(op, *replacements);
  }
}

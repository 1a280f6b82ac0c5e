//===- ConvToGemm.cpp - 2-D convolutions as im2col + GEMM -----------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#define DEBUG_TYPE "green-cpu-conv-to-gemm"

namespace mlir::green {
#define GEN_PASS_DEF_CONVTOGEMMPASS
#include "green/Codegen/CPU/Passes.h.inc"
} // namespace mlir::green

using namespace mlir;
using namespace mlir::green;

namespace {
struct ConvToGemmPass
    : public green::impl::ConvToGemmPassBase<ConvToGemmPass> {
  using ConvToGemmPassBase::ConvToGemmPassBase;
  void runOnOperation() override;
};
} // namespace

void ConvToGemmPass::runOnOperation() {
  SmallVector<linalg::LinalgOp> convs;
  getOperation()->walk([&](linalg::LinalgOp op) {
    if (isa<linalg::Conv2DNhwcHwcfOp, linalg::Conv2DNchwFchwOp>(op) &&
        op.hasPureTensorSemantics() && !op.hasDynamicShape())
      convs.push_back(op);
  });
  IRRewriter rewriter(&getContext());
  for (linalg::LinalgOp op : convs) {
    rewriter.setInsertionPoint(op);
    FailureOr<std::pair<Operation *, Operation *>> result =
        TypeSwitch<Operation *, FailureOr<std::pair<Operation *, Operation *>>>(
            op.getOperation())
            .Case<linalg::Conv2DNhwcHwcfOp, linalg::Conv2DNchwFchwOp>(
                [&](auto conv) {
                  return linalg::rewriteInIm2Col(rewriter, conv);
                })
            .Default([](Operation *) { return failure(); });
    // Shapes the rewrite does not support stay convolutions (loops).
    if (failed(result))
      continue;
    ++numRewritten;
    // The contraction feeds the final reshape. With an image batch of 1 its
    // unit dimension is dropped and it becomes a linalg.matmul: the named
    // op vectorizes to a plain vector.contract (the generic's broadcasts
    // do not fold away).
    Operation *last = result->second;
    auto gemm = last->getNumOperands()
                    ? last->getOperand(0).getDefiningOp<linalg::GenericOp>()
                    : linalg::GenericOp();
    if (!gemm)
      gemm = dyn_cast<linalg::GenericOp>(last);
    if (!gemm || !linalg::isaContractionOpInterface(gemm))
      continue;
    rewriter.setInsertionPoint(gemm);
    FailureOr<linalg::DropUnitDimsResult> dropped =
        linalg::dropUnitDims(rewriter, gemm, linalg::ControlDropUnitDims());
    if (failed(dropped))
      continue;
    rewriter.replaceOp(gemm, dropped->replacements);
    if (auto generic = dyn_cast<linalg::GenericOp>(
            dropped->resultOp.getOperation())) {
      rewriter.setInsertionPoint(generic);
      (void)linalg::specializeGenericOp(rewriter, generic);
    }
  }
}

//===- TileAndVectorize.cpp - apply the chosen CPU schedules --------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Codegen/CPU/Passes.h"

#include "green/Dialect/Green/IR/GreenAttrs.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/Dominance.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

#define DEBUG_TYPE "green-cpu-tile-and-vectorize"

namespace mlir::green {
#define GEN_PASS_DEF_TILEANDVECTORIZEPASS
#include "green/Codegen/CPU/Passes.h.inc"
} // namespace mlir::green

using namespace mlir;
using namespace mlir::green;

namespace {
struct TileAndVectorizePass
    : public green::impl::TileAndVectorizePassBase<TileAndVectorizePass> {
  using TileAndVectorizePassBase::TileAndVectorizePassBase;
  void runOnOperation() override;

private:
  LogicalResult applySchedule(RewriterBase &rewriter, linalg::LinalgOp op,
                              CPUScheduleAttr schedule);
};
} // namespace

/// Tiles `op` by `sizes` with `loopType` loops and replaces it; returns the
/// tiled op (or `op` when every size is 0).
static FailureOr<linalg::LinalgOp>
tile(RewriterBase &rewriter, linalg::LinalgOp op, ArrayRef<int64_t> sizes,
     scf::SCFTilingOptions::LoopType loopType) {
  if (llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
    return op;
  scf::SCFTilingOptions options;
  options.setLoopType(loopType);
  options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result =
      scf::tileUsingSCF(rewriter, cast<TilingInterface>(op.getOperation()),
                        options);
  if (failed(result))
    return failure();
  rewriter.replaceOp(op, result->replacements);
  return cast<linalg::LinalgOp>(result->tiledOps.back());
}

LogicalResult TileAndVectorizePass::applySchedule(RewriterBase &rewriter,
                                                  linalg::LinalgOp op,
                                                  CPUScheduleAttr schedule) {
  SmallVector<int64_t> sizes = op.getStaticLoopRanges();
  ArrayRef<int64_t> cacheTile = schedule.getTile();
  ArrayRef<int64_t> regTile = schedule.getRegisterTile();
  if (cacheTile.size() != sizes.size() || ShapedType::isDynamicShape(sizes))
    return op.emitOpError() << "has a green.cpu_schedule of rank "
                            << cacheTile.size() << " but " << sizes.size()
                            << " static loops are needed";
  StringAttr attrName =
      rewriter.getStringAttr(CPUScheduleAttr::getAttrName());

  // 1. Split off what the register tile does not divide.
  for (auto [dim, r] : llvm::enumerate(regTile)) {
    int64_t size = op.getStaticLoopRanges()[dim];
    if (r <= 0 || size % r == 0)
      continue;
    if (size < r)
      return op.emitOpError() << "register tile " << r << " exceeds extent "
                              << size << " of loop " << dim;
    rewriter.setInsertionPoint(op);
    auto [first, second] =
        linalg::splitOp(rewriter, cast<TilingInterface>(op.getOperation()),
                        dim, rewriter.getIndexAttr(size / r * r));
    if (!first || !second)
      return op.emitOpError() << "cannot split loop " << dim;
    second->removeAttr(attrName);
    op = cast<linalg::LinalgOp>(first.getOperation());
    ++numSplit;
  }
  op->removeAttr(attrName);

  // Cache tiles never exceed the (split) extent.
  sizes = op.getStaticLoopRanges();
  SmallVector<int64_t> level1(cacheTile);
  for (auto [t, s] : llvm::zip(level1, sizes))
    t = std::min(t, s);

  // 2. Parallel dimension over threads, then the cache tile.
  int64_t pd = schedule.getParallelDim();
  if (pd >= 0 && schedule.getThreads() > 1) {
    SmallVector<int64_t> parallel(sizes.size(), 0);
    parallel[pd] = level1[pd];
    level1[pd] = 0;
    FailureOr<linalg::LinalgOp> tiled = tile(
        rewriter, op, parallel, scf::SCFTilingOptions::LoopType::ForallOp);
    if (failed(tiled))
      return op.emitOpError() << "cannot tile the parallel dimension";
    op = *tiled;
  }
  FailureOr<linalg::LinalgOp> tiled =
      tile(rewriter, op, level1, scf::SCFTilingOptions::LoopType::ForOp);
  if (failed(tiled))
    return op.emitOpError() << "cannot apply the cache tile";
  op = *tiled;

  // 3. Register tile, vectorized with its exact (static) sizes.
  tiled = tile(rewriter, op, regTile, scf::SCFTilingOptions::LoopType::ForOp);
  if (failed(tiled))
    return op.emitOpError() << "cannot apply the register tile";
  op = *tiled;
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::VectorizationResult> vectorized =
      linalg::vectorize(rewriter, op, /*inputVectorSizes=*/{},
                        /*inputScalableVecDims=*/{},
                        /*vectorizeNDExtract=*/false,
                        /*flatten1DDepthwiseConv=*/false,
                        /*assumeDynamicDimsMatchVecSizes=*/false,
                        /*createNamedContraction=*/true);
  if (failed(vectorized))
    return op.emitOpError() << "cannot be vectorized";
  rewriter.replaceOp(op, vectorized->replacements);
  ++numVectorized;
  return success();
}

/// Adds the canonicalization patterns of every loaded dialect and op.
static void addCanonicalizationPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  for (Dialect *dialect : ctx->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : ctx->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, ctx);
}

void TileAndVectorizePass::runOnOperation() {
  Operation *func = getOperation();
  MLIRContext *ctx = &getContext();
  SmallVector<std::pair<linalg::LinalgOp, CPUScheduleAttr>> work;
  func->walk([&](linalg::LinalgOp op) {
    if (auto s = op->getAttrOfType<CPUScheduleAttr>(
            CPUScheduleAttr::getAttrName()))
      work.push_back({op, s});
  });
  if (work.empty())
    return;

  IRRewriter rewriter(ctx);
  for (auto [op, schedule] : work)
    if (failed(applySchedule(rewriter, op, schedule)))
      return signalPassFailure();

  // Contractions first: canonicalization would otherwise fold a unit
  // reduction into mulf + addf (no FMA).
  {
    RewritePatternSet patterns(ctx);
    vector::populateVectorReductionToContractPatterns(patterns);
    vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
  }
  {
    RewritePatternSet patterns(ctx);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
    addCanonicalizationPatterns(patterns);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
  }
  {
    DominanceInfo dom(func);
    eliminateCommonSubExpressions(rewriter, dom, func);
  }
  // Keep the accumulator in registers across the k loops: hoist the
  // loop-invariant C slices, innermost loops first.
  SmallVector<scf::ForOp> loops;
  func->walk([&](scf::ForOp loop) { loops.push_back(loop); });
  for (scf::ForOp loop : loops)
    (void)hoistLoopInvariantSubsets(rewriter, loop);
  {
    RewritePatternSet patterns(ctx);
    addCanonicalizationPatterns(patterns);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
  }
}

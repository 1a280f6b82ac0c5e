//===- VectorizeElementwise.cpp - vectorize element-wise linalg ops -------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Codegen/CPU/Passes.h"

#include "green/Dialect/Green/IR/GreenAttrs.h"
#include "green/Target/TargetDescription.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

#define DEBUG_TYPE "green-cpu-vectorize-elementwise"

namespace mlir::green {
#define GEN_PASS_DEF_VECTORIZEELEMENTWISEPASS
#include "green/Codegen/CPU/Passes.h.inc"
} // namespace mlir::green

using namespace mlir;
using namespace mlir::green;

namespace {
struct VectorizeElementwisePass
    : public green::impl::VectorizeElementwisePassBase<
          VectorizeElementwisePass> {
  using VectorizeElementwisePassBase::VectorizeElementwisePassBase;
  void runOnOperation() override;

private:
  LogicalResult vectorizeOp(RewriterBase &rewriter, linalg::GenericOp op,
                            unsigned bits);
  LogicalResult vectorizeReduction(RewriterBase &rewriter, linalg::LinalgOp op,
                                   unsigned bits);
};
} // namespace

/// The widest element type of `op`'s operands in bits, or 0 when one is not
/// an int, index-free float scalar.
static unsigned getWidestElementBits(linalg::LinalgOp op) {
  unsigned widest = 0;
  for (OpOperand &operand : op->getOpOperands()) {
    Type type = getElementTypeOrSelf(operand.get().getType());
    if (!type.isIntOrFloat())
      return 0;
    widest = std::max(widest, type.getIntOrFloatBitWidth());
  }
  return widest;
}

/// Whether `op` is an element-wise op this pass handles: a generic on
/// tensors with static shapes, only parallel loops, identity outputs and
/// inputs contiguous along the innermost loop (or broadcast along it).
static bool isVectorizableElementwise(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumLoops() == 0 ||
      op.getNumParallelLoops() != op.getNumLoops() ||
      op->hasAttr(CPUScheduleAttr::getAttrName()))
    return false;
  if (ShapedType::isDynamicShape(op.getStaticLoopRanges()))
    return false;
  unsigned inner = op.getNumLoops() - 1;
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (op.isDpsInit(&operand)) {
      if (!map.isIdentity())
        return false;
      continue;
    }
    if (!map.isProjectedPermutation())
      return false;
    // The innermost loop, where it indexes the input, must index its last
    // dimension: anything else is a strided gather.
    for (unsigned r = 0, e = map.getNumResults(); r < e; ++r)
      if (map.getDimPosition(r) == inner && r + 1 != e)
        return false;
  }
  return succeeded(linalg::vectorizeOpPrecondition(op));
}

/// Whether `op` is a reduction this pass handles: on tensors with static
/// shapes, one init, its only reduction loop innermost, the init not indexed
/// by it, and inputs contiguous along it.
static bool isVectorizableInnerReduction(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumLoops() == 0 ||
      op.getNumReductionLoops() != 1 || op.getNumDpsInits() != 1 ||
      op->hasAttr(CPUScheduleAttr::getAttrName()) ||
      !isa<linalg::GenericOp, linalg::ReduceOp>(op.getOperation()))
    return false;
  unsigned inner = op.getNumLoops() - 1;
  if (!linalg::isReductionIterator(op.getIteratorTypesArray()[inner]) ||
      ShapedType::isDynamicShape(op.getStaticLoopRanges()))
    return false;
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (!map.isProjectedPermutation())
      return false;
    if (op.isDpsInit(&operand)) {
      if (map.isFunctionOfDim(inner))
        return false;
      continue;
    }
    for (unsigned r = 0, e = map.getNumResults(); r < e; ++r)
      if (map.getDimPosition(r) == inner && r + 1 != e)
        return false;
  }
  SmallVector<Operation *> combiners;
  // Partial results start from the combiner's neutral element.
  if (!matchReduction(op.getRegionOutputArgs(), 0, combiners) ||
      combiners.size() != 1 || !arith::getNeutralElement(combiners.front()))
    return false;
  return succeeded(linalg::vectorizeOpPrecondition(op));
}

/// Tiles `op` by `sizes` with `scf.for` loops and replaces it; returns the
/// tiled op.
static FailureOr<linalg::LinalgOp> tileWithFor(RewriterBase &rewriter,
                                               linalg::LinalgOp op,
                                               ArrayRef<int64_t> sizes) {
  scf::SCFTilingOptions options;
  options.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
  options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(result))
    return failure();
  rewriter.replaceOp(op, result->replacements);
  return cast<linalg::LinalgOp>(result->tiledOps.back());
}

namespace {
/// The innermost loop of an op split for vectors: the part that is a whole
/// number of `width`-lane steps (`main`), the remainder split off as its own
/// op left scalar.
struct InnerSplit {
  linalg::LinalgOp main;
  int64_t width;
  SmallVector<int64_t> ranges;
};
} // namespace

/// Picks the step (one to four vectors of `bits` bits, as the innermost
/// extent allows) and splits the remainder off. std::nullopt when the op is
/// narrower than one vector; failure (with an error) when the split fails.
static FailureOr<std::optional<InnerSplit>>
splitInnermost(RewriterBase &rewriter, linalg::LinalgOp op, unsigned bits,
               llvm::Statistic &numSplit) {
  unsigned elementBits = getWidestElementBits(op);
  if (elementBits == 0 || bits < 2 * elementBits)
    return std::optional<InnerSplit>();
  int64_t lanes = bits / elementBits;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  unsigned inner = ranges.size() - 1;
  int64_t extent = ranges[inner];
  if (extent < lanes)
    return std::optional<InnerSplit>();
  int64_t width = lanes;
  while (width < 4 * lanes && extent >= 2 * width)
    width *= 2;
  linalg::LinalgOp main = op;
  if (extent % width != 0) {
    rewriter.setInsertionPoint(op);
    auto [first, second] =
        linalg::splitOp(rewriter, cast<TilingInterface>(op.getOperation()),
                        inner, rewriter.getIndexAttr(extent / width * width));
    if (!first || !second)
      return op.emitOpError() << "cannot split loop " << inner;
    main = cast<linalg::LinalgOp>(first.getOperation());
    ++numSplit;
  }
  return std::optional<InnerSplit>(InnerSplit{main, width, ranges});
}

LogicalResult VectorizeElementwisePass::vectorizeOp(RewriterBase &rewriter,
                                                    linalg::GenericOp op,
                                                    unsigned bits) {
  FailureOr<std::optional<InnerSplit>> split =
      splitInnermost(rewriter, op, bits, numSplit);
  if (failed(split))
    return failure();
  if (!*split)
    return success();
  auto [main, width, ranges] = **split;
  unsigned inner = ranges.size() - 1;
  SmallVector<int64_t> sizes(ranges.size(), 1);
  sizes[inner] = width;
  FailureOr<linalg::LinalgOp> tiled = tileWithFor(rewriter, main, sizes);
  if (failed(tiled))
    return main.emitOpError() << "cannot be tiled by " << width;
  rewriter.setInsertionPoint(*tiled);
  FailureOr<linalg::VectorizationResult> vectorized =
      linalg::vectorize(rewriter, *tiled);
  if (failed(vectorized))
    return tiled->emitOpError() << "cannot be vectorized";
  rewriter.replaceOp(*tiled, vectorized->replacements);
  ++numVectorized;
  return success();
}

LogicalResult
VectorizeElementwisePass::vectorizeReduction(RewriterBase &rewriter,
                                             linalg::LinalgOp op,
                                             unsigned bits) {
  FailureOr<std::optional<InnerSplit>> split =
      splitInnermost(rewriter, op, bits, numSplit);
  if (failed(split))
    return failure();
  if (!*split)
    return success();
  auto [main, width, ranges] = **split;
  unsigned inner = ranges.size() - 1;
  // One row at a time, then the row in partial sums of `width` lanes.
  if (inner > 0) {
    SmallVector<int64_t> rows(ranges.size(), 1);
    rows[inner] = 0;
    FailureOr<linalg::LinalgOp> tiled = tileWithFor(rewriter, main, rows);
    if (failed(tiled))
      return main.emitOpError() << "cannot be tiled by rows";
    main = *tiled;
  }
  SmallVector<OpFoldResult> sizes(ranges.size(), rewriter.getIndexAttr(0));
  sizes[inner] = rewriter.getIndexAttr(width);
  rewriter.setInsertionPoint(main);
  FailureOr<scf::SCFTilingResult> partial = scf::tileReductionUsingScf(
      rewriter, cast<PartialReductionOpInterface>(main.getOperation()),
      sizes);
  // Not expected after the checks above; the row loop alone is still
  // correct, so leave the row scalar rather than fail the compilation.
  if (failed(partial))
    return success();
  rewriter.replaceOp(main, partial->replacements);
  auto tiled = dyn_cast<linalg::LinalgOp>(partial->tiledOps.back());
  if (!tiled)
    return main.emitOpError() << "partial reduction is not a linalg op";
  rewriter.setInsertionPoint(tiled);
  FailureOr<linalg::VectorizationResult> vectorized =
      linalg::vectorize(rewriter, tiled);
  if (failed(vectorized))
    return tiled->emitOpError() << "cannot be vectorized";
  rewriter.replaceOp(tiled, vectorized->replacements);
  ++numReductions;
  return success();
}

void VectorizeElementwisePass::runOnOperation() {
  Operation *func = getOperation();
  MLIRContext *ctx = &getContext();
  unsigned bits = vectorBits;
  if (bits == 0) {
    llvm::Expected<TargetDescription> desc = lookupTargetFor(func, target);
    if (!desc) {
      func->emitError() << "green-cpu-vectorize-elementwise: "
                        << llvm::toString(desc.takeError());
      return signalPassFailure();
    }
    bits = desc->vectorBits;
  }
  if (bits == 0)
    return;

  SmallVector<linalg::GenericOp> work;
  SmallVector<linalg::LinalgOp> reductions;
  func->walk([&](linalg::LinalgOp op) {
    auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
    if (generic && isVectorizableElementwise(generic))
      work.push_back(generic);
    else if (reduceInnermost && isVectorizableInnerReduction(op))
      reductions.push_back(op);
  });
  if (work.empty() && reductions.empty())
    return;

  IRRewriter rewriter(ctx);
  for (linalg::GenericOp op : work)
    if (failed(vectorizeOp(rewriter, op, bits)))
      return signalPassFailure();
  for (linalg::LinalgOp op : reductions)
    if (failed(vectorizeReduction(rewriter, op, bits)))
      return signalPassFailure();

  // Fold the tile slices into the transfers and keep only 1-D vectors.
  RewritePatternSet patterns(ctx);
  vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
  vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
  tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
  for (Dialect *dialect : ctx->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : ctx->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, ctx);
  if (failed(applyPatternsGreedily(func, std::move(patterns))))
    return signalPassFailure();
  // Keep the partial sums of reductions in registers across the loop.
  if (!reductions.empty()) {
    SmallVector<scf::ForOp> loops;
    func->walk([&](scf::ForOp loop) { loops.push_back(loop); });
    for (scf::ForOp loop : loops)
      (void)hoistLoopInvariantSubsets(rewriter, loop);
  }

  // Vector tanh/exp/log/erf would be scalarized into libm calls by LLVM;
  // expand them into polynomials on the vectors instead. Scalar math ops
  // (remainders, other ops) keep libm.
  if (!approximateMath)
    return;
  SmallVector<Operation *> mathOps;
  func->walk([&](Operation *op) {
    if (isa<math::TanhOp, math::ExpOp, math::LogOp, math::ErfOp>(op) &&
        isa<VectorType>(op->getResult(0).getType()))
      mathOps.push_back(op);
  });
  if (mathOps.empty())
    return;
  RewritePatternSet mathPatterns(ctx);
  populateMathPolynomialApproximationPatterns(
      mathPatterns, [](StringRef name) {
        // Called with the full op name ("math.tanh").
        name.consume_front("math.");
        return llvm::is_contained(
            ArrayRef<StringRef>{"tanh", "exp", "log", "erf"}, name);
      });
  GreedyRewriteConfig config;
  config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
  if (failed(applyOpPatternsGreedily(mathOps, std::move(mathPatterns),
                                     config)))
    return signalPassFailure();
  numApproximated += mathOps.size();
}

//===- TileAndVectorize.cpp - apply the chosen CPU schedules --------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Codegen/CPU/Passes.h"

#include "IntegerDotKernels.h"
#include "green/Dialect/Green/IR/GreenAttrs.h"
#include "green/Dialect/Green/IR/GreenDialect.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
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
#include "llvm/ADT/bit.h"

#include "llvm/ADT/MapVector.h"

#include <array>
#include <optional>

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
                              CPUScheduleAttr schedule,
                              cpu::IntegerDotKind integerDot);
};
} // namespace

/// Tiles `op` by `sizes` with `loopType` loops and replaces it; returns the
/// tiled op (or `op` when every size is 0).
static FailureOr<linalg::LinalgOp>
tile(RewriterBase &rewriter, linalg::LinalgOp op, ArrayRef<int64_t> sizes,
     scf::SCFTilingOptions::LoopType loopType,
     ArrayRef<int64_t> interchange = {}) {
  if (llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
    return op;
  scf::SCFTilingOptions options;
  options.setLoopType(loopType);
  if (!interchange.empty())
    options.setInterchange(interchange);
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

/// The m, n and k loops of `op` when its B panels can be packed: a
/// contraction with one m, n and k loop, no batch loop, and B (the second
/// input) indexed exactly (k, n).
static std::optional<std::array<unsigned, 3>>
getPackableDims(linalg::LinalgOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumLoops() != 3)
    return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 ||
      dims->k.size() != 1 || !dims->batch.empty())
    return std::nullopt;
  AffineMap bMap = op.getMatchingIndexingMap(op.getDpsInputOperand(1));
  if (bMap.getNumResults() != 2 || !bMap.isProjectedPermutation() ||
      bMap.getDimPosition(0) != dims->k.front() ||
      bMap.getDimPosition(1) != dims->n.front())
    return std::nullopt;
  return std::array<unsigned, 3>{dims->m.front(), dims->n.front(),
                                 dims->k.front()};
}

/// Packs the B operand of the cache-tile op `op` (a kc x nc tensor) into a
/// new [nc/nr][kc][nr] tensor, placed above the innermost cache loops that
/// do not change the panel (the m loop), so that every m tile reuses it.
static FailureOr<Value> packBPanel(RewriterBase &rewriter,
                                   linalg::LinalgOp op, int64_t nr) {
  Value panel = op.getDpsInputOperand(1)->get();
  auto type = dyn_cast<RankedTensorType>(panel.getType());
  if (!type || type.getRank() != 2 || !type.hasStaticShape() ||
      type.getDimSize(1) % nr != 0)
    return failure();
  int64_t kc = type.getDimSize(0), nc = type.getDimSize(1);
  // Hoist above every enclosing scf.for the panel does not depend on.
  Operation *anchor = op;
  auto slice = panel.getDefiningOp<tensor::ExtractSliceOp>();
  auto invariant = [&](scf::ForOp loop) {
    if (!slice)
      return loop.isDefinedOutsideOfLoop(panel);
    return llvm::all_of(slice->getOperands(), [&](Value v) {
      return loop.isDefinedOutsideOfLoop(v);
    });
  };
  while (auto loop = dyn_cast<scf::ForOp>(anchor->getParentOp())) {
    if (!invariant(loop))
      break;
    anchor = loop;
  }
  rewriter.setInsertionPoint(anchor);
  Location loc = op.getLoc();
  if (slice && anchor != op)
    panel = rewriter.clone(*slice)->getResult(0);
  auto expandedType =
      RankedTensorType::get({kc, nc / nr, nr}, type.getElementType());
  Value expanded = tensor::ExpandShapeOp::create(
      rewriter, loc, expandedType, panel,
      SmallVector<ReassociationIndices>{{0}, {1, 2}});
  Value empty = tensor::EmptyOp::create(rewriter, loc,
                                        ArrayRef<int64_t>{nc / nr, kc, nr},
                                        type.getElementType());
  auto transpose = linalg::TransposeOp::create(
      rewriter, loc, expanded, empty, ArrayRef<int64_t>{1, 0, 2});
  return transpose->getResult(0);
}

/// Makes the register-tile op `op` read its kr x nr B tile from the packed
/// panel `packed` instead of the cache-tile op's B operand `panel`.
static LogicalResult readPackedB(RewriterBase &rewriter, linalg::LinalgOp op,
                                 Value panel, Value packed, int64_t nr) {
  OpOperand *b = op.getDpsInputOperand(1);
  auto type = cast<RankedTensorType>(b->get().getType());
  SmallVector<OpFoldResult> offsets(2, rewriter.getIndexAttr(0));
  if (b->get() != panel) {
    auto slice = b->get().getDefiningOp<tensor::ExtractSliceOp>();
    if (!slice || slice.getSource() != panel || !slice.hasUnitStride() ||
        slice.getSourceType().getRank() != 2 || type.getRank() != 2)
      return failure();
    offsets = slice.getMixedOffsets();
  }
  if (type.getDimSize(1) != nr)
    return failure();
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  AffineExpr d0 = rewriter.getAffineDimExpr(0);
  OpFoldResult panelIndex = affine::makeComposedFoldedAffineApply(
      rewriter, loc, d0.floorDiv(nr), {offsets[1]});
  SmallVector<OpFoldResult> packedOffsets = {panelIndex, offsets[0],
                                             rewriter.getIndexAttr(0)};
  SmallVector<OpFoldResult> sizes = {
      rewriter.getIndexAttr(1), rewriter.getIndexAttr(type.getDimSize(0)),
      rewriter.getIndexAttr(nr)};
  SmallVector<OpFoldResult> strides(3, rewriter.getIndexAttr(1));
  Value tileOfB = tensor::ExtractSliceOp::create(
      rewriter, loc, type, packed, packedOffsets, sizes, strides);
  rewriter.modifyOpInPlace(op, [&] { b->set(tileOfB); });
  return success();
}

LogicalResult TileAndVectorizePass::applySchedule(
    RewriterBase &rewriter, linalg::LinalgOp op, CPUScheduleAttr schedule,
    cpu::IntegerDotKind integerDot) {
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
    // The remainder gets vector code too (a scalar remainder cost up to 2.7x
    // the whole op's time at 200x300x100): the same schedule with the
    // largest power-of-two register tile that fits the remainder, split
    // again until it divides (44 columns: 32 + 8 + 4). B is not packed for
    // these thin slivers. Only for floats of one type: mixed-width
    // contractions (i8 x i8 into i32, bf16 x bf16 into f32) keep scalar
    // remainders, since their vector.contract has no 1-D FMA lowering here
    // (green-opt ran out of memory or time on them).
    Type accType =
        getElementTypeOrSelf(op.getDpsInitOperand(0)->get().getType());
    if (!isa<FloatType>(accType) ||
        llvm::any_of(op.getDpsInputs(), [&](Value v) {
          return getElementTypeOrSelf(v.getType()) != accType;
        }))
      continue;
    SmallVector<int64_t> remainderTile(regTile);
    remainderTile[dim] = std::min<int64_t>(
        r, int64_t(llvm::bit_floor(uint64_t(size % r))));
    auto remainderSchedule = CPUScheduleAttr::get(
        rewriter.getContext(), cacheTile, remainderTile,
        schedule.getParallelDim(), schedule.getThreads(),
        schedule.getOperatingPoint(), /*packB=*/false);
    if (failed(applySchedule(rewriter,
                             cast<linalg::LinalgOp>(second.getOperation()),
                             remainderSchedule, integerDot)))
      return failure();
  }
  op->removeAttr(attrName);

  std::optional<std::array<unsigned, 3>> packDims;
  if (schedule.getPackB()) {
    packDims = getPackableDims(op);
    if (!packDims)
      return op.emitOpError()
             << "has pack_b = true but is not a contraction without batch "
                "dimensions whose B is indexed (k, n)";
    if (regTile[(*packDims)[1]] <= 0)
      return op.emitOpError() << "has pack_b = true but no register tile "
                                 "over n";
  }

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
  // Packed B: cache loops n, k, m, so that a B panel is packed once per
  // (n, k) tile, above the m loop.
  SmallVector<int64_t> interchange;
  if (packDims)
    interchange = {(*packDims)[1], (*packDims)[2], (*packDims)[0]};
  FailureOr<linalg::LinalgOp> tiled = tile(
      rewriter, op, level1, scf::SCFTilingOptions::LoopType::ForOp,
      interchange);
  if (failed(tiled))
    return op.emitOpError() << "cannot apply the cache tile";
  op = *tiled;
  // Integer GEMMs: the target's dot-product micro-kernel, which packs B
  // its own way.
  if (packDims && integerDot != cpu::IntegerDotKind::None &&
      regTile[(*packDims)[2]] == 4 &&
      regTile[(*packDims)[1]] % cpu::getIntegerDotLanes(integerDot) == 0 &&
      cpu::isSignedI8Gemm(op, nullptr)) {
    if (failed(cpu::emitIntegerDotKernel(rewriter, op,
                                         regTile[(*packDims)[0]],
                                         regTile[(*packDims)[1]],
                                         integerDot)))
      return op.emitOpError() << "cannot emit the "
                              << cpu::stringifyIntegerDotKind(integerDot)
                              << " micro-kernel for this cache tile";
    ++numPacked;
    ++numIntegerKernels;
    return success();
  }
  Value panel, packed;
  if (packDims) {
    panel = op.getDpsInputOperand(1)->get();
    FailureOr<Value> p =
        packBPanel(rewriter, op, regTile[(*packDims)[1]]);
    if (failed(p))
      return op.emitOpError() << "cannot pack the B panel";
    packed = *p;
    ++numPacked;
  }

  // 3. Register tile, vectorized with its exact (static) sizes.
  tiled = tile(rewriter, op, regTile, scf::SCFTilingOptions::LoopType::ForOp);
  if (failed(tiled))
    return op.emitOpError() << "cannot apply the register tile";
  op = *tiled;
  if (packDims &&
      failed(readPackedB(rewriter, op, panel, packed, regTile[(*packDims)[1]])))
    return op.emitOpError() << "cannot read B from the packed panel";
  // Inputs of different element types (i8 activations x i4 weights) do
  // not make a valid vector.contract: such register tiles stay linalg ops
  // and become scalar loops (the integer kernel above takes them when B is
  // packed).
  if (getElementTypeOrSelf(op.getDpsInputOperand(0)->get().getType()) !=
      getElementTypeOrSelf(op.getDpsInputOperand(1)->get().getType()))
    return success();
  // Neither does an unsigned widening (linalg's cast_unsigned): the named
  // vector.contract sign-extends mixed-precision operands, which gave wrong
  // u8 x u8 products. Such register tiles stay scalar loops too.
  if (llvm::any_of(op.getBlock()->getOperations(), [](Operation &bodyOp) {
        return isa<arith::ExtUIOp, arith::UIToFPOp>(bodyOp);
      }))
    return success();
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

/// The outer (epilogue) tile of a loop of extent `extent` whose cache tile
/// is `cache` and register tile `reg`: the largest multiple of the register
/// tile that divides the extent and does not exceed the cache tile; 0 (not
/// tiled) when the cache tile covers the extent or no such size exists.
static int64_t getEpilogueTile(int64_t extent, int64_t cache, int64_t reg) {
  if (cache <= 0 || cache >= extent)
    return 0;
  int64_t step = std::max<int64_t>(reg, 1);
  for (int64_t t = cache / step * step; t >= step; t -= step)
    if (extent % t == 0)
      return t;
  return 0;
}

/// The element-wise epilogue `op` is grouped with (same green.fusion_group,
/// the single user of its single result), or null.
static linalg::GenericOp getEpilogue(linalg::LinalgOp op) {
  StringRef name = GreenDialect::getFusionGroupAttrName();
  Attribute group = op->getAttr(name);
  if (!group || op->getNumResults() != 1 || !op->getResult(0).hasOneUse())
    return {};
  auto epilogue =
      dyn_cast<linalg::GenericOp>(*op->getResult(0).getUsers().begin());
  if (!epilogue || epilogue->getAttr(name) != group)
    return {};
  return epilogue;
}

namespace {
/// The contraction inside the epilogue tiles, and the schedule left for it.
struct FusedEpilogue {
  linalg::LinalgOp contraction;
  CPUScheduleAttr schedule;
};
} // namespace

/// Tiles `epilogue` over the parallel dimensions of its producer `op` (a
/// scheduled contraction) and fuses `op` and the fill of its accumulator
/// into every tile. Failure (nothing changed) with `why` set when the group
/// cannot be tiled this way.
static FailureOr<FusedEpilogue>
fuseEpilogue(RewriterBase &rewriter, linalg::LinalgOp op,
             CPUScheduleAttr schedule, linalg::GenericOp epilogue,
             std::string &why) {
  Value result = op->getResult(0);
  auto resultType = dyn_cast<RankedTensorType>(result.getType());
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (!resultType || !resultType.hasStaticShape() ||
      ShapedType::isDynamicShape(ranges)) {
    why = "dynamic shapes";
    return failure();
  }
  if (epilogue.getNumLoops() != epilogue.getNumParallelLoops() ||
      !epilogue.hasPureTensorSemantics()) {
    why = "the epilogue is not element-wise on tensors";
    return failure();
  }
  OpOperand *use = nullptr;
  for (OpOperand *input : epilogue.getDpsInputOperands())
    if (input->get() == result)
      use = input;
  if (!use) {
    why = "the epilogue does not read the result as an input";
    return failure();
  }
  AffineMap resultMap = op.getIndexingMapMatchingResult(cast<OpResult>(result));
  AffineMap useMap = epilogue.getMatchingIndexingMap(use);
  if (!resultMap.isProjectedPermutation() ||
      resultMap.getNumResults() != resultType.getRank() ||
      !useMap.isPermutation()) {
    why = "the epilogue reads the result through a non-permutation map";
    return failure();
  }
  // Tile sizes over the epilogue's loops, from the contraction's.
  ArrayRef<int64_t> cacheTile = schedule.getTile();
  ArrayRef<int64_t> regTile = schedule.getRegisterTile();
  // With packed B panels, the unfused schedule packs each (k, n) panel once
  // above its m loop; outer tiles over m would pack it again for every m
  // tile. So only n (and batch) is tiled then, and each tile spans all rows.
  std::optional<unsigned> untiledM;
  if (schedule.getPackB())
    if (std::optional<std::array<unsigned, 3>> dims = getPackableDims(op))
      untiledM = (*dims)[0];
  SmallVector<int64_t> sizes(epilogue.getNumLoops(), 0);
  bool tiled = false;
  for (unsigned r = 0, e = resultType.getRank(); r < e; ++r) {
    unsigned d = resultMap.getDimPosition(r);
    int64_t t = untiledM == d
                    ? 0
                    : getEpilogueTile(ranges[d], cacheTile[d], regTile[d]);
    sizes[useMap.getDimPosition(r)] = t;
    tiled |= t != 0;
  }
  if (!tiled) {
    why = "no tile smaller than the result: the cache tile covers it, or no "
          "multiple of the register tile up to the cache tile divides the "
          "extents (remainders are not tile-fused); with packed B only n is "
          "tiled";
    return failure();
  }
  bool parallel = schedule.getParallelDim() >= 0 && schedule.getThreads() > 1;
  scf::SCFTilingOptions tiling;
  tiling.setLoopType(parallel ? scf::SCFTilingOptions::LoopType::ForallOp
                              : scf::SCFTilingOptions::LoopType::ForOp);
  tiling.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  // The producer of the accumulator's initial value: a fill, or an
  // element-wise op that does not read its own init (TOSA's broadcast of the
  // bias into the output), used only by the contraction.
  Operation *fill = op.getDpsInitOperand(0)->get().getDefiningOp();
  auto initGeneric = dyn_cast_or_null<linalg::GenericOp>(fill);
  bool initProducer =
      isa_and_nonnull<linalg::FillOp>(fill) ||
      (initGeneric && initGeneric.hasPureTensorSemantics() &&
       initGeneric.getNumDpsInits() == 1 &&
       initGeneric.getNumLoops() == initGeneric.getNumParallelLoops() &&
       !initGeneric.payloadUsesValueFromOperand(
           initGeneric.getDpsInitOperand(0)));
  if (!initProducer || !fill->hasOneUse())
    fill = nullptr;
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  // Only the contraction and the producer of its accumulator: other producers
  // (bias broadcasts, residual inputs) are read through slices.
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer,
          bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        Operation *owner = producer.getOwner();
        if (owner == op.getOperation() || (fill && owner == fill))
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });
  rewriter.setInsertionPoint(epilogue);
  FailureOr<scf::SCFTileAndFuseResult> fused =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(epilogue.getOperation()), options);
  if (failed(fused)) {
    why = "tileConsumerAndFuseProducersUsingSCF failed";
    return failure();
  }
  linalg::LinalgOp tiledOp;
  for (Operation *t : fused->tiledAndFusedOps)
    if (t->hasAttr(CPUScheduleAttr::getAttrName()) && !tiledOp)
      tiledOp = cast<linalg::LinalgOp>(t);
  // The tiled producer of the accumulator tile's initial value.
  linalg::LinalgOp tiledFill;
  if (tiledOp && fill)
    if (auto init = tiledOp.getDpsInitOperand(0)
                        ->get()
                        .getDefiningOp<linalg::LinalgOp>();
        init && fused->tiledAndFusedOps.contains(init) &&
        init.getNumDpsInits() == 1)
      tiledFill = init;
  for (OpResult r : epilogue->getResults())
    rewriter.replaceAllUsesWith(r, fused->replacements.lookup(r));
  rewriter.eraseOp(epilogue);
  if (!tiledOp) {
    // Not expected: the contraction is the epilogue's producer. The tiled
    // epilogue still computes the right values from the untiled op.
    why = "the contraction was not fused into the tiles";
    return failure();
  }
  if (op->use_empty())
    rewriter.eraseOp(op);
  if (fill && fill->use_empty())
    rewriter.eraseOp(fill);
  auto tiledEpilogue = cast<linalg::GenericOp>(fused->tiledAndFusedOps[0]);
  tiledEpilogue->removeAttr(GreenDialect::getFusionGroupAttrName());
  tiledOp->removeAttr(GreenDialect::getFusionGroupAttrName());

  // Accumulate in the epilogue's output tile and let the epilogue read the
  // accumulator through its init (ins(bias...) outs(C tile)): every tile of
  // C then lives in the output buffer and is transformed there in place, no
  // temporary buffer per tile.
  if (tiledFill && tiledEpilogue.getNumDpsInits() == 1 &&
      tiledEpilogue->getNumResults() == 1) {
    OpOperand *init = tiledEpilogue.getDpsInitOperand(0);
    OpOperand *tiledUse = nullptr;
    for (OpOperand *input : tiledEpilogue.getDpsInputOperands())
      if (input->get().getDefiningOp() == tiledOp.getOperation())
        tiledUse = input;
    auto slice = init->get().getDefiningOp<tensor::ExtractSliceOp>();
    DominanceInfo dom(tiledFill->getParentOp());
    if (tiledUse && slice &&
        init->get().getType() == tiledFill->getResultTypes()[0] &&
        tiledUse->get().getType() == init->get().getType() &&
        !tiledEpilogue.payloadUsesValueFromOperand(init) &&
        tiledEpilogue.getMatchingIndexingMap(init) ==
            tiledEpilogue.getMatchingIndexingMap(tiledUse) &&
        llvm::all_of(slice->getOperands(), [&](Value v) {
          return dom.properlyDominates(v, tiledFill);
        })) {
      // The output slice is taken after the fill; take it before, where
      // everything it reads (the loop's output, the tile offsets) already
      // is.
      rewriter.moveOpBefore(slice, tiledFill);
      rewriter.modifyOpInPlace(tiledFill, [&] {
        tiledFill.getDpsInitOperand(0)->set(slice.getResult());
      });
      SmallVector<Value> inputs;
      SmallVector<AffineMap> maps;
      for (OpOperand *input : tiledEpilogue.getDpsInputOperands()) {
        if (input == tiledUse)
          continue;
        inputs.push_back(input->get());
        maps.push_back(tiledEpilogue.getMatchingIndexingMap(input));
      }
      maps.push_back(tiledEpilogue.getMatchingIndexingMap(init));
      rewriter.setInsertionPoint(tiledEpilogue);
      auto inPlace = linalg::GenericOp::create(
          rewriter, tiledEpilogue.getLoc(), tiledEpilogue->getResultTypes(),
          inputs, ValueRange{tiledUse->get()}, maps,
          tiledEpilogue.getIteratorTypesArray());
      rewriter.inlineRegionBefore(tiledEpilogue.getRegion(),
                                  inPlace.getRegion(),
                                  inPlace.getRegion().begin());
      Block &body = inPlace.getRegion().front();
      BlockArgument x = body.getArgument(tiledUse->getOperandNumber());
      rewriter.replaceAllUsesWith(x, body.getArguments().back());
      body.eraseArgument(x.getArgNumber());
      rewriter.replaceOp(tiledEpilogue, inPlace->getResults());
    }
  }
  CPUScheduleAttr inner = schedule;
  if (parallel)
    inner = CPUScheduleAttr::get(
        rewriter.getContext(), schedule.getTile(), schedule.getRegisterTile(),
        /*parallelDim=*/-1, /*threads=*/1, schedule.getOperatingPoint(),
        schedule.getPackB());
  return FusedEpilogue{tiledOp, inner};
}

/// Fuses a row group of green-fuse (ops with the same green.fusion_group
/// and no contraction: softmax, layer norm) into one loop over tiles of
/// rows: `root` (the group's last op) is tiled along its row loop and every
/// other member, and the fills of the reductions' accumulators, are fused
/// into each tile, so the intermediates of a row tile stay in L1.
static LogicalResult fuseRowGroup(RewriterBase &rewriter,
                                  linalg::GenericOp root, Attribute group,
                                  std::string &why) {
  StringRef name = GreenDialect::getFusionGroupAttrName();
  SmallVector<int64_t> ranges = root.getStaticLoopRanges();
  if (ranges.size() != 2 || ShapedType::isDynamicShape(ranges)) {
    why = "the last op is not a static 2-D op";
    return failure();
  }
  // Rows per tile: each intermediate's tile at most 8 KiB, so that the few
  // intermediates of a softmax or layer norm tile fit in L1 together.
  unsigned elementBits = 0;
  for (Value v : root->getOperands())
    if (Type t = getElementTypeOrSelf(v.getType()); t.isIntOrFloat())
      elementBits = std::max(elementBits, t.getIntOrFloatBitWidth());
  int64_t rowBytes = std::max<int64_t>(1, ranges[1] * elementBits / 8);
  int64_t rows = 1;
  for (int64_t r = std::max<int64_t>(1, 8192 / rowBytes); r >= 1; --r)
    if (ranges[0] % r == 0) {
      rows = r;
      break;
    }
  if (rows == ranges[0]) {
    why = "all rows fit in one tile (nothing to tile)";
    return failure();
  }
  auto inGroup = [&](Operation *op) {
    return op && op->getAttr(name) == group;
  };
  scf::SCFTilingOptions tiling;
  tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
  tiling.setTileSizes(
      getAsIndexOpFoldResult(rewriter.getContext(), {rows, int64_t(0)}));
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer,
          bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        Operation *owner = producer.getOwner();
        if (inGroup(owner))
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        if (isa<linalg::FillOp>(owner) &&
            llvm::all_of(owner->getUsers(), [&](Operation *u) {
              return inGroup(u) || isa<tensor::ExtractSliceOp>(u);
            }))
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });
  rewriter.setInsertionPoint(root);
  FailureOr<scf::SCFTileAndFuseResult> fused =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(root.getOperation()), options);
  if (failed(fused)) {
    why = "tileConsumerAndFuseProducersUsingSCF failed";
    return failure();
  }
  for (OpResult r : root->getResults())
    rewriter.replaceAllUsesWith(r, fused->replacements.lookup(r));
  for (Operation *op : fused->tiledAndFusedOps)
    op->removeAttr(name);
  // The originals are dead now (their users were all in the group).
  Block *block = root->getBlock();
  rewriter.eraseOp(root);
  // Fusion leaves the slices of the originals it replaced, unused.
  SmallVector<tensor::ExtractSliceOp> slices;
  for (LoopLikeOpInterface loop : fused->loops)
    loop->walk([&](tensor::ExtractSliceOp slice) { slices.push_back(slice); });
  for (tensor::ExtractSliceOp slice : llvm::reverse(slices))
    if (slice->use_empty())
      rewriter.eraseOp(slice);
  bool erased = true;
  while (erased) {
    erased = false;
    for (Operation &op : llvm::make_early_inc_range(llvm::reverse(*block)))
      if ((inGroup(&op) || isa<linalg::FillOp>(op)) && op.use_empty() &&
          isMemoryEffectFree(&op)) {
        rewriter.eraseOp(&op);
        erased = true;
      }
  }
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
  IRRewriter rewriter(ctx);
  // Row groups: green.fusion_group on ops none of which is scheduled (the
  // groups with a contraction are epilogue groups, handled below).
  if (fuseEpilogues) {
    StringRef name = GreenDialect::getFusionGroupAttrName();
    llvm::MapVector<Attribute, SmallVector<Operation *>> groups;
    func->walk([&](Operation *op) {
      if (Attribute g = op->getAttr(name))
        groups[g].push_back(op);
    });
    for (auto &[group, ops] : groups) {
      if (llvm::any_of(ops, [](Operation *op) {
            return op->hasAttr(CPUScheduleAttr::getAttrName()) ||
                   !isa<linalg::GenericOp>(op);
          }))
        continue;
      // The root: the member no other member uses.
      SmallVector<Operation *> roots;
      for (Operation *op : ops)
        if (llvm::none_of(op->getUsers(), [&](Operation *u) {
              return u->getAttr(name) == group;
            }))
          roots.push_back(op);
      int64_t id = cast<IntegerAttr>(group).getInt();
      std::string why = "the group has several results";
      if (roots.size() == 1 &&
          succeeded(fuseRowGroup(rewriter, cast<linalg::GenericOp>(roots[0]),
                                 group, why))) {
        ++numRowGroupsFused;
        continue;
      }
      if (emitRemarks)
        emitRemark(ops.back()->getLoc())
            << "row group " << id << " not tile-fused: " << why;
      for (Operation *op : ops)
        op->removeAttr(name);
    }
  }
  if (work.empty())
    return;

  cpu::IntegerDotKind integerDot = cpu::IntegerDotKind::None;
  {
    llvm::Expected<TargetDescription> desc = lookupTargetFor(func, target);
    if (!desc) {
      func->emitError() << "green-cpu-tile-and-vectorize: "
                        << llvm::toString(desc.takeError());
      return signalPassFailure();
    }
    integerDot = cpu::getIntegerDotKind(*desc);
  }

  for (auto [op, schedule] : work) {
    if (fuseEpilogues && emitRemarks && !getEpilogue(op))
      if (auto group = op->getAttrOfType<IntegerAttr>(
              GreenDialect::getFusionGroupAttrName()))
        emitRemark(op->getLoc()) << "epilogue group " << group.getInt()
                        << " not tile-fused: its epilogue is not the single "
                           "user of the result (e.g. it reads it through a "
                           "reshape)";
    if (linalg::GenericOp epilogue = fuseEpilogues ? getEpilogue(op) : nullptr) {
      std::string why;
      int64_t groupId = -1;
      if (auto group = op->getAttrOfType<IntegerAttr>(
              GreenDialect::getFusionGroupAttrName()))
        groupId = group.getInt();
      FailureOr<FusedEpilogue> fused =
          fuseEpilogue(rewriter, op, schedule, epilogue, why);
      if (succeeded(fused)) {
        if (emitRemarks)
          emitRemark(fused->contraction->getLoc())
              << "epilogue group " << groupId
              << " tile-fused: the epilogue runs on each tile of the result";
        op = fused->contraction;
        schedule = fused->schedule;
        ++numEpiloguesFused;
      } else if (emitRemarks) {
        emitRemark(op->getLoc()) << "epilogue group " << groupId
                        << " not tile-fused: " << why;
      }
    }
    if (failed(applySchedule(rewriter, op, schedule, integerDot)))
      return signalPassFailure();
  }

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

//===- ConvToGemm.cpp - 2-D convolutions as im2col + GEMM -----------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Codegen/CPU/Passes.h"
#include "green/Dialect/Green/IR/GreenDialect.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/TypeSwitch.h"

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

/// The [N, OH, OW, KH, KW, C] patches of the input of `conv`:
/// im2col[n, oh, ow, kh, kw, c] = x[n, oh*sh + kh*dh, ow*sw + kw*dw, c].
/// `kh`, `kw`, `c`: the filter's window and input channels (HWCF or FHWC).
static Value im2col(RewriterBase &rewriter, linalg::LinalgOp conv,
                    ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                    int64_t kh, int64_t kw, int64_t c) {
  auto xType = cast<RankedTensorType>(conv.getDpsInputs()[0].getType());
  auto oType = cast<RankedTensorType>(conv.getDpsInits()[0].getType());
  int64_t n = oType.getDimSize(0), oh = oType.getDimSize(1),
          ow = oType.getDimSize(2);
  Type elementType = xType.getElementType();
  Location loc = conv.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  AffineExpr dN, dOh, dOw, dKh, dKw, dC;
  bindDims(ctx, dN, dOh, dOw, dKh, dKw, dC);
  AffineMap inMap = AffineMap::get(
      6, 0,
      {dN, dOh * strides[0] + dKh * dilations[0],
       dOw * strides[1] + dKw * dilations[1], dC},
      ctx);
  AffineMap outMap = AffineMap::getMultiDimIdentityMap(6, ctx);
  Value colInit = tensor::EmptyOp::create(
      rewriter, loc, ArrayRef<int64_t>{n, oh, ow, kh, kw, c}, elementType);
  auto col = linalg::GenericOp::create(
      rewriter, loc, colInit.getType(), ValueRange{conv.getDpsInputs()[0]},
      ValueRange{colInit}, ArrayRef<AffineMap>{inMap, outMap},
      SmallVector<utils::IteratorType>(6, utils::IteratorType::parallel),
      [](OpBuilder &b, Location l, ValueRange args) {
        linalg::YieldOp::create(b, l, args[0]);
      });
  return col.getResult(0);
}

/// `w` ([F, K] f32) transposed to [K, F] at compile time when it is a
/// constant (dense or a dense_resource blob, as importers store weights);
/// null otherwise.
static Value transposeConstantFilter(RewriterBase &rewriter, Location loc,
                                     Value w, int64_t f, int64_t k) {
  auto constant = w.getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return {};
  std::vector<float> values;
  if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue())) {
    if (!dense.getElementType().isF32())
      return {};
    auto range = dense.getValues<float>();
    values.assign(range.begin(), range.end());
  } else if (auto blob =
                 dyn_cast<DenseF32ResourceElementsAttr>(constant.getValue())) {
    std::optional<ArrayRef<float>> data = blob.tryGetAsArrayRef();
    if (!data)
      return {};
    values.assign(data->begin(), data->end());
  } else {
    return {};
  }
  if (values.size() == 1)
    values.assign(f * k, values.front());
  if (static_cast<int64_t>(values.size()) != f * k)
    return {};
  std::vector<float> transposed(values.size());
  for (int64_t i = 0; i < f; ++i)
    for (int64_t j = 0; j < k; ++j)
      transposed[j * f + i] = values[i * k + j];
  auto type = RankedTensorType::get({k, f}, rewriter.getF32Type());
  auto attr = DenseResourceElementsAttr::get(
      type, "green_conv_filter_kxf",
      HeapAsmResourceBlob::allocateAndCopyInferAlign(
          ArrayRef<float>(transposed)));
  return arith::ConstantOp::create(rewriter, loc, type, attr);
}

/// Rewrites an NHWC convolution with an HWCF or FHWC filter as
/// C[N*OH*OW, F] = im2col[N*OH*OW, KH*KW*C] x W[KH*KW*C, F] with a plain
/// linalg.matmul, for any batch. The im2col gather is a 6-D copy (n, oh, ow,
/// kh, kw, c) with affine (no div/mod) input indices, whose innermost loop
/// copies C contiguous channels (vectorized by LLVM once lowered to loops);
/// a 1x1 convolution with stride 1 needs no copy. An FHWC filter (what
/// tosa.conv2d lowers to) viewed as [F, KH*KW*C] has its columns in the
/// same (kh, kw, c) order, so W is its transpose: done at compile time for
/// constant f32 filters, else a linalg.transpose.
static FailureOr<Value> rewriteNhwcAsGemm(RewriterBase &rewriter,
                                          linalg::LinalgOp conv,
                                          DenseIntElementsAttr stridesAttr,
                                          DenseIntElementsAttr dilationsAttr,
                                          bool filterFhwc) {
  Value x = conv.getDpsInputs()[0], w = conv.getDpsInputs()[1],
        out = conv.getDpsInits()[0];
  auto xType = cast<RankedTensorType>(x.getType());
  auto wType = cast<RankedTensorType>(w.getType());
  auto oType = cast<RankedTensorType>(out.getType());
  SmallVector<int64_t> strides =
      llvm::to_vector(stridesAttr.getValues<int64_t>());
  SmallVector<int64_t> dilations =
      llvm::to_vector(dilationsAttr.getValues<int64_t>());
  if (strides.size() != 2 || dilations.size() != 2)
    return failure();
  int64_t n = oType.getDimSize(0), oh = oType.getDimSize(1),
          ow = oType.getDimSize(2), f = oType.getDimSize(3);
  int64_t kh = wType.getDimSize(filterFhwc ? 1 : 0),
          kw = wType.getDimSize(filterFhwc ? 2 : 1),
          c = wType.getDimSize(filterFhwc ? 3 : 2);
  // The transposed filter keeps the filter's element type.
  Type elementType = wType.getElementType();
  Location loc = conv.getLoc();

  // Each operand keeps its own element type (i8 inputs, i32 accumulator in
  // quantized convolutions).
  auto collapse = [&](Value v, ArrayRef<int64_t> shape,
                      SmallVector<ReassociationIndices> groups) -> Value {
    return tensor::CollapseShapeOp::create(
        rewriter, loc,
        RankedTensorType::get(shape, getElementTypeOrSelf(v.getType())), v,
        groups);
  };
  Value a;
  if (kh == 1 && kw == 1 && strides[0] == 1 && strides[1] == 1 &&
      xType.getDimSize(1) == oh && xType.getDimSize(2) == ow) {
    // A 1x1 convolution with stride 1 already is a GEMM on the input.
    a = collapse(x, {n * oh * ow, c}, {{0, 1, 2}, {3}});
  } else {
    a = im2col(rewriter, conv, strides, dilations, kh, kw, c);
    a = collapse(a, {n * oh * ow, kh * kw * c}, {{0, 1, 2}, {3, 4, 5}});
  }
  int64_t k = kh * kw * c;
  Value b;
  if (!filterFhwc) {
    b = collapse(w, {k, f}, {{0, 1, 2}, {3}});
  } else if (!(b = transposeConstantFilter(rewriter, loc, w, f, k))) {
    Value fk = collapse(w, {f, k}, {{0}, {1, 2, 3}});
    Value init = tensor::EmptyOp::create(rewriter, loc,
                                         ArrayRef<int64_t>{k, f}, elementType);
    b = linalg::TransposeOp::create(rewriter, loc, fk, init,
                                    ArrayRef<int64_t>{1, 0})
            ->getResult(0);
  }
  // An element-wise producer of the accumulator (TOSA's broadcast of the
  // bias into the output) is collapsed along, so that the GEMM's init is
  // an op the epilogue tile fusion can fuse into each tile.
  Value init = out;
  SmallVector<ReassociationIndices> rows = {{0, 1, 2}, {3}};
  if (auto producer = init.getDefiningOp<linalg::GenericOp>();
      producer && init.hasOneUse() && producer.getNumLoops() == 4 &&
      producer.getNumParallelLoops() == 4 &&
      producer.hasPureTensorSemantics() && producer->getNumResults() == 1 &&
      llvm::all_of(producer.getIndexingMapsArray(),
                   [](AffineMap m) { return m.isProjectedPermutation(); }) &&
      linalg::areDimSequencesPreserved(producer.getIndexingMapsArray(),
                                       rows)) {
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(producer);
    FailureOr<linalg::CollapseResult> collapsed =
        linalg::collapseOpIterationDims(
            cast<linalg::LinalgOp>(producer.getOperation()), rows, rewriter);
    if (succeeded(collapsed)) {
      rewriter.replaceOp(producer, collapsed->results);
      init = conv.getDpsInits()[0];
    }
  }
  Value acc = collapse(init, {n * oh * ow, f}, {{0, 1, 2}, {3}});
  auto gemm = linalg::MatmulOp::create(rewriter, loc, TypeRange{acc.getType()},
                                       ValueRange{a, b}, ValueRange{acc});
  return tensor::ExpandShapeOp::create(rewriter, loc, oType,
                                       gemm->getResult(0),
                                       SmallVector<ReassociationIndices>{
                                           {0, 1, 2}, {3}})
      .getResult();
}

/// Keeps an epilogue group of `green-fuse` (`green.fusion_group` on the
/// convolution and its element-wise user) across the rewrite: the GEMM
/// takes the group, and the epilogue, which read the 4-D result through
/// the final `tensor.expand_shape`, is collapsed to the GEMM's 2-D
/// iteration space (n*oh*ow, f) so that it reads the GEMM directly and
/// green-cpu-tile-and-vectorize can fuse it into the GEMM's tiles.
static void keepEpilogueGroup(RewriterBase &rewriter, Value expanded,
                              Attribute group) {
  StringRef name = GreenDialect::getFusionGroupAttrName();
  auto expand = expanded.getDefiningOp<tensor::ExpandShapeOp>();
  if (!expand)
    return;
  Operation *gemm = expand.getSrc().getDefiningOp();
  if (!gemm)
    return;
  gemm->setAttr(name, group);
  if (!expanded.hasOneUse())
    return;
  auto epilogue = dyn_cast<linalg::GenericOp>(*expanded.getUsers().begin());
  if (!epilogue || epilogue->getAttr(name) != group ||
      epilogue.getNumLoops() != 4 || epilogue.getNumParallelLoops() != 4 ||
      !epilogue.hasPureTensorSemantics())
    return;
  SmallVector<ReassociationIndices> folded = {{0, 1, 2}, {3}};
  // Inputs indexed by constant 0 or by a unit loop in unit dimensions
  // (TOSA's 1x1x1xC bias, map (0, 0, 0, d3) or, canonicalized, (d0, d3)
  // on a 1xC tensor with an image batch of 1) lose those dimensions first
  // (collapse_shape): the loop collapse needs each group of loops all
  // present or all absent in every map.
  SmallVector<AffineMap> maps = epilogue.getIndexingMapsArray();
  SmallVector<int64_t> loopRanges = epilogue.getStaticLoopRanges();
  bool dropped = false;
  rewriter.setInsertionPoint(epilogue);
  for (OpOperand *input : epilogue.getDpsInputOperands()) {
    AffineMap map = maps[input->getOperandNumber()];
    auto type = dyn_cast<RankedTensorType>(input->get().getType());
    // (isDimSequencePreserved requires a projected permutation.)
    if (input->get() == expanded ||
        (map.isProjectedPermutation() &&
         linalg::isDimSequencePreserved(map, folded[0])) ||
        !type ||
        !type.hasStaticShape() ||
        type.getRank() != static_cast<int64_t>(map.getNumResults()))
      continue;
    SmallVector<AffineExpr> kept;
    SmallVector<int64_t> shape;
    SmallVector<ReassociationIndices> groups;
    ReassociationIndices pending;
    bool unitConstants = false;
    for (unsigned r = 0, e = map.getNumResults(); r < e; ++r) {
      pending.push_back(r);
      auto c = dyn_cast<AffineConstantExpr>(map.getResult(r));
      auto d = dyn_cast<AffineDimExpr>(map.getResult(r));
      bool unitLoop = d && loopRanges[d.getPosition()] == 1;
      if (((c && c.getValue() == 0) || unitLoop) &&
          type.getDimSize(r) == 1) {
        unitConstants = true;
        continue;
      }
      kept.push_back(map.getResult(r));
      shape.push_back(type.getDimSize(r));
      groups.push_back(pending);
      pending.clear();
    }
    if (!unitConstants || kept.empty())
      continue;
    groups.back().append(pending.begin(), pending.end());
    Value collapsed = tensor::CollapseShapeOp::create(
        rewriter, epilogue.getLoc(),
        RankedTensorType::get(shape, type.getElementType()), input->get(),
        groups);
    rewriter.modifyOpInPlace(epilogue, [&] { input->set(collapsed); });
    maps[input->getOperandNumber()] =
        AffineMap::get(map.getNumDims(), 0, kept, map.getContext());
    dropped = true;
  }
  if (dropped)
    rewriter.modifyOpInPlace(epilogue, [&] {
      epilogue.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
    });
  for (OpOperand &use : epilogue->getOpOperands())
    if (use.get() == expanded &&
        !epilogue.getMatchingIndexingMap(&use).isIdentity())
      return;
  // Both need projected permutations (asserted upstream, undefined in
  // release builds: TOSA's (0, 0, 0, d3) maps crashed here).
  SmallVector<AffineMap> newMaps = epilogue.getIndexingMapsArray();
  if (!llvm::all_of(newMaps,
                    [](AffineMap m) { return m.isProjectedPermutation(); }) ||
      !linalg::areDimSequencesPreserved(newMaps, folded))
    return;
  rewriter.setInsertionPoint(epilogue);
  FailureOr<linalg::CollapseResult> collapsed =
      linalg::collapseOpIterationDims(
          cast<linalg::LinalgOp>(epilogue.getOperation()), folded, rewriter);
  if (failed(collapsed))
    return;
  collapsed->collapsedOp->setAttr(name, group);
  rewriter.replaceOp(epilogue, collapsed->results);
}

void ConvToGemmPass::runOnOperation() {
  SmallVector<linalg::LinalgOp> convs;
  getOperation()->walk([&](linalg::LinalgOp op) {
    if (isa<linalg::Conv2DNhwcHwcfOp, linalg::Conv2DNhwcFhwcOp,
            linalg::Conv2DNchwFchwOp>(op) &&
        op.hasPureTensorSemantics() && !op.hasDynamicShape())
      convs.push_back(op);
  });
  IRRewriter rewriter(&getContext());
  for (linalg::LinalgOp op : convs) {
    rewriter.setInsertionPoint(op);
    // NHWC with HWCF or FHWC (TOSA's layout) filters: im2col + GEMM; an
    // epilogue group of green-fuse moves to the GEMM.
    FailureOr<Value> asGemm = failure();
    if (auto nhwc = dyn_cast<linalg::Conv2DNhwcHwcfOp>(op.getOperation()))
      asGemm = rewriteNhwcAsGemm(rewriter, op, nhwc.getStrides(),
                                 nhwc.getDilations(), /*filterFhwc=*/false);
    else if (auto fhwc = dyn_cast<linalg::Conv2DNhwcFhwcOp>(op.getOperation()))
      asGemm = rewriteNhwcAsGemm(rewriter, op, fhwc.getStrides(),
                                 fhwc.getDilations(), /*filterFhwc=*/true);
    if (succeeded(asGemm)) {
      Attribute group = op->getAttr(GreenDialect::getFusionGroupAttrName());
      rewriter.replaceOp(op, *asGemm);
      if (group)
        keepEpilogueGroup(rewriter, *asGemm, group);
      ++numRewritten;
      continue;
    }
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

//===- FusionConstantFolding.cpp - run-time work done at compile time -----===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Patterns green-fuse applies before fusing: transposes of constants are done
// at compile time, and a per-channel affine op after a convolution with
// constant weights and bias (what a batch norm in inference mode decomposes
// into) is folded into the convolution's weights and bias. Every fold removes
// an op's run-time traffic and arithmetic and stores no extra parameter: a
// pattern only fires when the constants it replaces have no other user.
//
//===----------------------------------------------------------------------===//

#include "green/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/APFloat.h"

using namespace mlir;
using namespace mlir::green;

/// Largest constant (elements) the patterns rewrite: beyond it compile time
/// and memory grow for little gain, and importers keep such weights as
/// resources anyway.
static constexpr int64_t kMaxFoldElements = int64_t(1) << 22;

/// `attr` transposed so that dimension i of the result is dimension
/// `perm[i]` of `attr` (the convention of linalg.transpose and
/// tosa.transpose).
static DenseElementsAttr transposeAttr(DenseElementsAttr attr,
                                       ArrayRef<int64_t> perm,
                                       ShapedType resultType) {
  if (attr.isSplat())
    return attr.resizeSplat(resultType);
  ArrayRef<int64_t> inShape = attr.getType().getShape();
  ArrayRef<int64_t> outShape = resultType.getShape();
  size_t rank = inShape.size();
  SmallVector<int64_t> inStrides(rank, 1);
  for (int64_t i = static_cast<int64_t>(rank) - 2; i >= 0; --i)
    inStrides[i] = inStrides[i + 1] * inShape[i + 1];
  SmallVector<Attribute> in(attr.getValues<Attribute>());
  SmallVector<Attribute> out;
  out.reserve(in.size());
  SmallVector<int64_t> idx(rank, 0);
  for (size_t flat = 0; flat < in.size(); ++flat) {
    int64_t src = 0;
    for (size_t k = 0; k < rank; ++k)
      src += idx[k] * inStrides[perm[k]];
    out.push_back(in[src]);
    for (int64_t k = static_cast<int64_t>(rank) - 1; k >= 0; --k) {
      if (++idx[k] < outShape[k])
        break;
      idx[k] = 0;
    }
  }
  return DenseElementsAttr::get(resultType, out);
}

/// The dense constant `v` is defined by (arith.constant or tosa.const), if it
/// is small enough to rewrite.
static DenseElementsAttr getFoldableConstant(Value v) {
  Attribute attr;
  if (auto c = v.getDefiningOp<arith::ConstantOp>())
    attr = c.getValue();
  else if (auto c = v.getDefiningOp<tosa::ConstOp>())
    attr = c.getValues();
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.getType().hasStaticShape() ||
      dense.getNumElements() > kMaxFoldElements)
    return {};
  return dense;
}

namespace {
//===----------------------------------------------------------------------===//
// Transposes of constants
//===----------------------------------------------------------------------===//

/// linalg.transpose of a constant becomes the transposed constant.
struct FoldLinalgTransposeOfConstant
    : public OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op->getNumResults() != 1)
      return rewriter.notifyMatchFailure(op, "not on tensors");
    DenseElementsAttr input = getFoldableConstant(op.getInput());
    if (!input)
      return rewriter.notifyMatchFailure(op, "input is not a dense constant");
    if (!op.getInput().hasOneUse())
      return rewriter.notifyMatchFailure(
          op, "constant has other users: folding would store it twice");
    auto type = cast<ShapedType>(op->getResult(0).getType());
    SmallVector<int64_t> perm(op.getPermutation());
    DenseElementsAttr folded = transposeAttr(input, perm, type);
    emitRemark(op->getLoc()) << "transpose of a constant done at compile time: saves "
                     << 2 * input.getRawData().size()
                     << " bytes of run-time traffic";
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, folded);
    return success();
  }
};

/// tosa.transpose of a constant becomes the transposed constant.
struct FoldTosaTransposeOfConstant
    : public OpRewritePattern<tosa::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    DenseElementsAttr input = getFoldableConstant(op.getInput1());
    if (!input)
      return rewriter.notifyMatchFailure(op, "input is not a dense constant");
    if (!op.getInput1().hasOneUse())
      return rewriter.notifyMatchFailure(
          op, "constant has other users: folding would store it twice");
    auto type = dyn_cast<RankedTensorType>(op.getType());
    if (!type || !type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "result shape is not static");
    SmallVector<int64_t> perm(op.getPerms().begin(), op.getPerms().end());
    DenseElementsAttr folded = transposeAttr(input, perm, type);
    emitRemark(op->getLoc()) << "transpose of a constant done at compile time: saves "
                     << 2 * input.getRawData().size()
                     << " bytes of run-time traffic";
    rewriter.replaceOpWithNewOp<tosa::ConstOp>(op, type, folded);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Batch norm into convolution
//===----------------------------------------------------------------------===//

/// `x op c` after `x = tosa.conv2d(in, W, b)`, with W, b and c f32 constants
/// and c per output channel (shape 1x...x1xC, or a single element), becomes a
/// convolution with new weights and bias:
///   add: b' = b + c        sub: b' = b - c
///   mul: W'[o] = W[o] * c[o], b' = b * c
/// A batch norm in inference mode, (x - mean) * (gamma / sqrt(var + eps)) +
/// beta, is a sub, a mul and an add, folded one after the other.
template <typename OpTy>
struct FoldChannelAffineIntoConv : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    constexpr bool isMul = std::is_same_v<OpTy, tosa::MulOp>;
    constexpr bool isSub = std::is_same_v<OpTy, tosa::SubOp>;
    Value lhs = op.getInput1(), rhs = op.getInput2();
    auto conv = lhs.template getDefiningOp<tosa::Conv2DOp>();
    // add and mul commute; x - c only with the convolution on the left.
    if (!conv && !isSub) {
      std::swap(lhs, rhs);
      conv = lhs.template getDefiningOp<tosa::Conv2DOp>();
    }
    if (!conv)
      return rewriter.notifyMatchFailure(op, "not applied to a tosa.conv2d");
    if (!conv->hasOneUse())
      return rewriter.notifyMatchFailure(op, "convolution has other users");
    if constexpr (isMul) {
      DenseElementsAttr shift = getFoldableConstant(op.getShift());
      if (!shift || !llvm::all_of(shift.getValues<APInt>(),
                                  [](const APInt &v) { return v.isZero(); }))
        return rewriter.notifyMatchFailure(op, "non-zero shift");
    }
    DenseElementsAttr weights = getFoldableConstant(conv.getWeight());
    DenseElementsAttr bias = getFoldableConstant(conv.getBias());
    DenseElementsAttr c = getFoldableConstant(rhs);
    if (!weights || !bias || !c)
      return rewriter.notifyMatchFailure(
          op, "weights, bias or the other operand are not constants");
    if (!conv.getWeight().hasOneUse() || !conv.getBias().hasOneUse())
      return rewriter.notifyMatchFailure(
          op, "weights or bias have other users: folding would store them "
              "twice");
    auto resultType = dyn_cast<RankedTensorType>(conv.getType());
    if (!resultType || !resultType.hasStaticShape() ||
        op.getType() != conv.getType())
      return rewriter.notifyMatchFailure(op, "shapes are not static or the "
                                             "op broadcasts the convolution");
    Type f32 = rewriter.getF32Type();
    if (weights.getElementType() != f32 || bias.getElementType() != f32 ||
        c.getElementType() != f32 || resultType.getElementType() != f32)
      return rewriter.notifyMatchFailure(op, "not f32");
    int64_t channels = resultType.getShape().back();
    ArrayRef<int64_t> cShape = c.getType().getShape();
    bool perChannel = c.getNumElements() == 1 ||
                      (!cShape.empty() && cShape.back() == channels &&
                       c.getNumElements() == channels);
    if (!perChannel)
      return rewriter.notifyMatchFailure(op, "operand is not per channel");
    int64_t biasSize = bias.getNumElements();
    if (biasSize != channels && biasSize != 1)
      return rewriter.notifyMatchFailure(op, "unexpected bias size");

    SmallVector<float> cv, bv;
    for (APFloat v : c.getValues<APFloat>())
      cv.push_back(v.convertToFloat());
    for (APFloat v : bias.getValues<APFloat>())
      bv.push_back(v.convertToFloat());
    auto at = [](ArrayRef<float> v, int64_t i) {
      return v.size() == 1 ? v[0] : v[i];
    };
    SmallVector<float> newBias(channels);
    for (int64_t o = 0; o < channels; ++o) {
      float b = at(bv, o), k = at(cv, o);
      newBias[o] = isMul ? b * k : isSub ? b - k : b + k;
    }
    auto biasType = RankedTensorType::get({channels}, f32);
    rewriter.setInsertionPoint(conv);
    Value newBiasValue = tosa::ConstOp::create(
        rewriter, conv.getBias().getLoc(), biasType,
        DenseElementsAttr::get(biasType, ArrayRef<float>(newBias)));
    Value newWeightValue = conv.getWeight();
    if (isMul) {
      // Weights are OHWI: the output channel is dimension 0.
      auto wType = cast<RankedTensorType>(weights.getType());
      int64_t perChannelElems = wType.getNumElements() / channels;
      SmallVector<float> w;
      w.reserve(wType.getNumElements());
      for (APFloat v : weights.getValues<APFloat>())
        w.push_back(v.convertToFloat());
      for (int64_t i = 0, e = w.size(); i < e; ++i)
        w[i] *= at(cv, i / perChannelElems);
      newWeightValue = tosa::ConstOp::create(
          rewriter, conv.getWeight().getLoc(), wType,
          DenseElementsAttr::get(wType, ArrayRef<float>(w)));
    }
    emitRemark(op->getLoc()) << "per-channel " << op->getName().getStringRef()
                     << " folded into the convolution's "
                     << (isMul ? "weights and bias" : "bias") << ": saves "
                     << 2 * resultType.getNumElements() * 4
                     << " bytes of run-time traffic";
    Value oldWeight = conv.getWeight(), oldBias = conv.getBias();
    rewriter.modifyOpInPlace(conv, [&] {
      conv.getWeightMutable().set(newWeightValue);
      conv.getBiasMutable().set(newBiasValue);
    });
    // The convolution takes the op's place (and location, for later
    // remarks).
    rewriter.replaceOp(op, conv.getResult());
    if (oldWeight != newWeightValue && oldWeight.use_empty())
      rewriter.eraseOp(oldWeight.getDefiningOp());
    if (oldBias.use_empty())
      rewriter.eraseOp(oldBias.getDefiningOp());
    return success();
  }
};
} // namespace

void mlir::green::populateFusionConstantFoldingPatterns(
    RewritePatternSet &patterns) {
  patterns.add<FoldLinalgTransposeOfConstant, FoldTosaTransposeOfConstant,
               FoldChannelAffineIntoConv<tosa::AddOp>,
               FoldChannelAffineIntoConv<tosa::SubOp>,
               FoldChannelAffineIntoConv<tosa::MulOp>>(patterns.getContext());
}

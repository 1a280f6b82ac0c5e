//===- TransposePropagation.cpp - sink and cancel layout transposes -------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// ONNX is NCHW and TOSA's convolutions NHWC, so the importer wraps every
// conv/pool in transposes; graphs from converters (TensorFlow, TFLite) are
// NHWC and wrap every NCHW ONNX op in Transpose nodes of their own. Between
// the two, element-wise ops (activations, bias adds, residual adds, casts,
// requantization-free TOSA arithmetic) keep transposes apart that would
// otherwise cancel. After import:
//  - a transpose feeding an element-wise op is sunk below it, when every
//    other operand is the same transpose, a splat or a constant with at most
//    one non-unit dimension (a per-channel bias: its data order does not
//    change), and the transposes have no other users;
//  - TOSA's own canonicalization then composes back-to-back transposes and
//    drops identity ones.
// The result computes the same values: only where the layout changes moves.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace mlir::green::onnx_import;

namespace {

bool isElementwise(Operation *op) {
  return isa<tosa::AddOp, tosa::SubOp, tosa::MulOp, tosa::MaximumOp,
             tosa::MinimumOp, tosa::PowOp, tosa::ClampOp, tosa::SigmoidOp,
             tosa::TanhOp, tosa::ExpOp, tosa::LogOp, tosa::AbsOp,
             tosa::NegateOp, tosa::FloorOp, tosa::CeilOp, tosa::ReciprocalOp,
             tosa::RsqrtOp, tosa::ErfOp, tosa::SinOp, tosa::CosOp,
             tosa::CastOp, tosa::SelectOp, tosa::EqualOp, tosa::GreaterOp,
             tosa::GreaterEqualOp, tosa::LogicalAndOp, tosa::LogicalOrOp,
             tosa::LogicalNotOp, tosa::LogicalXorOp, tosa::BitwiseXorOp>(op);
}

/// A constant that can take any layout by a reshape: a splat, or at most
/// one dimension larger than 1. Returns its values in `shape`, else null.
Value relayoutConstant(PatternRewriter &rewriter, Value value,
                       llvm::ArrayRef<int64_t> shape) {
  auto constOp = value.getDefiningOp<tosa::ConstOp>();
  if (!constOp)
    return {};
  auto type = cast<RankedTensorType>(value.getType());
  auto newType = RankedTensorType::get(shape, type.getElementType());
  bool oneDim =
      llvm::count_if(type.getShape(), [](int64_t d) { return d != 1; }) <= 1;
  // Large constants are blobs: the same bytes under the new shape.
  if (auto blob = dyn_cast<DenseResourceElementsAttr>(constOp.getValues())) {
    if (!oneDim)
      return {};
    return tosa::ConstOp::create(
        rewriter, constOp.getLoc(), newType,
        DenseResourceElementsAttr::get(newType, blob.getRawHandle()));
  }
  auto attr = dyn_cast<DenseElementsAttr>(constOp.getValues());
  if (!attr)
    return {};
  if (attr.isSplat())
    return tosa::ConstOp::create(
        rewriter, constOp.getLoc(), newType,
        DenseElementsAttr::get(newType, attr.getSplatValue<Attribute>()));
  if (!oneDim)
    return {};
  return tosa::ConstOp::create(rewriter, constOp.getLoc(), newType,
                               attr.reshape(newType));
}

/// op(transpose(a, P), transpose(b, P), c) -> transpose(op(a, b, c'), P).
struct SinkTransposeBelowElementwise : RewritePattern {
  SinkTransposeBelowElementwise(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isElementwise(op) || op->getNumResults() != 1)
      return failure();
    auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!resultType || resultType.getRank() < 2)
      return failure();
    int64_t rank = resultType.getRank();
    std::optional<llvm::SmallVector<int32_t>> perms;
    bool anyConstant = false;
    for (Value operand : op->getOperands()) {
      auto type = dyn_cast<RankedTensorType>(operand.getType());
      if (!type || type.getRank() != rank)
        continue; // tosa.mul's shift
      if (auto transpose = operand.getDefiningOp<tosa::TransposeOp>()) {
        if (llvm::any_of(transpose->getUsers(),
                         [&](Operation *user) { return user != op; }))
          return failure();
        llvm::SmallVector<int32_t> p(transpose.getPerms());
        if (perms && *perms != p)
          return failure();
        perms = p;
        continue;
      }
      anyConstant = true;
      if (!operand.getDefiningOp<tosa::ConstOp>())
        return failure();
    }
    if (!perms)
      return failure();
    auto permuted = [&](RankedTensorType type) {
      // output dim i = input dim perms[i]: the input has shape[perms[i]] =
      // type[i].
      llvm::SmallVector<int64_t> shape(rank);
      for (int64_t i = 0; i < rank; ++i)
        shape[(*perms)[i]] = type.getDimSize(i);
      return shape;
    };
    llvm::SmallVector<Value> operands;
    for (Value operand : op->getOperands()) {
      auto type = dyn_cast<RankedTensorType>(operand.getType());
      if (!type || type.getRank() != rank) {
        operands.push_back(operand);
        continue;
      }
      if (auto transpose = operand.getDefiningOp<tosa::TransposeOp>()) {
        operands.push_back(transpose.getInput1());
        continue;
      }
      Value c = relayoutConstant(rewriter, operand, permuted(type));
      if (!c)
        return failure();
      operands.push_back(c);
    }
    (void)anyConstant;
    Operation *newOp = rewriter.clone(*op);
    newOp->setOperands(operands);
    newOp->getResult(0).setType(
        RankedTensorType::get(permuted(resultType),
                              resultType.getElementType()));
    rewriter.replaceOpWithNewOp<tosa::TransposeOp>(
        op, resultType, newOp->getResult(0),
        rewriter.getDenseI32ArrayAttr(*perms));
    return success();
  }
};

} // namespace

LogicalResult mlir::green::onnx_import::propagateTransposes(ModuleOp module) {
  MLIRContext *context = module.getContext();
  RewritePatternSet patterns(context);
  patterns.add<SinkTransposeBelowElementwise>(context);
  tosa::TransposeOp::getCanonicalizationPatterns(patterns, context);
  GreedyRewriteConfig config;
  config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
  // Keep constants where the import put them (next to their users).
  config.enableConstantCSE(false);
  return applyPatternsGreedily(module, std::move(patterns), config);
}

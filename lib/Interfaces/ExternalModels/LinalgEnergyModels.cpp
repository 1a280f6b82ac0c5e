//===- LinalgEnergyModels.cpp - EnergyCostOpInterface for linalg ----------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// One generic model for every linalg structured op (linalg.generic and all
// named ops), attached through the generated op list the way upstream's
// linalg::registerTilingInterfaceExternalModels does, plus models for
// linalg.softmax and the relayout ops (linalg.pack / linalg.unpack).
//
// Structured ops:
//   iterations = product of the static loop ranges (a dynamic range uses
//                the assumed dynamic size or fails).
//   operations = for each payload op, iterations x its class on its charged
//                element type (see classifyScalarOp). linalg.index is
//                address arithmetic and free. Any other payload op fails.
//   contraction: when the op has a reduction loop and a yielded value is
//                `acc + a * b` (acc the output block argument, optionally
//                casts around the multiply), the add and the multiply are
//                ONE Fma per iteration, contraction = true, charged to the
//                add's (accumulator) element type; single-use casts feeding
//                that multiply widen inside the MAC and are not counted.
//                An integer MAC whose two multiply operands are both
//                extended (extsi/extui) from narrower integers is charged
//                to the wider of those input types instead (i8 x i8 -> i32
//                is an i8 MAC: the dot-product instructions the CPU backend
//                uses, vpdpbusd / vpmaddwd, work on the narrow inputs).
//   data movement: no counted operation in the payload (fill, copy,
//                transpose, broadcast, generics that only yield).
//   bytes read = every input the payload uses, once at full size (a scalar
//                input one element; pooling's shape-only window operand is
//                not read) + every init whose value the payload uses;
//   bytes written = every init at full size;
//   parameters = elements of constant inputs (see isConstantWeight).
//
//===----------------------------------------------------------------------===//

#include "ModelUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;
using namespace mlir::green;
using namespace mlir::green::energy;

//===----------------------------------------------------------------------===//
// Structured ops
//===----------------------------------------------------------------------===//

/// True for single-operand casts that may sit around a contraction's
/// multiply (widening or narrowing the operands or the product).
static bool isContractionCast(Operation *op) {
  return isa<arith::ExtFOp, arith::TruncFOp, arith::ExtSIOp, arith::ExtUIOp,
             arith::TruncIOp, arith::SIToFPOp, arith::UIToFPOp, arith::FPToSIOp,
             arith::FPToUIOp>(op);
}

/// The integer type an integer multiply-accumulate `mul` is charged to: the
/// wider of its operands' source types when both are extended from
/// narrower integers, else null (charge the accumulator type).
static Type getNarrowIntegerMacType(Operation *mul) {
  if (!isa<arith::MulIOp>(mul))
    return nullptr;
  unsigned width = 0;
  for (Value operand : mul->getOperands()) {
    Operation *ext = operand.getDefiningOp();
    if (!isa_and_nonnull<arith::ExtSIOp, arith::ExtUIOp>(ext))
      return nullptr;
    auto in = dyn_cast<IntegerType>(ext->getOperand(0).getType());
    if (!in)
      return nullptr;
    width = std::max(width, in.getWidth());
  }
  auto out = dyn_cast<IntegerType>(mul->getResult(0).getType());
  if (!out || width >= out.getWidth())
    return nullptr;
  return IntegerType::get(mul->getContext(), width);
}

/// Finds the `acc + a * b` reductions of `op`'s payload. Returns the adds
/// that become one Fma each, and puts the ops they absorb (the multiply and
/// casts used only by it) into `absorbed`. `macTypes` receives, per add, the
/// type the MAC is charged to when it is not the add's own (see
/// getNarrowIntegerMacType).
static SmallVector<Operation *>
findContractions(linalg::LinalgOp op, llvm::DenseSet<Operation *> &absorbed,
                 llvm::DenseMap<Operation *, Type> &macTypes) {
  SmallVector<Operation *> fmaAdds;
  if (op.getNumReductionLoops() == 0)
    return fmaAdds;
  Block *body = op.getBlock();
  Operation *yield = body->getTerminator();
  auto outputArgs = op.getRegionOutputArgs();
  for (OpOperand &yielded : yield->getOpOperands()) {
    Operation *add = yielded.get().getDefiningOp();
    if (!isa_and_nonnull<arith::AddFOp, arith::AddIOp>(add) ||
        yielded.getOperandNumber() >= outputArgs.size())
      continue;
    Value acc = outputArgs[yielded.getOperandNumber()];
    Value product;
    if (add->getOperand(0) == acc)
      product = add->getOperand(1);
    else if (add->getOperand(1) == acc)
      product = add->getOperand(0);
    else
      continue;
    SmallVector<Operation *> chain;
    Operation *mul = product.getDefiningOp();
    if (mul && isContractionCast(mul) && mul->hasOneUse()) {
      chain.push_back(mul);
      mul = mul->getOperand(0).getDefiningOp();
    }
    if (!isa_and_nonnull<arith::MulFOp, arith::MulIOp>(mul) ||
        !mul->hasOneUse() || mul->getBlock() != body)
      continue;
    chain.push_back(mul);
    for (Value operand : mul->getOperands()) {
      Operation *cast = operand.getDefiningOp();
      if (cast && cast->getBlock() == body && isContractionCast(cast) &&
          cast->hasOneUse())
        chain.push_back(cast);
    }
    absorbed.insert(chain.begin(), chain.end());
    if (Type narrow = getNarrowIntegerMacType(mul))
      macTypes[add] = narrow;
    fmaAdds.push_back(add);
  }
  return fmaAdds;
}

static FailureOr<OpWork> getStructuredOpWork(linalg::LinalgOp op,
                                             const WorkOptions &options) {
  int64_t iterations = 1;
  for (int64_t range : op.getStaticLoopRanges()) {
    if (ShapedType::isDynamic(range)) {
      if (ShapedType::isDynamic(options.assumedDynamicSize))
        return failToCost(options,
                          "dynamic loop range and no assumed dynamic size");
      range = options.assumedDynamicSize;
    }
    iterations *= range;
  }

  OpWork work;
  llvm::DenseSet<Operation *> absorbed;
  llvm::DenseMap<Operation *, Type> macTypes;
  SmallVector<Operation *> fmaAdds = findContractions(op, absorbed, macTypes);
  for (Operation &bodyOp : op.getBlock()->without_terminator()) {
    if (absorbed.contains(&bodyOp) || isa<linalg::IndexOp>(bodyOp))
      continue;
    if (llvm::is_contained(fmaAdds, &bodyOp)) {
      Type macType = macTypes.lookup(&bodyOp);
      FailureOr<ScalarKind> kind = getArithmeticKind(
          macType ? macType : bodyOp.getResult(0).getType(), options);
      if (failed(kind))
        return failure();
      work.add(*kind, OpClass::Fma, iterations, /*contraction=*/true);
      continue;
    }
    std::optional<ScalarOpInfo> info = classifyScalarOp(&bodyOp);
    if (!info)
      return failToCost(options, "unsupported payload op '" +
                                     bodyOp.getName().getStringRef() +
                                     "' in '" + op->getName().getStringRef() +
                                     "'");
    if (info->opsPerElement == 0)
      continue;
    FailureOr<int64_t> lanes = getNumElements(info->chargedType, options);
    FailureOr<ScalarKind> kind = getArithmeticKind(info->chargedType, options);
    if (failed(lanes) || failed(kind))
      return failure();
    work.add(*kind, info->cls, iterations * *lanes * info->opsPerElement);
  }
  work.dataMovement = work.ops.empty();

  for (OpOperand *input : op.getDpsInputOperands()) {
    // Shape-only inputs (the window operand of pooling ops) are not read.
    if (!op.payloadUsesValueFromOperand(input))
      continue;
    FailureOr<int64_t> bytes = getNumBytes(input->get().getType(), options);
    FailureOr<int64_t> params = getParameterElements(input->get(), options);
    if (failed(bytes) || failed(params))
      return failure();
    work.bytesRead += *bytes;
    work.parameters += *params;
  }
  for (OpOperand &init : op.getDpsInitsMutable()) {
    FailureOr<int64_t> bytes = getNumBytes(init.get().getType(), options);
    if (failed(bytes))
      return failure();
    if (op.payloadUsesValueFromOperand(&init))
      work.bytesRead += *bytes;
    work.bytesWritten += *bytes;
  }
  return work;
}

namespace {

/// The model shared by every structured op.
template <typename OpTy>
struct StructuredOpEnergyModel
    : public EnergyCostOpInterface::ExternalModel<StructuredOpEnergyModel<OpTy>,
                                                  OpTy> {
  FailureOr<OpWork> getWork(Operation *op, const WorkOptions &options) const {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp)
      return failToCost(options, "'" + op->getName().getStringRef() +
                                     "' is not a structured linalg op");
    return getStructuredOpWork(linalgOp, options);
  }
};

//===----------------------------------------------------------------------===//
// linalg.softmax
//===----------------------------------------------------------------------===//

/// softmax(x) along a dimension of size D over N input elements, as its
/// decomposition computes it: max-reduce (N Add), x - max (N Add), exp
/// (N Transcendental), sum-reduce (N Add), divide by the sum (N Div). The
/// reductions visit each element once, so D does not appear. Reads the
/// input once, writes the output once.
struct SoftmaxEnergyModel
    : public EnergyCostOpInterface::ExternalModel<SoftmaxEnergyModel,
                                                  linalg::SoftmaxOp> {
  FailureOr<OpWork> getWork(Operation *op, const WorkOptions &options) const {
    auto softmax = cast<linalg::SoftmaxOp>(op);
    Type inputType = softmax.getInput().getType();
    FailureOr<int64_t> n = getNumElements(inputType, options);
    FailureOr<ScalarKind> kind = getArithmeticKind(inputType, options);
    FailureOr<int64_t> read = getNumBytes(inputType, options);
    FailureOr<int64_t> written =
        getNumBytes(softmax.getOutput().getType(), options);
    if (failed(n) || failed(kind) || failed(read) || failed(written))
      return failure();
    OpWork work;
    work.add(*kind, OpClass::Add, 3 * *n);
    work.add(*kind, OpClass::Transcendental, *n);
    work.add(*kind, OpClass::Div, *n);
    work.bytesRead = *read;
    work.bytesWritten = *written;
    return work;
  }
};

//===----------------------------------------------------------------------===//
// linalg.pack / linalg.unpack
//===----------------------------------------------------------------------===//

/// Relayout: reads the source, writes the destination (padding included).
template <typename OpTy>
struct RelayoutEnergyModel
    : public EnergyCostOpInterface::ExternalModel<RelayoutEnergyModel<OpTy>,
                                                  OpTy> {
  FailureOr<OpWork> getWork(Operation *op, const WorkOptions &options) const {
    auto relayout = cast<OpTy>(op);
    FailureOr<int64_t> read =
        getNumBytes(relayout.getSource().getType(), options);
    FailureOr<int64_t> written =
        getNumBytes(relayout.getDest().getType(), options);
    if (failed(read) || failed(written))
      return failure();
    OpWork work;
    work.bytesRead = *read;
    work.bytesWritten = *written;
    work.dataMovement = true;
    return work;
  }
};

} // namespace

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

template <typename... OpTys>
static void attachToStructuredOps(MLIRContext *ctx) {
  (OpTys::template attachInterface<StructuredOpEnergyModel<OpTys>>(*ctx), ...);
}

void energy::registerLinalgEnergyModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, linalg::LinalgDialect *) {
    attachToStructuredOps<
#define GET_OP_LIST
#include "mlir/Dialect/Linalg/IR/LinalgStructuredOps.cpp.inc"
        >(ctx);
    linalg::SoftmaxOp::attachInterface<SoftmaxEnergyModel>(*ctx);
    linalg::PackOp::attachInterface<RelayoutEnergyModel<linalg::PackOp>>(*ctx);
    linalg::UnPackOp::attachInterface<RelayoutEnergyModel<linalg::UnPackOp>>(
        *ctx);
  });
}

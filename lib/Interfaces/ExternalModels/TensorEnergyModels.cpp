//===- TensorEnergyModels.cpp - EnergyCostOpInterface for tensor ----------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// tensor ops are either metadata (no bytes) or data movement:
//   cast, bitcast, collapse_shape, expand_shape, reshape, empty, dim, rank:
//     zero work (metadata only: no element is read or written).
//   extract_slice: reads the extracted part (result-sized) of the source,
//     writes the result.
//   insert_slice, parallel_insert_slice: reads the source, writes a
//     source-sized part of the destination (destination-passing: the rest
//     of the destination is not touched).
//   pad: reads the source, writes the padded result.
//   concat: reads every input, writes the result.
//   gather: reads the gathered (result-sized) part of the source and the
//     indices, writes the result.
//   scatter: reads the updates (source) and the indices, writes an
//     updates-sized part of the destination.
//   extract / insert: one element read / written (the scalar is a register).
//   from_elements, splat: writes the result.
//   generate: no model (arbitrary body): fails with a reason.
// All of these except the metadata ops have dataMovement = true.
//
//===----------------------------------------------------------------------===//

#include "ModelUtils.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::green;
using namespace mlir::green::energy;

static FailureOr<OpWork> getExtractSliceWork(tensor::ExtractSliceOp op,
                                             const WorkOptions &options) {
  return getDataMovementWork(op.getType(), op.getType(), options);
}

/// insert_slice and parallel_insert_slice: operand 0 is the source.
template <typename OpTy>
static FailureOr<OpWork> getInsertSliceWork(OpTy op,
                                            const WorkOptions &options) {
  Type source = op->getOperand(0).getType();
  return getDataMovementWork(source, source, options);
}

static FailureOr<OpWork> getPadWork(tensor::PadOp op,
                                    const WorkOptions &options) {
  return getDataMovementWork(op.getSource().getType(), op.getType(), options);
}

static FailureOr<OpWork> getConcatWork(tensor::ConcatOp op,
                                       const WorkOptions &options) {
  return getDataMovementWork(op->getOperandTypes(), op.getType(), options);
}

static FailureOr<OpWork> getGatherWork(tensor::GatherOp op,
                                       const WorkOptions &options) {
  Type reads[] = {op.getType(), op.getIndices().getType()};
  return getDataMovementWork(reads, op.getType(), options);
}

static FailureOr<OpWork> getScatterWork(tensor::ScatterOp op,
                                        const WorkOptions &options) {
  Type reads[] = {op.getSource().getType(), op.getIndices().getType()};
  return getDataMovementWork(reads, op.getSource().getType(), options);
}

static FailureOr<OpWork> getExtractWork(tensor::ExtractOp op,
                                        const WorkOptions &options) {
  return getSingleElementAccessWork(op.getTensor().getType(), /*write=*/false,
                                    options);
}

static FailureOr<OpWork> getInsertWork(tensor::InsertOp op,
                                       const WorkOptions &options) {
  return getSingleElementAccessWork(op.getDest().getType(), /*write=*/true,
                                    options);
}

/// from_elements and splat materialize their result from registers.
template <typename OpTy>
static FailureOr<OpWork> getMaterializeWork(OpTy op,
                                            const WorkOptions &options) {
  return getDataMovementWork({}, op->getResultTypes(), options);
}

void energy::registerTensorEnergyModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, tensor::TensorDialect *) {
    using namespace tensor;
    attachZeroWorkModels<BitcastOp, CastOp, CollapseShapeOp, ExpandShapeOp,
                         ReshapeOp, EmptyOp, DimOp, RankOp>(ctx);
    ExtractSliceOp::attachInterface<
        FunctionEnergyModel<ExtractSliceOp, getExtractSliceWork>>(*ctx);
    InsertSliceOp::attachInterface<
        FunctionEnergyModel<InsertSliceOp, getInsertSliceWork<InsertSliceOp>>>(
        *ctx);
    ParallelInsertSliceOp::attachInterface<FunctionEnergyModel<
        ParallelInsertSliceOp, getInsertSliceWork<ParallelInsertSliceOp>>>(
        *ctx);
    PadOp::attachInterface<FunctionEnergyModel<PadOp, getPadWork>>(*ctx);
    ConcatOp::attachInterface<FunctionEnergyModel<ConcatOp, getConcatWork>>(
        *ctx);
    GatherOp::attachInterface<FunctionEnergyModel<GatherOp, getGatherWork>>(
        *ctx);
    ScatterOp::attachInterface<FunctionEnergyModel<ScatterOp, getScatterWork>>(
        *ctx);
    ExtractOp::attachInterface<FunctionEnergyModel<ExtractOp, getExtractWork>>(
        *ctx);
    InsertOp::attachInterface<FunctionEnergyModel<InsertOp, getInsertWork>>(
        *ctx);
    FromElementsOp::attachInterface<FunctionEnergyModel<
        FromElementsOp, getMaterializeWork<FromElementsOp>>>(*ctx);
    SplatOp::attachInterface<
        FunctionEnergyModel<SplatOp, getMaterializeWork<SplatOp>>>(*ctx);
    attachUnsupportedModels<GenerateOp>(ctx);
  });
}

//===- MemRefEnergyModels.cpp - EnergyCostOpInterface for memref ----------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// memref ops after bufferization:
//   copy: reads the source and writes the target (2x the size in all),
//     dataMovement = true.
//   load / store: one element read / written, dataMovement = true.
//   alloc, alloca, dealloc, subview, view, cast, reinterpret_cast,
//   collapse_shape, expand_shape, reshape, transpose, memory_space_cast,
//   get_global, global, dim, rank, assume_alignment, extract_* metadata,
//   prefetch: zero work (allocation and metadata; a prefetch only hints).
//   atomic_rmw, generic_atomic_rmw, alloca_scope, realloc, dma_*: no model,
//   they fail with a reason.
//
//===----------------------------------------------------------------------===//

#include "ModelUtils.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::green;
using namespace mlir::green::energy;

static FailureOr<OpWork> getCopyWork(memref::CopyOp op,
                                     const WorkOptions &options) {
  return getDataMovementWork(op.getSource().getType(), op.getTarget().getType(),
                             options);
}

static FailureOr<OpWork> getLoadWork(memref::LoadOp op,
                                     const WorkOptions &options) {
  return getSingleElementAccessWork(op.getMemRef().getType(), /*write=*/false,
                                    options);
}

static FailureOr<OpWork> getStoreWork(memref::StoreOp op,
                                      const WorkOptions &options) {
  return getSingleElementAccessWork(op.getMemRef().getType(), /*write=*/true,
                                    options);
}

void energy::registerMemRefEnergyModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, memref::MemRefDialect *) {
    using namespace memref;
    CopyOp::attachInterface<FunctionEnergyModel<CopyOp, getCopyWork>>(*ctx);
    LoadOp::attachInterface<FunctionEnergyModel<LoadOp, getLoadWork>>(*ctx);
    StoreOp::attachInterface<FunctionEnergyModel<StoreOp, getStoreWork>>(*ctx);
    attachZeroWorkModels<AllocOp, AllocaOp, DeallocOp, SubViewOp, ViewOp,
                         CastOp, ReinterpretCastOp, CollapseShapeOp,
                         ExpandShapeOp, ReshapeOp, TransposeOp,
                         MemorySpaceCastOp, GetGlobalOp, GlobalOp, DimOp,
                         RankOp, AssumeAlignmentOp, ExtractStridedMetadataOp,
                         ExtractAlignedPointerAsIndexOp, PrefetchOp>(ctx);
    attachUnsupportedModels<AtomicRMWOp, GenericAtomicRMWOp, AllocaScopeOp,
                            ReallocOp, DmaStartOp, DmaWaitOp>(ctx);
  });
}

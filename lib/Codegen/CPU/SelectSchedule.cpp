//===- SelectSchedule.cpp - choose CPU schedules by the cost model --------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Codegen/CPU/Passes.h"

#include "IntegerDotKernels.h"
#include "green/Codegen/CPU/ScheduleSelection.h"
#include "green/Dialect/Green/IR/GreenAttrs.h"
#include "green/Interfaces/EnergyCostOpInterface.h"
#include "green/Target/TargetDescription.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/FormatVariadic.h"

#define DEBUG_TYPE "green-cpu-select-schedule"

namespace mlir::green {
#define GEN_PASS_DEF_SELECTSCHEDULEPASS
#include "green/Codegen/CPU/Passes.h.inc"
} // namespace mlir::green

using namespace mlir;
using namespace mlir::green;
using namespace mlir::green::cpu;

namespace {
struct SelectSchedulePass
    : public green::impl::SelectSchedulePassBase<SelectSchedulePass> {
  using SelectSchedulePassBase::SelectSchedulePassBase;
  void runOnOperation() override;
};
} // namespace

/// The contraction shape of `op`, or std::nullopt when the CPU backend
/// does not schedule it (dynamic shapes, several m/n/k dimensions, element
/// types other than integers and floats).
static std::optional<ContractionShape> getContractionShape(linalg::LinalgOp op) {
  if (!linalg::isaContractionOpInterface(op) || op.hasDynamicShape() ||
      op.getNumDpsInits() != 1 || !op.hasPureTensorSemantics())
    return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims))
    return std::nullopt;
  // Unit m or n dimensions (e.g. the image batch of 1 of a convolution
  // rewritten as im2col + GEMM) are scheduled like batch dimensions: tile 1.
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<unsigned> unitDims;
  auto dropUnit = [&](SmallVector<unsigned, 2> &set) {
    if (set.size() <= 1)
      return;
    SmallVector<unsigned> keep;
    for (unsigned d : set)
      (ranges[d] == 1 ? unitDims : keep).push_back(d);
    if (keep.empty())
      keep.push_back(unitDims.pop_back_val());
    set.clear();
    set.append(keep.begin(), keep.end());
  };
  dropUnit(dims->m);
  dropUnit(dims->n);
  if (dims->m.size() != 1 || dims->n.size() != 1 || dims->k.size() != 1)
    return std::nullopt;
  Type elementType = getElementTypeOrSelf(op.getDpsInits()[0].getType());
  if (!elementType.isIntOrFloat())
    return std::nullopt;
  ContractionShape shape;
  shape.sizes = op.getStaticLoopRanges();
  shape.batchDims.assign(dims->batch.begin(), dims->batch.end());
  shape.batchDims.append(unitDims.begin(), unitDims.end());
  llvm::sort(shape.batchDims);
  shape.mDim = dims->m.front();
  shape.nDim = dims->n.front();
  shape.kDim = dims->k.front();
  shape.elementBits = elementType.getIntOrFloatBitWidth();
  for (OpOperand *input : op.getDpsInputOperands()) {
    Type t = getElementTypeOrSelf(input->get().getType());
    if (t.isIntOrFloat())
      shape.inputBits = std::max(shape.inputBits, t.getIntOrFloatBitWidth());
  }
  // B (the second input) indexed exactly (k, n): its panels can be packed.
  AffineMap bMap = op.getMatchingIndexingMap(op.getDpsInputOperand(1));
  shape.canPackB =
      shape.batchDims.empty() && op.getNumDpsInputs() == 2 &&
      bMap.getNumResults() == 2 && bMap.isProjectedPermutation() &&
      bMap.getDimPosition(0) == shape.kDim &&
      bMap.getDimPosition(1) == shape.nDim;
  return shape;
}

void SelectSchedulePass::runOnOperation() {
  ModuleOp module = getOperation();
  llvm::Expected<TargetDescription> desc = lookupTargetFor(module, target);
  if (!desc) {
    module.emitError() << "green-cpu-select-schedule: "
                       << llvm::toString(desc.takeError());
    return signalPassFailure();
  }
  if (desc->kind != TargetKind::CPU) {
    module.emitError() << "green-cpu-select-schedule: target '" << desc->name
                       << "' is not a CPU";
    return signalPassFailure();
  }
  if (latencyBudget < 0) {
    module.emitError() << "green-cpu-select-schedule: latency-budget must be "
                          "non-negative, got "
                       << latencyBudget;
    return signalPassFailure();
  }

  MLIRContext *ctx = &getContext();
  const IntegerDotKind integerDot = getIntegerDotKind(*desc);
  WalkResult result = module.walk([&](linalg::LinalgOp op) {
    std::optional<ContractionShape> shape = getContractionShape(op);
    if (!shape)
      return WalkResult::advance();
    auto costed = dyn_cast<EnergyCostOpInterface>(op.getOperation());
    if (!costed)
      return WalkResult::advance();
    std::string reason;
    WorkOptions workOptions;
    workOptions.failureReason = &reason;
    FailureOr<OpWork> work = costed.getWork(workOptions);
    if (failed(work)) {
      LLVM_DEBUG(llvm::dbgs() << "not costed: " << reason << "\n");
      return WalkResult::advance();
    }
    shape->canPackB = shape->canPackB && packB;
    shape->integerDot = integerDot != IntegerDotKind::None &&
                        isSignedI8Gemm(op, nullptr);
    // The AVX2 kernel works on copies of A and B sign-extended to i16.
    if (shape->integerDot && integerDot == IntegerDotKind::Avx2MaddWd)
      shape->inputBits = 16;
    std::vector<ScheduleCandidate> candidates =
        enumerateCandidates(*shape, *work, *desc, threads);
    if (candidates.empty())
      return WalkResult::advance();
    numCandidates += candidates.size();
    unsigned chosen = selectCandidate(candidates, objective, latencyBudget);
    const ScheduleCandidate &c = candidates[chosen];
    auto attr = CPUScheduleAttr::get(
        ctx, c.tile, c.registerTile, c.parallelDim, c.threads,
        c.operatingPoint, c.packB);
    op->setAttr(CPUScheduleAttr::getAttrName(), attr);
    ++numScheduled;

    if (emitRemarks) {
      // The best few others by the same ranking.
      SmallVector<unsigned> order;
      for (unsigned i = 0; i < candidates.size(); ++i)
        if (i != chosen)
          order.push_back(i);
      Objective rank =
          latencyBudget > 0 ? Objective::Energy : objective.getValue();
      llvm::stable_sort(order, [&](unsigned a, unsigned b) {
        return isRankedBefore(candidates[a].cost, candidates[b].cost, rank);
      });
      InFlightDiagnostic diag = emitRemark(op->getLoc())
                                << "chose " << describeCandidate(c);
      if (latencyBudget > 0 && c.cost.latencySec > latencyBudget)
        diag << " (no candidate meets the latency budget of "
             << llvm::formatv("{0:e}", latencyBudget).str()
             << " s: fastest chosen)";
      diag << "; rejected:";
      for (unsigned i = 0; i < std::min<size_t>(numRejected, order.size());
           ++i)
        diag << (i ? "; " : " ") << describeCandidate(candidates[order[i]]);
    }
    return WalkResult::advance();
  });
  if (result.wasInterrupted())
    signalPassFailure();
}

//===- FoldQuantizedContractions.cpp - Q/DQ pairs to integer kernels ------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Quant/Passes.h"

namespace mlir::green {
#define GEN_PASS_DEF_FOLDQUANTIZEDCONTRACTIONSPASS
#include "green/Quant/Passes.h.inc"
} // namespace mlir::green

using namespace mlir;
using namespace mlir::green;

namespace {

struct FoldQuantizedContractionsPass
    : public green::impl::FoldQuantizedContractionsPassBase<
          FoldQuantizedContractionsPass> {
  using FoldQuantizedContractionsPassBase::FoldQuantizedContractionsPassBase;
  void runOnOperation() override;
};

} // namespace

void FoldQuantizedContractionsPass::runOnOperation() {
  if (failed(foldQuantizedContractions(getOperation())))
    signalPassFailure();
}

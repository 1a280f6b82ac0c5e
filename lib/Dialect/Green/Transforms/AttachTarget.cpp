//===- AttachTarget.cpp - attach a #green.target to a module --------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Dialect/Green/Transforms/Passes.h"

#include "green/Dialect/Green/IR/GreenAttrs.h"
#include "green/Dialect/Green/IR/GreenDialect.h"

namespace mlir::green {
#define GEN_PASS_DEF_ATTACHTARGETPASS
#include "green/Dialect/Green/Transforms/Passes.h.inc"
} // namespace mlir::green

using namespace mlir;
using namespace mlir::green;

namespace {
struct AttachTargetPass
    : public green::impl::AttachTargetPassBase<AttachTargetPass> {
  using AttachTargetPassBase::AttachTargetPassBase;
  void runOnOperation() override;
};
} // namespace

void AttachTargetPass::runOnOperation() {
  ModuleOp module = getOperation();
  if (!TargetAttr::isValidName(target)) {
    module.emitError() << "green-attach-target: invalid target name '"
                       << target
                       << "': expected a letter followed by letters, digits, "
                          "'-', '_' or '.'";
    return signalPassFailure();
  }
  auto newTarget = TargetAttr::get(&getContext(), target);
  if (TargetAttr existing = getModuleTarget(module)) {
    if (existing == newTarget)
      return markAllAnalysesPreserved();
    if (!overwrite) {
      module.emitError() << "module already targets '" << existing.getName()
                         << "', not '" << target
                         << "' (pass overwrite=true to replace it)";
      return signalPassFailure();
    }
    module.emitRemark() << "replaced green.target '" << existing.getName()
                        << "' with '" << target << "'";
  }
  module->setAttr(GreenDialect::getTargetAttrName(), newTarget);
}

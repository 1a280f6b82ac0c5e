//===- EnergyReport.cpp - print the energy report of a module -------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Transforms/Passes.h"

#include "green/Analysis/EnergyCostAnalysis.h"
#include "green/Dialect/Green/IR/GreenAttrs.h"
#include "green/Target/TargetDescription.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/ToolOutputFile.h"

namespace mlir::green {
#define GEN_PASS_DEF_ENERGYREPORTPASS
#include "green/Transforms/Passes.h.inc"
} // namespace mlir::green

using namespace mlir;
using namespace mlir::green;

namespace {
struct EnergyReportPass
    : public green::impl::EnergyReportPassBase<EnergyReportPass> {
  using EnergyReportPassBase::EnergyReportPassBase;
  void runOnOperation() override;
};
} // namespace

void EnergyReportPass::runOnOperation() {
  ModuleOp module = getOperation();

  // Which target: the option, else the module's, else the host.
  llvm::Expected<TargetDescription> desc =
      lookupTargetFor(module, target, targetDirs);
  if (!desc) {
    module.emitError() << "green-energy-report: "
                       << llvm::toString(desc.takeError());
    return signalPassFailure();
  }

  EnergyCostOptions options;
  if (assumeDynamicSize > 0)
    options.work.assumedDynamicSize = assumeDynamicSize;
  else if (assumeDynamicSize != -1) {
    module.emitError() << "green-energy-report: assume-dynamic-size must be "
                          "positive or -1, got "
                       << assumeDynamicSize.getValue();
    return signalPassFailure();
  }
  options.schedule.threads = threads;
  if (operatingPoint >= 0) {
    if (static_cast<size_t>(operatingPoint) >= desc->operatingPoints.size()) {
      module.emitError() << "green-energy-report: operating-point "
                         << operatingPoint.getValue() << " does not exist: target '"
                         << desc->name << "' has "
                         << desc->operatingPoints.size() << " (0.."
                         << desc->operatingPoints.size() - 1 << ")";
      return signalPassFailure();
    }
    options.schedule.operatingPoint = operatingPoint;
  } else if (operatingPoint != -1) {
    module.emitError() << "green-energy-report: operating-point must be an "
                          "index or -1, got "
                       << operatingPoint.getValue();
    return signalPassFailure();
  }

  EnergyCostAnalysis analysis(module, *desc, options);

  for (const UnknownOpEntry &u : analysis.getUnknownOps())
    u.op->emitWarning() << "energy model: '" << u.name
                        << "' not costed: " << u.reason;
  if (testRemarks) {
    for (const OpCostEntry &e : analysis.getOps())
      emitRemark(e.op->getLoc()) << llvm::formatv(
          "energy {0:e} J, latency {1:e} s, {2} flop, {3} bytes",
          e.estimate.energy.getTotalJ(), e.estimate.latencySec,
          getFlops(e.work) * e.multiplier,
          (e.work.bytesRead + e.work.bytesWritten) * e.multiplier);
  }

  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> file =
      openOutputFile(output, &error);
  if (!file) {
    module.emitError() << "green-energy-report: cannot write report to '"
                       << output.getValue() << "': " << error;
    return signalPassFailure();
  }
  if (format == ReportFormat::JSON)
    file->os() << llvm::formatv("{0:2}", analysis.toJSON()) << "\n";
  else
    analysis.printTable(file->os(), top);
  file->keep();
  markAllAnalysesPreserved();
}

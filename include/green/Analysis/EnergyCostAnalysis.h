//===- EnergyCostAnalysis.h - energy and latency of a module ----*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Walks every function of a module, asks each op for its work through
// EnergyCostOpInterface, prices it with the cost model on a target, and
// aggregates per op, per function and per module. Ops the model cannot cost
// are collected with a reason, never counted as zero. Works on tensor-level
// IR (TOSA, linalg on tensors) and on bufferized IR (linalg on memrefs, with
// loops: ops in scf.for/scf.forall/scf.parallel/affine.for with constant
// trip counts are multiplied by them).
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_ANALYSIS_ENERGYCOSTANALYSIS_H
#define GREEN_ANALYSIS_ENERGYCOSTANALYSIS_H

#include "green/Analysis/CostModel.h"
#include "green/Interfaces/OpWork.h"
#include "green/Target/TargetDescription.h"

#include "mlir/IR/Location.h"
#include "mlir/IR/Operation.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace mlir::green {

/// One costed op.
struct OpCostEntry {
  Operation *op = nullptr;
  /// The op's name ("linalg.matmul") and location ("model.mlir:12:5", or an
  /// importer's node name).
  std::string name, location, function;
  OpWork work;
  /// Times the op runs per call of its function (enclosing loop trips).
  int64_t multiplier = 1;
  /// Estimate for all `multiplier` executions.
  CostEstimate estimate;
};

/// An op the model could not cost, and why.
struct UnknownOpEntry {
  Operation *op = nullptr;
  std::string name, location, function, reason;
};

/// Totals of one function (one inference when it is the model's entry).
struct FunctionCost {
  std::string name;
  CostEstimate total;
  int64_t flops = 0;
  int64_t bytes = 0;
  unsigned numOps = 0, numUnknown = 0;
};

/// Derived whole-module figures.
struct EnergyMetrics {
  double energyJ = 0;
  double latencySec = 0;
  /// Energy of one call of the entry function.
  double energyPerInferenceJ = 0;
  /// Arithmetic operations (an FMA counts two) per joule, / 1e9.
  double gflopsPerWatt = 0;
  /// energyJ / latencySec.
  double averagePowerW = 0;
  /// energyPerInferenceJ / parameters (0 when there are none).
  double energyPerParameterJ = 0;
  /// gCO2e of 1000 inferences: energy x PUE x grid intensity.
  double gCo2ePer1000Inferences = 0;
};

/// Options of the analysis.
struct EnergyCostOptions {
  WorkOptions work;
  Schedule schedule;
};

/// The result of analysing one module on one target.
class EnergyCostAnalysis {
public:
  EnergyCostAnalysis(Operation *root, const TargetDescription &target,
                     const EnergyCostOptions &options = {});

  const TargetDescription &getTarget() const { return target; }
  const std::vector<OpCostEntry> &getOps() const { return ops; }
  const std::vector<UnknownOpEntry> &getUnknownOps() const { return unknown; }
  const std::vector<FunctionCost> &getFunctions() const { return functions; }
  const std::vector<std::string> &getNotes() const { return notes; }
  /// Sum over all functions.
  const CostEstimate &getTotal() const { return total; }
  int64_t getTotalFlops() const { return totalFlops; }
  int64_t getTotalBytes() const { return totalBytes; }
  /// Elements of the module's constant tensors of more than one element
  /// (weights and biases).
  int64_t getParameterCount() const { return parameters; }
  /// The function taken as "one inference": the only public function with a
  /// body, else all functions together (noted).
  llvm::StringRef getEntryFunction() const { return entryFunction; }
  EnergyMetrics getMetrics() const;

  /// The report as JSON (schema "green-energy-report/1", docs/energy-model.md).
  llvm::json::Value toJSON() const;
  /// The report as a human-readable table with the `top` most costly ops.
  void printTable(llvm::raw_ostream &os, unsigned top = 10) const;

private:
  void analyzeFunction(Operation *func);

  TargetDescription target;
  EnergyCostOptions options;
  std::vector<OpCostEntry> ops;
  std::vector<UnknownOpEntry> unknown;
  std::vector<FunctionCost> functions;
  std::vector<std::string> notes;
  CostEstimate total;
  int64_t totalFlops = 0, totalBytes = 0, parameters = 0;
  std::string entryFunction;
};

/// Short text for a location: "file:line:col" for file locations, the name
/// of a NameLoc (importers keep node names there), the first known part of a
/// fused location, "<unknown>" otherwise.
std::string formatLocation(Location loc);

/// Arithmetic operations of `work` with an FMA counted as two.
int64_t getFlops(const OpWork &work);

} // namespace mlir::green

#endif // GREEN_ANALYSIS_ENERGYCOSTANALYSIS_H

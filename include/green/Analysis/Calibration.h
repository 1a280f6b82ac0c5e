//===- Calibration.h - fit a target's latency model to timings --*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Energy cannot be read on most machines green-opt runs on, but time can:
// measured run times are the signal the model is calibrated against.
// Calibration fits three coefficients of a target description so that the
// cost model's predicted latencies match measured ones:
//
//   compute efficiency  eta_c: lanes_per_cycle and matrix lanes scaled by it
//   memory efficiency   eta_m: every bandwidth scaled by it
//   per-op overhead     o:     overheads.per_op_s
//
// minimising the sum of squared log errors, sum_i (ln t_pred,i - ln t_i)^2,
// by a grid search followed by a local refinement. Energies per operation and
// per byte are not touched (they cannot be observed through time).
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_ANALYSIS_CALIBRATION_H
#define GREEN_ANALYSIS_CALIBRATION_H

#include "green/Analysis/CostModel.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace mlir::green {

/// One measured run: the op's work, how it ran, and the measured seconds.
struct Measurement {
  std::string name;
  OpWork work;
  Schedule schedule;
  double measuredSec = 0;
};

/// Fitted coefficients and the fit's quality.
struct CalibrationResult {
  double computeEfficiency = 1;
  double memoryEfficiency = 1;
  double perOpOverheadSec = 0;
  /// Root mean square of ln(predicted / measured), before and after.
  double rmsLogErrorBefore = 0, rmsLogErrorAfter = 0;
  /// Spearman rank correlation of predicted against measured, after.
  double spearmanAfter = 0;
  /// The calibrated description.
  TargetDescription calibrated;
};

/// Parses a measurements file (schema "green-calibration/1", documented in
/// docs/energy-model.md). Errors name the file and the key path.
llvm::Expected<std::vector<Measurement>>
parseMeasurements(llvm::StringRef json, llvm::StringRef path);

/// Returns `target` with the three coefficients applied.
TargetDescription applyCalibration(const TargetDescription &target,
                                   double computeEfficiency,
                                   double memoryEfficiency,
                                   double perOpOverheadSec);

/// Fits the coefficients. Needs at least 3 measurements with positive times.
llvm::Expected<CalibrationResult>
calibrateTarget(const TargetDescription &target,
                llvm::ArrayRef<Measurement> measurements);

/// Spearman rank correlation of two equally long series (ties get average
/// ranks). Returns 0 for fewer than 2 points or constant series.
double spearmanCorrelation(llvm::ArrayRef<double> a, llvm::ArrayRef<double> b);

} // namespace mlir::green

#endif // GREEN_ANALYSIS_CALIBRATION_H

//===- CostModel.h - seconds and joules of an op on a target ----*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Combines an op's target-independent work (OpWork, from
// EnergyCostOpInterface) with a target description and a schedule into a
// latency (roofline: the larger of compute and memory time, plus overheads)
// and an energy split into compute, memory per level, data transfer,
// communication and static components. docs/energy-model.md gives the
// equations and a worked example that the unit tests reproduce.
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_ANALYSIS_COSTMODEL_H
#define GREEN_ANALYSIS_COSTMODEL_H

#include "green/Interfaces/OpWork.h"
#include "green/Target/TargetDescription.h"

#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::green {

/// How an op is executed. Every field has a default that describes "run the
/// op on its own, on all units, at the nominal operating point".
struct Schedule {
  /// Units (cores, SMs, arrays) the op is spread over; 0 means "one or all,
  /// whichever gives the lower latency" (small ops do not pay for starting a
  /// parallel region).
  unsigned threads = 0;
  /// DVFS operating point index; std::nullopt means the nominal one.
  std::optional<unsigned> operatingPoint;
  /// Compute in this element type instead of the op's own (what-if for
  /// quantization): counts keep their class, energies and rates change.
  std::optional<ScalarKind> precision;
  /// Bytes of the op's compulsory traffic that never leave the innermost
  /// cache because the op is fused with its producer or consumer.
  int64_t fusedBytes = 0;
  /// Working set in bytes that must stay resident for the op's traffic to be
  /// served from one level (e.g. a tile's footprint); std::nullopt means the
  /// op's whole footprint (bytes read + written).
  std::optional<int64_t> workingSetBytes;
  /// Bytes re-read beyond the compulsory traffic because the op is tiled
  /// (e.g. a GEMM's A panel read once per column tile): `bytes` come from
  /// the closest level that holds `sourceBytes` (the re-read data set) and
  /// are charged at every level from L1 up to it.
  struct Reread {
    int64_t bytes = 0;
    int64_t sourceBytes = 0;
  };
  /// Re-reads of a tiled op; empty (the default) leaves the estimate
  /// unchanged.
  llvm::SmallVector<Reread, 3> rereads;
  /// Register tile of contractions, m x n: each multiply-accumulate loads
  /// (m + n) / (m * n) elements from L1.
  unsigned registerTileM = 4, registerTileN = 16;
  /// Bytes moved over the host link (e.g. PCIe to an accelerator).
  int64_t transferBytes = 0;
  /// Bytes exchanged with other devices (NVLink, network) for this op.
  int64_t communicationBytes = 0;
};

/// Joules by component. `memoryJ` has one entry per memory level of the
/// target, closest first.
struct EnergyBreakdown {
  double computeJ = 0;
  std::vector<double> memoryJ;
  double transferJ = 0;
  double communicationJ = 0;
  double staticJ = 0;

  double getMemoryJ() const;
  double getTotalJ() const;
  void accumulate(const EnergyBreakdown &other);
};

/// What the cost model predicts for one op (or, accumulated, for many).
struct CostEstimate {
  /// Wall time: max(computeSec, memorySec) + overheadSec.
  double latencySec = 0;
  double computeSec = 0;
  double memorySec = 0;
  double overheadSec = 0;
  EnergyBreakdown energy;
  /// Index of the memory level the op's data is served from.
  unsigned residentLevel = 0;
  /// Operations the target has no price for (unknown element types).
  int64_t unpricedOps = 0;
  /// Assumptions the model had to make (fallback prices and the like).
  llvm::SmallVector<std::string, 2> notes;

  bool isComputeBound() const { return computeSec >= memorySec; }
};

/// Bytes per element of `kind` as the memory system sees it (fractional for
/// i4: two per byte; i1 stored as one byte).
double getStorageBytes(ScalarKind kind);

/// Estimates `work` on `target` under `schedule`. An op with neither
/// operations nor bytes costs nothing (it is not executed). Never fails: work the
/// target cannot price is counted in `unpricedOps` and described in `notes`.
/// Invalid schedule fields (an operating point out of range) are clamped and
/// noted.
CostEstimate estimateCost(const OpWork &work, const TargetDescription &target,
                          const Schedule &schedule = {});

/// Energy-delay product, the `edp` objective: joules x seconds.
inline double getEnergyDelayProduct(const CostEstimate &e) {
  return e.energy.getTotalJ() * e.latencySec;
}

/// Grams of CO2-equivalent for `joules` of energy drawn by the target:
/// joules / 3.6e6 (kWh) x PUE x grid intensity (gCO2e/kWh).
double getCarbonGrams(double joules, const TargetDescription &target);

} // namespace mlir::green

#endif // GREEN_ANALYSIS_COSTMODEL_H

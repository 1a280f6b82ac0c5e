//===- ScheduleSelection.h - CPU schedule candidates and choice -*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The IR-independent half of `green-cpu-select-schedule`: enumerate the
// tilings of a contraction that the CPU backend can apply, cost each with
// the energy cost model and pick one by objective. Kept free of IR so unit
// tests can check the choices directly.
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_CODEGEN_CPU_SCHEDULESELECTION_H
#define GREEN_CODEGEN_CPU_SCHEDULESELECTION_H

#include "green/Analysis/CostModel.h"
#include "green/Interfaces/OpWork.h"
#include "green/Target/TargetDescription.h"

#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::green::cpu {

/// What schedule selection minimizes.
enum class Objective { Energy, Latency, EDP };

/// A contraction as schedule selection sees it: static extents per
/// iteration dimension and which dimensions are batch, m, n and k.
struct ContractionShape {
  llvm::SmallVector<int64_t> sizes;
  llvm::SmallVector<unsigned> batchDims;
  unsigned mDim = 0, nDim = 0, kDim = 0;
  /// Bits per element of the accumulator (32 for f32).
  unsigned elementBits = 32;
  /// Bits per element of the A and B inputs (0: elementBits); 8 for an
  /// i8 x i8 -> i32 GEMM.
  unsigned inputBits = 0;
  /// Whether B panels can be packed (no batch dimensions, B indexed
  /// (k, n)): candidates then come both packed and unpacked.
  bool canPackB = false;
  /// Whether the contraction is an i8 x i8 -> i32 GEMM that the target's
  /// integer dot-product micro-kernel takes (green-cpu-tile-and-vectorize):
  /// that kernel always packs B (into 4-deep k groups), so its candidates
  /// (n a multiple of the vector, k register tile 4) come packed only.
  bool integerDot = false;
};

/// One schedule and what the cost model predicts for it.
struct ScheduleCandidate {
  /// Per iteration dimension: cache tile and register tile (see
  /// #green.cpu_schedule).
  llvm::SmallVector<int64_t> tile, registerTile;
  int64_t parallelDim = -1;
  unsigned threads = 1;
  unsigned operatingPoint = 0;
  /// B panels are copied into [nc/nr][kc][nr] buffers (see
  /// #green.cpu_schedule's pack_b).
  bool packB = false;
  CostEstimate cost;
};

/// Vector width in elements of `elementBits`-bit elements on `target`
/// (at least 1).
int64_t getVectorWidth(const TargetDescription &target, unsigned elementBits);

/// Enumerates the schedules of `shape` on `target` with at most
/// `maxThreads` threads (0: all units) and costs each on `work`. Register
/// tiles keep n a multiple of the vector width (or all of n when n is
/// smaller) and the accumulators within the vector register file; cache
/// tiles are multiples of the register tile that divide the extent the
/// register tile covers and fit L2. Never empty for valid shapes.
std::vector<ScheduleCandidate>
enumerateCandidates(const ContractionShape &shape, const OpWork &work,
                    const TargetDescription &target, unsigned maxThreads);

/// The value `objective` minimizes for `cost`.
double getObjectiveValue(const CostEstimate &cost, Objective objective);

/// True if `a` ranks strictly before `b` under `objective`: by the
/// objective value, then tie-breakers (latency: compute time, i.e. clock
/// and thread headroom, then energy; energy and EDP: latency). Values
/// within a relative 1e-9 count as equal.
bool isRankedBefore(const CostEstimate &a, const CostEstimate &b,
                    Objective objective);

/// Index of the winning candidate: the first one that no other ranks
/// before; with `latencyBudget` > 0, the best by energy among those within
/// the budget, else the best by latency.
unsigned selectCandidate(llvm::ArrayRef<ScheduleCandidate> candidates,
                         Objective objective, double latencyBudget);

/// "tile [..] register tile [..] parallel dim d threads t operating point
/// p: E J, T s" for remarks.
std::string describeCandidate(const ScheduleCandidate &candidate);

} // namespace mlir::green::cpu

#endif // GREEN_CODEGEN_CPU_SCHEDULESELECTION_H

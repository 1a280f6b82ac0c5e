//===- CostModel.cpp - seconds and joules of an op on a target ------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The equations are in docs/energy-model.md; names below follow it.
//
//===----------------------------------------------------------------------===//

#include "green/Analysis/CostModel.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::green;

//===----------------------------------------------------------------------===//
// EnergyBreakdown
//===----------------------------------------------------------------------===//

double EnergyBreakdown::getMemoryJ() const {
  double sum = 0;
  for (double j : memoryJ)
    sum += j;
  return sum;
}

double EnergyBreakdown::getTotalJ() const {
  return computeJ + getMemoryJ() + transferJ + communicationJ + staticJ;
}

void EnergyBreakdown::accumulate(const EnergyBreakdown &other) {
  computeJ += other.computeJ;
  if (memoryJ.size() < other.memoryJ.size())
    memoryJ.resize(other.memoryJ.size(), 0.0);
  for (auto [i, j] : llvm::enumerate(other.memoryJ))
    memoryJ[i] += j;
  transferJ += other.transferJ;
  communicationJ += other.communicationJ;
  staticJ += other.staticJ;
}

//===----------------------------------------------------------------------===//
// Pricing
//===----------------------------------------------------------------------===//

double mlir::green::getStorageBytes(ScalarKind kind) {
  switch (kind) {
  case ScalarKind::I4:
    return 0.5;
  case ScalarKind::I1:
    return 1;
  default:
    return getScalarKindBitWidth(kind) / 8.0;
  }
}

namespace {
/// The compute entry an element type is priced with, and the factors that
/// turn its prices into the asked-for type's when the target has no entry
/// of its own.
struct PriceSource {
  const ScalarCompute *compute = nullptr;
  double energyFactor = 1;
  double timeFactor = 1;
  ScalarKind pricedAs = ScalarKind::Unknown;
};
} // namespace

/// Finds the entry to price `kind` with. Wider types without an entry are
/// priced as the next narrower required type times 2 in time and energy
/// (two narrow operations emulate one wide one: an assumption, noted in the
/// estimate); narrower optional types as the next wider one.
static PriceSource resolvePrice(ScalarKind kind,
                                const TargetDescription &target) {
  if (const ScalarCompute *c = target.getCompute(kind))
    return {c, 1, 1, kind};
  auto fallback = [&](ScalarKind to, double factor) -> PriceSource {
    if (const ScalarCompute *c = target.getCompute(to))
      return {c, factor, factor, to};
    return {};
  };
  switch (kind) {
  case ScalarKind::F64:
    return fallback(ScalarKind::F32, 2);
  case ScalarKind::I64:
    return fallback(ScalarKind::I32, 2);
  case ScalarKind::I16:
    return fallback(ScalarKind::I32, 1);
  case ScalarKind::I1:
    return fallback(ScalarKind::I8, 1);
  default:
    return {};
  }
}

static double getOpEnergyPj(const ScalarCompute &c, OpClass cls) {
  switch (cls) {
  case OpClass::Add:
    return c.addPj;
  case OpClass::Mul:
    return c.mulPj;
  case OpClass::Fma:
    return c.fmaPj;
  case OpClass::Div:
    return c.divPj;
  case OpClass::Transcendental:
    // Integer kinds have no transcendental price (the schema forbids it):
    // such ops are evaluated as a polynomial of FMAs.
    return c.transcendentalPj ? *c.transcendentalPj : 0;
  }
  return 0;
}

static double getLaneCost(OpClass cls, const TargetDescription &target) {
  switch (cls) {
  case OpClass::Div:
    return target.divLaneCost;
  case OpClass::Transcendental:
    return target.transcendentalLaneCost;
  default:
    return 1;
  }
}

//===----------------------------------------------------------------------===//
// estimateCost
//===----------------------------------------------------------------------===//

/// Estimates `work` spread over exactly `units` units.
static CostEstimate estimateOnUnits(const OpWork &work,
                                    const TargetDescription &target,
                                    const Schedule &schedule, unsigned units) {
  CostEstimate est;
  const unsigned numLevels = target.memory.size();
  est.energy.memoryJ.assign(numLevels, 0.0);
  if (numLevels < 2 || target.operatingPoints.empty() || target.units == 0) {
    est.notes.push_back("target description is incomplete: not costed");
    est.unpricedOps = work.getTotalOps();
    return est;
  }

  unsigned pointIndex = schedule.operatingPoint.value_or(target.nominalPoint);
  if (pointIndex >= target.operatingPoints.size()) {
    est.notes.push_back(llvm::formatv("operating point {0} does not exist; "
                                      "used the nominal one",
                                      pointIndex));
    pointIndex = target.nominalPoint;
  }
  const OperatingPoint &nominal = target.getNominalPoint();
  const OperatingPoint &point = target.operatingPoints[pointIndex];
  // Dynamic energy of on-chip logic scales with V^2; on-chip time with 1/f.
  const double vScale = (point.voltageV / nominal.voltageV) *
                        (point.voltageV / nominal.voltageV);
  const double freq = point.frequencyHz;
  const double onChipBwScale = point.frequencyHz / nominal.frequencyHz;

  // Compute: energy per op class, time per lane op.
  const double regPjPerByte = target.memory[0].energyPjPerByte;
  double computeJ = 0, registerJ = 0, computeSec = 0;
  double l1ReuseBytes = 0;
  const double tileM = std::max(1u, schedule.registerTileM);
  const double tileN = std::max(1u, schedule.registerTileN);
  const double l1ElementsPerMac = (tileM + tileN) / (tileM * tileN);
  for (const OpCount &count : work.ops) {
    ScalarKind kind = schedule.precision.value_or(count.kind);
    PriceSource price = resolvePrice(kind, target);
    if (!price.compute) {
      est.unpricedOps += count.count;
      est.notes.push_back(llvm::formatv(
          "{0} {1} operations on {2} have no price on target '{3}'",
          count.count, stringifyOpClass(count.cls), stringifyScalarKind(kind),
          target.name));
      continue;
    }
    if (price.pricedAs != kind) {
      std::string note = llvm::formatv(
          "{0} priced as {1} x {2} (no {0} entry in target '{3}')",
          stringifyScalarKind(kind), static_cast<int>(price.energyFactor),
          stringifyScalarKind(price.pricedAs), target.name);
      if (!llvm::is_contained(est.notes, note))
        est.notes.push_back(note);
    }
    const ScalarCompute &c = *price.compute;
    double n = static_cast<double>(count.count);
    double pj = getOpEnergyPj(c, count.cls);
    double laneCost = getLaneCost(count.cls, target);
    if (count.cls == OpClass::Transcendental && !c.transcendentalPj) {
      // Integer transcendental: evaluated as laneCost FMAs.
      pj = c.fmaPj * laneCost;
    }
    computeJ += n * pj * price.energyFactor * 1e-12;
    // Instruction issue: one instruction covers vector_bits / bitwidth lanes
    // (a matrix-engine contraction does matrix/vector lanes times more work
    // per instruction); slow classes take laneCost instructions' worth.
    bool onMatrix = count.contraction && c.matrixLanesPerCycle > 0;
    double lanesPerInstruction = std::max(
        1.0, target.vectorBits / std::max(1.0, getStorageBytes(kind) * 8));
    if (onMatrix)
      lanesPerInstruction *= c.matrixLanesPerCycle / c.lanesPerCycle;
    computeJ += n * laneCost * price.timeFactor / lanesPerInstruction *
                target.instructionPj * 1e-12;
    // Two operand reads and one result write in the register file.
    double bytes = getStorageBytes(kind);
    registerJ += n * 3 * bytes * regPjPerByte * 1e-12;
    double rate = onMatrix ? c.matrixLanesPerCycle : c.lanesPerCycle;
    computeSec += n * laneCost * price.timeFactor / (rate * units * freq);
    if (count.contraction)
      l1ReuseBytes += n * bytes * l1ElementsPerMac;
  }
  est.energy.computeJ = computeJ * vScale;
  est.energy.memoryJ[0] = registerJ * vScale;
  est.computeSec = computeSec;

  // Memory: compulsory traffic passes through every level from the one that
  // holds the working set inward to L1; contraction operand reuse and fused
  // bytes are served by L1.
  const double footprint =
      static_cast<double>(work.bytesRead + work.bytesWritten);
  const double fused =
      std::clamp(static_cast<double>(schedule.fusedBytes), 0.0, footprint);
  const double compulsory = footprint - fused;
  const double workingSet = schedule.workingSetBytes
                                ? static_cast<double>(*schedule.workingSetBytes)
                                : footprint;
  unsigned resident = numLevels - 1;
  for (unsigned l = 1; l + 1 < numLevels; ++l) {
    const MemoryLevel &level = target.memory[l];
    double capacity = level.shared ? level.sizeBytes : level.sizeBytes * units;
    if (workingSet <= capacity) {
      resident = l;
      break;
    }
  }
  est.residentLevel = resident;
  // Re-reads caused by tiling: each from the closest level holding its
  // data set, through every level inward.
  std::vector<double> rereadAt(numLevels, 0.0);
  for (const Schedule::Reread &r : schedule.rereads) {
    if (r.bytes <= 0)
      continue;
    unsigned from = numLevels - 1;
    for (unsigned l = 1; l + 1 < numLevels; ++l) {
      const MemoryLevel &level = target.memory[l];
      double capacity =
          level.shared ? level.sizeBytes : level.sizeBytes * units;
      if (static_cast<double>(r.sourceBytes) <= capacity) {
        from = l;
        break;
      }
    }
    for (unsigned l = 1; l <= from; ++l)
      rereadAt[l] += static_cast<double>(r.bytes);
  }
  double memorySec = 0;
  for (unsigned l = 1; l < numLevels; ++l) {
    if (l > resident && rereadAt[l] == 0)
      continue;
    const MemoryLevel &level = target.memory[l];
    bool isMain = l + 1 == numLevels;
    double bytes = (l <= resident ? compulsory : 0) + rereadAt[l];
    if (l == 1)
      bytes += l1ReuseBytes + fused;
    double joules = bytes * level.energyPjPerByte * 1e-12;
    est.energy.memoryJ[l] = isMain ? joules : joules * vScale;
    double bandwidth = level.bandwidthBytesPerSec;
    if (!level.shared)
      bandwidth *= static_cast<double>(units) / target.units;
    if (!isMain)
      bandwidth *= onChipBwScale;
    memorySec = std::max(memorySec, bytes / bandwidth);
  }
  est.memorySec = memorySec;

  // Links: serialized with the op.
  double overheadSec = target.perOpOverheadSec;
  if (units > 1)
    overheadSec += target.parallelRegionOverheadSec;
  auto findLink = [&](llvm::ArrayRef<llvm::StringRef> names)
      -> const InterconnectLink * {
    for (llvm::StringRef name : names)
      for (const InterconnectLink &link : target.interconnect)
        if (link.name == name)
          return &link;
    return nullptr;
  };
  auto chargeLink = [&](int64_t bytes, llvm::ArrayRef<llvm::StringRef> names,
                        double &joules, llvm::StringRef what) {
    if (bytes <= 0)
      return;
    const InterconnectLink *link = findLink(names);
    if (!link) {
      est.notes.push_back(llvm::formatv(
          "{0} bytes of {1} not costed: target '{2}' describes no {3} link",
          bytes, what, target.name, names.front()));
      return;
    }
    joules += bytes * link->energyPjPerByte * 1e-12;
    overheadSec += bytes / link->bandwidthBytesPerSec;
  };
  chargeLink(schedule.transferBytes, {"pcie"}, est.energy.transferJ,
             "data transfer");
  chargeLink(schedule.communicationBytes, {"nvlink", "network"},
             est.energy.communicationJ, "communication");
  est.overheadSec = overheadSec;

  est.latencySec = std::max(est.computeSec, est.memorySec) + overheadSec;
  est.energy.staticJ = target.staticPowerW * est.latencySec;
  return est;
}

CostEstimate mlir::green::estimateCost(const OpWork &work,
                                       const TargetDescription &target,
                                       const Schedule &schedule) {
  // An op with no operations and no bytes (a constant, a reshape, an empty
  // tensor) is not executed: it costs nothing, not even overheads.
  if (work.ops.empty() && work.bytesRead == 0 && work.bytesWritten == 0 &&
      schedule.transferBytes == 0 && schedule.communicationBytes == 0) {
    CostEstimate est;
    est.energy.memoryJ.assign(target.memory.size(), 0.0);
    return est;
  }
  if (schedule.threads != 0)
    return estimateOnUnits(work, target, schedule,
                           std::max(1u, std::min(schedule.threads,
                                                 target.units)));
  // threads = 0: run on one unit or on all of them, whichever is faster
  // (a small op does not pay for starting a parallel region).
  CostEstimate serial = estimateOnUnits(work, target, schedule, 1);
  if (target.units <= 1)
    return serial;
  CostEstimate parallel =
      estimateOnUnits(work, target, schedule, target.units);
  return parallel.latencySec < serial.latencySec ? parallel : serial;
}

double mlir::green::getCarbonGrams(double joules,
                                   const TargetDescription &target) {
  return joules / 3.6e6 * target.pue * target.gridGCo2PerKWh;
}

//===- EnergyReport.cpp - energy report as JSON and as a table ------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The JSON schema ("green-energy-report/1") is documented in
// docs/energy-model.md; keys are only ever added, never renamed or removed,
// within a schema version.
//
//===----------------------------------------------------------------------===//

#include "green/Analysis/EnergyCostAnalysis.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::green;

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

static llvm::json::Object componentsToJSON(const EnergyBreakdown &e,
                                           const TargetDescription &target) {
  llvm::json::Object memory;
  for (auto [i, level] : llvm::enumerate(target.memory))
    memory[level.name] = i < e.memoryJ.size() ? e.memoryJ[i] : 0.0;
  return llvm::json::Object{{"compute_j", e.computeJ},
                            {"memory_j", std::move(memory)},
                            {"transfer_j", e.transferJ},
                            {"communication_j", e.communicationJ},
                            {"static_j", e.staticJ}};
}

static llvm::json::Object workToJSON(const OpWork &work) {
  llvm::json::Object counts;
  for (const OpCount &c : work.ops) {
    std::string key = (stringifyScalarKind(c.kind) + "." +
                       stringifyOpClass(c.cls) +
                       (c.contraction ? ".contraction" : ""))
                          .str();
    int64_t prev = 0;
    if (const llvm::json::Value *v = counts.get(key))
      prev = v->getAsInteger().value_or(0);
    counts[key] = prev + c.count;
  }
  return llvm::json::Object{{"ops", std::move(counts)},
                            {"flops", getFlops(work)},
                            {"bytes_read", work.bytesRead},
                            {"bytes_written", work.bytesWritten},
                            {"parameters", work.parameters},
                            {"data_movement", work.dataMovement}};
}

static llvm::json::Object estimateToJSON(const CostEstimate &e,
                                         const TargetDescription &target) {
  return llvm::json::Object{
      {"energy_j", e.energy.getTotalJ()},
      {"latency_s", e.latencySec},
      {"compute_s", e.computeSec},
      {"memory_s", e.memorySec},
      {"overhead_s", e.overheadSec},
      {"bound", e.isComputeBound() ? "compute" : "memory"},
      {"components", componentsToJSON(e.energy, target)},
      {"unpriced_ops", e.unpricedOps}};
}

llvm::json::Value EnergyCostAnalysis::toJSON() const {
  EnergyMetrics m = getMetrics();
  const OperatingPoint &point =
      target.operatingPoints[options.schedule.operatingPoint.value_or(
          target.nominalPoint) < target.operatingPoints.size()
                                 ? options.schedule.operatingPoint.value_or(
                                       target.nominalPoint)
                                 : target.nominalPoint];

  llvm::json::Array opsJson;
  for (const OpCostEntry &entry : ops) {
    llvm::json::Object o = estimateToJSON(entry.estimate, target);
    o["name"] = entry.name;
    o["location"] = entry.location;
    o["function"] = entry.function;
    o["multiplier"] = entry.multiplier;
    o["resident_level"] = target.memory[entry.estimate.residentLevel].name;
    o["work"] = workToJSON(entry.work);
    opsJson.push_back(std::move(o));
  }
  llvm::json::Array unknownJson;
  for (const UnknownOpEntry &u : unknown)
    unknownJson.push_back(llvm::json::Object{{"name", u.name},
                                             {"location", u.location},
                                             {"function", u.function},
                                             {"reason", u.reason}});
  llvm::json::Array functionsJson;
  for (const FunctionCost &f : functions) {
    llvm::json::Object o = estimateToJSON(f.total, target);
    o["name"] = f.name;
    o["flops"] = f.flops;
    o["bytes"] = f.bytes;
    o["num_ops"] = f.numOps;
    o["num_unknown_ops"] = f.numUnknown;
    functionsJson.push_back(std::move(o));
  }

  llvm::json::Object totals = estimateToJSON(total, target);
  totals["flops"] = totalFlops;
  totals["bytes"] = totalBytes;
  totals["parameters"] = parameters;
  totals["energy_per_inference_j"] = m.energyPerInferenceJ;
  totals["gflops_per_watt"] = m.gflopsPerWatt;
  totals["average_power_w"] = m.averagePowerW;
  totals["energy_per_parameter_j"] = m.energyPerParameterJ;
  totals["gco2e_per_1000_inferences"] = m.gCo2ePer1000Inferences;

  return llvm::json::Object{
      {"schema", "green-energy-report/1"},
      {"target",
       llvm::json::Object{
           {"name", target.name},
           {"description", target.description},
           {"units", target.units},
           {"frequency_hz", point.frequencyHz},
           {"voltage_v", point.voltageV},
           {"pue", target.pue},
           {"grid_gco2_per_kwh", target.gridGCo2PerKWh},
           {"memory_levels",
            llvm::json::Array(llvm::map_range(
                target.memory,
                [](const MemoryLevel &l) { return llvm::json::Value(l.name); }))}}},
      {"entry_function", entryFunction},
      {"totals", std::move(totals)},
      {"functions", std::move(functionsJson)},
      {"ops", std::move(opsJson)},
      {"unknown_ops", std::move(unknownJson)},
      {"notes", llvm::json::Array(notes)}};
}

//===----------------------------------------------------------------------===//
// Table
//===----------------------------------------------------------------------===//

namespace {
/// Engineering notation with an SI prefix: 1.23 mJ, 456 us.
std::string si(double value, llvm::StringRef unit) {
  static const struct {
    double scale;
    const char *prefix;
  } prefixes[] = {{1e0, ""},  {1e-3, "m"},  {1e-6, "u"},
                  {1e-9, "n"}, {1e-12, "p"}, {1e-15, "f"}};
  if (value == 0)
    return ("0 " + unit).str();
  for (const auto &p : prefixes)
    if (std::abs(value) >= p.scale)
      return llvm::formatv("{0:F3} {1}{2}", value / p.scale, p.prefix, unit);
  return llvm::formatv("{0:e} {1}", value, unit);
}

std::string percent(double part, double whole) {
  return whole > 0 ? llvm::formatv("{0,5:F1}%", 100 * part / whole).str()
                   : std::string("    -");
}
} // namespace

void EnergyCostAnalysis::printTable(llvm::raw_ostream &os,
                                    unsigned top) const {
  EnergyMetrics m = getMetrics();
  double totalJ = m.energyJ;
  os << "green-opt energy report\n";
  os << "  target          " << target.name << " (" << target.units
     << (target.units == 1 ? " unit" : " units") << ")\n";
  if (!entryFunction.empty())
    os << "  entry function  @" << entryFunction << "\n";
  os << "  ops costed      " << ops.size() << ", not costed "
     << unknown.size() << "\n\n";

  os << "Totals (one inference)\n";
  os << "  energy                  " << si(m.energyPerInferenceJ, "J") << "\n";
  os << "  latency (estimated)     " << si(m.latencySec, "s") << "\n";
  os << "  average power           " << si(m.averagePowerW, "W") << "\n";
  os << "  arithmetic              " << totalFlops << " flop ("
     << llvm::formatv("{0:F2}", m.gflopsPerWatt) << " GFLOP/s per W)\n";
  os << "  bytes (compulsory)      " << totalBytes << "\n";
  os << "  parameters              " << parameters << " (energy per parameter "
     << si(m.energyPerParameterJ, "J") << ")\n";
  os << "  gCO2e / 1000 inferences "
     << llvm::formatv("{0:e} (PUE {1}, {2} gCO2e/kWh)\n\n",
                      m.gCo2ePer1000Inferences, target.pue,
                      target.gridGCo2PerKWh);

  os << "Energy by component\n";
  auto row = [&](llvm::StringRef what, double j) {
    os << "  " << llvm::left_justify(what, 22) << llvm::right_justify(si(j, "J"), 12)
       << "  " << percent(j, totalJ) << "\n";
  };
  row("compute", total.energy.computeJ);
  for (auto [i, level] : llvm::enumerate(target.memory))
    row(("memory " + level.name),
        i < total.energy.memoryJ.size() ? total.energy.memoryJ[i] : 0.0);
  row("data transfer", total.energy.transferJ);
  row("communication", total.energy.communicationJ);
  row("static", total.energy.staticJ);
  os << "\n";

  // Ops that cost nothing (constants, reshapes) are not worth a line.
  std::vector<size_t> order;
  for (size_t i = 0; i < ops.size(); ++i)
    if (ops[i].estimate.energy.getTotalJ() > 0)
      order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return ops[a].estimate.energy.getTotalJ() >
           ops[b].estimate.energy.getTotalJ();
  });
  unsigned shown = std::min<size_t>(top, order.size());
  os << "Top " << shown << " ops by energy\n";
  os << "  " << llvm::left_justify("op", 24) << llvm::right_justify("energy", 12)
     << llvm::right_justify("share", 8) << llvm::right_justify("latency", 12)
     << "  bound    level  location\n";
  for (size_t k = 0; k < shown; ++k) {
    const OpCostEntry &e = ops[order[k]];
    double j = e.estimate.energy.getTotalJ();
    os << "  " << llvm::left_justify(e.name, 24)
       << llvm::right_justify(si(j, "J"), 12) << "  " << percent(j, totalJ)
       << llvm::right_justify(si(e.estimate.latencySec, "s"), 12) << "  "
       << llvm::left_justify(e.estimate.isComputeBound() ? "compute" : "memory",
                             8)
       << " " << llvm::left_justify(target.memory[e.estimate.residentLevel].name, 6)
       << " " << e.location << "\n";
  }

  if (!unknown.empty()) {
    os << "\nNot costed (" << unknown.size() << " ops; totals exclude them)\n";
    for (const UnknownOpEntry &u : unknown)
      os << "  " << u.name << " at " << u.location << ": " << u.reason << "\n";
  }
  if (!notes.empty()) {
    os << "\nNotes\n";
    for (const std::string &n : notes)
      os << "  - " << n << "\n";
  }
}

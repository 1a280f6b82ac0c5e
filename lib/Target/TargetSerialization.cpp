//===- TargetSerialization.cpp - write target descriptions ----------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Target/TargetSerialization.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::green;
using llvm::json::Array;
using llvm::json::Object;

static llvm::StringRef stringifyTargetKind(TargetKind kind) {
  switch (kind) {
  case TargetKind::CPU:
    return "cpu";
  case TargetKind::GPU:
    return "gpu";
  case TargetKind::Systolic:
    return "systolic";
  }
  return "cpu";
}

static bool isFloatKind(ScalarKind kind) {
  return kind == ScalarKind::F64 || kind == ScalarKind::F32 ||
         kind == ScalarKind::F16 || kind == ScalarKind::BF16;
}

llvm::json::Value mlir::green::toJSON(const TargetDescription &t,
                                      llvm::StringRef notes) {
  Object compute;
  for (unsigned i = 0; i < kNumScalarKinds; ++i) {
    auto kind = static_cast<ScalarKind>(i);
    const ScalarCompute *c = t.getCompute(kind);
    if (!c)
      continue;
    Object entry{{"add_pj", c->addPj},
                 {"mul_pj", c->mulPj},
                 {"fma_pj", c->fmaPj},
                 {"div_pj", c->divPj},
                 {"lanes_per_cycle", c->lanesPerCycle},
                 {"matrix_lanes_per_cycle", c->matrixLanesPerCycle}};
    if (isFloatKind(kind) && c->transcendentalPj)
      entry["transcendental_pj"] = *c->transcendentalPj;
    compute[stringifyScalarKind(kind)] = std::move(entry);
  }

  Array memory;
  for (const MemoryLevel &l : t.memory)
    memory.push_back(Object{{"name", l.name},
                            {"size_bytes", l.sizeBytes},
                            {"bandwidth_gbps", l.bandwidthBytesPerSec / 1e9},
                            {"energy_pj_per_byte", l.energyPjPerByte},
                            {"shared", l.shared}});

  Object interconnect;
  for (const InterconnectLink &link : t.interconnect)
    interconnect[link.name] =
        Object{{"energy_pj_per_byte", link.energyPjPerByte},
               {"bandwidth_gbps", link.bandwidthBytesPerSec / 1e9}};

  Array points;
  for (const OperatingPoint &p : t.operatingPoints)
    points.push_back(Object{{"frequency_ghz", p.frequencyHz / 1e9},
                            {"voltage_v", p.voltageV}});

  Object result{
      {"schema_version", 1},
      {"name", t.name},
      {"kind", stringifyTargetKind(t.kind)},
      {"description", t.description},
      {"process_nm", t.processNm},
      {"units", t.units},
      {"vector_bits", t.vectorBits},
      {"features", Array(t.features)},
      {"compute", std::move(compute)},
      {"slow_op_lane_cost",
       Object{{"div", t.divLaneCost},
              {"transcendental", t.transcendentalLaneCost}}},
      {"memory", std::move(memory)},
      {"interconnect", std::move(interconnect)},
      {"power", Object{{"static_w", t.staticPowerW},
                       {"idle_w", t.idlePowerW},
                       {"peak_w", t.peakPowerW}}},
      {"dvfs", Object{{"nominal_index", t.nominalPoint},
                      {"points", std::move(points)}}},
      {"overheads", Object{{"per_op_s", t.perOpOverheadSec},
                           {"parallel_region_s", t.parallelRegionOverheadSec},
                           {"instruction_pj", t.instructionPj}}},
      {"environment", Object{{"pue", t.pue},
                             {"grid_gco2_per_kwh", t.gridGCo2PerKWh}}}};
  if (t.kind == TargetKind::Systolic)
    result["systolic_array"] =
        Object{{"rows", t.arrayRows}, {"cols", t.arrayCols}};
  if (!notes.empty())
    result["notes"] = notes.str();
  return result;
}

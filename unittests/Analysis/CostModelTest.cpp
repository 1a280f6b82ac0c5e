//===- CostModelTest.cpp - cost model equations, checked by hand ----------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The target below has round numbers so that every expectation can be worked
// out by hand; the arithmetic is written next to each one. It is the
// "textbook" target of the worked example in docs/energy-model.md.
//
//===----------------------------------------------------------------------===//

#include "green/Analysis/Calibration.h"
#include "green/Analysis/CostModel.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::green;

namespace {

/// 1 unit at 1 GHz / 1.0 V (plus a 0.5 GHz / 0.8 V point), f32: add 1 pJ,
/// mul 2 pJ, fma 3 pJ, div 10 pJ, exp 20 pJ, 8 lanes/cycle; registers
/// 0.1 pJ/B, L1 32 KiB 1 pJ/B 100 GB/s, DRAM 100 pJ/B 10 GB/s; static 1 W.
TargetDescription makeTextbookTarget() {
  TargetDescription t;
  t.name = "textbook";
  t.units = 1;
  t.vectorBits = 256;
  ScalarCompute f32;
  f32.addPj = 1;
  f32.mulPj = 2;
  f32.fmaPj = 3;
  f32.divPj = 10;
  f32.transcendentalPj = 20;
  f32.lanesPerCycle = 8;
  t.compute[static_cast<unsigned>(ScalarKind::F32)] = f32;
  ScalarCompute i8 = f32;
  i8.transcendentalPj.reset();
  i8.fmaPj = 0.5;
  i8.lanesPerCycle = 32;
  i8.matrixLanesPerCycle = 64;
  t.compute[static_cast<unsigned>(ScalarKind::I8)] = i8;
  t.divLaneCost = 4;
  t.transcendentalLaneCost = 10;
  t.memory = {{"reg", 1024, 1000e9, 0.1, false},
              {"l1", 32768, 100e9, 1.0, false},
              {"dram", 1e9, 10e9, 100.0, true}};
  t.staticPowerW = 1;
  t.idlePowerW = 2;
  t.peakPowerW = 10;
  t.operatingPoints = {{0.5e9, 0.8}, {1e9, 1.0}};
  t.nominalPoint = 1;
  t.pue = 1.5;
  t.gridGCo2PerKWh = 400;
  return t;
}

/// A 64x64x64 f32 matmul: 64^3 = 262144 FMAs; reads A, B and C (the
/// accumulator) and writes C: 3 x 16384 + 16384 = 65536 bytes.
OpWork makeMatmul64() {
  OpWork w;
  w.add(ScalarKind::F32, OpClass::Fma, 262144, /*contraction=*/true);
  w.bytesRead = 3 * 64 * 64 * 4;
  w.bytesWritten = 64 * 64 * 4;
  return w;
}

TEST(CostModelTest, WorkedExampleMatmul) {
  TargetDescription t = makeTextbookTarget();
  CostEstimate e = estimateCost(makeMatmul64(), t);
  // compute: 262144 FMA x 3 pJ = 786432 pJ.
  EXPECT_NEAR(e.energy.computeJ, 786432e-12, 1e-15);
  // registers: 262144 x 3 operands x 4 B x 0.1 pJ/B = 314572.8 pJ.
  EXPECT_NEAR(e.energy.memoryJ[0], 314572.8e-12, 1e-15);
  // footprint 65536 B > 32 KiB L1: served from DRAM (level 2).
  EXPECT_EQ(e.residentLevel, 2u);
  // L1: compulsory 65536 B + reuse 262144 x 4 B x (4+16)/(4*16) = 327680 B
  //     = 393216 B x 1 pJ/B.
  EXPECT_NEAR(e.energy.memoryJ[1], 393216e-12, 1e-15);
  // DRAM: 65536 B x 100 pJ/B = 6553600 pJ.
  EXPECT_NEAR(e.energy.memoryJ[2], 6553600e-12, 1e-15);
  // compute time: 262144 / (8 lanes x 1 unit x 1e9 Hz) = 32.768 us.
  EXPECT_NEAR(e.computeSec, 32.768e-6, 1e-12);
  // memory time: max(393216 B / 100 GB/s, 65536 B / 10 GB/s) = 6.5536 us.
  EXPECT_NEAR(e.memorySec, 6.5536e-6, 1e-12);
  EXPECT_TRUE(e.isComputeBound());
  EXPECT_NEAR(e.latencySec, 32.768e-6, 1e-12);
  // static: 1 W x 32.768 us.
  EXPECT_NEAR(e.energy.staticJ, 32.768e-6, 1e-12);
  // total: 0.786432 + 0.3145728 + 0.393216 + 6.5536 + 32.768 uJ.
  EXPECT_NEAR(e.energy.getTotalJ(), 40.8158208e-6, 1e-12);
  EXPECT_TRUE(e.notes.empty());
}

TEST(CostModelTest, InstructionIssueEnergy) {
  TargetDescription t = makeTextbookTarget();
  t.instructionPj = 80;
  CostEstimate base = estimateCost(makeMatmul64(), makeTextbookTarget());
  CostEstimate e = estimateCost(makeMatmul64(), t);
  // 256-bit vectors hold 8 f32 lanes: 262144 / 8 = 32768 instructions x 80 pJ.
  EXPECT_NEAR(e.energy.computeJ - base.energy.computeJ, 2621440e-12, 1e-15);
  // Time does not change.
  EXPECT_NEAR(e.latencySec, base.latencySec, 1e-15);

  // An i8 contraction on the matrix engine: 32 lanes per 256-bit vector x
  // (64 matrix / 32 vector lanes) = 64 MACs per instruction; 6400 MACs = 100
  // instructions = 8000 pJ on top of 6400 x 0.5 pJ.
  OpWork w;
  w.add(ScalarKind::I8, OpClass::Fma, 6400, /*contraction=*/true);
  EXPECT_NEAR(estimateCost(w, t).energy.computeJ, (3200 + 8000) * 1e-12,
              1e-16);
  // Slow classes issue lane-cost instructions' worth: 80 f32 exp x 10 / 8
  // lanes = 100 instructions.
  OpWork exps;
  exps.add(ScalarKind::F32, OpClass::Transcendental, 80);
  EXPECT_NEAR(estimateCost(exps, t).energy.computeJ, (80 * 20 + 8000) * 1e-12,
              1e-16);
}

TEST(CostModelTest, SmallFootprintStaysInL1) {
  TargetDescription t = makeTextbookTarget();
  // 2048 f32 adds reading 2 x 8 KiB and writing 8 KiB: the 24576 B
  // footprint fits the 32 KiB L1.
  OpWork w;
  w.add(ScalarKind::F32, OpClass::Add, 2048);
  w.bytesRead = 2 * 8192;
  w.bytesWritten = 8192;
  CostEstimate e = estimateCost(w, t);
  EXPECT_EQ(e.residentLevel, 1u);
  EXPECT_EQ(e.energy.memoryJ[2], 0.0);
  // L1: 24576 B x 1 pJ/B (no contraction reuse).
  EXPECT_NEAR(e.energy.memoryJ[1], 24576e-12, 1e-16);
  // time: max(2048 / 8e9, 24576 / 100e9) = max(256 ns, 245.76 ns).
  EXPECT_NEAR(e.latencySec, 256e-9, 1e-15);
}

TEST(CostModelTest, MemoryBoundElementwise) {
  TargetDescription t = makeTextbookTarget();
  // 1M f32 adds over 12 MB: DRAM-bound.
  OpWork w;
  w.add(ScalarKind::F32, OpClass::Add, 1 << 20);
  w.bytesRead = 8 << 20;
  w.bytesWritten = 4 << 20;
  CostEstimate e = estimateCost(w, t);
  EXPECT_FALSE(e.isComputeBound());
  // 12582912 B / 10 GB/s = 1.2582912 ms; compute 2^20 / 8e9 = 131 us.
  EXPECT_NEAR(e.latencySec, 1.2582912e-3, 1e-10);
}

TEST(CostModelTest, SlowOpsUseLaneCost) {
  TargetDescription t = makeTextbookTarget();
  OpWork w;
  w.add(ScalarKind::F32, OpClass::Div, 800);
  w.add(ScalarKind::F32, OpClass::Transcendental, 80);
  CostEstimate e = estimateCost(w, t);
  // energy: 800 x 10 pJ + 80 x 20 pJ = 9600 pJ.
  EXPECT_NEAR(e.energy.computeJ, 9600e-12, 1e-16);
  // time: (800 x 4 + 80 x 10) lane ops / 8e9 = 4000 / 8e9 = 500 ns.
  EXPECT_NEAR(e.computeSec, 500e-9, 1e-15);
}

TEST(CostModelTest, OperatingPointScalesEnergyAndTime) {
  TargetDescription t = makeTextbookTarget();
  Schedule low;
  low.operatingPoint = 0; // 0.5 GHz, 0.8 V
  CostEstimate nominal = estimateCost(makeMatmul64(), t);
  CostEstimate slow = estimateCost(makeMatmul64(), t, low);
  // Dynamic on-chip energy x (0.8/1.0)^2 = 0.64; time x (1/0.5) = 2.
  EXPECT_NEAR(slow.energy.computeJ, nominal.energy.computeJ * 0.64, 1e-15);
  EXPECT_NEAR(slow.energy.memoryJ[1], nominal.energy.memoryJ[1] * 0.64, 1e-15);
  // DRAM energy does not scale with the core's voltage.
  EXPECT_NEAR(slow.energy.memoryJ[2], nominal.energy.memoryJ[2], 1e-15);
  EXPECT_NEAR(slow.computeSec, 2 * nominal.computeSec, 1e-12);
  // Static energy grows with the longer run: 1 W x 65.536 us.
  EXPECT_NEAR(slow.energy.staticJ, 65.536e-6, 1e-12);
}

TEST(CostModelTest, InvalidOperatingPointIsNoted) {
  TargetDescription t = makeTextbookTarget();
  Schedule s;
  s.operatingPoint = 7;
  CostEstimate e = estimateCost(makeMatmul64(), t, s);
  ASSERT_EQ(e.notes.size(), 1u);
  EXPECT_NE(e.notes[0].find("operating point 7 does not exist"),
            std::string::npos);
  EXPECT_NEAR(e.computeSec, 32.768e-6, 1e-12);
}

TEST(CostModelTest, MatrixEngineForContractions) {
  TargetDescription t = makeTextbookTarget();
  OpWork w;
  w.add(ScalarKind::I8, OpClass::Fma, 64000, /*contraction=*/true);
  w.add(ScalarKind::I8, OpClass::Add, 3200);
  CostEstimate e = estimateCost(w, t);
  // 64000 / 64 matrix lanes + 3200 / 32 vector lanes = 1000 + 100 cycles.
  EXPECT_NEAR(e.computeSec, 1100e-9, 1e-15);
}

TEST(CostModelTest, PrecisionOverride) {
  TargetDescription t = makeTextbookTarget();
  Schedule s;
  s.precision = ScalarKind::I8;
  CostEstimate e = estimateCost(makeMatmul64(), t, s);
  // 262144 x 0.5 pJ; 262144 / 64 matrix lanes / 1 GHz = 4.096 us.
  EXPECT_NEAR(e.energy.computeJ, 131072e-12, 1e-15);
  EXPECT_NEAR(e.computeSec, 4.096e-6, 1e-12);
}

TEST(CostModelTest, MissingWideTypeFallsBackWithNote) {
  TargetDescription t = makeTextbookTarget();
  OpWork w;
  w.add(ScalarKind::F64, OpClass::Add, 1000);
  CostEstimate e = estimateCost(w, t);
  // f64 priced as 2 x f32: 1000 x 2 x 1 pJ; 1000 x 2 / 8e9 s.
  EXPECT_NEAR(e.energy.computeJ, 2000e-12, 1e-16);
  EXPECT_NEAR(e.computeSec, 250e-9, 1e-15);
  ASSERT_EQ(e.notes.size(), 1u);
  EXPECT_NE(e.notes[0].find("f64 priced as 2 x f32"), std::string::npos);
}

TEST(CostModelTest, UnpricedKindIsCountedNotZero) {
  TargetDescription t = makeTextbookTarget();
  OpWork w;
  w.add(ScalarKind::BF16, OpClass::Mul, 500);
  w.add(ScalarKind::Unknown, OpClass::Add, 7);
  CostEstimate e = estimateCost(w, t);
  EXPECT_EQ(e.unpricedOps, 507);
  EXPECT_EQ(e.notes.size(), 2u);
  EXPECT_EQ(e.energy.computeJ, 0.0);
}

TEST(CostModelTest, ThreadsSplitComputeAndPrivateBandwidth) {
  TargetDescription t = makeTextbookTarget();
  t.units = 4;
  t.parallelRegionOverheadSec = 1e-6;
  Schedule one;
  one.threads = 1;
  CostEstimate serial = estimateCost(makeMatmul64(), t, one);
  CostEstimate all = estimateCost(makeMatmul64(), t);
  EXPECT_NEAR(all.computeSec, serial.computeSec / 4, 1e-12);
  // Only parallel runs pay for starting a parallel region.
  EXPECT_NEAR(serial.overheadSec, 0, 1e-15);
  EXPECT_NEAR(all.overheadSec, 1e-6, 1e-15);
  // 4 private L1s hold 128 KiB: the 64 KiB footprint now fits.
  EXPECT_EQ(all.residentLevel, 1u);
  EXPECT_EQ(serial.residentLevel, 2u);
}

TEST(CostModelTest, DefaultThreadsKeepSmallOpsSerial) {
  TargetDescription t = makeTextbookTarget();
  t.units = 4;
  t.parallelRegionOverheadSec = 1e-6;
  // 800 adds: 100 ns on one unit, 25 ns + 1 us on four: stays serial.
  OpWork w;
  w.add(ScalarKind::F32, OpClass::Add, 800);
  w.bytesRead = 6400;
  w.bytesWritten = 3200;
  CostEstimate e = estimateCost(w, t);
  EXPECT_NEAR(e.computeSec, 100e-9, 1e-15);
  EXPECT_NEAR(e.overheadSec, 0, 1e-15);
}

TEST(CostModelTest, NoWorkCostsNothing) {
  TargetDescription t = makeTextbookTarget();
  t.perOpOverheadSec = 1e-6;
  CostEstimate e = estimateCost(OpWork(), t);
  EXPECT_EQ(e.latencySec, 0.0);
  EXPECT_EQ(e.energy.getTotalJ(), 0.0);
  ASSERT_EQ(e.energy.memoryJ.size(), 3u);
}

TEST(CostModelTest, FusedBytesStayInL1) {
  TargetDescription t = makeTextbookTarget();
  OpWork w;
  w.add(ScalarKind::F32, OpClass::Add, 1 << 20);
  w.bytesRead = 8 << 20;
  w.bytesWritten = 4 << 20;
  Schedule s;
  s.fusedBytes = 4 << 20; // the input from the producer never leaves L1
  CostEstimate unfused = estimateCost(w, t);
  CostEstimate fused = estimateCost(w, t, s);
  // DRAM traffic drops by 4 MiB x 100 pJ/B.
  EXPECT_NEAR(unfused.energy.memoryJ[2] - fused.energy.memoryJ[2],
              (4 << 20) * 100e-12, 1e-12);
  EXPECT_LT(fused.latencySec, unfused.latencySec);
}

TEST(CostModelTest, RereadsComeFromTheLevelHoldingTheirSource) {
  TargetDescription t = makeTextbookTarget();
  // The 64^3 matmul tiled so that its 16 KiB tile working set stays in L1,
  // but 1 MB of operand re-reads of a 64 KiB data set come from DRAM.
  Schedule tiled;
  tiled.workingSetBytes = 16384;
  CostEstimate base = estimateCost(makeMatmul64(), t, tiled);
  EXPECT_EQ(base.residentLevel, 1u);
  EXPECT_EQ(base.energy.memoryJ[2], 0.0);
  tiled.rereads.push_back({/*bytes=*/1000000, /*sourceBytes=*/65536});
  CostEstimate e = estimateCost(makeMatmul64(), t, tiled);
  // DRAM: 1e6 B x 100 pJ/B = 100 uJ; L1 gets the same 1e6 B x 1 pJ/B more.
  EXPECT_NEAR(e.energy.memoryJ[2], 100e-6, 1e-12);
  EXPECT_NEAR(e.energy.memoryJ[1] - base.energy.memoryJ[1], 1e-6, 1e-12);
  // memory time: 1e6 B / 10 GB/s = 100 us > 32.768 us compute.
  EXPECT_NEAR(e.memorySec, 100e-6, 1e-12);
  EXPECT_FALSE(e.isComputeBound());
  // Re-reads of a data set that fits L1 stay in L1.
  Schedule small = tiled;
  small.rereads = {{1000000, 4096}};
  CostEstimate l1 = estimateCost(makeMatmul64(), t, small);
  EXPECT_EQ(l1.energy.memoryJ[2], 0.0);
  EXPECT_NEAR(l1.energy.memoryJ[1] - base.energy.memoryJ[1], 1e-6, 1e-12);
}

TEST(CostModelTest, LinksAreChargedOrNoted) {
  TargetDescription t = makeTextbookTarget();
  t.interconnect = {{"pcie", 40, 32e9}};
  Schedule s;
  s.transferBytes = 1000;
  s.communicationBytes = 10;
  CostEstimate e = estimateCost(OpWork(), t, s);
  // 1000 B x 40 pJ/B; time 1000 B / 32 GB/s.
  EXPECT_NEAR(e.energy.transferJ, 40000e-12, 1e-16);
  EXPECT_NEAR(e.overheadSec, 1000 / 32e9, 1e-15);
  // No NVLink or network described: noted, not silently zero.
  ASSERT_EQ(e.notes.size(), 1u);
  EXPECT_NE(e.notes[0].find("10 bytes of communication not costed"),
            std::string::npos);
}

TEST(CostModelTest, CarbonGrams) {
  TargetDescription t = makeTextbookTarget();
  // 3.6e6 J = 1 kWh; x PUE 1.5 x 400 g/kWh = 600 g.
  EXPECT_NEAR(getCarbonGrams(3.6e6, t), 600.0, 1e-9);
}

//===----------------------------------------------------------------------===//
// Calibration
//===----------------------------------------------------------------------===//

TEST(CalibrationTest, SpearmanKnownValues) {
  EXPECT_NEAR(spearmanCorrelation({1, 2, 3, 4}, {10, 20, 30, 40}), 1.0, 1e-12);
  EXPECT_NEAR(spearmanCorrelation({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0, 1e-12);
  // Ranks (1,2,3,4) vs (2,1,4,3): d^2 sum = 4, rho = 1 - 6*4/(4*15) = 0.6.
  EXPECT_NEAR(spearmanCorrelation({1, 2, 3, 4}, {2, 1, 4, 3}), 0.6, 1e-12);
  EXPECT_EQ(spearmanCorrelation({1, 1, 1}, {1, 2, 3}), 0.0);
}

TEST(CalibrationTest, RecoversKnownCoefficients) {
  // Synthesize "measured" times from a target whose compute runs at 60% of
  // the description, memory at 40%, with 2 us per op of overhead; a mix of
  // compute- and memory-bound points. Calibration must find them back.
  TargetDescription t = makeTextbookTarget();
  TargetDescription truth = applyCalibration(t, 0.6, 0.4, 2e-6);
  std::vector<Measurement> points;
  for (int i = 0; i < 12; ++i) {
    Measurement m;
    m.name = "point" + std::to_string(i);
    int64_t n = int64_t(1) << (10 + i);
    if (i % 2 == 0) {
      m.work.add(ScalarKind::F32, OpClass::Fma, n * 64, true);
      m.work.bytesRead = n;
    } else {
      m.work.add(ScalarKind::F32, OpClass::Add, n);
      m.work.bytesRead = 8 * n;
      m.work.bytesWritten = 4 * n;
    }
    m.measuredSec = estimateCost(m.work, truth).latencySec;
    points.push_back(m);
  }
  llvm::Expected<CalibrationResult> r = calibrateTarget(t, points);
  ASSERT_TRUE(static_cast<bool>(r)) << llvm::toString(r.takeError());
  EXPECT_NEAR(r->computeEfficiency, 0.6, 0.01);
  EXPECT_NEAR(r->memoryEfficiency, 0.4, 0.01);
  EXPECT_NEAR(r->perOpOverheadSec, 2e-6, 0.05e-6);
  EXPECT_GT(r->rmsLogErrorBefore, 0.3);
  EXPECT_LT(r->rmsLogErrorAfter, 0.01);
  EXPECT_NEAR(r->spearmanAfter, 1.0, 1e-9);
}

TEST(CalibrationTest, TooFewPoints) {
  llvm::Expected<CalibrationResult> r =
      calibrateTarget(makeTextbookTarget(), {});
  ASSERT_FALSE(static_cast<bool>(r));
  EXPECT_NE(llvm::toString(r.takeError()).find("at least 3 measurements"),
            std::string::npos);
}

TEST(CalibrationTest, MeasurementFileErrors) {
  auto expectError = [](llvm::StringRef json, llvm::StringRef needle) {
    auto r = parseMeasurements(json, "m.json");
    ASSERT_FALSE(static_cast<bool>(r)) << json.str();
    std::string msg = llvm::toString(r.takeError());
    EXPECT_NE(msg.find(needle), std::string::npos) << msg;
  };
  expectError("{", "m.json: <document>: invalid JSON");
  expectError(R"({"schema": "x", "points": []})", "m.json: schema: expected");
  expectError(R"({"schema": "green-calibration/1"})",
              "m.json: points: missing required field");
  expectError(R"({"schema": "green-calibration/1", "points": [
      {"measured_s": -1, "work": {"ops": [], "bytes_read": 0,
       "bytes_written": 0}}]})",
              "m.json: points[0].measured_s: expected a positive number");
  expectError(R"({"schema": "green-calibration/1", "points": [
      {"measured_s": 1, "work": {"ops": [{"kind": "f33", "class": "add",
       "count": 1}], "bytes_read": 0, "bytes_written": 0}}]})",
              "m.json: points[0].work.ops[0].kind: expected an element type");
  expectError(R"({"schema": "green-calibration/1", "points": [
      {"measured_s": 1, "wrok": {}}]})",
              "m.json: points[0].wrok: unknown key");
}

TEST(CalibrationTest, MeasurementFileParses) {
  auto r = parseMeasurements(R"({"schema": "green-calibration/1",
      "target": "cpu-zen4", "points": [
      {"name": "mm", "measured_s": 0.5, "threads": 1, "work": {"ops": [
        {"kind": "f32", "class": "fma", "count": 100, "contraction": true},
        {"kind": "f32", "class": "add", "count": 7}],
       "bytes_read": 12, "bytes_written": 4}}]})",
                             "m.json");
  ASSERT_TRUE(static_cast<bool>(r)) << llvm::toString(r.takeError());
  ASSERT_EQ(r->size(), 1u);
  const Measurement &m = (*r)[0];
  EXPECT_EQ(m.name, "mm");
  EXPECT_EQ(m.schedule.threads, 1u);
  EXPECT_EQ(m.work.getCount(ScalarKind::F32, OpClass::Fma), 100);
  EXPECT_EQ(m.work.getCount(ScalarKind::F32, OpClass::Add), 7);
  EXPECT_EQ(m.work.bytesRead, 12);
}

} // namespace

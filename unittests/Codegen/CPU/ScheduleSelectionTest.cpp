//===- ScheduleSelectionTest.cpp - CPU schedule candidates and choice -----===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Codegen/CPU/ScheduleSelection.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::green;
using namespace mlir::green::cpu;

namespace {

/// A 256^3 f32 matmul: 256^3 FMAs, reads A, B, C and writes C.
OpWork makeGemmWork(int64_t m, int64_t n, int64_t k) {
  OpWork w;
  w.add(ScalarKind::F32, OpClass::Fma, m * n * k, /*contraction=*/true);
  w.bytesRead = (m * k + k * n + m * n) * 4;
  w.bytesWritten = m * n * 4;
  return w;
}

ContractionShape makeGemmShape(int64_t m, int64_t n, int64_t k) {
  ContractionShape s;
  s.sizes = {m, n, k};
  s.mDim = 0;
  s.nDim = 1;
  s.kDim = 2;
  return s;
}

TEST(ScheduleSelectionTest, CandidatesRespectVectorWidthAndDivide) {
  for (const char *name : {"cpu-zen3", "cpu-zen4"}) {
    llvm::Expected<TargetDescription> t = lookupTargetDescription(name);
    ASSERT_TRUE(static_cast<bool>(t)) << llvm::toString(t.takeError());
    int64_t vw = getVectorWidth(*t, 32);
    EXPECT_EQ(vw, t->vectorBits / 32);
    std::vector<ScheduleCandidate> cs = enumerateCandidates(
        makeGemmShape(256, 256, 256), makeGemmWork(256, 256, 256), *t, 0);
    ASSERT_FALSE(cs.empty());
    for (const ScheduleCandidate &c : cs) {
      EXPECT_EQ(c.registerTile[1] % vw, 0);
      for (unsigned d = 0; d < 3; ++d) {
        EXPECT_EQ(c.tile[d] % c.registerTile[d], 0);
        // Cache tiles divide the part the register tile covers.
        int64_t main = 256 / c.registerTile[d] * c.registerTile[d];
        EXPECT_EQ(main % c.tile[d], 0);
      }
      EXPECT_LE(c.threads, t->units);
      EXPECT_EQ(c.parallelDim, c.threads > 1 ? 0 : -1);
    }
  }
}

TEST(ScheduleSelectionTest, SmallExtentsClampTheRegisterTile) {
  llvm::Expected<TargetDescription> t = lookupTargetDescription("cpu-zen4");
  ASSERT_TRUE(static_cast<bool>(t));
  std::vector<ScheduleCandidate> cs = enumerateCandidates(
      makeGemmShape(1, 1, 1), makeGemmWork(1, 1, 1), *t, 0);
  ASSERT_FALSE(cs.empty());
  for (const ScheduleCandidate &c : cs) {
    EXPECT_EQ(c.registerTile, (SmallVector<int64_t>{1, 1, 1}));
    EXPECT_EQ(c.threads, 1u);
  }
}

TEST(ScheduleSelectionTest, TilingChangesTheCost) {
  llvm::Expected<TargetDescription> t = lookupTargetDescription("cpu-zen4");
  ASSERT_TRUE(static_cast<bool>(t));
  std::vector<ScheduleCandidate> cs = enumerateCandidates(
      makeGemmShape(1024, 1024, 1024), makeGemmWork(1024, 1024, 1024), *t,
      1);
  double lo = 1e300, hi = 0;
  for (const ScheduleCandidate &c : cs) {
    lo = std::min(lo, c.cost.energy.getTotalJ());
    hi = std::max(hi, c.cost.energy.getTotalJ());
  }
  EXPECT_LT(lo, hi);
}

/// Three hand-made candidates: fast and costly, slow and cheap, in between.
std::vector<ScheduleCandidate> makeTradeOff() {
  std::vector<ScheduleCandidate> cs(3);
  auto set = [](ScheduleCandidate &c, double j, double s) {
    c.cost.energy.computeJ = j;
    c.cost.latencySec = s;
    c.cost.computeSec = s;
  };
  set(cs[0], 3.0, 1.0);
  set(cs[1], 1.0, 3.0);
  set(cs[2], 2.0, 1.2);
  return cs;
}

TEST(ScheduleSelectionTest, ObjectivesAndBudget) {
  std::vector<ScheduleCandidate> cs = makeTradeOff();
  EXPECT_EQ(selectCandidate(cs, Objective::Energy, 0), 1u);
  EXPECT_EQ(selectCandidate(cs, Objective::Latency, 0), 0u);
  // EDP: 3.0, 3.0, 2.4.
  EXPECT_EQ(selectCandidate(cs, Objective::EDP, 0), 2u);
  // Cheapest within 1.5 s is the third; none within 0.5 s: the fastest.
  EXPECT_EQ(selectCandidate(cs, Objective::Latency, 1.5), 2u);
  EXPECT_EQ(selectCandidate(cs, Objective::Energy, 0.5), 0u);
}

TEST(ScheduleSelectionTest, LatencyTiesPreferComputeHeadroom) {
  std::vector<ScheduleCandidate> cs = makeTradeOff();
  cs[1].cost.latencySec = 1.0; // memory-bound: as fast as the first
  cs[1].cost.computeSec = 0.9;
  cs[0].cost.computeSec = 0.5;
  EXPECT_EQ(selectCandidate(cs, Objective::Latency, 0), 0u);
  EXPECT_EQ(selectCandidate(cs, Objective::Energy, 0), 1u);
  EXPECT_TRUE(isRankedBefore(cs[0].cost, cs[1].cost, Objective::Latency));
  EXPECT_FALSE(isRankedBefore(cs[0].cost, cs[0].cost, Objective::Latency));
}

TEST(ScheduleSelectionTest, DescribeCandidate) {
  ScheduleCandidate c;
  c.tile = {64, 256, 8};
  c.registerTile = {4, 16, 4};
  c.parallelDim = 0;
  c.threads = 2;
  c.operatingPoint = 1;
  c.cost.energy.computeJ = 1e-3;
  c.cost.latencySec = 2e-4;
  EXPECT_EQ(describeCandidate(c),
            "tile [64, 256, 8] register tile [4, 16, 4] parallel dim 0 "
            "threads 2 operating point 1: 1.000000e-03 J, 2.000000e-04 s");
}

} // namespace

namespace {

/// The candidate `selectCandidate` picks for an f32 GEMM on `target`.
ScheduleCandidate chooseGemm(const char *target, int64_t m, int64_t n,
                             int64_t k, bool canPackB, unsigned threads) {
  llvm::Expected<TargetDescription> t = lookupTargetDescription(target);
  EXPECT_TRUE(static_cast<bool>(t));
  if (!t)
    return {};
  ContractionShape shape = makeGemmShape(m, n, k);
  shape.canPackB = canPackB;
  std::vector<ScheduleCandidate> cs =
      enumerateCandidates(shape, makeGemmWork(m, n, k), *t, threads);
  EXPECT_FALSE(cs.empty());
  if (cs.empty())
    return {};
  return cs[selectCandidate(cs, Objective::Energy, 0)];
}

} // namespace

TEST(ScheduleSelectionTest, PacksBWhenItsRowsAreAnL1WayApart) {
  for (const char *target : {"cpu-zen3", "cpu-zen4"}) {
    for (unsigned threads : {1u, 2u}) {
      // 1024 f32 = 4 KiB rows: packing wins.
      EXPECT_TRUE(chooseGemm(target, 1024, 1024, 1024, true, threads).packB)
          << target << " threads " << threads;
      // 256 f32 = 1 KiB rows: the panel stays in L1 in place.
      EXPECT_FALSE(chooseGemm(target, 256, 256, 256, true, threads).packB)
          << target << " threads " << threads;
    }
    // One row of register tiles reads B once: no packing.
    EXPECT_FALSE(chooseGemm(target, 1, 1024, 1024, true, 1).packB) << target;
    // Not offered when the op does not allow it.
    EXPECT_FALSE(chooseGemm(target, 1024, 1024, 1024, false, 1).packB)
        << target;
  }
}

TEST(ScheduleSelectionTest, DescribesPackedCandidates) {
  ScheduleCandidate c = chooseGemm("cpu-zen4", 1024, 1024, 1024, true, 1);
  ASSERT_TRUE(c.packB);
  EXPECT_NE(describeCandidate(c).find(", B packed: "), std::string::npos);
  c.packB = false;
  EXPECT_EQ(describeCandidate(c).find("packed"), std::string::npos);
}

namespace {
/// A 256^3 i8 x i8 -> i32 GEMM: i8 MACs, 1-byte inputs, 4-byte C.
OpWork makeInt8GemmWork(int64_t m, int64_t n, int64_t k) {
  OpWork w;
  w.add(ScalarKind::I8, OpClass::Fma, m * n * k, /*contraction=*/true);
  w.bytesRead = m * k + k * n + m * n * 4;
  w.bytesWritten = m * n * 4;
  return w;
}
} // namespace

TEST(ScheduleSelectionTest, IntegerDotGemmsArePackedWithTwoVectorsPerRow) {
  for (const char *name : {"cpu-zen3", "cpu-zen4"}) {
    llvm::Expected<TargetDescription> t = lookupTargetDescription(name);
    ASSERT_TRUE(static_cast<bool>(t)) << llvm::toString(t.takeError());
    ContractionShape shape = makeGemmShape(256, 256, 256);
    shape.inputBits = 8;
    shape.canPackB = true;
    shape.integerDot = true;
    std::vector<ScheduleCandidate> cs =
        enumerateCandidates(shape, makeInt8GemmWork(256, 256, 256), *t, 1);
    ASSERT_FALSE(cs.empty());
    int64_t vw = getVectorWidth(*t, 32);
    for (const ScheduleCandidate &c : cs) {
      // The micro-kernel packs B itself, in 4-deep k groups.
      EXPECT_TRUE(c.packB);
      EXPECT_EQ(c.registerTile[2], 4);
      EXPECT_EQ(c.registerTile[1] % (2 * vw), 0) << name;
    }
    // Without the kernel, unpacked and one-vector tiles are candidates.
    shape.integerDot = false;
    cs = enumerateCandidates(shape, makeInt8GemmWork(256, 256, 256), *t, 1);
    EXPECT_TRUE(llvm::any_of(cs, [](const ScheduleCandidate &c) {
      return !c.packB;
    }));
    EXPECT_TRUE(llvm::any_of(cs, [&](const ScheduleCandidate &c) {
      return c.registerTile[1] == vw;
    }));
  }
}

TEST(ScheduleSelectionTest, NarrowInputsMakeTilesCheaper) {
  // The same i8 GEMM costed with 4-byte inputs (inputBits unset) pays four
  // times the A and B re-read traffic of its 1-byte inputs.
  llvm::Expected<TargetDescription> t = lookupTargetDescription("cpu-zen4");
  ASSERT_TRUE(static_cast<bool>(t));
  ContractionShape narrow = makeGemmShape(512, 512, 512);
  narrow.inputBits = 8;
  ContractionShape wide = makeGemmShape(512, 512, 512);
  OpWork w = makeInt8GemmWork(512, 512, 512);
  std::vector<ScheduleCandidate> a = enumerateCandidates(narrow, w, *t, 1);
  std::vector<ScheduleCandidate> b = enumerateCandidates(wide, w, *t, 1);
  unsigned ia = selectCandidate(a, Objective::Energy, 0);
  unsigned ib = selectCandidate(b, Objective::Energy, 0);
  EXPECT_LT(a[ia].cost.energy.getTotalJ(), b[ib].cost.energy.getTotalJ());
}

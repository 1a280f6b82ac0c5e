//===- ShippedTargetsTest.cpp - the bundled targets/*.json load -----------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Every description shipped in targets/ must pass the loader's validation,
// and each must describe what docs/targets.md says it describes.
//
//===----------------------------------------------------------------------===//

#include "green/Target/TargetDescription.h"
#include "green/Target/TargetSerialization.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <set>

using namespace mlir::green;

namespace {

std::string shippedDir() { return GREEN_OPT_TARGETS_DIR; }

TEST(ShippedTargets, EveryFileLoads) {
  std::error_code ec;
  std::set<std::string> names;
  for (llvm::sys::fs::directory_iterator it(shippedDir(), ec), end;
       it != end && !ec; it.increment(ec)) {
    if (llvm::sys::path::extension(it->path()) != ".json")
      continue;
    llvm::Expected<TargetDescription> t = loadTargetDescriptionFile(it->path());
    ASSERT_TRUE(static_cast<bool>(t)) << llvm::toString(t.takeError());
    names.insert(t->name);
  }
  ASSERT_FALSE(ec) << ec.message();
  for (const char *required : {"cpu-zen3", "cpu-zen4", "gpu-h100", "tpu-like"})
    EXPECT_TRUE(names.count(required)) << "missing targets/" << required
                                       << ".json";
}

TEST(ShippedTargets, DescribeWhatTheyClaim) {
  auto load = [](llvm::StringRef name) {
    llvm::Expected<TargetDescription> t =
        lookupTargetDescription(name, {shippedDir()});
    EXPECT_TRUE(static_cast<bool>(t)) << llvm::toString(t.takeError());
    return t ? *t : TargetDescription();
  };
  TargetDescription zen3 = load("cpu-zen3"), zen4 = load("cpu-zen4");
  TargetDescription h100 = load("gpu-h100"), tpu = load("tpu-like");
  EXPECT_EQ(zen3.kind, TargetKind::CPU);
  EXPECT_EQ(zen3.units, 2u);
  EXPECT_TRUE(zen3.hasFeature("avx2") && zen3.hasFeature("fma"));
  EXPECT_FALSE(zen3.hasFeature("avx512f"));
  EXPECT_EQ(zen4.units, 2u);
  for (const char *f : {"avx512f", "avx512vnni", "avx512bf16"})
    EXPECT_TRUE(zen4.hasFeature(f)) << f;
  // VNNI: int8 contractions on a matrix path that AVX2 lacks.
  EXPECT_GT(zen4.getCompute(ScalarKind::I8)->matrixLanesPerCycle,
            zen3.getCompute(ScalarKind::I8)->matrixLanesPerCycle);
  EXPECT_EQ(h100.kind, TargetKind::GPU);
  EXPECT_EQ(h100.units, 132u);
  EXPECT_GT(h100.getCompute(ScalarKind::BF16)->matrixLanesPerCycle, 0);
  EXPECT_EQ(tpu.kind, TargetKind::Systolic);
  EXPECT_GT(tpu.arrayRows, 0u);
  // Every memory hierarchy gets more expensive per byte outward.
  for (const TargetDescription *t : {&zen3, &zen4, &h100, &tpu})
    for (size_t i = 1; i < t->memory.size(); ++i)
      EXPECT_GE(t->memory[i].energyPjPerByte,
                t->memory[i - 1].energyPjPerByte)
          << t->name << " level " << t->memory[i].name;
}

TEST(ShippedTargets, SerializationRoundTrips) {
  for (const char *name : {"cpu-zen3", "cpu-zen4", "gpu-h100", "tpu-like"}) {
    llvm::Expected<TargetDescription> t =
        lookupTargetDescription(name, {shippedDir()});
    ASSERT_TRUE(static_cast<bool>(t)) << llvm::toString(t.takeError());
    std::string text = llvm::formatv("{0:2}", toJSON(*t, "round trip"));
    llvm::Expected<TargetDescription> back = parseTargetDescription(text, "");
    ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
    EXPECT_EQ(back->units, t->units);
    EXPECT_EQ(back->memory.size(), t->memory.size());
    EXPECT_DOUBLE_EQ(back->getMainMemory().bandwidthBytesPerSec,
                     t->getMainMemory().bandwidthBytesPerSec);
    EXPECT_DOUBLE_EQ(back->getCompute(ScalarKind::F32)->fmaPj,
                     t->getCompute(ScalarKind::F32)->fmaPj);
    EXPECT_EQ(back->operatingPoints.size(), t->operatingPoints.size());
    EXPECT_EQ(back->interconnect.size(), t->interconnect.size());
  }
}

} // namespace

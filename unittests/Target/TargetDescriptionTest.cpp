//===- TargetDescriptionTest.cpp - target description loader tests --------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Every invalid case is derived from one valid description by a single edit
// of its JSON tree, so each test states only what it breaks and the message
// it expects (file, key path, expectation).
//
//===----------------------------------------------------------------------===//

#include "green/Target/TargetDescription.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cstdlib>

using namespace mlir;
using namespace mlir::green;
namespace json = llvm::json;
using llvm::StringRef;

namespace {

/// A complete description exercising every field; f64, f32, f16, bf16, i32,
/// i8 and i4 are present, i64, i16 and i1 are not.
constexpr StringRef kValidTarget = R"json({
  "schema_version": 1,
  "name": "cpu-test",
  "kind": "cpu",
  "description": "A test CPU",
  "notes": "not used by the compiler",
  "process_nm": 5,
  "units": 16,
  "vector_bits": 512,
  "features": ["avx2", "fma", "avx512f"],
  "compute": {
    "f64": {"add_pj": 0.6, "mul_pj": 2.0, "fma_pj": 2.6, "div_pj": 10.0,
            "transcendental_pj": 30.0, "lanes_per_cycle": 8},
    "f32": {"add_pj": 0.3, "mul_pj": 1.0, "fma_pj": 1.3, "div_pj": 5.0,
            "transcendental_pj": 15.0, "lanes_per_cycle": 16},
    "f16": {"add_pj": 0.2, "mul_pj": 0.5, "fma_pj": 0.7, "div_pj": 3.0,
            "transcendental_pj": 8.0, "lanes_per_cycle": 32},
    "bf16": {"add_pj": 0.2, "mul_pj": 0.5, "fma_pj": 0.7, "div_pj": 3.0,
             "transcendental_pj": 8.0, "lanes_per_cycle": 32,
             "matrix_lanes_per_cycle": 64},
    "i32": {"add_pj": 0.1, "mul_pj": 0.9, "fma_pj": 1.0, "div_pj": 6.0,
            "lanes_per_cycle": 16},
    "i8": {"add_pj": 0.03, "mul_pj": 0.2, "fma_pj": 0.25, "div_pj": 2.0,
           "lanes_per_cycle": 64, "matrix_lanes_per_cycle": 256},
    "i4": {"add_pj": 0.02, "mul_pj": 0.1, "fma_pj": 0.12, "div_pj": 2.0,
           "lanes_per_cycle": 64, "matrix_lanes_per_cycle": 0}
  },
  "slow_op_lane_cost": {"div": 8, "transcendental": 20},
  "memory": [
    {"name": "reg", "size_bytes": 2048, "bandwidth_gbps": 5000,
     "energy_pj_per_byte": 0.05, "shared": false},
    {"name": "l1", "size_bytes": 32768, "bandwidth_gbps": 2000,
     "energy_pj_per_byte": 0.2, "shared": false},
    {"name": "l3", "size_bytes": 33554432, "bandwidth_gbps": 600,
     "energy_pj_per_byte": 1.5, "shared": true},
    {"name": "dram", "size_bytes": 68719476736, "bandwidth_gbps": 80,
     "energy_pj_per_byte": 20, "shared": true}
  ],
  "interconnect": {
    "pcie": {"energy_pj_per_byte": 40, "bandwidth_gbps": 32},
    "network": {"energy_pj_per_byte": 200, "bandwidth_gbps": 1.25}
  },
  "power": {"static_w": 5, "idle_w": 8, "peak_w": 120},
  "dvfs": {"nominal_index": 1, "points": [
    {"frequency_ghz": 1.5, "voltage_v": 0.8},
    {"frequency_ghz": 3.0, "voltage_v": 1.0},
    {"frequency_ghz": 5.0, "voltage_v": 1.25}
  ]},
  "overheads": {"per_op_s": 2e-7, "parallel_region_s": 5e-6},
  "environment": {"pue": 1.2, "grid_gco2_per_kwh": 400}
})json";

/// The path the test descriptions claim to come from; its stem matches the
/// `name` above.
constexpr StringRef kPath = "targets/cpu-test.json";

/// kValidTarget with `edit` applied to its top-level object.
std::string editTarget(llvm::function_ref<void(json::Object &)> edit) {
  json::Value root = llvm::cantFail(json::parse(kValidTarget));
  edit(*root.getAsObject());
  return llvm::formatv("{0:2}", root).str();
}

json::Object &objectAt(json::Object &parent, StringRef key) {
  json::Object *child = parent.getObject(key);
  EXPECT_NE(child, nullptr) << "no object at " << key.str();
  return *child;
}

json::Object &memoryLevel(json::Object &root, size_t index) {
  return *(*root.getArray("memory"))[index].getAsObject();
}

/// The error message parsing `text` as `path` gives, or a marker that makes
/// the comparison fail when it parses.
std::string parseError(StringRef text, StringRef path = kPath) {
  llvm::Expected<TargetDescription> target = parseTargetDescription(text, path);
  if (target)
    return "<parsed without error>";
  return llvm::toString(target.takeError());
}

/// Shorthand: the error after one edit of the valid description.
std::string errorAfter(llvm::function_ref<void(json::Object &)> edit) {
  return parseError(editTarget(edit));
}

std::string errorOf(llvm::Expected<TargetDescription> target) {
  if (target)
    return "<loaded without error>";
  return llvm::toString(target.takeError());
}

//===----------------------------------------------------------------------===//
// Valid descriptions
//===----------------------------------------------------------------------===//

TEST(TargetDescriptionParse, ValidDescriptionMapsEveryField) {
  llvm::Expected<TargetDescription> parsed =
      parseTargetDescription(kValidTarget, kPath);
  ASSERT_TRUE(static_cast<bool>(parsed)) << llvm::toString(parsed.takeError());
  const TargetDescription &t = *parsed;

  EXPECT_EQ(t.name, "cpu-test");
  EXPECT_EQ(t.kind, TargetKind::CPU);
  EXPECT_EQ(t.description, "A test CPU");
  EXPECT_EQ(t.sourcePath, kPath);
  EXPECT_DOUBLE_EQ(t.processNm, 5);
  EXPECT_EQ(t.units, 16u);
  EXPECT_EQ(t.vectorBits, 512u);
  EXPECT_EQ(t.features, (std::vector<std::string>{"avx2", "fma", "avx512f"}));
  EXPECT_TRUE(t.hasFeature("fma"));
  EXPECT_FALSE(t.hasFeature("avx512bf16"));
  EXPECT_EQ(t.arrayRows, 0u);
  EXPECT_EQ(t.arrayCols, 0u);

  const ScalarCompute *f32 = t.getCompute(ScalarKind::F32);
  ASSERT_NE(f32, nullptr);
  EXPECT_DOUBLE_EQ(f32->addPj, 0.3);
  EXPECT_DOUBLE_EQ(f32->mulPj, 1.0);
  EXPECT_DOUBLE_EQ(f32->fmaPj, 1.3);
  EXPECT_DOUBLE_EQ(f32->divPj, 5.0);
  EXPECT_EQ(f32->transcendentalPj, 15.0);
  EXPECT_DOUBLE_EQ(f32->lanesPerCycle, 16);
  EXPECT_DOUBLE_EQ(f32->matrixLanesPerCycle, 0);
  EXPECT_DOUBLE_EQ(t.getCompute(ScalarKind::BF16)->matrixLanesPerCycle, 64);
  const ScalarCompute *i8 = t.getCompute(ScalarKind::I8);
  ASSERT_NE(i8, nullptr);
  EXPECT_FALSE(i8->transcendentalPj.has_value());
  EXPECT_DOUBLE_EQ(i8->matrixLanesPerCycle, 256);
  EXPECT_EQ(t.getCompute(ScalarKind::I64), nullptr);
  EXPECT_EQ(t.getCompute(ScalarKind::I16), nullptr);
  EXPECT_EQ(t.getCompute(ScalarKind::I1), nullptr);
  EXPECT_EQ(t.getCompute(ScalarKind::Unknown), nullptr);

  EXPECT_DOUBLE_EQ(t.divLaneCost, 8);
  EXPECT_DOUBLE_EQ(t.transcendentalLaneCost, 20);

  ASSERT_EQ(t.memory.size(), 4u);
  EXPECT_EQ(t.memory[0].name, "reg");
  EXPECT_DOUBLE_EQ(t.memory[0].sizeBytes, 2048);
  EXPECT_DOUBLE_EQ(t.memory[0].bandwidthBytesPerSec, 5000e9);
  EXPECT_DOUBLE_EQ(t.memory[0].energyPjPerByte, 0.05);
  EXPECT_FALSE(t.memory[0].shared);
  EXPECT_EQ(t.getMainMemory().name, "dram");
  EXPECT_DOUBLE_EQ(t.getMainMemory().sizeBytes, 68719476736.0);
  EXPECT_DOUBLE_EQ(t.getMainMemory().bandwidthBytesPerSec, 80e9);
  EXPECT_TRUE(t.getMainMemory().shared);

  ASSERT_EQ(t.interconnect.size(), 2u);
  EXPECT_EQ(t.interconnect[0].name, "pcie");
  EXPECT_DOUBLE_EQ(t.interconnect[0].energyPjPerByte, 40);
  EXPECT_DOUBLE_EQ(t.interconnect[0].bandwidthBytesPerSec, 32e9);
  EXPECT_EQ(t.interconnect[1].name, "network");
  EXPECT_DOUBLE_EQ(t.interconnect[1].bandwidthBytesPerSec, 1.25e9);

  EXPECT_DOUBLE_EQ(t.staticPowerW, 5);
  EXPECT_DOUBLE_EQ(t.idlePowerW, 8);
  EXPECT_DOUBLE_EQ(t.peakPowerW, 120);

  ASSERT_EQ(t.operatingPoints.size(), 3u);
  EXPECT_EQ(t.nominalPoint, 1u);
  EXPECT_DOUBLE_EQ(t.getNominalPoint().frequencyHz, 3.0e9);
  EXPECT_DOUBLE_EQ(t.getNominalPoint().voltageV, 1.0);
  EXPECT_DOUBLE_EQ(t.operatingPoints[0].frequencyHz, 1.5e9);

  EXPECT_DOUBLE_EQ(t.perOpOverheadSec, 2e-7);
  EXPECT_DOUBLE_EQ(t.parallelRegionOverheadSec, 5e-6);
  // instruction_pj is optional: 0 when absent.
  EXPECT_DOUBLE_EQ(t.instructionPj, 0);
  EXPECT_DOUBLE_EQ(t.pue, 1.2);
  EXPECT_DOUBLE_EQ(t.gridGCo2PerKWh, 400);
}

TEST(TargetDescriptionParse, SystolicTargetReadsArrayShape) {
  llvm::Expected<TargetDescription> parsed = parseTargetDescription(
      editTarget([](json::Object &root) {
        root["kind"] = "systolic";
        root["systolic_array"] = json::Object{{"rows", 128}, {"cols", 64}};
      }),
      kPath);
  ASSERT_TRUE(static_cast<bool>(parsed)) << llvm::toString(parsed.takeError());
  EXPECT_EQ(parsed->kind, TargetKind::Systolic);
  EXPECT_EQ(parsed->arrayRows, 128u);
  EXPECT_EQ(parsed->arrayCols, 64u);
}

TEST(TargetDescriptionParse, OptionalFieldsMayBeOmitted) {
  llvm::Expected<TargetDescription> parsed =
      parseTargetDescription(editTarget([](json::Object &root) {
                               root.erase("notes");
                               objectAt(root, "interconnect") = json::Object{};
                               objectAt(objectAt(root, "compute"), "i8")
                                   .erase("matrix_lanes_per_cycle");
                             }),
                             kPath);
  ASSERT_TRUE(static_cast<bool>(parsed)) << llvm::toString(parsed.takeError());
  EXPECT_TRUE(parsed->interconnect.empty());
  EXPECT_DOUBLE_EQ(parsed->getCompute(ScalarKind::I8)->matrixLanesPerCycle, 0);
}

TEST(TargetDescriptionParse, InMemoryTextHasNoFileNameRule) {
  // With no path there is no file stem to match and errors say <input>.
  llvm::Expected<TargetDescription> parsed = parseTargetDescription(
      editTarget([](json::Object &root) { root["name"] = "anything"; }), "");
  ASSERT_TRUE(static_cast<bool>(parsed)) << llvm::toString(parsed.takeError());
  EXPECT_EQ(parsed->name, "anything");
  EXPECT_EQ(
      parseError(editTarget([](json::Object &root) { root["units"] = 0; }), ""),
      "<input>: units: expected a positive integer, got 0");
}

//===----------------------------------------------------------------------===//
// Invalid descriptions
//===----------------------------------------------------------------------===//

TEST(TargetDescriptionParse, UnknownTopLevelKey) {
  std::string message =
      errorAfter([](json::Object &root) { root["frequency"] = 3; });
  EXPECT_EQ(StringRef(message).split('\n').first,
            "targets/cpu-test.json: frequency: unknown key (expected one of: "
            "schema_version, name, kind, description, notes, process_nm, "
            "units, vector_bits, features, systolic_array, compute, "
            "slow_op_lane_cost, memory, interconnect, power, dvfs, "
            "overheads, environment)");
}

TEST(TargetDescriptionParse, UnknownNestedKey) {
  EXPECT_EQ(errorAfter([](json::Object &root) {
              json::Object &f32 = objectAt(objectAt(root, "compute"), "f32");
              f32["fmapj"] = f32["fma_pj"];
            }),
            "targets/cpu-test.json: compute.f32.fmapj: unknown key (expected "
            "one of: add_pj, mul_pj, fma_pj, div_pj, transcendental_pj, "
            "lanes_per_cycle, matrix_lanes_per_cycle)");
  EXPECT_EQ(errorAfter([](json::Object &root) {
              memoryLevel(root, 1)["latency_ns"] = 1;
            }),
            "targets/cpu-test.json: memory[1].latency_ns: unknown key "
            "(expected one of: name, size_bytes, bandwidth_gbps, "
            "energy_pj_per_byte, shared)");
}

TEST(TargetDescriptionParse, MissingTopLevelField) {
  EXPECT_EQ(errorAfter([](json::Object &root) { root.erase("units"); }),
            "targets/cpu-test.json: units: missing required field (expected "
            "a positive integer, cores, SMs or arrays)");
}

TEST(TargetDescriptionParse, MissingNestedField) {
  EXPECT_EQ(errorAfter([](json::Object &root) {
              objectAt(root, "power").erase("static_w");
            }),
            "targets/cpu-test.json: power.static_w: missing required field "
            "(expected a positive number, watts)");
  EXPECT_EQ(errorAfter([](json::Object &root) {
              memoryLevel(root, 2).erase("bandwidth_gbps");
            }),
            "targets/cpu-test.json: memory[2].bandwidth_gbps: missing "
            "required field (expected a positive number, GB/s)");
}

TEST(TargetDescriptionParse, StringWhereNumberExpected) {
  EXPECT_EQ(errorAfter([](json::Object &root) { root["process_nm"] = "x"; }),
            "targets/cpu-test.json: process_nm: expected a number, got \"x\"");
}

TEST(TargetDescriptionParse, ArrayWhereObjectExpected) {
  EXPECT_EQ(
      errorAfter([](json::Object &root) { root["power"] = json::Array{}; }),
      "targets/cpu-test.json: power: expected an object, got array");
  EXPECT_EQ(errorAfter([](json::Object &root) {
              (*root.getArray("features"))[1] = 3;
            }),
            "targets/cpu-test.json: features[1]: expected a string, got 3");
}

TEST(TargetDescriptionParse, FractionOrStringWhereIntegerExpected) {
  EXPECT_EQ(errorAfter([](json::Object &root) { root["units"] = 2.5; }),
            "targets/cpu-test.json: units: expected an integer, got 2.5");
  EXPECT_EQ(errorAfter([](json::Object &root) { root["units"] = "two"; }),
            "targets/cpu-test.json: units: expected an integer, got \"two\"");
}

TEST(TargetDescriptionParse, NegativeWherePositiveRequired) {
  EXPECT_EQ(errorAfter([](json::Object &root) {
              objectAt(objectAt(root, "compute"), "f32")["fma_pj"] = -1;
            }),
            "targets/cpu-test.json: compute.f32.fma_pj: expected a positive "
            "number, got -1");
}

TEST(TargetDescriptionParse, ZeroWherePositiveRequired) {
  EXPECT_EQ(errorAfter([](json::Object &root) {
              memoryLevel(root, 2)["bandwidth_gbps"] = 0;
            }),
            "targets/cpu-test.json: memory[2].bandwidth_gbps: expected a "
            "positive number, got 0");
  EXPECT_EQ(errorAfter([](json::Object &root) { root["vector_bits"] = 0; }),
            "targets/cpu-test.json: vector_bits: expected a positive integer, "
            "got 0");
}

TEST(TargetDescriptionParse, NegativeWhereNonNegativeRequired) {
  EXPECT_EQ(errorAfter([](json::Object &root) {
              objectAt(root, "overheads")["per_op_s"] = -0.5;
            }),
            "targets/cpu-test.json: overheads.per_op_s: expected a "
            "non-negative number, got -0.5");
  EXPECT_EQ(errorAfter([](json::Object &root) {
              objectAt(root, "overheads")["instruction_pj"] = -1;
            }),
            "targets/cpu-test.json: overheads.instruction_pj: expected a "
            "non-negative number, got -1");
  EXPECT_EQ(errorAfter([](json::Object &root) {
              objectAt(root, "environment")["pue"] = 0.9;
            }),
            "targets/cpu-test.json: environment.pue: expected a number >= 1, "
            "got 0.9");
}

TEST(TargetDescriptionParse, SystolicArrayMissingForSystolicKind) {
  EXPECT_EQ(errorAfter([](json::Object &root) { root["kind"] = "systolic"; }),
            "targets/cpu-test.json: systolic_array: missing required field "
            "(expected {\"rows\": ..., \"cols\": ...}, required when kind is "
            "\"systolic\")");
}

TEST(TargetDescriptionParse, SystolicArrayPresentForCpu) {
  EXPECT_EQ(errorAfter([](json::Object &root) {
              root["systolic_array"] = json::Object{{"rows", 8}, {"cols", 8}};
            }),
            "targets/cpu-test.json: systolic_array: only allowed when kind is "
            "\"systolic\"");
}

TEST(TargetDescriptionParse, UnknownKind) {
  EXPECT_EQ(errorAfter([](json::Object &root) { root["kind"] = "tpu"; }),
            "targets/cpu-test.json: kind: expected \"cpu\", \"gpu\" or "
            "\"systolic\", got \"tpu\"");
}

TEST(TargetDescriptionParse, TranscendentalOnIntegerKind) {
  EXPECT_EQ(errorAfter([](json::Object &root) {
              objectAt(objectAt(root, "compute"), "i8")["transcendental_pj"] =
                  4.0;
            }),
            "targets/cpu-test.json: compute.i8.transcendental_pj: not allowed "
            "for integer types (they have no transcendental operations)");
}

TEST(TargetDescriptionParse, TranscendentalRequiredOnFloatKind) {
  EXPECT_EQ(
      errorAfter([](json::Object &root) {
        objectAt(objectAt(root, "compute"), "f16").erase("transcendental_pj");
      }),
      "targets/cpu-test.json: compute.f16.transcendental_pj: missing "
      "required field (expected a positive number, picojoules per "
      "operation)");
}

TEST(TargetDescriptionParse, MissingRequiredDtype) {
  EXPECT_EQ(errorAfter([](json::Object &root) {
              objectAt(root, "compute").erase("bf16");
            }),
            "targets/cpu-test.json: compute.bf16: missing required field "
            "(expected the arithmetic figures of this type; every target "
            "needs f32, f16, bf16, i32, i8 and i4)");
}

TEST(TargetDescriptionParse, UnknownDtype) {
  std::string message = errorAfter([](json::Object &root) {
    objectAt(root, "compute")["f8"] = json::Object{};
  });
  EXPECT_EQ(message, "targets/cpu-test.json: compute.f8: unknown key "
                     "(expected one of: f64, f32, f16, bf16, i64, i32, i16, "
                     "i8, i4, i1)");
}

TEST(TargetDescriptionParse, DuplicateMemoryNames) {
  EXPECT_EQ(errorAfter([](json::Object &root) {
              memoryLevel(root, 2)["name"] = "l1";
            }),
            "targets/cpu-test.json: memory[2].name: duplicate level name "
            "\"l1\" (first used by memory[1])");
}

TEST(TargetDescriptionParse, TooFewMemoryLevels) {
  EXPECT_EQ(errorAfter([](json::Object &root) {
              json::Array &memory = *root.getArray("memory");
              while (memory.size() > 1)
                memory.pop_back();
            }),
            "targets/cpu-test.json: memory: expected at least 2 levels "
            "(closest first, main memory last), got 1");
}

TEST(TargetDescriptionParse, EnergyDecreasingOutward) {
  EXPECT_EQ(errorAfter([](json::Object &root) {
              memoryLevel(root, 2)["energy_pj_per_byte"] = 0.1;
            }),
            "targets/cpu-test.json: memory[2].energy_pj_per_byte: expected at "
            "least 0.2 (memory[1].energy_pj_per_byte; levels are listed "
            "closest first), got 0.1");
}

TEST(TargetDescriptionParse, NominalIndexOutOfRange) {
  EXPECT_EQ(errorAfter([](json::Object &root) {
              objectAt(root, "dvfs")["nominal_index"] = 3;
            }),
            "targets/cpu-test.json: dvfs.nominal_index: expected an index "
            "into dvfs.points (0 to 2), got 3");
}

TEST(TargetDescriptionParse, EmptyOperatingPoints) {
  EXPECT_EQ(errorAfter([](json::Object &root) {
              objectAt(root, "dvfs")["points"] = json::Array{};
            }),
            "targets/cpu-test.json: dvfs.points: expected at least one "
            "operating point, got an empty array");
}

TEST(TargetDescriptionParse, PeakPowerBelowIdle) {
  EXPECT_EQ(errorAfter([](json::Object &root) {
              objectAt(root, "power")["peak_w"] = 7.5;
            }),
            "targets/cpu-test.json: power.peak_w: expected at least idle_w "
            "(8), got 7.5");
}

TEST(TargetDescriptionParse, BadSchemaVersion) {
  EXPECT_EQ(errorAfter([](json::Object &root) { root["schema_version"] = 2; }),
            "targets/cpu-test.json: schema_version: expected 1, got 2");
}

TEST(TargetDescriptionParse, InvalidName) {
  EXPECT_EQ(
      parseError(
          editTarget([](json::Object &root) { root["name"] = "9 lives"; }), ""),
      "<input>: name: expected a target name (a letter, then letters, "
      "digits, '.', '_' or '-'), got \"9 lives\"");
}

TEST(TargetDescriptionParse, AllErrorsReportedOnePerLine) {
  std::string message = errorAfter([](json::Object &root) {
    root["units"] = 0;
    objectAt(root, "power")["peak_w"] = -1;
  });
  EXPECT_EQ(message,
            "targets/cpu-test.json: units: expected a positive integer, got "
            "0\n"
            "targets/cpu-test.json: power.peak_w: expected a positive number, "
            "got -1");
}

TEST(TargetDescriptionParse, MalformedJsonNamesFileAndLine) {
  std::string message =
      parseError("{\n  \"schema_version\": 1,\n  \"name\" \"cpu-test\"\n}");
  EXPECT_TRUE(StringRef(message).starts_with("targets/cpu-test.json:3:"))
      << message;
  EXPECT_NE(message.find("invalid JSON"), std::string::npos) << message;
}

TEST(TargetDescriptionParse, TopLevelMustBeObject) {
  EXPECT_EQ(parseError("[1, 2]"), "targets/cpu-test.json: expected a JSON "
                                  "object at the top level, got array");
}

//===----------------------------------------------------------------------===//
// Files and lookup
//===----------------------------------------------------------------------===//

/// Gives each test a scratch directory and a clean GREEN_TARGETS_DIR, and
/// restores both afterwards.
class TargetFilesTest : public ::testing::Test {
protected:
  void SetUp() override {
    if (const char *env = std::getenv("GREEN_TARGETS_DIR"))
      savedEnv = env;
    ::unsetenv("GREEN_TARGETS_DIR");
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("green-targets", root));
  }

  void TearDown() override {
    if (savedEnv)
      ::setenv("GREEN_TARGETS_DIR", savedEnv->c_str(), /*overwrite=*/1);
    else
      ::unsetenv("GREEN_TARGETS_DIR");
    llvm::sys::fs::remove_directories(root);
  }

  /// Creates `<root>/<dir>` and returns its path.
  std::string makeDir(StringRef dir) {
    llvm::SmallString<256> path(root);
    llvm::sys::path::append(path, dir);
    EXPECT_FALSE(llvm::sys::fs::create_directories(path));
    return path.str().str();
  }

  /// Writes the valid description named `name` (with `description`) to
  /// `<dir>/<fileStem>.json` and returns the file's path.
  std::string writeTarget(StringRef dir, StringRef fileStem, StringRef name,
                          StringRef description = "A test CPU") {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, fileStem + ".json");
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    EXPECT_FALSE(ec) << ec.message();
    os << editTarget([&](json::Object &target) {
      target["name"] = name;
      target["description"] = description;
    });
    return path.str().str();
  }

  llvm::SmallString<256> root;
  std::optional<std::string> savedEnv;
};

TEST_F(TargetFilesTest, LoadsFileByPath) {
  std::string dir = makeDir("a");
  std::string path = writeTarget(dir, "cpu-test", "cpu-test");
  llvm::Expected<TargetDescription> target = lookupTargetDescription(path);
  ASSERT_TRUE(static_cast<bool>(target)) << llvm::toString(target.takeError());
  EXPECT_EQ(target->name, "cpu-test");
  EXPECT_EQ(target->sourcePath, path);
}

TEST_F(TargetFilesTest, NameMustMatchFileStem) {
  std::string path = writeTarget(makeDir("a"), "cpu-zen4", "foo");
  EXPECT_EQ(errorOf(loadTargetDescriptionFile(path)),
            path + ": name: expected \"cpu-zen4\" (the file name), got "
                   "\"foo\"");
}

TEST_F(TargetFilesTest, UnreadableFileNamesPath) {
  std::string path = makeDir("a") + "/missing.json";
  std::string message = errorOf(loadTargetDescriptionFile(path));
  EXPECT_TRUE(StringRef(message).starts_with(
      path + ": cannot read target description: "))
      << message;
}

TEST_F(TargetFilesTest, UnknownTargetListsSearchedDirs) {
  std::string first = makeDir("first");
  std::string second = makeDir("second");
  std::string envDir = makeDir("env");
  ::setenv("GREEN_TARGETS_DIR", envDir.c_str(), /*overwrite=*/1);
  std::vector<std::string> search = getTargetSearchPath({first, second});
  ASSERT_EQ(search.size(), 4u);
  EXPECT_EQ(errorOf(lookupTargetDescription("foo", {first, second})),
            "unknown target 'foo': no foo.json in " + first + ", " + second +
                ", " + envDir + ", " + search.back());
}

TEST_F(TargetFilesTest, InvalidNameIsRejectedBeforeSearching) {
  std::string message = errorOf(lookupTargetDescription("../etc/passwd"));
  EXPECT_TRUE(StringRef(message).starts_with("invalid target name "
                                             "'../etc/passwd'"))
      << message;
}

TEST_F(TargetFilesTest, SearchPathOrder) {
  std::string extra = makeDir("extra");
  std::string env1 = makeDir("env1");
  std::string env2 = makeDir("env2");
  // Empty entries (leading, doubled and trailing ':') are skipped.
  std::string env = ":" + env1 + "::" + env2 + ":";
  ::setenv("GREEN_TARGETS_DIR", env.c_str(), /*overwrite=*/1);

  std::vector<std::string> search = getTargetSearchPath({extra});
  ASSERT_EQ(search.size(), 4u);
  EXPECT_EQ(search[0], extra);
  EXPECT_EQ(search[1], env1);
  EXPECT_EQ(search[2], env2);
  EXPECT_EQ(llvm::sys::path::filename(search[3]), "targets");

  // The first directory holding the file wins.
  writeTarget(env2, "cpu-test", "cpu-test", "from env2");
  writeTarget(env1, "cpu-test", "cpu-test", "from env1");
  llvm::Expected<TargetDescription> fromEnv =
      lookupTargetDescription("cpu-test", {extra});
  ASSERT_TRUE(static_cast<bool>(fromEnv))
      << llvm::toString(fromEnv.takeError());
  EXPECT_EQ(fromEnv->description, "from env1");

  writeTarget(extra, "cpu-test", "cpu-test", "from extra");
  llvm::Expected<TargetDescription> fromExtra =
      lookupTargetDescription("cpu-test", {extra});
  ASSERT_TRUE(static_cast<bool>(fromExtra))
      << llvm::toString(fromExtra.takeError());
  EXPECT_EQ(fromExtra->description, "from extra");
}

TEST_F(TargetFilesTest, HostResolvesToABundledCpuDescription) {
  // Which one depends on the machine running the test; both exist here.
  std::string dir = makeDir("targets");
  writeTarget(dir, "cpu-zen3", "cpu-zen3", "Zen 3");
  writeTarget(dir, "cpu-zen4", "cpu-zen4", "Zen 4");
  llvm::Expected<TargetDescription> host =
      lookupTargetDescription("host", {dir});
  ASSERT_TRUE(static_cast<bool>(host)) << llvm::toString(host.takeError());
  EXPECT_EQ(host->name, selectHostTargetName(getHostCPUFeatures()));
  EXPECT_TRUE(host->name == "cpu-zen3" || host->name == "cpu-zen4")
      << host->name;
  EXPECT_TRUE(StringRef(host->description)
                  .contains(" (resolved from 'host': detected "))
      << host->description;
}

//===----------------------------------------------------------------------===//
// Host selection
//===----------------------------------------------------------------------===//

TEST(HostTarget, SelectsZen4OnlyWithAvx512VnniAndBf16) {
  EXPECT_EQ(selectHostTargetName({"avx2", "fma", "avx512f", "avx512vnni",
                                  "avx512bf16", "avx512vl"}),
            "cpu-zen4");
  // Zen 3: AVX2 and FMA, no AVX-512.
  EXPECT_EQ(selectHostTargetName({"avx", "avx2", "fma", "sse4.2"}), "cpu-zen3");
  // AVX-512 without BF16 (e.g. Ice Lake) is not Zen 4.
  EXPECT_EQ(selectHostTargetName({"avx2", "fma", "avx512f", "avx512vnni"}),
            "cpu-zen3");
  EXPECT_EQ(selectHostTargetName({}), "cpu-zen3");
}

TEST(HostTarget, HostFeaturesAreSortedAndUnique) {
  std::vector<std::string> features = getHostCPUFeatures();
  EXPECT_TRUE(std::is_sorted(features.begin(), features.end()));
  EXPECT_EQ(std::adjacent_find(features.begin(), features.end()),
            features.end());
}

//===----------------------------------------------------------------------===//
// Scalar kinds
//===----------------------------------------------------------------------===//

TEST(ScalarKind, NamesRoundTrip) {
  for (unsigned i = 0; i < kNumScalarKinds; ++i) {
    auto kind = static_cast<ScalarKind>(i);
    EXPECT_EQ(symbolizeScalarKind(stringifyScalarKind(kind)), kind);
  }
  EXPECT_EQ(stringifyScalarKind(ScalarKind::BF16), "bf16");
  EXPECT_EQ(symbolizeScalarKind("f8"), std::nullopt);
  EXPECT_EQ(symbolizeScalarKind("unknown"), std::nullopt);
  EXPECT_EQ(stringifyOpClass(OpClass::Fma), "fma");
  EXPECT_EQ(stringifyOpClass(OpClass::Transcendental), "transcendental");
}

TEST(ScalarKind, BitWidths) {
  EXPECT_EQ(getScalarKindBitWidth(ScalarKind::F64), 64u);
  EXPECT_EQ(getScalarKindBitWidth(ScalarKind::BF16), 16u);
  EXPECT_EQ(getScalarKindBitWidth(ScalarKind::I8), 8u);
  EXPECT_EQ(getScalarKindBitWidth(ScalarKind::I4), 4u);
  EXPECT_EQ(getScalarKindBitWidth(ScalarKind::I1), 1u);
  EXPECT_EQ(getScalarKindBitWidth(ScalarKind::Unknown), 0u);
}

TEST(ScalarKind, ClassifiesMlirTypes) {
  MLIRContext context;
  Builder b(&context);
  auto intType = [&](unsigned width) {
    return getScalarKind(IntegerType::get(&context, width));
  };
  EXPECT_EQ(getScalarKind(b.getF64Type()), ScalarKind::F64);
  EXPECT_EQ(getScalarKind(b.getF32Type()), ScalarKind::F32);
  EXPECT_EQ(getScalarKind(b.getF16Type()), ScalarKind::F16);
  EXPECT_EQ(getScalarKind(b.getBF16Type()), ScalarKind::BF16);
  EXPECT_EQ(getScalarKind(b.getIndexType()), ScalarKind::I64);

  EXPECT_EQ(intType(1), ScalarKind::I1);
  EXPECT_EQ(intType(2), ScalarKind::I4);
  EXPECT_EQ(intType(3), ScalarKind::I4);
  EXPECT_EQ(intType(4), ScalarKind::I4);
  EXPECT_EQ(intType(5), ScalarKind::I8);
  EXPECT_EQ(intType(8), ScalarKind::I8);
  EXPECT_EQ(intType(12), ScalarKind::I16);
  EXPECT_EQ(intType(16), ScalarKind::I16);
  EXPECT_EQ(intType(24), ScalarKind::I32);
  EXPECT_EQ(intType(32), ScalarKind::I32);
  EXPECT_EQ(intType(48), ScalarKind::I64);
  EXPECT_EQ(intType(64), ScalarKind::I64);
  EXPECT_EQ(intType(128), ScalarKind::Unknown);
  EXPECT_EQ(getScalarKind(IntegerType::get(&context, 8, IntegerType::Unsigned)),
            ScalarKind::I8);

  EXPECT_EQ(getScalarKind(ComplexType::get(b.getF32Type())),
            ScalarKind::Unknown);
  EXPECT_EQ(getScalarKind(b.getTF32Type()), ScalarKind::Unknown);
  EXPECT_EQ(getScalarKind(Float8E4M3FNType::get(&context)),
            ScalarKind::Unknown);
  EXPECT_EQ(getScalarKind(VectorType::get({4}, b.getF32Type())),
            ScalarKind::Unknown);
}

} // namespace

//===- TargetDescription.h - hardware described as data ---------*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A target description is what the energy cost model knows about a piece of
// hardware: energy per operation per data type, energy and bandwidth per
// memory level, interconnects, static power, DVFS operating points and the
// environment (PUE, grid carbon intensity). Descriptions are JSON files under
// targets/ (schema: docs/targets.md), so new hardware is a data file, not
// code. CPU, GPU and the systolic target share this one structure.
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_TARGET_TARGETDESCRIPTION_H
#define GREEN_TARGET_TARGETDESCRIPTION_H

#include "mlir/IR/Types.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace mlir::green {

//===----------------------------------------------------------------------===//
// Scalar kinds and operation classes
//===----------------------------------------------------------------------===//

/// Element types the cost model distinguishes. `Unknown` is used for element
/// types the model has no entry for (complex, index-like opaque types): work
/// on them is reported, never silently costed as zero.
enum class ScalarKind : uint8_t {
  F64,
  F32,
  F16,
  BF16,
  I64,
  I32,
  I16,
  I8,
  I4,
  I1,
  Unknown,
};
constexpr unsigned kNumScalarKinds = static_cast<unsigned>(ScalarKind::Unknown);

/// Classes of arithmetic the model prices separately.
enum class OpClass : uint8_t {
  /// add, sub, compare, min/max, select, negate, abs, casts: one ALU op.
  Add,
  /// multiply.
  Mul,
  /// fused multiply-add / multiply-accumulate, as in contractions; counts as
  /// one operation (two flops).
  Fma,
  /// divide, remainder, square root, reciprocal.
  Div,
  /// exp, log, tanh, erf, sin, pow and the like.
  Transcendental,
};
constexpr unsigned kNumOpClasses = 5;

/// "f32", "bf16", "i8", ... (the keys used in target files and reports).
llvm::StringRef stringifyScalarKind(ScalarKind kind);
/// Inverse of stringifyScalarKind; std::nullopt for unknown names.
std::optional<ScalarKind> symbolizeScalarKind(llvm::StringRef name);
/// "add", "mul", "fma", "div", "transcendental".
llvm::StringRef stringifyOpClass(OpClass cls);
/// Size in bits of one element of `kind` (4 for I4, 1 for I1; 0 for Unknown).
unsigned getScalarKindBitWidth(ScalarKind kind);
/// Classifies an MLIR element type. Index maps to I64.
ScalarKind getScalarKind(Type type);

//===----------------------------------------------------------------------===//
// TargetDescription
//===----------------------------------------------------------------------===//

/// What kind of machine a description models.
enum class TargetKind : uint8_t { CPU, GPU, Systolic };

/// Per data type arithmetic figures. Energies are in picojoules per
/// operation at the nominal operating point; throughputs are in operations
/// per cycle per compute unit (a CPU core, a GPU SM, a systolic array).
struct ScalarCompute {
  double addPj = 0, mulPj = 0, fmaPj = 0, divPj = 0;
  /// Absent for types with no transcendental support (integers).
  std::optional<double> transcendentalPj;
  /// Vector-pipe operations (lanes) per cycle per unit.
  double lanesPerCycle = 0;
  /// Matrix-engine multiply-accumulates per cycle per unit (tensor cores,
  /// VNNI dot products, the systolic array); 0 when there is none.
  double matrixLanesPerCycle = 0;
};

/// One level of the memory hierarchy, closest first. The last level is main
/// memory (DRAM or HBM).
struct MemoryLevel {
  std::string name;
  /// Capacity in bytes: per unit if !shared, for the whole target if shared.
  double sizeBytes = 0;
  /// Sustained bandwidth of the whole target from this level, bytes/s.
  double bandwidthBytesPerSec = 0;
  /// Energy to read or write one byte at this level, pJ.
  double energyPjPerByte = 0;
  bool shared = false;
};

/// A link to other devices or machines (used by partitioning).
struct InterconnectLink {
  std::string name; // "pcie", "nvlink" or "network"
  double energyPjPerByte = 0;
  double bandwidthBytesPerSec = 0;
};

/// A DVFS operating point. Dynamic energy scales with V^2, time with 1/f.
struct OperatingPoint {
  double frequencyHz = 0;
  double voltageV = 0;
};

/// A complete, validated target description.
struct TargetDescription {
  std::string name;
  TargetKind kind = TargetKind::CPU;
  std::string description;
  /// Process node in nm (informational; per-op energies are already scaled).
  double processNm = 0;
  /// Compute units: cores (CPU), SMs (GPU), arrays (systolic).
  unsigned units = 0;
  /// SIMD width in bits (CPU); for GPUs and arrays, informational.
  unsigned vectorBits = 0;
  std::vector<std::string> features;
  /// Rows x columns of the systolic array (kind == Systolic only).
  unsigned arrayRows = 0, arrayCols = 0;

  /// Indexed by ScalarKind; std::nullopt where the file has no entry.
  std::array<std::optional<ScalarCompute>, kNumScalarKinds> compute;
  /// Throughput cost of slow operations in vector-lane operations.
  double divLaneCost = 1, transcendentalLaneCost = 1;

  std::vector<MemoryLevel> memory;
  std::vector<InterconnectLink> interconnect;

  double staticPowerW = 0, idlePowerW = 0, peakPowerW = 0;
  std::vector<OperatingPoint> operatingPoints;
  unsigned nominalPoint = 0;

  /// Fixed cost per op (dispatch, loop setup, kernel launch), seconds.
  double perOpOverheadSec = 0;
  /// Cost of starting a parallel region across units, seconds.
  double parallelRegionOverheadSec = 0;
  /// Dynamic energy of issuing one vector instruction beyond its arithmetic
  /// datapath (fetch, decode, scheduling, register-file ports, clocking), pJ
  /// at the nominal operating point. One instruction covers
  /// vector_bits / bitwidth lanes (more for matrix-engine contractions).
  double instructionPj = 0;

  double pue = 1;
  double gridGCo2PerKWh = 0;

  /// Where the description was loaded from (for diagnostics).
  std::string sourcePath;

  const OperatingPoint &getNominalPoint() const {
    return operatingPoints[nominalPoint];
  }
  /// Returns the entry for `kind`, or null when the file has none.
  const ScalarCompute *getCompute(ScalarKind kind) const {
    if (kind == ScalarKind::Unknown)
      return nullptr;
    const auto &entry = compute[static_cast<unsigned>(kind)];
    return entry ? &*entry : nullptr;
  }
  /// Main memory: the last level.
  const MemoryLevel &getMainMemory() const { return memory.back(); }
  bool hasFeature(llvm::StringRef feature) const;
};

//===----------------------------------------------------------------------===//
// Loading
//===----------------------------------------------------------------------===//

/// True for names a description may have: a letter, then letters, digits,
/// '.', '_' or '-' (so that a name is always a valid file stem).
bool isValidTargetName(llvm::StringRef name);

/// Parses and validates a target description. Errors name the file, the key
/// path (e.g. `compute.f32.fma_pj`) and what was expected: unknown keys,
/// missing fields, wrong types and non-positive values where a positive one
/// is needed are all errors.
llvm::Expected<TargetDescription> parseTargetDescription(llvm::StringRef json,
                                                         llvm::StringRef path);

/// Reads and parses the file at `path`.
llvm::Expected<TargetDescription> loadTargetDescriptionFile(llvm::StringRef path);

/// Directories searched for `<name>.json`, in order: `extraDirs`, then the
/// directories in $GREEN_TARGETS_DIR (':'-separated), then the source tree's
/// targets/ directory compiled into green-opt.
std::vector<std::string>
getTargetSearchPath(llvm::ArrayRef<std::string> extraDirs = {});

/// Features of the CPU running this process, as `/proc/cpuinfo`/LLVM name
/// them ("avx2", "fma", "avx512f", "avx512vnni", "avx512bf16", ...).
std::vector<std::string> getHostCPUFeatures();

/// The description name `host` resolves to for the given CPU features:
/// `cpu-zen4` when AVX-512 with VNNI and BF16 is present, else `cpu-zen3`.
std::string selectHostTargetName(llvm::ArrayRef<std::string> features);

/// Resolves `name` (a file stem, `host`, or a path ending in `.json`) and
/// loads it. For `host` the returned description keeps the file's name
/// (e.g. `cpu-zen4`) and records `host` resolution in `description`.
llvm::Expected<TargetDescription>
lookupTargetDescription(llvm::StringRef name,
                        llvm::ArrayRef<std::string> extraDirs = {});

} // namespace mlir::green

#endif // GREEN_TARGET_TARGETDESCRIPTION_H

//===- Runner.h - run, time and check an entry function ---------*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// What green-run does once it has an Executable: bind input arrays to
// descriptors, call the entry function, copy its results out (and free the
// buffers the callee allocated), time repeated calls, and set the measured
// time against the cost model's prediction for the same function. The
// results are collected in a RunReport, written as JSON (schema
// "green-run/1", docs/green-run.md) and as a green-calibration/1 point.
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_RUNTIME_RUNNER_H
#define GREEN_RUNTIME_RUNNER_H

#include "green/Analysis/EnergyCostAnalysis.h"
#include "green/Runtime/Executable.h"
#include "green/Runtime/MemRefDescriptor.h"
#include "green/Runtime/Npy.h"
#include "green/Runtime/Signature.h"

#include "llvm/Support/JSON.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::green {

//===----------------------------------------------------------------------===//
// Calling
//===----------------------------------------------------------------------===//

/// Wall-clock statistics of repeated calls, seconds.
struct Timing {
  unsigned warmup = 0;
  std::vector<double> samplesSec;
  double medianSec = 0, minSec = 0, maxSec = 0;
};

/// Calls one entry function on fixed inputs.
class EntryCall {
public:
  /// `inputs` must match `signature.args` (see checkArrayMatches) and outlive
  /// the EntryCall; the callee reads them through descriptors.
  EntryCall(const Executable &executable, const EntrySignature &signature,
            llvm::ArrayRef<NpyArray> inputs);

  /// Calls once and returns copies of the results.
  std::vector<NpyArray> run();

  /// Calls `warmup` times untimed, then `runs` times timed (only the call
  /// is inside the timed region; freeing results is not).
  Timing measure(unsigned warmup, unsigned runs);

private:
  void call();
  /// Frees the buffers the last call returned.
  void releaseResults();

  const Executable &executable;
  const EntrySignature &signature;
  MemRefDescriptorList args, results;
  llvm::SmallVector<void *> argPointers;
  llvm::SmallVector<const void *> inputBuffers;
};

//===----------------------------------------------------------------------===//
// Prediction
//===----------------------------------------------------------------------===//

/// The cost model's figures for one call of the entry function.
struct PredictedCost {
  std::string target;
  double latencySec = 0, energyJ = 0;
  int64_t flops = 0, bytes = 0;
  unsigned numOps = 0, numUnknown = 0;
  /// Sum of the costed ops' work, loop trip counts applied.
  OpWork work;
  std::vector<std::string> notes;
};

/// Analyses `module` (the input IR, before lowering) on `target` and returns
/// the figures of `entry`. Ops of functions `entry` calls are not counted
/// (noted).
llvm::Expected<PredictedCost>
predictEntryCost(ModuleOp module, llvm::StringRef entry,
                 const TargetDescription &target,
                 const EnergyCostOptions &options);

//===----------------------------------------------------------------------===//
// Report
//===----------------------------------------------------------------------===//

/// Where an input came from.
struct InputRecord {
  std::string type;
  /// The .npy path, or empty for random data.
  std::string file;
  std::optional<uint64_t> seed;
};

/// One result and its check.
struct OutputRecord {
  std::string type;
  std::string expectFile;
  std::optional<Comparison> comparison;
  std::string savedTo;
};

/// Everything one green-run invocation found.
struct RunReport {
  std::string inputFile, entry, mode, pipeline, library;
  double compileSec = 0;
  double rtol = 0, atol = 0;
  unsigned threads = 1;
  std::vector<InputRecord> inputs;
  std::vector<OutputRecord> outputs;
  Timing timing;
  std::optional<PredictedCost> predicted;

  /// (predicted - measured median) / measured median.
  std::optional<double> getPredictionError() const;
  /// "pass" (every expected output matched), "fail", or "unchecked".
  llvm::StringRef getStatus() const;
  /// Schema "green-run/1".
  llvm::json::Value toJSON() const;
  /// The human-readable summary green-run prints.
  void print(llvm::raw_ostream &os) const;
};

/// Writes a green-calibration/1 point for the whole entry function (its
/// summed work, measured median time and thread count) to `path`: a new file,
/// or one more point appended to an existing file. An existing file must be
/// green-calibration/1 for the same target.
llvm::Error writeCalibrationPoint(llvm::StringRef path,
                                  const RunReport &report);

} // namespace mlir::green

#endif // GREEN_RUNTIME_RUNNER_H

//===- green-calibrate.cpp - fit a target description to timings ----------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Reads measured run times (schema green-calibration/1), fits the target's
// compute efficiency, memory efficiency and per-op overhead so that the cost
// model's predicted latencies match, and writes a calibrated target file.
//
//   green-calibrate measurements.json --target cpu-zen4 -o cpu-zen4-cal.json
//
//===----------------------------------------------------------------------===//

#include "green/Analysis/Calibration.h"
#include "green/Target/TargetDescription.h"
#include "green/Target/TargetSerialization.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
using namespace mlir::green;
namespace cl = llvm::cl;

static cl::OptionCategory category("green-calibrate options");
static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<measurements.json>"),
                                      cl::cat(category));
static cl::opt<std::string>
    targetName("target",
               cl::desc("Target to calibrate: a name under targets/ or a "
                        ".json path (default: the file's \"target\", else "
                        "host)"),
               cl::cat(category));
static cl::list<std::string>
    targetDirs("target-dir", cl::desc("Extra directory to search for targets"),
               cl::cat(category));
static cl::opt<std::string>
    outputFile("o",
               cl::desc("Calibrated target file to write (its stem becomes "
                        "the target's name; default: print only)"),
               cl::value_desc("file"), cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "green-calibrate") << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "green-calibrate: fit a target description's latency coefficients "
      "(compute efficiency, memory efficiency, per-op overhead) to measured "
      "run times\n");

  auto buffer = llvm::MemoryBuffer::getFile(inputFile);
  if (!buffer)
    return fail("cannot read '" + inputFile +
                "': " + buffer.getError().message());
  llvm::Expected<std::vector<Measurement>> points =
      parseMeasurements((*buffer)->getBuffer(), inputFile);
  if (!points)
    return fail(llvm::toString(points.takeError()));

  std::string name = targetName;
  if (name.empty()) {
    // The measurements may say which target they were taken on.
    if (auto doc = llvm::json::parse((*buffer)->getBuffer()))
      if (auto *obj = doc->getAsObject())
        if (auto t = obj->getString("target"))
          name = t->str();
    if (name.empty())
      name = "host";
  }
  llvm::Expected<TargetDescription> target =
      lookupTargetDescription(name, targetDirs);
  if (!target)
    return fail(llvm::toString(target.takeError()));

  llvm::Expected<CalibrationResult> result =
      calibrateTarget(*target, *points);
  if (!result)
    return fail(llvm::toString(result.takeError()));

  llvm::outs() << llvm::formatv(
      "calibrated '{0}' from {1} measurements\n"
      "  compute efficiency  {2:F4}\n"
      "  memory efficiency   {3:F4}\n"
      "  per-op overhead     {4:e} s\n"
      "  rms log error       {5:F4} before, {6:F4} after\n"
      "  spearman (after)    {7:F4}\n",
      target->name, points->size(), result->computeEfficiency,
      result->memoryEfficiency, result->perOpOverheadSec,
      result->rmsLogErrorBefore, result->rmsLogErrorAfter,
      result->spearmanAfter);

  if (outputFile.empty())
    return 0;
  TargetDescription calibrated = result->calibrated;
  calibrated.name = llvm::sys::path::stem(outputFile).str();
  if (!isValidTargetName(calibrated.name))
    return fail("output file stem '" + calibrated.name +
                "' is not a valid target name");
  std::string notes = llvm::formatv(
      "Calibrated by green-calibrate from {0} measurements ({1}) on target "
      "'{2}': compute efficiency {3:F4}, memory efficiency {4:F4}, per-op "
      "overhead {5:e} s; rms log error {6:F4} -> {7:F4}.",
      points->size(), inputFile, target->name, result->computeEfficiency,
      result->memoryEfficiency, result->perOpOverheadSec,
      result->rmsLogErrorBefore, result->rmsLogErrorAfter);
  std::error_code ec;
  llvm::ToolOutputFile out(outputFile, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return fail("cannot write '" + outputFile + "': " + ec.message());
  out.os() << llvm::formatv("{0:2}", toJSON(calibrated, notes)) << "\n";
  out.keep();
  llvm::outs() << "wrote " << outputFile << "\n";
  return 0;
}

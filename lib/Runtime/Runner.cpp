//===- Runner.cpp - run, time and check an entry function -----------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Runtime/Runner.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>

using namespace mlir;
using namespace mlir::green;

//===----------------------------------------------------------------------===//
// EntryCall
//===----------------------------------------------------------------------===//

static llvm::SmallVector<unsigned> getRanks(llvm::ArrayRef<TensorSpec> specs) {
  llvm::SmallVector<unsigned> ranks;
  for (const TensorSpec &spec : specs)
    ranks.push_back(spec.getRank());
  return ranks;
}

EntryCall::EntryCall(const Executable &executable,
                     const EntrySignature &signature,
                     llvm::ArrayRef<NpyArray> inputs)
    : executable(executable), signature(signature),
      args(getRanks(signature.args)), results(getRanks(signature.results)) {
  assert(inputs.size() == signature.args.size() && "one input per argument");
  for (auto [i, input] : llvm::enumerate(inputs)) {
    // The callee only reads its arguments (green-run marks them
    // bufferization.writable = false), so the const_cast is never written
    // through.
    void *data = const_cast<char *>(input.data.data());
    args[i].setContiguous(data, input.shape);
    argPointers.push_back(args[i].getPointer());
    inputBuffers.push_back(data);
  }
}

void EntryCall::releaseResults() {
  // Results are buffers the callee malloc'd. Free each once, and never one
  // that is an input's (a callee may return an argument unchanged).
  llvm::SmallVector<void *> freed;
  for (unsigned i = 0; i < results.size(); ++i) {
    void *allocated = results[i].getAllocated();
    if (!allocated || llvm::is_contained(freed, allocated) ||
        llvm::is_contained(inputBuffers, allocated))
      continue;
    freed.push_back(allocated);
    std::free(allocated);
  }
}

void EntryCall::call() {
  executable.call(results.size() ? results.data() : nullptr, argPointers);
}

std::vector<NpyArray> EntryCall::run() {
  call();
  std::vector<NpyArray> copies;
  for (unsigned i = 0; i < results.size(); ++i)
    copies.push_back(results[i].copyOut(signature.results[i].dtype));
  releaseResults();
  return copies;
}

Timing EntryCall::measure(unsigned warmup, unsigned runs) {
  Timing t;
  t.warmup = warmup;
  for (unsigned i = 0; i < warmup; ++i) {
    call();
    releaseResults();
  }
  using Clock = std::chrono::steady_clock;
  for (unsigned i = 0; i < runs; ++i) {
    auto start = Clock::now();
    call();
    auto stop = Clock::now();
    releaseResults();
    t.samplesSec.push_back(
        std::chrono::duration<double>(stop - start).count());
  }
  if (t.samplesSec.empty())
    return t;
  std::vector<double> sorted = t.samplesSec;
  std::sort(sorted.begin(), sorted.end());
  size_t n = sorted.size();
  t.medianSec =
      n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  t.minSec = sorted.front();
  t.maxSec = sorted.back();
  return t;
}

//===----------------------------------------------------------------------===//
// Prediction
//===----------------------------------------------------------------------===//

llvm::Expected<PredictedCost>
mlir::green::predictEntryCost(ModuleOp module, llvm::StringRef entry,
                              const TargetDescription &target,
                              const EnergyCostOptions &options) {
  EnergyCostAnalysis analysis(module, target, options);
  const FunctionCost *fcost = nullptr;
  for (const FunctionCost &f : analysis.getFunctions())
    if (f.name == entry)
      fcost = &f;
  if (!fcost)
    return llvm::createStringError("the energy analysis found no function @" +
                                   entry);
  PredictedCost p;
  p.target = target.name;
  p.latencySec = fcost->total.latencySec;
  p.energyJ = fcost->total.energy.getTotalJ();
  p.flops = fcost->flops;
  p.bytes = fcost->bytes;
  p.numOps = fcost->numOps;
  p.numUnknown = fcost->numUnknown;
  for (const OpCostEntry &op : analysis.getOps()) {
    if (op.function != entry)
      continue;
    for (const OpCount &c : op.work.ops)
      p.work.add(c.kind, c.cls, c.count * op.multiplier, c.contraction);
    p.work.bytesRead += op.work.bytesRead * op.multiplier;
    p.work.bytesWritten += op.work.bytesWritten * op.multiplier;
    p.work.parameters += op.work.parameters;
  }
  for (const UnknownOpEntry &u : analysis.getUnknownOps())
    if (u.function == entry)
      p.notes.push_back(llvm::formatv("'{0}' at {1} is not counted: {2}",
                                      u.name, u.location, u.reason));
  bool callsOthers = false;
  if (auto func = module.lookupSymbol(entry))
    func->walk([&](Operation *op) {
      if (op->getName().getStringRef() == "func.call")
        callsOthers = true;
    });
  if (callsOthers)
    p.notes.push_back("@" + entry.str() +
                      " calls other functions: their ops are not counted");
  return p;
}

//===----------------------------------------------------------------------===//
// RunReport
//===----------------------------------------------------------------------===//

std::optional<double> RunReport::getPredictionError() const {
  if (!predicted || timing.medianSec <= 0)
    return std::nullopt;
  return (predicted->latencySec - timing.medianSec) / timing.medianSec;
}

llvm::StringRef RunReport::getStatus() const {
  bool checked = false;
  for (const OutputRecord &o : outputs) {
    if (!o.comparison)
      continue;
    checked = true;
    if (!o.comparison->passed())
      return "fail";
  }
  return checked ? "pass" : "unchecked";
}

static llvm::json::Value workToJSON(const OpWork &work) {
  llvm::json::Array ops;
  for (const OpCount &c : work.ops)
    ops.push_back(llvm::json::Object{
        {"kind", stringifyScalarKind(c.kind)},
        {"class", stringifyOpClass(c.cls)},
        {"count", c.count},
        {"contraction", c.contraction},
    });
  return llvm::json::Object{{"ops", std::move(ops)},
                            {"bytes_read", work.bytesRead},
                            {"bytes_written", work.bytesWritten}};
}

/// JSON has no infinity or NaN: write null for them.
static llvm::json::Value number(double v) {
  if (!std::isfinite(v))
    return nullptr;
  return v;
}

llvm::json::Value RunReport::toJSON() const {
  llvm::json::Array inputsJson;
  for (auto [i, in] : llvm::enumerate(inputs)) {
    llvm::json::Object o{{"index", static_cast<int64_t>(i)},
                         {"type", in.type}};
    if (in.file.empty()) {
      o["source"] = "random";
      o["seed"] = static_cast<int64_t>(in.seed.value_or(0));
    } else {
      o["source"] = "file";
      o["file"] = in.file;
    }
    inputsJson.push_back(std::move(o));
  }
  llvm::json::Array outputsJson;
  for (auto [i, out] : llvm::enumerate(outputs)) {
    llvm::json::Object o{{"index", static_cast<int64_t>(i)},
                         {"type", out.type}};
    if (!out.savedTo.empty())
      o["saved_to"] = out.savedTo;
    if (out.comparison) {
      const Comparison &c = *out.comparison;
      o["expect"] = out.expectFile;
      o["pass"] = c.passed();
      o["elements"] = c.numElements;
      o["mismatches"] = c.numMismatches;
      o["max_abs_error"] = number(c.maxAbsError);
      o["max_rel_error"] = number(c.maxRelError);
    }
    outputsJson.push_back(std::move(o));
  }
  llvm::json::Object timingJson{
      {"warmup", static_cast<int64_t>(timing.warmup)},
      {"runs", static_cast<int64_t>(timing.samplesSec.size())},
      {"median_s", timing.medianSec},
      {"min_s", timing.minSec},
      {"max_s", timing.maxSec},
      {"samples_s", llvm::json::Array(timing.samplesSec)},
  };
  llvm::json::Object root{
      {"schema", "green-run/1"},
      {"input", inputFile},
      {"entry", entry},
      {"mode", mode},
      {"compile_s", compileSec},
      {"threads", static_cast<int64_t>(threads)},
      {"rtol", rtol},
      {"atol", atol},
      {"inputs", std::move(inputsJson)},
      {"outputs", std::move(outputsJson)},
      {"timing", std::move(timingJson)},
      {"status", getStatus()},
  };
  if (!pipeline.empty())
    root["pipeline"] = pipeline;
  if (!library.empty())
    root["library"] = library;
  if (predicted) {
    llvm::json::Array notes;
    for (const std::string &n : predicted->notes)
      notes.push_back(n);
    root["predicted"] = llvm::json::Object{
        {"target", predicted->target},
        {"latency_s", predicted->latencySec},
        {"energy_j", predicted->energyJ},
        {"flops", predicted->flops},
        {"bytes", predicted->bytes},
        {"ops", static_cast<int64_t>(predicted->numOps)},
        {"unknown_ops", static_cast<int64_t>(predicted->numUnknown)},
        {"work", workToJSON(predicted->work)},
        {"notes", std::move(notes)},
    };
  }
  if (std::optional<double> e = getPredictionError())
    root["prediction_error"] = *e;
  else
    root["prediction_error"] = nullptr;
  return root;
}

void RunReport::print(llvm::raw_ostream &os) const {
  os << "@" << entry << " from " << inputFile << " ("
     << (library.empty() ? "jit" : "library " + library) << ")\n";
  for (auto [i, in] : llvm::enumerate(inputs)) {
    os << llvm::formatv("  input {0}   {1} ", i, in.type);
    if (in.file.empty())
      os << "random (seed " << in.seed.value_or(0) << ")\n";
    else
      os << "from " << in.file << "\n";
  }
  for (auto [i, out] : llvm::enumerate(outputs)) {
    os << llvm::formatv("  output {0}  {1}", i, out.type);
    if (out.comparison) {
      const Comparison &c = *out.comparison;
      os << llvm::formatv(" vs {0}: {1} (max abs error {2:e}, max rel error "
                          "{3:e}, {4} of {5} elements differ)",
                          out.expectFile, c.passed() ? "PASS" : "FAIL",
                          c.maxAbsError, c.maxRelError, c.numMismatches,
                          c.numElements);
      if (c.firstMismatch)
        os << llvm::formatv("; first at flat index {0}: got {1:e}, expected "
                            "{2:e}",
                            *c.firstMismatch, c.firstActual, c.firstExpected);
    }
    if (!out.savedTo.empty())
      os << " saved to " << out.savedTo;
    os << "\n";
  }
  if (library.empty())
    os << llvm::formatv("  compile     {0:F3} s\n", compileSec);
  os << llvm::formatv("  measured    median {0:e} s, min {1:e} s, max {2:e} s "
                      "({3} runs after {4} warm-up)\n",
                      timing.medianSec, timing.minSec, timing.maxSec,
                      timing.samplesSec.size(), timing.warmup);
  if (predicted) {
    std::string threadText =
        threads == 0 ? std::string("1 or all threads per op, as the model "
                                   "chooses")
                     : llvm::formatv("{0} thread{1}", threads,
                                     threads == 1 ? "" : "s")
                           .str();
    os << llvm::formatv("  predicted   latency {0:e} s, energy {1:e} J "
                        "(target {2}, {3}, {4} ops",
                        predicted->latencySec, predicted->energyJ,
                        predicted->target, threadText, predicted->numOps);
    if (predicted->numUnknown)
      os << ", " << predicted->numUnknown << " not costed";
    os << ")\n";
    for (const std::string &n : predicted->notes)
      os << "    note: " << n << "\n";
  }
  if (std::optional<double> e = getPredictionError())
    os << llvm::formatv("  prediction error {0:+F1}% ((predicted - measured) "
                        "/ measured)\n",
                        *e * 100);
  os << "status: " << getStatus() << "\n";
}

//===----------------------------------------------------------------------===//
// Calibration point
//===----------------------------------------------------------------------===//

llvm::Error mlir::green::writeCalibrationPoint(llvm::StringRef path,
                                               const RunReport &report) {
  if (!report.predicted)
    return llvm::createStringError("no prediction to take the work from");
  if (report.timing.medianSec <= 0)
    return llvm::createStringError("no measured time (use --runs 1 or more)");

  llvm::json::Object root{{"schema", "green-calibration/1"},
                          {"target", report.predicted->target},
                          {"points", llvm::json::Array()}};
  if (llvm::sys::fs::exists(path)) {
    auto buffer = llvm::MemoryBuffer::getFile(path);
    if (!buffer)
      return llvm::createStringError("cannot read '" + path +
                                     "': " + buffer.getError().message());
    llvm::Expected<llvm::json::Value> doc =
        llvm::json::parse((*buffer)->getBuffer());
    if (!doc)
      return llvm::createStringError("'" + path + "' is not valid JSON: " +
                                     llvm::toString(doc.takeError()));
    llvm::json::Object *obj = doc->getAsObject();
    if (!obj || obj->getString("schema") != "green-calibration/1" ||
        !obj->getArray("points"))
      return llvm::createStringError(
          "'" + path + "' is not a green-calibration/1 file (with a "
                       "\"points\" array): not appending to it");
    if (auto t = obj->getString("target"); t && *t != report.predicted->target)
      return llvm::createStringError(
          "'" + path + "' holds measurements for target '" + *t +
          "', not '" + report.predicted->target + "'");
    root = std::move(*obj);
    root["target"] = report.predicted->target;
  }
  std::string name = report.entry;
  if (!report.inputFile.empty())
    name = report.inputFile + "@" + report.entry;
  root.getArray("points")->push_back(llvm::json::Object{
      {"name", name},
      {"measured_s", report.timing.medianSec},
      {"threads", static_cast<int64_t>(report.threads)},
      {"work", workToJSON(report.predicted->work)},
  });

  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return llvm::createStringError("cannot write '" + path +
                                   "': " + ec.message());
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
  return llvm::Error::success();
}

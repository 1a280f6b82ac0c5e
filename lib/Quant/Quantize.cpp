//===- Quantize.cpp - the --green-quantize pass ---------------------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Driver: find layers, calibrate activations by running the model, pick a
// precision per layer (fixed, or mixed: least estimated energy within a
// measured error budget), record the choice with quant types and fold it
// into integer contractions. The rewrites live in QuantizedLayers.cpp.
//
//===----------------------------------------------------------------------===//

#include "green/Quant/Passes.h"

#include "ModelRunner.h"

#include "green/Analysis/EnergyCostAnalysis.h"
#include "green/Dialect/Green/IR/GreenAttrs.h"
#include "green/Runtime/Signature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace mlir::green {
#define GEN_PASS_DEF_QUANTIZEPASS
#include "green/Quant/Passes.h.inc"
} // namespace mlir::green

using namespace mlir;
using namespace mlir::green;

namespace {

/// The ScalarKind a layer precision computes (or stores weights) in, which
/// the target must price.
ScalarKind getPrecisionKind(LayerPrecision p) {
  switch (p) {
  case LayerPrecision::F32:
    return ScalarKind::F32;
  case LayerPrecision::Int8:
  case LayerPrecision::Int8WeightOnly:
    return ScalarKind::I8;
  case LayerPrecision::Int4WeightOnly:
    return ScalarKind::I4;
  case LayerPrecision::F16:
    return ScalarKind::F16;
  case LayerPrecision::BF16:
    return ScalarKind::BF16;
  }
  return ScalarKind::F32;
}

/// Whether `target` can run layers at `p`. Every description prices all
/// kinds, so support is about instructions: a CPU needs F16C (or AVX512-FP16)
/// for f16 and a bf16 extension for bf16, otherwise those would be emulated
/// in f32 at a higher cost than f32 itself. Accelerators (GPU, systolic)
/// compute in both. Returns the reason when not supported.
std::optional<std::string> getUnsupportedReason(const TargetDescription &target,
                                                LayerPrecision p) {
  if (!target.getCompute(getPrecisionKind(p)))
    return "no '" + stringifyScalarKind(getPrecisionKind(p)).str() +
           "' entry in its compute table";
  if (target.kind != TargetKind::CPU)
    return std::nullopt;
  if (p == LayerPrecision::F16 && !target.hasFeature("f16c") &&
      !target.hasFeature("avx512fp16"))
    return std::string("a CPU without the 'f16c' or 'avx512fp16' feature");
  if (p == LayerPrecision::BF16 && !target.hasFeature("avx512bf16") &&
      !target.hasFeature("avxneconvert") && !target.hasFeature("amx-bf16"))
    return std::string("a CPU without a bf16 feature ('avx512bf16', "
                       "'avxneconvert' or 'amx-bf16')");
  return std::nullopt;
}

/// Estimated energy of one call of `module` on `target`. The cost model
/// charges a contraction's multiply-accumulates to the accumulator type
/// (i32 for i8 x i8 -> i32); a quantized contraction runs them as narrow
/// dot products (vpdpbusd, vpmaddubsw + vpmaddwd, f16/bf16 dot products), so
/// its MACs are re-priced at the input precision through the cost model's
/// what-if (Schedule::precision).
double estimateEnergy(ModuleOp module, const TargetDescription &target) {
  EnergyCostAnalysis analysis(module, target);
  double total = analysis.getTotal().energy.getTotalJ();
  for (const OpCostEntry &e : analysis.getOps()) {
    if (!getContractionInfo(e.op))
      continue;
    Type in = getElementTypeOrSelf(e.op->getOperand(0).getType());
    Type acc = getElementTypeOrSelf(e.op->getOperand(2).getType());
    if (!in.isIntOrFloat() || !acc.isIntOrFloat() ||
        in.getIntOrFloatBitWidth() >= acc.getIntOrFloatBitWidth())
      continue;
    Schedule narrow;
    narrow.precision = getScalarKind(in);
    CostEstimate est = estimateCost(e.work, target, narrow);
    total += est.energy.getTotalJ() * double(e.multiplier) -
             e.estimate.energy.getTotalJ();
  }
  return total;
}

std::string formatNum(double v) {
  char buf[32];
  snprintf(buf, sizeof(buf), "%.4g", v);
  return buf;
}

/// One option evaluated for one layer.
struct LayerOption {
  LayerPrecision precision = LayerPrecision::F32;
  /// Estimated energy of the layer at this precision (J per inference).
  double energyJ = 0;
  /// Measured output error with only this layer changed (if measured).
  std::optional<double> error;
  /// "chosen", "rejected: <why>".
  std::string status;
};

struct Layer {
  Operation *op = nullptr;
  std::string name;
  std::optional<QuantParams> activation;
  LayerPrecision chosen = LayerPrecision::F32;
  std::vector<LayerOption> options;
};

struct QuantizePass : public green::impl::QuantizePassBase<QuantizePass> {
  using QuantizePassBase::QuantizePassBase;
  void runOnOperation() override;

private:
  LogicalResult checkOptions(ModuleOp module);
  FailureOr<func::FuncOp> findEntry(ModuleOp module);
  FailureOr<std::vector<Sample>>
  loadSamples(ModuleOp module, func::FuncOp entryFunc, bool required);
  /// Clone of `module` with `config` applied (layer index -> precision).
  FailureOr<OwningOpRef<ModuleOp>>
  applyConfig(ModuleOp module, llvm::ArrayRef<Layer> layers,
              llvm::ArrayRef<LayerPrecision> config, bool fold);
  LogicalResult writeReport(ModuleOp module, llvm::ArrayRef<Layer> layers,
                            const TargetDescription &desc,
                            std::optional<double> finalError, double energyFp32,
                            double energyFinal);
};

} // namespace

LogicalResult QuantizePass::checkOptions(ModuleOp module) {
  if (!(percentile > 0 && percentile <= 100))
    return module.emitError() << "green-quantize: percentile must be in (0, "
                                 "100], got "
                              << formatNum(percentile);
  if (calibrationSamples == 0)
    return module.emitError()
           << "green-quantize: calibration-samples must be positive";
  if (errorBudget != -1) {
    if (errorMetric == ErrorMetric::Cosine &&
        !(errorBudget > 0 && errorBudget <= 1))
      return module.emitError() << "green-quantize: error-budget for "
                                   "error-metric=cosine must be in (0, 1], "
                                   "got "
                                << formatNum(errorBudget);
    if (errorMetric == ErrorMetric::MaxRelError && !(errorBudget > 0))
      return module.emitError() << "green-quantize: error-budget for "
                                   "error-metric=max-rel-error must be "
                                   "positive, got "
                                << formatNum(errorBudget);
  }
  if (scheme == QuantScheme::Mixed && !measure)
    return module.emitError() << "green-quantize: scheme=mixed measures "
                                 "errors by running the model; it cannot be "
                                 "used with measure=false";
  return success();
}

FailureOr<func::FuncOp> QuantizePass::findEntry(ModuleOp module) {
  if (!entry.empty()) {
    auto f = module.lookupSymbol<func::FuncOp>(entry);
    if (!f || f.isExternal())
      return module.emitError()
             << "green-quantize: entry function @" << entry << " not found";
    return f;
  }
  func::FuncOp found;
  for (auto f : module.getOps<func::FuncOp>()) {
    if (f.isExternal() || f.isPrivate())
      continue;
    if (found)
      return module.emitError() << "green-quantize: several public functions "
                                   "(@"
                                << found.getName() << ", @" << f.getName()
                                << "): choose one with entry=";
    found = f;
  }
  if (!found)
    return module.emitError()
           << "green-quantize: no public function with a body";
  return found;
}

/// Paths of the .npy files named by `entries` (files, or directories whose
/// .npy files are taken in name order).
static llvm::Expected<std::vector<std::string>>
expandCalibrationPaths(llvm::ArrayRef<std::string> entries) {
  std::vector<std::string> files;
  for (const std::string &e : entries) {
    if (llvm::sys::fs::is_directory(e)) {
      std::vector<std::string> inDir;
      std::error_code ec;
      for (llvm::sys::fs::directory_iterator it(e, ec), end; it != end && !ec;
           it.increment(ec))
        if (llvm::StringRef(it->path()).ends_with(".npy"))
          inDir.push_back(it->path());
      if (ec)
        return llvm::createStringError("calibration-data '" + e +
                                       "': " + ec.message());
      if (inDir.empty())
        return llvm::createStringError("calibration-data '" + e +
                                       "': no .npy files in this directory");
      llvm::sort(inDir);
      llvm::append_range(files, inDir);
    } else if (llvm::sys::fs::exists(e)) {
      files.push_back(e);
    } else {
      return llvm::createStringError("calibration-data '" + e +
                                     "': no such file or directory");
    }
  }
  return files;
}

FailureOr<std::vector<Sample>> QuantizePass::loadSamples(ModuleOp module,
                                                         func::FuncOp entryFunc,
                                                         bool required) {
  llvm::Expected<EntrySignature> sig =
      getEntrySignature(module, entryFunc.getName());
  if (!sig) {
    return entryFunc.emitError()
           << "green-quantize: " << llvm::toString(sig.takeError());
  }
  std::vector<Sample> samples;
  unsigned numArgs = sig->args.size();
  if (!calibrationData.empty()) {
    llvm::Expected<std::vector<std::string>> files =
        expandCalibrationPaths(calibrationData);
    if (!files)
      return entryFunc.emitError()
             << "green-quantize: " << llvm::toString(files.takeError());
    if (numArgs == 0 || files->size() % numArgs != 0)
      return entryFunc.emitError()
             << "green-quantize: " << files->size()
             << " calibration files for an entry with " << numArgs
             << " arguments: give one file per argument per sample, in "
                "argument order";
    for (size_t i = 0; i < files->size(); i += numArgs) {
      Sample s;
      for (unsigned a = 0; a < numArgs; ++a) {
        const std::string &path = (*files)[i + a];
        llvm::Expected<NpyArray> arr = readNpyFile(path);
        if (!arr)
          return entryFunc.emitError()
                 << "green-quantize: cannot read calibration file '" << path
                 << "': " << llvm::toString(arr.takeError());
        if (llvm::Error e = checkArrayMatches(*arr, sig->args[a],
                                              "argument #" + llvm::Twine(a) +
                                                  " of @" + entryFunc.getName(),
                                              path))
          return entryFunc.emitError()
                 << "green-quantize: calibration data does not match the "
                    "entry function: "
                 << llvm::toString(std::move(e));
        s.push_back(std::move(*arr));
      }
      samples.push_back(std::move(s));
    }
    return samples;
  }
  if (!required)
    return samples;
  for (auto [i, spec] : llvm::enumerate(sig->args))
    if (!spec.type.hasStaticShape() || !isNpyFloat(spec.dtype))
      return entryFunc.emitError()
             << "green-quantize: no calibration data, and argument #" << i
             << " of @" << entryFunc.getName() << " (" << spec.str()
             << ") cannot be filled with random values; pass "
                "calibration-data=<.npy files or directory>";
  emitWarning(entryFunc.getLoc())
      << "green-quantize: no calibration-data given; calibrating on "
      << static_cast<unsigned>(calibrationSamples)
      << " seeded random inputs (seed " << static_cast<uint64_t>(seed)
      << "): activation ranges of real inputs may differ";
  for (unsigned n = 0; n < calibrationSamples; ++n) {
    Sample s;
    for (auto [i, spec] : llvm::enumerate(sig->args))
      s.push_back(makeRandomArray(spec, seed * 1000003 + n * 131 + i));
    samples.push_back(std::move(s));
  }
  return samples;
}

FailureOr<OwningOpRef<ModuleOp>>
QuantizePass::applyConfig(ModuleOp module, llvm::ArrayRef<Layer> layers,
                          llvm::ArrayRef<LayerPrecision> config, bool fold) {
  IRMapping mapping;
  OwningOpRef<ModuleOp> clone = cast<ModuleOp>(module->clone(mapping));
  WeightQuantOptions wopts;
  wopts.perChannel = perChannel;
  for (auto [layer, precision] : llvm::zip(layers, config)) {
    Operation *op = mapping.lookup(layer.op);
    const QuantParams *act = layer.activation ? &*layer.activation : nullptr;
    if (failed(annotateLayer(op, precision, wopts, act)))
      return layer.op->emitError()
             << "green-quantize: cannot quantize layer '" << layer.name
             << "' to " << getLayerPrecisionName(precision);
  }
  if (fold && failed(foldQuantizedContractions(*clone)))
    return failure();
  return clone;
}

/// Flattens results of all samples to doubles (for error metrics).
static std::vector<double>
flatten(const std::vector<std::vector<NpyArray>> &results, size_t count) {
  std::vector<double> out;
  for (const auto &r : results)
    for (size_t i = 0; i < count && i < r.size(); ++i)
      for (int64_t e = 0, n = r[i].getNumElements(); e < n; ++e)
        out.push_back(r[i].getAsDouble(e));
  return out;
}

static std::string layerName(Operation *op, unsigned index) {
  std::string loc = formatLocation(op->getLoc());
  return "#" + std::to_string(index) + " " +
         op->getName().getStringRef().str() + (loc.empty() ? "" : " at " + loc);
}

void QuantizePass::runOnOperation() {
  ModuleOp module = getOperation();
  if (failed(checkOptions(module)))
    return signalPassFailure();
  FailureOr<func::FuncOp> entryFunc = findEntry(module);
  if (failed(entryFunc))
    return signalPassFailure();
  llvm::Expected<TargetDescription> desc =
      lookupTargetFor(module, target, targetDirs);
  if (!desc) {
    module.emitError() << "green-quantize: "
                       << llvm::toString(desc.takeError());
    return signalPassFailure();
  }
  double budget = errorBudget;
  if (budget == -1)
    budget = errorMetric == ErrorMetric::SQNR     ? 30.0
             : errorMetric == ErrorMetric::Cosine ? 0.999
                                                  : 0.05;

  // Precisions to consider, and whether the target supports them.
  std::vector<LayerPrecision> candidates;
  if (scheme == QuantScheme::Mixed) {
    candidates = {LayerPrecision::Int8, LayerPrecision::Int8WeightOnly,
                  LayerPrecision::Int4WeightOnly, LayerPrecision::F16,
                  LayerPrecision::BF16};
  } else {
    LayerPrecision p = getSchemePrecision(scheme);
    if (std::optional<std::string> why = getUnsupportedReason(*desc, p)) {
      module.emitError() << "green-quantize: target '" << desc->name
                         << "' does not support " << getLayerPrecisionName(p)
                         << " (" << *why
                         << (desc->sourcePath.empty() ? std::string()
                                                      : "; " + desc->sourcePath)
                         << ")";
      return signalPassFailure();
    }
    candidates = {p};
  }

  std::vector<Layer> layers;
  entryFunc->walk([&](Operation *op) {
    if (isQuantizableLayer(op)) {
      Layer l;
      l.op = op;
      l.name = layerName(op, layers.size());
      layers.push_back(std::move(l));
    }
  });
  numLayers = layers.size();
  if (layers.empty()) {
    emitRemark(entryFunc->getLoc())
        << "green-quantize: no layer to quantize (contractions on static f32 "
           "tensors with a constant weight)";
    // An empty report still says so to tools that asked for one.
    if (!report.empty() && failed(writeReport(module, layers, *desc,
                                              std::nullopt, 0.0, 0.0)))
      return signalPassFailure();
    return;
  }

  bool needsInt8 = llvm::is_contained(candidates, LayerPrecision::Int8);
  bool needsRun = measure && (needsInt8 || scheme == QuantScheme::Mixed);
  if (needsInt8 && !measure) {
    module.emitError() << "green-quantize: scheme=int8 calibrates activation "
                          "ranges by running the model; it cannot be used "
                          "with measure=false";
    return signalPassFailure();
  }
  FailureOr<std::vector<Sample>> samples =
      loadSamples(module, *entryFunc, needsRun);
  if (failed(samples))
    return signalPassFailure();
  StringRef entryName = entryFunc->getName();
  size_t numResults = entryFunc->getNumResults();

  // 1. Reference run, with each layer's activation as an extra result.
  std::vector<double> reference;
  if (needsRun) {
    IRMapping mapping;
    OwningOpRef<ModuleOp> clone = cast<ModuleOp>(module->clone(mapping));
    auto f = cast<func::FuncOp>(mapping.lookup(entryFunc->getOperation()));
    Operation *ret = f.getBody().back().getTerminator();
    SmallVector<Value> results(ret->getOperands());
    for (Layer &l : layers)
      results.push_back(mapping.lookup(l.op)->getOperand(0));
    ret->setOperands(results);
    SmallVector<Type> types;
    for (Value v : results)
      types.push_back(v.getType());
    f.setFunctionType(
        FunctionType::get(&getContext(), f.getArgumentTypes(), types));
    // Result attributes (an importer's onnx.name) would no longer match the
    // number of results; the calibration run does not need them.
    f.removeResAttrsAttr();
    auto run = runModel(*clone, entryName, *samples);
    if (!run) {
      module.emitError() << "green-quantize: calibration run failed: "
                         << llvm::toString(run.takeError());
      return signalPassFailure();
    }
    reference = flatten(*run, numResults);
    CalibrationOptions copts;
    copts.method = method;
    copts.percentile = percentile;
    QuantSpec aspec;
    aspec.symmetric = symmetric;
    for (auto [i, l] : llvm::enumerate(layers)) {
      std::vector<float> values;
      for (const auto &r : *run) {
        const NpyArray &a = r[numResults + i];
        const float *p = reinterpret_cast<const float *>(a.data.data());
        values.insert(values.end(), p, p + a.getNumElements());
      }
      l.activation = calibrateTensor(values, aspec, copts);
    }
  }

  // 2. Energy per (layer, precision): the model's estimated energy with only
  // that layer changed, relative to fp32, added to the layer's fp32 energy.
  auto totalEnergy = [&](ModuleOp m) { return estimateEnergy(m, *desc); };
  std::vector<LayerPrecision> fp32(layers.size(), LayerPrecision::F32);
  double energyFp32 = totalEnergy(module);
  std::vector<double> layerFp32(layers.size(), 0);
  {
    EnergyCostAnalysis analysis(module, *desc);
    for (const OpCostEntry &e : analysis.getOps())
      for (auto [i, l] : llvm::enumerate(layers))
        if (e.op == l.op)
          layerFp32[i] = e.estimate.energy.getTotalJ();
  }
  auto measureConfig =
      [&](llvm::ArrayRef<LayerPrecision> config) -> FailureOr<double> {
    FailureOr<OwningOpRef<ModuleOp>> m =
        applyConfig(module, layers, config, /*fold=*/true);
    if (failed(m))
      return failure();
    auto run = runModel(**m, entryName, *samples);
    if (!run) {
      module.emitError() << "green-quantize: measurement run failed: "
                         << llvm::toString(run.takeError());
      return failure();
    }
    return measureError(errorMetric, reference, flatten(*run, numResults));
  };

  for (auto [i, l] : llvm::enumerate(layers)) {
    LayerOption base;
    base.precision = LayerPrecision::F32;
    base.energyJ = layerFp32[i];
    if (needsRun)
      base.error = measureError(errorMetric, reference, reference);
    l.options.push_back(base);
    for (LayerPrecision p : candidates) {
      LayerOption o;
      o.precision = p;
      if (std::optional<std::string> why = getUnsupportedReason(*desc, p)) {
        o.status = "rejected: not supported by the target (" + *why + ")";
        l.options.push_back(o);
        continue;
      }
      std::vector<LayerPrecision> config = fp32;
      config[i] = p;
      FailureOr<OwningOpRef<ModuleOp>> m =
          applyConfig(module, layers, config, /*fold=*/true);
      if (failed(m))
        return signalPassFailure();
      o.energyJ = layerFp32[i] + (totalEnergy(**m) - energyFp32);
      if (needsRun) {
        FailureOr<double> err = measureConfig(config);
        if (failed(err))
          return signalPassFailure();
        o.error = *err;
      }
      l.options.push_back(o);
    }
  }

  // 3. Choose.
  std::vector<LayerPrecision> config = fp32;
  std::optional<double> finalError;
  if (scheme != QuantScheme::Mixed) {
    for (auto [i, l] : llvm::enumerate(layers)) {
      config[i] = candidates[0];
      l.options[0].status =
          "rejected: scheme=" + getLayerPrecisionName(candidates[0]).str();
      l.options[1].status = "chosen";
    }
    if (needsRun) {
      FailureOr<double> err = measureConfig(config);
      if (failed(err))
        return signalPassFailure();
      finalError = *err;
    }
  } else {
    // Greedy: candidates by joules saved per unit of measured loss.
    struct Cand {
      unsigned layer, option;
      double saved, ratio;
    };
    std::vector<Cand> cands;
    for (auto [i, l] : llvm::enumerate(layers))
      for (unsigned k = 1; k < l.options.size(); ++k) {
        const LayerOption &o = l.options[k];
        if (!o.status.empty())
          continue;
        double saved = layerFp32[i] - o.energyJ;
        if (saved <= 0) {
          l.options[k].status = "rejected: saves no energy";
          continue;
        }
        double loss = getErrorLoss(errorMetric, *o.error);
        cands.push_back({unsigned(i), k, saved, saved / std::max(loss, 1e-12)});
      }
    llvm::stable_sort(
        cands, [](const Cand &a, const Cand &b) { return a.ratio > b.ratio; });
    std::vector<double> savedNow(layers.size(), 0);
    std::vector<unsigned> chosenOpt(layers.size(), 0);
    finalError = measureError(errorMetric, reference, reference);
    for (const Cand &c : cands) {
      LayerOption &o = layers[c.layer].options[c.option];
      if (c.saved <= savedNow[c.layer]) {
        o.status = "rejected: " +
                   getLayerPrecisionName(
                       layers[c.layer].options[chosenOpt[c.layer]].precision)
                       .str() +
                   " saves more";
        continue;
      }
      if (!isWithinBudget(errorMetric, *o.error, budget)) {
        o.status =
            "rejected: alone exceeds the budget (" + formatNum(*o.error) + ")";
        continue;
      }
      std::vector<LayerPrecision> trial = config;
      trial[c.layer] = o.precision;
      FailureOr<double> err = measureConfig(trial);
      if (failed(err))
        return signalPassFailure();
      if (!isWithinBudget(errorMetric, *err, budget)) {
        o.status = "rejected: model error " + formatNum(*err) +
                   " with it exceeds the budget";
        continue;
      }
      if (chosenOpt[c.layer] != 0)
        layers[c.layer].options[chosenOpt[c.layer]].status =
            "rejected: replaced by " + getLayerPrecisionName(o.precision).str();
      config = trial;
      savedNow[c.layer] = c.saved;
      chosenOpt[c.layer] = c.option;
      finalError = *err;
    }
    for (auto [i, l] : llvm::enumerate(layers)) {
      for (auto [k, o] : llvm::enumerate(l.options))
        if (k == chosenOpt[i])
          o.status = "chosen";
        else if (o.status.empty())
          o.status = k == 0 ? "rejected: a cheaper option fits the budget"
                            : "rejected: not reached";
    }
  }

  // 4. Rewrite the module itself.
  WeightQuantOptions wopts;
  wopts.perChannel = perChannel;
  for (auto [i, l] : llvm::enumerate(layers)) {
    l.chosen = config[i];
    switch (config[i]) {
    case LayerPrecision::Int8:
      ++numInt8;
      break;
    case LayerPrecision::Int8WeightOnly:
    case LayerPrecision::Int4WeightOnly:
      ++numWeightOnly;
      break;
    case LayerPrecision::F16:
    case LayerPrecision::BF16:
      ++numHalf;
      break;
    case LayerPrecision::F32:
      break;
    }
    // Remark before rewriting: the op may be replaced.
    InFlightDiagnostic remark = emitRemark(l.op->getLoc());
    remark << "green-quantize: layer " << l.name << ": "
           << getLayerPrecisionName(config[i]);
    for (const LayerOption &o : l.options)
      if (o.status == "chosen") {
        remark << ", estimated " << formatNum(o.energyJ) << " J (fp32 "
               << formatNum(layerFp32[i]) << " J)";
        if (o.error)
          remark << ", measured " << getErrorMetricName(errorMetric) << " "
                 << formatNum(*o.error);
      }
    remark << "; rejected:";
    bool any = false;
    for (const LayerOption &o : l.options)
      if (o.status != "chosen") {
        remark << (any ? "," : "") << " " << getLayerPrecisionName(o.precision)
               << " (" << formatNum(o.energyJ) << " J"
               << (o.error ? ", " + formatNum(*o.error) : std::string()) << ")";
        any = true;
      }
    if (!any)
      remark << " none";
    const QuantParams *act = l.activation ? &*l.activation : nullptr;
    FailureOr<Operation *> newOp = annotateLayer(l.op, config[i], wopts, act);
    if (failed(newOp)) {
      l.op->emitError() << "green-quantize: cannot quantize layer '" << l.name
                        << "'";
      return signalPassFailure();
    }
    l.op = *newOp;
  }
  if (!emitQDQ && failed(foldQuantizedContractions(module)))
    return signalPassFailure();

  // With emit-qdq the quant ops are not costed: estimate the folded form.
  double energyFinal = 0;
  if (emitQDQ) {
    OwningOpRef<ModuleOp> folded = cast<ModuleOp>(module->clone());
    if (failed(foldQuantizedContractions(*folded)))
      return signalPassFailure();
    energyFinal = totalEnergy(*folded);
  } else {
    energyFinal = totalEnergy(module);
  }
  InFlightDiagnostic summary = emitRemark(entryFunc->getLoc());
  summary << "green-quantize: scheme="
          << (scheme == QuantScheme::Mixed
                  ? "mixed"
                  : getLayerPrecisionName(candidates[0]))
          << ", " << layers.size() << " layers, estimated "
          << formatNum(energyFinal) << " J (fp32 " << formatNum(energyFp32)
          << " J) on " << desc->name;
  if (finalError)
    summary << ", measured " << getErrorMetricName(errorMetric) << " "
            << formatNum(*finalError)
            << (scheme == QuantScheme::Mixed
                    ? " (budget " + formatNum(budget) + ")"
                    : std::string());
  if (!report.empty() && failed(writeReport(module, layers, *desc, finalError,
                                            energyFp32, energyFinal)))
    return signalPassFailure();
}

LogicalResult QuantizePass::writeReport(ModuleOp module,
                                        llvm::ArrayRef<Layer> layers,
                                        const TargetDescription &desc,
                                        std::optional<double> finalError,
                                        double energyFp32, double energyFinal) {
  llvm::json::Array layerArr;
  for (const Layer &l : layers) {
    llvm::json::Array opts;
    for (const LayerOption &o : l.options) {
      llvm::json::Object obj{{"precision", getLayerPrecisionName(o.precision)},
                             {"energy_j", o.energyJ},
                             {"status", o.status}};
      if (o.error)
        obj["error"] = *o.error;
      opts.push_back(std::move(obj));
    }
    llvm::json::Object lo{{"name", l.name},
                          {"precision", getLayerPrecisionName(l.chosen)},
                          {"options", std::move(opts)}};
    if (l.activation)
      lo["activation"] =
          llvm::json::Object{{"scale", l.activation->scale},
                             {"zero_point", l.activation->zeroPoint}};
    layerArr.push_back(std::move(lo));
  }
  llvm::json::Object root{{"schema", "green-quantize-report/1"},
                          {"target", desc.name},
                          {"error_metric", getErrorMetricName(errorMetric)},
                          {"energy_fp32_j", energyFp32},
                          {"energy_j", energyFinal},
                          {"layers", std::move(layerArr)}};
  if (finalError)
    root["error"] = *finalError;
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> file = openOutputFile(report, &error);
  if (!file)
    return module.emitError() << "green-quantize: cannot write report to '"
                              << report.getValue() << "': " << error;
  llvm::json::Value value(std::move(root));
  file->os() << llvm::formatv("{0:2}", value) << "\n";
  file->keep();
  return success();
}

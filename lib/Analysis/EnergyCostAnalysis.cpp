//===- EnergyCostAnalysis.cpp - energy and latency of a module ------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Analysis/EnergyCostAnalysis.h"

#include "green/Interfaces/EnergyCostOpInterface.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::green;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

std::string mlir::green::formatLocation(Location loc) {
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return llvm::formatv("{0}:{1}:{2}", file.getFilename().getValue(),
                         file.getLine(), file.getColumn());
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    for (Location part : fused.getLocations()) {
      std::string text = formatLocation(part);
      if (text != "<unknown>")
        return text;
    }
  }
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    return formatLocation(callSite.getCallee());
  return "<unknown>";
}

int64_t mlir::green::getFlops(const OpWork &work) {
  int64_t flops = 0;
  for (const OpCount &c : work.ops)
    flops += c.cls == OpClass::Fma ? 2 * c.count : c.count;
  return flops;
}

/// Scales an estimate for `n` executions of the same op.
static void scaleEstimate(CostEstimate &e, double n) {
  e.latencySec *= n;
  e.computeSec *= n;
  e.memorySec *= n;
  e.overheadSec *= n;
  e.energy.computeJ *= n;
  for (double &j : e.energy.memoryJ)
    j *= n;
  e.energy.transferJ *= n;
  e.energy.communicationJ *= n;
  e.energy.staticJ *= n;
  e.unpricedOps = static_cast<int64_t>(e.unpricedOps * n);
}

/// Adds `e` into `sum` (times and energies add: ops run one after another).
static void accumulateEstimate(CostEstimate &sum, const CostEstimate &e) {
  sum.latencySec += e.latencySec;
  sum.computeSec += e.computeSec;
  sum.memorySec += e.memorySec;
  sum.overheadSec += e.overheadSec;
  sum.energy.accumulate(e.energy);
  sum.unpricedOps += e.unpricedOps;
}

/// Constant trip count of a loop-like op, or std::nullopt.
static std::optional<int64_t> getConstantTripCount(Operation *op) {
  auto tripCount = [](OpFoldResult lb, OpFoldResult ub,
                      OpFoldResult step) -> std::optional<int64_t> {
    std::optional<int64_t> l = getConstantIntValue(lb);
    std::optional<int64_t> u = getConstantIntValue(ub);
    std::optional<int64_t> s = getConstantIntValue(step);
    if (!l || !u || !s || *s <= 0)
      return std::nullopt;
    return *u <= *l ? 0 : (*u - *l + *s - 1) / *s;
  };
  if (auto loop = dyn_cast<scf::ForOp>(op))
    return tripCount(loop.getLowerBound(), loop.getUpperBound(),
                     loop.getStep());
  if (auto loop = dyn_cast<affine::AffineForOp>(op)) {
    if (!loop.hasConstantBounds())
      return std::nullopt;
    int64_t l = loop.getConstantLowerBound(), u = loop.getConstantUpperBound();
    int64_t s = loop.getStepAsInt();
    return u <= l ? 0 : (u - l + s - 1) / s;
  }
  auto multiDim = [&](auto loop) -> std::optional<int64_t> {
    int64_t product = 1;
    for (auto [lb, ub, step] :
         llvm::zip(loop.getMixedLowerBound(), loop.getMixedUpperBound(),
                   loop.getMixedStep())) {
      std::optional<int64_t> n = tripCount(lb, ub, step);
      if (!n)
        return std::nullopt;
      product *= *n;
    }
    return product;
  };
  if (auto loop = dyn_cast<scf::ForallOp>(op))
    return multiDim(loop);
  if (auto loop = dyn_cast<scf::ParallelOp>(op)) {
    int64_t product = 1;
    for (auto [lb, ub, step] : llvm::zip(loop.getLowerBound(),
                                         loop.getUpperBound(), loop.getStep())) {
      std::optional<int64_t> n = tripCount(lb, ub, step);
      if (!n)
        return std::nullopt;
      product *= *n;
    }
    return product;
  }
  return std::nullopt;
}

static bool isLoop(Operation *op) {
  return isa<scf::ForOp, scf::ForallOp, scf::ParallelOp, affine::AffineForOp>(
      op);
}

/// Ops that do no work of their own: terminators, calls (the callee is
/// reported as its own function), bufferization glue and shape queries.
static bool isZeroCostGlue(Operation *op) {
  if (op->hasTrait<OpTrait::IsTerminator>())
    return true;
  StringRef dialect = op->getDialect() ? op->getDialect()->getNamespace() : "";
  if (dialect == "func" || dialect == "ub")
    return true;
  StringRef name = op->getName().getStringRef();
  return llvm::is_contained(
      {"bufferization.to_tensor", "bufferization.to_buffer",
       "bufferization.dealloc_tensor", "tensor.dim", "memref.dim",
       "memref.dealloc", "builtin.unrealized_conversion_cast",
       "memref.assume_alignment", "memref.extract_strided_metadata"},
      name);
}

/// Elements of a constant tensor of more than one element: weights and
/// biases. Scalars and one-element tensors (zero points, shifts, epsilons)
/// are not parameters.
static int64_t getParameterElements(Attribute value) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements)
    return 0;
  auto type = dyn_cast<ShapedType>(elements.getType());
  if (!type || !type.hasStaticShape() || type.getNumElements() <= 1)
    return 0;
  return type.getNumElements();
}

//===----------------------------------------------------------------------===//
// EnergyCostAnalysis
//===----------------------------------------------------------------------===//

EnergyCostAnalysis::EnergyCostAnalysis(Operation *root,
                                       const TargetDescription &target,
                                       const EnergyCostOptions &options)
    : target(target), options(options) {
  total.energy.memoryJ.assign(target.memory.size(), 0.0);

  // Parameters: the module's constant weights, each counted once.
  root->walk([&](Operation *op) {
    if (auto c = dyn_cast<arith::ConstantOp>(op))
      parameters += getParameterElements(c.getValue());
    else if (auto c = dyn_cast<tosa::ConstOp>(op))
      parameters += getParameterElements(c.getValues());
    else if (auto g = dyn_cast<memref::GlobalOp>(op)) {
      if (g.getConstant() && g.getInitialValue())
        parameters += getParameterElements(*g.getInitialValue());
    }
  });

  SmallVector<Operation *> funcs;
  root->walk([&](FunctionOpInterface func) {
    if (!func.isExternal())
      funcs.push_back(func);
  });
  for (Operation *func : funcs)
    analyzeFunction(func);

  SmallVector<StringRef> publicFuncs;
  for (Operation *func : funcs)
    if (auto sym = dyn_cast<SymbolOpInterface>(func); sym && sym.isPublic())
      publicFuncs.push_back(sym.getName());
  if (publicFuncs.size() == 1) {
    entryFunction = publicFuncs.front().str();
  } else if (!funcs.empty()) {
    notes.push_back(llvm::formatv(
        "{0} public functions: energy per inference is the sum over all "
        "functions",
        publicFuncs.size()));
  }
}

void EnergyCostAnalysis::analyzeFunction(Operation *func) {
  FunctionCost fcost;
  fcost.name = cast<SymbolOpInterface>(func).getName().str();
  fcost.total.energy.memoryJ.assign(target.memory.size(), 0.0);

  auto multiplierOf = [&](Operation *op) -> int64_t {
    int64_t m = 1;
    for (Operation *p = op->getParentOp(); p && p != func;
         p = p->getParentOp()) {
      if (!isLoop(p))
        continue;
      if (std::optional<int64_t> n = getConstantTripCount(p)) {
        m *= *n;
      } else {
        std::string note = llvm::formatv(
            "loop at {0} has no constant trip count: its body is counted once",
            formatLocation(p->getLoc()));
        if (!llvm::is_contained(notes, note))
          notes.push_back(note);
      }
    }
    return m;
  };

  func->walk<WalkOrder::PreOrder>([&](Operation *op) -> WalkResult {
    if (op == func)
      return WalkResult::advance();
    auto costed = dyn_cast<EnergyCostOpInterface>(op);
    if (!costed) {
      // Descend into control flow; everything else must be glue.
      if (op->getNumRegions() > 0 || isZeroCostGlue(op))
        return WalkResult::advance();
      unknown.push_back({op, op->getName().getStringRef().str(),
                         formatLocation(op->getLoc()), fcost.name,
                         "no energy model for this op"});
      ++fcost.numUnknown;
      return WalkResult::skip();
    }
    std::string reason;
    WorkOptions workOptions = options.work;
    workOptions.failureReason = &reason;
    FailureOr<OpWork> work = costed.getWork(workOptions);
    if (failed(work)) {
      unknown.push_back({op, op->getName().getStringRef().str(),
                         formatLocation(op->getLoc()), fcost.name,
                         reason.empty() ? "the energy model cannot cost it"
                                        : reason});
      ++fcost.numUnknown;
      return WalkResult::skip();
    }
    OpCostEntry entry;
    entry.op = op;
    entry.name = op->getName().getStringRef().str();
    entry.location = formatLocation(op->getLoc());
    entry.function = fcost.name;
    entry.work = *work;
    entry.multiplier = multiplierOf(op);
    entry.estimate = estimateCost(entry.work, target, options.schedule);
    scaleEstimate(entry.estimate, static_cast<double>(entry.multiplier));
    for (const std::string &note : entry.estimate.notes)
      if (!llvm::is_contained(notes, note))
        notes.push_back(note);
    int64_t flops = getFlops(entry.work) * entry.multiplier;
    int64_t bytes =
        (entry.work.bytesRead + entry.work.bytesWritten) * entry.multiplier;
    accumulateEstimate(fcost.total, entry.estimate);
    fcost.flops += flops;
    fcost.bytes += bytes;
    ++fcost.numOps;
    ops.push_back(std::move(entry));
    // Payload ops of a costed op are part of its work.
    return WalkResult::skip();
  });

  accumulateEstimate(total, fcost.total);
  totalFlops += fcost.flops;
  totalBytes += fcost.bytes;
  functions.push_back(std::move(fcost));
}

EnergyMetrics EnergyCostAnalysis::getMetrics() const {
  EnergyMetrics m;
  m.energyJ = total.energy.getTotalJ();
  m.latencySec = total.latencySec;
  m.energyPerInferenceJ = m.energyJ;
  for (const FunctionCost &f : functions)
    if (f.name == entryFunction)
      m.energyPerInferenceJ = f.total.energy.getTotalJ();
  if (m.energyJ > 0)
    m.gflopsPerWatt = static_cast<double>(totalFlops) / m.energyJ / 1e9;
  if (m.latencySec > 0)
    m.averagePowerW = m.energyJ / m.latencySec;
  if (parameters > 0)
    m.energyPerParameterJ = m.energyPerInferenceJ / parameters;
  m.gCo2ePer1000Inferences =
      getCarbonGrams(1000 * m.energyPerInferenceJ, target);
  return m;
}

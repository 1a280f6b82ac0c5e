//===- EnergyAwareFuse.cpp - fuse operators when it saves energy ----------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The green-fuse pass: constant folding (transposes of constants, batch norms
// into convolutions), element-wise fusion through upstream's
// linalg::fuseElementwiseOps, and contraction epilogue groups, each decision
// taken by comparing the cost model's estimate of the fused and unfused ops.
//
//===----------------------------------------------------------------------===//

#include "green/Transforms/Passes.h"

#include "green/Analysis/CostModel.h"
#include "green/Analysis/EnergyCostAnalysis.h"
#include "green/Dialect/Green/IR/GreenAttrs.h"
#include "green/Dialect/Green/IR/GreenDialect.h"
#include "green/Interfaces/EnergyCostOpInterface.h"
#include "green/Target/TargetDescription.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/IR/Dominance.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

#define DEBUG_TYPE "green-fuse"

namespace mlir::green {
#define GEN_PASS_DEF_ENERGYAWAREFUSEPASS
#include "green/Transforms/Passes.h.inc"
} // namespace mlir::green

using namespace mlir;
using namespace mlir::green;

/// Name of the discardable attribute that marks contraction epilogue groups.
static constexpr llvm::StringLiteral kFusionGroupAttr =
    GreenDialect::getFusionGroupAttrName();

//===----------------------------------------------------------------------===//
// Cost bookkeeping
//===----------------------------------------------------------------------===//

namespace {
/// What the pass knows about an op that is, or may become, part of a fusion
/// group: the original ops it stands for and what they cost before fusion,
/// and the modelled work of the op as it is now.
struct GroupInfo {
  /// "linalg.generic @ file:line:col" for each original op.
  SmallVector<std::string> members;
  /// Sum of the unfused estimates of the original ops this op replaces.
  double beforeJ = 0, beforeSec = 0;
  int64_t beforeBytes = 0;
  /// Modelled work of the op (for a fused op: the merged work without the
  /// intermediates, which never leave registers).
  OpWork work;
};

/// Group info per op. A node-based map: getInfo hands out pointers to its
/// entries and then inserts more, which would invalidate them in a
/// DenseMap (a use-after-free valgrind found on long chains).
using GroupInfoMap = std::map<Operation *, GroupInfo>;

/// A decision on one candidate, with the numbers that explain it.
struct Decision {
  bool fuse = false;
  bool duplicate = false;
  std::string reason;
  double unfusedJ = 0, fusedJ = 0;
  /// The same in the objective's unit (J, s or J*s).
  double unfusedScore = 0, fusedScore = 0;
  OpWork fusedWork;
};

/// Prices works on a target for one objective.
class Pricer {
public:
  Pricer(const TargetDescription &target, FusionObjective objective)
      : target(target), objective(objective) {}

  CostEstimate estimate(const OpWork &work, const Schedule &s = {}) const {
    return estimateCost(work, target, s);
  }
  double score(const CostEstimate &e) const {
    switch (objective) {
    case FusionObjective::Energy:
      return e.energy.getTotalJ();
    case FusionObjective::Latency:
      return e.latencySec;
    case FusionObjective::EDP:
      return getEnergyDelayProduct(e);
    }
    return e.energy.getTotalJ();
  }
  const TargetDescription &getTarget() const { return target; }
  /// " (latency 1e-3 s -> 2e-3 s)" for objectives other than energy, so a
  /// remark shows the numbers the decision was taken on.
  std::string explain(double unfused, double fused) const {
    switch (objective) {
    case FusionObjective::Energy:
      return "";
    case FusionObjective::Latency:
      return llvm::formatv(" (objective latency: {0:e} s -> {1:e} s)", unfused,
                           fused);
    case FusionObjective::EDP:
      return llvm::formatv(" (objective edp: {0:e} J*s -> {1:e} J*s)", unfused,
                           fused);
    }
    return "";
  }

private:
  const TargetDescription &target;
  FusionObjective objective;
};
} // namespace

/// "linalg.generic @ file:line:col".
static std::string describe(Operation *op) {
  return (op->getName().getStringRef() + " @ " + formatLocation(op->getLoc()))
      .str();
}

/// Bytes of a ranked tensor of static shape, or failure.
static FailureOr<int64_t> getTensorBytes(Type type) {
  auto shaped = dyn_cast<RankedTensorType>(type);
  if (!shaped || !shaped.hasStaticShape())
    return failure();
  ScalarKind kind = getScalarKind(shaped.getElementType());
  if (kind == ScalarKind::Unknown)
    return failure();
  return static_cast<int64_t>(shaped.getNumElements() * getStorageBytes(kind));
}

/// The work of `op` through EnergyCostOpInterface, or failure with a reason.
static FailureOr<OpWork> getOpWork(Operation *op, std::string &reason) {
  auto iface = dyn_cast<EnergyCostOpInterface>(op);
  if (!iface) {
    reason =
        "'" + op->getName().getStringRef().str() + "' has no energy cost model";
    return failure();
  }
  WorkOptions options;
  options.failureReason = &reason;
  return iface.getWork(options);
}

/// The group info of `op`, created from its own work on first use.
static FailureOr<GroupInfo *>
getInfo(Operation *op, GroupInfoMap &infos,
        const Pricer &pricer, std::string &reason) {
  auto it = infos.find(op);
  if (it != infos.end())
    return &it->second;
  FailureOr<OpWork> work = getOpWork(op, reason);
  if (failed(work))
    return failure();
  GroupInfo info;
  info.members.push_back(describe(op));
  info.work = *work;
  CostEstimate e = pricer.estimate(*work);
  info.beforeJ = e.energy.getTotalJ();
  info.beforeSec = e.latencySec;
  info.beforeBytes = work->bytesRead + work->bytesWritten;
  return &infos.try_emplace(op, std::move(info)).first->second;
}

/// The first op strictly between `producer` and `consumer` (same block,
/// producer first) that has memory effects, or null.
static Operation *findSideEffectBetween(Operation *producer,
                                        Operation *consumer) {
  for (Operation *op = producer->getNextNode(); op && op != consumer;
       op = op->getNextNode())
    if (!isMemoryEffectFree(op))
      return op;
  return nullptr;
}

/// Work of a fused op: `a` and `b` merged, minus the intermediate's traffic.
static OpWork mergeWithout(const OpWork &a, const OpWork &b,
                           int64_t intermediateRead,
                           int64_t intermediateWritten) {
  OpWork w = a;
  w.merge(b);
  w.bytesRead = std::max<int64_t>(0, w.bytesRead - intermediateRead);
  w.bytesWritten = std::max<int64_t>(0, w.bytesWritten - intermediateWritten);
  return w;
}

/// Bytes of the consumer's inputs that the producer also reads at the same
/// positions (same value, identity maps on both sides): the fused op reads
/// them once, after operand deduplication.
static int64_t getSharedInputBytes(OpOperand &fused) {
  auto consumer = cast<linalg::LinalgOp>(fused.getOwner());
  auto producer = fused.get().getDefiningOp<linalg::LinalgOp>();
  auto isIdentity = [](linalg::LinalgOp op, OpOperand *o) {
    return op.getMatchingIndexingMap(o).isIdentity();
  };
  if (!isIdentity(consumer, &fused) ||
      !isIdentity(producer, producer.getDpsInitOperand(0)))
    return 0;
  int64_t bytes = 0;
  for (OpOperand *c : consumer.getDpsInputOperands()) {
    if (c == &fused || !isIdentity(consumer, c))
      continue;
    for (OpOperand *p : producer.getDpsInputOperands()) {
      if (p->get() != c->get() || !isIdentity(producer, p))
        continue;
      if (FailureOr<int64_t> b = getTensorBytes(c->get().getType());
          succeeded(b))
        bytes += *b;
      break;
    }
  }
  return bytes;
}

//===----------------------------------------------------------------------===//
// Element-wise fusion decisions
//===----------------------------------------------------------------------===//

/// Decides whether to fuse the producer of `operand` into its consumer.
/// Returns std::nullopt when the edge is not a candidate at all (the operand
/// is not produced by a linalg op).
static std::optional<Decision>
decideElementwise(OpOperand &operand,
                  GroupInfoMap &infos,
                  const Pricer &pricer, bool allowDuplication) {
  Operation *consumer = operand.getOwner();
  auto producer = operand.get().getDefiningOp<linalg::LinalgOp>();
  if (!producer || !isa<linalg::GenericOp>(consumer))
    return std::nullopt;
  // Contractions and convolutions are grouped with their epilogues instead.
  if (linalg::isaContractionOpInterface(producer) ||
      linalg::isaConvolutionOpInterface(producer))
    return std::nullopt;
  // Inits (accumulators, or a shape the payload never reads) are not fused
  // into: upstream fuses producers of inputs only, and a fill is better left
  // for the consumer's own lowering.
  auto consumerOp = cast<linalg::LinalgOp>(consumer);
  if (consumerOp.isDpsInit(&operand) ||
      !consumerOp.payloadUsesValueFromOperand(&operand))
    return std::nullopt;
  Decision d;
  if (!producer.hasPureTensorSemantics() ||
      !cast<linalg::LinalgOp>(consumer).hasPureTensorSemantics()) {
    d.reason = "not on tensors";
    return d;
  }
  if (producer->getBlock() != consumer->getBlock()) {
    d.reason = "producer and consumer are in different blocks";
    return d;
  }
  if (!isMemoryEffectFree(producer) || !isMemoryEffectFree(consumer)) {
    d.reason = "producer or consumer has side effects";
    return d;
  }
  if (Operation *between = findSideEffectBetween(producer, consumer)) {
    d.reason = "side-effecting '" + between->getName().getStringRef().str() +
               "' at " + formatLocation(between->getLoc()) +
               " between producer and consumer";
    return d;
  }
  if (producer->getNumResults() != 1) {
    d.reason = "producer has several results";
    return d;
  }
  if (!linalg::areElementwiseOpsFusable(&operand)) {
    d.reason = "linalg::areElementwiseOpsFusable rejects the edge (producer "
               "not element-wise, or indexing maps not invertible)";
    return d;
  }
  std::string why;
  FailureOr<GroupInfo *> p = getInfo(producer, infos, pricer, why);
  if (failed(p)) {
    d.reason = "producer cannot be costed: " + why;
    return d;
  }
  FailureOr<GroupInfo *> c = getInfo(consumer, infos, pricer, why);
  if (failed(c)) {
    d.reason = "consumer cannot be costed: " + why;
    return d;
  }
  FailureOr<int64_t> tBytes = getTensorBytes(operand.get().getType());
  if (failed(tBytes)) {
    d.reason = "intermediate tensor has a dynamic shape";
    return d;
  }
  // The consumer reads the intermediate once per use; the producer writes it
  // once. Fused, neither happens: the value stays in registers.
  unsigned usesInConsumer = 0, usesElsewhere = 0;
  for (OpOperand &use : operand.get().getUses())
    (use.getOwner() == consumer ? usesInConsumer : usesElsewhere)++;
  if (usesInConsumer > 1) {
    d.reason = "consumer reads the intermediate through several operands";
    return d;
  }
  int64_t readSaved = *tBytes;

  // A consumer that broadcasts the intermediate (a per-row value read by
  // every element of the row) recomputes the fused producer once per
  // element it reads it at: its arithmetic is multiplied by the ratio of
  // the consumer's iteration space to the intermediate's size.
  int64_t recompute = 1;
  {
    auto shaped = cast<RankedTensorType>(operand.get().getType());
    int64_t elements = shaped.getNumElements(), iterations = 1;
    for (int64_t r : cast<linalg::LinalgOp>(consumer).getStaticLoopRanges())
      iterations = ShapedType::isDynamic(r) ? -1 : iterations * r;
    if (iterations > 0 && elements > 0 && iterations > elements)
      recompute = iterations / elements;
  }
  OpWork producerWork = (*p)->work;
  for (OpCount &count : producerWork.ops)
    count.count *= recompute;

  CostEstimate pEst = pricer.estimate((*p)->work);
  CostEstimate cEst = pricer.estimate((*c)->work);
  double unfused = pricer.score(pEst) + pricer.score(cEst);
  d.unfusedJ = pEst.energy.getTotalJ() + cEst.energy.getTotalJ();
  // Both the single-use and the duplicating fusion remove the producer's
  // write from the fused op; with duplication the original producer stays
  // and still writes it (counted in pEst).
  d.fusedWork = mergeWithout(producerWork, (*c)->work,
                             readSaved + getSharedInputBytes(operand), *tBytes);
  CostEstimate fEst = pricer.estimate(d.fusedWork);
  double fused = pricer.score(fEst);
  d.fusedJ = fEst.energy.getTotalJ();
  if (usesElsewhere) {
    d.duplicate = true;
    fused += pricer.score(pEst);
    d.fusedJ += pEst.energy.getTotalJ();
    if (!allowDuplication) {
      d.reason = llvm::formatv(
          "producer has {0} other user(s) and duplicating it needs "
          "allow-duplication (model: {1:e} J unfused, {2:e} J duplicated)",
          usesElsewhere, d.unfusedJ, d.fusedJ);
      return d;
    }
  }
  d.unfusedScore = unfused;
  d.fusedScore = fused;
  if (!(fused < unfused)) {
    std::string why;
    if (d.duplicate)
      why += " (the producer would be duplicated)";
    if (recompute > 1)
      why += llvm::formatv(" (the consumer broadcasts the intermediate: the "
                           "producer would be recomputed {0}x)",
                           recompute)
                 .str();
    d.reason =
        llvm::formatv("not profitable{0}: {1:e} J unfused -> {2:e} J fused{3}",
                      why, d.unfusedJ, d.fusedJ,
                      pricer.explain(unfused, fused));
    return d;
  }
  d.fuse = true;
  return d;
}

/// Fuses the producer of `operand` into its consumer as `d` says. Returns the
/// fused op, or failure (nothing changed).
static FailureOr<Operation *> applyElementwise(RewriterBase &rewriter,
                                               OpOperand &operand,
                                               const Decision &d) {
  Operation *consumer = operand.getOwner();
  Operation *producer = operand.get().getDefiningOp();
  OpOperand *fusedOperand = &operand;
  Operation *clone = nullptr;
  if (d.duplicate) {
    // A private copy of the producer for this consumer; the original stays
    // for its other users.
    rewriter.setInsertionPoint(producer);
    clone = rewriter.clone(*producer);
    unsigned resultNumber = cast<OpResult>(operand.get()).getResultNumber();
    rewriter.modifyOpInPlace(consumer, [&] {
      for (OpOperand &o : consumer->getOpOperands())
        if (o.get() == producer->getResult(resultNumber))
          o.set(clone->getResult(resultNumber));
    });
  }
  // The fused op takes the consumer's place (upstream builds it at the
  // rewriter's insertion point).
  rewriter.setInsertionPoint(consumer);
  FailureOr<linalg::ElementwiseOpFusionResult> result =
      linalg::fuseElementwiseOps(rewriter, fusedOperand);
  if (failed(result)) {
    if (clone) {
      rewriter.replaceAllUsesWith(clone->getResults(), producer->getResults());
      rewriter.eraseOp(clone);
    }
    return failure();
  }
  // Replace the consumer's results, and a preserved producer result (upstream
  // keeps one when the producer has other users), before erasing anything.
  Operation *fusedProducer = clone ? clone : producer;
  for (auto [orig, repl] : result->replacements) {
    rewriter.replaceAllUsesWith(orig, repl);
  }
  rewriter.eraseOp(consumer);
  if (fusedProducer->use_empty())
    rewriter.eraseOp(fusedProducer);
  // Inputs both ops read become one operand (upstream's fusion keeps both).
  auto fusedGeneric = cast<linalg::GenericOp>(result->fusedOp);
  rewriter.setInsertionPoint(fusedGeneric);
  FailureOr<linalg::GenericOp> deduplicated =
      linalg::deduplicateOperandsAndRemoveDeadResults(rewriter, fusedGeneric,
                                                      /*removeOutputs=*/false);
  if (succeeded(deduplicated))
    return deduplicated->getOperation();
  return result->fusedOp;
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace {
/// One formed group, for remarks and the report.
struct FormedGroup {
  int64_t id;
  std::string kind;
  Operation *anchor;
  SmallVector<std::string> members;
  int64_t bytesSaved;
  double beforeJ, afterJ;
};

struct EnergyAwareFusePass
    : public green::impl::EnergyAwareFusePassBase<EnergyAwareFusePass> {
  using EnergyAwareFusePassBase::EnergyAwareFusePassBase;
  void runOnOperation() override;

private:
  LogicalResult runOnFunction(FunctionOpInterface func);
  void fuseElementwiseChains(FunctionOpInterface func, const Pricer &pricer,
                             GroupInfoMap &infos,
                             llvm::SetVector<Operation *> &generalized);
  void markRowGroups(FunctionOpInterface func, const Pricer &pricer,
                     GroupInfoMap &infos, std::vector<FormedGroup> &groups,
                     int64_t &nextId, llvm::json::Array &rejected);
  void markEpilogueGroups(FunctionOpInterface func, const Pricer &pricer,
                          GroupInfoMap &infos,
                          std::vector<FormedGroup> &groups, int64_t &nextId,
                          llvm::json::Array &rejected);
};
} // namespace

/// Named element-wise linalg ops (linalg.add, linalg.exp, ...) become
/// linalg.generic so upstream's element-wise fusion sees them. Returns the
/// generics created, so that those left unfused can be specialized back.
static llvm::SetVector<Operation *>
generalizeElementwiseNamedOps(FunctionOpInterface func) {
  SmallVector<linalg::LinalgOp> named;
  func.walk([&](linalg::LinalgOp op) {
    if (!isa<linalg::GenericOp>(op) && op.hasPureTensorSemantics() &&
        linalg::isElementwise(op) && !isa<linalg::FillOp>(op))
      named.push_back(op);
  });
  llvm::SetVector<Operation *> generalized;
  IRRewriter rewriter(func.getContext());
  for (linalg::LinalgOp op : named) {
    rewriter.setInsertionPoint(op);
    FailureOr<linalg::GenericOp> generic =
        linalg::generalizeNamedOp(rewriter, op);
    if (succeeded(generic))
      generalized.insert(*generic);
  }
  return generalized;
}

namespace {
/// Decisions for each operand of a consumer, kept across the greedy rounds
/// until one of the ops they read changes.
using DecisionCache =
    llvm::DenseMap<Operation *, SmallVector<std::optional<Decision>>>;

/// Forgets ops of a set (and their cached decisions) as a rewriter erases
/// them, so that a new op at a reused address never sees stale entries.
struct ForgetErasedOps : public RewriterBase::Listener {
  ForgetErasedOps(llvm::SetVector<Operation *> &ops, DecisionCache &cache)
      : ops(ops), cache(cache) {}
  void notifyOperationErased(Operation *op) override {
    ops.remove(op);
    cache.erase(op);
  }
  llvm::SetVector<Operation *> &ops;
  DecisionCache &cache;
};
} // namespace

void EnergyAwareFusePass::fuseElementwiseChains(
    FunctionOpInterface func, const Pricer &pricer,
    GroupInfoMap &infos,
    llvm::SetVector<Operation *> &generalized) {
  // A decision depends on the producer's and consumer's group infos, on the
  // users of the intermediate and of shared inputs, and on the ops between
  // the two; a fusion changes these only around the fused op. Deciding every
  // edge again in every round made the pass quadratic in the model's size.
  DecisionCache cache;
  ForgetErasedOps listener(generalized, cache);
  IRRewriter rewriter(func.getContext(), &listener);
  // Greedy: each round fuses the edge with the largest saving, so a
  // multi-use producer is fused where it pays most. Bounded by the number of
  // ops (every fusion removes at least one).
  unsigned maxRounds = 0;
  func.walk([&](linalg::GenericOp) { ++maxRounds; });
  for (unsigned round = 0; round < maxRounds; ++round) {
    OpOperand *best = nullptr;
    Decision bestDecision;
    double bestSaving = 0;
    func.walk([&](linalg::GenericOp consumer) {
      auto it = cache.find(consumer);
      if (it == cache.end()) {
        SmallVector<std::optional<Decision>> decisions;
        for (OpOperand &operand : consumer->getOpOperands())
          decisions.push_back(
              decideElementwise(operand, infos, pricer, allowDuplication));
        it = cache.try_emplace(consumer, std::move(decisions)).first;
      }
      for (auto [index, d] : llvm::enumerate(it->second)) {
        if (!d || !d->fuse)
          continue;
        double saving = d->unfusedScore - d->fusedScore;
        if (!best || saving > bestSaving) {
          best = &consumer->getOpOperand(index);
          bestDecision = *d;
          bestSaving = saving;
        }
      }
    });
    if (!best)
      break;
    Operation *consumer = best->getOwner();
    Operation *producer = best->get().getDefiningOp();
    // Copies (absent entries give empty infos), as DenseMap::lookup did.
    auto lookup = [&](Operation *op) {
      auto it = infos.find(op);
      return it == infos.end() ? GroupInfo() : it->second;
    };
    GroupInfo pInfo = lookup(producer);
    GroupInfo cInfo = lookup(consumer);
    bool duplicate = bestDecision.duplicate;
    FailureOr<Operation *> fused =
        applyElementwise(rewriter, *best, bestDecision);
    if (failed(fused)) {
      // Upstream refused after all; leave the edge unfused and record why.
      emitRemark(consumer->getLoc()) << "not fused with producer " << describe(producer)
                             << ": linalg::fuseElementwiseOps failed";
      break;
    }
    ++numFused;
    // Edges around the fused op see new infos or new user counts: the fused
    // op's own, its results' users, the users of its operands (a shared
    // producer lost a user) and a kept producer's users.
    auto forgetUsers = [&](ValueRange values) {
      for (Value v : values)
        for (Operation *user : v.getUsers())
          cache.erase(user);
    };
    cache.erase(*fused);
    forgetUsers((*fused)->getResults());
    forgetUsers((*fused)->getOperands());
    if (duplicate)
      forgetUsers(producer->getResults());
    infos.erase(consumer);
    if (!duplicate)
      infos.erase(producer);
    GroupInfo merged;
    merged.members = pInfo.members;
    if (duplicate)
      for (std::string &m : merged.members)
        m += " (duplicated)";
    merged.members.append(cInfo.members);
    // A duplicated producer keeps running: what the group replaces is only
    // the consumer, and it costs the producer's work again.
    merged.beforeJ = cInfo.beforeJ + (duplicate ? 0 : pInfo.beforeJ);
    merged.beforeSec = cInfo.beforeSec + (duplicate ? 0 : pInfo.beforeSec);
    merged.beforeBytes =
        cInfo.beforeBytes + (duplicate ? 0 : pInfo.beforeBytes);
    merged.work = bestDecision.fusedWork;
    infos[*fused] = std::move(merged);
  }
}

/// Whether `op` can be part of a row group over `rows` rows: a generic on
/// static tensors whose first loop is a parallel loop over the rows, and
/// every operand indexed by that loop first (a row of a 2-D tensor, or one
/// value per row) or not at all (a per-column parameter: gamma, beta).
static bool isRowOp(linalg::GenericOp op, int64_t rows) {
  if (!op.hasPureTensorSemantics() || op.getNumLoops() == 0 ||
      op.getNumLoops() > 2 || op->getNumResults() != 1 ||
      ShapedType::isDynamicShape(op.getStaticLoopRanges()) ||
      op.getStaticLoopRanges()[0] != rows ||
      !linalg::isParallelIterator(op.getIteratorTypesArray()[0]) ||
      !isMemoryEffectFree(op))
    return false;
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (!map.isProjectedPermutation())
      return false;
    bool usesRow = map.isFunctionOfDim(0);
    if (usesRow && map.getDimPosition(0) != 0)
      return false;
    if (!usesRow && op.isDpsInit(&operand))
      return false;
  }
  return true;
}

void EnergyAwareFusePass::markRowGroups(FunctionOpInterface func,
                                        const Pricer &pricer,
                                        GroupInfoMap &infos,
                                        std::vector<FormedGroup> &groups,
                                        int64_t &nextId,
                                        llvm::json::Array &rejected) {
  StringRef attrName = kFusionGroupAttr;
  // Roots: 2-D element-wise row ops, last first, so that a group takes the
  // longest chain that ends in it.
  SmallVector<linalg::GenericOp> roots;
  func.walk([&](linalg::GenericOp op) {
    if (op.getNumLoops() == 2 && op.getNumParallelLoops() == 2 &&
        !op->hasAttr(attrName))
      roots.push_back(op);
  });
  for (linalg::GenericOp root : llvm::reverse(roots)) {
    if (root->hasAttr(attrName))
      continue;
    if (root.hasDynamicShape()) {
      // Only where a group could have formed: the root reads a reduction.
      if (llvm::any_of(root->getOperands(), [](Value v) {
            auto def = v.getDefiningOp<linalg::GenericOp>();
            return def && def.getNumReductionLoops() > 0;
          }))
        emitRemark(root->getLoc())
            << "row group not formed: dynamic shape (row groups are sized "
               "for static rows)";
      continue;
    }
    int64_t rows = root.getStaticLoopRanges()[0];
    if (!isRowOp(root, rows))
      continue;
    // Every row op (and fill of a reduction's init) the root depends on
    // through tensors of rows, in the same block.
    llvm::SetVector<Operation *> members;
    members.insert(root);
    SmallVector<Operation *> work = {root};
    while (!work.empty()) {
      Operation *op = work.pop_back_val();
      for (Value v : op->getOperands()) {
        Operation *def = v.getDefiningOp();
        if (!def || members.contains(def) || def->getBlock() != root->getBlock())
          continue;
        auto generic = dyn_cast<linalg::GenericOp>(def);
        bool fill = isa<linalg::FillOp>(def) && isa<linalg::GenericOp>(op) &&
                    cast<linalg::LinalgOp>(op).isDpsInit(
                        &*llvm::find_if(op->getOpOperands(), [&](OpOperand &o) {
                          return o.get() == v;
                        }));
        if ((generic && !generic->hasAttr(attrName) && isRowOp(generic, rows)) ||
            fill) {
          members.insert(def);
          work.push_back(def);
        }
      }
    }
    // Drop members whose results are used outside the group (they would be
    // computed twice), and whatever depended on them, until stable.
    bool changed = true;
    while (changed) {
      changed = false;
      for (Operation *op : members) {
        if (op == root)
          continue;
        bool external = llvm::any_of(op->getUsers(), [&](Operation *u) {
          return !members.contains(u);
        });
        if (external) {
          members.remove(op);
          changed = true;
          break;
        }
      }
    }
    int reductions = llvm::count_if(members, [](Operation *op) {
      auto g = dyn_cast<linalg::GenericOp>(op);
      return g && g.getNumReductionLoops() > 0;
    });
    if (reductions == 0 || members.size() < 3)
      continue;
    if (Operation *between = nullptr; llvm::any_of(members, [&](Operation *op) {
          between = findSideEffectBetween(op, root);
          return between != nullptr;
        })) {
      emitRemark(root->getLoc()) << "row group not formed: side-effecting '"
                         << between->getName() << "' at "
                         << formatLocation(between->getLoc())
                         << " inside the group";
      ++numRejected;
      continue;
    }
    // Cost: unfused, every intermediate tensor of rows goes out and comes
    // back; fused over row tiles, each stays in L1.
    double unfused = 0, fused = 0, beforeJ = 0, afterJ = 0;
    int64_t saved = 0;
    SmallVector<std::string> names;
    bool costed = true;
    std::string why;
    for (Operation *op : members) {
      if (isa<linalg::FillOp>(op))
        continue;
      FailureOr<GroupInfo *> info = getInfo(op, infos, pricer, why);
      if (failed(info)) {
        costed = false;
        break;
      }
      int64_t inCache = 0;
      for (Value v : op->getOperands())
        if (members.contains(v.getDefiningOp()) &&
            !isa<linalg::FillOp>(v.getDefiningOp()))
          if (FailureOr<int64_t> b = getTensorBytes(v.getType()); succeeded(b))
            inCache += *b;
      if (op != root)
        if (FailureOr<int64_t> b = getTensorBytes(op->getResult(0).getType());
            succeeded(b))
          inCache += *b;
      Schedule inL1;
      inL1.fusedBytes = inCache;
      CostEstimate before = pricer.estimate((*info)->work);
      CostEstimate after = pricer.estimate((*info)->work, inL1);
      unfused += pricer.score(before);
      fused += pricer.score(after);
      beforeJ += before.energy.getTotalJ();
      afterJ += after.energy.getTotalJ();
      saved += inCache;
      names.append((*info)->members);
    }
    if (!costed) {
      emitRemark(root->getLoc()) << "row group not formed: " << why;
      ++numRejected;
      continue;
    }
    if (!(fused < unfused)) {
      std::string reason = llvm::formatv(
          "not profitable: {0:e} J unfused -> {1:e} J with the rows in L1{2}",
          beforeJ, afterJ, pricer.explain(unfused, fused));
      emitRemark(root->getLoc()) << "row group not formed: " << reason;
      rejected.push_back(llvm::json::Object{{"kind", "rows"},
                                            {"consumer", describe(root)},
                                            {"reason", reason}});
      ++numRejected;
      continue;
    }
    int64_t id = nextId++;
    auto attr = IntegerAttr::get(IntegerType::get(func.getContext(), 64), id);
    // The fills of the reductions' accumulators are fused along (by
    // green-cpu-tile-and-vectorize) without the mark.
    for (Operation *op : members)
      if (!isa<linalg::FillOp>(op))
        op->setAttr(attrName, attr);
    FormedGroup g{id, "rows", root, {}, saved, beforeJ, afterJ};
    g.members = std::move(names);
    groups.push_back(std::move(g));
  }
}

void EnergyAwareFusePass::markEpilogueGroups(
    FunctionOpInterface func, const Pricer &pricer,
    GroupInfoMap &infos,
    std::vector<FormedGroup> &groups, int64_t &nextId,
    llvm::json::Array &rejected) {
  func.walk([&](linalg::LinalgOp contraction) {
    if (!contraction.hasPureTensorSemantics() ||
        contraction->getNumResults() != 1)
      return;
    if (!linalg::isaContractionOpInterface(contraction) &&
        !linalg::isaConvolutionOpInterface(contraction))
      return;
    Value result = contraction->getResult(0);
    if (!result.hasOneUse())
      return;
    auto epilogue = dyn_cast<linalg::GenericOp>(*result.getUsers().begin());
    if (!epilogue || epilogue->hasAttr(kFusionGroupAttr))
      return;
    auto reject = [&](const Twine &reason) {
      emitRemark(epilogue->getLoc()) << "epilogue not grouped with "
                             << describe(contraction) << ": " << reason;
      rejected.push_back(llvm::json::Object{{"kind", "epilogue"},
                                            {"producer", describe(contraction)},
                                            {"consumer", describe(epilogue)},
                                            {"reason", reason.str()}});
      ++numRejected;
    };
    if (epilogue.getNumLoops() != epilogue.getNumParallelLoops())
      return reject("consumer is not element-wise");
    if (epilogue->getBlock() != contraction->getBlock())
      return reject("producer and consumer are in different blocks");
    if (Operation *between = findSideEffectBetween(contraction, epilogue))
      return reject("side-effecting '" +
                    between->getName().getStringRef().str() + "' at " +
                    formatLocation(between->getLoc()) +
                    " between producer and consumer");
    std::string why;
    FailureOr<GroupInfo *> m = getInfo(contraction, infos, pricer, why);
    if (failed(m))
      return reject("contraction cannot be costed: " + why);
    FailureOr<GroupInfo *> e = getInfo(epilogue, infos, pricer, why);
    if (failed(e))
      return reject("epilogue cannot be costed: " + why);
    FailureOr<int64_t> tBytes = getTensorBytes(result.getType());
    if (failed(tBytes))
      return reject("intermediate tensor has a dynamic shape");
    // Tiled together, each tile of the contraction's result is consumed
    // while it is in L1: its write and read never go further out.
    Schedule inL1;
    inL1.fusedBytes = *tBytes;
    CostEstimate mEst = pricer.estimate((*m)->work);
    CostEstimate eEst = pricer.estimate((*e)->work);
    CostEstimate mFused = pricer.estimate((*m)->work, inL1);
    CostEstimate eFused = pricer.estimate((*e)->work, inL1);
    double unfused = pricer.score(mEst) + pricer.score(eEst);
    double fused = pricer.score(mFused) + pricer.score(eFused);
    double beforeJ = mEst.energy.getTotalJ() + eEst.energy.getTotalJ();
    double afterJ = mFused.energy.getTotalJ() + eFused.energy.getTotalJ();
    if (!(fused < unfused))
      return reject(llvm::formatv("not profitable: {0:e} J unfused -> {1:e} "
                                  "J with the intermediate in L1{2}",
                                  beforeJ, afterJ,
                                  pricer.explain(unfused, fused))
                        .str());
    int64_t id = nextId++;
    auto attr = IntegerAttr::get(IntegerType::get(func.getContext(), 64), id);
    contraction->setAttr(kFusionGroupAttr, attr);
    epilogue->setAttr(kFusionGroupAttr, attr);
    FormedGroup g{id, "epilogue", epilogue, {}, 2 * *tBytes, beforeJ, afterJ};
    g.members.append((*m)->members);
    g.members.append((*e)->members);
    groups.push_back(std::move(g));
  });
}

void EnergyAwareFusePass::runOnOperation() {
  // Without remarks, this pass's remarks are dropped here; warnings and
  // errors still reach the user.
  std::optional<ScopedDiagnosticHandler> dropRemarks;
  if (!emitRemarks)
    dropRemarks.emplace(&getContext(), [](Diagnostic &diag) {
      return success(diag.getSeverity() == DiagnosticSeverity::Remark);
    });
  SmallVector<FunctionOpInterface> funcs;
  if (auto func = dyn_cast<FunctionOpInterface>(getOperation()))
    funcs.push_back(func);
  else
    getOperation()->walk<WalkOrder::PreOrder>([&](FunctionOpInterface f) {
      funcs.push_back(f);
      return WalkResult::skip();
    });
  for (FunctionOpInterface func : funcs)
    if (!func.isExternal() && failed(runOnFunction(func)))
      return signalPassFailure();
}

LogicalResult EnergyAwareFusePass::runOnFunction(FunctionOpInterface func) {
  llvm::Expected<TargetDescription> desc =
      lookupTargetFor(func, target, targetDirs);
  if (!desc) {
    func.emitError() << "green-fuse: " << llvm::toString(desc.takeError());
    return failure();
  }
  Pricer pricer(*desc, objective);

  // 1. Constant folding: changes what is left to fuse.
  if (foldConstants) {
    RewritePatternSet patterns(&getContext());
    populateFusionConstantFoldingPatterns(patterns);
    GreedyRewriteConfig config;
    config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    // Count folds through the listener-free way: ops before and after.
    unsigned before = 0, after = 0;
    func.walk([&](Operation *) { ++before; });
    if (failed(applyPatternsGreedily(func, std::move(patterns), config))) {
      func.emitError() << "green-fuse: constant folding did not converge";
      return failure();
    }
    func.walk([&](Operation *) { ++after; });
    if (after < before)
      numConstantFolds += before - after;
  }

  GroupInfoMap infos;
  std::vector<FormedGroup> groups;
  llvm::json::Array rejected;
  int64_t nextId = 0;

  // 2. Element-wise chains.
  if (fuseElementwise) {
    llvm::SetVector<Operation *> generalized =
        generalizeElementwiseNamedOps(func);
    fuseElementwiseChains(func, pricer, infos, generalized);
    // Every group the rounds formed, in program order.
    func.walk([&](Operation *op) {
      auto it = infos.find(op);
      if (it == infos.end() || it->second.members.size() < 2)
        return;
      CostEstimate after = pricer.estimate(it->second.work);
      int64_t afterBytes =
          it->second.work.bytesRead + it->second.work.bytesWritten;
      groups.push_back({nextId++, "elementwise", op, it->second.members,
                        it->second.beforeBytes - afterBytes, it->second.beforeJ,
                        after.energy.getTotalJ()});
    });
    // What is left unfused, and why (at the fixpoint every candidate edge
    // was rejected).
    func.walk([&](linalg::GenericOp consumer) {
      for (OpOperand &operand : consumer->getOpOperands()) {
        std::optional<Decision> d =
            decideElementwise(operand, infos, pricer, allowDuplication);
        if (!d || d->fuse)
          continue;
        Operation *producer = operand.get().getDefiningOp();
        emitRemark(consumer->getLoc()) << "not fused with producer "
                               << describe(producer) << ": " << d->reason;
        rejected.push_back(llvm::json::Object{{"kind", "elementwise"},
                                              {"producer", describe(producer)},
                                              {"consumer", describe(consumer)},
                                              {"reason", d->reason}});
        ++numRejected;
      }
    });

    // Named ops that were generalized and not fused go back to their named
    // form, so the pass changes nothing it does not fuse.
    IRRewriter rewriter(func.getContext());
    for (Operation *op : generalized) {
      rewriter.setInsertionPoint(op);
      infos.erase(op);
      (void)linalg::specializeGenericOp(rewriter, cast<linalg::GenericOp>(op));
    }
  }

  // 3. Row groups (softmax, layer norm): reductions along rows with their
  // producers and consumers.
  if (markRows)
    markRowGroups(func, pricer, infos, groups, nextId, rejected);

  // 4. Contraction and convolution epilogues.
  if (markEpilogues)
    markEpilogueGroups(func, pricer, infos, groups, nextId, rejected);

  // Remarks and the report.
  llvm::json::Array jsonGroups;
  for (const FormedGroup &g : groups) {
    ++numGroups;
    std::string names;
    llvm::raw_string_ostream os(names);
    llvm::interleaveComma(g.members, os);
    emitRemark(g.anchor->getLoc()) << llvm::formatv(
        "{0} group {1}: fused {2} ops ({3}): saves {4} bytes, {5:e} J -> "
        "{6:e} J",
        g.kind, g.id, g.members.size(), names, g.bytesSaved, g.beforeJ,
        g.afterJ);
    llvm::json::Array ops;
    for (const std::string &m : g.members)
      ops.push_back(m);
    jsonGroups.push_back(
        llvm::json::Object{{"id", g.id},
                           {"kind", g.kind},
                           {"ops", std::move(ops)},
                           {"bytes_saved", g.bytesSaved},
                           {"energy_before_j", g.beforeJ},
                           {"energy_after_j", g.afterJ},
                           {"joules_saved", g.beforeJ - g.afterJ}});
  }
  if (!report.empty()) {
    llvm::json::Object obj{{"schema", "green-fusion-report/1"},
                           {"function", func.getName().str()},
                           {"target", desc->name},
                           {"groups", std::move(jsonGroups)},
                           {"rejected", std::move(rejected)}};
    std::string line;
    llvm::raw_string_ostream los(line);
    los << llvm::json::Value(std::move(obj)) << "\n";
    std::error_code ec;
    llvm::raw_fd_ostream file(report, ec, llvm::sys::fs::OF_Append);
    if (ec) {
      func.emitError() << "green-fuse: cannot write report to '"
                       << report.getValue() << "': " << ec.message();
      return failure();
    }
    // One write per function, so functions fused in parallel do not
    // interleave their lines.
    file << line;
  }
  return success();
}

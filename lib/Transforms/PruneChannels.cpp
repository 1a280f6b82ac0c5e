//===- PruneChannels.cpp - structured channel pruning on TOSA -------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Builds channel dependency groups over TOSA (producers with constant
// weights, element-wise ops, transposes, reshapes, consumers), ranks each
// group's channels by weight magnitude and shrinks every tensor and constant
// of the group to the kept channels. Ops are changed in place (new result
// types, new constant operands), so op identity survives for the report.
//
//===----------------------------------------------------------------------===//

#include "green/Transforms/Passes.h"

#include "green/Analysis/EnergyCostAnalysis.h"
#include "green/Dialect/Green/IR/GreenAttrs.h"
#include "green/Target/TargetDescription.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <set>

#define DEBUG_TYPE "green-prune"

namespace mlir::green {
#define GEN_PASS_DEF_PRUNECHANNELSPASS
#include "green/Transforms/Passes.h.inc"
} // namespace mlir::green

using namespace mlir;
using namespace mlir::green;

namespace {

//===----------------------------------------------------------------------===//
// Channel descriptors and groups
//===----------------------------------------------------------------------===//

/// Where the channels of a group live in one tensor: along dimension `dim`,
/// index `f` has position `q = (f / block) % period`, and positions
/// `offset .. offset + count - 1` are the group's channels 0 .. count-1
/// (other positions belong to other groups, after a concat). A producer's
/// output is plain: block 1, offset 0, period = count = the dimension. After
/// a flatten the dimension holds several channels' features (NHWC: block 1;
/// NCHW: contiguous blocks of H*W).
struct ChannelDesc {
  unsigned dim = 0;
  int64_t block = 1;
  int64_t count = 0;
  int64_t offset = 0;
  int64_t period = 0;
  static ChannelDesc plain(unsigned dim, int64_t count, int64_t block = 1) {
    return {dim, block, count, 0, count};
  }
  ChannelDesc withDim(unsigned newDim) const {
    ChannelDesc d = *this;
    d.dim = newDim;
    return d;
  }
  bool isPlain() const { return block == 1 && offset == 0 && period == count; }
  bool operator==(const ChannelDesc &o) const {
    return dim == o.dim && block == o.block && count == o.count &&
           offset == o.offset && period == o.period;
  }
  bool operator!=(const ChannelDesc &o) const { return !(*this == o); }
};

/// A constant operand of `op` that loses the pruned channels.
struct ConstUse {
  Operation *op;
  unsigned operand;
  ChannelDesc desc;
  /// Counted in the channel importance (producer weights and biases).
  bool importance;
};

/// One connected channel space.
struct Group {
  llvm::MapVector<Value, ChannelDesc> members;
  llvm::SetVector<Operation *> producers;
  SmallVector<ConstUse> consts;
  llvm::SetVector<Operation *> reshapes;
  /// Values a consumer (matmul LHS, conv or depthwise input) reads.
  SmallVector<Value> consumed;
  /// tosa.slice ops whose start and size follow the cut.
  llvm::SetVector<Operation *> slices;
  int64_t channels = 0;
  /// The first op that keeps the group intact, and why.
  Operation *blocker = nullptr;
  std::string reason;
  /// Kept channel indices, ascending (set when pruned).
  SmallVector<int64_t> kept;
  /// Position in the builder's order (the same for a clone of the module).
  unsigned index = 0;
  /// Producer outputs per channel: 1, or the head size of a multi-head
  /// attention projection whose features a reshape splits into heads.
  int64_t unit = 1;
  /// Set when a reshape splits a dimension of the group's channels into
  /// [n, b]: the block b (a head's size) and n (the heads), with which
  /// whole blocks can be the group's channels.
  int64_t splitBlock = 0, splitCount = 0;
  /// Importance of each channel (set for groups that are not blocked).
  std::vector<double> scores;
};

static int64_t product(ArrayRef<int64_t> dims) {
  return std::accumulate(dims.begin(), dims.end(), int64_t(1),
                         std::multiplies<int64_t>());
}

/// The f32 constant defining `v`, or null.
static tosa::ConstOp getF32Const(Value v) {
  auto c = v.getDefiningOp<tosa::ConstOp>();
  if (!c || !cast<ShapedType>(c.getType()).getElementType().isF32())
    return nullptr;
  return c;
}

/// The values of an f32 constant (dense or dense_resource).
static std::optional<std::vector<float>> readF32(tosa::ConstOp c) {
  Attribute attr = c.getValuesAttr();
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (!dense.getElementType().isF32())
      return std::nullopt;
    auto values = dense.getValues<float>();
    return std::vector<float>(values.begin(), values.end());
  }
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef();
    if (!data)
      return std::nullopt;
    return std::vector<float>(data->begin(), data->end());
  }
  return std::nullopt;
}

/// The name of an op for users: its location (an importer's node name).
static std::string layerName(Operation *op) {
  return formatLocation(op->getLoc());
}

/// A number as a user wrote it (0.5, -0.1, 1).
static std::string formatNumber(double v) {
  return llvm::formatv("{0}", llvm::format("%g", v)).str();
}

/// Builds the groups of a module.
class GroupBuilder {
public:
  explicit GroupBuilder(ModuleOp module) : module(module) {}
  std::vector<Group> build();

private:
  void grow(Group &g);
  void addMember(Group &g, Value v, ChannelDesc d, Operation *via);
  void addConst(Group &g, Operation *op, unsigned operand, ChannelDesc d,
                bool importance);
  void block(Group &g, Operation *op, const Twine &reason);
  void visit(Group &g, Operation *op, Value from, ChannelDesc d);
  void visitElementwise(Group &g, Operation *op, Value from, ChannelDesc d);
  void visitReshape(Group &g, tosa::ReshapeOp op, Value from, ChannelDesc d);
  void visitChannelConcat(Group &g, tosa::ConcatOp op, Value from,
                          ChannelDesc d);
  void visitSlice(Group &g, tosa::SliceOp op, Value from, ChannelDesc d);
  void checkZeros(Group &g);

  ModuleOp module;
  llvm::DenseMap<Value, unsigned> owner;
  SmallVector<std::pair<Value, ChannelDesc>> worklist;
};

/// Whether `op` produces a fresh channel space from constant weights.
static bool isProducer(Operation *op) {
  if (auto mm = dyn_cast<tosa::MatMulOp>(op))
    return mm.getB().getDefiningOp<tosa::ConstOp>() != nullptr;
  if (auto conv = dyn_cast<tosa::Conv2DOp>(op))
    return conv.getWeight().getDefiningOp<tosa::ConstOp>() != nullptr;
  return false;
}

std::vector<Group> GroupBuilder::build() {
  std::vector<Group> groups;
  module.walk([&](Operation *op) {
    if (!isProducer(op) || owner.count(op->getResult(0)))
      return;
    auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!type || !type.hasStaticShape())
      return;
    Group g;
    g.index = groups.size();
    unsigned dim = type.getRank() - 1;
    g.channels = type.getDimSize(dim);
    addMember(g, op->getResult(0), ChannelDesc::plain(dim, g.channels), op);
    // Mark this group's members before growing so that a producer reached
    // through a residual add is not started again.
    unsigned id = groups.size();
    owner[op->getResult(0)] = id;
    grow(g);
    if (!g.blocker)
      checkZeros(g);
    // Multi-head attention: the projection's features are split into
    // heads; retry with one channel per head (a block of head-size
    // features), which Q, K, V and the output projection share.
    if (g.blocker && isa<tosa::ReshapeOp>(g.blocker) && g.splitBlock > 1) {
      worklist.clear();
      Group h;
      h.index = g.index;
      h.unit = g.splitBlock;
      h.channels = g.splitCount;
      // Feature f belongs to head (f / unit) % heads: with a fused QKV
      // projection, head h owns its block in each of Q, K and V.
      addMember(h, op->getResult(0),
                ChannelDesc::plain(dim, h.channels, h.unit), op);
      grow(h);
      if (!h.blocker)
        checkZeros(h);
      if (!h.blocker) {
        g = std::move(h);
      } else {
        // Name what stops whole heads, not the split itself.
        g.blocker = h.blocker;
        g.reason = h.reason + " (when pruning whole heads of " +
                   std::to_string(h.unit) + " features)";
      }
      worklist.clear();
    }
    for (auto &[v, d] : g.members)
      owner[v] = id;
    if (g.channels < 2 && !g.blocker)
      block(g, op, "has a single channel");
    groups.push_back(std::move(g));
  });
  return groups;
}

void GroupBuilder::block(Group &g, Operation *op, const Twine &reason) {
  if (g.blocker)
    return;
  g.blocker = op;
  g.reason = reason.str();
  LLVM_DEBUG(llvm::dbgs() << "group blocked at " << op->getName() << ": "
                          << g.reason << "\n");
}

void GroupBuilder::addMember(Group &g, Value v, ChannelDesc d, Operation *via) {
  auto it = g.members.find(v);
  if (it != g.members.end()) {
    if (it->second != d)
      block(g, via, "sees the channels in two different layouts");
    return;
  }
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || !type.hasStaticShape() || d.dim >= type.getRank() ||
      type.getDimSize(d.dim) % (d.block * d.period) != 0) {
    block(g, via, "has a dynamic or incompatible shape");
    return;
  }
  g.members.insert({v, d});
  worklist.push_back({v, d});
}

void GroupBuilder::addConst(Group &g, Operation *op, unsigned operand,
                            ChannelDesc d, bool importance) {
  Value v = op->getOperand(operand);
  tosa::ConstOp c = getF32Const(v);
  if (!c) {
    block(g, op, "has a non-constant or non-f32 weight");
    return;
  }
  if (!readF32(c)) {
    block(g, op, "has a weight whose data cannot be read");
    return;
  }
  auto type = cast<RankedTensorType>(v.getType());
  if (d.dim >= type.getRank() ||
      type.getDimSize(d.dim) % (d.block * d.period) != 0) {
    block(g, op, "has a weight of an unexpected shape");
    return;
  }
  // The same weight may be cut on two dimensions by one group (a conv in a
  // residual block reads and writes the block's channels); one dimension
  // cut two ways is a conflict.
  for (const ConstUse &u : g.consts)
    if (u.op == op && u.operand == operand && u.desc.dim == d.dim) {
      if (u.desc != d)
        block(g, op, "sees the channels in two different layouts");
      return;
    }
  g.consts.push_back({op, operand, d, importance});
}

void GroupBuilder::grow(Group &g) {
  // Bounded: each value enters the worklist once (addMember dedups).
  while (!worklist.empty()) {
    auto [v, d] = worklist.pop_back_val();
    if (Operation *def = v.getDefiningOp())
      visit(g, def, v, d);
    else
      block(g, v.getParentBlock()->getParentOp(),
            "receives the channels as a block argument");
    for (OpOperand &use : v.getUses())
      visit(g, use.getOwner(), use.get(), d);
  }
}

/// Whether `v` is a constant of zeros only.
static bool isZeroConst(Value v) {
  tosa::ConstOp c = getF32Const(v);
  if (!c)
    return false;
  std::optional<std::vector<float>> data = readF32(c);
  return data && llvm::all_of(*data, [](float x) { return x == 0.0f; });
}

/// The pruned model must compute what the original computes with the
/// removed channels zeroed on the producer side: every consumer must then
/// read zeros on those channels. Tracks which members are zero there (in
/// program order) and blocks the group at the first op that makes a
/// consumed value non-zero (sigmoid, exp, adding a broadcast constant...).
/// Multiplying by anything keeps zeros, so x * sigmoid(x) passes.
void GroupBuilder::checkZeros(Group &g) {
  llvm::DenseSet<std::pair<Operation *, unsigned>> prunedConsts;
  for (const ConstUse &u : g.consts)
    prunedConsts.insert({u.op, u.operand});
  SmallVector<Value> values;
  for (auto &[v, d] : g.members)
    values.push_back(v);
  // Members are op results (block arguments block the group); order them
  // as they appear so that operands come first.
  llvm::DenseMap<Operation *, unsigned> order;
  unsigned n = 0;
  Operation *func = values.front().getDefiningOp()->getParentOp();
  func->walk([&](Operation *op) { order[op] = n++; });
  llvm::sort(values, [&](Value a, Value b) {
    return order.lookup(a.getDefiningOp()) < order.lookup(b.getDefiningOp());
  });
  llvm::DenseMap<Value, Operation *> breaker; // non-zero members -> cause
  for (Value v : values) {
    Operation *op = v.getDefiningOp();
    auto memberZero = [&](Value x) {
      return g.members.count(x) && !breaker.count(x);
    };
    auto firstBreaker = [&](Operation *fallback) {
      for (Value x : op->getOperands())
        if (Operation *b = breaker.lookup(x))
          return b;
      return fallback;
    };
    bool zero = true;
    if (g.producers.contains(op)) {
      zero = true;
    } else if (isa<tosa::DepthwiseConv2DOp>(op)) {
      zero = memberZero(op->getOperand(0));
    } else if (isa<tosa::MulOp>(op)) {
      zero = llvm::any_of(op->getOperands(), memberZero);
    } else if (auto mm = dyn_cast<tosa::MatMulOp>(op)) {
      // A batched matmul of a zero batch is zero.
      zero = memberZero(mm.getA()) || memberZero(mm.getB());
    } else if (isa<tosa::TransposeOp, tosa::ReshapeOp, tosa::SliceOp,
                   tosa::ConcatOp, tosa::MaxPool2dOp, tosa::AvgPool2dOp,
                   tosa::ReduceSumOp, tosa::ReduceMaxOp, tosa::ReduceMinOp,
                   tosa::ReduceProductOp, tosa::TanhOp, tosa::NegateOp,
                   tosa::AbsOp, tosa::ErfOp, tosa::CastOp, tosa::FloorOp,
                   tosa::CeilOp, tosa::ClampOp, tosa::AddOp, tosa::SubOp,
                   tosa::MaximumOp, tosa::MinimumOp>(op)) {
      // Zero in, zero out, if every other input is zero there too: a
      // member, a per-channel constant (pruned, zeroed in the reference) or
      // a constant of zeros; zero points and shifts are not data.
      for (OpOperand &operand : op->getOpOperands()) {
        Value x = operand.get();
        if (g.members.count(x)) {
          zero &= memberZero(x);
          continue;
        }
        if (isa<tosa::ConcatOp>(op))
          continue; // other groups' channels
        if (isa<tosa::shapeType>(x.getType()))
          continue;
        if (prunedConsts.contains({op, operand.getOperandNumber()}) ||
            isZeroConst(x))
          continue;
        auto type = dyn_cast<RankedTensorType>(x.getType());
        bool isZeroPoint =
            type && type.getNumElements() == 1 &&
            !isa<tosa::AddOp, tosa::SubOp, tosa::MaximumOp, tosa::MinimumOp>(
                op);
        if (!isZeroPoint)
          zero = false;
      }
      if (auto clamp = dyn_cast<tosa::ClampOp>(op)) {
        auto lo = dyn_cast<FloatAttr>(clamp.getMinValAttr());
        auto hi = dyn_cast<FloatAttr>(clamp.getMaxValAttr());
        zero &= lo && hi && lo.getValueAsDouble() <= 0 &&
                hi.getValueAsDouble() >= 0;
      }
    } else {
      zero = false;
    }
    if (!zero)
      breaker[v] = firstBreaker(op);
  }
  for (Value v : g.consumed)
    if (Operation *b = breaker.lookup(v)) {
      block(g, b, "maps the removed channels' zeros to non-zero values");
      return;
    }
}

/// Finds where channels of layout `d` in `from` land in a tensor of shape
/// `to` with the same linear layout.
static std::optional<ChannelDesc>
mapThroughReshape(ArrayRef<int64_t> from, ChannelDesc d, ArrayRef<int64_t> to) {
  int64_t stride = product(from.drop_front(d.dim + 1)) * d.block;
  int64_t period = stride * d.period;
  for (unsigned j = 0; j < to.size(); ++j) {
    int64_t sj = product(to.drop_front(j + 1));
    if (stride % sj == 0 && (sj * to[j]) % period == 0) {
      ChannelDesc r = d.withDim(j);
      r.block = stride / sj;
      return r;
    }
  }
  return std::nullopt;
}

void GroupBuilder::visitReshape(Group &g, tosa::ReshapeOp op, Value from,
                                ChannelDesc d) {
  auto in = cast<RankedTensorType>(op.getInput1().getType());
  auto out = dyn_cast<RankedTensorType>(op.getType());
  if (!out || !out.hasStaticShape()) {
    block(g, op, "reshapes to a dynamic shape");
    return;
  }
  bool forward = from == op.getInput1();
  std::optional<ChannelDesc> other =
      forward ? mapThroughReshape(in.getShape(), d, out.getShape())
              : mapThroughReshape(out.getShape(), d, in.getShape());
  if (!other) {
    // Features split into [heads, head size]: remember the head size, so
    // that the builder can retry with one channel per head.
    // The dimension may hold a slice of the producer's features (a fused
    // QKV projection sliced into Q, K and V).
    int64_t size = in.getDimSize(d.dim);
    if (forward && d.block == 1 && d.period == size && !g.splitBlock) {
      ArrayRef<int64_t> from = in.getShape(), to = out.getShape();
      int64_t inner = product(from.drop_front(d.dim + 1));
      for (unsigned j = 0; j < to.size(); ++j) {
        int64_t rest = product(to.drop_front(j + 1));
        if (product(to.drop_front(j)) == inner * size && rest % inner == 0 &&
            rest / inner > 1 && size % (rest / inner) == 0) {
          g.splitBlock = rest / inner;
          g.splitCount = size / g.splitBlock;
          break;
        }
      }
    }
    block(g, op, "splits a channel across dimensions");
    return;
  }
  g.reshapes.insert(op);
  addMember(g, forward ? op.getResult() : op.getInput1(), *other, op);
}

void GroupBuilder::visitElementwise(Group &g, Operation *op, Value from,
                                    ChannelDesc d) {
  auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  auto fromType = cast<RankedTensorType>(from.getType());
  if (!resultType || !resultType.hasStaticShape() ||
      resultType.getRank() != fromType.getRank() ||
      resultType.getDimSize(d.dim) != fromType.getDimSize(d.dim)) {
    block(g, op, "broadcasts the channels");
    return;
  }
  int64_t size = resultType.getDimSize(d.dim);
  addMember(g, op->getResult(0), d, op);
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<RankedTensorType>(operand.get().getType());
    if (!type || !type.hasStaticShape()) {
      block(g, op, "has an operand of dynamic shape");
      return;
    }
    if (type.getRank() != resultType.getRank()) {
      // Scalars such as tosa.mul's shift or zero points.
      if (type.getNumElements() == 1)
        continue;
      block(g, op, "has an operand of another rank");
      return;
    }
    int64_t n = type.getDimSize(d.dim);
    if (n == 1)
      continue; // broadcast along the channels: the same for all
    if (n != size) {
      block(g, op, "has an operand of an unexpected shape");
      return;
    }
    if (operand.get().getDefiningOp<tosa::ConstOp>())
      addConst(g, op, operand.getOperandNumber(), d, /*importance=*/false);
    else
      addMember(g, operand.get(), d, op);
  }
}

void GroupBuilder::visitChannelConcat(Group &g, tosa::ConcatOp op, Value from,
                                      ChannelDesc d) {
  // The result's channel axis lists the operands' channels one after the
  // other: a group's channels keep their order at the operand's offset.
  unsigned axis = d.dim;
  SmallVector<int64_t> starts, sizes;
  int64_t total = 0;
  for (Value operand : op.getInput1()) {
    starts.push_back(total);
    sizes.push_back(cast<RankedTensorType>(operand.getType()).getDimSize(axis));
    total += sizes.back();
  }
  if (d.block != 1) {
    block(g, op, "concatenates flattened channels");
    return;
  }
  if (from == op.getResult()) {
    if (d.period != total) {
      block(g, op,
            "concatenates along the channel axis in an unexpected "
            "layout");
      return;
    }
    for (unsigned i = 0; i < starts.size(); ++i)
      if (starts[i] <= d.offset && d.offset + d.count <= starts[i] + sizes[i]) {
        ChannelDesc o = d;
        o.offset -= starts[i];
        o.period = sizes[i];
        addMember(g, op.getInput1()[i], o, op);
        return;
      }
    block(g, op, "splits the channels across concatenated operands");
    return;
  }
  SmallVector<unsigned> positions;
  for (unsigned i = 0; i < starts.size(); ++i)
    if (op.getInput1()[i] == from)
      positions.push_back(i);
  if (positions.size() != 1 || sizes[positions[0]] != d.period) {
    block(g, op,
          "concatenates the channels more than once or in an "
          "unexpected layout");
    return;
  }
  ChannelDesc r = d;
  r.offset += starts[positions[0]];
  r.period = total;
  addMember(g, op.getResult(), r, op);
}

/// The values of a tosa.const_shape operand.
static std::optional<SmallVector<int64_t>> getShapeValues(Value v) {
  auto shape = v.getDefiningOp<tosa::ConstShapeOp>();
  if (!shape)
    return std::nullopt;
  SmallVector<int64_t> values;
  for (const APInt &value : shape.getValues().getValues<APInt>())
    values.push_back(value.getSExtValue());
  return values;
}

void GroupBuilder::visitSlice(Group &g, tosa::SliceOp op, Value from,
                              ChannelDesc d) {
  // Grouped convolutions are imported as channel slices, one conv each.
  std::optional<SmallVector<int64_t>> start = getShapeValues(op.getStart());
  auto in = cast<RankedTensorType>(op.getInput1().getType());
  auto out = dyn_cast<RankedTensorType>(op.getType());
  if (from != op.getInput1() && from != op.getResult()) {
    block(g, op, "uses the channels as a slice bound");
    return;
  }
  if (!start || !out || !out.hasStaticShape()) {
    block(g, op, "slices with non-constant bounds");
    return;
  }
  bool forward = from == op.getInput1();
  if (in.getDimSize(d.dim) == out.getDimSize(d.dim)) {
    addMember(g, forward ? op.getResult() : op.getInput1(), d, op);
    g.slices.insert(op);
    return;
  }
  if (d.block != 1) {
    // Whole periods of blocked channels (Q, K, V of a fused projection)
    // keep their layout.
    int64_t unit = d.block * d.period;
    if ((*start)[d.dim] % unit == 0 && in.getDimSize(d.dim) % unit == 0 &&
        out.getDimSize(d.dim) % unit == 0) {
      addMember(g, forward ? op.getResult() : op.getInput1(), d, op);
      g.slices.insert(op);
      return;
    }
    block(g, op, "slices flattened channels");
    return;
  }
  ChannelDesc r = d;
  int64_t first = (*start)[d.dim];
  r.offset = forward ? d.offset - first : d.offset + first;
  r.period = forward ? out.getDimSize(d.dim) : in.getDimSize(d.dim);
  g.slices.insert(op);
  addMember(g, forward ? op.getResult() : op.getInput1(), r, op);
}

void GroupBuilder::visit(Group &g, Operation *op, Value from, ChannelDesc d) {
  bool isResult = from.getDefiningOp() == op;
  if (auto mm = dyn_cast<tosa::MatMulOp>(op)) {
    auto type = cast<RankedTensorType>(from.getType());
    // A batched matmul whose batch carries the channels (heads of an
    // attention: Q x K^T, P x V): both operands and the result share them.
    if (d.dim == 0 && d.block == 1 && d.isPlain()) {
      for (Value v : {mm.getA(), mm.getB(), mm.getResult()})
        addMember(g, v, d, op);
      return;
    }
    if (d.dim != type.getRank() - 1 ||
        !mm.getB().getDefiningOp<tosa::ConstOp>()) {
      block(g, op,
            "uses the channels in a tosa.matmul other than as the "
            "K dimension of its LHS against a constant weight");
      return;
    }
    if (isResult) {
      // Whole outputs or whole blocks of them (attention heads).
      if (d.offset != 0 || d.period != d.count) {
        block(g, op, "sees the channels in two different layouts");
        return;
      }
      g.producers.insert(op);
      addConst(g, op, 1, d.withDim(2), /*importance=*/true);
    } else if (from == mm.getA() && from != mm.getB()) {
      addConst(g, op, 1, d.withDim(1), /*importance=*/false);
      g.consumed.push_back(from);
    } else {
      block(g, op, "uses the channels as a tosa.matmul weight");
    }
    return;
  }
  if (auto conv = dyn_cast<tosa::Conv2DOp>(op)) {
    if (d.dim != 3 || d.block != 1 ||
        !conv.getWeight().getDefiningOp<tosa::ConstOp>()) {
      block(g, op,
            "uses the channels in a tosa.conv2d other than as NHWC "
            "channels against a constant weight");
      return;
    }
    if (isResult) {
      if (!d.isPlain()) {
        block(g, op, "sees the channels in two different layouts");
        return;
      }
      g.producers.insert(op);
      addConst(g, op, 1, d.withDim(0), /*importance=*/true);
      if (cast<RankedTensorType>(conv.getBias().getType()).getDimSize(0) != 1)
        addConst(g, op, 2, d.withDim(0), /*importance=*/true);
    } else if (from == conv.getInput()) {
      addConst(g, op, 1, d.withDim(3), /*importance=*/false);
      g.consumed.push_back(from);
    } else {
      block(g, op, "uses the channels as a tosa.conv2d weight or bias");
    }
    return;
  }
  if (auto dw = dyn_cast<tosa::DepthwiseConv2DOp>(op)) {
    auto wType = cast<RankedTensorType>(dw.getWeight().getType());
    int64_t m = wType.getDimSize(3);
    bool fromInput = !isResult && from == dw.getInput();
    if (d.dim != 3 || d.offset != 0 || d.period != d.count ||
        (fromInput && d.block != 1) || (isResult && d.block != m) ||
        (!fromInput && !isResult)) {
      block(g, op,
            "uses the channels in a tosa.depthwise_conv2d other "
            "than as NHWC channels");
      return;
    }
    addMember(g, dw.getInput(), ChannelDesc::plain(3, d.count), op);
    g.consumed.push_back(dw.getInput());
    addMember(g, dw.getResult(), ChannelDesc::plain(3, d.count, m), op);
    addConst(g, op, 1, ChannelDesc::plain(2, d.count), /*importance=*/false);
    if (cast<RankedTensorType>(dw.getBias().getType()).getDimSize(0) != 1)
      addConst(g, op, 2, ChannelDesc::plain(0, d.count, m),
               /*importance=*/false);
    return;
  }
  if (auto transpose = dyn_cast<tosa::TransposeOp>(op)) {
    ArrayRef<int32_t> perms = transpose.getPerms();
    if (isResult) {
      addMember(g, transpose.getInput1(),
                d.withDim(static_cast<unsigned>(perms[d.dim])), op);
      return;
    }
    for (unsigned i = 0; i < perms.size(); ++i)
      if (static_cast<unsigned>(perms[i]) == d.dim)
        addMember(g, transpose.getResult(), d.withDim(i), op);
    return;
  }
  if (auto reshape = dyn_cast<tosa::ReshapeOp>(op)) {
    if (from == reshape.getShape()) {
      block(g, op, "uses the channels as a shape");
      return;
    }
    visitReshape(g, reshape, from, d);
    return;
  }
  if (isa<tosa::MaxPool2dOp, tosa::AvgPool2dOp>(op)) {
    // Pooling is per channel over H and W of NHWC.
    if (d.dim != 3 || (!isResult && from != op->getOperand(0))) {
      block(g, op, "pools over the channel axis");
      return;
    }
    addMember(g, isResult ? op->getOperand(0) : op->getResult(0), d, op);
    return;
  }
  if (isa<tosa::ReduceSumOp, tosa::ReduceMaxOp, tosa::ReduceMinOp,
          tosa::ReduceProductOp>(op)) {
    // A reduction over other axes keeps the channels where they were.
    auto axis = op->getAttrOfType<IntegerAttr>("axis");
    if (!axis || axis.getInt() == d.dim) {
      block(g, op, "has unknown channel semantics");
      return;
    }
    addMember(g, isResult ? op->getOperand(0) : op->getResult(0), d, op);
    return;
  }
  if (auto slice = dyn_cast<tosa::SliceOp>(op)) {
    visitSlice(g, slice, from, d);
    return;
  }
  if (auto concat = dyn_cast<tosa::ConcatOp>(op)) {
    if (static_cast<unsigned>(concat.getAxis()) == d.dim) {
      visitChannelConcat(g, concat, from, d);
      return;
    }
    addMember(g, concat.getResult(), d, op);
    for (Value operand : concat.getInput1())
      addMember(g, operand, d, op);
    return;
  }
  // tosa.mul broadcasts like the others but lacks the trait (its shift
  // operand is rank 1).
  if ((op->hasTrait<OpTrait::tosa::TosaElementwiseOperator>() ||
       isa<tosa::MulOp>(op)) &&
      op->getNumResults() == 1) {
    visitElementwise(g, op, from, d);
    return;
  }
  if (op->hasTrait<OpTrait::IsTerminator>()) {
    block(g, op, "passes the channels out of its region (a function result)");
    return;
  }
  block(g, op, "has unknown channel semantics");
}

//===----------------------------------------------------------------------===//
// Importance and rewriting
//===----------------------------------------------------------------------===//

/// Adds each channel's |w| (L1) or w^2 (L2) in a constant to `scores`.
static void accumulateImportance(ArrayRef<float> data, ArrayRef<int64_t> shape,
                                 ChannelDesc d, PruneImportance importance,
                                 std::vector<double> &scores) {
  int64_t outer = product(shape.take_front(d.dim));
  int64_t n = shape[d.dim];
  int64_t inner = product(shape.drop_front(d.dim + 1));
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t f = 0; f < n; ++f) {
      int64_t q = (f / d.block) % d.period;
      if (q < d.offset || q >= d.offset + d.count)
        continue;
      double &s = scores[q - d.offset];
      const float *p = data.data() + (o * n + f) * inner;
      for (int64_t i = 0; i < inner; ++i)
        s += importance == PruneImportance::L1 ? std::fabs(p[i])
                                               : double(p[i]) * p[i];
    }
}

/// Chooses the channels to keep: the `numKept` highest scores, ties to the
/// lower index, returned ascending.
static SmallVector<int64_t> chooseKept(ArrayRef<double> scores,
                                       int64_t numKept) {
  SmallVector<int64_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return scores[a] > scores[b]; });
  order.resize(numKept);
  llvm::sort(order);
  return order;
}

/// The gradient files of first-order Taylor importance, by layer name and
/// operand number; empty when importance is magnitude only.
using GradientMap = std::map<std::pair<std::string, unsigned>,
                             std::vector<float>>;

/// Computes each channel's importance in `g`: the norm of its producers'
/// weights and biases, or with gradients sum |w * dL/dw|.
static void scoreGroup(Group &g, PruneImportance importance,
                       const GradientMap &gradients) {
  g.scores.assign(g.channels, 0.0);
  for (const ConstUse &u : g.consts) {
    if (!u.importance)
      continue;
    tosa::ConstOp c = getF32Const(u.op->getOperand(u.operand));
    std::vector<float> data = *readF32(c);
    if (!gradients.empty()) {
      auto it = gradients.find({layerName(u.op), u.operand});
      if (it == gradients.end())
        continue; // a bias without a gradient file
      for (size_t i = 0; i < data.size(); ++i)
        data[i] *= it->second[i];
      accumulateImportance(data,
                           cast<RankedTensorType>(c.getType()).getShape(),
                           u.desc, PruneImportance::L1, g.scores);
      continue;
    }
    accumulateImportance(data, cast<RankedTensorType>(c.getType()).getShape(),
                         u.desc, importance, g.scores);
  }
}

/// Channels kept at `ratio` (at least one).
static int64_t keptAtRatio(const Group &g, double ratio) {
  int64_t removed = static_cast<int64_t>(std::floor(ratio * g.channels + 1e-9));
  return std::max<int64_t>(1, g.channels - removed);
}

/// One group's cut through one tensor.
struct Cut {
  ChannelDesc desc;
  const llvm::BitVector *keep;
};

/// Per dimension of `shape`, which indices survive all `cuts`.
static SmallVector<SmallVector<bool>> keptIndices(ArrayRef<int64_t> shape,
                                                  ArrayRef<Cut> cuts) {
  SmallVector<SmallVector<bool>> masks;
  for (int64_t n : shape)
    masks.emplace_back(n, true);
  for (const Cut &cut : cuts) {
    const ChannelDesc &d = cut.desc;
    for (int64_t f = 0; f < shape[d.dim]; ++f) {
      int64_t q = (f / d.block) % d.period;
      if (q >= d.offset && q < d.offset + d.count &&
          !cut.keep->test(q - d.offset))
        masks[d.dim][f] = false;
    }
  }
  return masks;
}

static SmallVector<int64_t> keptShape(ArrayRef<SmallVector<bool>> masks) {
  SmallVector<int64_t> shape;
  for (const SmallVector<bool> &m : masks)
    shape.push_back(llvm::count(m, true));
  return shape;
}

/// The elements whose every index survives.
static std::vector<float> gather(ArrayRef<float> data, ArrayRef<int64_t> shape,
                                 ArrayRef<SmallVector<bool>> masks) {
  std::vector<float> result;
  SmallVector<int64_t> index(shape.size(), 0);
  for (float value : data) {
    bool keep = true;
    for (unsigned d = 0; d < shape.size() && keep; ++d)
      keep = masks[d][index[d]];
    if (keep)
      result.push_back(value);
    for (int d = static_cast<int>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return result;
}

/// Shrinks every tensor and constant of the pruned groups at once: a value
/// or constant after a concat is cut by several groups, each at its offset
/// in the original layout.
static void rewriteGroups(ArrayRef<Group *> pruned) {
  std::vector<llvm::BitVector> keeps;
  keeps.reserve(pruned.size());
  llvm::MapVector<Value, SmallVector<Cut>> valueCuts;
  llvm::MapVector<std::pair<Operation *, unsigned>, SmallVector<Cut>> constCuts;
  llvm::SetVector<Operation *> reshapes;
  for (Group *g : pruned) {
    keeps.emplace_back(g->channels);
    for (int64_t c : g->kept)
      keeps.back().set(c);
    for (auto &[v, d] : g->members)
      valueCuts[v].push_back({d, &keeps.back()});
    for (const ConstUse &u : g->consts)
      constCuts[{u.op, u.operand}].push_back({u.desc, &keeps.back()});
    reshapes.insert(g->reshapes.begin(), g->reshapes.end());
  }
  for (auto &[use, cuts] : constCuts) {
    auto [op, operand] = use;
    tosa::ConstOp c = getF32Const(op->getOperand(operand));
    auto type = cast<RankedTensorType>(c.getType());
    SmallVector<SmallVector<bool>> masks = keptIndices(type.getShape(), cuts);
    std::vector<float> data = gather(*readF32(c), type.getShape(), masks);
    auto newType =
        RankedTensorType::get(keptShape(masks), type.getElementType());
    // Where the old constant was, so that the IR keeps its order.
    OpBuilder b(c);
    auto newConst = tosa::ConstOp::create(
        b, c.getLoc(), newType,
        DenseElementsAttr::get(newType, ArrayRef<float>(data)));
    op->setOperand(operand, newConst);
    if (c->use_empty())
      c->erase();
  }
  // Slice bounds, against the input's original layout.
  llvm::SetVector<Operation *> slices;
  for (Group *g : pruned)
    slices.insert(g->slices.begin(), g->slices.end());
  for (Operation *op : slices) {
    auto slice = cast<tosa::SliceOp>(op);
    SmallVector<int64_t> start = *getShapeValues(slice.getStart());
    SmallVector<int64_t> size = *getShapeValues(slice.getSize());
    auto in = cast<RankedTensorType>(slice.getInput1().getType());
    SmallVector<SmallVector<bool>> masks =
        keptIndices(in.getShape(), valueCuts.lookup(slice.getInput1()));
    for (unsigned d = 0; d < start.size(); ++d) {
      ArrayRef<bool> mask(masks[d]);
      int64_t newStart = llvm::count(mask.take_front(start[d]), true);
      size[d] = llvm::count(mask.slice(start[d], size[d]), true);
      start[d] = newStart;
    }
    OpBuilder b(op);
    auto shapeType = tosa::shapeType::get(b.getContext(), start.size());
    Value oldStart = slice.getStart(), oldSize = slice.getSize();
    slice.getStartMutable().assign(tosa::ConstShapeOp::create(
        b, op->getLoc(), shapeType, b.getIndexTensorAttr(start)));
    slice.getSizeMutable().assign(tosa::ConstShapeOp::create(
        b, op->getLoc(), shapeType, b.getIndexTensorAttr(size)));
    for (Value old : {oldStart, oldSize})
      if (Operation *def = old.getDefiningOp(); def && def->use_empty())
        def->erase();
  }
  for (auto &[v, cuts] : valueCuts) {
    auto type = cast<RankedTensorType>(v.getType());
    v.setType(
        RankedTensorType::get(keptShape(keptIndices(type.getShape(), cuts)),
                              type.getElementType(), type.getEncoding()));
  }
  for (Operation *op : reshapes) {
    auto reshape = cast<tosa::ReshapeOp>(op);
    ArrayRef<int64_t> shape =
        cast<RankedTensorType>(reshape.getType()).getShape();
    OpBuilder b(op);
    auto shapeOp = tosa::ConstShapeOp::create(
        b, op->getLoc(), tosa::shapeType::get(b.getContext(), shape.size()),
        b.getIndexTensorAttr(shape));
    Value old = reshape.getShape();
    reshape.getShapeMutable().assign(shapeOp);
    if (Operation *def = old.getDefiningOp(); def && def->use_empty())
      def->erase();
  }
}

//===----------------------------------------------------------------------===//
// Layer statistics
//===----------------------------------------------------------------------===//

struct LayerStats {
  int64_t macs = 0, params = 0;
};

static int64_t numElements(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.hasStaticShape() ? type.getNumElements() : 0;
}

/// MACs and weight + bias elements of the module's weighted ops.
static llvm::MapVector<Operation *, LayerStats> collectLayers(ModuleOp module) {
  llvm::MapVector<Operation *, LayerStats> layers;
  module.walk([&](Operation *op) {
    if (auto mm = dyn_cast<tosa::MatMulOp>(op)) {
      auto a = cast<ShapedType>(mm.getA().getType());
      layers[op] = {numElements(mm.getResult()) * a.getDimSize(2),
                    mm.getB().getDefiningOp<tosa::ConstOp>()
                        ? numElements(mm.getB())
                        : 0};
    } else if (auto conv = dyn_cast<tosa::Conv2DOp>(op)) {
      auto w = cast<ShapedType>(conv.getWeight().getType());
      layers[op] = {numElements(conv.getResult()) * w.getDimSize(1) *
                        w.getDimSize(2) * w.getDimSize(3),
                    numElements(conv.getWeight()) +
                        numElements(conv.getBias())};
    } else if (auto dw = dyn_cast<tosa::DepthwiseConv2DOp>(op)) {
      auto w = cast<ShapedType>(dw.getWeight().getType());
      layers[op] = {numElements(dw.getResult()) * w.getDimSize(0) *
                        w.getDimSize(1),
                    numElements(dw.getWeight()) + numElements(dw.getBias())};
    }
  });
  return layers;
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

/// Writes `json` (pretty-printed) to `path`; a located error if the file
/// cannot be written.
static LogicalResult writeJSONReport(ModuleOp module, StringRef path,
                                     llvm::json::Object json) {
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> file = openOutputFile(path, &error);
  if (!file)
    return module.emitError() << "green-prune: cannot write report to '"
                              << path << "': " << error;
  file->os() << llvm::formatv("{0:2}", llvm::json::Value(std::move(json)))
             << "\n";
  file->keep();
  return success();
}

/// A .npy file of float32 (little-endian, C order): its shape and data.
struct NpyArray {
  SmallVector<int64_t> shape;
  std::vector<float> data;
};

/// Reads a .npy file (format versions 1 to 3, dtype '<f4', C order).
static llvm::Expected<NpyArray> readNpy(StringRef path) {
  auto fail = [&](const Twine &why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "'" + path + "': " + why);
  };
  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> file = openInputFile(path, &error);
  if (!file)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), error);
  StringRef bytes = file->getBuffer();
  if (bytes.size() < 10 || !bytes.starts_with("\x93NUMPY"))
    return fail("not a .npy file");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = static_cast<unsigned char>(bytes[8]) |
                static_cast<unsigned char>(bytes[9]) << 8;
    headerStart = 10;
  } else if ((major == 2 || major == 3) && bytes.size() >= 12) {
    headerLen = 0;
    for (int i = 3; i >= 0; --i)
      headerLen = headerLen << 8 | static_cast<unsigned char>(bytes[8 + i]);
    headerStart = 12;
  } else {
    return fail("unsupported .npy version " + Twine(major));
  }
  if (bytes.size() < headerStart + headerLen)
    return fail("truncated header");
  StringRef header = bytes.substr(headerStart, headerLen);
  if (!header.contains("'descr': '<f4'"))
    return fail("dtype must be float32 ('<f4'), header " + header.trim());
  if (!header.contains("'fortran_order': False"))
    return fail("must be in C order");
  size_t open = header.find("'shape': (");
  size_t close = header.find(')', open);
  if (open == StringRef::npos || close == StringRef::npos)
    return fail("no shape in header");
  NpyArray array;
  SmallVector<StringRef> dims;
  header.slice(open + 10, close).split(dims, ',');
  for (StringRef dim : dims) {
    dim = dim.trim();
    if (dim.empty())
      continue;
    int64_t n;
    if (dim.getAsInteger(10, n) || n < 0)
      return fail("bad shape in header " + header.trim());
    array.shape.push_back(n);
  }
  size_t count = static_cast<size_t>(product(array.shape));
  StringRef payload = bytes.substr(headerStart + headerLen);
  if (payload.size() != count * sizeof(float))
    return fail("holds " + Twine(payload.size()) + " bytes of data, expected " +
                Twine(count * sizeof(float)));
  array.data.resize(count);
  std::memcpy(array.data.data(), payload.data(), payload.size());
  return array;
}

/// The gradient file of a layer's weight: the name with characters other
/// than letters, digits, '.', '-' and '_' replaced by '_'.
static std::string gradientFileName(StringRef layer, StringRef suffix) {
  std::string name;
  for (char c : layer)
    name += llvm::isAlnum(c) || c == '.' || c == '-' || c == '_' ? c : '_';
  return name + suffix.str() + ".npy";
}

/// Energy of each op of `module` (all of its executions).
static llvm::DenseMap<Operation *, double>
energyByOp(const EnergyCostAnalysis &analysis) {
  llvm::DenseMap<Operation *, double> energy;
  for (const OpCostEntry &entry : analysis.getOps())
    energy[entry.op] += entry.estimate.energy.getTotalJ();
  return energy;
}

/// The ops whose work shrinks with a group's channels: producers,
/// consumers and per-channel ops of the group.
static llvm::SetVector<Operation *> groupOps(const Group &g) {
  llvm::SetVector<Operation *> ops;
  ops.insert(g.producers.begin(), g.producers.end());
  for (const ConstUse &u : g.consts)
    ops.insert(u.op);
  for (auto &[v, d] : g.members)
    if (Operation *def = v.getDefiningOp())
      ops.insert(def);
  return ops;
}

struct PruneChannelsPass
    : public green::impl::PruneChannelsPassBase<PruneChannelsPass> {
  using PruneChannelsPassBase::PruneChannelsPassBase;
  void runOnOperation() override;

private:
  /// How many channels of a group to keep (its channel count: all).
  using KeepRule = llvm::function_ref<int64_t(const Group &)>;
  /// Builds the groups of `module`, scores them and prunes each selected
  /// one to the channels `rule` keeps.
  std::vector<Group> prune(ModuleOp module, KeepRule rule);
  /// The ratio of a group under `ratio`, `layers` and `layer-ratios`;
  /// nullopt leaves it whole.
  std::optional<double> ratioOf(const Group &g) const;
  bool isSelected(const Group &g) const;
  LogicalResult parseLayerRatios(ModuleOp module);
  LogicalResult
  loadGradients(ArrayRef<std::pair<Operation *, unsigned>> uses);
  /// mode=n-m and mode=unstructured.
  void runSparsity(ModuleOp module);

  std::map<std::string, double> layerRatio;
  GradientMap gradientData;
};

} // namespace

LogicalResult PruneChannelsPass::parseLayerRatios(ModuleOp module) {
  for (const std::string &entry : layerRatios) {
    auto [name, value] = StringRef(entry).rsplit(':');
    double r;
    if (name.empty() || value.empty() || value.trim().getAsDouble(r)) {
      module.emitError() << "green-prune: layer-ratios entry '" << entry
                         << "' is not <layer>:<ratio>";
      return failure();
    }
    if (!(r >= 0.0 && r < 1.0)) {
      module.emitError() << "green-prune: ratio of layer '" << name
                         << "' must be in [0, 1), got " << value.trim();
      return failure();
    }
    if (!layerRatio.emplace(name.str(), r).second) {
      module.emitError() << "green-prune: layer-ratios names '" << name
                         << "' twice";
      return failure();
    }
  }
  return success();
}

LogicalResult PruneChannelsPass::loadGradients(
    ArrayRef<std::pair<Operation *, unsigned>> uses) {
  if (gradients.empty())
    return success();
  for (auto [op, operand] : uses) {
    std::string layer = layerName(op);
    bool isBias = operand != 1;
    auto key = std::make_pair(layer, operand);
    if (gradientData.count(key))
      continue;
    SmallString<128> path(gradients.getValue());
    llvm::sys::path::append(path,
                            gradientFileName(layer, isBias ? ".bias" : ""));
    if (isBias && !llvm::sys::fs::exists(path))
      continue; // bias gradients are optional
    llvm::Expected<NpyArray> array = readNpy(path);
    if (!array) {
      emitError(op->getLoc()) << "green-prune: gradient of layer '" << layer
                              << "': " << llvm::toString(array.takeError());
      return failure();
    }
    auto type = cast<RankedTensorType>(op->getOperand(operand).getType());
    if (ArrayRef<int64_t>(array->shape) != type.getShape()) {
      std::string got;
      for (int64_t d : array->shape)
        got += (got.empty() ? "" : "x") + std::to_string(d);
      emitError(op->getLoc())
          << "green-prune: gradient '" << path << "' of layer '" << layer
          << "' has shape " << (got.empty() ? "()" : got)
          << ", expected the weight's " << type;
      return failure();
    }
    gradientData[key] = std::move(array->data);
  }
  return success();
}

std::optional<double> PruneChannelsPass::ratioOf(const Group &g) const {
  if (g.blocker)
    return std::nullopt;
  if (!layerRatio.empty()) {
    std::optional<double> r;
    for (Operation *p : g.producers) {
      auto it = layerRatio.find(layerName(p));
      if (it != layerRatio.end())
        r = std::max(r.value_or(0.0), it->second);
    }
    if (r)
      return r;
    // Other groups follow `ratio` and `layers` only when those are given.
    if (!ratio.hasValue() && layers.empty())
      return std::nullopt;
  }
  if (!isSelected(g))
    return std::nullopt;
  return ratio.getValue();
}

bool PruneChannelsPass::isSelected(const Group &g) const {
  if (g.blocker)
    return false;
  if (layers.empty())
    return true;
  for (Operation *p : g.producers)
    if (llvm::is_contained(layers, layerName(p)))
      return true;
  return false;
}

std::vector<Group> PruneChannelsPass::prune(ModuleOp module, KeepRule rule) {
  std::vector<Group> groups = GroupBuilder(module).build();
  for (Group &g : groups) {
    if (g.blocker)
      continue;
    scoreGroup(g, importance, gradientData);
    int64_t n = std::clamp<int64_t>(rule(g), 1, g.channels);
    if (n < g.channels || ratioOf(g))
      g.kept = chooseKept(g.scores, n);
  }
  // A slice must keep at least one channel of the group (a grouped conv
  // with an empty group is not a valid op): keep such groups whole.
  for (Group &g : groups) {
    if (g.kept.empty())
      continue;
    for (auto &[v, d] : g.members) {
      Operation *def = v.getDefiningOp();
      if (!def || !g.slices.contains(def))
        continue;
      bool any = false;
      for (int64_t c : g.kept)
        any |= c + d.offset >= 0 && c + d.offset < d.period;
      if (!any) {
        g.kept.clear();
        g.blocker = def;
        g.reason = "would keep none of the group's channels (at this ratio)";
        break;
      }
    }
  }
  SmallVector<Group *> pruned;
  for (Group &g : groups)
    if (!g.blocker && !g.kept.empty() &&
        static_cast<int64_t>(g.kept.size()) < g.channels)
      pruned.push_back(&g);
  rewriteGroups(pruned);
  return groups;
}

void PruneChannelsPass::runOnOperation() {
  ModuleOp module = getOperation();
  if (!(ratio >= 0.0 && ratio < 1.0)) {
    module.emitError() << "green-prune: ratio must be in [0, 1), got "
                       << formatNumber(ratio);
    return signalPassFailure();
  }
  if (!(energyTarget >= 0.0 && energyTarget <= 1.0)) {
    module.emitError() << "green-prune: energy-target must be in (0, 1] or "
                          "0 (off), got "
                       << formatNumber(energyTarget);
    return signalPassFailure();
  }
  if (failed(parseLayerRatios(module)))
    return signalPassFailure();
  if (mode != PruneMode::Channels)
    return runSparsity(module);
  if (energyTarget > 0 && !layerRatio.empty()) {
    module.emitError() << "green-prune: energy-target and layer-ratios "
                          "exclude each other (the energy target chooses "
                          "each layer's ratio)";
    return signalPassFailure();
  }
  // Every named layer must be a producer of some group.
  std::vector<Group> original = GroupBuilder(module).build();
  {
    std::set<std::string> names;
    for (const Group &g : original)
      for (Operation *p : g.producers)
        names.insert(layerName(p));
    SmallVector<std::string> wanted(layers.begin(), layers.end());
    for (auto &[name, r] : layerRatio)
      wanted.push_back(name);
    for (const std::string &name : wanted)
      if (!names.count(name)) {
        std::string known;
        for (const std::string &n : names)
          known += (known.empty() ? "" : ", ") + n;
        module.emitError() << "green-prune: no prunable layer named '" << name
                           << "' (layers: " << (known.empty() ? "none" : known)
                           << ")";
        return signalPassFailure();
      }
  }
  {
    SmallVector<std::pair<Operation *, unsigned>> uses;
    for (const Group &g : original)
      if (!g.blocker)
        for (const ConstUse &u : g.consts)
          if (u.importance)
            uses.push_back({u.op, u.operand});
    if (failed(loadGradients(uses)))
      return signalPassFailure();
  }

  // Energy estimates are needed for the report and the energy target.
  std::optional<TargetDescription> desc;
  if (energyTarget > 0 || !report.empty()) {
    llvm::Expected<TargetDescription> found = lookupTargetFor(module, target);
    if (!found) {
      module.emitError() << "green-prune: "
                         << llvm::toString(found.takeError());
      return signalPassFailure();
    }
    desc = std::move(*found);
  }
  auto estimate = [&](ModuleOp m) {
    return EnergyCostAnalysis(m, *desc).getTotal().energy.getTotalJ();
  };

  std::optional<EnergyCostAnalysis> analysisBefore;
  if (desc)
    analysisBefore.emplace(module, *desc);
  double energyBefore =
      desc ? analysisBefore->getTotal().energy.getTotalJ() : 0;
  llvm::DenseMap<Operation *, double> opEnergyBefore;
  if (desc)
    opEnergyBefore = energyByOp(*analysisBefore);

  // The uniform rule: each group at its ratio.
  auto byRatio = [&](const Group &g) -> int64_t {
    std::optional<double> r = ratioOf(g);
    return r ? keptAtRatio(g, *r) : g.channels;
  };
  double threshold = 0;
  std::vector<double> costPerChannel(original.size(), 0.0);
  // The energy rule: a channel goes when its importance relative to its
  // group's mean (sensitivity), divided by the group's energy per channel
  // relative to the mean over groups, is below `threshold`: cheap layers
  // and important channels are cut last.
  auto byEnergy = [&](const Group &g) -> int64_t {
    if (!isSelected(g) || g.index >= costPerChannel.size() ||
        costPerChannel[g.index] <= 0)
      return g.channels;
    double mean = std::accumulate(g.scores.begin(), g.scores.end(), 0.0) /
                  g.channels;
    // Cut in ascending importance; the r-th cut also weighs how thin the
    // group gets (C / (C - r)): the last channels of a layer are the most
    // sensitive, whatever their relative magnitude.
    std::vector<double> ascending(g.scores.begin(), g.scores.end());
    llvm::sort(ascending);
    int64_t cut = 0;
    for (double s : ascending) {
      double relative = mean > 0 ? s / mean : 1.0;
      double thinning = double(g.channels) / double(g.channels - cut);
      if (relative * thinning / costPerChannel[g.index] >= threshold)
        break;
      ++cut;
    }
    return g.channels - cut;
  };
  bool useEnergy = energyTarget > 0;
  if (useEnergy) {
    // Energy per channel of each group, relative to the mean over groups.
    double sum = 0;
    unsigned count = 0;
    for (const Group &g : original) {
      if (g.blocker)
        continue;
      double e = 0;
      for (Operation *op : groupOps(g))
        e += opEnergyBefore.lookup(op);
      costPerChannel[g.index] = e / g.channels;
      sum += costPerChannel[g.index];
      ++count;
    }
    double mean = count ? sum / count : 0;
    for (double &c : costPerChannel)
      c = mean > 0 ? c / mean : 0;
    // Energy falls as the threshold rises: bisect on clones for the
    // smallest threshold that meets the target.
    double goal = energyTarget * energyBefore;
    auto energyAt = [&](double t) {
      threshold = t;
      OwningOpRef<ModuleOp> clone = module.clone();
      prune(*clone, byEnergy);
      return estimate(*clone);
    };
    double lo = 0, hi = 1;
    if (energyBefore <= goal) {
      hi = 0;
    } else {
      while (hi < 1e6 && energyAt(hi) > goal)
        hi *= 4;
      if (energyAt(hi) > goal) {
        emitWarning(module.getLoc())
            << "green-prune: energy-target " << formatNumber(energyTarget)
            << " not reachable; pruning every group to one channel";
      } else {
        for (int i = 0; i < 16; ++i) {
          double mid = (lo + hi) / 2;
          (energyAt(mid) <= goal ? hi : lo) = mid;
        }
      }
    }
    threshold = hi;
  }

  llvm::MapVector<Operation *, LayerStats> layersBefore = collectLayers(module);
  std::vector<Group> groups =
      useEnergy ? prune(module, byEnergy) : prune(module, byRatio);
  llvm::MapVector<Operation *, LayerStats> layersAfter = collectLayers(module);
  std::optional<EnergyCostAnalysis> analysisAfter;
  if (desc)
    analysisAfter.emplace(module, *desc);
  double energyAfter = desc ? analysisAfter->getTotal().energy.getTotalJ() : 0;
  if (useEnergy) {
    int64_t total = 0, kept = 0;
    for (const Group &g : groups) {
      if (g.blocker)
        continue;
      total += g.channels;
      kept += g.kept.empty() ? g.channels : g.kept.size();
    }
    emitRemark(module.getLoc())
        << "green-prune: energy-target " << formatNumber(energyTarget)
        << " -> kept " << kept << " of " << total
        << " prunable channels, allocated by layer energy and channel importance "
           "(estimated "
        << formatNumber(energyBefore) << " J before, "
        << formatNumber(energyAfter) << " J after)";
  }

  // Remarks and statistics.
  llvm::json::Array groupsJson;
  for (const Group &g : groups) {
    ++numGroups;
    llvm::json::Array producers;
    for (Operation *p : g.producers)
      producers.push_back(layerName(p));
    llvm::json::Object entry{{"producers", std::move(producers)},
                             {"channels", g.channels}};
    if (g.unit > 1)
      entry["features_per_channel"] = g.unit;
    if (g.blocker) {
      ++numIntactGroups;
      std::string why =
          llvm::formatv("'{0}' at {1} {2}", g.blocker->getName().getStringRef(),
                        layerName(g.blocker), g.reason);
      for (Operation *p : g.producers)
        emitRemark(p->getLoc()) << "green-prune: channels of '" << layerName(p)
                                << "' left intact: " << why;
      entry["intact"] = why;
    } else if (!g.kept.empty()) {
      ++numPrunedGroups;
      numChannelsRemoved += g.channels - g.kept.size();
      std::string list;
      for (int64_t c : g.kept)
        list += (list.empty() ? "" : ", ") + std::to_string(c);
      for (Operation *p : g.producers)
        emitRemark(p->getLoc())
            << "green-prune: kept " << g.kept.size() << " of " << g.channels
            << (g.unit > 1 ? llvm::formatv(" heads ({0} features each)",
                                           g.unit)
                                 .str()
                           : std::string(" channels"))
            << " of '" << layerName(p) << "': [" << list << "]";
      entry["kept"] = llvm::json::Array(g.kept);
    }
    groupsJson.push_back(std::move(entry));
  }

  if (report.empty())
    return;
  // Channels of each producer's output, for the per-layer entries.
  llvm::DenseMap<Operation *, const Group *> groupOf;
  for (const Group &g : groups)
    for (Operation *p : g.producers)
      groupOf[p] = &g;
  llvm::DenseMap<Operation *, double> opEnergyAfter = energyByOp(*analysisAfter);
  llvm::json::Array layersJson;
  int64_t macsBefore = 0, macsAfter = 0, paramsBefore = 0, paramsAfter = 0;
  for (auto &[op, before] : layersBefore) {
    LayerStats after = layersAfter.lookup(op);
    macsBefore += before.macs;
    macsAfter += after.macs;
    paramsBefore += before.params;
    paramsAfter += after.params;
    llvm::json::Object layer{
        {"name", layerName(op)},
        {"op", op->getName().getStringRef()},
        {"macs_before", before.macs},
        {"macs_after", after.macs},
        {"params_before", before.params},
        {"params_after", after.params},
        {"energy_before_j", opEnergyBefore.lookup(op)},
        {"energy_after_j", opEnergyAfter.lookup(op)}};
    if (const Group *g = groupOf.lookup(op)) {
      layer["channels_total"] = g->channels;
      layer["channels_kept"] =
          g->kept.empty() ? g->channels : static_cast<int64_t>(g->kept.size());
    }
    layersJson.push_back(std::move(layer));
  }
  llvm::json::Object json{
      {"schema", "green-prune-report/1"},
      {"target", desc->name},
      {"importance", !gradients.empty() ? "taylor"
                     : importance == PruneImportance::L1 ? "l1"
                                                         : "l2"},
      {"energy_before_j", energyBefore},
      {"energy_after_j", energyAfter},
      {"macs_before", macsBefore},
      {"macs_after", macsAfter},
      {"params_before", paramsBefore},
      {"params_after", paramsAfter},
      {"groups", std::move(groupsJson)},
      {"layers", std::move(layersJson)}};
  if (useEnergy) {
    json["allocation"] = "energy-and-importance";
    json["energy_target"] = energyTarget.getValue();
  } else if (!layerRatio.empty()) {
    llvm::json::Object ratios;
    for (auto &[name, r] : layerRatio)
      ratios[name] = r;
    json["layer_ratios"] = std::move(ratios);
    if (ratio.hasValue() || !layers.empty())
      json["ratio"] = ratio.getValue();
  } else {
    json["ratio"] = ratio.getValue();
  }
  if (failed(writeJSONReport(module, report, std::move(json))))
    return signalPassFailure();
}

//===----------------------------------------------------------------------===//
// N:M and unstructured sparsity
//===----------------------------------------------------------------------===//

namespace {
/// A layer whose weight (operand 1) the sparsity modes may thin out, and
/// the weight's reduction axis for N:M blocks (-1: none).
struct WeightUse {
  Operation *op;
  int64_t axis;
};
} // namespace

static SmallVector<WeightUse> collectWeights(ModuleOp module) {
  SmallVector<WeightUse> uses;
  module.walk([&](Operation *op) {
    if (isa<tosa::MatMulOp>(op))
      uses.push_back({op, 1});
    else if (isa<tosa::Conv2DOp>(op))
      uses.push_back({op, 3});
    else if (isa<tosa::DepthwiseConv2DOp>(op))
      uses.push_back({op, -1});
  });
  return uses;
}

void PruneChannelsPass::runSparsity(ModuleOp module) {
  bool nm = mode == PruneMode::NM;
  StringRef modeName = nm ? "n-m" : "unstructured";
  if (nm && !(n >= 1 && n < m)) {
    module.emitError() << "green-prune: mode=n-m needs 0 < n < m, got " << int64_t(n)
                       << ":" << int64_t(m);
    return signalPassFailure();
  }
  if (nm && !layerRatio.empty()) {
    module.emitError() << "green-prune: layer-ratios applies to "
                          "mode=channels and mode=unstructured, not n-m";
    return signalPassFailure();
  }
  if (energyTarget > 0) {
    module.emitError() << "green-prune: energy-target applies to "
                          "mode=channels only (mode="
                       << modeName
                       << " does not lower the CPU energy estimate)";
    return signalPassFailure();
  }
  SmallVector<WeightUse> weights = collectWeights(module);
  {
    std::set<std::string> names;
    for (const WeightUse &w : weights)
      names.insert(layerName(w.op));
    SmallVector<std::string> wanted(layers.begin(), layers.end());
    for (auto &[name, r] : layerRatio)
      wanted.push_back(name);
    for (const std::string &name : wanted)
      if (!names.count(name)) {
        std::string known;
        for (const std::string &k : names)
          known += (known.empty() ? "" : ", ") + k;
        module.emitError() << "green-prune: no layer with weights named '"
                           << name << "' (layers: "
                           << (known.empty() ? "none" : known) << ")";
        return signalPassFailure();
      }
    SmallVector<std::pair<Operation *, unsigned>> uses;
    for (const WeightUse &w : weights)
      if (getF32Const(w.op->getOperand(1)) &&
          (layers.empty() || llvm::is_contained(layers, layerName(w.op))))
        uses.push_back({w.op, 1});
    if (failed(loadGradients(uses)))
      return signalPassFailure();
  }

  std::optional<TargetDescription> desc;
  if (!report.empty()) {
    llvm::Expected<TargetDescription> found = lookupTargetFor(module, target);
    if (!found) {
      module.emitError() << "green-prune: "
                         << llvm::toString(found.takeError());
      return signalPassFailure();
    }
    desc = std::move(*found);
  }
  std::optional<EnergyCostAnalysis> analysisBefore;
  if (desc)
    analysisBefore.emplace(module, *desc);
  llvm::DenseMap<Operation *, double> energyBefore;
  if (desc)
    energyBefore = energyByOp(*analysisBefore);
  llvm::MapVector<Operation *, LayerStats> stats = collectLayers(module);

  struct Entry {
    Operation *op;
    int64_t total = 0, nonzerosBefore = 0, nonzerosAfter = 0;
    std::string note;
  };
  std::vector<Entry> entries;
  for (const WeightUse &w : weights) {
    std::string name = layerName(w.op);
    if (!layers.empty() && !llvm::is_contained(layers, name))
      continue;
    std::optional<double> r;
    if (!nm) {
      auto it = layerRatio.find(name);
      if (it != layerRatio.end())
        r = it->second;
      else if (layerRatio.empty() || ratio.hasValue() || !layers.empty())
        r = ratio.getValue();
      else
        continue;
    }
    Entry entry{w.op};
    tosa::ConstOp c = getF32Const(w.op->getOperand(1));
    std::optional<std::vector<float>> data;
    if (c)
      data = readF32(c);
    if (!data) {
      entry.note = "left dense: the weight is not a readable f32 constant";
      emitRemark(w.op->getLoc()) << "green-prune: '" << name << "' "
                                 << entry.note;
      entries.push_back(entry);
      continue;
    }
    auto type = cast<RankedTensorType>(c.getType());
    entry.total = data->size();
    entry.nonzerosBefore = llvm::count_if(*data, [](float x) { return x != 0; });
    std::vector<double> imp(data->size());
    auto grad = gradientData.find({name, 1u});
    for (size_t i = 0; i < imp.size(); ++i)
      imp[i] = std::fabs(double((*data)[i]) *
                         (grad != gradientData.end() ? grad->second[i] : 1.0));
    Attribute sparsity;
    if (nm) {
      if (w.axis < 0 || type.getDimSize(w.axis) % m != 0) {
        entry.note =
            w.axis < 0
                ? "left dense: a depthwise conv has no reduction over "
                  "channels for N:M blocks"
                : llvm::formatv("left dense: its reduction dimension ({0}) is "
                                "not a multiple of {1}",
                                type.getDimSize(w.axis), int64_t(m))
                      .str();
        entry.nonzerosAfter = entry.nonzerosBefore;
        emitRemark(w.op->getLoc()) << "green-prune: '" << name << "' "
                                   << entry.note;
        entries.push_back(entry);
        continue;
      }
      ArrayRef<int64_t> shape = type.getShape();
      int64_t outer = product(shape.take_front(w.axis));
      int64_t inner = product(shape.drop_front(w.axis + 1));
      int64_t len = shape[w.axis];
      SmallVector<int64_t> block(m);
      for (int64_t o = 0; o < outer; ++o)
        for (int64_t b = 0; b < len; b += m)
          for (int64_t i = 0; i < inner; ++i) {
            for (int64_t k = 0; k < m; ++k)
              block[k] = (o * len + b + k) * inner + i;
            // The n most important stay; ties to the lower index.
            std::stable_sort(block.begin(), block.end(),
                             [&](int64_t x, int64_t y) {
                               return imp[x] > imp[y];
                             });
            for (int64_t k = n; k < m; ++k)
              (*data)[block[k]] = 0.0f;
          }
    } else {
      int64_t cut = static_cast<int64_t>(std::floor(*r * data->size() + 1e-9));
      std::vector<int64_t> order(data->size());
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(),
                       [&](int64_t a, int64_t b) { return imp[a] < imp[b]; });
      for (int64_t k = 0; k < cut; ++k)
        (*data)[order[k]] = 0.0f;
    }
    entry.nonzerosAfter = llvm::count_if(*data, [](float x) { return x != 0; });
    if (nm)
      sparsity = NMSparsityAttr::get(module.getContext(), n, m, w.axis);
    else
      sparsity = UnstructuredSparsityAttr::get(
          module.getContext(), entry.nonzerosAfter, entry.total);
    OpBuilder b(c);
    auto newConst = tosa::ConstOp::create(
        b, c.getLoc(), type,
        DenseElementsAttr::get(type, ArrayRef<float>(*data)));
    newConst->setAttr(GreenDialect::getSparsityAttrName(), sparsity);
    w.op->setOperand(1, newConst);
    if (c->use_empty())
      c->erase();
    entry.note = nm ? "the CPU back end runs N:M weights dense: no speed-up "
                      "or energy saving on CPU targets; a target with N:M "
                      "sparse units can skip the zeros"
                    : "the CPU back end gets no speed-up from unstructured "
                      "sparsity (dense kernels); only sparse storage or "
                      "zero-skipping hardware can use it";
    emitRemark(w.op->getLoc())
        << "green-prune: " << (nm ? llvm::formatv("{0}:{1}", int64_t(n),
                                                  int64_t(m))
                                        .str()
                                  : std::string("unstructured"))
        << " sparsity on '" << name << "': " << entry.nonzerosAfter << " of "
        << entry.total << " weights non-zero; " << entry.note;
    ++numPrunedGroups;
    entries.push_back(entry);
  }

  if (report.empty())
    return;
  EnergyCostAnalysis analysisAfter(module, *desc);
  llvm::DenseMap<Operation *, double> energyAfter = energyByOp(analysisAfter);
  llvm::json::Array layersJson;
  for (const Entry &e : entries) {
    LayerStats s = stats.lookup(e.op);
    double density =
        e.total ? double(e.nonzerosAfter) / double(e.total) : 1.0;
    layersJson.push_back(llvm::json::Object{
        {"name", layerName(e.op)},
        {"op", e.op->getName().getStringRef()},
        {"weights", e.total},
        {"nonzeros_before", e.nonzerosBefore},
        {"nonzeros_after", e.nonzerosAfter},
        {"macs_before", s.macs},
        {"macs_after", s.macs},
        {"macs_sparse_target", static_cast<int64_t>(std::llround(
                                   double(s.macs) * density))},
        {"energy_before_j", energyBefore.lookup(e.op)},
        {"energy_after_j", energyAfter.lookup(e.op)},
        {"note", e.note}});
  }
  llvm::json::Object json{
      {"schema", "green-prune-report/1"},
      {"mode", modeName},
      {"target", desc->name},
      {"importance", gradients.empty() ? "magnitude" : "taylor"},
      {"cpu_speedup", "none: the CPU back end runs the weights dense"},
      {"energy_before_j", analysisBefore->getTotal().energy.getTotalJ()},
      {"energy_after_j", analysisAfter.getTotal().energy.getTotalJ()},
      {"layers", std::move(layersJson)}};
  if (nm) {
    json["n"] = int64_t(n);
    json["m"] = int64_t(m);
  } else if (!layerRatio.empty()) {
    llvm::json::Object ratios;
    for (auto &[name, r] : layerRatio)
      ratios[name] = r;
    json["layer_ratios"] = std::move(ratios);
  } else {
    json["ratio"] = ratio.getValue();
  }
  if (failed(writeJSONReport(module, report, std::move(json))))
    return signalPassFailure();
}

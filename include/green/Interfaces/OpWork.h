//===- OpWork.h - target-independent work of one op -------------*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// What an op does, independent of hardware: how many operations of each
// class on each element type, how many bytes it reads and writes, and how
// many constant parameters it touches. EnergyCostOpInterface produces it;
// the cost model (green/Analysis/CostModel.h) combines it with a target
// description and a schedule into seconds and joules.
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_INTERFACES_OPWORK_H
#define GREEN_INTERFACES_OPWORK_H

#include "green/Target/TargetDescription.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <string>

namespace mlir::green {

/// `count` operations of class `cls` on elements of type `kind`.
struct OpCount {
  ScalarKind kind = ScalarKind::Unknown;
  OpClass cls = OpClass::Add;
  int64_t count = 0;
  /// True for the multiply-accumulates of a contraction (matmul, conv),
  /// which a matrix engine (tensor cores, VNNI, a systolic array) can run.
  bool contraction = false;

  bool operator==(const OpCount &o) const {
    return kind == o.kind && cls == o.cls && count == o.count &&
           contraction == o.contraction;
  }
};

/// The work of one op. Byte counts are what the op reads from its operands
/// and writes to its results at least once (compulsory traffic); reuse and
/// the memory level traffic is served from are the cost model's business.
struct OpWork {
  llvm::SmallVector<OpCount, 4> ops;
  int64_t bytesRead = 0;
  int64_t bytesWritten = 0;
  /// Elements of constant operands (weights) the op reads: for "energy per
  /// parameter" and for pruning and quantization decisions.
  int64_t parameters = 0;
  /// True for ops that only move or reshape data (copies, transposes,
  /// pads, slices, concats): their bytes are the point.
  bool dataMovement = false;

  /// Adds `count` operations, merging with an existing entry of the same
  /// kind, class and contraction flag. Zero counts are dropped.
  void add(ScalarKind kind, OpClass cls, int64_t count,
           bool contraction = false);
  /// Sum of counts over all entries (for reports).
  int64_t getTotalOps() const;
  /// Count for one (kind, class) pair, summed over contraction flags.
  int64_t getCount(ScalarKind kind, OpClass cls) const;
  /// Accumulates `other` into this.
  void merge(const OpWork &other);
};

/// How dynamic dimensions are treated when counting work.
struct WorkOptions {
  /// Size assumed for every dynamic dimension; ShapedType::kDynamic (the
  /// default) means "do not assume": ops with dynamic shapes fail to cost,
  /// and the caller reports a diagnostic.
  int64_t assumedDynamicSize = ShapedType::kDynamic;
  /// When set, an op that cannot be costed stores the reason here ("dynamic
  /// dimension and no assumed size", "unsupported payload op 'scf.if'"), so
  /// the caller can report it. Interface implementations never emit
  /// diagnostics themselves.
  std::string *failureReason = nullptr;
};

} // namespace mlir::green

#endif // GREEN_INTERFACES_OPWORK_H

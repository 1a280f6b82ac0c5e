//===- OpWork.cpp - target-independent work of one op ---------------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Interfaces/OpWork.h"

using namespace mlir;
using namespace mlir::green;

void OpWork::add(ScalarKind kind, OpClass cls, int64_t count,
                 bool contraction) {
  if (count == 0)
    return;
  for (OpCount &entry : ops) {
    if (entry.kind == kind && entry.cls == cls &&
        entry.contraction == contraction) {
      entry.count += count;
      return;
    }
  }
  ops.push_back(OpCount{kind, cls, count, contraction});
}

int64_t OpWork::getTotalOps() const {
  int64_t total = 0;
  for (const OpCount &entry : ops)
    total += entry.count;
  return total;
}

int64_t OpWork::getCount(ScalarKind kind, OpClass cls) const {
  int64_t total = 0;
  for (const OpCount &entry : ops)
    if (entry.kind == kind && entry.cls == cls)
      total += entry.count;
  return total;
}

void OpWork::merge(const OpWork &other) {
  for (const OpCount &entry : other.ops)
    add(entry.kind, entry.cls, entry.count, entry.contraction);
  bytesRead += other.bytesRead;
  bytesWritten += other.bytesWritten;
  parameters += other.parameters;
  // A sum of work is data movement only when every part is.
  dataMovement = (ops.empty() && other.ops.empty()) &&
                 (dataMovement || other.dataMovement);
}

//===- GreenAttrs.cpp - green dialect attributes --------------------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Dialect/Green/IR/GreenAttrs.h"
#include "green/Dialect/Green/IR/GreenDialect.h"
#include "green/Target/TargetDescription.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::green;

#define GET_ATTRDEF_CLASSES
#include "green/Dialect/Green/IR/GreenAttrs.cpp.inc"

void GreenDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "green/Dialect/Green/IR/GreenAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// TargetAttr
//===----------------------------------------------------------------------===//

bool TargetAttr::isValidName(StringRef name) {
  // One rule for attribute names and description file names.
  return isValidTargetName(name);
}

LogicalResult
TargetAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                   StringRef name) {
  if (name.empty())
    return emitError() << "target name must not be empty";
  if (!isValidName(name))
    return emitError() << "invalid target name '" << name
                       << "': expected a letter followed by letters, digits, "
                          "'-', '_' or '.'";
  return success();
}

TargetAttr mlir::green::getModuleTarget(ModuleOp module) {
  return module->getAttrOfType<TargetAttr>(GreenDialect::getTargetAttrName());
}

//===----------------------------------------------------------------------===//
// CPUScheduleAttr
//===----------------------------------------------------------------------===//

LogicalResult
CPUScheduleAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                        ArrayRef<int64_t> tile, ArrayRef<int64_t> registerTile,
                        int64_t parallelDim, unsigned threads,
                        unsigned operatingPoint, bool packB) {
  if (tile.size() != registerTile.size())
    return emitError() << "tile and register_tile must have the same rank, "
                          "got "
                       << tile.size() << " and " << registerTile.size();
  for (auto [t, r] : llvm::zip(tile, registerTile)) {
    if (t < 0 || r < 0)
      return emitError() << "tile sizes must be non-negative, got " << t
                         << " and " << r;
    if (t != 0 && r != 0 && t % r != 0)
      return emitError() << "cache tile " << t
                         << " is not a multiple of register tile " << r;
  }
  if (parallelDim < -1 || parallelDim >= static_cast<int64_t>(tile.size()))
    return emitError() << "parallel_dim must be -1 or in [0, " << tile.size()
                       << "), got " << parallelDim;
  if (threads == 0)
    return emitError() << "threads must be positive";
  if (parallelDim == -1 && threads != 1)
    return emitError() << "threads must be 1 without a parallel_dim, got "
                       << threads;
  return success();
}

llvm::Expected<TargetDescription>
mlir::green::lookupTargetFor(Operation *op, StringRef name,
                             ArrayRef<std::string> extraDirs) {
  std::string targetName = name.str();
  if (targetName.empty()) {
    auto module = dyn_cast<ModuleOp>(op);
    if (!module)
      module = op->getParentOfType<ModuleOp>();
    TargetAttr attr = module ? getModuleTarget(module) : TargetAttr();
    targetName = attr ? attr.getName().str() : "host";
  }
  return lookupTargetDescription(targetName, extraDirs);
}

//===----------------------------------------------------------------------===//
// Sparsity attributes
//===----------------------------------------------------------------------===//

LogicalResult
NMSparsityAttr::verify(function_ref<InFlightDiagnostic()> emitError, int64_t n,
                       int64_t m, int64_t axis) {
  if (n < 1 || m <= n)
    return emitError() << "N:M sparsity needs 0 < n < m, got " << n << ":"
                       << m;
  if (axis < 0)
    return emitError() << "N:M sparsity axis must be non-negative, got "
                       << axis;
  return success();
}

LogicalResult UnstructuredSparsityAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, int64_t nonzeros,
    int64_t total) {
  if (nonzeros < 0 || total < 1 || nonzeros > total)
    return emitError() << "unstructured sparsity needs 0 <= nonzeros <= total "
                          "and total > 0, got "
                       << nonzeros << " of " << total;
  return success();
}

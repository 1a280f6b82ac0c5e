//===- VerifyInput.cpp - the CPU backend's input contract -----------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::green {
#define GEN_PASS_DEF_VERIFYINPUTPASS
#include "green/Codegen/CPU/Passes.h.inc"
} // namespace mlir::green

using namespace mlir;
using namespace mlir::green;

namespace {
struct VerifyInputPass
    : public green::impl::VerifyInputPassBase<VerifyInputPass> {
  using VerifyInputPassBase::VerifyInputPassBase;
  void runOnOperation() override;
};
} // namespace

/// Dialects whose ops the pipeline lowers.
static bool isAcceptedDialect(StringRef ns) {
  static const char *const kAccepted[] = {
      "builtin", "func",  "arith",  "math",   "tensor", "linalg",
      "tosa",    "bufferization", "scf", "affine", "memref", "vector",
      "index",   "ub",    "green"};
  return llvm::is_contained(kAccepted, ns);
}

/// Ops of accepted dialects that the pipeline still cannot lower.
static bool isRejectedOp(StringRef name) {
  return name == "tosa.custom" || name == "tosa.variable" ||
         name == "tosa.variable_read" || name == "tosa.variable_write";
}

/// Returns a reason when `type` is outside the contract, else "".
static std::string checkType(Type type) {
  Type element = type;
  if (auto shaped = dyn_cast<ShapedType>(type)) {
    if (!shaped.hasRank())
      return "unranked type";
    if (!shaped.hasStaticShape())
      return "dynamic shape";
    element = shaped.getElementType();
  }
  if (isa<IndexType, IntegerType>(element) || element.isF16() ||
      element.isBF16() || element.isF32() || element.isF64() ||
      isa<FunctionType, NoneType>(element))
    return "";
  if (isa<ShapedType>(type) || element.getDialect().getNamespace() == "builtin")
    return "unsupported element type";
  return "";
}

/// Returns a reason when `type` may not cross the function boundary (the C
/// interface) although the pipeline computes with it, else "".
static std::string checkBoundaryType(Type type) {
  auto integer = dyn_cast<IntegerType>(getElementTypeOrSelf(type));
  if (!integer)
    return "";
  if (!integer.isSignless())
    return "signed or unsigned integer element type (the pipeline takes "
           "signless integers; unsigned data goes through ops with "
           "unsigned casts)";
  if (integer.getWidth() > 1 && integer.getWidth() < 8)
    return "sub-byte integer element type (LLVM stores one such element per "
           "byte, so packed data would be misread; pass it packed in i8 and "
           "unpack it inside the function)";
  return "";
}

void VerifyInputPass::runOnOperation() {
  bool failed = false;
  getOperation().walk([&](Operation *op) {
    if (op == getOperation().getOperation())
      return;
    StringRef ns = op->getName().getDialectNamespace();
    if (!isAcceptedDialect(ns)) {
      op->emitOpError() << "is not supported by the CPU backend: dialect '"
                        << ns << "' is not accepted";
      failed = true;
      return;
    }
    if (isRejectedOp(op->getName().getStringRef())) {
      op->emitOpError() << "is not supported by the CPU backend";
      failed = true;
      return;
    }
    if (auto func = dyn_cast<func::FuncOp>(op)) {
      for (Type t : llvm::concat<const Type>(func.getArgumentTypes(),
                                             func.getResultTypes())) {
        std::string why = checkType(t);
        if (why.empty())
          why = checkBoundaryType(t);
        if (!why.empty()) {
          op->emitOpError() << "is not supported by the CPU backend: " << why
                            << " in signature type " << t;
          failed = true;
          return;
        }
      }
      return;
    }
    // Values are checked where they are defined (op results here, block
    // arguments in the signature), so one bad value gives one error.
    for (Type t : op->getResultTypes()) {
      std::string why = checkType(t);
      if (!why.empty()) {
        op->emitOpError() << "is not supported by the CPU backend: " << why
                          << " " << t;
        failed = true;
        return;
      }
    }
  });
  if (failed)
    return signalPassFailure();
  markAllAnalysesPreserved();
}

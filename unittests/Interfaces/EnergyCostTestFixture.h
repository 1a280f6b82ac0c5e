//===- EnergyCostTestFixture.h - shared EnergyCostOpInterface fixture -----===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Parses IR with every upstream dialect and green's external models
// registered, and asks ops for their work. Expectations in the tests are
// computed by hand, with the arithmetic in a comment next to each one.
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_UNITTESTS_INTERFACES_ENERGYCOSTTESTFIXTURE_H
#define GREEN_UNITTESTS_INTERFACES_ENERGYCOSTTESTFIXTURE_H

#include "green/InitAll.h"
#include "green/Interfaces/EnergyCostOpInterface.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <string>
#include <vector>

namespace mlir::green::test {

/// Count of `cls` on `kind` flagged as contraction (or not).
inline int64_t countOf(const OpWork &w, ScalarKind kind, OpClass cls,
                       bool contraction) {
  int64_t total = 0;
  for (const OpCount &c : w.ops)
    if (c.kind == kind && c.cls == cls && c.contraction == contraction)
      total += c.count;
  return total;
}

class EnergyCostTest : public ::testing::Test {
protected:
  EnergyCostTest() {
    DialectRegistry registry;
    registerAllDialects(registry);
    registerAllExtensions(registry);
    registerAllGreenDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  /// Parses `src` into `module`; fails the test on a parse error.
  void parse(StringRef src) {
    std::string errors;
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &d) {
      errors += d.str() + "\n";
      return success();
    });
    module = parseSourceString<ModuleOp>(src, &context);
    ASSERT_TRUE(module) << errors;
  }

  /// The `index`-th op named `name` in the module, or null.
  Operation *findOp(StringRef name, unsigned index = 0) {
    Operation *found = nullptr;
    module->walk([&](Operation *op) {
      if (found || op->getName().getStringRef() != name)
        return;
      if (index-- == 0)
        found = op;
    });
    return found;
  }

  /// Work of the `index`-th op named `name` of the parsed module.
  FailureOr<OpWork> work(StringRef name, unsigned index = 0,
                         WorkOptions options = {}) {
    Operation *op = findOp(name, index);
    EXPECT_TRUE(op) << "no op " << name.str();
    if (!op)
      return failure();
    auto iface = dyn_cast<EnergyCostOpInterface>(op);
    EXPECT_TRUE(iface) << name.str() << " has no EnergyCostOpInterface";
    if (!iface)
      return failure();
    options.failureReason = &reason;
    return iface.getWork(options);
  }

  /// Sum of the work of every op in the first func.func body (the return
  /// excluded). Fails if one op has no model or cannot be costed.
  FailureOr<OpWork> functionWork(WorkOptions options = {}) {
    OpWork total;
    Operation *func = findOp("func.func");
    for (Operation &op : func->getRegion(0).front().without_terminator()) {
      auto iface = dyn_cast<EnergyCostOpInterface>(&op);
      EXPECT_TRUE(iface) << op.getName().getStringRef().str();
      if (!iface)
        return failure();
      FailureOr<OpWork> w = iface.getWork(options);
      if (failed(w))
        return failure();
      total.merge(*w);
    }
    return total;
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  std::string reason;
};

} // namespace mlir::green::test

#endif // GREEN_UNITTESTS_INTERFACES_ENERGYCOSTTESTFIXTURE_H

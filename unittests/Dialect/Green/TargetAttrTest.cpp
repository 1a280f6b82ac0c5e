//===- TargetAttrTest.cpp - #green.target unit tests ----------------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Dialect/Green/IR/GreenAttrs.h"
#include "green/Dialect/Green/IR/GreenDialect.h"
#include "green/InitAll.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::green;

namespace {

class TargetAttrTest : public ::testing::Test {
protected:
  TargetAttrTest() {
    DialectRegistry registry;
    registerAllGreenDialects(registry);
    registry.insert<func::FuncDialect>();
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  /// Parses `src` as a module, collecting diagnostics instead of printing.
  OwningOpRef<ModuleOp> parse(StringRef src) {
    diagnostics.clear();
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &d) {
      diagnostics.push_back(d.str());
      return success();
    });
    return parseSourceString<ModuleOp>(src, &context);
  }

  MLIRContext context;
  std::vector<std::string> diagnostics;
};

TEST_F(TargetAttrTest, ValidNames) {
  EXPECT_TRUE(TargetAttr::isValidName("host"));
  EXPECT_TRUE(TargetAttr::isValidName("cpu-zen3"));
  EXPECT_TRUE(TargetAttr::isValidName("gpu_h100.calibrated"));
  EXPECT_FALSE(TargetAttr::isValidName(""));
  EXPECT_FALSE(TargetAttr::isValidName("3cpu"));
  EXPECT_FALSE(TargetAttr::isValidName("-cpu"));
  EXPECT_FALSE(TargetAttr::isValidName("cpu zen3"));
  EXPECT_FALSE(TargetAttr::isValidName("../etc/passwd"));
}

TEST_F(TargetAttrTest, GetAndRoundTrip) {
  auto attr = TargetAttr::get(&context, StringRef("cpu-zen4"));
  EXPECT_EQ(attr.getName(), "cpu-zen4");
  std::string printed;
  llvm::raw_string_ostream os(printed);
  Attribute(attr).print(os);
  EXPECT_EQ(printed, "#green.target<\"cpu-zen4\">");
  Attribute reparsed = parseAttribute(printed, &context);
  EXPECT_EQ(reparsed, attr);
}

TEST_F(TargetAttrTest, GetCheckedRejectsBadName) {
  auto attr = TargetAttr::getChecked(
      [&] { return emitError(UnknownLoc::get(&context)); }, &context,
      StringRef("not valid"));
  EXPECT_FALSE(attr);
}

TEST_F(TargetAttrTest, ModuleTargetLookup) {
  auto module = parse(
      R"mlir(module attributes {green.target = #green.target<"cpu-zen3">} {})mlir");
  ASSERT_TRUE(module);
  TargetAttr t = getModuleTarget(*module);
  ASSERT_TRUE(t);
  EXPECT_EQ(t.getName(), "cpu-zen3");

  auto bare = parse("module {}");
  ASSERT_TRUE(bare);
  EXPECT_FALSE(getModuleTarget(*bare));
}

TEST_F(TargetAttrTest, VerifierRejectsTargetOnNonModule) {
  auto module = parse(R"mlir(
    func.func @f() attributes {green.target = #green.target<"host">} {
      return
    })mlir");
  EXPECT_FALSE(module);
  ASSERT_FALSE(diagnostics.empty());
  EXPECT_NE(diagnostics.front().find("may only be attached to a builtin.module"),
            std::string::npos)
      << diagnostics.front();
}

TEST_F(TargetAttrTest, VerifierRejectsWrongAttrKind) {
  auto module = parse(R"mlir(module attributes {green.target = "host"} {})mlir");
  EXPECT_FALSE(module);
  ASSERT_FALSE(diagnostics.empty());
  EXPECT_NE(diagnostics.front().find("must be a #green.target attribute"),
            std::string::npos)
      << diagnostics.front();
}

} // namespace

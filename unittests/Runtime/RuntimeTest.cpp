//===- RuntimeTest.cpp - descriptors, signatures, random data, checks -----===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Runtime/MemRefDescriptor.h"
#include "green/Runtime/Signature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <cstring>

using namespace mlir;
using namespace mlir::green;

namespace {

TEST(MemRefDescriptorTest, LaysOutDescriptorsBackToBack) {
  MemRefDescriptorList list({2, 0, 1});
  float data[6] = {0, 1, 2, 3, 4, 5};
  list[0].setContiguous(data, {2, 3});
  list[1].setContiguous(data, {});
  list[2].setContiguous(data, {6});
  // Rank 2: 3 + 4 words; rank 0: 3 words; then the rank-1 descriptor.
  auto *words = static_cast<int64_t *>(list.data());
  EXPECT_EQ(list[1].getPointer(), words + 7);
  EXPECT_EQ(list[2].getPointer(), words + 10);
  EXPECT_EQ(list[0].getSizes(), (llvm::ArrayRef<int64_t>{2, 3}));
  EXPECT_EQ(list[0].getStrides(), (llvm::ArrayRef<int64_t>{3, 1}));
  EXPECT_EQ(words[0], reinterpret_cast<int64_t>(data));
  EXPECT_EQ(words[2], 0);
}

TEST(MemRefDescriptorTest, CopiesStridedViewsInCOrder) {
  // A 3x2 transposed view (strides 1, 3) of a 2x3 row-major buffer, offset 0,
  // then a 2x2 view at offset 1 with strides (3, 1).
  float data[6] = {0, 1, 2, 3, 4, 5};
  int64_t words[7] = {reinterpret_cast<int64_t>(data),
                      reinterpret_cast<int64_t>(data), 0, 3, 2, 1, 3};
  NpyArray t = MemRefDescriptorRef(words, 2).copyOut(NpyDType::Float32);
  ASSERT_EQ(t.shape, (std::vector<int64_t>{3, 2}));
  std::vector<double> got;
  for (int64_t i = 0; i < 6; ++i)
    got.push_back(t.getAsDouble(i));
  EXPECT_EQ(got, (std::vector<double>{0, 3, 1, 4, 2, 5}));

  int64_t sub[7] = {reinterpret_cast<int64_t>(data),
                    reinterpret_cast<int64_t>(data), 1, 2, 2, 3, 1};
  NpyArray s = MemRefDescriptorRef(sub, 2).copyOut(NpyDType::Float32);
  EXPECT_EQ(s.getAsDouble(0), 1);
  EXPECT_EQ(s.getAsDouble(1), 2);
  EXPECT_EQ(s.getAsDouble(2), 4);
  EXPECT_EQ(s.getAsDouble(3), 5);
}

class SignatureTest : public ::testing::Test {
protected:
  SignatureTest() {
    context.loadDialect<func::FuncDialect>();
    context.allowUnregisteredDialects();
  }

  std::string errorFor(llvm::StringRef ir, llvm::StringRef entry = "") {
    OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(ir, &context);
    EXPECT_TRUE(module);
    auto sig = getEntrySignature(*module, entry);
    if (sig)
      return "<no error>";
    return llvm::toString(sig.takeError());
  }

  MLIRContext context;
};

TEST_F(SignatureTest, ReadsTensorsOfTheOnlyPublicFunction) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(
      R"mlir(
    func.func private @helper(%a: tensor<2xf32>) -> tensor<2xf32> {
      return %a : tensor<2xf32>
    }
    func.func @f(%a: tensor<4x64xf32>, %b: tensor<i8>) -> tensor<4x64xi1> {
      %c = "test.op"(%a) : (tensor<4x64xf32>) -> tensor<4x64xi1>
      return %c : tensor<4x64xi1>
    })mlir",
      &context);
  ASSERT_TRUE(module);
  auto sig = getEntrySignature(*module, "");
  ASSERT_TRUE(static_cast<bool>(sig)) << llvm::toString(sig.takeError());
  EXPECT_EQ(sig->name, "f");
  ASSERT_EQ(sig->args.size(), 2u);
  EXPECT_EQ(sig->args[0].str(), "tensor<4x64xf32>");
  EXPECT_EQ(sig->args[0].dtype, NpyDType::Float32);
  EXPECT_EQ(sig->args[1].getRank(), 0u);
  EXPECT_EQ(sig->args[1].dtype, NpyDType::Int8);
  ASSERT_EQ(sig->results.size(), 1u);
  EXPECT_EQ(sig->results[0].dtype, NpyDType::Bool);
}

TEST_F(SignatureTest, ExplainsBadSignatures) {
  EXPECT_EQ(errorFor("func.func @f(%a: tensor<?x4xf32>) { return }"),
            "argument 0 of @f has dynamic shape tensor<?x4xf32>: green-run "
            "needs static shapes (specialize the function first)");
  EXPECT_EQ(errorFor("func.func @f(%a: memref<4xf32>) { return }"),
            "argument 0 of @f has type memref<4xf32>: green-run needs ranked "
            "tensors of static shape");
  EXPECT_EQ(errorFor("func.func @f(%a: tensor<4xbf16>) { return }"),
            "argument 0 of @f has element type tensor<4xbf16> that .npy files "
            "cannot hold (supported: f16, f32, f64, i1, i8, i16, i32, i64 and "
            "unsigned integers)");
  EXPECT_EQ(errorFor("func.func @f() { return }\n"
                     "func.func @g() { return }"),
            "several public functions (@f, @g): choose one with --entry");
  EXPECT_EQ(errorFor("func.func @f() { return }", "h"),
            "entry function @h not found (functions: @f)");
  EXPECT_EQ(errorFor("func.func private @f() { return }"),
            "no public function to run (private: @f); name one with --entry");
}

TEST(RandomArrayTest, IsSeededAndInRange) {
  MLIRContext context;
  auto f32 = RankedTensorType::get({1000}, Float32Type::get(&context));
  auto i32 = RankedTensorType::get({1000}, IntegerType::get(&context, 32));
  TensorSpec fs{f32, NpyDType::Float32}, is{i32, NpyDType::Int32};
  NpyArray a = makeRandomArray(fs, 7), b = makeRandomArray(fs, 7),
           c = makeRandomArray(fs, 8);
  EXPECT_EQ(a.data, b.data);
  EXPECT_NE(a.data, c.data);
  double lo = 1, hi = -1;
  for (int64_t i = 0; i < 1000; ++i) {
    lo = std::min(lo, a.getAsDouble(i));
    hi = std::max(hi, a.getAsDouble(i));
  }
  EXPECT_GE(lo, -1.0);
  EXPECT_LT(hi, 1.0);
  EXPECT_LT(lo, -0.9);
  EXPECT_GT(hi, 0.9);
  NpyArray n = makeRandomArray(is, 7);
  for (int64_t i = 0; i < 1000; ++i) {
    EXPECT_GE(n.getAsDouble(i), -4);
    EXPECT_LE(n.getAsDouble(i), 4);
  }
}

TEST(CompareTest, UsesAllcloseRule) {
  NpyArray expected = NpyArray::zeros(NpyDType::Float32, {3});
  NpyArray actual = expected;
  float e[3] = {1, 100, 0}, a[3] = {1.00005f, 100.02f, 2e-5f};
  std::memcpy(expected.data.data(), e, sizeof(e));
  std::memcpy(actual.data.data(), a, sizeof(a));
  // |1.00005 - 1| = 5e-5 <= 1e-5 + 1e-4 * 1: close.
  // |100.02 - 100| = 0.02 > 1e-5 + 1e-4 * 100 = 0.01001: not close.
  // |2e-5 - 0| = 2e-5 > 1e-5: not close.
  Comparison c = compareArrays(actual, expected, 1e-4, 1e-5);
  EXPECT_EQ(c.numElements, 3);
  EXPECT_EQ(c.numMismatches, 2);
  EXPECT_FALSE(c.passed());
  ASSERT_TRUE(c.firstMismatch.has_value());
  EXPECT_EQ(*c.firstMismatch, 1);
  EXPECT_NEAR(c.maxAbsError, 0.02, 1e-5);
  EXPECT_NEAR(c.maxRelError, 2e-4, 1e-6);
  EXPECT_TRUE(compareArrays(actual, expected, 1e-3, 1e-4).passed());
}

} // namespace

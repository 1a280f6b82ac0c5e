//===- EnergyCostTest.cpp - linalg/arith/tensor/memref energy models ------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Unit tests of the EnergyCostOpInterface external models for linalg,
// arith, math, tensor and memref, and of OpWork. Every expected number is
// computed by hand in the comment next to it.
//
//===----------------------------------------------------------------------===//

#include "EnergyCostTestFixture.h"

using namespace mlir;
using namespace mlir::green;
using namespace mlir::green::test;

namespace {

constexpr ScalarKind F32 = ScalarKind::F32;

//===----------------------------------------------------------------------===//
// OpWork
//===----------------------------------------------------------------------===//

TEST(OpWorkTest, AddMergesGetCountSumsAndMergeAccumulates) {
  OpWork a;
  a.add(F32, OpClass::Fma, 10, /*contraction=*/true);
  a.add(F32, OpClass::Fma, 5, /*contraction=*/true); // merges: 15
  a.add(F32, OpClass::Fma, 2);                       // separate entry
  a.add(F32, OpClass::Add, 0);                       // dropped
  EXPECT_EQ(a.ops.size(), 2u);
  EXPECT_EQ(a.getCount(F32, OpClass::Fma), 17); // 15 + 2, both flags
  EXPECT_EQ(a.getCount(F32, OpClass::Add), 0);
  EXPECT_EQ(a.getTotalOps(), 17);

  OpWork b;
  b.add(ScalarKind::I8, OpClass::Add, 3);
  b.bytesRead = 7;
  b.bytesWritten = 9;
  b.parameters = 4;
  b.dataMovement = true;
  a.bytesRead = 1;
  a.merge(b);
  EXPECT_EQ(a.getTotalOps(), 20); // 17 + 3
  EXPECT_EQ(a.getCount(ScalarKind::I8, OpClass::Add), 3);
  EXPECT_EQ(a.bytesRead, 8); // 1 + 7
  EXPECT_EQ(a.bytesWritten, 9);
  EXPECT_EQ(a.parameters, 4);
  EXPECT_FALSE(a.dataMovement); // a computes, so the sum is not a pure move
}

//===----------------------------------------------------------------------===//
// linalg contractions
//===----------------------------------------------------------------------===//

constexpr const char *kMatmul7x33x257 = R"mlir(
func.func @f(%a: tensor<7x33xf32>, %b: tensor<33x257xf32>,
             %c: tensor<7x257xf32>) -> tensor<7x257xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<7x33xf32>, tensor<33x257xf32>)
                     outs(%c : tensor<7x257xf32>) -> tensor<7x257xf32>
  return %r : tensor<7x257xf32>
})mlir";

/// The numbers every 7x33 * 33x257 f32 matmul must produce.
static void expectMatmul7x33x257(const OpWork &w) {
  // 7*257 outputs * 33 reduction = 59367 MACs, one contraction Fma each.
  EXPECT_EQ(countOf(w, F32, OpClass::Fma, true), 59367);
  EXPECT_EQ(w.getTotalOps(), 59367); // no separate mul or add
  // A 7*33*4 = 924, B 33*257*4 = 33924, C read (acc) 7*257*4 = 7196.
  EXPECT_EQ(w.bytesRead, 924 + 33924 + 7196); // 42044
  EXPECT_EQ(w.bytesWritten, 7196);
  EXPECT_EQ(w.parameters, 0);
  EXPECT_FALSE(w.dataMovement);
}

TEST_F(EnergyCostTest, LinalgMatmulF32) {
  parse(kMatmul7x33x257);
  FailureOr<OpWork> w = work("linalg.matmul");
  ASSERT_TRUE(succeeded(w)) << reason;
  expectMatmul7x33x257(*w);
}

TEST_F(EnergyCostTest, LinalgMatmulOnMemRefsMatchesTensors) {
  parse(R"mlir(
func.func @f(%a: memref<7x33xf32>, %b: memref<33x257xf32>,
             %c: memref<7x257xf32>) {
  linalg.matmul ins(%a, %b : memref<7x33xf32>, memref<33x257xf32>)
                outs(%c : memref<7x257xf32>)
  return
})mlir");
  FailureOr<OpWork> w = work("linalg.matmul");
  ASSERT_TRUE(succeeded(w)) << reason;
  expectMatmul7x33x257(*w);
}

TEST_F(EnergyCostTest, DynamicShapeNeedsAssumedSize) {
  parse(R"mlir(
func.func @f(%a: tensor<?x33xf32>, %b: tensor<33x257xf32>,
             %c: tensor<?x257xf32>) -> tensor<?x257xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<?x33xf32>, tensor<33x257xf32>)
                     outs(%c : tensor<?x257xf32>) -> tensor<?x257xf32>
  return %r : tensor<?x257xf32>
})mlir");
  EXPECT_TRUE(failed(work("linalg.matmul")));
  EXPECT_NE(reason.find("dynamic"), std::string::npos) << reason;

  WorkOptions options;
  options.assumedDynamicSize = 7; // ? = 7 gives the static case back
  FailureOr<OpWork> w = work("linalg.matmul", 0, options);
  ASSERT_TRUE(succeeded(w)) << reason;
  expectMatmul7x33x257(*w);
}

TEST_F(EnergyCostTest, LinalgBatchMatmul) {
  parse(R"mlir(
func.func @f(%a: tensor<4x16x32xf32>, %b: tensor<4x32x8xf32>,
             %c: tensor<4x16x8xf32>) -> tensor<4x16x8xf32> {
  %r = linalg.batch_matmul
         ins(%a, %b : tensor<4x16x32xf32>, tensor<4x32x8xf32>)
         outs(%c : tensor<4x16x8xf32>) -> tensor<4x16x8xf32>
  return %r : tensor<4x16x8xf32>
})mlir");
  FailureOr<OpWork> w = work("linalg.batch_matmul");
  ASSERT_TRUE(succeeded(w)) << reason;
  // 4 batches * 16*8 outputs * 32 reduction = 16384 MACs.
  EXPECT_EQ(countOf(*w, F32, OpClass::Fma, true), 16384);
  EXPECT_EQ(w->getTotalOps(), 16384);
  // A 4*16*32*4 = 8192, B 4*32*8*4 = 4096, C 4*16*8*4 = 2048.
  EXPECT_EQ(w->bytesRead, 8192 + 4096 + 2048);
  EXPECT_EQ(w->bytesWritten, 2048);
}

TEST_F(EnergyCostTest, Int8MatmulIsI8ContractionOnTheInputs) {
  parse(R"mlir(
func.func @f(%a: tensor<4x8xi8>, %b: tensor<8x16xi8>,
             %c: tensor<4x16xi32>) -> tensor<4x16xi32> {
  %r = linalg.matmul ins(%a, %b : tensor<4x8xi8>, tensor<8x16xi8>)
                     outs(%c : tensor<4x16xi32>) -> tensor<4x16xi32>
  return %r : tensor<4x16xi32>
})mlir");
  FailureOr<OpWork> w = work("linalg.matmul");
  ASSERT_TRUE(succeeded(w)) << reason;
  // Body: extsi, extsi, muli, addi. 4*16 outputs * 8 = 512 MACs, charged
  // to the i8 inputs (the dot-product instructions work on them); the
  // widening extsi casts are part of the MAC, not separate ops.
  EXPECT_EQ(countOf(*w, ScalarKind::I8, OpClass::Fma, true), 512);
  EXPECT_EQ(countOf(*w, ScalarKind::I32, OpClass::Fma, true), 0);
  EXPECT_EQ(w->getTotalOps(), 512);
  EXPECT_EQ(w->getCount(ScalarKind::I8, OpClass::Add), 0);
  // A 4*8*1 = 32, B 8*16*1 = 128, C 4*16*4 = 256.
  EXPECT_EQ(w->bytesRead, 32 + 128 + 256);
  EXPECT_EQ(w->bytesWritten, 256);
}

TEST_F(EnergyCostTest, ConstantWeightsAreParameters) {
  parse(R"mlir(
memref.global "private" constant @w : memref<4x3xf32> = dense<1.0>
memref.global "private" @v : memref<4x3xf32> = dense<1.0>
func.func @f(%a: tensor<2x4xf32>, %c: tensor<2x3xf32>,
             %am: memref<2x4xf32>, %cm: memref<2x3xf32>) -> tensor<2x3xf32> {
  %w = arith.constant dense<1.0> : tensor<4x3xf32>
  %r = linalg.matmul ins(%a, %w : tensor<2x4xf32>, tensor<4x3xf32>)
                     outs(%c : tensor<2x3xf32>) -> tensor<2x3xf32>
  %g = memref.get_global @w : memref<4x3xf32>
  linalg.matmul ins(%am, %g : memref<2x4xf32>, memref<4x3xf32>)
                outs(%cm : memref<2x3xf32>)
  %v = memref.get_global @v : memref<4x3xf32>
  linalg.matmul ins(%am, %v : memref<2x4xf32>, memref<4x3xf32>)
                outs(%cm : memref<2x3xf32>)
  return %r : tensor<2x3xf32>
})mlir");
  for (unsigned i = 0; i < 3; ++i) {
    FailureOr<OpWork> w = work("linalg.matmul", i);
    ASSERT_TRUE(succeeded(w)) << reason;
    EXPECT_EQ(w->getCount(F32, OpClass::Fma), 24); // 2*3 outputs * 4
    // arith.constant and the constant global: 4*3 = 12 weights; the
    // mutable global @v holds no parameters.
    EXPECT_EQ(w->parameters, i < 2 ? 12 : 0) << "matmul #" << i;
  }
  FailureOr<OpWork> constant = work("arith.constant");
  ASSERT_TRUE(succeeded(constant)) << reason;
  EXPECT_EQ(constant->getTotalOps(), 0); // materializing is free
  EXPECT_EQ(constant->bytesWritten, 0);
}

//===----------------------------------------------------------------------===//
// linalg convolutions and pooling
//===----------------------------------------------------------------------===//

TEST_F(EnergyCostTest, LinalgConv2DStride2) {
  parse(R"mlir(
func.func @f(%in: tensor<1x17x17x8xf32>, %w: tensor<3x3x8x16xf32>,
             %o: tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32> {
  %r = linalg.conv_2d_nhwc_hwcf
         {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%in, %w : tensor<1x17x17x8xf32>, tensor<3x3x8x16xf32>)
         outs(%o : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  return %r : tensor<1x8x8x16xf32>
})mlir");
  FailureOr<OpWork> w = work("linalg.conv_2d_nhwc_hwcf");
  ASSERT_TRUE(succeeded(w)) << reason;
  // OH = OW = (17 - 3) / 2 + 1 = 8: 1*8*8*16 outputs * 3*3*8 taps = 73728.
  EXPECT_EQ(countOf(*w, F32, OpClass::Fma, true), 73728);
  EXPECT_EQ(w->getTotalOps(), 73728);
  // input 17*17*8*4 = 9248, filter 3*3*8*16*4 = 4608, acc 8*8*16*4 = 4096.
  EXPECT_EQ(w->bytesRead, 9248 + 4608 + 4096);
  EXPECT_EQ(w->bytesWritten, 4096);
}

TEST_F(EnergyCostTest, LinalgConv2DWithPaddedInputSumsOverFunction) {
  parse(R"mlir(
func.func @f(%in: tensor<1x16x16x8xf32>, %w: tensor<3x3x8x16xf32>)
    -> tensor<1x16x16x16xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %in low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x16x16x8xf32> to tensor<1x18x18x8xf32>
  %e = tensor.empty() : tensor<1x16x16x16xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x16x16x16xf32>)
            -> tensor<1x16x16x16xf32>
  %r = linalg.conv_2d_nhwc_hwcf
         {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%p, %w : tensor<1x18x18x8xf32>, tensor<3x3x8x16xf32>)
         outs(%init : tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
  return %r : tensor<1x16x16x16xf32>
})mlir");
  FailureOr<OpWork> pad = work("tensor.pad");
  ASSERT_TRUE(succeeded(pad)) << reason;
  EXPECT_TRUE(pad->dataMovement);
  EXPECT_EQ(pad->getTotalOps(), 0);
  EXPECT_EQ(pad->bytesRead, 8192);     // 16*16*8*4
  EXPECT_EQ(pad->bytesWritten, 10368); // 18*18*8*4

  FailureOr<OpWork> fill = work("linalg.fill");
  ASSERT_TRUE(succeeded(fill)) << reason;
  EXPECT_TRUE(fill->dataMovement);
  EXPECT_EQ(fill->getTotalOps(), 0);
  EXPECT_EQ(fill->bytesRead, 4);        // the f32 scalar, once
  EXPECT_EQ(fill->bytesWritten, 16384); // 16*16*16*4

  FailureOr<OpWork> conv = work("linalg.conv_2d_nhwc_hwcf");
  ASSERT_TRUE(succeeded(conv)) << reason;
  // 16*16*16 outputs * 3*3*8 taps = 294912 MACs.
  EXPECT_EQ(countOf(*conv, F32, OpClass::Fma, true), 294912);
  // padded input 10368 + filter 4608 + acc 16384.
  EXPECT_EQ(conv->bytesRead, 10368 + 4608 + 16384);
  EXPECT_EQ(conv->bytesWritten, 16384);

  FailureOr<OpWork> total = functionWork();
  ASSERT_TRUE(succeeded(total)) << reason;
  EXPECT_EQ(total->getTotalOps(), 294912);       // constant and empty are free
  EXPECT_EQ(total->bytesRead, 8192 + 4 + 31360); // 39556
  EXPECT_EQ(total->bytesWritten, 10368 + 16384 + 16384); // 43136
  EXPECT_FALSE(total->dataMovement);
}

TEST_F(EnergyCostTest, LinalgGroupedConv) {
  parse(R"mlir(
func.func @f(%in: tensor<1x2x4x10x10xf32>, %w: tensor<2x8x4x3x3xf32>,
             %o: tensor<1x2x8x8x8xf32>) -> tensor<1x2x8x8x8xf32> {
  %r = linalg.conv_2d_ngchw_gfchw
         {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%in, %w : tensor<1x2x4x10x10xf32>, tensor<2x8x4x3x3xf32>)
         outs(%o : tensor<1x2x8x8x8xf32>) -> tensor<1x2x8x8x8xf32>
  return %r : tensor<1x2x8x8x8xf32>
})mlir");
  FailureOr<OpWork> w = work("linalg.conv_2d_ngchw_gfchw");
  ASSERT_TRUE(succeeded(w)) << reason;
  // N*G*F*OH*OW = 1*2*8*8*8 = 1024 outputs * C*KH*KW = 4*3*3 = 36864.
  EXPECT_EQ(countOf(*w, F32, OpClass::Fma, true), 36864);
  // input 2*4*10*10*4 = 3200, filter 2*8*4*3*3*4 = 2304, acc 1024*4 = 4096.
  EXPECT_EQ(w->bytesRead, 3200 + 2304 + 4096);
  EXPECT_EQ(w->bytesWritten, 4096);
}

TEST_F(EnergyCostTest, LinalgDepthwiseConv) {
  parse(R"mlir(
func.func @f(%in: tensor<1x10x10x8xf32>, %w: tensor<3x3x8xf32>,
             %o: tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32> {
  %r = linalg.depthwise_conv_2d_nhwc_hwc
         {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%in, %w : tensor<1x10x10x8xf32>, tensor<3x3x8xf32>)
         outs(%o : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %r : tensor<1x8x8x8xf32>
})mlir");
  FailureOr<OpWork> w = work("linalg.depthwise_conv_2d_nhwc_hwc");
  ASSERT_TRUE(succeeded(w)) << reason;
  // 8*8*8 outputs * 3*3 taps (one channel each) = 4608 MACs.
  EXPECT_EQ(countOf(*w, F32, OpClass::Fma, true), 4608);
  // input 10*10*8*4 = 3200, filter 3*3*8*4 = 288, acc 8*8*8*4 = 2048.
  EXPECT_EQ(w->bytesRead, 3200 + 288 + 2048);
  EXPECT_EQ(w->bytesWritten, 2048);
}

TEST_F(EnergyCostTest, LinalgMaxPooling) {
  parse(R"mlir(
func.func @f(%in: tensor<1x8x8x4xf32>, %o: tensor<1x4x4x4xf32>)
    -> tensor<1x4x4x4xf32> {
  %win = tensor.empty() : tensor<2x2xf32>
  %r = linalg.pooling_nhwc_max
         {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%in, %win : tensor<1x8x8x4xf32>, tensor<2x2xf32>)
         outs(%o : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %r : tensor<1x4x4x4xf32>
})mlir");
  FailureOr<OpWork> w = work("linalg.pooling_nhwc_max");
  ASSERT_TRUE(succeeded(w)) << reason;
  // 4*4*4 outputs * 2*2 window = 256 maximumf, no contraction.
  EXPECT_EQ(countOf(*w, F32, OpClass::Add, false), 256);
  EXPECT_EQ(w->getTotalOps(), 256);
  // input 8*8*4*4 = 1024 + acc 4*4*4*4 = 256; the window is shape only.
  EXPECT_EQ(w->bytesRead, 1024 + 256);
  EXPECT_EQ(w->bytesWritten, 256);
}

//===----------------------------------------------------------------------===//
// linalg element-wise, reductions, softmax, data movement
//===----------------------------------------------------------------------===//

TEST_F(EnergyCostTest, LinalgGenericAddRelu) {
  parse(R"mlir(
#map = affine_map<(d0, d1) -> (d0, d1)>
func.func @f(%a: tensor<4x64xf32>, %b: tensor<4x64xf32>,
             %o: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %zero = arith.constant 0.0 : f32
  %r = linalg.generic {indexing_maps = [#map, #map, #map],
                       iterator_types = ["parallel", "parallel"]}
         ins(%a, %b : tensor<4x64xf32>, tensor<4x64xf32>)
         outs(%o : tensor<4x64xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x64xf32>
  return %r : tensor<4x64xf32>
})mlir");
  FailureOr<OpWork> w = work("linalg.generic");
  ASSERT_TRUE(succeeded(w)) << reason;
  // 4*64 = 256 iterations * (addf + maximumf) = 512 Add.
  EXPECT_EQ(w->getCount(F32, OpClass::Add), 512);
  EXPECT_EQ(w->getTotalOps(), 512);
  // Two inputs of 4*64*4 = 1024; the init is not used by the payload.
  EXPECT_EQ(w->bytesRead, 2048);
  EXPECT_EQ(w->bytesWritten, 1024);
  EXPECT_FALSE(w->dataMovement);
}

TEST_F(EnergyCostTest, LinalgReduce) {
  parse(R"mlir(
func.func @f(%x: tensor<16x32xf32>, %init: tensor<16xf32>) -> tensor<16xf32> {
  %r = linalg.reduce ins(%x : tensor<16x32xf32>) outs(%init : tensor<16xf32>)
         dimensions = [1]
    (%in: f32, %acc: f32) {
      %s = arith.addf %acc, %in : f32
      linalg.yield %s : f32
    }
  return %r : tensor<16xf32>
})mlir");
  FailureOr<OpWork> w = work("linalg.reduce");
  ASSERT_TRUE(succeeded(w)) << reason;
  // 16*32 = 512 iterations, one addf each; no multiply, so no Fma.
  EXPECT_EQ(countOf(*w, F32, OpClass::Add, false), 512);
  EXPECT_EQ(w->getTotalOps(), 512);
  EXPECT_EQ(w->bytesRead, 2048 + 64); // input 16*32*4 + acc 16*4
  EXPECT_EQ(w->bytesWritten, 64);
}

TEST_F(EnergyCostTest, LinalgSoftmax) {
  parse(R"mlir(
func.func @f(%x: tensor<2x16xf32>, %o: tensor<2x16xf32>) -> tensor<2x16xf32> {
  %r = linalg.softmax dimension(1) ins(%x : tensor<2x16xf32>)
                                   outs(%o : tensor<2x16xf32>) -> tensor<2x16xf32>
  return %r : tensor<2x16xf32>
})mlir");
  FailureOr<OpWork> w = work("linalg.softmax");
  ASSERT_TRUE(succeeded(w)) << reason;
  // N = 32: max N + subtract N + sum N = 96 Add, 32 exp, 32 divides.
  EXPECT_EQ(w->getCount(F32, OpClass::Add), 96);
  EXPECT_EQ(w->getCount(F32, OpClass::Transcendental), 32);
  EXPECT_EQ(w->getCount(F32, OpClass::Div), 32);
  EXPECT_EQ(w->getTotalOps(), 160);
  EXPECT_EQ(w->bytesRead, 128); // 32*4
  EXPECT_EQ(w->bytesWritten, 128);
}

TEST_F(EnergyCostTest, DataMovementOps) {
  parse(R"mlir(
func.func @f(%x: tensor<4x8xf32>, %o: tensor<8x4xf32>, %s: tensor<2x8xf32>,
             %m: memref<4x8xf32>, %n: memref<4x8xf32>,
             %h: memref<4x8xf16>, %g: memref<4x8xf16>, %i: index) -> f32 {
  %t = linalg.transpose ins(%x : tensor<4x8xf32>) outs(%o : tensor<8x4xf32>)
         permutation = [1, 0]
  linalg.copy ins(%h : memref<4x8xf16>) outs(%g : memref<4x8xf16>)
  %e = tensor.extract_slice %x[0, 0] [2, 8] [1, 1]
         : tensor<4x8xf32> to tensor<2x8xf32>
  %ins = tensor.insert_slice %s into %x[0, 0] [2, 8] [1, 1]
           : tensor<2x8xf32> into tensor<4x8xf32>
  %cat = tensor.concat dim(0) %x, %x
           : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<8x8xf32>
  %c = tensor.collapse_shape %x [[0, 1]] : tensor<4x8xf32> into tensor<32xf32>
  memref.copy %m, %n : memref<4x8xf32> to memref<4x8xf32>
  %v = memref.load %m[%i, %i] : memref<4x8xf32>
  return %v : f32
})mlir");
  struct Case {
    const char *op;
    int64_t read, written;
    bool move;
  } cases[] = {
      {"linalg.transpose", 128, 128, true},   // 4*8*4 each way
      {"linalg.copy", 64, 64, true},          // 4*8*2 (f16)
      {"tensor.extract_slice", 64, 64, true}, // the 2x8 part: 2*8*4
      {"tensor.insert_slice", 64, 64, true},  // the 2x8 source
      {"tensor.concat", 256, 256, true},      // 2 * 128 in, 8*8*4 out
      {"tensor.collapse_shape", 0, 0, false}, // metadata only
      {"memref.copy", 128, 128, true},        // 2 x 4*8*4 in all
      {"memref.load", 4, 0, true},            // one f32
  };
  for (const Case &c : cases) {
    FailureOr<OpWork> w = work(c.op);
    ASSERT_TRUE(succeeded(w)) << c.op << ": " << reason;
    EXPECT_EQ(w->getTotalOps(), 0) << c.op;
    EXPECT_EQ(w->bytesRead, c.read) << c.op;
    EXPECT_EQ(w->bytesWritten, c.written) << c.op;
    EXPECT_EQ(w->dataMovement, c.move) << c.op;
  }
}

//===----------------------------------------------------------------------===//
// arith and math, element types
//===----------------------------------------------------------------------===//

TEST_F(EnergyCostTest, ArithAndMathOnTensorsVectorsAndScalars) {
  parse(R"mlir(
func.func @f(%t: tensor<10x10xf32>, %h: tensor<10x10xf16>, %v: vector<8xf32>,
             %w: vector<4xf32>, %s: f64, %b: tensor<3x5xbf16>) {
  %0 = arith.addf %t, %t : tensor<10x10xf32>
  %1 = arith.cmpf olt, %h, %h : tensor<10x10xf16>
  %2 = arith.divf %v, %v : vector<8xf32>
  %3 = arith.mulf %s, %s : f64
  %4 = math.exp %b : tensor<3x5xbf16>
  %5 = math.fma %w, %w, %w : vector<4xf32>
  return
})mlir");
  struct Case {
    const char *op;
    ScalarKind kind;
    OpClass cls;
    int64_t count, read, written;
  } cases[] = {
      // 100 adds; reads 2 * 10*10*4, writes 400.
      {"arith.addf", F32, OpClass::Add, 100, 800, 400},
      // Compares are charged to the operand (f16): 100; the i1 result is
      // one byte per element: 100 bytes.
      {"arith.cmpf", ScalarKind::F16, OpClass::Add, 100, 400, 100},
      // Vectors and scalars live in registers: no bytes.
      {"arith.divf", F32, OpClass::Div, 8, 0, 0},
      {"arith.mulf", ScalarKind::F64, OpClass::Mul, 1, 0, 0},
      // 3*5 = 15 exp on bf16; 15*2 = 30 bytes each way.
      {"math.exp", ScalarKind::BF16, OpClass::Transcendental, 15, 30, 30},
      {"math.fma", F32, OpClass::Fma, 4, 0, 0},
  };
  for (const Case &c : cases) {
    FailureOr<OpWork> w = work(c.op);
    ASSERT_TRUE(succeeded(w)) << c.op << ": " << reason;
    EXPECT_EQ(w->getCount(c.kind, c.cls), c.count) << c.op;
    EXPECT_EQ(w->getTotalOps(), c.count) << c.op;
    EXPECT_EQ(w->bytesRead, c.read) << c.op;
    EXPECT_EQ(w->bytesWritten, c.written) << c.op;
  }
  // math.fma outside a contraction is not flagged as one.
  FailureOr<OpWork> fma = work("math.fma");
  ASSERT_TRUE(succeeded(fma));
  EXPECT_EQ(countOf(*fma, F32, OpClass::Fma, false), 4);
}

TEST_F(EnergyCostTest, I4TensorBytesArePacked) {
  parse(R"mlir(
func.func @f(%a: tensor<5x3xi4>) -> tensor<5x3xi4> {
  %r = arith.addi %a, %a : tensor<5x3xi4>
  return %r : tensor<5x3xi4>
})mlir");
  FailureOr<OpWork> w = work("arith.addi");
  ASSERT_TRUE(succeeded(w)) << reason;
  EXPECT_EQ(w->getCount(ScalarKind::I4, OpClass::Add), 15); // 5*3
  // 15 * 4 bits = 60 bits -> ceil(7.5) = 8 bytes per tensor.
  EXPECT_EQ(w->bytesRead, 16);
  EXPECT_EQ(w->bytesWritten, 8);
}

//===----------------------------------------------------------------------===//
// Failures
//===----------------------------------------------------------------------===//

TEST_F(EnergyCostTest, UnsupportedOpsFailWithAReason) {
  parse(R"mlir(
#map = affine_map<(d0) -> (d0)>
func.func @f(%a: tensor<8xcomplex<f32>>, %n: index) -> tensor<?xf32> {
  %r = linalg.generic {indexing_maps = [#map, #map],
                       iterator_types = ["parallel"]}
         ins(%a : tensor<8xcomplex<f32>>) outs(%a : tensor<8xcomplex<f32>>) {
  ^bb0(%x: complex<f32>, %y: complex<f32>):
    %s = complex.add %x, %x : complex<f32>
    linalg.yield %s : complex<f32>
  } -> tensor<8xcomplex<f32>>
  %g = tensor.generate %n {
  ^bb0(%i: index):
    %c = arith.constant 1.0 : f32
    tensor.yield %c : f32
  } : tensor<?xf32>
  return %g : tensor<?xf32>
})mlir");
  EXPECT_TRUE(failed(work("linalg.generic")));
  EXPECT_NE(reason.find("complex.add"), std::string::npos) << reason;
  reason.clear();
  EXPECT_TRUE(failed(work("tensor.generate")));
  EXPECT_NE(reason.find("tensor.generate"), std::string::npos) << reason;
}

} // namespace

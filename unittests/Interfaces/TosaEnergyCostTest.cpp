//===- TosaEnergyCostTest.cpp - tosa energy models ------------------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Unit tests of the EnergyCostOpInterface external models for TOSA. Every
// expected number is computed by hand in the comment next to it.
//
//===----------------------------------------------------------------------===//

#include "EnergyCostTestFixture.h"

using namespace mlir;
using namespace mlir::green;
using namespace mlir::green::test;

namespace {

constexpr ScalarKind F32 = ScalarKind::F32;

TEST_F(EnergyCostTest, TosaConv2DPaddedStridedWithBias) {
  parse(R"mlir(
func.func @f(%in: tensor<1x15x15x3xf32>) -> tensor<1x8x8x8xf32> {
  %w = "tosa.const"() <{values = dense<1.0> : tensor<8x3x3x3xf32>}>
         : () -> tensor<8x3x3x3xf32>
  %b = "tosa.const"() <{values = dense<0.5> : tensor<8xf32>}> : () -> tensor<8xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %r = tosa.conv2d %in, %w, %b, %zp, %zp
         {acc_type = f32, pad = array<i64: 1, 1, 1, 1>,
          stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>}
         : (tensor<1x15x15x3xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>,
            tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x8xf32>
  return %r : tensor<1x8x8x8xf32>
})mlir");
  FailureOr<OpWork> w = work("tosa.conv2d");
  ASSERT_TRUE(succeeded(w)) << reason;
  // OH = OW = (15 - 1 + 1 + 1 - (3 - 1)) / 2 + 1 = 14 / 2 + 1 = 8.
  // MACs = N*OH*OW*OC * KH*KW*IC = 1*8*8*8 * 3*3*3 = 512 * 27 = 13824.
  EXPECT_EQ(countOf(*w, F32, OpClass::Fma, true), 13824);
  // Bias: one add per output, 1*8*8*8 = 512.
  EXPECT_EQ(countOf(*w, F32, OpClass::Add, false), 512);
  EXPECT_EQ(w->getTotalOps(), 13824 + 512);
  // input 15*15*3*4 = 2700, weight 8*3*3*3*4 = 864, bias 8*4 = 32; zero
  // points are not data.
  EXPECT_EQ(w->bytesRead, 2700 + 864 + 32);
  EXPECT_EQ(w->bytesWritten, 2048);  // 512 * 4
  EXPECT_EQ(w->parameters, 216 + 8); // constant weight 8*3*3*3 + bias 8
}

TEST_F(EnergyCostTest, TosaDepthwiseConv2D) {
  parse(R"mlir(
func.func @f(%in: tensor<1x10x10x8xf32>, %b: tensor<16xf32>)
    -> tensor<1x8x8x16xf32> {
  %w = "tosa.const"() <{values = dense<1.0> : tensor<3x3x8x2xf32>}>
         : () -> tensor<3x3x8x2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %r = tosa.depthwise_conv2d %in, %w, %b, %zp, %zp
         {acc_type = f32, pad = array<i64: 0, 0, 0, 0>,
          stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>}
         : (tensor<1x10x10x8xf32>, tensor<3x3x8x2xf32>, tensor<16xf32>,
            tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x16xf32>
  return %r : tensor<1x8x8x16xf32>
})mlir");
  FailureOr<OpWork> w = work("tosa.depthwise_conv2d");
  ASSERT_TRUE(succeeded(w)) << reason;
  // Weight [KH,KW,C,M] = [3,3,8,2]; MACs = N*OH*OW*C*M*KH*KW
  // = 1*8*8*8*2*3*3 = 9216.
  EXPECT_EQ(countOf(*w, F32, OpClass::Fma, true), 9216);
  EXPECT_EQ(countOf(*w, F32, OpClass::Add, false), 1024); // bias, 8*8*16
  // input 10*10*8*4 = 3200, weight 3*3*8*2*4 = 576, bias 16*4 = 64.
  EXPECT_EQ(w->bytesRead, 3200 + 576 + 64);
  EXPECT_EQ(w->bytesWritten, 4096); // 8*8*16*4
  EXPECT_EQ(w->parameters, 144);    // 3*3*8*2; the bias is an argument
}

TEST_F(EnergyCostTest, TosaMatmul) {
  parse(R"mlir(
func.func @f(%a: tensor<2x5x7xf32>, %b: tensor<2x7x3xf32>) -> tensor<2x5x3xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %r = tosa.matmul %a, %b, %zp, %zp
         : (tensor<2x5x7xf32>, tensor<2x7x3xf32>, tensor<1xf32>, tensor<1xf32>)
         -> tensor<2x5x3xf32>
  return %r : tensor<2x5x3xf32>
})mlir");
  FailureOr<OpWork> w = work("tosa.matmul");
  ASSERT_TRUE(succeeded(w)) << reason;
  // [N,H,C] x [N,C,W]: N*H*W*C = 2*5*3*7 = 210 MACs.
  EXPECT_EQ(countOf(*w, F32, OpClass::Fma, true), 210);
  EXPECT_EQ(w->getTotalOps(), 210);
  EXPECT_EQ(w->bytesRead, 280 + 168); // 2*5*7*4 + 2*7*3*4
  EXPECT_EQ(w->bytesWritten, 120);    // 2*5*3*4
}

TEST_F(EnergyCostTest, TosaPooling) {
  parse(R"mlir(
func.func @f(%in: tensor<1x8x8x4xf32>) {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %a = tosa.avg_pool2d %in, %zp, %zp
         {acc_type = f32, kernel = array<i64: 2, 2>,
          pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>}
         : (tensor<1x8x8x4xf32>, tensor<1xf32>, tensor<1xf32>)
         -> tensor<1x4x4x4xf32>
  %m = tosa.max_pool2d %in
         {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>,
          stride = array<i64: 2, 2>}
         : (tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32>
  return
})mlir");
  FailureOr<OpWork> avg = work("tosa.avg_pool2d");
  ASSERT_TRUE(succeeded(avg)) << reason;
  // 1*4*4*4 = 64 outputs * 2*2 window = 256 adds, then 64 divides.
  EXPECT_EQ(avg->getCount(F32, OpClass::Add), 256);
  EXPECT_EQ(avg->getCount(F32, OpClass::Div), 64);
  EXPECT_EQ(avg->getTotalOps(), 320);
  EXPECT_EQ(avg->bytesRead, 1024); // 8*8*4*4
  EXPECT_EQ(avg->bytesWritten, 256);

  FailureOr<OpWork> max = work("tosa.max_pool2d");
  ASSERT_TRUE(succeeded(max)) << reason;
  EXPECT_EQ(max->getCount(F32, OpClass::Add), 256); // 64 * 2*2 compares
  EXPECT_EQ(max->getTotalOps(), 256);
  EXPECT_EQ(max->bytesRead, 1024);
  EXPECT_EQ(max->bytesWritten, 256);
}

TEST_F(EnergyCostTest, TosaElementwiseAndReduceSum) {
  parse(R"mlir(
func.func @f(%x: tensor<2x3x4xf32>, %y: tensor<16x32xf32>) {
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %0 = tosa.add %x, %x : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %1 = tosa.mul %x, %x, %shift
         : (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<1xi8>) -> tensor<2x3x4xf32>
  %2 = tosa.exp %x : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %3 = tosa.sigmoid %x : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %4 = tosa.reduce_sum %y {axis = 1 : i32} : (tensor<16x32xf32>) -> tensor<16x1xf32>
  return
})mlir");
  struct Case {
    const char *op;
    int64_t add, mul, div, trans, read, written;
  } cases[] = {
      // 2*3*4 = 24 elements; two 96-byte inputs, one 96-byte output.
      {"tosa.add", 24, 0, 0, 0, 192, 96},
      {"tosa.mul", 0, 24, 0, 0, 192, 96}, // the shift is not data
      {"tosa.exp", 0, 0, 0, 24, 96, 96},
      // sigmoid = 1 / (1 + exp(-x)): one exp, one add, one divide each.
      {"tosa.sigmoid", 24, 0, 24, 24, 96, 96},
      // 16*32 = 512 input elements, one add each; 16*1*4 = 64 out.
      {"tosa.reduce_sum", 512, 0, 0, 0, 2048, 64},
  };
  for (const Case &c : cases) {
    FailureOr<OpWork> w = work(c.op);
    ASSERT_TRUE(succeeded(w)) << c.op << ": " << reason;
    EXPECT_EQ(w->getCount(F32, OpClass::Add), c.add) << c.op;
    EXPECT_EQ(w->getCount(F32, OpClass::Mul), c.mul) << c.op;
    EXPECT_EQ(w->getCount(F32, OpClass::Div), c.div) << c.op;
    EXPECT_EQ(w->getCount(F32, OpClass::Transcendental), c.trans) << c.op;
    EXPECT_EQ(w->getTotalOps(), c.add + c.mul + c.div + c.trans) << c.op;
    EXPECT_EQ(w->bytesRead, c.read) << c.op;
    EXPECT_EQ(w->bytesWritten, c.written) << c.op;
  }
}

TEST_F(EnergyCostTest, TosaSoftmaxDecomposition) {
  parse(R"mlir(
func.func @f(%x: tensor<2x16xf32>) -> tensor<2x16xf32> {
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %m = tosa.reduce_max %x {axis = 1 : i32} : (tensor<2x16xf32>) -> tensor<2x1xf32>
  %s = tosa.sub %x, %m : (tensor<2x16xf32>, tensor<2x1xf32>) -> tensor<2x16xf32>
  %e = tosa.exp %s : (tensor<2x16xf32>) -> tensor<2x16xf32>
  %sum = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<2x16xf32>) -> tensor<2x1xf32>
  %r = tosa.reciprocal %sum : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %y = tosa.mul %e, %r, %shift
         : (tensor<2x16xf32>, tensor<2x1xf32>, tensor<1xi8>) -> tensor<2x16xf32>
  return %y : tensor<2x16xf32>
})mlir");
  // Per op (32 = 2*16 elements, 2 = 2*1 row values):
  //   reduce_max 32 Add,   r 128,           w 8
  //   sub        32 Add,   r 128 + 8 = 136, w 128 (broadcast read once)
  //   exp        32 Trans, r 128,           w 128
  //   reduce_sum 32 Add,   r 128,           w 8
  //   reciprocal  2 Div,   r 8,             w 8
  //   mul        32 Mul,   r 136,           w 128
  FailureOr<OpWork> sub = work("tosa.sub");
  ASSERT_TRUE(succeeded(sub)) << reason;
  EXPECT_EQ(sub->getCount(F32, OpClass::Add), 32);
  EXPECT_EQ(sub->bytesRead, 136);
  FailureOr<OpWork> rcp = work("tosa.reciprocal");
  ASSERT_TRUE(succeeded(rcp)) << reason;
  EXPECT_EQ(rcp->getCount(F32, OpClass::Div), 2);

  FailureOr<OpWork> total = functionWork();
  ASSERT_TRUE(succeeded(total)) << reason;
  EXPECT_EQ(total->getCount(F32, OpClass::Add), 96); // 32 + 32 + 32
  EXPECT_EQ(total->getCount(F32, OpClass::Transcendental), 32);
  EXPECT_EQ(total->getCount(F32, OpClass::Div), 2);
  EXPECT_EQ(total->getCount(F32, OpClass::Mul), 32);
  EXPECT_EQ(total->getTotalOps(), 162);
  EXPECT_EQ(total->bytesRead, 128 + 136 + 128 + 128 + 8 + 136); // 664
  EXPECT_EQ(total->bytesWritten, 8 + 128 + 128 + 8 + 8 + 128);  // 408
}

TEST_F(EnergyCostTest, TosaLayerNormDecomposition) {
  parse(R"mlir(
func.func @f(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %invn = "tosa.const"() <{values = dense<0.125> : tensor<1x1xf32>}> : () -> tensor<1x1xf32>
  %eps = "tosa.const"() <{values = dense<1.0e-5> : tensor<1x1xf32>}> : () -> tensor<1x1xf32>
  %gamma = "tosa.const"() <{values = dense<2.0> : tensor<1x8xf32>}> : () -> tensor<1x8xf32>
  %beta = "tosa.const"() <{values = dense<0.5> : tensor<1x8xf32>}> : () -> tensor<1x8xf32>
  %sum = tosa.reduce_sum %x {axis = 1 : i32} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %mean = tosa.mul %sum, %invn, %shift : (tensor<4x1xf32>, tensor<1x1xf32>, tensor<1xi8>) -> tensor<4x1xf32>
  %d = tosa.sub %x, %mean : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %sq = tosa.mul %d, %d, %shift : (tensor<4x8xf32>, tensor<4x8xf32>, tensor<1xi8>) -> tensor<4x8xf32>
  %vsum = tosa.reduce_sum %sq {axis = 1 : i32} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %var = tosa.mul %vsum, %invn, %shift : (tensor<4x1xf32>, tensor<1x1xf32>, tensor<1xi8>) -> tensor<4x1xf32>
  %ve = tosa.add %var, %eps : (tensor<4x1xf32>, tensor<1x1xf32>) -> tensor<4x1xf32>
  %rs = tosa.rsqrt %ve : (tensor<4x1xf32>) -> tensor<4x1xf32>
  %n = tosa.mul %d, %rs, %shift : (tensor<4x8xf32>, tensor<4x1xf32>, tensor<1xi8>) -> tensor<4x8xf32>
  %sc = tosa.mul %n, %gamma, %shift : (tensor<4x8xf32>, tensor<1x8xf32>, tensor<1xi8>) -> tensor<4x8xf32>
  %y = tosa.add %sc, %beta : (tensor<4x8xf32>, tensor<1x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
})mlir");
  // Per op (x is 4x8 = 32 elements, 128 bytes; a 4x1 row value 16 bytes):
  //   mean:  reduce_sum 32 Add r 128 w 16; mul  4 Mul r 16+4 w 16 (1 param)
  //   d:     sub  32 Add r 128+16 w 128
  //   var:   mul  32 Mul r 256 w 128; reduce_sum 32 Add r 128 w 16;
  //          mul   4 Mul r 20 w 16 (1 param)
  //   eps:   add   4 Add r 20 w 16 (1 param); rsqrt 4 Div r 16 w 16
  //   scale: mul  32 Mul r 128+16 w 128; mul 32 Mul r 128+32 w 128 (8 params)
  //   shift: add  32 Add r 128+32 w 128 (8 params)
  struct Case {
    const char *op;
    unsigned index;
    OpClass cls;
    int64_t count, read, written, params;
  } cases[] = {
      {"tosa.reduce_sum", 0, OpClass::Add, 32, 128, 16, 0},
      {"tosa.mul", 0, OpClass::Mul, 4, 20, 16, 1},
      {"tosa.sub", 0, OpClass::Add, 32, 144, 128, 0},
      {"tosa.mul", 1, OpClass::Mul, 32, 256, 128, 0},
      {"tosa.reduce_sum", 1, OpClass::Add, 32, 128, 16, 0},
      {"tosa.mul", 2, OpClass::Mul, 4, 20, 16, 1},
      {"tosa.add", 0, OpClass::Add, 4, 20, 16, 1},
      {"tosa.rsqrt", 0, OpClass::Div, 4, 16, 16, 0},
      {"tosa.mul", 3, OpClass::Mul, 32, 144, 128, 0},
      {"tosa.mul", 4, OpClass::Mul, 32, 160, 128, 8},
      {"tosa.add", 1, OpClass::Add, 32, 160, 128, 8},
  };
  for (const Case &c : cases) {
    FailureOr<OpWork> w = work(c.op, c.index);
    ASSERT_TRUE(succeeded(w)) << c.op << "#" << c.index << ": " << reason;
    EXPECT_EQ(w->getCount(F32, c.cls), c.count) << c.op << "#" << c.index;
    EXPECT_EQ(w->getTotalOps(), c.count) << c.op << "#" << c.index;
    EXPECT_EQ(w->bytesRead, c.read) << c.op << "#" << c.index;
    EXPECT_EQ(w->bytesWritten, c.written) << c.op << "#" << c.index;
    EXPECT_EQ(w->parameters, c.params) << c.op << "#" << c.index;
  }

  FailureOr<OpWork> total = functionWork();
  ASSERT_TRUE(succeeded(total)) << reason;
  EXPECT_EQ(total->getCount(F32, OpClass::Add), 132); // 32+32+32+4+32
  EXPECT_EQ(total->getCount(F32, OpClass::Mul), 104); // 4+32+4+32+32
  EXPECT_EQ(total->getCount(F32, OpClass::Div), 4);
  EXPECT_EQ(total->getTotalOps(), 240);
  // 128+20+144+256+128+20+20+16+144+160+160
  EXPECT_EQ(total->bytesRead, 1196);
  // 16+16+128+128+16+16+16+16+128+128+128
  EXPECT_EQ(total->bytesWritten, 736);
  EXPECT_EQ(total->parameters, 19); // 1 + 1 + 1 + 8 + 8; tosa.const is free
}

TEST_F(EnergyCostTest, TosaDataMovementAndReshape) {
  parse(R"mlir(
func.func @f(%x: tensor<4x8xf32>) {
  %start = tosa.const_shape {values = dense<[0, 0]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %size = tosa.const_shape {values = dense<[2, 8]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %flat = tosa.const_shape {values = dense<[32]> : tensor<1xindex>} : () -> !tosa.shape<1>
  %t = tosa.transpose %x {perms = array<i32: 1, 0>} : (tensor<4x8xf32>) -> tensor<8x4xf32>
  %s = tosa.slice %x, %start, %size
         : (tensor<4x8xf32>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<2x8xf32>
  %r = tosa.reshape %x, %flat : (tensor<4x8xf32>, !tosa.shape<1>) -> tensor<32xf32>
  return
})mlir");
  struct Case {
    const char *op;
    int64_t read, written;
    bool move;
  } cases[] = {
      {"tosa.transpose", 128, 128, true}, // 4*8*4 each way
      {"tosa.slice", 64, 64, true},       // the 2x8 part: 2*8*4
      {"tosa.reshape", 0, 0, false},      // metadata only
      {"tosa.const_shape", 0, 0, false},
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

} // namespace

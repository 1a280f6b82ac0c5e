//===- CalibrationTest.cpp - quantization ranges and parameters -----------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Expected scales and zero points are computed by hand in the comments.
//
//===----------------------------------------------------------------------===//

#include "green/Quant/Calibration.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>
#include <vector>

using namespace mlir::green;

namespace {

TEST(QuantCalibration, SymmetricMinMaxInt8) {
  // max|x| = 2.54 -> scale = 2.54 / 127 = 0.02, zero point 0.
  std::vector<float> x = {-2.54f, 0.5f, 1.0f, 2.0f};
  QuantSpec spec; // i8 symmetric
  QuantParams p = calibrateTensor(x, spec);
  EXPECT_NEAR(p.scale, 0.02, 1e-9);
  EXPECT_EQ(p.zeroPoint, 0);
  EXPECT_EQ(p.qmin, -128);
  EXPECT_EQ(p.qmax, 127);
  // 1.0 / 0.02 = 50; -2.54 / 0.02 = -127; 0.5 / 0.02 = 25.
  EXPECT_EQ(quantizeValue(1.0, p), 50);
  EXPECT_EQ(quantizeValue(-2.54, p), -127);
  EXPECT_EQ(quantizeValue(0.5, p), 25);
  // Out of range values clamp to qmax / qmin.
  EXPECT_EQ(quantizeValue(100.0, p), 127);
  EXPECT_EQ(quantizeValue(-100.0, p), -128);
}

TEST(QuantCalibration, AsymmetricMinMaxInt8) {
  // Range [-1, 3]: scale = 4 / 255, zero point = -128 - round(-1 / (4/255))
  // = -128 - round(-63.75) = -128 + 64 = -64.
  std::vector<float> x = {-1.0f, 0.0f, 3.0f, 2.5f};
  QuantSpec spec;
  spec.symmetric = false;
  QuantParams p = calibrateTensor(x, spec);
  EXPECT_NEAR(p.scale, 4.0 / 255.0, 1e-12);
  EXPECT_EQ(p.zeroPoint, -64);
  // 0 maps exactly onto the zero point.
  EXPECT_EQ(quantizeValue(0.0, p), -64);
  EXPECT_DOUBLE_EQ(dequantizeValue(-64, p), 0.0);
  // 3.0 / (4/255) = 191.25 -> 191 - 64 = 127.
  EXPECT_EQ(quantizeValue(3.0, p), 127);
}

TEST(QuantCalibration, AsymmetricUnsignedWidensToZero) {
  // Only positive values [2, 10]: the range widens to [0, 10]; u8 gives
  // scale = 10 / 255 and zero point 0.
  std::vector<float> x = {2.0f, 10.0f, 5.0f};
  QuantSpec spec;
  spec.isSigned = false;
  spec.symmetric = false;
  QuantParams p = calibrateTensor(x, spec);
  EXPECT_NEAR(p.scale, 10.0 / 255.0, 1e-12);
  EXPECT_EQ(p.zeroPoint, 0);
  EXPECT_EQ(p.qmin, 0);
  EXPECT_EQ(p.qmax, 255);
}

TEST(QuantCalibration, Int4Symmetric) {
  // i4: [-8, 7]; max|x| = 1.75 -> scale 1.75 / 7 = 0.25 (exact in binary).
  std::vector<float> x = {-1.75f, 0.3f, 0.7f};
  QuantSpec spec;
  spec.bits = 4;
  QuantParams p = calibrateTensor(x, spec);
  EXPECT_DOUBLE_EQ(p.scale, 0.25);
  EXPECT_EQ(p.qmin, -8);
  EXPECT_EQ(p.qmax, 7);
  // Ties round half to even: 0.375 / 0.25 = 1.5 -> 2, 0.625 / 0.25 = 2.5 -> 2,
  // -0.125 / 0.25 = -0.5 -> 0.
  EXPECT_EQ(quantizeValue(0.375, p), 2);
  EXPECT_EQ(quantizeValue(0.625, p), 2);
  EXPECT_EQ(quantizeValue(-0.125, p), 0);
  EXPECT_EQ(quantizeValue(-5.0, p), -8);
}

TEST(QuantCalibration, ZeroTensor) {
  std::vector<float> x = {0.0f, 0.0f};
  QuantParams p = calibrateTensor(x, QuantSpec());
  EXPECT_EQ(p.scale, 1.0);
  EXPECT_EQ(quantizeValue(0.0, p), 0);
}

TEST(QuantCalibration, PercentileClipsOutlier) {
  // 1000 values in [-1, 1] plus one outlier at 100: minmax spends the range
  // on the outlier, the 99th percentile does not.
  std::vector<float> x;
  for (int i = 0; i < 1000; ++i)
    x.push_back(-1.0f + 2.0f * float(i) / 999.0f);
  x.push_back(100.0f);
  QuantSpec spec;
  QuantRange mm = computeRange(x, spec, {QuantMethod::MinMax});
  CalibrationOptions popt;
  popt.method = QuantMethod::Percentile;
  popt.percentile = 99.0;
  QuantRange pr = computeRange(x, spec, popt);
  EXPECT_DOUBLE_EQ(mm.hi, 100.0);
  EXPECT_LT(pr.hi, 1.01);
  EXPECT_GT(pr.hi, 0.97);
  // And the clipped range has the lower error on the bulk of the data.
  std::vector<float> bulk(x.begin(), x.end() - 1);
  EXPECT_LT(quantizationMSE(bulk, chooseParams(pr, spec)),
            quantizationMSE(bulk, chooseParams(mm, spec)));
}

TEST(QuantCalibration, PercentileAsymmetricInterpolates) {
  // Values 0..100: the 90th percentile is 90 and the 10th is 10 (numpy's
  // linear interpolation).
  std::vector<float> x;
  for (int i = 0; i <= 100; ++i)
    x.push_back(float(i));
  QuantSpec spec;
  spec.symmetric = false;
  CalibrationOptions opt;
  opt.method = QuantMethod::Percentile;
  opt.percentile = 90.0;
  QuantRange r = computeRange(x, spec, opt);
  EXPECT_NEAR(r.lo, 10.0, 1e-9);
  EXPECT_NEAR(r.hi, 90.0, 1e-9);
}

/// Laplacian-like data with heavy tails, where clipping pays off.
static std::vector<float> heavyTailed(unsigned n, unsigned seed) {
  std::mt19937 gen(seed);
  std::exponential_distribution<float> e(1.0f);
  std::bernoulli_distribution s(0.5);
  std::vector<float> x;
  for (unsigned i = 0; i < n; ++i)
    x.push_back(s(gen) ? e(gen) : -e(gen));
  return x;
}

TEST(QuantCalibration, MSENeverWorseThanMinMax) {
  std::vector<float> x = heavyTailed(20000, 1);
  QuantSpec spec;
  spec.bits = 4; // coarse: clipping matters
  QuantParams mm = calibrateTensor(x, spec, {QuantMethod::MinMax});
  QuantParams mse = calibrateTensor(x, spec, {QuantMethod::MSE});
  // The MSE search includes the minmax range, so it is never worse; on
  // heavy tails it clips (smaller scale) and is strictly better.
  EXPECT_LT(mse.scale, mm.scale);
  EXPECT_LT(quantizationMSE(x, mse), quantizationMSE(x, mm));
}

TEST(QuantCalibration, EntropyClipsHeavyTails) {
  std::vector<float> x = heavyTailed(50000, 2);
  QuantSpec spec;
  QuantRange mm = computeRange(x, spec, {QuantMethod::MinMax});
  QuantRange kl = computeRange(x, spec, {QuantMethod::Entropy});
  EXPECT_LT(kl.hi, mm.hi);
  EXPECT_GT(kl.hi, 1.0); // keeps the bulk (|x| < 1 holds 63% of the mass)
  EXPECT_DOUBLE_EQ(kl.lo, -kl.hi);
}

TEST(QuantCalibration, EntropyKeepsUniformRange) {
  // Uniform data has no tails to clip: the threshold stays near max.
  std::vector<float> x;
  for (int i = 0; i < 4096; ++i)
    x.push_back(float(i) / 4095.0f * 2.0f - 1.0f);
  QuantRange kl = computeRange(x, QuantSpec(), {QuantMethod::Entropy});
  EXPECT_GT(kl.hi, 0.9);
  EXPECT_LE(kl.hi, 1.0 + 1e-9);
}

TEST(QuantCalibration, PerChannelBeatsPerTensorWithOneLargeChannel) {
  // A 64x4 weight whose channel 3 (axis 1) is 100x larger than the others:
  // one per-tensor scale wastes the small channels' resolution.
  std::vector<int64_t> shape = {64, 4};
  std::vector<float> w;
  for (int k = 0; k < 64; ++k)
    for (int n = 0; n < 4; ++n) {
      float v = std::sin(0.37f * float(k * 4 + n + 1));
      w.push_back(n == 3 ? 100.0f * v : v);
    }
  QuantSpec spec;
  QuantParams perTensor = calibrateTensor(w, spec);
  auto perChannel = calibratePerChannel(w, shape, /*axis=*/1, spec);
  ASSERT_EQ(perChannel.size(), 4u);
  // The large channel has its own scale, ~100x the others.
  EXPECT_GT(perChannel[3].scale, 50 * perChannel[0].scale);
  EXPECT_DOUBLE_EQ(perChannel[3].scale, perTensor.scale);
  double errTensor = quantizationMSE(w, perTensor);
  double errChannel = quantizationMSEPerChannel(w, shape, 1, perChannel);
  // Channels 0-2 gain ~100x in resolution: error falls by far more than 2x.
  EXPECT_LT(errChannel * 2, errTensor);
}

TEST(QuantCalibration, ErrorMetrics) {
  std::vector<double> ref = {1, 2, 3, 4};
  std::vector<double> same = ref;
  std::vector<double> off = {1.1, 2, 3, 4};
  EXPECT_EQ(measureError(ErrorMetric::SQNR, ref, same), 200.0);
  // signal 30, noise 0.01 -> 10 log10(3000) = 34.77 dB.
  EXPECT_NEAR(measureError(ErrorMetric::SQNR, ref, off), 34.771, 1e-3);
  // max |d| / max |r| = 0.1 / 4.
  EXPECT_NEAR(measureError(ErrorMetric::MaxRelError, ref, off), 0.025, 1e-12);
  EXPECT_NEAR(measureError(ErrorMetric::Cosine, ref, same), 1.0, 1e-12);
  EXPECT_LT(measureError(ErrorMetric::Cosine, ref, off), 1.0);
  EXPECT_TRUE(isWithinBudget(ErrorMetric::SQNR, 34.7, 30));
  EXPECT_FALSE(isWithinBudget(ErrorMetric::SQNR, 25, 30));
  EXPECT_TRUE(isWithinBudget(ErrorMetric::MaxRelError, 0.01, 0.02));
  EXPECT_FALSE(isWithinBudget(ErrorMetric::MaxRelError, 0.03, 0.02));
  EXPECT_TRUE(isWithinBudget(ErrorMetric::Cosine, 0.999, 0.99));
}

TEST(QuantCalibration, ParseNames) {
  EXPECT_EQ(parseQuantMethod("entropy"), QuantMethod::Entropy);
  EXPECT_FALSE(parseQuantMethod("kl").has_value());
  EXPECT_EQ(parseErrorMetric("max-rel-error"), ErrorMetric::MaxRelError);
  EXPECT_FALSE(parseErrorMetric("psnr").has_value());
}

} // namespace

//===- Calibration.h - quantization scales and zero points ------*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Affine (uniform) quantization of real values to b-bit integers:
//
//   x_q = clamp(roundeven(x / scale) + zeroPoint, qmin, qmax)
//   x  ~= scale * (x_q - zeroPoint)
//
// Calibration chooses the real range [lo, hi] that is mapped onto
// [qmin, qmax] from observed values, with one of four methods (equations in
// docs/quantization.md):
//
//   MinMax      the observed minimum and maximum;
//   Percentile  the p-th percentile of |x| (symmetric) or the (100-p)-th and
//               p-th percentiles (asymmetric): outliers are clipped;
//   MSE         the clipping threshold minimising the mean squared
//               quantization error of the observed values (grid search);
//   Entropy     the threshold minimising the KL divergence between the
//               histogram of |x| and its quantized version (TensorRT's
//               method).
//
// Ranges and parameters are computed per tensor or per channel (one range
// per index of an axis). Rounding is round-half-to-even everywhere (numpy's
// np.round, math.roundeven in the generated code), so a numpy reference
// reproduces the integers exactly.
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_QUANT_CALIBRATION_H
#define GREEN_QUANT_CALIBRATION_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace mlir::green {

/// How a real range is chosen from observed values.
enum class QuantMethod : uint8_t { MinMax, Percentile, MSE, Entropy };

/// Parses "minmax", "percentile", "mse", "entropy".
std::optional<QuantMethod> parseQuantMethod(llvm::StringRef name);
llvm::StringRef getQuantMethodName(QuantMethod method);

/// The integer side of a quantization: bit width, signedness, symmetry.
struct QuantSpec {
  unsigned bits = 8;
  bool isSigned = true;
  /// Symmetric: zero point 0 and scale = max|x| / qmax.
  bool symmetric = true;

  int64_t getQMin() const { return isSigned ? -(int64_t(1) << (bits - 1)) : 0; }
  int64_t getQMax() const {
    return isSigned ? (int64_t(1) << (bits - 1)) - 1 : (int64_t(1) << bits) - 1;
  }
};

/// A real interval; always contains 0 once normalized by chooseParams.
struct QuantRange {
  double lo = 0, hi = 0;
};

/// Scale, zero point and integer bounds of one tensor or channel.
struct QuantParams {
  double scale = 1;
  int64_t zeroPoint = 0;
  int64_t qmin = -128, qmax = 127;
};

/// Options of the range methods.
struct CalibrationOptions {
  QuantMethod method = QuantMethod::MinMax;
  /// Percentile kept by QuantMethod::Percentile, in (0, 100].
  double percentile = 99.99;
  /// Candidate thresholds tried by QuantMethod::MSE.
  unsigned mseSteps = 100;
  /// Histogram bins of QuantMethod::Entropy.
  unsigned entropyBins = 2048;
};

/// Chooses the range of `values` for `spec` with `options.method`. Returns
/// {0, 0} for no values.
QuantRange computeRange(llvm::ArrayRef<float> values, const QuantSpec &spec,
                        const CalibrationOptions &options = {});

/// Scale and zero point that map `range` onto the integers of `spec`.
/// Symmetric: scale = max(|lo|, |hi|) / qmax, zero point 0. Asymmetric:
/// the range is widened to contain 0, scale = (hi - lo) / (qmax - qmin),
/// zero point = clamp(qmin - roundeven(lo / scale)). A zero range gives
/// scale 1 (any value quantizes to the zero point exactly).
QuantParams chooseParams(QuantRange range, const QuantSpec &spec);

/// x_q = clamp(roundeven(x / scale) + zeroPoint, qmin, qmax).
int64_t quantizeValue(double x, const QuantParams &params);
/// scale * (q - zeroPoint).
double dequantizeValue(int64_t q, const QuantParams &params);

/// Parameters of one tensor: computeRange + chooseParams.
QuantParams calibrateTensor(llvm::ArrayRef<float> values, const QuantSpec &spec,
                            const CalibrationOptions &options = {});

/// Parameters per index of `axis` of a C-order tensor of `shape`.
llvm::SmallVector<QuantParams>
calibratePerChannel(llvm::ArrayRef<float> values, llvm::ArrayRef<int64_t> shape,
                    unsigned axis, const QuantSpec &spec,
                    const CalibrationOptions &options = {});

/// Mean squared error of quantizing then dequantizing `values`.
double quantizationMSE(llvm::ArrayRef<float> values, const QuantParams &params);
/// The same with one parameter set per index of `axis`.
double quantizationMSEPerChannel(llvm::ArrayRef<float> values,
                                 llvm::ArrayRef<int64_t> shape, unsigned axis,
                                 llvm::ArrayRef<QuantParams> params);

//===----------------------------------------------------------------------===//
// Error metrics between a reference and an approximation
//===----------------------------------------------------------------------===//

/// What "output error" means for an error budget.
enum class ErrorMetric : uint8_t {
  /// Signal-to-quantization-noise ratio in dB (higher is better); the
  /// budget is a minimum.
  SQNR,
  /// Cosine similarity (higher is better); the budget is a minimum.
  Cosine,
  /// max |a - r| / max |r| (lower is better); the budget is a maximum.
  MaxRelError,
};

std::optional<ErrorMetric> parseErrorMetric(llvm::StringRef name);
llvm::StringRef getErrorMetricName(ErrorMetric metric);

/// The metric of `approx` against `reference` (equal lengths).
double measureError(ErrorMetric metric, llvm::ArrayRef<double> reference,
                    llvm::ArrayRef<double> approx);

/// True when `value` of `metric` is within `budget`.
bool isWithinBudget(ErrorMetric metric, double value, double budget);

/// A loss that grows with the error, for ranking options: dB below 100 for
/// SQNR, 1 - cosine, or the relative error.
double getErrorLoss(ErrorMetric metric, double value);

} // namespace mlir::green

#endif // GREEN_QUANT_CALIBRATION_H

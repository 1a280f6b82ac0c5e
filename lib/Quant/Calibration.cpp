//===- Calibration.cpp - quantization ranges, scales and zero points ------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Quant/Calibration.h"

#include "llvm/ADT/StringSwitch.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::green;

//===----------------------------------------------------------------------===//
// Names
//===----------------------------------------------------------------------===//

std::optional<QuantMethod> mlir::green::parseQuantMethod(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<QuantMethod>>(name)
      .Case("minmax", QuantMethod::MinMax)
      .Case("percentile", QuantMethod::Percentile)
      .Case("mse", QuantMethod::MSE)
      .Case("entropy", QuantMethod::Entropy)
      .Default(std::nullopt);
}

llvm::StringRef mlir::green::getQuantMethodName(QuantMethod method) {
  switch (method) {
  case QuantMethod::MinMax:
    return "minmax";
  case QuantMethod::Percentile:
    return "percentile";
  case QuantMethod::MSE:
    return "mse";
  case QuantMethod::Entropy:
    return "entropy";
  }
  return "minmax";
}

std::optional<ErrorMetric> mlir::green::parseErrorMetric(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<ErrorMetric>>(name)
      .Case("sqnr", ErrorMetric::SQNR)
      .Case("cosine", ErrorMetric::Cosine)
      .Case("max-rel-error", ErrorMetric::MaxRelError)
      .Default(std::nullopt);
}

llvm::StringRef mlir::green::getErrorMetricName(ErrorMetric metric) {
  switch (metric) {
  case ErrorMetric::SQNR:
    return "sqnr";
  case ErrorMetric::Cosine:
    return "cosine";
  case ErrorMetric::MaxRelError:
    return "max-rel-error";
  }
  return "sqnr";
}

//===----------------------------------------------------------------------===//
// Scalar quantization
//===----------------------------------------------------------------------===//

int64_t mlir::green::quantizeValue(double x, const QuantParams &params) {
  double q = std::nearbyint(x / params.scale) + double(params.zeroPoint);
  q = std::clamp(q, double(params.qmin), double(params.qmax));
  return static_cast<int64_t>(q);
}

double mlir::green::dequantizeValue(int64_t q, const QuantParams &params) {
  return params.scale * double(q - params.zeroPoint);
}

QuantParams mlir::green::chooseParams(QuantRange range, const QuantSpec &spec) {
  QuantParams p;
  p.qmin = spec.getQMin();
  p.qmax = spec.getQMax();
  double lo = std::min(range.lo, 0.0), hi = std::max(range.hi, 0.0);
  if (spec.symmetric) {
    double amax = std::max(std::fabs(lo), std::fabs(hi));
    // Unsigned symmetric storage (e.g. u8 for non-negative activations)
    // uses the full [0, qmax].
    p.scale = amax > 0 ? amax / double(p.qmax) : 1.0;
    p.zeroPoint = 0;
    return p;
  }
  if (hi - lo <= 0) {
    p.scale = 1.0;
    p.zeroPoint = spec.isSigned ? 0 : p.qmin;
    return p;
  }
  p.scale = (hi - lo) / double(p.qmax - p.qmin);
  double zp = double(p.qmin) - std::nearbyint(lo / p.scale);
  p.zeroPoint =
      static_cast<int64_t>(std::clamp(zp, double(p.qmin), double(p.qmax)));
  return p;
}

//===----------------------------------------------------------------------===//
// Range methods
//===----------------------------------------------------------------------===//

/// At most `limit` values, taken with a fixed stride (deterministic).
static std::vector<float> subsample(llvm::ArrayRef<float> values,
                                    size_t limit) {
  if (values.size() <= limit)
    return std::vector<float>(values.begin(), values.end());
  std::vector<float> out;
  out.reserve(limit);
  double stride = double(values.size()) / double(limit);
  for (size_t i = 0; i < limit; ++i)
    out.push_back(values[size_t(double(i) * stride)]);
  return out;
}

static QuantRange minMaxRange(llvm::ArrayRef<float> values) {
  QuantRange r{std::numeric_limits<double>::infinity(),
               -std::numeric_limits<double>::infinity()};
  for (float v : values) {
    if (std::isnan(v))
      continue;
    r.lo = std::min(r.lo, double(v));
    r.hi = std::max(r.hi, double(v));
  }
  if (r.lo > r.hi)
    return {0, 0};
  return r;
}

/// The q-quantile (q in [0, 1]) of `sorted`, linearly interpolated like
/// numpy.percentile's default.
static double quantile(const std::vector<float> &sorted, double q) {
  if (sorted.empty())
    return 0;
  double pos = q * double(sorted.size() - 1);
  size_t i = size_t(std::floor(pos));
  size_t j = std::min(i + 1, sorted.size() - 1);
  double f = pos - double(i);
  return double(sorted[i]) * (1 - f) + double(sorted[j]) * f;
}

static QuantRange percentileRange(llvm::ArrayRef<float> values,
                                  const QuantSpec &spec, double percentile) {
  double p = std::clamp(percentile, 0.0, 100.0) / 100.0;
  if (spec.symmetric) {
    std::vector<float> mags;
    mags.reserve(values.size());
    for (float v : values)
      if (!std::isnan(v))
        mags.push_back(std::fabs(v));
    std::sort(mags.begin(), mags.end());
    double t = quantile(mags, p);
    return {-t, t};
  }
  std::vector<float> sorted;
  sorted.reserve(values.size());
  for (float v : values)
    if (!std::isnan(v))
      sorted.push_back(v);
  std::sort(sorted.begin(), sorted.end());
  return {quantile(sorted, 1 - p), quantile(sorted, p)};
}

static QuantRange mseRange(llvm::ArrayRef<float> values, const QuantSpec &spec,
                           unsigned steps) {
  QuantRange full = minMaxRange(values);
  std::vector<float> sample = subsample(values, 1 << 16);
  if (spec.symmetric) {
    double amax = std::max(std::fabs(full.lo), std::fabs(full.hi));
    full = {-amax, amax};
  }
  QuantRange best = full;
  double bestErr = std::numeric_limits<double>::infinity();
  steps = std::max(steps, 1u);
  for (unsigned k = steps; k >= 1; --k) {
    double f = double(k) / double(steps);
    QuantRange r{full.lo * f, full.hi * f};
    double err = quantizationMSE(sample, chooseParams(r, spec));
    // Strictly smaller: ties keep the wider range (fewer clipped values).
    if (err < bestErr) {
      bestErr = err;
      best = r;
    }
  }
  return best;
}

/// KL(p || q) over bins where p > 0; q is smoothed where it is 0.
static double klDivergence(const std::vector<double> &p,
                           const std::vector<double> &q) {
  double sp = 0, sq = 0;
  for (double v : p)
    sp += v;
  for (double v : q)
    sq += v;
  if (sp <= 0 || sq <= 0)
    return std::numeric_limits<double>::infinity();
  double kl = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] <= 0)
      continue;
    double pi = p[i] / sp;
    double qi = q[i] > 0 ? q[i] / sq : 1e-12;
    kl += pi * std::log(pi / qi);
  }
  return kl;
}

static QuantRange entropyRange(llvm::ArrayRef<float> values,
                               const QuantSpec &spec, unsigned numBins) {
  QuantRange full = minMaxRange(values);
  double amax = std::max(std::fabs(full.lo), std::fabs(full.hi));
  if (amax <= 0)
    return {0, 0};
  numBins = std::max(numBins, 16u);
  std::vector<double> hist(numBins, 0.0);
  double width = amax / double(numBins);
  for (float v : values) {
    if (std::isnan(v))
      continue;
    size_t b = std::min(size_t(std::fabs(v) / width), size_t(numBins - 1));
    hist[b] += 1;
  }
  // Levels available to |x|: qmax + 1 for symmetric signed storage, all of
  // them otherwise.
  unsigned levels = unsigned(spec.getQMax() + 1);
  if (!spec.symmetric || !spec.isSigned)
    levels = unsigned(spec.getQMax() - spec.getQMin() + 1) / 2;
  levels = std::max(2u, std::min(levels, numBins));
  double bestKL = std::numeric_limits<double>::infinity();
  unsigned bestI = numBins;
  for (unsigned i = levels; i <= numBins; ++i) {
    // Reference: the first i bins, outliers folded into the last one.
    std::vector<double> p(hist.begin(), hist.begin() + i);
    for (unsigned j = i; j < numBins; ++j)
      p[i - 1] += hist[j];
    // Candidate: the first i bins merged into `levels` groups, each group's
    // mass spread evenly over its non-empty bins.
    std::vector<double> q(i, 0.0);
    double per = double(i) / double(levels);
    for (unsigned g = 0; g < levels; ++g) {
      unsigned b0 = unsigned(std::floor(g * per));
      unsigned b1 = g + 1 == levels ? i : unsigned(std::floor((g + 1) * per));
      double mass = 0;
      unsigned nonEmpty = 0;
      for (unsigned b = b0; b < b1; ++b) {
        mass += hist[b];
        nonEmpty += hist[b] > 0;
      }
      for (unsigned b = b0; b < b1; ++b)
        if (hist[b] > 0)
          q[b] = mass / double(nonEmpty);
    }
    double kl = klDivergence(p, q);
    if (kl < bestKL) {
      bestKL = kl;
      bestI = i;
    }
  }
  double t = (double(bestI)) * width;
  if (spec.symmetric)
    return {-t, t};
  return {std::max(full.lo, -t), std::min(full.hi, t)};
}

QuantRange mlir::green::computeRange(llvm::ArrayRef<float> values,
                                     const QuantSpec &spec,
                                     const CalibrationOptions &options) {
  if (values.empty())
    return {0, 0};
  switch (options.method) {
  case QuantMethod::MinMax: {
    QuantRange r = minMaxRange(values);
    if (spec.symmetric) {
      double amax = std::max(std::fabs(r.lo), std::fabs(r.hi));
      return {-amax, amax};
    }
    return r;
  }
  case QuantMethod::Percentile:
    return percentileRange(values, spec, options.percentile);
  case QuantMethod::MSE:
    return mseRange(values, spec, options.mseSteps);
  case QuantMethod::Entropy:
    return entropyRange(values, spec, options.entropyBins);
  }
  return minMaxRange(values);
}

QuantParams mlir::green::calibrateTensor(llvm::ArrayRef<float> values,
                                         const QuantSpec &spec,
                                         const CalibrationOptions &options) {
  return chooseParams(computeRange(values, spec, options), spec);
}

/// Gathers the values of channel `c` along `axis`.
static std::vector<float> gatherChannel(llvm::ArrayRef<float> values,
                                        llvm::ArrayRef<int64_t> shape,
                                        unsigned axis, int64_t c) {
  int64_t inner = 1;
  for (unsigned d = axis + 1; d < shape.size(); ++d)
    inner *= shape[d];
  int64_t dim = shape[axis];
  int64_t outer = int64_t(values.size()) / std::max<int64_t>(1, dim * inner);
  std::vector<float> out;
  out.reserve(outer * inner);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i)
      out.push_back(values[(o * dim + c) * inner + i]);
  return out;
}

llvm::SmallVector<QuantParams> mlir::green::calibratePerChannel(
    llvm::ArrayRef<float> values, llvm::ArrayRef<int64_t> shape, unsigned axis,
    const QuantSpec &spec, const CalibrationOptions &options) {
  assert(axis < shape.size() && "axis out of range");
  llvm::SmallVector<QuantParams> out;
  for (int64_t c = 0; c < shape[axis]; ++c)
    out.push_back(
        calibrateTensor(gatherChannel(values, shape, axis, c), spec, options));
  return out;
}

double mlir::green::quantizationMSE(llvm::ArrayRef<float> values,
                                    const QuantParams &params) {
  if (values.empty())
    return 0;
  double sum = 0;
  for (float v : values) {
    double d = dequantizeValue(quantizeValue(v, params), params) - double(v);
    sum += d * d;
  }
  return sum / double(values.size());
}

double mlir::green::quantizationMSEPerChannel(
    llvm::ArrayRef<float> values, llvm::ArrayRef<int64_t> shape, unsigned axis,
    llvm::ArrayRef<QuantParams> params) {
  if (values.empty())
    return 0;
  double sum = 0;
  for (int64_t c = 0; c < shape[axis]; ++c) {
    std::vector<float> ch = gatherChannel(values, shape, axis, c);
    sum += quantizationMSE(ch, params[c]) * double(ch.size());
  }
  return sum / double(values.size());
}

//===----------------------------------------------------------------------===//
// Error metrics
//===----------------------------------------------------------------------===//

double mlir::green::measureError(ErrorMetric metric,
                                 llvm::ArrayRef<double> reference,
                                 llvm::ArrayRef<double> approx) {
  assert(reference.size() == approx.size() && "length mismatch");
  double signal = 0, noise = 0, dot = 0, na = 0, maxAbsErr = 0, maxRef = 0;
  for (size_t i = 0; i < reference.size(); ++i) {
    double r = reference[i], a = approx[i], d = a - r;
    signal += r * r;
    noise += d * d;
    dot += r * a;
    na += a * a;
    maxAbsErr = std::max(maxAbsErr, std::fabs(d));
    maxRef = std::max(maxRef, std::fabs(r));
  }
  switch (metric) {
  case ErrorMetric::SQNR:
    if (noise == 0)
      return 200.0; // Exact: report a large, finite SQNR.
    if (signal == 0)
      return -200.0;
    return 10.0 * std::log10(signal / noise);
  case ErrorMetric::Cosine:
    if (signal == 0 && na == 0)
      return 1.0;
    if (signal == 0 || na == 0)
      return 0.0;
    return dot / std::sqrt(signal * na);
  case ErrorMetric::MaxRelError:
    if (maxRef == 0)
      return maxAbsErr == 0 ? 0.0 : std::numeric_limits<double>::infinity();
    return maxAbsErr / maxRef;
  }
  return 0;
}

bool mlir::green::isWithinBudget(ErrorMetric metric, double value,
                                 double budget) {
  switch (metric) {
  case ErrorMetric::SQNR:
  case ErrorMetric::Cosine:
    return value >= budget;
  case ErrorMetric::MaxRelError:
    return value <= budget;
  }
  return false;
}

double mlir::green::getErrorLoss(ErrorMetric metric, double value) {
  switch (metric) {
  case ErrorMetric::SQNR:
    return std::max(0.0, 200.0 - value);
  case ErrorMetric::Cosine:
    return std::max(0.0, 1.0 - value);
  case ErrorMetric::MaxRelError:
    return std::max(0.0, value);
  }
  return value;
}

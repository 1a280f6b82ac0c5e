//===- OpConversionsResize.cpp - Resize and Upsample ----------------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Resize (opsets 10 to 18) and Upsample (opset 9) on static shapes. Both are
// separable: every resized axis is handled on its own, with the sampling
// positions computed at import exactly as ONNX's reference does
// (coordinate_transformation_mode, nearest_mode, cubic_coeff_a,
// exclude_outside, edge clamping).
//  - nearest: an integer repeat (the common 2x upsampling) is a reshape,
//    tosa.tile and reshape; any other pattern is a tosa.gather of the rows
//    the import computed.
//  - linear and cubic: the axis is multiplied by an [in, out] interpolation
//    matrix built at import (tosa.matmul), which holds the 2 or 4 taps of
//    each output position.
// Upsample and Resize-10 have no coordinate mode: they are asymmetric with
// floor rounding for nearest (what ONNX Runtime and PyTorch's exporter
// assume).
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"

#include <cmath>
#include <numeric>

using namespace mlir;
using namespace mlir::green::onnx_import;

namespace {
/// How one axis is resampled.
struct AxisResize {
  int64_t in, out;
  /// The scale the coordinate transformation divides by.
  double scale;
};

struct ResizeMode {
  std::string mode;           // nearest, linear, cubic
  std::string transformation; // half_pixel, asymmetric, ...
  std::string nearestMode;    // round_prefer_floor, floor, ...
  double cubicA = -0.75;
  bool excludeOutside = false;
};
} // namespace

static int64_t product(llvm::ArrayRef<int64_t> values) {
  return std::accumulate(values.begin(), values.end(), int64_t{1},
                         std::multiplies<int64_t>());
}

/// The input coordinate of output position `x` (ONNX's reference).
static double sourceCoordinate(const ResizeMode &m, const AxisResize &a,
                               int64_t x) {
  double outWidth = a.scale * a.in;
  const std::string &t = m.transformation;
  if (t == "align_corners")
    return outWidth == 1 ? 0.0 : x * (a.in - 1) / (outWidth - 1);
  if (t == "asymmetric")
    return x / a.scale;
  if (t == "pytorch_half_pixel")
    return outWidth == 1 ? -0.5 : (x + 0.5) / a.scale - 0.5;
  if (t == "tf_half_pixel_for_nn")
    return (x + 0.5) / a.scale;
  return (x + 0.5) / a.scale - 0.5; // half_pixel
}

static int64_t clampIndex(int64_t i, int64_t n) {
  return std::min<int64_t>(std::max<int64_t>(i, 0), n - 1);
}

/// Source row of each output row (nearest).
static llvm::SmallVector<int64_t> nearestIndices(const ResizeMode &m,
                                                 const AxisResize &a) {
  llvm::SmallVector<int64_t> idx;
  for (int64_t x = 0; x < a.out; ++x) {
    double s = sourceCoordinate(m, a, x);
    double f = std::floor(s);
    double ratio = s - f;
    int64_t i = static_cast<int64_t>(f);
    if (ratio != 0.0) {
      const std::string &nm = m.nearestMode;
      bool up = nm == "ceil" ||
                (nm == "round_prefer_ceil" && ratio >= 0.5) ||
                (nm == "round_prefer_floor" && ratio > 0.5);
      i += up ? 1 : 0;
    }
    idx.push_back(clampIndex(i, a.in));
  }
  return idx;
}

/// Interpolation matrix [in, out] (row-major) for linear or cubic.
static std::vector<double> interpolationMatrix(const ResizeMode &m,
                                               const AxisResize &a) {
  std::vector<double> mat(a.in * a.out, 0.0);
  bool cubic = m.mode == "cubic";
  int taps = cubic ? 4 : 2;
  for (int64_t x = 0; x < a.out; ++x) {
    double s = sourceCoordinate(m, a, x);
    double f = std::floor(s);
    double r = s - f;
    int64_t x0 = static_cast<int64_t>(f);
    // The reference prefers the left neighbours of an exact position.
    if (r == 0.0) {
      x0 -= 1;
      r = 1.0;
    }
    double coeffs[4];
    int64_t first;
    if (cubic) {
      double A = m.cubicA;
      coeffs[0] = ((A * (r + 1) - 5 * A) * (r + 1) + 8 * A) * (r + 1) - 4 * A;
      coeffs[1] = ((A + 2) * r - (A + 3)) * r * r + 1;
      coeffs[2] = ((A + 2) * (1 - r) - (A + 3)) * (1 - r) * (1 - r) + 1;
      coeffs[3] = ((A * ((1 - r) + 1) - 5 * A) * ((1 - r) + 1) + 8 * A) *
                      ((1 - r) + 1) -
                  4 * A;
      first = x0 - 1;
    } else {
      coeffs[0] = 1 - r;
      coeffs[1] = r;
      first = x0;
    }
    if (m.excludeOutside) {
      double sum = 0;
      for (int t = 0; t < taps; ++t) {
        int64_t i = first + t;
        if (i < 0 || i >= a.in)
          coeffs[t] = 0;
        sum += coeffs[t];
      }
      for (int t = 0; t < taps; ++t)
        coeffs[t] = sum != 0 ? coeffs[t] / sum : 0;
    }
    for (int t = 0; t < taps; ++t)
      mat[clampIndex(first + t, a.in) * a.out + x] += coeffs[t];
  }
  return mat;
}

/// Resamples axis `axis` of `x` (any rank) with the nearest rows `idx`.
static Value resizeNearestAxis(NodeImporter &n, Value x, int64_t axis,
                               llvm::ArrayRef<int64_t> idx) {
  auto type = cast<RankedTensorType>(x.getType());
  llvm::ArrayRef<int64_t> shape = type.getShape();
  int64_t in = shape[axis], out = idx.size();
  llvm::SmallVector<int64_t> outShape(shape);
  outShape[axis] = out;
  bool identity = in == out;
  for (int64_t i = 0; i < out && identity; ++i)
    identity = idx[i] == i;
  if (identity)
    return x;
  // An integer repeat: [.., in, ..] -> [.., in, 1, ..] -> tile -> reshape.
  if (out % in == 0) {
    int64_t r = out / in;
    bool repeat = true;
    for (int64_t i = 0; i < out && repeat; ++i)
      repeat = idx[i] == i / r;
    if (repeat) {
      llvm::SmallVector<int64_t> split(shape.take_front(axis + 1));
      split.push_back(1);
      llvm::append_range(split, shape.drop_front(axis + 1));
      Value v = n.createReshape(x, split);
      llvm::SmallVector<int64_t> tiled(split);
      tiled[axis + 1] = r;
      v = n.createBroadcastTo(v, tiled);
      return n.createReshape(v, outShape);
    }
  }
  // Otherwise gather the rows.
  return n.createGatherAlongAxis(x, axis, idx);
}

/// Resamples axis `axis` of `x` with an [in, out] matrix.
static Value resizeMatrixAxis(NodeImporter &n, Value x, int64_t axis,
                              const std::vector<double> &mat, int64_t out) {
  auto type = cast<RankedTensorType>(x.getType());
  llvm::ArrayRef<int64_t> shape = type.getShape();
  Type elementType = type.getElementType();
  int64_t in = shape[axis];
  bool identity = in == out;
  for (int64_t i = 0; i < in && identity; ++i)
    for (int64_t o = 0; o < out && identity; ++o)
      identity = mat[i * out + o] == (i == o ? 1.0 : 0.0);
  if (identity)
    return x;
  OpBuilder &b = n.getBuilder();
  Location loc = n.getLoc();
  llvm::SmallVector<int64_t> outShape(shape);
  outShape[axis] = out;
  int64_t p = product(shape.take_front(axis));
  int64_t q = product(shape.drop_front(axis + 1));
  Value m = n.createConstant(
      HostTensor::fromDoubles(elementType, {1, in, out}, mat));
  Value zp = n.createZeroPoint(elementType);
  // The resized axis last: [P, Q, in] x [in, out], rows folded into M.
  Value v = n.createReshape(x, {p, in, q});
  if (q != 1)
    v = n.createTranspose(v, {0, 2, 1});
  v = n.createReshape(v, {1, p * q, in});
  v = tosa::MatMulOp::create(
      b, loc, RankedTensorType::get({1, p * q, out}, elementType), v, m, zp,
      zp);
  if (q != 1) {
    v = n.createReshape(v, {p, q, out});
    v = n.createTranspose(v, {0, 2, 1});
  }
  return n.createReshape(v, outShape);
}

/// Resizes `x` axis by axis; `axes[i]` describes dimension i.
static LogicalResult resize(NodeImporter &n, const ResizeMode &mode,
                            llvm::ArrayRef<AxisResize> axes) {
  Value x = n.getInput(0);
  Type elementType = n.getInputElementType(0);
  if (mode.mode != "nearest" && !isa<FloatType>(elementType))
    return n.emitError() << "mode '" << mode.mode
                         << "' needs a floating-point input";
  for (auto [d, a] : llvm::enumerate(axes))
    if (a.out <= 0)
      return n.emitError() << "output dimension " << d << " would be "
                           << a.out;
  if (mode.mode == "nearest") {
    // All resized axes integer repeats (2x upsampling): one reshape, one
    // tile, one reshape, whatever the number of axes.
    llvm::SmallVector<int64_t> split, tiled, outShape;
    bool allRepeats = true;
    for (const AxisResize &a : axes) {
      split.push_back(a.in);
      tiled.push_back(a.in);
      outShape.push_back(a.out);
      if (a.in == a.out && llvm::equal(nearestIndices(mode, a),
                                       llvm::seq<int64_t>(0, a.in)))
        continue;
      llvm::SmallVector<int64_t> idx = nearestIndices(mode, a);
      int64_t r = a.out / a.in;
      bool repeat = a.out % a.in == 0;
      for (int64_t i = 0; i < a.out && repeat; ++i)
        repeat = idx[i] == i / r;
      allRepeats &= repeat;
      split.push_back(1);
      tiled.push_back(r);
    }
    if (allRepeats) {
      x = n.createReshape(x, split);
      x = n.createBroadcastTo(x, tiled);
      n.setOutput(0, n.createReshape(x, outShape));
      return success();
    }
  }
  for (auto [d, a] : llvm::enumerate(axes)) {
    if (mode.mode == "nearest")
      x = resizeNearestAxis(n, x, d, nearestIndices(mode, a));
    else
      x = resizeMatrixAxis(n, x, d, interpolationMatrix(mode, a), a.out);
  }
  n.setOutput(0, x);
  return success();
}

static LogicalResult checkMode(NodeImporter &n, const ResizeMode &m) {
  if (m.mode != "nearest" && m.mode != "linear" && m.mode != "cubic" &&
      m.mode != "bilinear")
    return n.emitError() << "unknown mode '" << m.mode << "'";
  static const char *transformations[] = {
      "half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric",
      "tf_half_pixel_for_nn"};
  if (!llvm::is_contained(transformations, m.transformation)) {
    if (m.transformation == "tf_crop_and_resize")
      return n.emitError()
             << "coordinate_transformation_mode 'tf_crop_and_resize' is not "
                "supported";
    return n.emitError() << "unknown coordinate_transformation_mode '"
                         << m.transformation << "'";
  }
  static const char *nearestModes[] = {"round_prefer_floor",
                                       "round_prefer_ceil", "floor", "ceil"};
  if (!llvm::is_contained(nearestModes, m.nearestMode))
    return n.emitError() << "unknown nearest_mode '" << m.nearestMode << "'";
  return success();
}

/// Scales (one per dimension) from an input known at import time.
static FailureOr<llvm::SmallVector<double>>
getScales(NodeImporter &n, unsigned i) {
  const HostTensor *c = n.getInputConstant(i);
  if (!c)
    return n.emitError() << "input '" << n.getInputName(i)
                         << "' (scales) must be known at import time";
  llvm::SmallVector<double> scales;
  for (int64_t k = 0, e = c->getNumElements(); k < e; ++k) {
    // ONNX scales are float32: compute with that value, as the reference.
    scales.push_back(static_cast<float>(c->getDouble(k)));
    if (!(scales.back() > 0))
      return n.emitError() << "scales must be positive, got "
                           << scales.back();
  }
  return scales;
}

/// Upsample (opset 9: scales input; opset 7 form: scales attribute) and
/// Resize-10: asymmetric, nearest rounds down.
static LogicalResult convertUpsample(NodeImporter &n) {
  ResizeMode m;
  m.mode = n.getStringAttr("mode", "nearest");
  if (m.mode == "bilinear")
    m.mode = "linear";
  m.transformation = "asymmetric";
  m.nearestMode = "floor";
  if (failed(checkMode(n, m)) || m.mode == "cubic")
    return m.mode == "cubic"
               ? (n.emitError() << "mode 'cubic' needs Resize-11 or later",
                  failure())
               : failure();
  llvm::SmallVector<double> scales;
  if (const onnx::AttributeProto *attr = n.getAttr("scales")) {
    for (float f : attr->floats())
      scales.push_back(f);
  } else {
    auto s = getScales(n, 1);
    if (failed(s))
      return failure();
    scales = *s;
  }
  llvm::ArrayRef<int64_t> shape = n.getInputShape(0);
  if (scales.size() != shape.size())
    return n.emitError() << "expected " << shape.size() << " scales, got "
                         << scales.size();
  llvm::SmallVector<AxisResize> axes;
  for (auto [d, s] : llvm::zip(shape, scales))
    axes.push_back({d, static_cast<int64_t>(std::floor(d * s)), s});
  return resize(n, m, axes);
}

static LogicalResult convertResize(NodeImporter &n) {
  if (n.getOpset() < 11)
    return convertUpsample(n);
  ResizeMode m;
  m.mode = n.getStringAttr("mode", "nearest");
  m.transformation =
      n.getStringAttr("coordinate_transformation_mode", "half_pixel");
  m.nearestMode = n.getStringAttr("nearest_mode", "round_prefer_floor");
  m.cubicA = n.getFloatAttr("cubic_coeff_a", -0.75f);
  m.excludeOutside = n.getIntAttr("exclude_outside", 0);
  if (failed(checkMode(n, m)))
    return failure();
  if (n.getIntAttr("antialias", 0))
    return n.emitError() << "antialias is not supported";
  llvm::ArrayRef<int64_t> shape = n.getInputShape(0);
  int64_t rank = shape.size();
  // Axes (opset 18) the scales/sizes refer to.
  llvm::SmallVector<int64_t> axes = n.getIntsAttr("axes");
  if (axes.empty())
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  for (int64_t &a : axes) {
    auto norm = n.normalizeAxis(a, rank);
    if (failed(norm))
      return failure();
    a = *norm;
  }
  llvm::SmallVector<AxisResize> dims;
  for (int64_t d : shape)
    dims.push_back({d, d, 1.0});
  // Inputs: X, roi, scales, sizes (opset 13 makes roi and scales optional).
  bool hasScales = n.hasInput(2) &&
                   !(n.getInputConstant(2) &&
                     n.getInputConstant(2)->getNumElements() == 0);
  bool hasSizes = n.hasInput(3);
  if (hasScales == hasSizes)
    return n.emitError() << "exactly one of 'scales' and 'sizes' must be "
                            "given";
  if (hasScales) {
    auto scales = getScales(n, 2);
    if (failed(scales))
      return failure();
    if (scales->size() != axes.size())
      return n.emitError() << "expected " << axes.size() << " scales, got "
                           << scales->size();
    for (auto [a, s] : llvm::zip(axes, *scales))
      dims[a] = {shape[a], static_cast<int64_t>(std::floor(shape[a] * s)), s};
  } else {
    auto sizes = n.getConstantInts(3, "sizes");
    if (failed(sizes))
      return failure();
    if (sizes->size() != axes.size())
      return n.emitError() << "expected " << axes.size() << " sizes, got "
                           << sizes->size();
    std::string policy = n.getStringAttr("keep_aspect_ratio_policy",
                                         "stretch");
    if (policy == "stretch") {
      for (auto [a, s] : llvm::zip(axes, *sizes))
        dims[a] = {shape[a], s, static_cast<double>(s) / shape[a]};
    } else if (policy == "not_larger" || policy == "not_smaller") {
      double scale = policy == "not_larger" ? INFINITY : 0.0;
      for (auto [a, s] : llvm::zip(axes, *sizes)) {
        double r = static_cast<double>(s) / shape[a];
        scale = policy == "not_larger" ? std::min(scale, r)
                                       : std::max(scale, r);
      }
      for (int64_t a : axes)
        dims[a] = {shape[a],
                   static_cast<int64_t>(scale * shape[a] + 0.5), scale};
    } else {
      return n.emitError() << "unknown keep_aspect_ratio_policy '" << policy
                           << "'";
    }
  }
  return resize(n, m, dims);
}

void mlir::green::onnx_import::populateResizeConverters(
    llvm::StringMap<OpConverter> &converters) {
  converters["Resize"] = convertResize;
  converters["Upsample"] = convertUpsample;
}

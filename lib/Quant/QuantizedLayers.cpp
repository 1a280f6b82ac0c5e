//===- QuantizedLayers.cpp - record and fold quantized contractions -------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Layers are annotated with upstream quant types (quant.qcast/quant.dcast
// pairs); patterns then fold the pairs around contractions into the integer
// contract of the CPU backend and lower the pairs that are left. Arithmetic
// on scales is done in f32 exactly as the generated code does it, so a numpy
// reimplementation in float32 reproduces every integer.
//
//===----------------------------------------------------------------------===//

#include "green/Quant/Quantize.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::green;

//===----------------------------------------------------------------------===//
// Names and layer kinds
//===----------------------------------------------------------------------===//

llvm::StringRef mlir::green::getLayerPrecisionName(LayerPrecision precision) {
  switch (precision) {
  case LayerPrecision::F32:
    return "fp32";
  case LayerPrecision::Int8:
    return "int8";
  case LayerPrecision::Int8WeightOnly:
    return "int8-weight-only";
  case LayerPrecision::Int4WeightOnly:
    return "int4-weight-only";
  case LayerPrecision::F16:
    return "fp16";
  case LayerPrecision::BF16:
    return "bf16";
  }
  return "fp32";
}

LayerPrecision mlir::green::getSchemePrecision(QuantScheme scheme) {
  switch (scheme) {
  case QuantScheme::Int8:
    return LayerPrecision::Int8;
  case QuantScheme::Int8WeightOnly:
    return LayerPrecision::Int8WeightOnly;
  case QuantScheme::Int4WeightOnly:
    return LayerPrecision::Int4WeightOnly;
  case QuantScheme::FP16:
    return LayerPrecision::F16;
  case QuantScheme::BF16:
    return LayerPrecision::BF16;
  case QuantScheme::Mixed:
    return LayerPrecision::F32;
  }
  return LayerPrecision::F32;
}

std::optional<ContractionInfo> mlir::green::getContractionInfo(Operation *op) {
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  if (!linalgOp || linalgOp.getNumDpsInputs() != 2 ||
      linalgOp.getNumDpsInits() != 1 || op->getNumResults() != 1)
    return std::nullopt;
  for (Value v : op->getOperands())
    if (!isa<RankedTensorType>(v.getType()))
      return std::nullopt;
  std::optional<ContractionInfo> info =
      llvm::TypeSwitch<Operation *, std::optional<ContractionInfo>>(op)
          .Case([](linalg::MatmulOp m) -> std::optional<ContractionInfo> {
            if (m.hasUserDefinedMaps())
              return std::nullopt;
            return ContractionInfo{ContractionKind::Matmul, 1, 1, {1}, {1}};
          })
          .Case([](linalg::BatchMatmulOp m) -> std::optional<ContractionInfo> {
            if (m.hasUserDefinedMaps())
              return std::nullopt;
            return ContractionInfo{
                ContractionKind::BatchMatmul, 2, 2, {0, 2}, {0, 2}};
          })
          .Case([](linalg::Conv2DNhwcHwcfOp) {
            return ContractionInfo{
                ContractionKind::ConvNhwcHwcf, 3, 3, {3}, {3}};
          })
          .Case([](linalg::Conv2DNhwcFhwcOp) {
            return ContractionInfo{
                ContractionKind::ConvNhwcFhwc, 0, 3, {0}, {3}};
          })
          .Case([](linalg::Conv2DNchwFchwOp) {
            return ContractionInfo{
                ContractionKind::ConvNchwFchw, 0, 1, {0}, {1}};
          })
          .Case([](linalg::DepthwiseConv2DNhwcHwcOp) {
            return ContractionInfo{
                ContractionKind::DepthwiseNhwcHwc, 2, 3, {2}, {3}};
          })
          .Default([](Operation *) { return std::nullopt; });
  return info;
}

/// The f32 dense constant defining `v`, or null. Weights in a
/// `dense_resource` blob (what green-import-onnx and other importers emit)
/// are read as a DenseElementsAttr of the same values.
static DenseElementsAttr getF32Constant(Value v) {
  auto cst = v.getDefiningOp<arith::ConstantOp>();
  if (!cst)
    return {};
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(cst.getValue())) {
    std::optional<ArrayRef<float>> values = resource.tryGetAsArrayRef();
    auto type = cast<ShapedType>(resource.getType());
    if (!values || int64_t(values->size()) != type.getNumElements())
      return {};
    return DenseElementsAttr::get(type, *values);
  }
  auto attr = dyn_cast<DenseElementsAttr>(cst.getValue());
  if (!attr || !attr.getElementType().isF32())
    return {};
  return attr;
}

bool mlir::green::isQuantizableLayer(Operation *op) {
  if (!getContractionInfo(op))
    return false;
  for (Value v : op->getOperands()) {
    auto type = cast<RankedTensorType>(v.getType());
    if (!type.getElementType().isF32() || !type.hasStaticShape())
      return false;
  }
  return static_cast<bool>(getF32Constant(op->getOperand(1)));
}

//===----------------------------------------------------------------------===//
// Building blocks
//===----------------------------------------------------------------------===//

/// Rebuilds the contraction `op` on new inputs and init (result type from
/// the init), keeping its attributes (strides, dilations, cast).
static Operation *buildContraction(OpBuilder &b, Operation *op,
                                   ValueRange inputs, Value init) {
  SmallVector<NamedAttribute> attrs;
  for (NamedAttribute a : op->getAttrs())
    if (a.getName() != "operandSegmentSizes")
      attrs.push_back(a);
  Location loc = op->getLoc();
  TypeRange results(init.getType());
  return llvm::TypeSwitch<Operation *, Operation *>(op)
      .Case([&](linalg::MatmulOp) {
        return linalg::MatmulOp::create(b, loc, results, inputs, init, attrs)
            .getOperation();
      })
      .Case([&](linalg::BatchMatmulOp) {
        return linalg::BatchMatmulOp::create(b, loc, results, inputs, init,
                                             attrs)
            .getOperation();
      })
      .Case([&](linalg::Conv2DNhwcHwcfOp) {
        return linalg::Conv2DNhwcHwcfOp::create(b, loc, results, inputs, init,
                                                attrs)
            .getOperation();
      })
      .Case([&](linalg::Conv2DNhwcFhwcOp) {
        return linalg::Conv2DNhwcFhwcOp::create(b, loc, results, inputs, init,
                                                attrs)
            .getOperation();
      })
      .Case([&](linalg::Conv2DNchwFchwOp) {
        return linalg::Conv2DNchwFchwOp::create(b, loc, results, inputs, init,
                                                attrs)
            .getOperation();
      })
      .Case([&](linalg::DepthwiseConv2DNhwcHwcOp) {
        return linalg::DepthwiseConv2DNhwcHwcOp::create(b, loc, results, inputs,
                                                        init, attrs)
            .getOperation();
      })
      .Default([](Operation *) { return nullptr; });
}

/// An element-wise linalg.generic over the shape of `init` (identity maps
/// unless `maps` says otherwise for the inputs).
static Value
buildElementwise(OpBuilder &b, Location loc, ValueRange inputs,
                 ArrayRef<AffineMap> inputMaps, Value init,
                 function_ref<void(OpBuilder &, Location, ValueRange)> body) {
  auto type = cast<RankedTensorType>(init.getType());
  unsigned rank = type.getRank();
  SmallVector<AffineMap> maps(inputMaps.begin(), inputMaps.end());
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(b, loc, TypeRange(type), inputs,
                                           ValueRange(init), maps, iters, body);
  return generic.getResult(0);
}

static Value emptyLike(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                       Type elementType) {
  return tensor::EmptyOp::create(b, loc, shape, elementType);
}

static Value f32Const(OpBuilder &b, Location loc, float v) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
}

/// Per-tensor or per-axis parameters of a quantized element type.
struct TypeParams {
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  std::optional<int32_t> axis;
  int64_t qmin = 0, qmax = 0;
  unsigned bits = 8;
  bool isSigned = true;

  double scaleAt(int64_t c) const { return scales[axis ? c : 0]; }
  int64_t zeroPointAt(int64_t c) const { return zeroPoints[axis ? c : 0]; }
};

static std::optional<TypeParams> getTypeParams(Type type) {
  Type element = getElementTypeOrSelf(type);
  TypeParams p;
  if (auto u = dyn_cast<quant::UniformQuantizedType>(element)) {
    p.scales = {u.getScale()};
    p.zeroPoints = {u.getZeroPoint()};
  } else if (auto a = dyn_cast<quant::UniformQuantizedPerAxisType>(element)) {
    p.scales.assign(a.getScales().begin(), a.getScales().end());
    p.zeroPoints.assign(a.getZeroPoints().begin(), a.getZeroPoints().end());
    p.axis = a.getQuantizedDimension();
  } else {
    return std::nullopt;
  }
  auto q = cast<quant::QuantizedType>(element);
  if (!q.getExpressedType().isF32())
    return std::nullopt;
  p.qmin = q.getStorageTypeMin();
  p.qmax = q.getStorageTypeMax();
  p.bits = q.getStorageTypeIntegralWidth();
  p.isSigned = q.isSigned();
  return p;
}

/// Integer values of a quantized constant: `v` is quant.qcast of an f32
/// constant (quantized here, in f32 like the generated code) or quant.scast
/// of an integer constant.
static std::optional<SmallVector<int64_t>>
getQuantizedConstant(Value v, const TypeParams &params) {
  auto shape = cast<RankedTensorType>(v.getType()).getShape();
  if (auto qcast = v.getDefiningOp<quant::QuantizeCastOp>()) {
    DenseElementsAttr attr = getF32Constant(qcast.getInput());
    if (!attr)
      return std::nullopt;
    int64_t inner = 1;
    if (params.axis)
      for (unsigned d = *params.axis + 1; d < shape.size(); ++d)
        inner *= shape[d];
    int64_t dim = params.axis ? shape[*params.axis] : 1;
    SmallVector<int64_t> out;
    int64_t i = 0;
    for (float w : attr.getValues<float>()) {
      int64_t c = params.axis ? (i / inner) % dim : 0;
      float s = float(params.scaleAt(c));
      float q = std::nearbyintf(w / s) + float(params.zeroPointAt(c));
      q = std::min(std::max(q, float(params.qmin)), float(params.qmax));
      out.push_back(int64_t(q));
      ++i;
    }
    return out;
  }
  if (auto scast = v.getDefiningOp<quant::StorageCastOp>()) {
    auto cst = scast.getInput().getDefiningOp<arith::ConstantOp>();
    if (!cst)
      return std::nullopt;
    auto attr = dyn_cast<DenseIntElementsAttr>(cst.getValue());
    if (!attr)
      return std::nullopt;
    SmallVector<int64_t> out;
    for (const APInt &x : attr.getValues<APInt>())
      out.push_back(params.isSigned ? x.getSExtValue()
                                    : int64_t(x.getZExtValue()));
    return out;
  }
  return std::nullopt;
}

static DenseElementsAttr intAttr(RankedTensorType type,
                                 ArrayRef<int64_t> values) {
  unsigned width = type.getElementType().getIntOrFloatBitWidth();
  SmallVector<APInt> ints;
  ints.reserve(values.size());
  for (int64_t v : values)
    ints.push_back(APInt(width, uint64_t(v), /*isSigned=*/true,
                         /*implicitTrunc=*/true));
  return DenseElementsAttr::get(type, ints);
}

/// f32 -> storage integers: clamp(roundeven(x / s) + zp, qmin, qmax), per
/// tensor (`scaleAxis` empty) or per axis (scale/zero-point tensors).
static Value buildQuantize(OpBuilder &b, Location loc, Value x,
                           const TypeParams &p, Type storageType) {
  auto type = cast<RankedTensorType>(x.getType());
  Value init = emptyLike(b, loc, type.getShape(), storageType);
  unsigned rank = type.getRank();
  SmallVector<Value> inputs = {x};
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  if (p.axis) {
    SmallVector<float> s, zp;
    for (size_t c = 0; c < p.scales.size(); ++c) {
      s.push_back(float(p.scales[c]));
      zp.push_back(float(p.zeroPoints[c]));
    }
    auto vt = RankedTensorType::get({int64_t(s.size())}, b.getF32Type());
    inputs.push_back(arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(vt, ArrayRef<float>(s))));
    inputs.push_back(arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(vt, ArrayRef<float>(zp))));
    AffineMap m = AffineMap::get(rank, 0, b.getAffineDimExpr(*p.axis));
    maps.push_back(m);
    maps.push_back(m);
  }
  float qmin = float(p.qmin), qmax = float(p.qmax);
  float s0 = float(p.scales[0]), zp0 = float(p.zeroPoints[0]);
  bool perAxis = p.axis.has_value();
  return buildElementwise(
      b, loc, inputs, maps, init, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value s = perAxis ? a[1] : f32Const(nb, l, s0);
        Value zp = perAxis ? a[2] : f32Const(nb, l, zp0);
        Value r = arith::DivFOp::create(nb, l, a[0], s);
        r = math::RoundEvenOp::create(nb, l, r);
        r = arith::AddFOp::create(nb, l, r, zp);
        r = arith::MaximumFOp::create(nb, l, r, f32Const(nb, l, qmin));
        r = arith::MinimumFOp::create(nb, l, r, f32Const(nb, l, qmax));
        Value q = arith::FPToSIOp::create(nb, l, storageType, r);
        linalg::YieldOp::create(nb, l, q);
      });
}

//===----------------------------------------------------------------------===//
// Annotation
//===----------------------------------------------------------------------===//

static Type quantizedElementType(MLIRContext *ctx, unsigned bits,
                                 ArrayRef<QuantParams> params,
                                 std::optional<int32_t> axis) {
  Type storage = IntegerType::get(ctx, bits);
  Type f32 = Float32Type::get(ctx);
  unsigned flags = quant::QuantizationFlags::Signed;
  if (!axis)
    return quant::UniformQuantizedType::get(
        flags, storage, f32, params[0].scale, params[0].zeroPoint,
        params[0].qmin, params[0].qmax);
  SmallVector<double> scales;
  SmallVector<int64_t> zps;
  for (const QuantParams &p : params) {
    scales.push_back(p.scale);
    zps.push_back(p.zeroPoint);
  }
  return quant::UniformQuantizedPerAxisType::get(
      flags, storage, f32, scales, zps, *axis, params[0].qmin, params[0].qmax);
}

/// Inserts dcast(qcast(v)) with element type `qtype` and returns the dcast.
static Value insertQDQ(OpBuilder &b, Location loc, Value v, Type qtype) {
  auto type = cast<RankedTensorType>(v.getType());
  auto qt = RankedTensorType::get(type.getShape(), qtype);
  Value q = quant::QuantizeCastOp::create(b, loc, qt, v);
  return quant::DequantizeCastOp::create(b, loc, type, q);
}

/// Symmetric weight parameters (per channel along the layer's channel axis,
/// or per tensor).
static SmallVector<QuantParams> weightParams(DenseElementsAttr w,
                                             const ContractionInfo &info,
                                             unsigned bits, bool perChannel) {
  SmallVector<float> values(w.getValues<float>());
  QuantSpec spec;
  spec.bits = bits;
  spec.symmetric = true;
  auto shape = cast<RankedTensorType>(w.getType()).getShape();
  if (perChannel)
    return calibratePerChannel(values, shape, info.weightChannelAxis, spec);
  return {calibrateTensor(values, spec)};
}

/// Rebuilds `layer` with f16/bf16 inputs (f32 accumulation).
static Operation *truncateLayer(Operation *layer, Type halfType) {
  OpBuilder b(layer);
  Location loc = layer->getLoc();
  Value x = layer->getOperand(0);
  auto xt = cast<RankedTensorType>(x.getType());
  Value xh = buildElementwise(
      b, loc, x, {b.getMultiDimIdentityMap(xt.getRank())},
      emptyLike(b, loc, xt.getShape(), halfType),
      [&](OpBuilder &nb, Location l, ValueRange a) {
        linalg::YieldOp::create(
            nb, l, arith::TruncFOp::create(nb, l, halfType, a[0]).getResult());
      });
  DenseElementsAttr w = getF32Constant(layer->getOperand(1));
  auto wt = cast<RankedTensorType>(w.getType());
  const llvm::fltSemantics &sem = cast<FloatType>(halfType).getFloatSemantics();
  SmallVector<APFloat> halves;
  for (APFloat v : w.getValues<APFloat>()) {
    bool lost;
    v.convert(sem, APFloat::rmNearestTiesToEven, &lost);
    halves.push_back(v);
  }
  Value wh = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get(wt.getShape(), halfType),
                             halves));
  Operation *newOp =
      buildContraction(b, layer, ValueRange{xh, wh}, layer->getOperand(2));
  layer->replaceAllUsesWith(newOp);
  layer->erase();
  return newOp;
}

FailureOr<Operation *>
mlir::green::annotateLayer(Operation *layer, LayerPrecision precision,
                           const WeightQuantOptions &weights,
                           const QuantParams *activation) {
  if (!isQuantizableLayer(layer))
    return failure();
  ContractionInfo info = *getContractionInfo(layer);
  MLIRContext *ctx = layer->getContext();
  Location loc = layer->getLoc();
  DenseElementsAttr w = getF32Constant(layer->getOperand(1));
  switch (precision) {
  case LayerPrecision::F32:
    return layer;
  case LayerPrecision::F16:
    return truncateLayer(layer, Float16Type::get(ctx));
  case LayerPrecision::BF16:
    return truncateLayer(layer, BFloat16Type::get(ctx));
  case LayerPrecision::Int8:
  case LayerPrecision::Int8WeightOnly:
  case LayerPrecision::Int4WeightOnly: {
    unsigned bits = precision == LayerPrecision::Int4WeightOnly ? 4 : 8;
    OpBuilder b(layer);
    SmallVector<QuantParams> wp =
        weightParams(w, info, bits, weights.perChannel);
    std::optional<int32_t> axis;
    if (weights.perChannel)
      axis = info.weightChannelAxis;
    Value wd = insertQDQ(b, loc, layer->getOperand(1),
                         quantizedElementType(ctx, bits, wp, axis));
    layer->setOperand(1, wd);
    if (precision == LayerPrecision::Int8) {
      if (!activation)
        return failure();
      Value xd = insertQDQ(b, loc, layer->getOperand(0),
                           quantizedElementType(ctx, 8, *activation, {}));
      layer->setOperand(0, xd);
    }
    return layer;
  }
  }
  return failure();
}

//===----------------------------------------------------------------------===//
// Folding patterns
//===----------------------------------------------------------------------===//

namespace {

/// contraction(dcast(x_q), dcast(w_q)) -> integer contraction + epilogue.
struct FoldQuantizedContraction
    : public OpInterfaceRewritePattern<linalg::LinalgOp> {
  FoldQuantizedContraction(MLIRContext *ctx)
      : OpInterfaceRewritePattern<linalg::LinalgOp>(ctx, /*benefit=*/2) {}

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<ContractionInfo> info = getContractionInfo(op);
    if (!info)
      return rewriter.notifyMatchFailure(op, "not a supported contraction");
    auto xd = op->getOperand(0).getDefiningOp<quant::DequantizeCastOp>();
    auto wd = op->getOperand(1).getDefiningOp<quant::DequantizeCastOp>();
    if (!xd || !wd)
      return rewriter.notifyMatchFailure(op, "inputs are not both dcast");
    auto init = op->getOperand(2);
    auto outType = cast<RankedTensorType>(init.getType());
    if (!outType.getElementType().isF32() || !outType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "result is not static f32");
    std::optional<TypeParams> xp = getTypeParams(xd.getInput().getType());
    std::optional<TypeParams> wp = getTypeParams(wd.getInput().getType());
    if (!xp || !wp || xp->axis || xp->bits != 8 || wp->bits != 8 ||
        !xp->isSigned || !wp->isSigned)
      return rewriter.notifyMatchFailure(
          op, "needs per-tensor signed i8 activations and i8 weights");
    if (wp->axis && *wp->axis != int32_t(info->weightChannelAxis))
      return rewriter.notifyMatchFailure(op, "weight axis is not the output "
                                             "channel axis");
    if (llvm::any_of(wp->zeroPoints, [](int64_t z) { return z != 0; }))
      return rewriter.notifyMatchFailure(op, "weight zero point is not 0");
    auto wType = cast<RankedTensorType>(wd.getInput().getType());
    std::optional<SmallVector<int64_t>> wq =
        getQuantizedConstant(wd.getInput(), *wp);
    if (!wq)
      return rewriter.notifyMatchFailure(op, "weight is not a constant");

    Location loc = op.getLoc();
    Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
    // Activation as i8: quantized here, or already integer storage.
    Value xq;
    if (auto qcast = xd.getInput().getDefiningOp<quant::QuantizeCastOp>()) {
      if (!cast<RankedTensorType>(qcast.getInput().getType()).hasStaticShape())
        return rewriter.notifyMatchFailure(op, "dynamic activation shape");
      xq = buildQuantize(rewriter, loc, qcast.getInput(), *xp, i8);
    } else if (auto scast =
                   xd.getInput().getDefiningOp<quant::StorageCastOp>()) {
      xq = scast.getInput();
      if (!getElementTypeOrSelf(xq.getType()).isInteger(8))
        return rewriter.notifyMatchFailure(op, "activation storage is not i8");
    } else {
      return rewriter.notifyMatchFailure(op, "activation is not qcast/scast");
    }
    Value wc = arith::ConstantOp::create(
        rewriter, loc,
        intAttr(RankedTensorType::get(wType.getShape(), i8), *wq));

    // Integer contraction into a zero-filled i32 accumulator.
    Value zero =
        arith::ConstantOp::create(rewriter, loc, rewriter.getI32IntegerAttr(0));
    Value acc0 = linalg::FillOp::create(
                     rewriter, loc, zero,
                     emptyLike(rewriter, loc, outType.getShape(), i32))
                     .getResult(0);
    Operation *intOp = buildContraction(rewriter, op, ValueRange{xq, wc}, acc0);
    if (!intOp)
      return rewriter.notifyMatchFailure(op, "cannot rebuild contraction");

    // Epilogue constants: per-channel combined scale s_x * s_w[c] (f32
    // product, as numpy float32 computes it) and the zero-point correction
    // zp_x * sum of W over the reduced axes.
    unsigned rank = outType.getRank();
    int64_t channels = wType.getDimSize(info->weightChannelAxis);
    SmallVector<float> scale;
    for (int64_t c = 0; c < channels; ++c)
      scale.push_back(float(xp->scales[0]) * float(wp->scaleAt(c)));
    SmallVector<Value> inputs = {intOp->getResult(0)};
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
    inputs.push_back(arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({channels}, rewriter.getF32Type()),
            ArrayRef<float>(scale))));
    maps.push_back(AffineMap::get(
        rank, 0, rewriter.getAffineDimExpr(info->outputChannelDim)));
    int64_t zpx = xp->zeroPoints[0];
    if (zpx != 0) {
      SmallVector<int64_t> keptShape;
      for (unsigned a : info->weightKeptAxes)
        keptShape.push_back(wType.getDimSize(a));
      int64_t keptCount = 1;
      for (int64_t d : keptShape)
        keptCount *= d;
      SmallVector<int64_t> corr(keptCount, 0);
      auto shape = wType.getShape();
      SmallVector<int64_t> idx(shape.size(), 0);
      for (int64_t v : *wq) {
        int64_t k = 0;
        for (unsigned j = 0; j < info->weightKeptAxes.size(); ++j)
          k = k * keptShape[j] + idx[info->weightKeptAxes[j]];
        corr[k] += v;
        for (int d = int(shape.size()) - 1; d >= 0; --d) {
          if (++idx[d] < shape[d])
            break;
          idx[d] = 0;
        }
      }
      for (int64_t &c : corr)
        c *= zpx;
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc, intAttr(RankedTensorType::get(keptShape, i32), corr)));
      SmallVector<AffineExpr> exprs;
      for (unsigned d : info->outputKeptDims)
        exprs.push_back(rewriter.getAffineDimExpr(d));
      maps.push_back(AffineMap::get(rank, 0, exprs, rewriter.getContext()));
    }
    bool hasCorr = zpx != 0;
    Value y = buildElementwise(rewriter, loc, inputs, maps, init,
                               [&](OpBuilder &b, Location l, ValueRange a) {
                                 Value acc = a[0];
                                 if (hasCorr)
                                   acc = arith::SubIOp::create(b, l, acc, a[2]);
                                 Value f = arith::SIToFPOp::create(
                                     b, l, b.getF32Type(), acc);
                                 f = arith::MulFOp::create(b, l, f, a[1]);
                                 f = arith::AddFOp::create(b, l, f, a.back());
                                 linalg::YieldOp::create(b, l, f);
                               });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// dcast(qcast/scast(v)) left after contraction folding: a constant becomes
/// integer storage dequantized at run time (weight-only schemes; i4 packed
/// two per byte), anything else an element-wise (fake) quantization.
struct LowerDequantizeCast : public OpRewritePattern<quant::DequantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(quant::DequantizeCastOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<TypeParams> p = getTypeParams(op.getInput().getType());
    auto outType = dyn_cast<RankedTensorType>(op.getType());
    if (!p || !outType || !outType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static ranked tensor "
                                             "of a uniform type");
    // Only lower once no contraction could still fold this pair.
    for (Operation *user : op->getUsers())
      if (getContractionInfo(user)) {
        Operation *other = nullptr;
        for (Value v : user->getOperands().take_front(2))
          if (v != op.getResult())
            other = v.getDefiningOp();
        if (other && isa<quant::DequantizeCastOp>(other) &&
            getTypeParams(
                cast<quant::DequantizeCastOp>(other).getInput().getType()))
          return rewriter.notifyMatchFailure(op, "left to contraction fold");
      }
    Location loc = op.getLoc();
    unsigned rank = outType.getRank();
    Type storage = IntegerType::get(rewriter.getContext(), p->bits);
    Value q;
    SmallVector<AffineMap> qMaps = {rewriter.getMultiDimIdentityMap(rank)};
    bool packed = false;
    if (std::optional<SmallVector<int64_t>> values =
            getQuantizedConstant(op.getInput(), *p)) {
      if (p->bits == 4 && rank > 0) {
        // Two i4 values per byte along the last dim: element j in the low
        // nibble of byte j/2 when j is even, in the high one when odd.
        SmallVector<int64_t> shape(outType.getShape());
        int64_t last = shape.back(), half = (last + 1) / 2;
        int64_t rows = outType.getNumElements() / std::max<int64_t>(last, 1);
        SmallVector<int64_t> bytes(rows * half, 0);
        for (int64_t r = 0; r < rows; ++r)
          for (int64_t j = 0; j < last; ++j) {
            int64_t nib = (*values)[r * last + j] & 0xF;
            bytes[r * half + j / 2] |= (j % 2) ? (nib << 4) : nib;
          }
        for (int64_t &v : bytes)
          v = int8_t(uint8_t(v));
        shape.back() = half;
        q = arith::ConstantOp::create(
            rewriter, loc,
            intAttr(RankedTensorType::get(shape, rewriter.getI8Type()), bytes));
        SmallVector<AffineExpr> exprs;
        for (unsigned d = 0; d + 1 < rank; ++d)
          exprs.push_back(rewriter.getAffineDimExpr(d));
        exprs.push_back(rewriter.getAffineDimExpr(rank - 1).floorDiv(2));
        qMaps[0] = AffineMap::get(rank, 0, exprs, rewriter.getContext());
        packed = true;
      } else {
        q = arith::ConstantOp::create(
            rewriter, loc,
            intAttr(RankedTensorType::get(outType.getShape(), storage),
                    *values));
      }
    } else if (auto qcast =
                   op.getInput().getDefiningOp<quant::QuantizeCastOp>()) {
      q = buildQuantize(rewriter, loc, qcast.getInput(), *p, storage);
    } else if (auto scast =
                   op.getInput().getDefiningOp<quant::StorageCastOp>()) {
      q = scast.getInput();
    } else {
      return rewriter.notifyMatchFailure(op, "input is not qcast/scast");
    }

    SmallVector<Value> inputs = {q};
    SmallVector<AffineMap> maps = qMaps;
    if (p->axis) {
      SmallVector<float> s, zp;
      for (size_t c = 0; c < p->scales.size(); ++c) {
        s.push_back(float(p->scales[c]));
        zp.push_back(float(p->zeroPoints[c]));
      }
      auto vt =
          RankedTensorType::get({int64_t(s.size())}, rewriter.getF32Type());
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(vt, ArrayRef<float>(s))));
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(vt, ArrayRef<float>(zp))));
      AffineMap m =
          AffineMap::get(rank, 0, rewriter.getAffineDimExpr(*p->axis));
      maps.push_back(m);
      maps.push_back(m);
    }
    bool perAxis = p->axis.has_value();
    float s0 = float(p->scales[0]), zp0 = float(p->zeroPoints[0]);
    bool isSigned = p->isSigned;
    Value init =
        emptyLike(rewriter, loc, outType.getShape(), rewriter.getF32Type());
    Value y = buildElementwise(
        rewriter, loc, inputs, maps, init,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value v = a[0];
          if (packed) {
            Type i8 = b.getI8Type();
            Value four = arith::ConstantOp::create(b, l, b.getI8IntegerAttr(4));
            Value lo = arith::ShRSIOp::create(
                b, l, arith::ShLIOp::create(b, l, v, four), four);
            Value hi = arith::ShRSIOp::create(b, l, v, four);
            Value j = linalg::IndexOp::create(b, l, rank - 1);
            Value one = arith::ConstantIndexOp::create(b, l, 1);
            Value zeroIdx = arith::ConstantIndexOp::create(b, l, 0);
            Value odd = arith::CmpIOp::create(
                b, l, arith::CmpIPredicate::ne,
                arith::AndIOp::create(b, l, j, one), zeroIdx);
            v = arith::SelectOp::create(b, l, odd, hi, lo);
            (void)i8;
          }
          Value f =
              isSigned
                  ? arith::SIToFPOp::create(b, l, b.getF32Type(), v).getResult()
                  : arith::UIToFPOp::create(b, l, b.getF32Type(), v)
                        .getResult();
          Value s = perAxis ? a[1] : f32Const(b, l, s0);
          Value zp = perAxis ? a[2] : f32Const(b, l, zp0);
          f = arith::SubFOp::create(b, l, f, zp);
          f = arith::MulFOp::create(b, l, f, s);
          linalg::YieldOp::create(b, l, f);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void mlir::green::populateFoldQuantizedContractionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<FoldQuantizedContraction, LowerDequantizeCast>(
      patterns.getContext());
}

LogicalResult mlir::green::foldQuantizedContractions(Operation *root) {
  RewritePatternSet patterns(root->getContext());
  populateFoldQuantizedContractionPatterns(patterns);
  GreedyRewriteConfig config;
  config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
  // quant.dcast folds dcast(qcast(x)) to x, which would drop the
  // quantization instead of lowering it.
  config.enableFolding(false);
  if (failed(applyPatternsGreedily(root, std::move(patterns), config)))
    return failure();
  // Dead casts are removed by the driver; anything left is an error.
  WalkResult r = root->walk([](Operation *op) {
    if (isa<quant::DequantizeCastOp>(op)) {
      op->emitError("green-fold-quantized-contractions: cannot lower this "
                    "quant.dcast (needs a static tensor of a uniform "
                    "quantized type fed by quant.qcast or quant.scast)");
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(r.wasInterrupted());
}

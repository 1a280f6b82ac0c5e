//===- OpConversionsNN.cpp - Conv, Gemm, MatMul, pooling, normalization ---===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// ONNX is NCHW, TOSA's conv and pooling ops are NHWC: activations are
// transposed around each op (canonicalization cancels back-to-back pairs) and
// constant weights are transposed once, at import, into TOSA's OHWI / HWCM
// layouts. TOSA requires the padded input to fit a whole number of strides,
// so end padding ONNX's floor rounding would never read is trimmed. MatMul and
// Gemm become rank-3 tosa.matmul; reductions, Softmax and BatchNormalization
// become short sequences of TOSA elementwise ops (BatchNormalization with
// constant statistics folds to one multiply and one add).
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"

#include <cmath>
#include <numeric>

using namespace mlir;
using namespace mlir::green::onnx_import;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static int64_t product(llvm::ArrayRef<int64_t> values) {
  return std::accumulate(values.begin(), values.end(), int64_t{1},
                         std::multiplies<int64_t>());
}

/// Input `i` transposed by `perm`; constants are transposed at import.
static Value getInputTransposed(NodeImporter &n, unsigned i,
                                llvm::ArrayRef<int64_t> perm) {
  if (const HostTensor *c = n.getInputConstant(i))
    return n.getState().createConstant(
        c->transposed(perm), NameLoc::get(StringAttr::get(
                                 n.getContext(), n.getInputName(i))),
        n.getInputName(i));
  return n.createTranspose(n.getInput(i), perm);
}

/// Input `i` reshaped; constants are reshaped at import.
static Value getInputReshaped(NodeImporter &n, unsigned i,
                              llvm::ArrayRef<int64_t> shape) {
  if (const HostTensor *c = n.getInputConstant(i))
    return n.getState().createConstant(
        c->reshaped(shape), NameLoc::get(StringAttr::get(
                                n.getContext(), n.getInputName(i))),
        n.getInputName(i));
  return n.createReshape(n.getInput(i), shape);
}

static Type getAccType(OpBuilder &b, Type elementType) {
  if (isa<FloatType>(elementType))
    return b.getF32Type();
  return elementType.getIntOrFloatBitWidth() <= 8 ? b.getI32Type()
                                                  : b.getIntegerType(48);
}

/// Computes padding per ONNX's auto_pad/pads and rounding (ceil_mode), then
/// trims (or, for ceil_mode, extends) the end padding so the padded input
/// is exactly (output - 1) * stride + effective kernel, as TOSA requires. A
/// negative padEnd means the input must be cropped.
FailureOr<llvm::SmallVector<WindowDim>>
mlir::green::onnx_import::computeWindow(NodeImporter &n, llvm::ArrayRef<int64_t> inputs,
              llvm::ArrayRef<int64_t> kernel, llvm::ArrayRef<int64_t> strides,
              llvm::ArrayRef<int64_t> dilations, bool ceilMode,
              bool ignorePads) {
  size_t rank = inputs.size();
  std::string autoPad =
      ignorePads ? "VALID" : n.getStringAttr("auto_pad", "NOTSET");
  llvm::SmallVector<int64_t> pads = n.getIntsAttr("pads");
  if (pads.empty())
    pads.assign(2 * rank, 0);
  if (pads.size() != 2 * rank)
    return n.emitError() << "expected " << 2 * rank << " pads, got "
                         << pads.size();
  llvm::SmallVector<WindowDim> dims;
  for (size_t i = 0; i < rank; ++i) {
    int64_t in = inputs[i], s = strides[i];
    int64_t effKernel = (kernel[i] - 1) * dilations[i] + 1;
    int64_t pb = pads[i], pe = pads[i + rank];
    if (autoPad == "VALID") {
      pb = pe = 0;
    } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      int64_t out = (in + s - 1) / s;
      int64_t total = std::max<int64_t>(0, (out - 1) * s + effKernel - in);
      int64_t small = total / 2;
      pb = autoPad == "SAME_UPPER" ? small : total - small;
      pe = total - pb;
    } else if (autoPad != "NOTSET") {
      return n.emitError() << "unknown auto_pad '" << autoPad << "'";
    }
    int64_t span = in + pb + pe - effKernel;
    if (span < 0)
      return n.emitError() << "window of " << effKernel
                           << " elements does not fit the padded input of "
                           << in + pb + pe;
    int64_t out = ceilMode ? (span + s - 1) / s + 1 : span / s + 1;
    // A last window starting in the end padding is dropped.
    if (ceilMode && (out - 1) * s >= in + pb)
      --out;
    pe = (out - 1) * s + effKernel - in - pb;
    dims.push_back({pb, pe, out});
  }
  return dims;
}

/// Crops the NCHW input where the end padding is negative and returns the
/// TOSA pad array [top, bottom, left, right].
FailureOr<ConvWindow> mlir::green::onnx_import::computeConvWindow(
    NodeImporter &n, llvm::ArrayRef<int64_t> xShape,
    llvm::ArrayRef<int64_t> wShape, llvm::ArrayRef<int64_t> kernel) {
  ConvWindow conv;
  conv.group = n.getIntAttr("group", 1);
  int64_t channels = xShape[1], outChannels = wShape[0];
  if (conv.group <= 0 || channels % conv.group || outChannels % conv.group ||
      wShape[1] * conv.group != channels)
    return n.emitError() << "group " << conv.group << " does not divide input "
                         << formatShape(xShape) << " and weight "
                         << formatShape(wShape);
  conv.strides = n.getIntsAttr("strides");
  if (conv.strides.empty())
    conv.strides = {1, 1};
  conv.dilations = n.getIntsAttr("dilations");
  if (conv.dilations.empty())
    conv.dilations = {1, 1};
  auto window = computeWindow(n, xShape.drop_front(2), kernel, conv.strides,
                              conv.dilations, /*ceilMode=*/false);
  if (failed(window))
    return failure();
  conv.window = std::move(*window);
  return conv;
}

static Value cropForWindow(NodeImporter &n, Value input,
                           llvm::MutableArrayRef<WindowDim> dims) {
  auto type = cast<RankedTensorType>(input.getType());
  llvm::SmallVector<int64_t> starts(type.getRank(), 0);
  llvm::SmallVector<int64_t> sizes(type.getShape());
  bool crop = false;
  for (auto [i, d] : llvm::enumerate(dims)) {
    if (d.padEnd >= 0)
      continue;
    sizes[2 + i] += d.padEnd;
    d.padEnd = 0;
    crop = true;
  }
  return crop ? n.createSlice(input, starts, sizes) : input;
}

static constexpr int64_t kToNHWC[] = {0, 2, 3, 1};
static constexpr int64_t kToNCHW[] = {0, 3, 1, 2};

//===----------------------------------------------------------------------===//
// Conv
//===----------------------------------------------------------------------===//

static LogicalResult convertConv(NodeImporter &n) {
  llvm::ArrayRef<int64_t> xShape = n.getInputShape(0);
  llvm::ArrayRef<int64_t> wShape = n.getInputShape(1);
  if (xShape.size() != 4 || wShape.size() != 4)
    return n.emitError() << "only 2-D convolutions (rank-4 input and weight) "
                            "are supported, got input "
                         << formatShape(xShape);
  OpBuilder &b = n.getBuilder();
  Location loc = n.getLoc();
  Type elementType = n.getInputElementType(0);
  llvm::SmallVector<int64_t> kernel = n.getIntsAttr("kernel_shape");
  if (kernel.empty())
    kernel = {wShape[2], wShape[3]};
  if (kernel[0] != wShape[2] || kernel[1] != wShape[3])
    return n.emitError() << "kernel_shape " << formatShape(kernel)
                         << " differs from the weight " << formatShape(wShape);
  auto conv = computeConvWindow(n, xShape, wShape, kernel);
  if (failed(conv))
    return failure();
  int64_t group = conv->group;
  int64_t channels = xShape[1], outChannels = wShape[0];
  llvm::ArrayRef<int64_t> strides = conv->strides, dilations = conv->dilations;
  llvm::SmallVector<WindowDim> *window = &conv->window;
  Value x = cropForWindow(n, n.getInput(0), *window);
  x = n.createTranspose(x, kToNHWC);
  auto xType = cast<RankedTensorType>(x.getType());

  Value bias;
  if (n.hasInput(2))
    bias = n.getInput(2);
  else
    bias = n.createConstant(HostTensor::zeros(elementType, {outChannels}));

  auto pad = b.getDenseI64ArrayAttr(
      {(*window)[0].padBegin, (*window)[0].padEnd, (*window)[1].padBegin,
       (*window)[1].padEnd});
  auto stride = b.getDenseI64ArrayAttr(strides);
  auto dilation = b.getDenseI64ArrayAttr(dilations);
  auto accType = TypeAttr::get(getAccType(b, elementType));
  int64_t n0 = xShape[0], oh = (*window)[0].output, ow = (*window)[1].output;
  auto outType =
      RankedTensorType::get({n0, oh, ow, outChannels}, elementType);
  Value zp = n.createZeroPoint(elementType);

  Value result;
  if (group == 1) {
    Value w = getInputTransposed(n, 1, kToNHWC); // OIHW -> OHWI
    result = tosa::Conv2DOp::create(b, loc, outType, x, w, bias, zp, zp, pad,
                                    stride, dilation, accType);
  } else if (group == channels) {
    // Depthwise: [C*M, 1, KH, KW] -> [C, M, KH, KW] -> [KH, KW, C, M].
    int64_t multiplier = outChannels / channels;
    Value w;
    if (const HostTensor *c = n.getInputConstant(1))
      w = n.getState().createConstant(
          c->reshaped({channels, multiplier, kernel[0], kernel[1]})
              .transposed({2, 3, 0, 1}),
          NameLoc::get(StringAttr::get(n.getContext(), n.getInputName(1))),
          n.getInputName(1));
    else
      w = n.createTranspose(
          n.createReshape(n.getInput(1),
                          {channels, multiplier, kernel[0], kernel[1]}),
          {2, 3, 0, 1});
    result = tosa::DepthwiseConv2DOp::create(b, loc, outType, x, w, bias, zp,
                                             zp, pad, stride, dilation,
                                             accType);
  } else {
    // Grouped: one conv2d per group on channel slices, concatenated.
    // Constant weights and biases are split at import.
    const HostTensor *wConst = n.getInputConstant(1);
    const HostTensor *bConst = n.hasInput(2) ? n.getInputConstant(2) : nullptr;
    Value w = wConst ? Value() : getInputTransposed(n, 1, kToNHWC);
    int64_t inPerGroup = channels / group, outPerGroup = outChannels / group;
    llvm::SmallVector<int64_t> wSize = {outPerGroup, kernel[0], kernel[1],
                                        inPerGroup};
    llvm::SmallVector<Value> parts;
    for (int64_t g = 0; g < group; ++g) {
      Value xg = n.createSlice(
          x, {0, 0, 0, g * inPerGroup},
          {xType.getDimSize(0), xType.getDimSize(1), xType.getDimSize(2),
           inPerGroup});
      Value wg, bg;
      if (wConst)
        wg = n.getState().createConstant(
            wConst->transposed(kToNHWC).sliced({g * outPerGroup, 0, 0, 0},
                                               {1, 1, 1, 1}, wSize),
            NameLoc::get(StringAttr::get(n.getContext(), n.getInputName(1))),
            n.getInputName(1));
      else
        wg = n.createSlice(w, {g * outPerGroup, 0, 0, 0}, wSize);
      if (bConst)
        bg = n.createConstant(
            bConst->sliced({g * outPerGroup}, {1}, {outPerGroup}));
      else
        bg = n.createSlice(bias, {g * outPerGroup}, {outPerGroup});
      auto partType =
          RankedTensorType::get({n0, oh, ow, outPerGroup}, elementType);
      parts.push_back(tosa::Conv2DOp::create(b, loc, partType, xg, wg, bg, zp,
                                             zp, pad, stride, dilation,
                                             accType));
    }
    result = tosa::ConcatOp::create(b, loc, outType, parts,
                                    b.getI32IntegerAttr(3));
  }
  n.setOutput(0, n.createTranspose(result, kToNCHW));
  return success();
}

//===----------------------------------------------------------------------===//
// ConvTranspose
//===----------------------------------------------------------------------===//

/// ONNX's ConvTranspose weight [Cin, Cout/group, KH, KW] for one group, in
/// TOSA's transpose_conv2d layout [Cout/group, KH', KW', Cin/group], with
/// dilation applied by spreading the kernel taps (zeros between them).
static Value getTransposeConvWeight(NodeImporter &n, int64_t g,
                                    int64_t inPerGroup,
                                    llvm::ArrayRef<int64_t> dilations) {
  llvm::ArrayRef<int64_t> wShape = n.getInputShape(1);
  int64_t outPerGroup = wShape[1], kh = wShape[2], kw = wShape[3];
  Location wLoc =
      NameLoc::get(StringAttr::get(n.getContext(), n.getInputName(1)));
  if (const HostTensor *c = n.getInputConstant(1)) {
    HostTensor part = c->sliced({g * inPerGroup, 0, 0, 0}, {1, 1, 1, 1},
                                {inPerGroup, outPerGroup, kh, kw});
    if (dilations[0] != 1 || dilations[1] != 1) {
      int64_t ekh = (kh - 1) * dilations[0] + 1,
              ekw = (kw - 1) * dilations[1] + 1;
      HostTensor spread =
          HostTensor::zeros(part.elementType, {inPerGroup, outPerGroup, ekh,
                                               ekw});
      for (int64_t i = 0; i < inPerGroup * outPerGroup; ++i)
        for (int64_t y = 0; y < kh; ++y)
          for (int64_t x = 0; x < kw; ++x)
            spread.setDouble(
                (i * ekh + y * dilations[0]) * ekw + x * dilations[1],
                part.getDouble((i * kh + y) * kw + x));
      part = std::move(spread);
    }
    return n.getState().createConstant(part.transposed({1, 2, 3, 0}), wLoc,
                                       n.getInputName(1));
  }
  Value w = n.getInput(1);
  if (inPerGroup != wShape[0])
    w = n.createSlice(w, {g * inPerGroup, 0, 0, 0},
                      {inPerGroup, outPerGroup, kh, kw});
  return n.createTranspose(w, {1, 2, 3, 0});
}

static LogicalResult convertConvTranspose(NodeImporter &n) {
  llvm::ArrayRef<int64_t> xShape = n.getInputShape(0);
  llvm::ArrayRef<int64_t> wShape = n.getInputShape(1);
  if (xShape.size() != 4 || wShape.size() != 4)
    return n.emitError() << "only 2-D transposed convolutions (rank-4 input "
                            "and weight) are supported, got input "
                         << formatShape(xShape);
  OpBuilder &b = n.getBuilder();
  Location loc = n.getLoc();
  Type elementType = n.getInputElementType(0);
  if (!isa<FloatType>(elementType))
    return n.emitError() << "only floating-point ConvTranspose is supported";
  int64_t group = n.getIntAttr("group", 1);
  int64_t channels = xShape[1];
  if (group <= 0 || channels % group || wShape[0] != channels)
    return n.emitError() << "group " << group << " does not fit input "
                         << formatShape(xShape) << " and weight "
                         << formatShape(wShape);
  int64_t inPerGroup = channels / group, outPerGroup = wShape[1];
  int64_t outChannels = outPerGroup * group;
  llvm::SmallVector<int64_t> kernel = n.getIntsAttr("kernel_shape");
  if (kernel.empty())
    kernel = {wShape[2], wShape[3]};
  if (kernel.size() != 2 || kernel[0] != wShape[2] || kernel[1] != wShape[3])
    return n.emitError() << "kernel_shape " << formatShape(kernel)
                         << " differs from the weight " << formatShape(wShape);
  auto get2 = [&](llvm::StringRef name, int64_t dflt)
      -> FailureOr<llvm::SmallVector<int64_t>> {
    llvm::SmallVector<int64_t> v = n.getIntsAttr(name);
    if (v.empty())
      v.assign(2, dflt);
    if (v.size() != 2)
      return n.emitError() << "expected 2 values in '" << name << "', got "
                           << v.size();
    return v;
  };
  auto strides = get2("strides", 1), dilations = get2("dilations", 1),
       outputPadding = get2("output_padding", 0);
  if (failed(strides) || failed(dilations) || failed(outputPadding))
    return failure();
  if ((*dilations)[0] != 1 || (*dilations)[1] != 1) {
    if (!n.getInputConstant(1))
      return n.emitError() << "dilations need a constant weight";
  }
  llvm::SmallVector<int64_t> pads = n.getIntsAttr("pads");
  if (pads.empty())
    pads.assign(4, 0);
  if (pads.size() != 4)
    return n.emitError() << "expected 4 pads, got " << pads.size();
  std::string autoPad = n.getStringAttr("auto_pad", "NOTSET");
  llvm::SmallVector<int64_t> outputShape = n.getIntsAttr("output_shape");
  if (!outputShape.empty() && outputShape.size() != 2) {
    if (outputShape.size() != 4)
      return n.emitError() << "output_shape must have 2 (or 4) values";
    outputShape.erase(outputShape.begin(), outputShape.begin() + 2);
  }
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER")
    return n.emitError() << "unknown auto_pad '" << autoPad << "'";
  llvm::SmallVector<int64_t> effKernel(2), out(2);
  for (int i = 0; i < 2; ++i) {
    int64_t in = xShape[2 + i], s = (*strides)[i];
    effKernel[i] = (kernel[i] - 1) * (*dilations)[i] + 1;
    int64_t full = s * (in - 1) + (*outputPadding)[i] + effKernel[i];
    if (autoPad == "VALID")
      pads[i] = pads[i + 2] = 0;
    bool same = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
    if (!outputShape.empty() || same) {
      int64_t want = outputShape.empty() ? in * s : outputShape[i];
      int64_t total = full - want;
      if (autoPad == "SAME_UPPER") {
        pads[i] = total / 2;
        pads[i + 2] = total - total / 2;
      } else {
        pads[i] = total - total / 2;
        pads[i + 2] = total / 2;
      }
    }
    out[i] = full - pads[i] - pads[i + 2];
    if (out[i] <= 0)
      return n.emitError() << "output dimension " << i << " would be "
                           << out[i];
  }

  Value x = n.createTranspose(n.getInput(0), kToNHWC);
  // Strides: MLIR 22's decomposition of a strided transpose_conv2d emits a
  // rank-4 tosa.pad its own validation rejects, so the input is
  // zero-inserted here ([N, H, 1, W, 1, C] padded to [N, H, s, W, s, C])
  // and the transposed convolution has stride 1: the same sums, with s - 1
  // extra bias-only rows at the end that the slice below drops.
  llvm::SmallVector<int64_t> inSize = {xShape[2], xShape[3]};
  llvm::SmallVector<int64_t> tosaStrides = *strides;
  if ((*strides)[0] != 1 || (*strides)[1] != 1) {
    int64_t s0 = (*strides)[0], s1 = (*strides)[1];
    x = n.createReshape(x, {xShape[0], xShape[2], 1, xShape[3], 1, channels});
    x = n.createPad(x, {0, 0, 0, 0, 0, 0}, {0, 0, s0 - 1, 0, s1 - 1, 0}, 0.0);
    inSize = {xShape[2] * s0, xShape[3] * s1};
    x = n.createReshape(x, {xShape[0], inSize[0], inSize[1], channels});
    tosaStrides = {1, 1};
  }

  // transpose_conv2d computes (in - 1) * stride + out_pad_begin +
  // out_pad_end + kernel rows; ONNX's pads are negative out_pad. TOSA wants
  // out_pad > -kernel, so larger pads (and extra rows from output_shape) are
  // cropped or zero-padded with a slice afterwards.
  llvm::SmallVector<int64_t> outPad(4), crop(2), tosaOut(2);
  for (int i = 0; i < 2; ++i) {
    int64_t in = inSize[i], s = tosaStrides[i];
    int64_t top = std::max<int64_t>(-pads[i], 1 - effKernel[i]);
    int64_t bottom = std::max<int64_t>(
        out[i] + pads[i] - (s * (in - 1) + effKernel[i]),
        1 - effKernel[i]);
    bottom = std::max<int64_t>(bottom, -pads[i + 2]);
    outPad[2 * i] = top;
    outPad[2 * i + 1] = bottom;
    crop[i] = -pads[i] - top; // <= 0: rows to drop at the start
    tosaOut[i] = s * (in - 1) + top + bottom + effKernel[i];
  }

  Value bias;
  const HostTensor *bConst = n.hasInput(2) ? n.getInputConstant(2) : nullptr;
  if (n.hasInput(2))
    bias = n.getInput(2);
  else
    bias = n.createConstant(HostTensor::zeros(elementType, {outChannels}));
  Value zp = n.createZeroPoint(elementType);
  auto accType = TypeAttr::get(getAccType(b, elementType));
  auto stride = b.getDenseI64ArrayAttr(tosaStrides);
  auto outPadAttr = b.getDenseI64ArrayAttr(outPad);
  llvm::SmallVector<Value> parts;
  for (int64_t g = 0; g < group; ++g) {
    Value xg = x;
    if (group > 1)
      xg = n.createSlice(x, {0, 0, 0, g * inPerGroup},
                         {xShape[0], inSize[0], inSize[1], inPerGroup});
    Value wg = getTransposeConvWeight(n, g, inPerGroup, *dilations);
    Value bg = bias;
    if (group > 1) {
      if (bConst)
        bg = n.createConstant(
            bConst->sliced({g * outPerGroup}, {1}, {outPerGroup}));
      else
        bg = n.createSlice(bias, {g * outPerGroup}, {outPerGroup});
    }
    auto partType = RankedTensorType::get(
        {xShape[0], tosaOut[0], tosaOut[1], outPerGroup}, elementType);
    parts.push_back(tosa::TransposeConv2DOp::create(
        b, loc, partType, xg, wg, bg, zp, zp, outPadAttr, stride, accType));
  }
  Value result = parts.front();
  if (group > 1)
    result = tosa::ConcatOp::create(
        b, loc,
        RankedTensorType::get(
            {xShape[0], tosaOut[0], tosaOut[1], outChannels}, elementType),
        parts, b.getI32IntegerAttr(3));
  result = n.createTranspose(result, kToNCHW);
  // Drop rows the clamped out_pad kept; rows past the end (output_shape
  // larger than the computed extent) only ever hold the bias, which the
  // clamped end out_pad already produced.
  if (crop[0] || crop[1] || tosaOut[0] != out[0] || tosaOut[1] != out[1])
    result = n.createSlice(result, {0, 0, -crop[0], -crop[1]},
                           {xShape[0], outChannels, out[0], out[1]});
  n.setOutput(0, result);
  return success();
}

//===----------------------------------------------------------------------===//
// MatMul and Gemm
//===----------------------------------------------------------------------===//

/// tosa.matmul of [1, M, K] x [1, K, N] (2-D operands), reshaped to [M, N].
static Value createMatmul2D(NodeImporter &n, Value a, Value b) {
  auto aType = cast<RankedTensorType>(a.getType());
  auto bType = cast<RankedTensorType>(b.getType());
  int64_t m = aType.getDimSize(0), k = aType.getDimSize(1),
          nn = bType.getDimSize(1);
  Type elementType = aType.getElementType();
  Value a3 = n.createReshape(a, {1, m, k});
  Value b3 = n.createReshape(b, {1, k, nn});
  Value zp = n.createZeroPoint(elementType);
  Value mm = tosa::MatMulOp::create(
      n.getBuilder(), n.getLoc(),
      RankedTensorType::get({1, m, nn}, elementType), a3, b3, zp, zp);
  return n.createReshape(mm, {m, nn});
}

static LogicalResult convertMatMul(NodeImporter &n) {
  llvm::SmallVector<int64_t> aShape(n.getInputShape(0));
  llvm::SmallVector<int64_t> bShape(n.getInputShape(1));
  Type elementType = n.getInputElementType(0);
  bool aVector = aShape.size() == 1, bVector = bShape.size() == 1;
  if (aShape.empty() || bShape.empty())
    return n.emitError() << "MatMul operands must have rank 1 or more";
  if (aVector)
    aShape.insert(aShape.begin(), 1);
  if (bVector)
    bShape.push_back(1);
  int64_t m = aShape[aShape.size() - 2], k = aShape.back();
  int64_t nn = bShape.back();
  if (bShape[bShape.size() - 2] != k)
    return n.emitError() << "inner dimensions differ: "
                         << formatShape(n.getInputShape(0)) << " x "
                         << formatShape(n.getInputShape(1));
  llvm::ArrayRef<int64_t> aBatch = llvm::ArrayRef(aShape).drop_back(2);
  llvm::ArrayRef<int64_t> bBatch = llvm::ArrayRef(bShape).drop_back(2);
  auto batch = n.broadcastShapes(aBatch, bBatch);
  if (failed(batch))
    return failure();
  int64_t batchSize = product(*batch);

  Value a, b;
  int64_t tosaBatch, tosaM;
  if (product(bBatch) == 1) {
    // Shared weights: fold A's batch into M.
    tosaBatch = 1;
    tosaM = product(aBatch) * m;
    a = getInputReshaped(n, 0, {1, tosaM, k});
    b = getInputReshaped(n, 1, {1, k, nn});
  } else {
    tosaBatch = batchSize;
    tosaM = m;
    llvm::SmallVector<int64_t> aFull(*batch), bFull(*batch);
    aFull.append({m, k});
    bFull.append({k, nn});
    a = n.createBroadcastTo(getInputReshaped(n, 0, aShape), aFull);
    b = n.createBroadcastTo(getInputReshaped(n, 1, bShape), bFull);
    a = n.createReshape(a, {batchSize, m, k});
    b = n.createReshape(b, {batchSize, k, nn});
  }
  Value zp = n.createZeroPoint(elementType);
  Value mm = tosa::MatMulOp::create(
      n.getBuilder(), n.getLoc(),
      RankedTensorType::get({tosaBatch, tosaM, nn}, elementType), a, b, zp,
      zp);
  llvm::SmallVector<int64_t> outShape(*batch);
  if (!aVector)
    outShape.push_back(m);
  if (!bVector)
    outShape.push_back(nn);
  n.setOutput(0, n.createReshape(mm, outShape));
  return success();
}

static LogicalResult convertGemm(NodeImporter &n) {
  if (n.getInputRank(0) != 2 || n.getInputRank(1) != 2)
    return n.emitError() << "Gemm operands must be 2-D, got "
                         << formatShape(n.getInputShape(0)) << " and "
                         << formatShape(n.getInputShape(1));
  double alpha = n.getFloatAttr("alpha", 1.0f);
  double beta = n.getFloatAttr("beta", 1.0f);
  Value a = n.getIntAttr("transA", 0) ? getInputTransposed(n, 0, {1, 0})
                                      : n.getInput(0);
  Value b = n.getIntAttr("transB", 0) ? getInputTransposed(n, 1, {1, 0})
                                      : n.getInput(1);
  if (cast<RankedTensorType>(a.getType()).getDimSize(1) !=
      cast<RankedTensorType>(b.getType()).getDimSize(0))
    return n.emitError() << "inner dimensions differ: "
                         << formatShape(n.getInputShape(0)) << " x "
                         << formatShape(n.getInputShape(1))
                         << " after transA/transB";
  Value result = createMatmul2D(n, a, b);
  auto type = cast<RankedTensorType>(result.getType());
  if (alpha != 1.0) {
    auto v = n.createMul(
        result, n.createScalar(type.getElementType(), alpha, 2));
    if (failed(v))
      return failure();
    result = *v;
  }
  if (n.hasInput(2) && beta != 0.0) {
    Value c;
    if (const HostTensor *host = n.getInputConstant(2)) {
      HostTensor scaled = *host;
      for (int64_t i = 0, e = scaled.getNumElements(); i < e; ++i)
        scaled.setDouble(i, beta * host->getDouble(i));
      c = n.getState().createConstant(
          scaled,
          NameLoc::get(StringAttr::get(n.getContext(), n.getInputName(2))),
          n.getInputName(2));
    } else {
      c = n.getInput(2);
      if (beta != 1.0) {
        auto cType = cast<RankedTensorType>(c.getType());
        auto v = n.createMul(c, n.createScalar(cType.getElementType(), beta,
                                               cType.getRank()));
        if (failed(v))
          return failure();
        c = *v;
      }
    }
    auto v = n.createBinary<tosa::AddOp>(result, c);
    if (failed(v))
      return failure();
    result = *v;
  }
  n.setOutput(0, result);
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

template <bool isMax>
static LogicalResult convertPool(NodeImporter &n) {
  llvm::ArrayRef<int64_t> xShape = n.getInputShape(0);
  if (xShape.size() != 4)
    return n.emitError() << "only 2-D pooling (rank-4 input) is supported, "
                            "got "
                         << formatShape(xShape);
  if (n.hasOutput(1))
    return n.emitError() << "the Indices output is not supported";
  OpBuilder &b = n.getBuilder();
  Type elementType = n.getInputElementType(0);
  llvm::SmallVector<int64_t> kernel = n.getIntsAttr("kernel_shape");
  if (kernel.size() != 2)
    return n.emitError() << "expected a 2-D kernel_shape";
  llvm::SmallVector<int64_t> strides = n.getIntsAttr("strides");
  if (strides.empty())
    strides = {1, 1};
  llvm::SmallVector<int64_t> dilations = n.getIntsAttr("dilations");
  if (dilations.empty())
    dilations = {1, 1};
  if (dilations != llvm::SmallVector<int64_t>{1, 1})
    return n.emitError() << "dilated pooling is not supported";
  bool ceilMode = n.getIntAttr("ceil_mode", 0);
  bool countIncludePad = !isMax && n.getIntAttr("count_include_pad", 0);

  Value x = n.getInput(0);
  llvm::SmallVector<int64_t> inSpatial(xShape.drop_front(2));
  if (countIncludePad) {
    // Pad with zeros explicitly so they count in the average.
    auto window = computeWindow(n, inSpatial, kernel, strides, dilations,
                                /*ceilMode=*/false);
    if (failed(window))
      return failure();
    llvm::SmallVector<int64_t> padding = {0, 0, 0, 0};
    llvm::SmallVector<int64_t> padded(xShape);
    for (int i = 0; i < 2; ++i) {
      int64_t pb = (*window)[i].padBegin;
      int64_t pe = std::max<int64_t>((*window)[i].padEnd, 0);
      padding.append({pb, pe});
      padded[2 + i] += pb + pe;
    }
    llvm::SmallVector<int64_t> low, high;
    for (size_t i = 0; i < padding.size(); i += 2) {
      low.push_back(padding[i]);
      high.push_back(padding[i + 1]);
    }
    x = n.createPad(x, low, high, 0.0);
    inSpatial.assign({padded[2], padded[3]});
  }
  // Once padded explicitly, only the rounding is left to the window.
  auto window = computeWindow(n, inSpatial, kernel, strides, dilations,
                              ceilMode, /*ignorePads=*/countIncludePad);
  if (failed(window))
    return failure();
  x = cropForWindow(n, x, *window);
  x = n.createTranspose(x, kToNHWC);
  auto outType = RankedTensorType::get(
      {xShape[0], (*window)[0].output, (*window)[1].output, xShape[1]},
      elementType);
  auto pad = b.getDenseI64ArrayAttr(
      {(*window)[0].padBegin, (*window)[0].padEnd, (*window)[1].padBegin,
       (*window)[1].padEnd});
  Value result;
  if (isMax) {
    result = tosa::MaxPool2dOp::create(
        b, n.getLoc(), outType, x, b.getDenseI64ArrayAttr(kernel),
        b.getDenseI64ArrayAttr(strides), pad);
  } else {
    Value zp = n.createZeroPoint(elementType);
    result = tosa::AvgPool2dOp::create(
        b, n.getLoc(), outType, x, zp, zp, b.getDenseI64ArrayAttr(kernel),
        b.getDenseI64ArrayAttr(strides), pad,
        TypeAttr::get(getAccType(b, elementType)));
  }
  n.setOutput(0, n.createTranspose(result, kToNCHW));
  return success();
}

template <bool isMax>
static LogicalResult convertGlobalPool(NodeImporter &n) {
  int64_t rank = n.getInputRank(0);
  if (rank < 3)
    return n.emitError() << "expected an input of rank 3 or more";
  llvm::SmallVector<int64_t> axes;
  for (int64_t d = 2; d < rank; ++d)
    axes.push_back(d);
  Value x = n.getInput(0);
  if (isMax) {
    n.setOutput(0, n.createReduce<tosa::ReduceMaxOp>(x, axes));
    return success();
  }
  Value sum = n.createReduce<tosa::ReduceSumOp>(x, axes);
  int64_t count = product(n.getInputShape(0).drop_front(2));
  auto v = n.createMul(
      sum, n.createScalar(n.getInputElementType(0), 1.0 / count, rank));
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

static LogicalResult convertBatchNorm(NodeImporter &n) {
  if (n.getIntAttr("training_mode", 0) ||
      llvm::any_of(llvm::seq<unsigned>(1, n.getNumOutputs()),
                   [&](unsigned i) { return n.hasOutput(i); }))
    return n.emitError() << "training mode (running statistics outputs) is "
                            "not supported";
  double epsilon = n.getFloatAttr("epsilon", 1e-5f);
  int64_t rank = n.getInputRank(0);
  if (rank < 2)
    return n.emitError() << "expected an input of rank 2 or more";
  int64_t channels = n.getInputShape(0)[1];
  llvm::SmallVector<int64_t> paramShape(rank, 1);
  paramShape[1] = channels;
  Type elementType = n.getInputElementType(0);
  Value x = n.getInput(0);

  const HostTensor *scale = n.getInputConstant(1), *bias = n.getInputConstant(2),
                   *mean = n.getInputConstant(3), *var = n.getInputConstant(4);
  if (scale && bias && mean && var) {
    // y = x * a + b with a = scale / sqrt(var + eps), b = bias - mean * a.
    HostTensor a = HostTensor::zeros(elementType, paramShape);
    HostTensor c = HostTensor::zeros(elementType, paramShape);
    for (int64_t i = 0; i < channels; ++i) {
      double ai = scale->getDouble(i) / std::sqrt(var->getDouble(i) + epsilon);
      a.setDouble(i, ai);
      c.setDouble(i, bias->getDouble(i) - mean->getDouble(i) * ai);
    }
    auto scaled = n.createMul(x, n.createConstant(a));
    if (failed(scaled))
      return failure();
    auto v = n.createBinary<tosa::AddOp>(*scaled, n.createConstant(c));
    if (failed(v))
      return failure();
    n.setOutput(0, *v);
    return success();
  }
  // y = (x - mean) * rsqrt(var + eps) * scale + bias
  auto param = [&](unsigned i) { return getInputReshaped(n, i, paramShape); };
  auto centered = n.createBinary<tosa::SubOp>(x, param(3));
  if (failed(centered))
    return failure();
  auto varEps = n.createBinary<tosa::AddOp>(
      param(4), n.createScalar(elementType, epsilon, rank));
  if (failed(varEps))
    return failure();
  Value invStd = tosa::RsqrtOp::create(n.getBuilder(), n.getLoc(),
                                       varEps->getType(), *varEps);
  auto normalized = n.createMul(*centered, invStd);
  if (failed(normalized))
    return failure();
  auto scaled = n.createMul(*normalized, param(1));
  if (failed(scaled))
    return failure();
  auto v = n.createBinary<tosa::AddOp>(*scaled, param(2));
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

/// (x - mean) / sqrt(var + epsilon), mean and (biased) variance over `axes`.
static FailureOr<Value> createNormalized(NodeImporter &n, Value x,
                                         llvm::ArrayRef<int64_t> axes,
                                         double epsilon) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank(), count = 1;
  for (int64_t axis : axes)
    count *= type.getDimSize(axis);
  Type elementType = type.getElementType();
  Value invCount = n.createScalar(elementType, 1.0 / double(count), rank);
  auto mean =
      n.createMul(n.createReduce<tosa::ReduceSumOp>(x, axes), invCount);
  if (failed(mean))
    return failure();
  auto centered = n.createBinary<tosa::SubOp>(x, *mean);
  if (failed(centered))
    return failure();
  auto squared = n.createMul(*centered, *centered);
  if (failed(squared))
    return failure();
  auto var = n.createMul(n.createReduce<tosa::ReduceSumOp>(*squared, axes),
                         invCount);
  if (failed(var))
    return failure();
  auto varEps = n.createBinary<tosa::AddOp>(
      *var, n.createScalar(elementType, epsilon, rank));
  if (failed(varEps))
    return failure();
  Value invStd = tosa::RsqrtOp::create(n.getBuilder(), n.getLoc(),
                                       varEps->getType(), *varEps);
  return n.createMul(*centered, invStd);
}

/// y * scale + bias, the parameters reshaped to `paramShape` (bias
/// optional: input 2).
static LogicalResult setAffineOutput(NodeImporter &n, Value y,
                                     llvm::ArrayRef<int64_t> paramShape) {
  auto scaled = n.createMul(y, getInputReshaped(n, 1, paramShape));
  if (failed(scaled))
    return failure();
  Value v = *scaled;
  if (n.hasInput(2)) {
    auto biased =
        n.createBinary<tosa::AddOp>(v, getInputReshaped(n, 2, paramShape));
    if (failed(biased))
      return failure();
    v = *biased;
  }
  n.setOutput(0, v);
  return success();
}

/// LayerNormalization (opset 17): normalized over the dimensions from
/// `axis` on; Scale and B have the shape of those dimensions.
static LogicalResult convertLayerNorm(NodeImporter &n) {
  if (n.hasOutput(1) || n.hasOutput(2))
    return n.emitError() << "the Mean and InvStdDev outputs (training) are "
                            "not supported";
  int64_t rank = n.getInputRank(0);
  auto axis = n.normalizeAxis(n.getIntAttr("axis", -1), rank);
  if (failed(axis))
    return failure();
  llvm::SmallVector<int64_t> axes =
      llvm::to_vector(llvm::seq<int64_t>(*axis, rank));
  auto y = createNormalized(n, n.getInput(0), axes,
                            n.getFloatAttr("epsilon", 1e-5f));
  if (failed(y))
    return failure();
  llvm::SmallVector<int64_t> paramShape(rank, 1);
  for (int64_t d = *axis; d < rank; ++d)
    paramShape[d] = n.getInputShape(0)[d];
  return setAffineOutput(n, *y, paramShape);
}

/// InstanceNormalization: per (batch, channel), over the spatial
/// dimensions; scale and B have one value per channel.
static LogicalResult convertInstanceNorm(NodeImporter &n) {
  int64_t rank = n.getInputRank(0);
  if (rank < 3)
    return n.emitError() << "expected an input of rank 3 or more (N, C, "
                            "spatial...)";
  llvm::SmallVector<int64_t> axes = llvm::to_vector(llvm::seq<int64_t>(2, rank));
  auto y = createNormalized(n, n.getInput(0), axes,
                            n.getFloatAttr("epsilon", 1e-5f));
  if (failed(y))
    return failure();
  llvm::SmallVector<int64_t> paramShape(rank, 1);
  paramShape[1] = n.getInputShape(0)[1];
  return setAffineOutput(n, *y, paramShape);
}

//===----------------------------------------------------------------------===//
// Softmax and reductions
//===----------------------------------------------------------------------===//

/// softmax (or log-softmax) of `x` along `axis`.
static FailureOr<Value> createSoftmax(NodeImporter &n, Value x, int64_t axis,
                                      bool log) {
  OpBuilder &b = n.getBuilder();
  Location loc = n.getLoc();
  Value max = n.createReduce<tosa::ReduceMaxOp>(x, {axis});
  auto shifted = n.createBinary<tosa::SubOp>(x, max);
  if (failed(shifted))
    return failure();
  Value exp = tosa::ExpOp::create(b, loc, shifted->getType(), *shifted);
  Value sum = n.createReduce<tosa::ReduceSumOp>(exp, {axis});
  if (log) {
    Value logSum = tosa::LogOp::create(b, loc, sum.getType(), sum);
    return n.createBinary<tosa::SubOp>(*shifted, logSum);
  }
  Value inverse = tosa::ReciprocalOp::create(b, loc, sum.getType(), sum);
  return n.createMul(exp, inverse);
}

static LogicalResult convertSoftmax(NodeImporter &n) {
  bool log = n.getOpType() == "LogSoftmax";
  int64_t rank = n.getInputRank(0);
  llvm::ArrayRef<int64_t> shape = n.getInputShape(0);
  bool legacy = n.getOpset() < 13;
  auto axis = n.normalizeAxis(n.getIntAttr("axis", legacy ? 1 : -1), rank);
  if (failed(axis))
    return failure();
  Value x = n.getInput(0);
  if (!legacy || *axis == rank - 1) {
    auto v = createSoftmax(n, x, *axis, log);
    if (failed(v))
      return failure();
    n.setOutput(0, *v);
    return success();
  }
  // Before opset 13 the input is coerced to 2-D at `axis` and normalized
  // over the second dimension.
  int64_t outer = product(shape.take_front(*axis));
  int64_t inner = product(shape.drop_front(*axis));
  auto v = createSoftmax(n, n.createReshape(x, {outer, inner}), 1, log);
  if (failed(v))
    return failure();
  n.setOutput(0, n.createReshape(*v, shape));
  return success();
}

/// ReduceSum/Mean/Max/Min/Prod: axes from the attribute or (ReduceSum since
/// opset 13, all since opset 18) the second input.
template <typename OpTy, bool isMean>
static LogicalResult convertReduce(NodeImporter &n) {
  int64_t rank = n.getInputRank(0);
  llvm::SmallVector<int64_t> axes;
  bool axesAsInput = n.getOpset() >= 18 ||
                     (n.getOpType() == "ReduceSum" && n.getOpset() >= 13);
  if (axesAsInput) {
    if (n.hasInput(1)) {
      auto values = n.getConstantInts(1, "axes");
      if (failed(values))
        return failure();
      axes = *values;
    }
  } else {
    axes = n.getIntsAttr("axes");
  }
  if (axes.empty()) {
    if (n.getIntAttr("noop_with_empty_axes", 0)) {
      n.setOutput(0, n.getInput(0));
      return success();
    }
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  for (int64_t &axis : axes) {
    auto normalized = n.normalizeAxis(axis, rank);
    if (failed(normalized))
      return failure();
    axis = *normalized;
  }
  llvm::sort(axes);
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  Value result = n.createReduce<OpTy>(n.getInput(0), axes);
  if (isMean) {
    int64_t count = 1;
    for (int64_t a : axes)
      count *= n.getInputShape(0)[a];
    auto v = n.createMul(
        result, n.createScalar(n.getInputElementType(0), 1.0 / count, rank));
    if (failed(v))
      return failure();
    result = *v;
  }
  if (!n.getIntAttr("keepdims", 1)) {
    llvm::SmallVector<int64_t> shape;
    for (int64_t d = 0; d < rank; ++d)
      if (!llvm::is_contained(axes, d))
        shape.push_back(n.getInputShape(0)[d]);
    result = n.createReshape(result, shape);
  }
  n.setOutput(0, result);
  return success();
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void mlir::green::onnx_import::populateNNConverters(
    llvm::StringMap<OpConverter> &converters) {
  converters["Conv"] = convertConv;
  converters["ConvTranspose"] = convertConvTranspose;
  converters["MatMul"] = convertMatMul;
  converters["Gemm"] = convertGemm;
  converters["MaxPool"] = convertPool<true>;
  converters["AveragePool"] = convertPool<false>;
  converters["GlobalMaxPool"] = convertGlobalPool<true>;
  converters["GlobalAveragePool"] = convertGlobalPool<false>;
  converters["BatchNormalization"] = convertBatchNorm;
  converters["LayerNormalization"] = convertLayerNorm;
  converters["InstanceNormalization"] = convertInstanceNorm;
  converters["Softmax"] = convertSoftmax;
  converters["LogSoftmax"] = convertSoftmax;
  converters["ReduceSum"] = convertReduce<tosa::ReduceSumOp, false>;
  converters["ReduceMean"] = convertReduce<tosa::ReduceSumOp, true>;
  converters["ReduceMax"] = convertReduce<tosa::ReduceMaxOp, false>;
  converters["ReduceMin"] = convertReduce<tosa::ReduceMinOp, false>;
  converters["ReduceProd"] = convertReduce<tosa::ReduceProductOp, false>;
}

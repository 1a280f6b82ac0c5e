//===- OpConversionsShape.cpp - data movement and shape ONNX ops ----------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Reshape, Flatten, Squeeze/Unsqueeze (attribute form before opset 13, input
// form since), Transpose, Concat, Split, Slice (attribute form before opset
// 10), Pad (attribute form before opset 11), Expand, Tile, Gather, and the
// ops that compute shapes: Shape, Size, Constant, ConstantOfShape. Shapes,
// axes and pads must be known at import time; values known at import time
// are folded on the host, so exported shape arithmetic leaves no ops behind.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include <cmath>

#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"

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

/// Sets output 0 to input 0 reshaped to `shape`, on the host when known.
static void setReshapedOutput(NodeImporter &n, llvm::ArrayRef<int64_t> shape) {
  if (const HostTensor *c = n.getInputConstant(0)) {
    n.setOutputConstant(0, c->reshaped(shape));
    return;
  }
  n.setOutput(0, n.createReshape(n.getInput(0), shape));
}

/// Axes from the attribute (before `inputSince`) or input 1, normalized.
static FailureOr<llvm::SmallVector<int64_t>>
getAxes(NodeImporter &n, int64_t inputSince, int64_t rank, bool &given) {
  llvm::SmallVector<int64_t> axes;
  given = false;
  if (n.getOpset() < inputSince) {
    given = n.hasAttr("axes");
    axes = n.getIntsAttr("axes");
  } else if (n.hasInput(1)) {
    given = true;
    auto values = n.getConstantInts(1, "axes");
    if (failed(values))
      return failure();
    axes = *values;
  }
  for (int64_t &axis : axes) {
    auto normalized = n.normalizeAxis(axis, rank);
    if (failed(normalized))
      return failure();
    axis = *normalized;
  }
  return axes;
}

//===----------------------------------------------------------------------===//
// Reshapes
//===----------------------------------------------------------------------===//

static LogicalResult convertReshape(NodeImporter &n) {
  auto requested = n.getConstantInts(1, "shape");
  if (failed(requested))
    return failure();
  llvm::ArrayRef<int64_t> inShape = n.getInputShape(0);
  bool allowZero = n.getIntAttr("allowzero", 0);
  llvm::SmallVector<int64_t> shape;
  int64_t inferred = -1, known = 1;
  for (auto [i, d] : llvm::enumerate(*requested)) {
    if (d == 0 && !allowZero) {
      if (i >= inShape.size())
        return n.emitError() << "shape entry " << i
                             << " copies a dimension the input does not have";
      d = inShape[i];
    }
    if (d == -1) {
      if (inferred >= 0)
        return n.emitError() << "shape has more than one -1";
      inferred = i;
    } else if (d < 0) {
      return n.emitError() << "invalid shape entry " << d;
    } else {
      known *= d;
    }
    shape.push_back(d);
  }
  int64_t total = product(inShape);
  if (inferred >= 0) {
    if (known == 0 || total % known)
      return n.emitError() << "cannot reshape " << formatShape(inShape)
                           << " to " << formatShape(*requested);
    shape[inferred] = total / known;
  }
  if (product(shape) != total)
    return n.emitError() << "cannot reshape " << formatShape(inShape)
                         << " (" << total << " elements) to "
                         << formatShape(shape);
  setReshapedOutput(n, shape);
  return success();
}

static LogicalResult convertFlatten(NodeImporter &n) {
  llvm::ArrayRef<int64_t> shape = n.getInputShape(0);
  int64_t rank = shape.size();
  int64_t axis = n.getIntAttr("axis", 1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis > rank)
    return n.emitError() << "axis " << n.getIntAttr("axis", 1)
                         << " is out of range for rank " << rank;
  setReshapedOutput(
      n, {product(shape.take_front(axis)), product(shape.drop_front(axis))});
  return success();
}

static LogicalResult convertSqueeze(NodeImporter &n) {
  llvm::ArrayRef<int64_t> inShape = n.getInputShape(0);
  bool given;
  auto axes = getAxes(n, 13, inShape.size(), given);
  if (failed(axes))
    return failure();
  llvm::SmallVector<int64_t> shape;
  for (auto [d, size] : llvm::enumerate(inShape)) {
    bool listed = llvm::is_contained(*axes, static_cast<int64_t>(d));
    if (listed && size != 1)
      return n.emitError() << "cannot squeeze dimension " << d << " of size "
                           << size;
    if (listed || (!given && size == 1))
      continue;
    shape.push_back(size);
  }
  setReshapedOutput(n, shape);
  return success();
}

static LogicalResult convertUnsqueeze(NodeImporter &n) {
  llvm::ArrayRef<int64_t> inShape = n.getInputShape(0);
  // Axes count in the output's rank.
  int64_t outRank = inShape.size();
  if (n.getOpset() < 13)
    outRank += n.getIntsAttr("axes").size();
  else if (const HostTensor *axes = n.getInputConstant(1))
    outRank += axes->getNumElements();
  bool given;
  auto axes = getAxes(n, 13, outRank, given);
  if (failed(axes))
    return failure();
  llvm::SmallVector<int64_t> shape;
  auto it = inShape.begin();
  for (int64_t d = 0; d < outRank; ++d)
    shape.push_back(llvm::is_contained(*axes, d) ? 1 : *it++);
  setReshapedOutput(n, shape);
  return success();
}

//===----------------------------------------------------------------------===//
// Transpose, Concat, Split
//===----------------------------------------------------------------------===//

static LogicalResult convertTranspose(NodeImporter &n) {
  int64_t rank = n.getInputRank(0);
  llvm::SmallVector<int64_t> perm = n.getIntsAttr("perm");
  if (perm.empty())
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  llvm::SmallVector<int64_t> sorted(perm);
  llvm::sort(sorted);
  if (static_cast<int64_t>(perm.size()) != rank ||
      sorted != llvm::to_vector(llvm::seq<int64_t>(0, rank)))
    return n.emitError() << "perm is not a permutation of the input's "
                         << rank << " dimensions";
  if (const HostTensor *c = n.getInputConstant(0)) {
    n.setOutputConstant(0, c->transposed(perm));
    return success();
  }
  n.setOutput(0, n.createTranspose(n.getInput(0), perm));
  return success();
}

static LogicalResult convertConcat(NodeImporter &n) {
  int64_t rank = n.getInputRank(0);
  auto axis = n.normalizeAxis(n.getIntAttr("axis", 0), rank);
  if (failed(axis))
    return failure();
  llvm::SmallVector<int64_t> shape(n.getInputShape(0));
  shape[*axis] = 0;
  llvm::SmallVector<const HostTensor *> constants;
  for (unsigned i = 0, e = n.getNumInputs(); i < e; ++i) {
    if (n.getInputRank(i) != rank)
      return n.emitError() << "inputs have different ranks";
    shape[*axis] += n.getInputShape(i)[*axis];
    constants.push_back(n.getInputConstant(i));
  }
  if (llvm::all_of(constants, [](const HostTensor *c) { return c; })) {
    n.setOutputConstant(0, HostTensor::concat(constants, *axis));
    return success();
  }
  llvm::SmallVector<Value> inputs;
  for (unsigned i = 0, e = n.getNumInputs(); i < e; ++i)
    if (product(n.getInputShape(i)) > 0)
      inputs.push_back(n.getInput(i));
  auto type = RankedTensorType::get(shape, n.getInputElementType(0));
  if (inputs.size() == 1) {
    n.setOutput(0, inputs.front());
    return success();
  }
  n.setOutput(0, tosa::ConcatOp::create(n.getBuilder(), n.getLoc(), type,
                                        inputs,
                                        n.getBuilder().getI32IntegerAttr(*axis)));
  return success();
}

static LogicalResult convertSplit(NodeImporter &n) {
  llvm::ArrayRef<int64_t> inShape = n.getInputShape(0);
  auto axis = n.normalizeAxis(n.getIntAttr("axis", 0), inShape.size());
  if (failed(axis))
    return failure();
  llvm::SmallVector<int64_t> sizes;
  if (n.getOpset() < 13) {
    sizes = n.getIntsAttr("split");
  } else if (n.hasInput(1)) {
    auto values = n.getConstantInts(1, "split");
    if (failed(values))
      return failure();
    sizes = *values;
  }
  int64_t parts = n.getNumOutputs();
  if (sizes.empty()) {
    // Equal parts; the last one smaller when it does not divide (opset 18).
    int64_t dim = inShape[*axis];
    int64_t chunk = (dim + parts - 1) / parts;
    for (int64_t i = 0; i < parts; ++i)
      sizes.push_back(std::min(chunk, dim - i * chunk));
  }
  if (static_cast<int64_t>(sizes.size()) != parts ||
      product(sizes) < 0 ||
      std::accumulate(sizes.begin(), sizes.end(), int64_t{0}) !=
          inShape[*axis])
    return n.emitError() << "split sizes do not add up to dimension "
                         << *axis << " (" << inShape[*axis] << ")";
  llvm::SmallVector<int64_t> starts(inShape.size(), 0);
  llvm::SmallVector<int64_t> shape(inShape);
  for (int64_t i = 0; i < parts; ++i) {
    shape[*axis] = sizes[i];
    if (const HostTensor *c = n.getInputConstant(0))
      n.setOutputConstant(
          i, c->sliced(starts, llvm::SmallVector<int64_t>(shape.size(), 1),
                       shape));
    else
      n.setOutput(i, n.createSlice(n.getInput(0), starts, shape));
    starts[*axis] += sizes[i];
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Slice, Pad
//===----------------------------------------------------------------------===//

static LogicalResult convertSlice(NodeImporter &n) {
  llvm::ArrayRef<int64_t> inShape = n.getInputShape(0);
  int64_t rank = inShape.size();
  llvm::SmallVector<int64_t> starts, ends, axes, steps;
  if (n.getOpset() < 10) {
    starts = n.getIntsAttr("starts");
    ends = n.getIntsAttr("ends");
    axes = n.getIntsAttr("axes");
  } else {
    auto s = n.getConstantInts(1, "starts");
    auto e = n.getConstantInts(2, "ends");
    if (failed(s) || failed(e))
      return failure();
    starts = *s;
    ends = *e;
    if (n.hasInput(3)) {
      auto a = n.getConstantInts(3, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (n.hasInput(4)) {
      auto st = n.getConstantInts(4, "steps");
      if (failed(st))
        return failure();
      steps = *st;
    }
  }
  if (axes.empty())
    axes = llvm::to_vector(llvm::seq<int64_t>(0, starts.size()));
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return n.emitError() << "starts, ends, axes and steps differ in length";

  llvm::SmallVector<int64_t> begin(rank, 0), stride(rank, 1),
      size(inShape);
  for (size_t i = 0; i < starts.size(); ++i) {
    auto axis = n.normalizeAxis(axes[i], rank);
    if (failed(axis))
      return failure();
    int64_t dim = inShape[*axis], step = steps[i];
    if (step == 0)
      return n.emitError() << "slice step is 0";
    int64_t s = starts[i], e = ends[i];
    if (s < 0)
      s += dim;
    if (e < 0)
      e += dim;
    if (step > 0) {
      s = std::clamp<int64_t>(s, 0, dim);
      e = std::clamp<int64_t>(e, 0, dim);
      size[*axis] = std::max<int64_t>(0, (e - s + step - 1) / step);
    } else {
      s = std::clamp<int64_t>(s, 0, dim - 1);
      e = std::clamp<int64_t>(e, -1, dim - 1);
      size[*axis] = std::max<int64_t>(0, (s - e - step - 1) / -step);
    }
    begin[*axis] = s;
    stride[*axis] = step;
  }
  if (const HostTensor *c = n.getInputConstant(0)) {
    n.setOutputConstant(0, c->sliced(begin, stride, size));
    return success();
  }
  // Unit steps: one tosa.slice. Other steps (negative included): the rows
  // along that axis are gathered (tosa.gather of indices known at import).
  llvm::SmallVector<int64_t> unitBegin(begin), unitSize(size);
  for (int64_t d = 0; d < rank; ++d)
    if (stride[d] != 1) {
      unitBegin[d] = 0;
      unitSize[d] = inShape[d];
    }
  Value x = n.createSlice(n.getInput(0), unitBegin, unitSize);
  for (int64_t d = 0; d < rank; ++d) {
    if (stride[d] == 1)
      continue;
    llvm::SmallVector<int64_t> idx;
    for (int64_t k = 0; k < size[d]; ++k)
      idx.push_back(begin[d] + k * stride[d]);
    x = n.createGatherAlongAxis(x, d, idx);
  }
  n.setOutput(0, x);
  return success();
}

static LogicalResult convertPad(NodeImporter &n) {
  std::string mode = n.getStringAttr("mode", "constant");
  if (mode != "constant")
    return n.emitError() << "pad mode '" << mode << "' is not supported";
  llvm::ArrayRef<int64_t> inShape = n.getInputShape(0);
  int64_t rank = inShape.size();
  Type elementType = n.getInputElementType(0);
  llvm::SmallVector<int64_t> pads;
  double value = 0.0;
  if (n.getOpset() < 11) {
    pads = n.getIntsAttr("pads");
    value = n.getFloatAttr("value", 0.0f);
  } else {
    auto p = n.getConstantInts(1, "pads");
    if (failed(p))
      return failure();
    pads = *p;
    if (n.hasInput(2)) {
      const HostTensor *c = n.getInputConstant(2);
      if (!c)
        return n.emitError() << "constant_value must be known at import time";
      value = c->getDouble(0);
    }
  }
  // uint8 data is offset uint8 (ValueInfo::offsetU8): so is the fill.
  if (n.isU8Input(0))
    value -= 128;
  llvm::SmallVector<int64_t> axes;
  if (n.getOpset() >= 18 && n.hasInput(3)) {
    auto a = n.getConstantInts(3, "axes");
    if (failed(a))
      return failure();
    for (int64_t axis : *a) {
      auto normalized = n.normalizeAxis(axis, rank);
      if (failed(normalized))
        return failure();
      axes.push_back(*normalized);
    }
  } else {
    axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  }
  if (pads.size() != 2 * axes.size())
    return n.emitError() << "expected " << 2 * axes.size() << " pads, got "
                         << pads.size();
  // TOSA: [d0_begin, d0_end, d1_begin, ...]; negative pads crop first.
  llvm::SmallVector<int64_t> padding(2 * rank, 0), begin(rank, 0),
      size(inShape), outShape(inShape);
  bool crop = false;
  for (auto [i, axis] : llvm::enumerate(axes)) {
    int64_t pb = pads[i], pe = pads[i + axes.size()];
    if (pb < 0) {
      begin[axis] = -pb;
      size[axis] += pb;
      pb = 0;
      crop = true;
    }
    if (pe < 0) {
      size[axis] += pe;
      pe = 0;
      crop = true;
    }
    padding[2 * axis] = pb;
    padding[2 * axis + 1] = pe;
    outShape[axis] = size[axis] + pb + pe;
  }
  Value x = n.getInput(0);
  if (crop)
    x = n.createSlice(x, begin, size);
  if (llvm::all_of(padding, [](int64_t p) { return p == 0; })) {
    n.setOutput(0, x);
    return success();
  }
  llvm::SmallVector<int64_t> low, high;
  for (size_t i = 0; i < padding.size(); i += 2) {
    low.push_back(padding[i]);
    high.push_back(padding[i + 1]);
  }
  n.setOutput(0, n.createPad(x, low, high, value));
  return success();
}

//===----------------------------------------------------------------------===//
// Expand, Tile, Gather
//===----------------------------------------------------------------------===//

static LogicalResult convertExpand(NodeImporter &n) {
  auto requested = n.getConstantInts(1, "shape");
  if (failed(requested))
    return failure();
  auto shape = n.broadcastShapes(n.getInputShape(0), *requested);
  if (failed(shape))
    return failure();
  n.setOutput(0, n.createBroadcastTo(n.getInput(0), *shape));
  return success();
}

static LogicalResult convertTile(NodeImporter &n) {
  auto repeats = n.getConstantInts(1, "repeats");
  if (failed(repeats))
    return failure();
  llvm::ArrayRef<int64_t> inShape = n.getInputShape(0);
  if (repeats->size() != inShape.size())
    return n.emitError() << "expected " << inShape.size() << " repeats";
  llvm::SmallVector<int64_t> shape;
  for (auto [d, r] : llvm::zip(inShape, *repeats))
    shape.push_back(d * r);
  ImplicitLocOpBuilder b(n.getLoc(), n.getBuilder());
  Value multiples = tosa::getTosaConstShape(b, *repeats);
  n.setOutput(0, tosa::TileOp::create(
                     n.getBuilder(), n.getLoc(),
                     RankedTensorType::get(shape, n.getInputElementType(0)),
                     n.getInput(0), multiples));
  return success();
}

static LogicalResult convertGather(NodeImporter &n) {
  llvm::ArrayRef<int64_t> dataShape = n.getInputShape(0);
  llvm::ArrayRef<int64_t> indexShape = n.getInputShape(1);
  int64_t rank = dataShape.size();
  auto axis = n.normalizeAxis(n.getIntAttr("axis", 0), rank);
  if (failed(axis))
    return failure();
  int64_t dim = dataShape[*axis];
  llvm::SmallVector<int64_t> outShape(dataShape.take_front(*axis));
  llvm::append_range(outShape, indexShape);
  llvm::append_range(outShape, dataShape.drop_front(*axis + 1));
  int64_t outer = product(dataShape.take_front(*axis));
  int64_t inner = product(dataShape.drop_front(*axis + 1));

  const HostTensor *indices = n.getInputConstant(1);
  llvm::SmallVector<int64_t> idx;
  if (indices) {
    idx = indices->getInts();
    for (int64_t &i : idx) {
      if (i < -dim || i >= dim)
        return n.emitError() << "index " << i << " is out of range for "
                             << "dimension " << *axis << " of size " << dim;
      if (i < 0)
        i += dim;
    }
  }
  if (const HostTensor *data = n.getInputConstant(0); data && indices) {
    // [outer, dim, inner] -> [outer, len(idx), inner]
    HostTensor result = HostTensor::zeros(data->elementType, outShape);
    int64_t count = idx.size(), size = getElementByteSize(data->elementType);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t j = 0; j < count; ++j)
        std::memcpy(result.data.data() + ((o * count + j) * inner) * size,
                    data->data.data() + ((o * dim + idx[j]) * inner) * size,
                    inner * size);
    n.setOutputConstant(0, std::move(result));
    return success();
  }
  if (indices && idx.size() <= 16) {
    // Few constant indices (x[:, 0], shape[2]): slices along the axis.
    llvm::SmallVector<Value> parts;
    for (int64_t i : idx) {
      llvm::SmallVector<int64_t> starts(rank, 0), sizes(dataShape);
      starts[*axis] = i;
      sizes[*axis] = 1;
      parts.push_back(n.createSlice(n.getInput(0), starts, sizes));
    }
    Value result = parts.front();
    if (parts.size() > 1) {
      llvm::SmallVector<int64_t> shape(dataShape);
      shape[*axis] = parts.size();
      result = tosa::ConcatOp::create(
          n.getBuilder(), n.getLoc(),
          RankedTensorType::get(shape, n.getInputElementType(0)), parts,
          n.getBuilder().getI32IntegerAttr(*axis));
    }
    n.setOutput(0, n.createReshape(result, outShape));
    return success();
  }
  if (*axis != 0)
    return n.emitError() << "gather along axis " << *axis
                         << " with indices computed at run time is not "
                            "supported yet";
  // tosa.gather: values [1, dim, inner], indices [1, count] (i32).
  OpBuilder &b = n.getBuilder();
  int64_t count = product(indexShape);
  Type elementType = n.getInputElementType(0);
  Value values = n.createReshape(n.getInput(0), {1, dim, inner});
  Value index = n.getInput(1);
  auto indexType = RankedTensorType::get({1, count}, b.getI32Type());
  index = n.createReshape(index, {1, count});
  if (n.getInputElementType(1) != b.getI32Type())
    index = tosa::CastOp::create(b, n.getLoc(), indexType, index);
  Value gathered = tosa::GatherOp::create(
      b, n.getLoc(), RankedTensorType::get({1, count, inner}, elementType),
      values, index);
  n.setOutput(0, n.createReshape(gathered, outShape));
  return success();
}

//===----------------------------------------------------------------------===//
// Shape computations and constants
//===----------------------------------------------------------------------===//

static LogicalResult convertShape(NodeImporter &n) {
  llvm::ArrayRef<int64_t> shape = n.getInputShape(0);
  int64_t rank = shape.size();
  int64_t start = n.getIntAttr("start", 0), end = n.getIntAttr("end", rank);
  if (start < 0)
    start += rank;
  if (end < 0)
    end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, start, rank);
  llvm::SmallVector<int64_t> values(shape.slice(start, end - start));
  n.setOutputConstant(0, HostTensor::fromInts(n.getBuilder().getI64Type(),
                                              {end - start}, values));
  if (values.empty())
    n.setOutputConstant(0, HostTensor::zeros(n.getBuilder().getI64Type(), {0}));
  return success();
}

static LogicalResult convertSize(NodeImporter &n) {
  n.setOutputConstant(0, HostTensor::fromInts(n.getBuilder().getI64Type(), {},
                                              {product(n.getInputShape(0))}));
  return success();
}

static LogicalResult convertConstant(NodeImporter &n) {
  OpBuilder &b = n.getBuilder();
  if (n.hasAttr("value")) {
    auto t = n.getTensorAttr("value");
    if (failed(t))
      return failure();
    n.setOutputConstant(0, std::move(*t));
    return success();
  }
  if (const onnx::AttributeProto *a = n.getAttr("value_float")) {
    n.setOutputConstant(0, HostTensor::fromDoubles(b.getF32Type(), {},
                                                   {a->f()}));
    return success();
  }
  if (const onnx::AttributeProto *a = n.getAttr("value_floats")) {
    llvm::SmallVector<double> values(a->floats().begin(), a->floats().end());
    n.setOutputConstant(0, HostTensor::fromDoubles(
                               b.getF32Type(),
                               {static_cast<int64_t>(values.size())}, values));
    if (values.empty())
      n.setOutputConstant(0, HostTensor::zeros(b.getF32Type(), {0}));
    return success();
  }
  if (const onnx::AttributeProto *a = n.getAttr("value_int")) {
    n.setOutputConstant(0,
                        HostTensor::fromInts(b.getI64Type(), {}, {a->i()}));
    return success();
  }
  if (const onnx::AttributeProto *a = n.getAttr("value_ints")) {
    llvm::SmallVector<int64_t> values(a->ints().begin(), a->ints().end());
    n.setOutputConstant(0, HostTensor::fromInts(
                               b.getI64Type(),
                               {static_cast<int64_t>(values.size())}, values));
    if (values.empty())
      n.setOutputConstant(0, HostTensor::zeros(b.getI64Type(), {0}));
    return success();
  }
  return n.emitError() << "only value, value_float(s) and value_int(s) "
                          "constants are supported";
}

static LogicalResult convertConstantOfShape(NodeImporter &n) {
  auto shape = n.getConstantInts(0, "shape");
  if (failed(shape))
    return failure();
  HostTensor value = HostTensor::zeros(n.getBuilder().getF32Type(), {1});
  if (n.hasAttr("value")) {
    auto t = n.getTensorAttr("value");
    if (failed(t))
      return failure();
    value = std::move(*t);
  }
  HostTensor result = HostTensor::zeros(value.elementType, *shape);
  int64_t size = getElementByteSize(value.elementType);
  for (int64_t i = 0, e = result.getNumElements(); i < e; ++i)
    std::memcpy(result.data.data() + i * size, value.data.data(), size);
  n.setOutputConstant(0, std::move(result));
  return success();
}

/// Range(start, limit, delta): a shape computation, folded to a constant of
/// max(ceil((limit - start) / delta), 0) elements start + i * delta.
static LogicalResult convertRange(NodeImporter &n) {
  const HostTensor *start = n.getInputConstant(0),
                   *limit = n.getInputConstant(1),
                   *delta = n.getInputConstant(2);
  if (!start || !limit || !delta)
    return n.emitError() << "start, limit and delta must be constants (or "
                            "fold to constants once shapes are fixed)";
  double s = start->getDouble(0), l = limit->getDouble(0),
         d = delta->getDouble(0);
  if (d == 0)
    return n.emitError() << "delta is 0";
  int64_t count =
      std::max<int64_t>(0, static_cast<int64_t>(std::ceil((l - s) / d)));
  HostTensor result = HostTensor::zeros(start->elementType, {count});
  for (int64_t i = 0; i < count; ++i)
    result.setDouble(i, s + static_cast<double>(i) * d);
  n.setOutputConstant(0, std::move(result));
  return success();
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void mlir::green::onnx_import::populateShapeConverters(
    llvm::StringMap<OpConverter> &converters) {
  converters["Reshape"] = convertReshape;
  converters["Flatten"] = convertFlatten;
  converters["Squeeze"] = convertSqueeze;
  converters["Unsqueeze"] = convertUnsqueeze;
  converters["Transpose"] = convertTranspose;
  converters["Concat"] = convertConcat;
  converters["Split"] = convertSplit;
  converters["Slice"] = convertSlice;
  converters["Pad"] = convertPad;
  converters["Expand"] = convertExpand;
  converters["Tile"] = convertTile;
  converters["Gather"] = convertGather;
  converters["Shape"] = convertShape;
  converters["Size"] = convertSize;
  converters["Constant"] = convertConstant;
  converters["ConstantOfShape"] = convertConstantOfShape;
  converters["Range"] = convertRange;
}

//===- TosaEnergyModels.cpp - EnergyCostOpInterface for tosa --------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Per-op models for the TOSA dialect of MLIR 22 (operand order and layouts
// from mlir/Dialect/Tosa/IR/TosaOps.td). Zero-point, shift and shape
// operands are never counted as bytes: they are scalars or compile-time
// shapes.
//
// Contractions (Fma, contraction = true, charged to acc_type, or to the
// output element type for matmul), with out = output elements:
//   conv2d            input [N,IH,IW,IC], weight [OC,KH,KW,IC]:
//                     out * KH*KW*IC MACs (= N*OH*OW*OC*KH*KW*IC)
//   conv3d            weight [OC,KD,KH,KW,IC]: out * KD*KH*KW*IC MACs
//   depthwise_conv2d  weight [KH,KW,C,M], out = N*OH*OW*C*M: out * KH*KW MACs
//   transpose_conv2d  weight [OC,KH,KW,IC]: every input pixel scatters into
//                     KH*KW*OC outputs: N*IH*IW*IC * KH*KW*OC MACs
//   matmul            [N,H,C] x [N,C,W]: N*H*W*C MACs
//   The convolutions add their bias: out Add on acc_type. They read input,
//   weight and bias and write the output; constant weight/bias elements are
//   parameters.
// Pooling: avg_pool2d = out*KH*KW Add + out Div on acc_type; max_pool2d =
//   out*KH*KW Add on the input type. Read the input, write the output.
// Reductions (reduce_sum/max/min/all/any: Add, reduce_product: Mul) and
//   argmax (Add): input elements ops on the input type.
// Element-wise: output elements x class on the output type (compares:
//   on the input type). Add: add, sub, maximum, minimum, select, abs,
//   negate, clamp (one op), cast, ceil, floor, clz, logical_*, bitwise_*,
//   shifts, equal, greater, greater_equal. Mul: mul. Div: reciprocal,
//   rsqrt, intdiv. Transcendental: exp, log, tanh, erf, pow, sin, cos.
//   sigmoid = 1/(1+exp(-x)): 1 Transcendental + 1 Add + 1 Div per element.
//   rescale: 1 Mul + 1 Add per element on the input type. Reads the data
//   operands (broadcast operands at their own, smaller size), writes the
//   output.
// Data movement (dataMovement = true, no ops): transpose, slice (reads the
//   sliced part), concat, pad, tile, reverse, resize (interpolation
//   arithmetic of bilinear mode is not counted), table (reads input and
//   table), gather (reads the gathered part and the indices), scatter (reads
//   the updates and indices, writes an updates-sized part in place).
// Zero work: const, const_shape, reshape (metadata only: no bytes),
//   identity, and the shape ops (compile-time shape arithmetic).
// Failing with a reason: fft2d, rfft2d, custom, cond_if, while_loop,
//   variables, apply_scale and the block-scaled (MX) ops.
//
//===----------------------------------------------------------------------===//

#include "ModelUtils.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::green;
using namespace mlir::green::energy;

/// Dimension `dim` of `value`'s ranked shape, the assumed size if dynamic.
static FailureOr<int64_t> getDim(Value value, unsigned dim,
                                 const WorkOptions &options) {
  auto shaped = dyn_cast<ShapedType>(value.getType());
  if (!shaped || !shaped.hasRank() || dim >= shaped.getRank())
    return failToCost(options, "expected a ranked operand");
  int64_t size = shaped.getDimSize(dim);
  if (!ShapedType::isDynamic(size))
    return size;
  if (ShapedType::isDynamic(options.assumedDynamicSize))
    return failToCost(options, "dynamic dimension and no assumed dynamic size");
  return options.assumedDynamicSize;
}

/// Product of the dims of `value` listed in `dims`.
static FailureOr<int64_t> getDimProduct(Value value, ArrayRef<unsigned> dims,
                                        const WorkOptions &options) {
  int64_t product = 1;
  for (unsigned dim : dims) {
    FailureOr<int64_t> size = getDim(value, dim, options);
    if (failed(size))
      return failure();
    product *= *size;
  }
  return product;
}

/// Adds reads (and parameters, for constants) of `values` to `work`.
static LogicalResult addReads(OpWork &work, ValueRange values,
                              const WorkOptions &options) {
  for (Value value : values) {
    FailureOr<int64_t> bytes = getNumBytes(value.getType(), options);
    FailureOr<int64_t> params = getParameterElements(value, options);
    if (failed(bytes) || failed(params))
      return failure();
    work.bytesRead += *bytes;
    work.parameters += *params;
  }
  return success();
}

static LogicalResult addWrite(OpWork &work, Value value,
                              const WorkOptions &options) {
  FailureOr<int64_t> bytes = getNumBytes(value.getType(), options);
  if (failed(bytes))
    return failure();
  work.bytesWritten += *bytes;
  return success();
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

/// `macs` contraction Fma plus one bias Add per output, on `accType`.
static FailureOr<OpWork> getConvLikeWork(Operation *op, int64_t macs,
                                         Type accType, Value input,
                                         Value weight, Value bias, Value output,
                                         const WorkOptions &options) {
  FailureOr<ScalarKind> kind = getArithmeticKind(accType, options);
  FailureOr<int64_t> outElems = getNumElements(output.getType(), options);
  if (failed(kind) || failed(outElems))
    return failure();
  OpWork work;
  work.add(*kind, OpClass::Fma, macs, /*contraction=*/true);
  work.add(*kind, OpClass::Add, *outElems);
  if (failed(addReads(work, {input, weight, bias}, options)) ||
      failed(addWrite(work, output, options)))
    return failure();
  return work;
}

/// Convolutions whose MACs are output elements x a product of weight dims.
template <typename OpTy>
static FailureOr<OpWork> getConvWork(OpTy op,
                                     ArrayRef<unsigned> weightDimsPerOutput,
                                     const WorkOptions &options) {
  FailureOr<int64_t> outElems =
      getNumElements(op.getOutput().getType(), options);
  FailureOr<int64_t> taps =
      getDimProduct(op.getWeight(), weightDimsPerOutput, options);
  if (failed(outElems) || failed(taps))
    return failure();
  return getConvLikeWork(op, *outElems * *taps, op.getAccType(), op.getInput(),
                         op.getWeight(), op.getBias(), op.getOutput(), options);
}

static FailureOr<OpWork> getConv2DWork(tosa::Conv2DOp op,
                                       const WorkOptions &options) {
  return getConvWork(op, {1, 2, 3}, options); // KH*KW*IC
}

static FailureOr<OpWork> getConv3DWork(tosa::Conv3DOp op,
                                       const WorkOptions &options) {
  return getConvWork(op, {1, 2, 3, 4}, options); // KD*KH*KW*IC
}

static FailureOr<OpWork> getDepthwiseConv2DWork(tosa::DepthwiseConv2DOp op,
                                                const WorkOptions &options) {
  return getConvWork(op, {0, 1}, options); // KH*KW
}

static FailureOr<OpWork> getTransposeConv2DWork(tosa::TransposeConv2DOp op,
                                                const WorkOptions &options) {
  FailureOr<int64_t> inElems = getNumElements(op.getInput().getType(), options);
  // Weight [OC,KH,KW,IC]: each input element meets KH*KW*OC weights.
  FailureOr<int64_t> fanOut = getDimProduct(op.getWeight(), {0, 1, 2}, options);
  if (failed(inElems) || failed(fanOut))
    return failure();
  return getConvLikeWork(op, *inElems * *fanOut, op.getAccType(), op.getInput(),
                         op.getWeight(), op.getBias(), op.getOutput(), options);
}

static FailureOr<OpWork> getMatMulWork(tosa::MatMulOp op,
                                       const WorkOptions &options) {
  FailureOr<int64_t> outElems =
      getNumElements(op.getOutput().getType(), options); // N*H*W
  FailureOr<int64_t> c = getDim(op.getA(), 2, options);
  FailureOr<ScalarKind> kind =
      getArithmeticKind(op.getOutput().getType(), options);
  if (failed(outElems) || failed(c) || failed(kind))
    return failure();
  OpWork work;
  work.add(*kind, OpClass::Fma, *outElems * *c, /*contraction=*/true);
  if (failed(addReads(work, {op.getA(), op.getB()}, options)) ||
      failed(addWrite(work, op.getOutput(), options)))
    return failure();
  return work;
}

//===----------------------------------------------------------------------===//
// Pooling and reductions
//===----------------------------------------------------------------------===//

template <typename OpTy>
static FailureOr<OpWork> getPoolWork(OpTy op, Type chargedType, bool divide,
                                     const WorkOptions &options) {
  FailureOr<int64_t> outElems =
      getNumElements(op.getOutput().getType(), options);
  FailureOr<ScalarKind> kind = getArithmeticKind(chargedType, options);
  if (failed(outElems) || failed(kind))
    return failure();
  ArrayRef<int64_t> kernel = op.getKernel();
  OpWork work;
  work.add(*kind, OpClass::Add, *outElems * kernel[0] * kernel[1]);
  if (divide)
    work.add(*kind, OpClass::Div, *outElems);
  if (failed(addReads(work, op.getInput(), options)) ||
      failed(addWrite(work, op.getOutput(), options)))
    return failure();
  return work;
}

static FailureOr<OpWork> getAvgPoolWork(tosa::AvgPool2dOp op,
                                        const WorkOptions &options) {
  return getPoolWork(op, op.getAccType(), /*divide=*/true, options);
}

static FailureOr<OpWork> getMaxPoolWork(tosa::MaxPool2dOp op,
                                        const WorkOptions &options) {
  return getPoolWork(op, op.getInput().getType(), /*divide=*/false, options);
}

/// Reductions and argmax: one op of class `Cls` per input element.
template <typename OpTy, OpClass Cls>
static FailureOr<OpWork> getReductionWork(OpTy op, const WorkOptions &options) {
  Value input = op->getOperand(0);
  FailureOr<int64_t> elems = getNumElements(input.getType(), options);
  FailureOr<ScalarKind> kind = getArithmeticKind(input.getType(), options);
  if (failed(elems) || failed(kind))
    return failure();
  OpWork work;
  work.add(*kind, Cls, *elems);
  if (failed(addReads(work, input, options)) ||
      failed(addWrite(work, op->getResult(0), options)))
    return failure();
  return work;
}

//===----------------------------------------------------------------------===//
// Element-wise
//===----------------------------------------------------------------------===//

/// Reads the first `numData` operands, writes result 0, and counts
/// `perElement` operations per output element on the output (or, if
/// `onOperand`, the first operand's) element type.
static FailureOr<OpWork> getElementwiseWork(
    Operation *op, ArrayRef<std::pair<OpClass, int64_t>> perElement,
    unsigned numData, bool onOperand, const WorkOptions &options) {
  Value output = op->getResult(0);
  Type charged = onOperand ? op->getOperand(0).getType() : output.getType();
  FailureOr<int64_t> elems = getNumElements(output.getType(), options);
  FailureOr<ScalarKind> kind = getArithmeticKind(charged, options);
  if (failed(elems) || failed(kind))
    return failure();
  OpWork work;
  for (auto [cls, count] : perElement)
    work.add(*kind, cls, *elems * count);
  numData = std::min<unsigned>(numData, op->getNumOperands());
  if (failed(addReads(work, op->getOperands().take_front(numData), options)) ||
      failed(addWrite(work, output, options)))
    return failure();
  return work;
}

constexpr unsigned kAllOperands = ~0u;

namespace {

/// One op of class `Cls` per element; reads the first `NumData` operands.
template <typename OpTy, OpClass Cls, unsigned NumData = kAllOperands,
          bool OnOperand = false>
struct ElementwiseEnergyModel
    : public EnergyCostOpInterface::ExternalModel<
          ElementwiseEnergyModel<OpTy, Cls, NumData, OnOperand>, OpTy> {
  FailureOr<OpWork> getWork(Operation *op, const WorkOptions &options) const {
    return getElementwiseWork(op, {{Cls, 1}}, NumData, OnOperand, options);
  }
};

} // namespace

template <OpClass Cls, typename... OpTys>
static void attachElementwise(MLIRContext *ctx) {
  (OpTys::template attachInterface<ElementwiseEnergyModel<OpTys, Cls>>(*ctx),
   ...);
}

static FailureOr<OpWork> getSigmoidWork(tosa::SigmoidOp op,
                                        const WorkOptions &options) {
  return getElementwiseWork(
      op, {{OpClass::Transcendental, 1}, {OpClass::Add, 1}, {OpClass::Div, 1}},
      1, /*onOperand=*/false, options);
}

static FailureOr<OpWork> getRescaleWork(tosa::RescaleOp op,
                                        const WorkOptions &options) {
  return getElementwiseWork(op, {{OpClass::Mul, 1}, {OpClass::Add, 1}}, 1,
                            /*onOperand=*/true, options);
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

/// Reads the first `NumData` operands at full size, writes the output.
template <typename OpTy, unsigned NumData>
static FailureOr<OpWork> getMoveWork(OpTy op, const WorkOptions &options) {
  OperandRange data = op->getOperands().take_front(
      std::min<unsigned>(NumData, op->getNumOperands()));
  return getDataMovementWork(data.getTypes(), op->getResultTypes(), options);
}

static FailureOr<OpWork> getSliceWork(tosa::SliceOp op,
                                      const WorkOptions &options) {
  return getDataMovementWork(op.getType(), op.getType(), options);
}

static FailureOr<OpWork> getConcatWork(tosa::ConcatOp op,
                                       const WorkOptions &options) {
  return getDataMovementWork(op.getInput1().getTypes(), op.getType(), options);
}

static FailureOr<OpWork> getGatherWork(tosa::GatherOp op,
                                       const WorkOptions &options) {
  Type reads[] = {op.getOutput().getType(), op.getIndices().getType()};
  return getDataMovementWork(reads, op.getOutput().getType(), options);
}

static FailureOr<OpWork> getScatterWork(tosa::ScatterOp op,
                                        const WorkOptions &options) {
  Type reads[] = {op.getInput().getType(), op.getIndices().getType()};
  return getDataMovementWork(reads, op.getInput().getType(), options);
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

template <typename OpTy, FailureOr<OpWork> (*WorkFn)(OpTy, const WorkOptions &)>
static void attachFn(MLIRContext *ctx) {
  OpTy::template attachInterface<FunctionEnergyModel<OpTy, WorkFn>>(*ctx);
}

void energy::registerTosaEnergyModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, tosa::TosaDialect *) {
    using namespace tosa;
    attachFn<Conv2DOp, getConv2DWork>(ctx);
    attachFn<Conv3DOp, getConv3DWork>(ctx);
    attachFn<DepthwiseConv2DOp, getDepthwiseConv2DWork>(ctx);
    attachFn<TransposeConv2DOp, getTransposeConv2DWork>(ctx);
    attachFn<MatMulOp, getMatMulWork>(ctx);
    attachFn<AvgPool2dOp, getAvgPoolWork>(ctx);
    attachFn<MaxPool2dOp, getMaxPoolWork>(ctx);

    attachFn<ReduceSumOp, getReductionWork<ReduceSumOp, OpClass::Add>>(ctx);
    attachFn<ReduceMaxOp, getReductionWork<ReduceMaxOp, OpClass::Add>>(ctx);
    attachFn<ReduceMinOp, getReductionWork<ReduceMinOp, OpClass::Add>>(ctx);
    attachFn<ReduceAllOp, getReductionWork<ReduceAllOp, OpClass::Add>>(ctx);
    attachFn<ReduceAnyOp, getReductionWork<ReduceAnyOp, OpClass::Add>>(ctx);
    attachFn<ReduceProductOp, getReductionWork<ReduceProductOp, OpClass::Mul>>(
        ctx);
    attachFn<ArgMaxOp, getReductionWork<ArgMaxOp, OpClass::Add>>(ctx);

    attachElementwise<OpClass::Add, AddOp, SubOp, MaximumOp, MinimumOp,
                      SelectOp, AbsOp, ClampOp, CastOp, CeilOp, FloorOp, ClzOp,
                      LogicalAndOp, LogicalOrOp, LogicalXorOp, LogicalNotOp,
                      LogicalLeftShiftOp, LogicalRightShiftOp,
                      ArithmeticRightShiftOp, BitwiseAndOp, BitwiseOrOp,
                      BitwiseXorOp, BitwiseNotOp>(ctx);
    // negate: the zero points are not data. Compares: the input type.
    NegateOp::attachInterface<
        ElementwiseEnergyModel<NegateOp, OpClass::Add, 1>>(*ctx);
    EqualOp::attachInterface<ElementwiseEnergyModel<
        EqualOp, OpClass::Add, kAllOperands, /*OnOperand=*/true>>(*ctx);
    GreaterOp::attachInterface<ElementwiseEnergyModel<
        GreaterOp, OpClass::Add, kAllOperands, /*OnOperand=*/true>>(*ctx);
    GreaterEqualOp::attachInterface<ElementwiseEnergyModel<
        GreaterEqualOp, OpClass::Add, kAllOperands, /*OnOperand=*/true>>(*ctx);
    // mul: the shift operand is not data.
    MulOp::attachInterface<ElementwiseEnergyModel<MulOp, OpClass::Mul, 2>>(
        *ctx);
    attachElementwise<OpClass::Div, ReciprocalOp, RsqrtOp, IntDivOp>(ctx);
    attachElementwise<OpClass::Transcendental, ExpOp, LogOp, TanhOp, ErfOp,
                      PowOp, SinOp, CosOp>(ctx);
    attachFn<SigmoidOp, getSigmoidWork>(ctx);
    attachFn<RescaleOp, getRescaleWork>(ctx);

    attachFn<TransposeOp, getMoveWork<TransposeOp, 1>>(ctx);
    attachFn<PadOp, getMoveWork<PadOp, 1>>(ctx);
    attachFn<TileOp, getMoveWork<TileOp, 1>>(ctx);
    attachFn<ReverseOp, getMoveWork<ReverseOp, 1>>(ctx);
    attachFn<ResizeOp, getMoveWork<ResizeOp, 1>>(ctx);
    attachFn<TableOp, getMoveWork<TableOp, 2>>(ctx);
    attachFn<SliceOp, getSliceWork>(ctx);
    attachFn<ConcatOp, getConcatWork>(ctx);
    attachFn<GatherOp, getGatherWork>(ctx);
    attachFn<ScatterOp, getScatterWork>(ctx);

    attachZeroWorkModels<ConstOp, ConstShapeOp, ReshapeOp, IdentityOp, DimOp,
                         AddShapeOp, SubShapeOp, MulShapeOp, DivCeilShapeOp,
                         DivFloorShapeOp, ModShapeOp, MaxShapeOp, MinShapeOp,
                         Exp2ShapeOp, Log2CeilShapeOp, Log2FloorShapeOp,
                         ConcatShapeOp, SliceShapeOp>(ctx);
    attachUnsupportedModels<FFT2dOp, RFFT2dOp, CustomOp, IfOp, WhileOp,
                            VariableOp, VariableReadOp, VariableWriteOp,
                            ApplyScaleOp, CastFromBlockScaledOp,
                            CastToBlockScaledOp, MatmulTBlockScaledOp>(ctx);
  });
}

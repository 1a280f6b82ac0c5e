//===- EnergyCostOpInterface.td - target-independent op work -*- tablegen -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The interface through which the energy cost model asks an op what it does:
// how many operations of which class on which element type, and how many
// bytes it must move. Upstream ops get it through external models
// (lib/Interfaces/ExternalModels/); green's own ops implement it in ODS.
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_INTERFACES_ENERGYCOSTOPINTERFACE_TD
#define GREEN_INTERFACES_ENERGYCOSTOPINTERFACE_TD

include "mlir/IR/OpBase.td"

def EnergyCostOpInterface : OpInterface<"EnergyCostOpInterface"> {
  let description = [{
    An op that implements this interface can say how much *work* it does,
    independent of any hardware. The energy cost model combines that work
    with a target description (energy per operation and per byte) and a
    schedule into seconds and joules; this interface never sees hardware
    numbers.

    The work (`::mlir::green::OpWork`) has four parts:

    - **Operations**, counted as a number of operations per element type
      (`ScalarKind`: f64, f32, f16, bf16, i64, i32, i16, i8, i4, i1) and per
      operation class (`OpClass`):
      - `Add`: add, sub, compare, min/max, select, negate, abs, bitwise and
        shift ops, rounding, and casts (ext, trunc, int<->float, bitcast,
        index_cast): one ALU operation each.
      - `Mul`: multiply.
      - `Fma`: a fused multiply-add or multiply-accumulate counts as ONE
        operation (two flops). The multiply-accumulates of a contraction
        (matmul, conv, the body `acc + a * b` of a linalg op with a
        reduction loop) are flagged `contraction = true`, because a matrix
        engine can run them. A contraction's Fma is charged to the
        ACCUMULATOR element type (the type of the add, i.e. the result/init
        element type, or TOSA's `acc_type`): an i8 x i8 -> i32 matmul is
        i32 Fma. Casts that only widen the multiply's operands are part of
        the multiply-accumulate and are not counted separately.
      - `Div`: divide, remainder, square root, reciprocal square root.
      - `Transcendental`: exp, log, tanh, erf, sin, cos, pow and the like.
      Element-wise ops are charged to their result element type, compares to
      their operand element type.
    - **Bytes read and bytes written**: compulsory traffic, i.e. every
      operand the op reads is counted once at its full size (slices and
      gathers: the part they move) and every result (or destination
      operand) once. Sizes are `elements * bitwidth / 8`
      rounded up, so i4 packs two elements per byte; i1 counts one byte per
      element (the in-memory layout of `memref<...xi1>`); index is 8 bytes.
      A scalar operand counts one element. Metadata-only ops (reshape,
      expand/collapse_shape, cast, subview, alloc, tensor.empty) move no
      bytes.
    - **Parameters**: elements of constant operands (weights): tensors
      defined by `arith.constant` or `tosa.const`, and memrefs obtained by
      `memref.get_global` of a constant global.
    - **dataMovement**: set for ops whose only purpose is to move data
      (copy, transpose, pad, slice, concat, fill, gather): their bytes are
      the point and their operation count is zero.

    What is NOT counted: address and index arithmetic (`linalg.index`,
    affine maps), loop control, and any reuse, caching or tiling effects:
    how often bytes really travel to which memory level depends on the
    schedule and the target, which is the cost model's business.

    Shapes: the element count of a ranked tensor, memref or vector is the
    product of its dimensions. A dynamic dimension uses
    `WorkOptions::assumedDynamicSize` when that is set; otherwise the op
    cannot be costed. Unranked types cannot be costed.

    Upstream ops get the interface from external models
    (`registerEnergyCostExternalModels`, lib/Interfaces/ExternalModels/):

    - Every linalg structured op shares one model: iterations = product of
      the static loop ranges; each payload op counts `iterations` ops of its
      class; a reduction whose yielded value is `acc + a * b` counts one
      contraction Fma per iteration instead of a multiply and an add. Bytes
      read are the inputs the payload uses plus the inits whose value it
      uses (the accumulator); bytes written are the inits. A payload with no
      arithmetic (fill, copy, transpose, broadcast) is data movement.
      `linalg.softmax` over N elements counts 3N Add (max-reduce, subtract,
      sum-reduce), N Transcendental (exp) and N Div.
    - TOSA convolutions and matmul count their MACs from the operand shapes
      (conv2d: N*OH*OW*OC*KH*KW*IC) plus one bias Add per output; pooling
      counts a window of Adds per output (plus a Div for avg_pool2d);
      reductions one op per input element; element-wise ops one op per
      output element (sigmoid: Transcendental + Add + Div); layout ops are
      data movement, reshape is free.
    - arith and math ops count one op per element (tensors also count
      bytes; scalars and vectors are registers). `arith.constant` is free.
    - tensor and memref slices, pads, concats, gathers, copies, loads and
      stores are data movement; reshapes, casts, views and allocations are
      free.

    Failure means "this op cannot be costed" (dynamic shapes without an
    assumed size, an element type without a `ScalarKind`, an op or payload
    op the model does not understand). Implementations never return zero
    work for an op they do not understand. They do not emit diagnostics:
    the caller reports the failure, with the reason stored in
    `WorkOptions::failureReason` when the caller asked for it.
  }];
  let cppNamespace = "::mlir::green";

  let methods = [
    InterfaceMethod<
      /*desc=*/[{
        Returns the target-independent work of this op: per element type
        and op class operation counts, bytes read and written (compulsory
        traffic) and constant parameters touched, following the counting
        rules in the interface description. Returns failure when the op
        cannot be costed (see above); `options` says how dynamic dimensions
        are treated.
      }],
      /*retTy=*/"::mlir::FailureOr<::mlir::green::OpWork>",
      /*methodName=*/"getWork",
      /*args=*/(ins "const ::mlir::green::WorkOptions &":$options),
      /*methodBody=*/"",
      /*defaultImplementation=*/""
    >
  ];
}

#endif // GREEN_INTERFACES_ENERGYCOSTOPINTERFACE_TD

//===- Passes.td - quantization passes ---------------------*- tablegen -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_QUANT_PASSES_TD
#define GREEN_QUANT_PASSES_TD

include "mlir/Pass/PassBase.td"

def QuantizePass : Pass<"green-quantize", "mlir::ModuleOp"> {
  let summary = "Quantize contractions with constant weights (int8, int4, "
                "fp16, bf16, or mixed under an error budget)";
  let description = [{
    Finds the layers of the entry function: `linalg.matmul`,
    `linalg.batch_matmul`, `linalg.conv_2d_nhwc_hwcf`,
    `linalg.conv_2d_nhwc_fhwc` (what `tosa-to-linalg-named` makes of
    `tosa.conv2d`), `linalg.conv_2d_nchw_fchw` and
    `linalg.depthwise_conv_2d_nhwc_hwc` on f32 tensors whose weight (second input) is an `arith.constant`. Run TOSA
    models through `tosa-to-linalg-named,tosa-to-linalg` first. Each layer
    gets a precision:

    - `int8`: weights and activations int8 (static). Weights symmetric,
      per output channel (`per-channel=true`) or per tensor; activations
      per tensor, symmetric or asymmetric (`symmetric=false`, with a zero
      point), ranges from calibration (`method`). The layer becomes an
      integer contraction (i8 x i8 -> i32) followed by an f32 epilogue:
      `y = s_x * s_w[c] * (acc - zp_x * sum(W[.., c])) + init`.
    - `int8-weight-only`, `int4-weight-only`: weights stored as i8 / i4
      constants (symmetric, per channel), dequantized at run time; the
      contraction stays f32.
    - `fp16`, `bf16`: inputs and weights truncated, products accumulated in
      f32.
    - `mixed`: per layer, the precision (among fp32, int8, int8-weight-only,
      int4-weight-only, fp16, bf16 that the target supports) with the
      lowest estimated energy such that the measured output error on the
      calibration set stays within `error-budget` (measured with
      `error-metric`). Greedy: options are taken in order of estimated
      joules saved per unit of measured error, each accepted only if the
      whole model, run with it, stays within the budget.

    Quantization parameters are first recorded with upstream `quant` types
    (`quant.qcast`/`quant.dcast` pairs with `!quant.uniform<i8:f32, s:zp>`
    and per-axis `!quant.uniform<i8:f32:c, {s0, s1, ...}>`); with
    `emit-qdq=true` the pass stops there. Otherwise the pairs are folded
    into integer contractions (see `green-fold-quantized-contractions`).

    Activation ranges and errors are measured by running the model: the
    module is cloned, intermediate tensors are returned as extra results,
    lowered with `green-lower-cpu` and JIT-compiled in-process, then run on
    the calibration inputs: `.npy` files (`calibration-data`: files or
    directories, one file per entry argument per sample, in order), or,
    when none are given, `calibration-samples` seeded random inputs (with a
    warning).

    Every layer gets a remark (precision, estimated energy on `target`,
    measured error) and `report` writes the decisions as JSON (schema
    `green-quantize-report/1`), chosen and rejected options with joules.

    Example:

    ```
    green-opt mlp.mlir --green-quantize="scheme=int8 calibration-data=calib/"
    green-opt mlp.mlir --green-quantize="scheme=mixed error-budget=30 error-metric=sqnr"
    ```
  }];
  let options = [
    Option<"scheme", "scheme", "mlir::green::QuantScheme",
           /*default=*/"mlir::green::QuantScheme::Int8", "Quantization scheme",
           [{::llvm::cl::values(
             clEnumValN(mlir::green::QuantScheme::Int8, "int8",
                        "Static int8 weights and activations"),
             clEnumValN(mlir::green::QuantScheme::Int8WeightOnly,
                        "int8-weight-only", "int8 weights, f32 compute"),
             clEnumValN(mlir::green::QuantScheme::Int4WeightOnly,
                        "int4-weight-only", "int4 weights, f32 compute"),
             clEnumValN(mlir::green::QuantScheme::FP16, "fp16",
                        "f16 inputs and weights, f32 accumulation"),
             clEnumValN(mlir::green::QuantScheme::BF16, "bf16",
                        "bf16 inputs and weights, f32 accumulation"),
             clEnumValN(mlir::green::QuantScheme::Mixed, "mixed",
                        "Per-layer precision: least energy within the "
                        "error budget"))}]>,
    ListOption<"calibrationData", "calibration-data", "std::string",
               "Calibration .npy files or directories of them">,
    Option<"calibrationSamples", "calibration-samples", "unsigned",
           /*default=*/"8",
           "Seeded random samples used when no calibration data is given">,
    Option<"seed", "seed", "uint64_t", /*default=*/"0",
           "Seed of the random calibration inputs">,
    Option<"method", "method", "mlir::green::QuantMethod",
           /*default=*/"mlir::green::QuantMethod::MinMax",
           "Activation range method",
           [{::llvm::cl::values(
             clEnumValN(mlir::green::QuantMethod::MinMax, "minmax",
                        "Observed min and max"),
             clEnumValN(mlir::green::QuantMethod::Percentile, "percentile",
                        "Percentile of the observed values"),
             clEnumValN(mlir::green::QuantMethod::MSE, "mse",
                        "Clip minimizing the quantization MSE"),
             clEnumValN(mlir::green::QuantMethod::Entropy, "entropy",
                        "Clip minimizing the KL divergence"))}]>,
    Option<"percentile", "percentile", "double", /*default=*/"99.99",
           "Percentile for method=percentile, in (0, 100]">,
    Option<"symmetric", "symmetric", "bool", /*default=*/"true",
           "Symmetric activations (zero point 0); false: asymmetric">,
    Option<"perChannel", "per-channel", "bool", /*default=*/"true",
           "Per-output-channel weight scales (false: one per tensor)">,
    Option<"errorBudget", "error-budget", "double", /*default=*/"-1",
           "Error budget for scheme=mixed in units of error-metric "
           "(default: 30 dB, 0.999 or 0.05)">,
    Option<"errorMetric", "error-metric", "mlir::green::ErrorMetric",
           /*default=*/"mlir::green::ErrorMetric::SQNR",
           "Output error metric",
           [{::llvm::cl::values(
             clEnumValN(mlir::green::ErrorMetric::SQNR, "sqnr",
                        "Signal to quantization noise ratio, dB (minimum)"),
             clEnumValN(mlir::green::ErrorMetric::Cosine, "cosine",
                        "Cosine similarity (minimum)"),
             clEnumValN(mlir::green::ErrorMetric::MaxRelError,
                        "max-rel-error",
                        "max |y - y_ref| / max |y_ref| (maximum)"))}]>,
    Option<"entry", "entry", "std::string", /*default=*/"\"\"",
           "Entry function (default: the only public function with a body)">,
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "Target description (default: the module's green.target, else "
           "host)">,
    ListOption<"targetDirs", "target-dir", "std::string",
               "Extra directories to search for <target>.json">,
    Option<"emitQDQ", "emit-qdq", "bool", /*default=*/"false",
           "Stop after recording quant.qcast/dcast pairs (no folding)">,
    Option<"measure", "measure", "bool", /*default=*/"true",
           "Measure each layer's output error by running the model (needed "
           "by int8 calibration and scheme=mixed)">,
    Option<"report", "report", "std::string", /*default=*/"\"\"",
           "Write the per-layer decisions as JSON to this file ('-': "
           "standard output)">,
  ];
  let statistics = [
    Statistic<"numLayers", "layers", "Layers found">,
    Statistic<"numInt8", "int8-layers", "Layers made int8 (static)">,
    Statistic<"numWeightOnly", "weight-only-layers",
              "Layers with int8/int4 weights only">,
    Statistic<"numHalf", "half-layers", "Layers made fp16/bf16">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect", "mlir::quant::QuantDialect",
    "mlir::tensor::TensorDialect"
  ];
}

def FoldQuantizedContractionsPass
    : Pass<"green-fold-quantized-contractions"> {
  let summary = "Fold quant.qcast/dcast pairs into integer contractions";
  let description = [{
    Rewrites `linalg.matmul`, `linalg.batch_matmul`,
    `linalg.conv_2d_nhwc_hwcf`, `linalg.conv_2d_nhwc_fhwc`,
    `linalg.conv_2d_nchw_fchw` and `linalg.depthwise_conv_2d_nhwc_hwc`
    whose two inputs are
    `quant.dcast` of per-tensor (activation) and per-tensor or per-axis
    (weight, zero point 0) quantized values into the integer contract of the
    CPU backend:

    ```
    %xq  = <f32 -> i8: clamp(roundeven(x / s_x) + zp_x)>       linalg.generic
    %acc = linalg.matmul ins(%xq, %wq : tensor<MxKxi8>, tensor<KxNxi8>)
                         outs(%zero : tensor<MxNxi32>)
    %y   = <sitofp(acc - zp_x * colsum(W)) * (s_x * s_w) + init> linalg.generic
    ```

    The weight must be constant: either `quant.qcast` of an f32
    `arith.constant` (quantized at compile time) or `quant.scast` of an
    integer `arith.constant` (a model that arrives quantized, e.g. ONNX
    QDQ). Left-over pairs are lowered too: `dcast(qcast(constant))` becomes
    an integer constant dequantized at run time (weight-only schemes) and
    any other `dcast(qcast(x))` an element-wise fake quantization, so no
    quant op is left. An op whose inputs are not both quantized is left
    alone.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect", "mlir::tensor::TensorDialect"
  ];
}

#endif // GREEN_QUANT_PASSES_TD

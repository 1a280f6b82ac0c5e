//===- Quantize.h - quantized layers: representation, lowering --*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The pieces of --green-quantize that other code reuses (the ONNX importer
// for QuantizeLinear/DequantizeLinear/QLinearMatMul/...; see
// docs/quantization.md):
//
//  - the layers green quantizes (contractions with a constant weight) and,
//    per kind, which weight axis is the output channel;
//  - annotate*: record a precision on a layer with upstream quant types
//    (quant.qcast + quant.dcast pairs) or, for fp16/bf16, by truncation;
//  - populateFoldQuantizedContractionPatterns: fold the pairs into the
//    integer contract (i8 x i8 -> i32 contraction + f32 epilogue) and lower
//    whatever pairs are left.
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_QUANT_QUANTIZE_H
#define GREEN_QUANT_QUANTIZE_H

#include "green/Quant/Calibration.h"

#include "mlir/IR/Operation.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace mlir::green {

/// What --green-quantize does to the model as a whole.
enum class QuantScheme : uint8_t {
  Int8,
  Int8WeightOnly,
  Int4WeightOnly,
  FP16,
  BF16,
  Mixed,
};

/// The precision one layer runs at.
enum class LayerPrecision : uint8_t {
  F32,
  Int8,
  Int8WeightOnly,
  Int4WeightOnly,
  F16,
  BF16,
};

llvm::StringRef getLayerPrecisionName(LayerPrecision precision);

/// The precision a fixed (non-mixed) scheme gives every layer.
LayerPrecision getSchemePrecision(QuantScheme scheme);

/// Contraction kinds --green-quantize handles.
enum class ContractionKind : uint8_t {
  Matmul,
  BatchMatmul,
  ConvNhwcHwcf,
  ConvNhwcFhwc,
  ConvNchwFchw,
  DepthwiseNhwcHwc,
};

/// Axes of a contraction kind that matter for quantization.
struct ContractionInfo {
  ContractionKind kind;
  /// Weight axis indexing output channels (per-channel scales).
  unsigned weightChannelAxis;
  /// Output dim of that channel.
  unsigned outputChannelDim;
  /// Weight axes not reduced over (kept in the zero-point correction
  /// sum_k W), and the output dims they correspond to.
  llvm::SmallVector<unsigned, 2> weightKeptAxes, outputKeptDims;
};

/// The kind of `op` if it is a supported contraction on ranked f32/i8
/// tensors with default indexing maps, else std::nullopt.
std::optional<ContractionInfo> getContractionInfo(Operation *op);

/// A layer: a supported contraction whose weight (input 1) is an
/// arith.constant of f32.
bool isQuantizableLayer(Operation *op);

/// Activation parameters of a layer (per tensor) for int8.
struct LayerQuantParams {
  QuantParams activation;
};

/// Weight quantization settings shared by all layers.
struct WeightQuantOptions {
  bool perChannel = true;
};

/// Records `precision` on `layer` (a quantizable layer) by inserting
/// quant.qcast/quant.dcast pairs on its inputs (integer precisions) or
/// truncating them (F16/BF16: the layer is rebuilt with f16/bf16 inputs and
/// f32 accumulation). `activation` is needed for Int8 only. Returns the op
/// that now computes the layer.
FailureOr<Operation *> annotateLayer(Operation *layer, LayerPrecision precision,
                                     const WeightQuantOptions &weights,
                                     const QuantParams *activation);

/// Folds quant.dcast pairs around supported contractions into integer
/// contractions, and lowers every remaining dcast(qcast/scast(x)) pair.
void populateFoldQuantizedContractionPatterns(RewritePatternSet &patterns);

/// Applies populateFoldQuantizedContractionPatterns greedily to `root`.
LogicalResult foldQuantizedContractions(Operation *root);

} // namespace mlir::green

#endif // GREEN_QUANT_QUANTIZE_H

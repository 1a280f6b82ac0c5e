//===- Signature.h - the tensors an entry function takes --------*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// green-run calls functions on ranked, statically shaped tensors (what
// importers produce). The signature is read from the input IR's func.func,
// before lowering, and is what inputs and expected outputs are checked
// against.
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_RUNTIME_SIGNATURE_H
#define GREEN_RUNTIME_SIGNATURE_H

#include "green/Runtime/Npy.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir::green {

/// One tensor argument or result.
struct TensorSpec {
  RankedTensorType type;
  NpyDType dtype;

  llvm::ArrayRef<int64_t> getShape() const { return type.getShape(); }
  unsigned getRank() const { return type.getRank(); }
  /// "tensor<4x64xf32>".
  std::string str() const;
};

/// The entry function's name and tensors.
struct EntrySignature {
  std::string name;
  llvm::SmallVector<TensorSpec> args, results;
};

/// The .npy dtype that holds elements of `type` (f32 -> float32, i8 -> int8,
/// ui8 -> uint8, i1 -> bool), or std::nullopt (bf16, index, complex, ...).
std::optional<NpyDType> getNpyDType(Type elementType);

/// Finds the entry function and reads its signature. With an empty `entry`,
/// the module's only public func.func with a body is taken; when there are
/// none or several, the error lists the candidates. Errors also for
/// declarations, non-tensor, unranked or dynamically shaped arguments and
/// results, and element types .npy cannot hold.
llvm::Expected<EntrySignature> getEntrySignature(ModuleOp module,
                                                 llvm::StringRef entry);

/// Checks that `array` (read from `file`) matches `spec`. `what` names the
/// value in errors, e.g. "input 0 of @mlp":
///   input 0 of @mlp: expected tensor<4x64xf32>, got float64 [4, 64] in x.npy
llvm::Error checkArrayMatches(const NpyArray &array, const TensorSpec &spec,
                              const llvm::Twine &what, llvm::StringRef file);

/// Seeded random data for `spec`: uniform in [-1, 1) for floats, integers in
/// [-4, 4] (unsigned: [0, 8]), bools 0 or 1. The same seed gives the same
/// data on every platform.
NpyArray makeRandomArray(const TensorSpec &spec, uint64_t seed);

/// How an output compares with its expected values.
struct Comparison {
  int64_t numElements = 0;
  /// Elements with |actual - expected| > atol + rtol * |expected| (numpy's
  /// allclose rule); a NaN matches only a NaN.
  int64_t numMismatches = 0;
  double maxAbsError = 0;
  /// Max of |actual - expected| / |expected| over non-zero expected values.
  double maxRelError = 0;
  /// C-order index of the first mismatch, when there is one.
  std::optional<int64_t> firstMismatch;
  double firstActual = 0, firstExpected = 0;

  bool passed() const { return numMismatches == 0; }
};

/// Compares two arrays of the same shape (dtypes may differ).
Comparison compareArrays(const NpyArray &actual, const NpyArray &expected,
                         double rtol, double atol);

} // namespace mlir::green

#endif // GREEN_RUNTIME_SIGNATURE_H

//===- Npy.h - read and write NumPy .npy arrays -----------------*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The .npy format (numpy.lib.format, versions 1.0, 2.0 and 3.0): a magic
// string, a version, a little-endian header length, a Python dict literal
// with 'descr', 'fortran_order' and 'shape', then the raw elements. Only what
// green-run exchanges with models is supported: little-endian (or
// byte-order-free) numeric and bool dtypes in C order. Everything else is
// rejected with an error that names the file and what was found.
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_RUNTIME_NPY_H
#define GREEN_RUNTIME_NPY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir::green {

/// Element types an .npy array may hold.
enum class NpyDType : uint8_t {
  Float16,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  UInt8,
  UInt16,
  UInt32,
  UInt64,
  Bool,
};

/// NumPy's name of `dtype`: "float32", "int8", "bool", ...
llvm::StringRef getNpyDTypeName(NpyDType dtype);
/// The `descr` written to headers: "<f4", "|i1", "|b1", ...
llvm::StringRef getNpyDescr(NpyDType dtype);
/// Bytes per element.
unsigned getNpyDTypeSize(NpyDType dtype);
/// True for Float16/32/64.
bool isNpyFloat(NpyDType dtype);
/// Parses a header `descr` ("<f4", "=f4" and "|u1" are accepted; "<u1" and
/// "|u1" are the same). Returns std::nullopt for big-endian, structured and
/// unsupported types.
std::optional<NpyDType> parseNpyDescr(llvm::StringRef descr);

/// A dense C-order array.
struct NpyArray {
  NpyDType dtype = NpyDType::Float32;
  std::vector<int64_t> shape;
  /// Raw little-endian elements, getNumElements() * getNpyDTypeSize(dtype)
  /// bytes.
  std::vector<char> data;

  int64_t getNumElements() const;
  int64_t getNumBytes() const {
    return getNumElements() * getNpyDTypeSize(dtype);
  }
  /// An array of `dtype` and `shape` with zeroed elements.
  static NpyArray zeros(NpyDType dtype, llvm::ArrayRef<int64_t> shape);
  /// Element `i` (in C order) converted to double.
  double getAsDouble(int64_t i) const;
};

/// "[4, 64]" (and "[]" for a scalar), as green-run prints shapes.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// Parses the contents of an .npy file. `name` is used in errors.
llvm::Expected<NpyArray> parseNpy(llvm::StringRef contents,
                                  llvm::StringRef name);

/// Reads and parses the .npy file at `path`.
llvm::Expected<NpyArray> readNpyFile(llvm::StringRef path);

/// Serializes `array`: format version 1.0 unless the header needs more than
/// 65535 bytes (then 2.0).
std::string serializeNpy(const NpyArray &array);

/// Writes `array` to `path`.
llvm::Error writeNpyFile(llvm::StringRef path, const NpyArray &array);

} // namespace mlir::green

#endif // GREEN_RUNTIME_NPY_H

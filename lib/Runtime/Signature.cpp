//===- Signature.cpp - the tensors an entry function takes ----------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Runtime/Signature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::green;

std::string TensorSpec::str() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

std::optional<NpyDType> mlir::green::getNpyDType(Type elementType) {
  if (elementType.isF16())
    return NpyDType::Float16;
  if (elementType.isF32())
    return NpyDType::Float32;
  if (elementType.isF64())
    return NpyDType::Float64;
  auto intType = dyn_cast<IntegerType>(elementType);
  if (!intType)
    return std::nullopt;
  unsigned width = intType.getWidth();
  if (width == 1)
    return NpyDType::Bool;
  bool isUnsigned = intType.isUnsigned();
  switch (width) {
  case 8:
    return isUnsigned ? NpyDType::UInt8 : NpyDType::Int8;
  case 16:
    return isUnsigned ? NpyDType::UInt16 : NpyDType::Int16;
  case 32:
    return isUnsigned ? NpyDType::UInt32 : NpyDType::Int32;
  case 64:
    return isUnsigned ? NpyDType::UInt64 : NpyDType::Int64;
  default:
    return std::nullopt;
  }
}

//===----------------------------------------------------------------------===//
// Entry function
//===----------------------------------------------------------------------===//

static llvm::Expected<TensorSpec> getTensorSpec(Type type,
                                                const llvm::Twine &what) {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  std::string typeStr;
  llvm::raw_string_ostream(typeStr) << type;
  if (!tensorType)
    return llvm::createStringError(
        what + " has type " + typeStr +
        ": green-run needs ranked tensors of static shape");
  if (!tensorType.hasStaticShape())
    return llvm::createStringError(
        what + " has dynamic shape " + typeStr +
        ": green-run needs static shapes (specialize the function first)");
  if (tensorType.getEncoding())
    return llvm::createStringError(what + " has an encoding (" + typeStr +
                                   "): only plain dense tensors are "
                                   "supported");
  std::optional<NpyDType> dtype = getNpyDType(tensorType.getElementType());
  if (!dtype)
    return llvm::createStringError(
        what + " has element type " + typeStr +
        " that .npy files cannot hold (supported: f16, f32, f64, i1, i8, "
        "i16, i32, i64 and unsigned integers)");
  return TensorSpec{tensorType, *dtype};
}

static std::string listNames(llvm::ArrayRef<func::FuncOp> funcs) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(funcs, os,
                        [&](func::FuncOp f) { os << "@" << f.getSymName(); });
  return s;
}

llvm::Expected<EntrySignature>
mlir::green::getEntrySignature(ModuleOp module, llvm::StringRef entry) {
  func::FuncOp func;
  if (!entry.empty()) {
    func = module.lookupSymbol<func::FuncOp>(entry);
    if (!func) {
      llvm::SmallVector<func::FuncOp> all;
      for (auto f : module.getOps<func::FuncOp>())
        if (!f.isDeclaration())
          all.push_back(f);
      return llvm::createStringError(
          "entry function @" + entry + " not found" +
          (all.empty() ? std::string(" (the module has no functions)")
                       : " (functions: " + listNames(all) + ")"));
    }
    if (func.isDeclaration())
      return llvm::createStringError("entry function @" + entry +
                                     " is a declaration without a body");
  } else {
    llvm::SmallVector<func::FuncOp> candidates, all;
    for (auto f : module.getOps<func::FuncOp>()) {
      if (f.isDeclaration())
        continue;
      all.push_back(f);
      if (f.isPublic())
        candidates.push_back(f);
    }
    if (candidates.size() != 1)
      return llvm::createStringError(
          candidates.empty()
              ? "no public function to run" +
                    (all.empty() ? std::string(" (the module has none)")
                                 : " (private: " + listNames(all) +
                                       "); name one with --entry")
              : "several public functions (" + listNames(candidates) +
                    "): choose one with --entry");
    func = candidates.front();
  }

  EntrySignature sig;
  sig.name = func.getSymName().str();
  FunctionType type = func.getFunctionType();
  for (auto [i, t] : llvm::enumerate(type.getInputs())) {
    auto spec = getTensorSpec(t, llvm::formatv("argument {0} of @{1}", i,
                                               sig.name));
    if (!spec)
      return spec.takeError();
    sig.args.push_back(*spec);
  }
  for (auto [i, t] : llvm::enumerate(type.getResults())) {
    auto spec =
        getTensorSpec(t, llvm::formatv("result {0} of @{1}", i, sig.name));
    if (!spec)
      return spec.takeError();
    sig.results.push_back(*spec);
  }
  return sig;
}

llvm::Error mlir::green::checkArrayMatches(const NpyArray &array,
                                           const TensorSpec &spec,
                                           const llvm::Twine &what,
                                           llvm::StringRef file) {
  if (array.dtype == spec.dtype &&
      llvm::ArrayRef<int64_t>(array.shape) == spec.getShape())
    return llvm::Error::success();
  std::string detail;
  if (array.dtype != spec.dtype)
    detail = ("dtype " + getNpyDTypeName(array.dtype) + " where " +
              getNpyDTypeName(spec.dtype) + " is needed")
                 .str();
  else
    detail = "shape " + formatShape(array.shape) + " where " +
             formatShape(spec.getShape()) + " is needed";
  return llvm::createStringError(
      what + ": expected " + spec.str() + ", got " +
      getNpyDTypeName(array.dtype) + " " + formatShape(array.shape) + " in " +
      file + " (" + detail + ")");
}

//===----------------------------------------------------------------------===//
// Random data
//===----------------------------------------------------------------------===//

namespace {
/// SplitMix64: tiny, and the same sequence everywhere (unlike the standard
/// library's distributions).
struct SplitMix64 {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1).
  double uniform() { return (next() >> 11) * 0x1.0p-53; }
};
} // namespace

template <typename T>
static void store(char *p, T v) {
  std::memcpy(p, &v, sizeof(T));
}

NpyArray mlir::green::makeRandomArray(const TensorSpec &spec, uint64_t seed) {
  NpyArray a = NpyArray::zeros(spec.dtype, spec.getShape());
  SplitMix64 rng{seed};
  unsigned size = getNpyDTypeSize(spec.dtype);
  for (int64_t i = 0, e = a.getNumElements(); i < e; ++i) {
    char *p = a.data.data() + i * size;
    double f = 2 * rng.uniform() - 1;
    int64_t s = static_cast<int64_t>(rng.next() % 9) - 4;
    uint64_t u = rng.next() % 9;
    switch (spec.dtype) {
    case NpyDType::Float16: {
      llvm::APFloat h(static_cast<float>(f));
      bool lost;
      h.convert(llvm::APFloat::IEEEhalf(), llvm::APFloat::rmNearestTiesToEven,
                &lost);
      store<uint16_t>(p, h.bitcastToAPInt().getZExtValue());
      break;
    }
    case NpyDType::Float32:
      store<float>(p, static_cast<float>(f));
      break;
    case NpyDType::Float64:
      store<double>(p, f);
      break;
    case NpyDType::Int8:
      store<int8_t>(p, s);
      break;
    case NpyDType::Int16:
      store<int16_t>(p, s);
      break;
    case NpyDType::Int32:
      store<int32_t>(p, s);
      break;
    case NpyDType::Int64:
      store<int64_t>(p, s);
      break;
    case NpyDType::UInt8:
      store<uint8_t>(p, u);
      break;
    case NpyDType::UInt16:
      store<uint16_t>(p, u);
      break;
    case NpyDType::UInt32:
      store<uint32_t>(p, u);
      break;
    case NpyDType::UInt64:
      store<uint64_t>(p, u);
      break;
    case NpyDType::Bool:
      store<uint8_t>(p, u & 1);
      break;
    }
  }
  return a;
}

//===----------------------------------------------------------------------===//
// Comparison
//===----------------------------------------------------------------------===//

Comparison mlir::green::compareArrays(const NpyArray &actual,
                                      const NpyArray &expected, double rtol,
                                      double atol) {
  Comparison c;
  c.numElements = std::min(actual.getNumElements(), expected.getNumElements());
  for (int64_t i = 0; i < c.numElements; ++i) {
    double a = actual.getAsDouble(i), b = expected.getAsDouble(i);
    double abs = std::fabs(a - b);
    bool close = abs <= atol + rtol * std::fabs(b);
    if (std::isnan(a) && std::isnan(b))
      close = true, abs = 0;
    if (!std::isnan(abs)) {
      c.maxAbsError = std::max(c.maxAbsError, abs);
      if (b != 0)
        c.maxRelError = std::max(c.maxRelError, abs / std::fabs(b));
    } else {
      c.maxAbsError = c.maxRelError = std::numeric_limits<double>::infinity();
    }
    if (close)
      continue;
    if (c.numMismatches++ == 0) {
      c.firstMismatch = i;
      c.firstActual = a;
      c.firstExpected = b;
    }
  }
  return c;
}

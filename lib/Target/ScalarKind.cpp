//===- ScalarKind.cpp - element type and op class names -------------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Names of scalar kinds and op classes as they appear in target files and
// reports, and the classification of MLIR element types into scalar kinds.
//
//===----------------------------------------------------------------------===//

#include "green/Target/TargetDescription.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/ErrorHandling.h"

using namespace mlir;
using namespace mlir::green;

llvm::StringRef mlir::green::stringifyScalarKind(ScalarKind kind) {
  switch (kind) {
  case ScalarKind::F64:
    return "f64";
  case ScalarKind::F32:
    return "f32";
  case ScalarKind::F16:
    return "f16";
  case ScalarKind::BF16:
    return "bf16";
  case ScalarKind::I64:
    return "i64";
  case ScalarKind::I32:
    return "i32";
  case ScalarKind::I16:
    return "i16";
  case ScalarKind::I8:
    return "i8";
  case ScalarKind::I4:
    return "i4";
  case ScalarKind::I1:
    return "i1";
  case ScalarKind::Unknown:
    return "unknown";
  }
  llvm_unreachable("unhandled ScalarKind");
}

std::optional<ScalarKind>
mlir::green::symbolizeScalarKind(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<ScalarKind>>(name)
      .Case("f64", ScalarKind::F64)
      .Case("f32", ScalarKind::F32)
      .Case("f16", ScalarKind::F16)
      .Case("bf16", ScalarKind::BF16)
      .Case("i64", ScalarKind::I64)
      .Case("i32", ScalarKind::I32)
      .Case("i16", ScalarKind::I16)
      .Case("i8", ScalarKind::I8)
      .Case("i4", ScalarKind::I4)
      .Case("i1", ScalarKind::I1)
      .Default(std::nullopt);
}

llvm::StringRef mlir::green::stringifyOpClass(OpClass cls) {
  switch (cls) {
  case OpClass::Add:
    return "add";
  case OpClass::Mul:
    return "mul";
  case OpClass::Fma:
    return "fma";
  case OpClass::Div:
    return "div";
  case OpClass::Transcendental:
    return "transcendental";
  }
  llvm_unreachable("unhandled OpClass");
}

unsigned mlir::green::getScalarKindBitWidth(ScalarKind kind) {
  switch (kind) {
  case ScalarKind::F64:
  case ScalarKind::I64:
    return 64;
  case ScalarKind::F32:
  case ScalarKind::I32:
    return 32;
  case ScalarKind::F16:
  case ScalarKind::BF16:
  case ScalarKind::I16:
    return 16;
  case ScalarKind::I8:
    return 8;
  case ScalarKind::I4:
    return 4;
  case ScalarKind::I1:
    return 1;
  case ScalarKind::Unknown:
    return 0;
  }
  llvm_unreachable("unhandled ScalarKind");
}

/// Integers of a width the model has no entry for are costed as the next
/// wider supported kind, the way hardware would hold them.
static ScalarKind getIntegerScalarKind(unsigned width) {
  if (width == 0)
    return ScalarKind::Unknown;
  if (width == 1)
    return ScalarKind::I1;
  if (width <= 4)
    return ScalarKind::I4;
  if (width <= 8)
    return ScalarKind::I8;
  if (width <= 16)
    return ScalarKind::I16;
  if (width <= 32)
    return ScalarKind::I32;
  if (width <= 64)
    return ScalarKind::I64;
  return ScalarKind::Unknown;
}

ScalarKind mlir::green::getScalarKind(Type type) {
  if (isa<IndexType>(type))
    return ScalarKind::I64;
  if (auto intType = dyn_cast<IntegerType>(type))
    return getIntegerScalarKind(intType.getWidth());
  if (type.isF64())
    return ScalarKind::F64;
  if (type.isF32())
    return ScalarKind::F32;
  if (type.isF16())
    return ScalarKind::F16;
  if (type.isBF16())
    return ScalarKind::BF16;
  // tf32, f8 variants, f80, f128, complex, vectors and the rest.
  return ScalarKind::Unknown;
}

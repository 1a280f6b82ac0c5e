//===- Dialects.h - C API for green's dialects and passes ---------*- C -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// C entry points, following MLIR-C conventions, for embedding green in
// another compiler or driving it from Python through ctypes. The library that
// implements them (libGreenCAPI.so) also exports the upstream MLIR-C IR and
// pass-manager API (mlirContextCreate, mlirModuleCreateParse,
// mlirPassManagerRunOnOp, ...), which Debian's libMLIR.so does not.
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_C_DIALECTS_H
#define GREEN_C_DIALECTS_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Declares mlirGetDialectHandle__green__().
MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Green, green);

/// Inserts green's dialects (and the interface models green attaches to
/// upstream ops) into `registry`.
MLIR_CAPI_EXPORTED void mlirGreenRegisterDialects(MlirDialectRegistry registry);

/// Inserts every upstream MLIR dialect and extension, then green's, into
/// `registry`: what green-opt itself registers.
MLIR_CAPI_EXPORTED void
mlirGreenRegisterAllDialects(MlirDialectRegistry registry);

/// Registers green's passes and pipelines with the global pass registry, so
/// that mlirParsePassPipeline accepts them.
MLIR_CAPI_EXPORTED void mlirGreenRegisterPasses(void);

/// Registers every upstream MLIR pass and green's.
MLIR_CAPI_EXPORTED void mlirGreenRegisterAllPasses(void);

/// Returns true if `attr` is a #green.target attribute.
MLIR_CAPI_EXPORTED bool mlirAttributeIsAGreenTarget(MlirAttribute attr);

/// Returns #green.target<name>, or a null attribute if `name` is not a valid
/// target name.
MLIR_CAPI_EXPORTED MlirAttribute mlirGreenTargetAttrGet(MlirContext ctx,
                                                        MlirStringRef name);

/// Returns the target name held by a #green.target attribute.
MLIR_CAPI_EXPORTED MlirStringRef mlirGreenTargetAttrGetName(MlirAttribute attr);

/// Returns green-opt's version string ("MAJOR.MINOR.PATCH").
MLIR_CAPI_EXPORTED const char *mlirGreenGetVersion(void);

#ifdef __cplusplus
}
#endif

#endif // GREEN_C_DIALECTS_H

/*===- green-capi-test.c - exercise green's C API --------------------------===*\
|*                                                                            *|
|* Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception *|
|*                                                                            *|
|* Registers green through the C API, builds and parses IR that uses          *|
|* #green.target, runs a green pass by name, and prints what happened. The    *|
|* lit test capi.test checks the output. Exits non-zero on any failure.      *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "green-c/Dialects.h"

#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"

#include <stdio.h>
#include <string.h>

static void printToStdout(MlirStringRef s, void *userData) {
  (void)userData;
  fwrite(s.data, 1, s.length, stdout);
}

static int fail(const char *what) {
  fprintf(stderr, "green-capi-test: FAILED: %s\n", what);
  return 1;
}

int main(void) {
  printf("version: %s\n", mlirGreenGetVersion());

  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  mlirGreenRegisterAllDialects(registry);
  MlirContext ctx = mlirContextCreateWithRegistry(registry, false);
  mlirDialectRegistryDestroy(registry);
  mlirGreenRegisterAllPasses();

  /* The dialect handle works like upstream ones. */
  MlirDialect green = mlirContextGetOrLoadDialect(
      ctx, mlirStringRefCreateFromCString("green"));
  if (mlirDialectIsNull(green))
    return fail("green dialect not loaded");
  MlirStringRef ns = mlirDialectGetNamespace(green);
  printf("dialect: %.*s\n", (int)ns.length, ns.data);

  /* Build an attribute through the C API. */
  MlirAttribute target =
      mlirGreenTargetAttrGet(ctx, mlirStringRefCreateFromCString("cpu-zen3"));
  if (mlirAttributeIsNull(target) || !mlirAttributeIsAGreenTarget(target))
    return fail("mlirGreenTargetAttrGet");
  MlirStringRef name = mlirGreenTargetAttrGetName(target);
  printf("target name: %.*s\n", (int)name.length, name.data);
  printf("attr: ");
  mlirAttributePrint(target, printToStdout, NULL);
  printf("\n");

  /* An invalid name gives a null attribute, not a crash. */
  MlirAttribute bad =
      mlirGreenTargetAttrGet(ctx, mlirStringRefCreateFromCString("9 bad"));
  printf("invalid name gives null: %s\n",
         mlirAttributeIsNull(bad) ? "yes" : "no");

  /* Parse upstream IR and run a green pass through a textual pipeline. */
  const char *src = "func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {\n"
                    "  %0 = arith.addf %a, %a : tensor<4xf32>\n"
                    "  return %0 : tensor<4xf32>\n"
                    "}\n";
  MlirModule module =
      mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(src));
  if (mlirModuleIsNull(module))
    return fail("parse");

  MlirPassManager pm = mlirPassManagerCreate(ctx);
  MlirOpPassManager opm = mlirPassManagerGetAsOpPassManager(pm);
  MlirLogicalResult parsed = mlirParsePassPipeline(
      opm,
      mlirStringRefCreateFromCString(
          "builtin.module(green-attach-target{target=cpu-zen4})"),
      printToStdout, NULL);
  if (mlirLogicalResultIsFailure(parsed))
    return fail("pipeline parse");
  MlirLogicalResult ran =
      mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(module));
  if (mlirLogicalResultIsFailure(ran))
    return fail("pass run");
  mlirOperationPrint(mlirModuleGetOperation(module), printToStdout, NULL);
  printf("\n");

  MlirAttribute attached = mlirOperationGetAttributeByName(
      mlirModuleGetOperation(module),
      mlirStringRefCreateFromCString("green.target"));
  printf("module target is green.target: %s\n",
         mlirAttributeIsAGreenTarget(attached) ? "yes" : "no");

  mlirPassManagerDestroy(pm);
  mlirModuleDestroy(module);
  mlirContextDestroy(ctx);
  printf("ok\n");
  return 0;
}

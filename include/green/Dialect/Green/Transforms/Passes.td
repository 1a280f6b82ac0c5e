//===- Passes.td - green dialect passes --------------------*- tablegen -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_DIALECT_GREEN_TRANSFORMS_PASSES_TD
#define GREEN_DIALECT_GREEN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def AttachTargetPass : Pass<"green-attach-target", "mlir::ModuleOp"> {
  let summary = "Attach a #green.target to the module";
  let description = [{
    Sets the module's `green.target` attribute, which tells the energy cost
    model and every energy-driven pass which target description to use.
    Run it first when the input comes from an importer that knows nothing
    of green (torch-mlir, ONNX-MLIR, a hand-written test).

    A module that already names a different target is an error unless
    `overwrite=true`, and a replacement is reported as a remark: silently
    compiling for other hardware than the one the
    author asked for would give wrong energy estimates. A name that is not
    a valid target name is an error; whether a description file of that name
    exists is checked by the passes that read it.

    Before:

    ```mlir
    module {
      func.func @f() { return }
    }
    ```

    After `--green-attach-target="target=cpu-zen4"`:

    ```mlir
    module attributes {green.target = #green.target<"cpu-zen4">} {
      func.func @f() { return }
    }
    ```
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"host\"",
           "Target description name (a file stem under targets/, or "
           "'host' for the CPU running the compiler)">,
    Option<"overwrite", "overwrite", "bool", /*default=*/"false",
           "Replace a different green.target the module already has">,
  ];
  let dependentDialects = ["::mlir::green::GreenDialect"];
}

#endif // GREEN_DIALECT_GREEN_TRANSFORMS_PASSES_TD

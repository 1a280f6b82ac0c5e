//===- GreenAttrs.td - green dialect attributes ------------*- tablegen -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_DIALECT_GREEN_IR_GREENATTRS_TD
#define GREEN_DIALECT_GREEN_IR_GREENATTRS_TD

include "green/Dialect/Green/IR/GreenDialect.td"
include "mlir/IR/AttrTypeBase.td"

class Green_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Green_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Green_TargetAttr : Green_Attr<"Target", "target"> {
  let summary = "Names the target description a module is compiled for";
  let description = [{
    Names a target description: a JSON file that gives the hardware's energy
    per operation and per byte moved, its memory hierarchy, static power and
    operating points. The cost model and every pass that makes an
    energy-driven choice read the target through this attribute.

    The name is the description's file stem (`cpu-zen3` for
    `targets/cpu-zen3.json`) or `host`, which stands for the CPU that runs
    the compiler. Names consist of letters, digits, `-`, `_` and `.`, and
    start with a letter; the file itself is looked up when a pass needs it,
    so a module can name a target that this machine does not describe.

    ```mlir
    module attributes {green.target = #green.target<"cpu-zen3">} {}
    ```
  }];
  let parameters = (ins StringRefParameter<"target description name">:$name);
  let assemblyFormat = "`<` $name `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Returns true if `name` is a well-formed target name.
    static bool isValidName(::llvm::StringRef name);
  }];
}

include "green/Dialect/Green/IR/GreenCPUAttrs.td"

#endif // GREEN_DIALECT_GREEN_IR_GREENATTRS_TD

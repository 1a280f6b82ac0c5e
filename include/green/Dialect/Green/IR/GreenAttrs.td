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

def Green_NMSparsityAttr : Green_Attr<"NMSparsity", "nm_sparsity"> {
  let summary = "N:M semi-structured sparsity of a constant weight";
  let description = [{
    Put by `green-prune mode=n-m` on a weight constant (`tosa.const`) as the
    discardable attribute `green.sparsity`: along dimension `axis` (the
    reduction dimension of the layer that reads the weight: K of a
    `tosa.matmul` weight `[1, K, N]`, the input channels I of a
    `tosa.conv2d` weight OHWI), every block of `m` consecutive elements
    holds at most `n` non-zeros. The constant keeps its dense shape with
    the pruned elements zero, so every back end runs it unchanged (the CPU
    back end runs it dense, without a speed-up); a target with N:M sparse
    units (2:4 sparse tensor cores, a systolic array) compresses it to the
    `n` values and their 2-bit positions per block, which the mask implied
    by the zeros and this attribute determine. The dialect verifier checks
    the pattern on dense constants.

    ```mlir
    %w = "tosa.const"() <{values = dense<...> : tensor<1x64x32xf32>}>
        {green.sparsity = #green.nm_sparsity<n = 2, m = 4, axis = 1>}
        : () -> tensor<1x64x32xf32>
    ```
  }];
  let parameters = (ins "int64_t":$n, "int64_t":$m, "int64_t":$axis);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Green_UnstructuredSparsityAttr
    : Green_Attr<"UnstructuredSparsity", "unstructured_sparsity"> {
  let summary = "Unstructured (magnitude) sparsity of a constant weight";
  let description = [{
    Put by `green-prune mode=unstructured` on a weight constant as the
    discardable attribute `green.sparsity`: `nonzeros` of the weight's
    `total` elements are non-zero, in no particular pattern. The constant
    keeps its dense shape. The CPU back end gets no speed from this (its
    kernels are dense); the attribute lets a target with sparse storage or
    zero-skipping units see the density. The dialect verifier checks
    `total` against the type and, on dense constants, counts the
    non-zeros.

    ```mlir
    %w = "tosa.const"() <{values = dense<...> : tensor<1x64x32xf32>}>
        {green.sparsity = #green.unstructured_sparsity<nonzeros = 1024, total = 2048>}
        : () -> tensor<1x64x32xf32>
    ```
  }];
  let parameters = (ins "int64_t":$nonzeros, "int64_t":$total);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

include "green/Dialect/Green/IR/GreenCPUAttrs.td"

#endif // GREEN_DIALECT_GREEN_IR_GREENATTRS_TD

//===- GreenDialect.td - green dialect definition ----------*- tablegen -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_DIALECT_GREEN_IR_GREENDIALECT_TD
#define GREEN_DIALECT_GREEN_IR_GREENDIALECT_TD

include "mlir/IR/DialectBase.td"
include "mlir/IR/OpBase.td"

def Green_Dialect : Dialect {
  let name = "green";
  let cppNamespace = "::mlir::green";
  let summary = "Energy-aware compilation: targets and compiler decisions";
  let description = [{
    The `green` dialect carries what green-opt's energy-aware passes need to
    agree on and what they decided: which hardware a module is compiled for
    (`#green.target`), and, as later passes land, the schedules, precisions
    and pruning ratios they chose.

    It is not a compute dialect. Models stay in upstream dialects (TOSA,
    linalg, arith, math, tensor, memref); green adds attributes and a few
    marker ops on top of them.

    A module names its target with the discardable attribute `green.target`:

    ```mlir
    module attributes {green.target = #green.target<"cpu-zen4">} {
      func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {
        return %a : tensor<4xf32>
      }
    }
    ```

    The name refers to a target description file (`targets/<name>.json`);
    `host` means "the CPU green-opt runs on", detected at compile time.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    /// Registers the attributes defined in GreenAttrs.td (called from
    /// initialize(), defined where the attribute storage is visible).
    void registerAttributes();

    /// Name of the discardable module attribute that holds a
    /// `#green.target`.
    static constexpr ::llvm::StringLiteral getTargetAttrName() {
      return ::llvm::StringLiteral("green.target");
    }

    /// Name of the discardable attribute (an i64 group id) that
    /// `green-fuse` puts on a contraction or convolution and on the
    /// element-wise epilogue the cost model says should be tiled and fused
    /// with it.
    static constexpr ::llvm::StringLiteral getFusionGroupAttrName() {
      return ::llvm::StringLiteral("green.fusion_group");
    }

    /// Name of the discardable attribute (a `#green.nm_sparsity` or
    /// `#green.unstructured_sparsity`) that `green-prune` puts on a weight
    /// constant it sparsified.
    static constexpr ::llvm::StringLiteral getSparsityAttrName() {
      return ::llvm::StringLiteral("green.sparsity");
    }
  }];
}

#endif // GREEN_DIALECT_GREEN_IR_GREENDIALECT_TD

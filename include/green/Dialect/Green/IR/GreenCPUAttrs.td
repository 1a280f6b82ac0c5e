//===- GreenCPUAttrs.td - CPU backend decisions carried in IR -*- tablegen -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_DIALECT_GREEN_IR_GREENCPUATTRS_TD
#define GREEN_DIALECT_GREEN_IR_GREENCPUATTRS_TD

def Green_CPUScheduleAttr : Green_Attr<"CPUSchedule", "cpu_schedule"> {
  let summary = "Tiling, register tile and parallelism chosen for a CPU op";
  let description = [{
    The schedule `green-cpu-select-schedule` chose for one structured op
    (a linalg contraction or convolution), stored on the op under the
    discardable attribute `green.cpu_schedule` and applied by
    `green-cpu-tile-and-vectorize`.

    * `tile`: cache tile size per iteration dimension of the op, in the
      op's loop order (0: that dimension is not tiled at this level).
    * `register_tile`: the vector (register) tile per iteration dimension;
      the innermost tile is vectorized to `vector.contract` with exactly
      these sizes (0: not vectorized; the op is lowered to loops).
    * `parallel_dim`: the iteration dimension whose cache tiles are spread
      over `threads` threads (`scf.forall`, then OpenMP); -1 when the op
      runs on one thread.
    * `pack_b` (optional, default `false`): before the register-tile loops,
      copy each `tile[k] x tile[n]` panel of B into a contiguous buffer laid
      out as `[tile[n] / register_tile[n]][tile[k]][register_tile[n]]`, so
      the micro-kernel reads B sequentially instead of rows that sit a whole
      row of B apart (L1 set conflicts, TLB misses). Only for contractions
      without batch dimensions whose B is indexed `(k, n)` (linalg.matmul);
      the cache loops then run n, k, m so that a panel is packed once per
      (n, k) tile and reused by every m tile.
    * `operating_point`: the DVFS operating point of the target the cost
      was estimated at (a recommendation for the runtime; codegen does not
      depend on it).

    The estimated energy and latency of the choice are reported in the
    remark that `green-cpu-select-schedule` emits.

    Cache tiles are multiples of the register tile and divide the op's
    extent once the remainder that the register tile does not divide has
    been split off (that remainder gets smaller power-of-two register
    tiles; see `green-cpu-tile-and-vectorize`).

    ```mlir
    %0 = linalg.matmul {green.cpu_schedule = #green.cpu_schedule<
           tile = [64, 256, 8], register_tile = [4, 16, 4], parallel_dim = 0,
           threads = 2, operating_point = 2>} ins(...) outs(...)
    ```
  }];
  let parameters = (ins
    ArrayRefParameter<"int64_t", "cache tile sizes">:$tile,
    ArrayRefParameter<"int64_t", "register tile sizes">:$registerTile,
    "int64_t":$parallelDim,
    "unsigned":$threads,
    "unsigned":$operatingPoint,
    DefaultValuedParameter<"bool", "false", "pack B panels">:$packB
  );
  let assemblyFormat = [{
    `<` `tile` `=` `[` $tile `]` `,` `register_tile` `=` `[` $registerTile `]`
    `,` `parallel_dim` `=` $parallelDim `,` `threads` `=` $threads
    `,` `operating_point` `=` $operatingPoint
    (`,` `pack_b` `=` $packB^)? `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The discardable attribute name the schedule is stored under.
    static constexpr ::llvm::StringLiteral getAttrName() {
      return ::llvm::StringLiteral("green.cpu_schedule");
    }
  }];
}

#endif // GREEN_DIALECT_GREEN_IR_GREENCPUATTRS_TD

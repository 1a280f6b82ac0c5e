//===- Passes.td - green's CPU backend passes --------------*- tablegen -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_CODEGEN_CPU_PASSES_TD
#define GREEN_CODEGEN_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def VerifyInputPass : Pass<"green-cpu-verify-input", "mlir::ModuleOp"> {
  let summary = "Reject ops the CPU backend cannot lower";
  let description = [{
    Checks the input contract of `--green-lower-cpu` before anything is
    lowered, so that an unsupported op is reported at its location instead
    of failing deep inside a conversion. Accepted: `func`, `arith`, `math`,
    `tensor`, `linalg`, `tosa` (the ops that `tosa-to-linalg(-named)`,
    `tosa-to-arith` and `tosa-to-tensor` lower), `bufferization`, `scf`,
    `affine`, `memref`, `vector`, `index`, `ub` and `green`. Every value
    must have a static shape (no dynamic dimensions) and an element type
    that the LLVM lowering handles (integers, index, f16, bf16, f32, f64).
    Function bodies must be single-block `func.func`s. Function signatures
    take signless integers of 1 or at least 8 bits only: signed/unsigned
    integer types are rejected, and so are sub-byte types such as i4 (LLVM
    stores one per byte, so a caller's packed int4 data would be misread).

    Each violation is an error on the offending op, naming it; the pass
    then fails. The IR is not changed.

    ```
    green-opt bad.mlir --green-cpu-verify-input
    bad.mlir:3:8: error: 'stablehlo.add' op is not supported by the CPU
    backend: dialect 'stablehlo' is not accepted
    ```
  }];
}

def DecomposeAggregatesPass
    : InterfacePass<"green-cpu-decompose-aggregates",
                    "mlir::FunctionOpInterface"> {
  let summary = "Decompose aggregated linalg ops (linalg.softmax) into "
                "generics the CPU pipeline lowers";
  let description = [{
    Ops such as `linalg.softmax` implement `linalg::AggregatedOpInterface`
    but are not structured ops: nothing later in `green-lower-cpu`
    bufferizes or lowers them. This pass replaces each with the sequence of
    `linalg.generic`/`linalg.fill` ops its `decomposeOperation` gives (for
    softmax: max reduction, subtract, exp, sum reduction, divide), so they
    are fused, scheduled and lowered like any other linalg op. An op whose
    decomposition fails is an error at its location.

    Before: `%r = linalg.softmax dimension(1) ins(%x) outs(%e)`.
    After: two reductions (`maxnumf`, `addf`) and two element-wise generics.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect", "mlir::tensor::TensorDialect",
  ];
}

def ConvToGemmPass
    : InterfacePass<"green-cpu-conv-to-gemm", "mlir::FunctionOpInterface"> {
  let summary = "Rewrite 2-D convolutions as im2col + GEMM so that they get "
                "a CPU schedule";
  let description = [{
    Rewrites static 2-D convolutions on tensors as an im2col copy and a
    contraction that `green-cpu-select-schedule` schedules like any GEMM:

    * `linalg.conv_2d_nhwc_hwcf` (any batch, strides, dilations): the
      patches are copied into an [N, OH, OW, KH, KW, C] tensor by a
      `linalg.generic` with affine input indices (the channels stay
      contiguous, so the copy vectorizes once lowered to loops), viewed as
      an [N*OH*OW, KH*KW*C] matrix and multiplied by the filter viewed as
      [KH*KW*C, F] with a `linalg.matmul`;
    * `linalg.conv_2d_nhwc_fhwc` (what `tosa.conv2d`, and so every ONNX
      import, lowers to): the same, with B the transpose of the filter
      viewed as [F, KH*KW*C] (its columns are in the patches' (kh, kw, c)
      order); computed at compile time for a constant f32 filter (dense or
      `dense_resource`), else a `linalg.transpose`;
    * `linalg.conv_2d_nchw_fchw`: upstream `linalg::rewriteInIm2Col`; with
      a batch of 1 the contraction's unit dimension is dropped and it
      becomes a `linalg.matmul` (filter x patches).

    Padding stays the `tensor.pad` in front of the convolution. Depthwise
    and grouped convolutions are left alone (lowered to loops).
  }];
  let dependentDialects = [
    "mlir::affine::AffineDialect", "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
  ];
  let statistics = [
    Statistic<"numRewritten", "num-rewritten", "Convolutions rewritten">,
  ];
}

def SelectSchedulePass : Pass<"green-cpu-select-schedule", "mlir::ModuleOp"> {
  let summary = "Choose tiles, register tiles and threads of heavy ops by "
                "the energy cost model";
  let description = [{
    For every linalg contraction (matmul, batch_matmul, generic
    contractions with one m, n and k dimension plus batch dimensions) with
    static shapes, enumerates schedule candidates:

    * cache tiles (m, n, k) whose tile working set fits the target's L2,
      multiples of the register tile that divide the extent the register
      tile covers;
    * register tiles m x n x k with n a multiple of the target's vector
      width in elements (`vector_bits`) and an accumulator count that fits
      the vector register file (16 registers below 512-bit vectors, 32 at
      512 bits);
    * one thread or `threads` threads over the outermost parallel
      dimension (batch, else m);
    * the target's DVFS operating points.

    Each candidate is scored with `estimateCost` (green/Analysis/CostModel.h)
    on the op's work from `EnergyCostOpInterface`: the schedule's working
    set is the cache tile footprint, its register tile sets the L1 reuse,
    and the operand re-reads that the cache tiling causes
    (`Schedule::rereadBytes`) are charged at every level up to the one
    holding the whole operands. The winner by `objective` (energy in J,
    latency in s, or their product) is stored on the op as a
    `#green.cpu_schedule` attribute under `green.cpu_schedule`. With
    `latency-budget` > 0 the cheapest-energy candidate whose latency is
    within the budget wins, else the fastest. Ties in latency keep the
    candidate enumerated first (nominal operating point first).

    Each choice is explained by a remark on the op: "chose tile [..]
    register tile [..] parallel dim d threads t operating point p: E J,
    T s; rejected: ..." with the best few rejected candidates that differ
    from the chosen one.

    Convolutions and other ops are left without a schedule (they are
    lowered to loops; LLVM vectorizes the inner loop).

    The target is the `target` option, else the module's `green.target`,
    else `host`.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "Target description name or .json path (default: the module's "
           "green.target, else host)">,
    Option<"objective", "objective", "mlir::green::cpu::Objective",
           /*default=*/"mlir::green::cpu::Objective::Energy",
           "What the schedule minimizes",
           [{::llvm::cl::values(
             clEnumValN(mlir::green::cpu::Objective::Energy, "energy",
                        "Joules per call"),
             clEnumValN(mlir::green::cpu::Objective::Latency, "latency",
                        "Seconds per call"),
             clEnumValN(mlir::green::cpu::Objective::EDP, "edp",
                        "Energy-delay product (J x s)"))}]>,
    Option<"threads", "threads", "unsigned", /*default=*/"0",
           "Most threads a heavy op may use (0: all units of the target)">,
    Option<"latencyBudget", "latency-budget", "double", /*default=*/"0",
           "Latency budget per op in seconds (0: none); the cheapest-energy "
           "candidate within it wins, else the fastest">,
    Option<"packB", "pack-b", "bool", /*default=*/"true",
           "Also score candidates that pack B panels (where the op allows "
           "it); false keeps B in place">,
    Option<"numRejected", "num-rejected", "unsigned", /*default=*/"3",
           "Rejected candidates listed in each remark">,
    Option<"emitRemarks", "remarks", "bool", /*default=*/"true",
           "Explain each choice with a remark on the op">,
  ];
  let dependentDialects = ["mlir::green::GreenDialect"];
  let statistics = [
    Statistic<"numScheduled", "num-scheduled", "Ops given a schedule">,
    Statistic<"numCandidates", "num-candidates", "Candidates scored">,
  ];
}

def TileAndVectorizePass
    : InterfacePass<"green-cpu-tile-and-vectorize",
                    "mlir::FunctionOpInterface"> {
  let summary = "Apply the chosen CPU schedules: tile, parallelize and "
                "vectorize heavy ops on tensors";
  let description = [{
    For every linalg op with a `green.cpu_schedule` attribute:

    1. splits off, along each dimension, the remainder that the register
       tile does not divide (`linalg::splitOp`); each remainder part gets
       the same schedule with the largest power-of-two register tile that
       fits it, unpacked, and is split and vectorized the same way (a
       44-column remainder of a 64-wide tile runs as 32 + 8 + 4), so every
       vector has a static size and no masked vectorization is needed;
    2. tiles the parallel dimension with `scf.forall` when `threads` > 1
       (later OpenMP), then the cache tile with `scf.for`, then the
       register tile with `scf.for`; with `pack_b`, the cache loops run
       n, k, m and each kc x nc panel of B is copied, above the m loop, into
       a [nc/nr][kc][nr] tensor (`tensor.expand_shape` + `linalg.transpose`)
       that the register tiles read instead of B;
    3. vectorizes the register tile op (`linalg::vectorize`, exact sizes)
       and rewrites it to `vector.contract`, folds the tensor slices into
       the vector transfers and hoists the accumulator out of the k loop
       (`hoistLoopInvariantSubsets`), so that it lives in registers.

    Runs on tensors, before bufferization. Ops without the attribute are
    left alone. The vector contractions are lowered after bufferization by
    `green-cpu-lower-vectors`.

    Integer GEMMs (i8 x i8 -> i32 with sign-extended operands, A indexed
    (m, k), B (k, n), packed B, a k register tile of 4) take the target's
    integer dot-product micro-kernel instead of step 3, chosen from the
    target description's features (never the host's):
    `avx512vnni` -> `llvm.x86.avx512.vpdpbusd.512` (A fed as A + 128,
    corrected with 128 x the column sums of B computed while packing B into
    4-deep k groups); `avx2` -> `llvm.x86.avx2.pmadd.wd` on operands
    sign-extended to i16 (B packed as i16 k pairs). Both are exact over the
    whole int8 range (docs/quantization-kernels.md). Other integer
    contractions (batch, no packing, n not a multiple of the vector) take
    the generic vector path, which is exact too.

    Epilogue groups: when the scheduled op and the single user of its
    result carry the same `green.fusion_group` (set by `green-fuse` when the
    cost model says keeping the result tile in cache saves energy), the
    epilogue (bias, activation, residual add, ...) is tiled over the op's
    m/n (and batch) tiles with `scf::tileConsumerAndFuseProducersUsingSCF`,
    fusing the op and the `linalg.fill` of its accumulator into each tile
    (`scf.forall` when the schedule has threads). The accumulator tile is
    the epilogue's output tile, so each tile of C is computed, transformed
    by the epilogue while it is in cache, and written once. The outer tile
    is the largest multiple of the register tile that divides the extent
    and does not exceed the cache tile; with `pack_b` the m loop is not
    tiled there (each B panel is still packed once, as without fusion). Steps 1-3 then apply to the op
    inside each tile. A group that cannot be tiled this way (permuted or
    non-identity maps, nothing to tile) stays unfused, with a remark when
    `remarks` is set.

    Row groups: ops marked with one `green.fusion_group` none of which is
    scheduled (green-fuse's row groups: softmax, layer norm, reductions
    along rows with their producers and consumers) become one `scf.for`
    over tiles of rows (each intermediate's tile at most 8 KiB): the last
    op is tiled and the others, and the fills of the reductions'
    accumulators, are fused into every tile, so no intermediate tensor of
    rows is written to memory. Also under `fuse-epilogues`.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "Target description name or .json path (default: the module's "
           "green.target, else host); picks the integer kernel">,
    Option<"fuseEpilogues", "fuse-epilogues", "bool", /*default=*/"true",
           "Tile-fuse epilogue groups (green.fusion_group) into the tiles "
           "of their contraction, and row groups into loops over row "
           "tiles">,
    Option<"emitRemarks", "remarks", "bool", /*default=*/"false",
           "Remark on each epilogue group fused or left unfused">,
  ];
  let dependentDialects = [
    "mlir::affine::AffineDialect", "mlir::arith::ArithDialect",
    "mlir::scf::SCFDialect", "mlir::tensor::TensorDialect",
    "mlir::vector::VectorDialect", "mlir::LLVM::LLVMDialect",
  ];
  let statistics = [
    Statistic<"numVectorized", "num-vectorized", "Register tiles vectorized">,
    Statistic<"numSplit", "num-split", "Remainder parts split off">,
    Statistic<"numPacked", "num-packed", "B panels packed">,
    Statistic<"numIntegerKernels", "num-integer-kernels",
              "Cache tiles given an integer dot-product micro-kernel">,
    Statistic<"numEpiloguesFused", "num-epilogues-fused",
              "Epilogue groups tile-fused with their contraction">,
    Statistic<"numRowGroupsFused", "num-row-groups-fused",
              "Row groups (softmax, layer norm) fused over row tiles">,
  ];
}

def VectorizeElementwisePass
    : InterfacePass<"green-cpu-vectorize-elementwise",
                    "mlir::FunctionOpInterface"> {
  let summary = "Tile and vectorize element-wise linalg ops on tensors";
  let description = [{
    For every `linalg.generic` on tensors with static shapes, only parallel
    loops, no `green.cpu_schedule` and a body that `linalg::vectorize`
    accepts (arith and math ops; the element-wise ops of TOSA and the
    chains fused by `green-fuse`):

    1. picks the vector width in elements from the target's `vector_bits`
       and the widest element type of the op (e.g. 8 f32 lanes at 256
       bits, 16 at 512), unrolled up to 4x where the innermost extent
       allows it;
    2. splits off the remainder of the innermost loop that the width does
       not divide (`linalg::splitOp`); the remainder keeps its scalar form
       and is later lowered to loops, so no masked vectorization is needed.
       Ops whose innermost extent is below one vector are left alone;
    3. tiles every outer loop by 1 and the innermost one by the width
       (`scf.for`) and vectorizes the tile with its exact sizes, then folds
       the tensor slices into the vector transfers and drops the leading
       unit dims, so that only 1-D vectors of the target width remain;
    4. with `approximate-math` (default), rewrites vector `math.tanh`,
       `math.exp`, `math.log` and `math.erf` on f32 into MLIR's polynomial
       approximations (`populateMathPolynomialApproximationPatterns`):
       otherwise LLVM scalarizes them into one libm call per lane. Scalar
       math ops (the remainders) keep libm.

    With `reduce-innermost` (default), reductions (`linalg.generic`,
    `linalg.reduce`) whose only reduction loop is the innermost one get the
    same split, then one `scf.for` per row (outer loops by 1), then
    `scf::tileReductionUsingScf` into partial results of the vector width
    (up to 4 independent vector accumulators, kept in registers across the
    loop by `hoistLoopInvariantSubsets`) and a scalar merge of those lanes.
    This reassociates floating-point sums.

    Inputs read with a transposed innermost dimension (not contiguous
    along the vector) are left alone: their loads would be scalar gathers.

    Runs on tensors, before bufferization, after
    `green-cpu-tile-and-vectorize`. The transfers are lowered after
    bufferization by `green-cpu-lower-vectors` and
    `convert-vector-to-scf`.

    Example (AVX2, 256-bit vectors):

    ```mlir
    %r = linalg.generic {indexing_maps = [#id, #id],
                         iterator_types = ["parallel", "parallel"]}
           ins(%x : tensor<4x20xf32>) outs(%e : tensor<4x20xf32>) {...}
    ```

    becomes two `scf.for` loops over a `vector<8xf32>` body for columns
    0-15 and a scalar `linalg.generic` on `tensor<4x4xf32>` for the rest.

    The target is the `target` option, else the module's `green.target`,
    else `host`; `vector-bits` overrides its width.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "Target description name or .json path (default: the module's "
           "green.target, else host)">,
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"0",
           "Vector width in bits (0: the target's vector_bits)">,
    Option<"reduceInnermost", "reduce-innermost", "bool", /*default=*/"true",
           "Also vectorize reductions along the innermost loop">,
    Option<"approximateMath", "approximate-math", "bool", /*default=*/"true",
           "Expand vector tanh/exp/log/erf (f32) into polynomial "
           "approximations instead of per-lane libm calls">,
  ];
  let dependentDialects = [
    "mlir::affine::AffineDialect", "mlir::arith::ArithDialect",
    "mlir::math::MathDialect", "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect", "mlir::vector::VectorDialect",
  ];
  let statistics = [
    Statistic<"numVectorized", "num-vectorized", "Element-wise ops vectorized">,
    Statistic<"numSplit", "num-split", "Remainder parts split off">,
    Statistic<"numReductions", "num-reductions",
              "Innermost reductions vectorized">,
    Statistic<"numApproximated", "num-approximated",
              "Vector math ops expanded into polynomials">,
  ];
}

def LowerVectorsPass
    : InterfacePass<"green-cpu-lower-vectors", "mlir::FunctionOpInterface"> {
  let summary = "Lower vector contractions to FMAs of 1-D vectors";
  let description = [{
    Lowers `vector.contract` to outer products and those to `vector.fma`
    on 1-D vectors (one per accumulator row), together with the transfer,
    transpose, shape_cast and broadcast lowerings that keep every vector
    1-D, so that `convert-vector-to-llvm` produces `llvm.intr.fmuladd` /
    `llvm.fma` on vectors of the target width. Run after bufferization.

    First, the integer dot-product groups that green-cpu-tile-and-vectorize
    marks with `green_integer_dot` become x86 intrinsic calls
    (`llvm.call_intrinsic`): "vpdpbusd" (a 16x4 u8 x s8 -> 16 x i32
    contraction) -> `llvm.x86.avx512.vpdpbusd.512`, "vpmaddwd" (8x2 s16 x
    s16 -> 8 x i32) -> `llvm.x86.avx2.pmadd.wd` plus an add. Marked groups
    of any other shape fall back to the generic lowering.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::memref::MemRefDialect",
    "mlir::scf::SCFDialect", "mlir::vector::VectorDialect",
    "mlir::LLVM::LLVMDialect",
  ];
}

#endif // GREEN_CODEGEN_CPU_PASSES_TD

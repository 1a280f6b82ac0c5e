//===- Passes.td - green's cross-dialect passes ------------*- tablegen -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_TRANSFORMS_PASSES_TD
#define GREEN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def EnergyReportPass : Pass<"green-energy-report", "mlir::ModuleOp"> {
  let summary = "Estimate energy and latency per op and per model on a target";
  let description = [{
    Runs the energy cost model over every function of the module and prints
    a report: total energy (J) and estimated latency (s) of one inference,
    the split into compute, memory per level, data transfer, communication
    and static energy, performance per watt, energy per parameter, gCO2e
    per 1000 inferences (energy x PUE x grid intensity), and the most
    costly ops named by their locations. The IR is not changed.

    The target is the `target` option if given, else the module's
    `green.target`, else `host` (the CPU running the compiler). Target
    descriptions are looked up in the `target-dir` directories, then
    `$GREEN_TARGETS_DIR`, then the `targets/` directory of the source tree;
    a target option may also be a path to a `.json` file.

    Every op is asked for its work through `EnergyCostOpInterface`. An op
    without a model, or one the model cannot cost (e.g. a dynamic shape
    without `assume-dynamic-size`), is warned about at its location and
    listed under "not costed": it is never counted as zero silently.

    The report goes to `output` (`-` is standard output, before the IR;
    use `-o /dev/null` to drop the IR). `format=json` writes the stable
    schema `green-energy-report/1` documented in docs/energy-model.md.
    With `test=true` each costed op also gets a remark with its energy and
    latency (for lit tests).

    Example:

    ```
    green-opt model.mlir --green-energy-report="target=cpu-zen3 format=table" -o /dev/null
    ```
  }];
  let options = [
    Option<"format", "format", "mlir::green::ReportFormat",
           /*default=*/"mlir::green::ReportFormat::Table",
           "Report format",
           [{::llvm::cl::values(
             clEnumValN(mlir::green::ReportFormat::Table, "table",
                        "Human-readable table"),
             clEnumValN(mlir::green::ReportFormat::JSON, "json",
                        "JSON, schema green-energy-report/1"))}]>,
    Option<"output", "output", "std::string", /*default=*/"\"-\"",
           "File to write the report to ('-' for standard output)">,
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "Target description name or .json path (default: the module's "
           "green.target, else host)">,
    ListOption<"targetDirs", "target-dir", "std::string",
               "Extra directories to search for <target>.json">,
    Option<"assumeDynamicSize", "assume-dynamic-size", "int64_t",
           /*default=*/"-1",
           "Size assumed for every dynamic dimension (-1: do not assume; "
           "ops with dynamic shapes are reported as not costed)">,
    Option<"threads", "threads", "unsigned", /*default=*/"0",
           "Compute units each op is spread over (0: all of the target's)">,
    Option<"operatingPoint", "operating-point", "int", /*default=*/"-1",
           "DVFS operating point index (-1: the target's nominal point)">,
    Option<"top", "top", "unsigned", /*default=*/"10",
           "Number of most costly ops listed in the table">,
    Option<"testRemarks", "test", "bool", /*default=*/"false",
           "Emit a remark with energy and latency on every costed op">,
  ];
}

def EnergyAwareFusePass : Pass<"green-fuse"> {
  let summary = "Fuse operators where the energy cost model says it saves energy";
  let description = [{
    Runs on every `FunctionOpInterface` op: the one it is scheduled on
    (`func.func(green-fuse)`, in parallel over functions) or those nested
    in it (`--green-fuse` on a module). Forms fusion groups on linalg on
    tensors (run `tosa-to-linalg-pipeline`
    first for TOSA input) and keeps each one only when the cost model
    (`estimateCost`, docs/energy-model.md) says the objective goes down.
    Every decision is explained by a remark at the consumer's location.

    **Constant folding** (first, because it changes what is left to fuse):
    a `linalg.transpose` or `tosa.transpose` of a constant is done at compile
    time, and a per-channel affine chain that follows a `tosa.conv2d` with
    constant weights and bias (`tosa.sub`/`tosa.add` and `tosa.mul` by
    constants of shape `1x1x1xC`, as a batch norm in inference mode
    decomposes) is folded into the convolution's weights and bias. Both
    only run when the folded constant has no other user, so no parameter
    is stored twice; the run-time energy they save is the cost of the
    folded ops.

    **Element-wise chains** (and element-wise producers of reductions, e.g.
    the `exp` of a softmax into its sum): for each producer -> consumer edge
    that upstream's `linalg::areElementwiseOpsFusable` accepts, the pass
    prices the two ops apart (their `EnergyCostOpInterface` work, each with
    its compulsory traffic) and fused: the merged work, minus the
    intermediate tensor's write and read, which stay in registers. It fuses
    with `linalg::fuseElementwiseOps` only if the fused cost is lower, then
    merges the inputs both ops read into one operand. Named element-wise
    ops (`linalg.add`, `linalg.transpose`, ...) are generalized to take part
    and, when left unfused, specialized back to their named form.

    A producer with several users is fused by *duplication*: a private copy
    is fused into the consumer and the original stays for the other users,
    so the fused cost counts the producer's work again (recomputation and
    re-reading its inputs) and its result is still written. Duplication is
    considered only with `allow-duplication=true`, and even then only taken
    when the model says it pays (typically: a broadcast of a small tensor,
    which is cheaper to recompute than to read back at full size).

    **Contraction epilogues**: a `linalg` contraction or convolution whose
    only user is an element-wise op (bias, activation, residual add,
    re-quantization) is priced with the intermediate kept in L1
    (`Schedule::fusedBytes`, what tiling the epilogue into the contraction's
    tile loop achieves); when that pays, both ops get the discardable
    attribute `green.fusion_group = <id> : i64`, for the CPU backend's
    tile-and-fuse. The pass itself does not tile.

    A consumer that broadcasts the intermediate (reads a per-row value at
    every element of the row) would recompute the fused producer once per
    element: the producer's arithmetic is counted that many times, and the
    remark says so when that makes the fusion unprofitable.

    **Row groups** (`rows=true`): reductions along rows with their
    element-wise producers and consumers (softmax: max, exp, sum, divide;
    layer norm: sum, mean, center, square + sum, rsqrt, scale + shift), the
    members being 1-D/2-D generics on static tensors whose first loop runs
    over the rows and whose results only the group uses, ending in one 2-D
    element-wise op. Priced with every intermediate in L1 (a row tile of
    each fits); when that pays, the members get one `green.fusion_group`
    (remark `rows group N`), and green-cpu-tile-and-vectorize fuses them
    into one loop over row tiles.

    Not fused, with a remark saying why: producers and consumers in
    different blocks, a side-effecting op between producer and consumer
    (fusing would move the producer's computation across it), ops that
    cannot be costed (dynamic shapes), multi-use producers without
    `allow-duplication`, and everything the model rejects.

    Where it runs: once on TOSA before `tosa-to-linalg-pipeline` (constant
    folding happens on TOSA; `green-lower-cpu` runs it there with
    `elementwise=false epilogues=false rows=false`), and once on linalg on tensors after
    `convert-elementwise-to-linalg` and before the schedule selection of a
    backend (in `green-lower-cpu`: after its first `canonicalize`, before
    `green-cpu-select-schedule`), so that schedules are chosen for fused
    ops. Fusion decisions use the `objective` given here; the backend's
    own choices are its own.

    With `report=<file>` each function's groups are appended to the file as
    one JSON object per line (schema `green-fusion-report/1`: function,
    target, groups with kind, ops, bytes saved and joules before and after,
    and the rejected candidates with their reasons).

    Example (`--green-fuse`):

    ```mlir
    %0 = linalg.generic {...} ins(%a, %b) outs(%e) { addf }  -> tensor<1024xf32>
    %1 = linalg.generic {...} ins(%0) outs(%e) { maximumf }   -> tensor<1024xf32>
    ```

    becomes one `linalg.generic` whose body computes `addf` then `maximumf`,
    with the remark `fused 2 ops (...): saves 8192 bytes, ... J -> ... J`.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::tensor::TensorDialect", "mlir::tosa::TosaDialect",
    "mlir::green::GreenDialect"
  ];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "Target description name or .json path (default: the module's "
           "green.target, else host)">,
    ListOption<"targetDirs", "target-dir", "std::string",
               "Extra directories to search for <target>.json">,
    Option<"objective", "objective", "mlir::green::FusionObjective",
           /*default=*/"mlir::green::FusionObjective::Energy",
           "What a fusion must lower to be taken",
           [{::llvm::cl::values(
             clEnumValN(mlir::green::FusionObjective::Energy, "energy",
                        "Estimated joules"),
             clEnumValN(mlir::green::FusionObjective::Latency, "latency",
                        "Estimated seconds"),
             clEnumValN(mlir::green::FusionObjective::EDP, "edp",
                        "Energy-delay product"))}]>,
    Option<"allowDuplication", "allow-duplication", "bool",
           /*default=*/"false",
           "Consider fusing producers with several users by duplicating "
           "them (taken only when the model says it pays)">,
    Option<"fuseElementwise", "elementwise", "bool", /*default=*/"true",
           "Fuse element-wise chains">,
    Option<"markEpilogues", "epilogues", "bool", /*default=*/"true",
           "Mark contraction/convolution epilogue groups">,
    Option<"foldConstants", "fold-constants", "bool", /*default=*/"true",
           "Fold constant transposes and batch norms into convolutions">,
    Option<"markRows", "rows", "bool", /*default=*/"true",
           "Mark row groups: reductions along rows with their element-wise "
           "producers and consumers (softmax, layer norm), for "
           "green-cpu-tile-and-vectorize to fuse into one loop over row "
           "tiles">,
    Option<"report", "report", "std::string", /*default=*/"\"\"",
           "File to append a JSON line per function with the fusion "
           "groups to (empty: no report)">,
    Option<"emitRemarks", "remarks", "bool", /*default=*/"true",
           "Emit a remark per group formed and per candidate rejected "
           "(--green-lower-cpu passes its own `remarks` option)">,
  ];
  let statistics = [
    Statistic<"numGroups", "num-groups", "Fusion groups formed">,
    Statistic<"numFused", "num-fused-edges",
              "Producer -> consumer edges fused">,
    Statistic<"numRejected", "num-rejected", "Candidates not fused">,
    Statistic<"numConstantFolds", "num-ops-folded-away",
              "Ops removed by constant folding (transposes, batch norms and "
              "the constants they replaced)">,
  ];
}

def PruneChannelsPass : Pass<"green-prune", "mlir::ModuleOp"> {
  let summary = "Remove whole output channels of TOSA layers with constant "
                "weights";
  let description = [{
    Structured pruning on tensor-level TOSA as importers produce it. The
    pass removes whole output channels (neurons of a `tosa.matmul` with a
    constant `[B, K, N]` weight, filters of a `tosa.conv2d` with constant
    OHWI weights) and shrinks every tensor that carries them physically, so
    that the pruned model does less work and holds fewer parameters.

    **Dependency groups.** Removing channel `c` of a layer is only correct
    if everything that sees channel `c` drops it too. The pass builds one
    group per connected channel space, starting from each producer's output
    channel dimension and following uses and definitions:

    * element-wise TOSA ops (`add`, `sub`, `mul`, `maximum`, `clamp`,
      `sigmoid`, `tanh`, ...) pass the channels through. A constant operand
      that is broadcast along the channel dimension is left alone; one that
      holds a value per channel (bias, batch-norm scale/shift) is pruned
      too. A non-constant operand with a value per channel (a residual
      `add`) joins the group, so every branch into the add, and the layers
      producing them, prune the same channels;
    * `tosa.transpose` moves the channel dimension; `tosa.max_pool2d`,
      `tosa.avg_pool2d` and reductions over other axes keep it in place;
    * `tosa.reshape` follows the channel through the linear layout: after a
      flatten a channel owns a strided or blocked set of features (NHWC
      flatten: features `c, C+c, ...`; NCHW flatten: a block of `H*W`);
      a reshape that splits a channel across dimensions stops the group;
    * consumers end the group: a `tosa.matmul` whose LHS carries the
      channels on its K dimension loses the matching rows of its constant
      weight, a `tosa.conv2d` loses weight input channels (dim 3 of OHWI);
    * `tosa.concat` along the channel axis: each operand's group keeps its
      own channels at its offset in the concatenated axis, so a consumer
      after the concat loses the rows of every operand group's removed
      channels (groups are cut together, each in the original layout);
    * `tosa.slice` along the channel axis (grouped convs are imported as
      channel slices, one conv each, and a concat): the slice keeps its
      share of the group and its bounds follow the cut; if a slice would
      keep none of the group's channels the group stays whole;
    * a `tosa.depthwise_conv2d` prunes its weight `[KH, KW, C, M]` and bias
      and carries the group on to its output (channel `c` owns outputs
      `c*M .. c*M+M-1`).

    * multi-head attention (Q, K, V projections whose features a
      `tosa.reshape` splits into `[heads, head size]`, transposes, batched
      `tosa.matmul`s, softmax, the output projection): when the
      per-feature group stops at such a reshape the pass retries with one
      channel per head (a block of head-size features of each projection);
      a batched `tosa.matmul` whose batch dimension carries the heads
      (`Q x K^T`, `P x V`) passes them to both operands and its result,
      so Q, K and V lose the same heads' columns, every `[heads, ...]`
      tensor loses those heads and the output projection the matching
      rows. A fused QKV projection (torch's `MultiheadAttention` as
      exported to ONNX: one matmul sliced into Q, K and V) works the same
      way: head `h` owns its block in each of Q, K and V (feature `f`
      belongs to head `(f / head size) % heads`), and slices of whole
      periods keep that layout. The report marks such groups with
      `features_per_channel`.

    Anything else that sees the channels (an op with unknown channel
    semantics, a function result or argument, a non-constant or non-f32
    weight, a value concatenated with itself, a reshape that splits a
    channel) keeps the whole group intact,
    with a remark on the group's producer naming the op: the pass never
    produces a different result for the kept channels.

    **Invariant.** The pruned model computes exactly what the original
    computes with the removed channels zeroed on the producer side
    (weights, biases, batch-norm shift, depthwise bias). For this every
    consumer must read zeros on removed channels in that reference, so the
    pass tracks zeros through the group: ReLU/clamp around 0, tanh, abs,
    per-channel constants, transposes, reshapes, pooling keep them, a
    product with anything keeps them (SiLU `x * sigmoid(x)` passes), while
    `sigmoid`, `exp` or adding a broadcast non-zero constant before a
    consumer keep the group intact with a remark. The execution test
    test/Execution/prune_exec.py checks this on an MLP, a CNN with
    batch-norm, depthwise conv, residual add and NCHW flatten into a
    linear layer, a channel concat with an NHWC flatten, and imported
    ONNX CNNs (one with batch-norm and max-pool, one with a grouped conv).

    **Importance** of a channel is the L1 (default) or L2 norm of its
    producers' weights (and a `tosa.conv2d`'s own bias operand), summed
    over every producer of the group. With `gradients=<dir>` the importance
    is first-order Taylor, `sum |w * dL/dw|` over the same weights: the
    directory holds one float32 `.npy` file per producer named after the
    layer (its location, characters other than letters, digits, `.`, `-`
    and `_` replaced by `_`), shaped like the weight constant as it appears
    in the IR (OHWI for `tosa.conv2d`, `[1, K, N]` for `tosa.matmul`), and
    optionally `<layer>.bias.npy` for a conv's bias; a missing or
    mis-shaped weight gradient is an error.

    **Targets.** `ratio`: the `(1 - ratio)` most important channels of each
    group are kept (at least one, ties to the lower index). `layers`
    restricts pruning to groups with a producer of that name (the op's
    location, e.g. the ONNX node name). `layer-ratios=fc1:0.5,fc2:0.3`
    gives groups with those producers their own ratio (a group with
    several named producers takes the largest); other groups are pruned at
    `ratio` (restricted by `layers`) only when `ratio` or `layers` is
    given, else left whole. A layer name that is no producer, a ratio
    outside [0, 1) or a malformed entry is an error. With `energy-target`
    the pass allocates the cuts itself: a channel's key is its importance
    relative to its group's mean (its sensitivity; first-order Taylor when
    `gradients` is given), times `C / (C - r)` for the `r`-th channel cut
    from a group of `C` (a layer grows more sensitive as it thins), divided
    by the group's estimated energy per channel (energy of its producers,
    consumers and per-channel ops, from the cost model, relative to the
    mean over groups); the pass bisects on a threshold of that key,
    pruning clones,
    for the smallest cut whose estimated energy is at or below that
    fraction of the original. Costly layers with unimportant channels are
    cut first, cheap layers and important channels last.

    The report (`report=<file>`, `-` for standard output) is JSON, schema
    `green-prune-report/1`: per group the producers, channels kept out of
    total and their indices; per weighted layer channels kept, MACs,
    parameters and estimated energy before and after; the module's
    estimated energy before and after. Every
    pruned group also gets a remark on its producers.

    Example (`ratio=0.5` on an MLP, weights elided):

    ```mlir
    // before
    %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x4x8xf32>, tensor<1x8x4xf32>, ...) -> tensor<1x4x4xf32>
    %b = tosa.add %h, %bias : (tensor<1x4x4xf32>, tensor<1x1x4xf32>) -> tensor<1x4x4xf32>
    %r = tosa.clamp %b {...} : (tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
    %y = tosa.matmul %r, %w2, %zp, %zp : (tensor<1x4x4xf32>, tensor<1x4x3xf32>, ...) -> tensor<1x4x3xf32>
    // after: 2 of 4 hidden neurons left
    %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x4x8xf32>, tensor<1x8x2xf32>, ...) -> tensor<1x4x2xf32>
    %b = tosa.add %h, %bias : (tensor<1x4x2xf32>, tensor<1x1x2xf32>) -> tensor<1x4x2xf32>
    %r = tosa.clamp %b {...} : (tensor<1x4x2xf32>) -> tensor<1x4x2xf32>
    %y = tosa.matmul %r, %w2, %zp, %zp : (tensor<1x4x2xf32>, tensor<1x2x3xf32>, ...) -> tensor<1x4x3xf32>
    ```

    **N:M and unstructured sparsity.** `mode=n-m` (default 2:4) keeps, in
    every block of `m` consecutive weights along the reduction dimension
    (K of a `tosa.matmul` weight `[1, K, N]`, input channels of a
    `tosa.conv2d` OHWI weight), the `n` most important ones (|w|, or
    |w * dL/dw| with `gradients`) and zeroes the rest; the weight constant
    gets `green.sparsity = #green.nm_sparsity<n = 2, m = 4, axis = ...>`,
    which a target with N:M sparse units can compress (values plus 2-bit
    positions per block) and which the dialect verifier checks. Layers
    whose reduction dimension is not a multiple of `m`, depthwise convs and
    non-constant weights stay dense, with a remark. `mode=unstructured`
    zeroes, per layer, the `ratio` (or `layer-ratios`) fraction of its
    weights with the smallest importance and marks the constant with
    `#green.unstructured_sparsity<nonzeros = ..., total = ...>`. Shapes do
    not change in either mode and the CPU back end runs the weights dense:
    the report says, per layer, how many weights are non-zero, the MACs a
    sparsity-exploiting target would still do, and that the CPU back end
    gets no speed-up from it (its energy estimate is unchanged). Biases
    stay dense.

    Rationale: pruning works on TOSA rather than linalg because importers
    emit it with constant weights and named layers, and channel semantics
    of TOSA ops are explicit; element-wise ops are recognized through the
    `TosaElementwiseOperator` trait, everything else must be listed.
  }];
  let options = [
    Option<"ratio", "ratio", "double", /*default=*/"0.5",
           "Fraction of each group's channels to remove, in [0, 1)">,
    Option<"importance", "importance", "mlir::green::PruneImportance",
           /*default=*/"mlir::green::PruneImportance::L1",
           "Channel importance measure",
           [{::llvm::cl::values(
             clEnumValN(mlir::green::PruneImportance::L1, "l1",
                        "Sum of absolute weights"),
             clEnumValN(mlir::green::PruneImportance::L2, "l2",
                        "Euclidean norm of the weights"))}]>,
    ListOption<"layers", "layers", "std::string",
               "Prune only groups with a producer of one of these names "
               "(op locations); default: all">,
    ListOption<"layerRatios", "layer-ratios", "std::string",
               "Per-layer ratios, <layer>:<ratio> (e.g. fc1:0.5,fc2:0.3); "
               "other groups follow ratio/layers only if those are given">,
    Option<"gradients", "gradients", "std::string", /*default=*/"\"\"",
           "Directory of dL/dw files (<layer>.npy, optional "
           "<layer>.bias.npy) for first-order Taylor importance |w * dL/dw|">,
    Option<"mode", "mode", "mlir::green::PruneMode",
           /*default=*/"mlir::green::PruneMode::Channels",
           "What to remove",
           [{::llvm::cl::values(
             clEnumValN(mlir::green::PruneMode::Channels, "channels",
                        "Whole channels; shapes shrink (default)"),
             clEnumValN(mlir::green::PruneMode::NM, "n-m",
                        "N:M semi-structured sparsity of the weights"),
             clEnumValN(mlir::green::PruneMode::Unstructured, "unstructured",
                        "Single weights by magnitude (no CPU speed-up)"))}]>,
    Option<"n", "n", "int64_t", /*default=*/"2",
           "mode=n-m: non-zeros kept per block">,
    Option<"m", "m", "int64_t", /*default=*/"4",
           "mode=n-m: block length along the reduction dimension">,
    Option<"energyTarget", "energy-target", "double", /*default=*/"0",
           "Prune until the estimated energy is at most this fraction of "
           "the original (0: off; overrides ratio)">,
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "Target description for energy estimates (default: the module's "
           "green.target, else host)">,
    Option<"report", "report", "std::string", /*default=*/"\"\"",
           "File to write the JSON report to ('-' for standard output, "
           "empty: none)">,
  ];
  let statistics = [
    Statistic<"numGroups", "groups", "Channel dependency groups found">,
    Statistic<"numPrunedGroups", "pruned-groups", "Groups pruned">,
    Statistic<"numIntactGroups", "intact-groups",
              "Groups left intact (unknown channel semantics)">,
    Statistic<"numChannelsRemoved", "channels-removed", "Channels removed">,
  ];
  let dependentDialects = ["mlir::tosa::TosaDialect",
                           "mlir::green::GreenDialect"];
}

#endif // GREEN_TRANSFORMS_PASSES_TD

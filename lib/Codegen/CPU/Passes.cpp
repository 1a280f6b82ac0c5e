//===- Passes.cpp - the green-lower-cpu pipeline --------------------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "green/Codegen/CPU/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::green;

static StringRef stringifyObjective(cpu::Objective objective) {
  switch (objective) {
  case cpu::Objective::Energy:
    return "energy";
  case cpu::Objective::Latency:
    return "latency";
  case cpu::Objective::EDP:
    return "edp";
  }
  return "energy";
}

void mlir::green::buildLowerCPUPassPipeline(
    OpPassManager &pm, const LowerCPUPipelineOptions &options) {
  // The upstream steps, in textual form: each is a registered pass, so the
  // pipeline reads like (and can be reproduced with) an mlir-opt command.
  std::string selectOptions = llvm::formatv(
      "objective={0} threads={1} latency-budget={2:e} remarks={3} "
      "pack-b={4}",
      stringifyObjective(options.objective), unsigned(options.threads),
      double(options.latencyBudget), options.remarks ? "true" : "false",
      options.packB ? "true" : "false");
  if (!options.target.empty())
    selectOptions += " target=" + options.target;
  std::string fuseOptions =
      llvm::formatv("objective={0} remarks={1}",
                    stringifyObjective(options.objective),
                    options.remarks ? "true" : "false");
  if (!options.target.empty())
    fuseOptions += " target=" + options.target;
  std::string fuse =
      options.fuse
          ? llvm::formatv("func.func(green-fuse{{{0}}),canonicalize,",
                          fuseOptions)
                .str()
          : std::string();
  std::string vectorizeOptions =
      options.target.empty() ? std::string()
                             : "{target=" + options.target + "}";
  std::string ompThreads =
      options.threads ? llvm::formatv("{num-threads={0}}",
                                      unsigned(options.threads))
                            .str()
                      : std::string();

  // clang-format off
  std::string pipeline = llvm::formatv(
      "green-cpu-verify-input,"
      // Constant folding of green-fuse on TOSA (batch norms into
      // convolutions, transposes of constant weights): its patterns match
      // TOSA ops, so it runs before they are lowered.
      "{6}"
      // TOSA, if any, to linalg/arith/tensor on tensors.
      "tosa-to-linalg-pipeline,"
      "func.func(tosa-to-arith,tosa-to-tensor),"
      // Element-wise arith/math on tensors to linalg.generic (bufferizable).
      "func.func(convert-elementwise-to-linalg),"
      // Aggregated ops (linalg.softmax) to structured ops.
      "func.func(green-cpu-decompose-aggregates),"
      "canonicalize,"
      // Energy-aware fusion of element-wise chains and epilogue groups.
      "{3}"
      // From here on each result gets its own buffer: identical
      // tensor.empty ops would be merged by CSE into one shared init, and
      // one-shot bufferization then spends time quadratic in its users
      // (and copies). alloc_tensor is not merged. After fusion, which
      // treats it as a side effect it must not cross.
      "func.func(empty-tensor-to-alloc-tensor),cse,"
      // Heavy ops: convolutions as im2col + GEMM, then choose by the cost
      // model, apply on tensors.
      "{2}"
      "green-cpu-select-schedule{{{0}},"
      "func.func(green-cpu-tile-and-vectorize{5}),"
      // Element-wise ops: 1-D vectors of the target width, scalar
      // remainders.
      "func.func(green-cpu-vectorize-elementwise{4}),"
      "func.func(empty-tensor-to-alloc-tensor),"
      "canonicalize,cse,"
      // Tensors to buffers; results come back as new allocations.
      "func.func(llvm-request-c-wrappers),"
      "one-shot-bufferize{{bufferize-function-boundaries "
      "function-boundary-type-conversion=identity-layout-map},"
      "canonicalize,cse,"
      "buffer-deallocation-pipeline,"
      "convert-bufferization-to-memref,"
      // Vectors to 1-D FMAs, everything else to loops; threads via OpenMP.
      "func.func(green-cpu-lower-vectors),"
      "convert-linalg-to-loops,"
      "scf-forall-to-parallel,"
      "convert-scf-to-openmp{1},"
      "convert-vector-to-scf{{full-unroll=true target-rank=1},"
      "canonicalize,"
      // To LLVM.
      "lower-affine,convert-scf-to-cf,"
      "convert-vector-to-llvm,"
      "expand-strided-metadata,lower-affine,finalize-memref-to-llvm,"
      "convert-math-to-llvm,convert-math-to-libm,"
      "convert-arith-to-llvm,convert-ub-to-llvm,convert-index-to-llvm,"
      "convert-func-to-llvm,convert-cf-to-llvm,convert-openmp-to-llvm,"
      "reconcile-unrealized-casts",
      selectOptions, ompThreads,
      options.convToGemm ? "func.func(green-cpu-conv-to-gemm),canonicalize,"
                         : "",
      fuse, vectorizeOptions,
      llvm::formatv("{{fuse-epilogues={0} remarks={1}{2}}",
                    options.fuseEpilogues ? "true" : "false",
                    options.remarks ? "true" : "false",
                    options.target.empty()
                        ? std::string()
                        : " target=" + options.target.getValue())
          .str(),
      options.fuse ? llvm::formatv("func.func(green-fuse{{{0} elementwise=false "
                                   "epilogues=false rows=false}),",
                                   fuseOptions)
                         .str()
                   : std::string());
  // clang-format on
  std::string error;
  llvm::raw_string_ostream os(error);
  if (failed(parsePassPipeline(pipeline, pm, os)))
    llvm::report_fatal_error(llvm::Twine("green-lower-cpu: ") + error);
}

void mlir::green::registerLowerCPUPipelines() {
  PassPipelineRegistration<LowerCPUPipelineOptions>(
      "green-lower-cpu",
      "Lower TOSA or linalg on tensors to LLVM dialect IR for the CPU, with "
      "schedules chosen by the energy cost model",
      buildLowerCPUPassPipeline);
}

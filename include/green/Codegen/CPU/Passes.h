//===- Passes.h - green's CPU backend passes and pipeline -------*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The CPU backend: `--green-lower-cpu` takes TOSA or linalg on tensors and
// produces LLVM dialect IR with C-callable `_mlir_ciface_` wrappers. The
// schedule of heavy ops is chosen by the energy cost model
// (`green-cpu-select-schedule`) and applied on tensors
// (`green-cpu-tile-and-vectorize`).
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_CODEGEN_CPU_PASSES_H
#define GREEN_CODEGEN_CPU_PASSES_H

#include "green/Codegen/CPU/ScheduleSelection.h"
#include "green/Dialect/Green/IR/GreenDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir::green {

#define GEN_PASS_DECL
#include "green/Codegen/CPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "green/Codegen/CPU/Passes.h.inc"

/// Options of the `green-lower-cpu` pipeline.
struct LowerCPUPipelineOptions
    : public PassPipelineOptions<LowerCPUPipelineOptions> {
  Option<std::string> target{
      *this, "target",
      llvm::cl::desc("Target description name or .json path (default: the "
                     "module's green.target, else host)"),
      llvm::cl::init("")};
  Option<cpu::Objective> objective{
      *this, "objective", llvm::cl::desc("What schedules minimize"),
      llvm::cl::init(cpu::Objective::Energy),
      llvm::cl::values(
          clEnumValN(cpu::Objective::Energy, "energy", "Joules per call"),
          clEnumValN(cpu::Objective::Latency, "latency", "Seconds per call"),
          clEnumValN(cpu::Objective::EDP, "edp",
                     "Energy-delay product (J x s)"))};
  Option<unsigned> threads{
      *this, "threads",
      llvm::cl::desc("Most threads a heavy op may use (0: all units of the "
                     "target)"),
      llvm::cl::init(0)};
  Option<double> latencyBudget{
      *this, "latency-budget",
      llvm::cl::desc("Latency budget per heavy op in seconds (0: none)"),
      llvm::cl::init(0)};
  Option<bool> fuse{
      *this, "fuse",
      llvm::cl::desc("Run energy-aware fusion (green-fuse) before schedule "
                     "selection"),
      llvm::cl::init(true)};
  Option<bool> convToGemm{
      *this, "conv-to-gemm",
      llvm::cl::desc("Rewrite 2-D convolutions as im2col + GEMM so they are "
                     "scheduled (false: lower them to loops)"),
      llvm::cl::init(true)};
  Option<bool> packB{
      *this, "pack-b",
      llvm::cl::desc("Also consider schedules that pack B panels (false: "
                     "keep B in place)"),
      llvm::cl::init(true)};
  Option<bool> remarks{
      *this, "remarks",
      llvm::cl::desc("Explain each schedule and fusion choice with a remark"),
      llvm::cl::init(false)};
  Option<bool> fuseEpilogues{
      *this, "fuse-epilogues",
      llvm::cl::desc("Tile-fuse the epilogue groups green-fuse forms into "
                     "the tiles of their contraction (with fuse=true)"),
      llvm::cl::init(true)};
};

/// Adds the CPU lowering to `pm` (anchored on builtin.module): input check,
/// TOSA to linalg, schedule selection, tiling and vectorization on tensors,
/// one-shot bufferization with identity-layout function boundaries, buffer
/// deallocation, OpenMP for parallel tiles, and the conversion to LLVM.
void buildLowerCPUPassPipeline(OpPassManager &pm,
                               const LowerCPUPipelineOptions &options);

/// Registers `green-lower-cpu`.
void registerLowerCPUPipelines();

} // namespace mlir::green

#endif // GREEN_CODEGEN_CPU_PASSES_H

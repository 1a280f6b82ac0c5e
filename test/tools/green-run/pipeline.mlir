// The default pipeline is green-lower-cpu once it is registered, else
// upstream's plain lowering with tensor results returned as new buffers.
// RUN: green-run %s --print-pipeline | FileCheck %s --check-prefix=DEFAULT
// DEFAULT: builtin.module({{green-lower-cpu\)|.*one-shot-bufferize.bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map}}

// A pipeline given without the builtin.module anchor gets one, and the plain
// lowering spelled out by hand runs and passes.
// RUN: green-run %s --print-pipeline --pipeline "func.func(canonicalize)" | FileCheck %s --check-prefix=GIVEN
// GIVEN: func.func(canonicalize)
// RUN: green-run %s --runs 1 --pipeline "func.func(tosa-to-linalg),one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},buffer-deallocation-pipeline,convert-bufferization-to-memref,convert-linalg-to-loops,convert-scf-to-cf,expand-strided-metadata,finalize-memref-to-llvm,convert-math-to-llvm,convert-arith-to-llvm,convert-func-to-llvm,convert-cf-to-llvm,reconcile-unrealized-casts" \
// RUN:   2>&1 | FileCheck %s --check-prefix=PLAIN
// PLAIN-NOT: error
// PLAIN: @abs from
// PLAIN: status: unchecked

func.func @abs(%a: tensor<16xf32>) -> tensor<16xf32> {
  %n = tosa.abs %a : (tensor<16xf32>) -> tensor<16xf32>
  return %n : tensor<16xf32>
}

// Input the pipeline rejects, and bad pipeline options.
// RUN: not green-opt %s --split-input-file --allow-unregistered-dialect --green-lower-cpu 2>&1 | FileCheck %s
// RUN: not green-opt %s --split-input-file --allow-unregistered-dialect --green-lower-cpu="objective=fastest" 2>&1 | FileCheck %s --check-prefix=OBJECTIVE
// RUN: not green-opt %s --split-input-file --allow-unregistered-dialect --green-lower-cpu="threads=-2" 2>&1 | FileCheck %s --check-prefix=THREADS
// RUN: not green-opt %s --split-input-file --allow-unregistered-dialect --green-lower-cpu="target=tpu-like" 2>&1 | FileCheck %s --check-prefix=TARGET

// OBJECTIVE: Cannot find option named 'fastest'
// THREADS: for the --threads option: '-2' value invalid for uint argument

// An op the backend cannot lower is reported at its location, naming it.
// CHECK: lower-cpu-invalid.mlir:[[@LINE+2]]:8: error: 'foo.softmax' op is not supported by the CPU backend: dialect 'foo' is not accepted
func.func @unsupported(%a: tensor<4xf32>) -> tensor<4xf32> {
  %r = "foo.softmax"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// A target that is not a CPU.
// TARGET: error: green-cpu-select-schedule: target 'tpu-like' is not a CPU
func.func @gemm(%a: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %r = linalg.matmul ins(%a, %a : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}

// Schedules green-cpu-tile-and-vectorize cannot apply.
// RUN: green-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(green-cpu-tile-and-vectorize))" --verify-diagnostics

// A schedule whose rank does not match the op.
func.func @rank(%a: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{'linalg.matmul' op has a green.cpu_schedule of rank 2 but 3 static loops are needed}}
  %r = linalg.matmul {green.cpu_schedule = #green.cpu_schedule<tile = [8, 8], register_tile = [4, 4], parallel_dim = -1, threads = 1, operating_point = 0>}
         ins(%a, %a : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}

// -----

// A register tile larger than the loop.
func.func @too_big(%a: tensor<2x8xf32>, %b: tensor<8x8xf32>, %c: tensor<2x8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'linalg.matmul' op register tile 4 exceeds extent 2 of loop 0}}
  %r = linalg.matmul {green.cpu_schedule = #green.cpu_schedule<tile = [4, 8, 8], register_tile = [4, 8, 4], parallel_dim = -1, threads = 1, operating_point = 0>}
         ins(%a, %b : tensor<2x8xf32>, tensor<8x8xf32>) outs(%c : tensor<2x8xf32>) -> tensor<2x8xf32>
  return %r : tensor<2x8xf32>
}

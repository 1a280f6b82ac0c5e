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

// -----

// pack_b on a batch matmul (B has a batch dimension).
func.func @pack_batch(%a: tensor<2x8x8xf32>, %c: tensor<2x8x8xf32>) -> tensor<2x8x8xf32> {
  // expected-error @+1 {{'linalg.batch_matmul' op has pack_b = true but is not a contraction without batch dimensions whose B is indexed (k, n)}}
  %r = linalg.batch_matmul {green.cpu_schedule = #green.cpu_schedule<tile = [1, 8, 8, 8], register_tile = [1, 4, 8, 4], parallel_dim = -1, threads = 1, operating_point = 0, pack_b = true>}
         ins(%a, %a : tensor<2x8x8xf32>, tensor<2x8x8xf32>) outs(%c : tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
  return %r : tensor<2x8x8xf32>
}

// -----

// pack_b with B indexed (n, k) (matmul_transpose_b-like generic).
#mA = affine_map<(m, n, k) -> (m, k)>
#mB = affine_map<(m, n, k) -> (n, k)>
#mC = affine_map<(m, n, k) -> (m, n)>
func.func @pack_transposed(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{'linalg.generic' op has pack_b = true but is not a contraction without batch dimensions whose B is indexed (k, n)}}
  %r = linalg.generic {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"], green.cpu_schedule = #green.cpu_schedule<tile = [8, 8, 8], register_tile = [4, 8, 4], parallel_dim = -1, threads = 1, operating_point = 0, pack_b = true>}
         ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %z, %p : f32
    linalg.yield %s : f32
  } -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}

// -----

// pack_b without a register tile over n.
func.func @pack_no_n_tile(%a: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{'linalg.matmul' op has pack_b = true but no register tile over n}}
  %r = linalg.matmul {green.cpu_schedule = #green.cpu_schedule<tile = [8, 8, 8], register_tile = [4, 0, 4], parallel_dim = -1, threads = 1, operating_point = 0, pack_b = true>}
         ins(%a, %a : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}

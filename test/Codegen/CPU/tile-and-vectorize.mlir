// Applying #green.cpu_schedule on tensors.
// RUN: green-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(green-cpu-tile-and-vectorize))" | FileCheck %s

// Odd shapes: the n and k remainders (33 = 32 + 1, 257 = 256 + 1) are split
// off as plain matmuls; the main part keeps its 7x32 accumulator in
// registers across both k loops and is one vector.contract per step.
// CHECK-LABEL: func.func @odd
// CHECK: %[[ACC:.+]] = vector.transfer_read {{.*}} vector<7x32xf32>
// CHECK: scf.for {{.*}} iter_args({{.*}} = %[[ACC]]) -> (vector<7x32xf32>)
// CHECK: scf.for {{.*}} -> (vector<7x32xf32>)
// CHECK: vector.contract {{.*}} : vector<7x4xf32>, vector<4x32xf32> into vector<7x32xf32>
// CHECK: linalg.matmul {{.*}} tensor<7x1xf32>, tensor<1x32xf32>
// CHECK: linalg.matmul {{.*}} tensor<7x257xf32>, tensor<257x1xf32>
// CHECK-NOT: green.cpu_schedule
func.func @odd(%a: tensor<7x257xf32>, %b: tensor<257x33xf32>, %c: tensor<7x33xf32>) -> tensor<7x33xf32> {
  %r = linalg.matmul {green.cpu_schedule = #green.cpu_schedule<tile = [7, 32, 64], register_tile = [7, 32, 4], parallel_dim = -1, threads = 1, operating_point = 2>}
         ins(%a, %b : tensor<7x257xf32>, tensor<257x33xf32>) outs(%c : tensor<7x33xf32>) -> tensor<7x33xf32>
  return %r : tensor<7x33xf32>
}

// -----

// Two threads: the parallel dimension becomes an scf.forall over cache
// tiles of m.
// CHECK-LABEL: func.func @parallel
// CHECK: scf.forall ({{.*}}) = (0) to (128) step (64)
// CHECK: vector.contract {{.*}} : vector<4x4xf32>, vector<4x16xf32> into vector<4x16xf32>
// CHECK: scf.forall.in_parallel
func.func @parallel(%a: tensor<128x64xf32>, %b: tensor<64x64xf32>, %c: tensor<128x64xf32>) -> tensor<128x64xf32> {
  %r = linalg.matmul {green.cpu_schedule = #green.cpu_schedule<tile = [64, 64, 8], register_tile = [4, 16, 4], parallel_dim = 0, threads = 2, operating_point = 2>}
         ins(%a, %b : tensor<128x64xf32>, tensor<64x64xf32>) outs(%c : tensor<128x64xf32>) -> tensor<128x64xf32>
  return %r : tensor<128x64xf32>
}

// -----

// Ops without a schedule are left alone.
// CHECK-LABEL: func.func @negative_unscheduled
// CHECK-NOT: vector.contract
// CHECK: linalg.matmul
func.func @negative_unscheduled(%a: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %r = linalg.matmul ins(%a, %a : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}

// Applying #green.cpu_schedule on tensors.
// RUN: green-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(green-cpu-tile-and-vectorize))" | FileCheck %s

// Odd shapes: the n and k remainders (33 = 32 + 1, 257 = 256 + 1) are split
// off and vectorized with register tiles that fit them; the main part keeps
// its 7x32 accumulator in registers across both k loops and is one
// vector.contract per step.
// CHECK-LABEL: func.func @odd
// CHECK: %[[ACC:.+]] = vector.transfer_read {{.*}} vector<7x32xf32>
// CHECK: scf.for {{.*}} iter_args({{.*}} = %[[ACC]]) -> (vector<7x32xf32>)
// CHECK: scf.for {{.*}} -> (vector<7x32xf32>)
// CHECK: vector.contract {{.*}} : vector<7x4xf32>, vector<4x32xf32> into vector<7x32xf32>
// CHECK: vector.contract {{.*}} : vector<7x1xf32>, vector<1x32xf32> into vector<7x32xf32>
// CHECK: scf.for {{.*}} -> (vector<7x1xf32>)
// CHECK: vector.contract {{.*}} : vector<7x4xf32>, vector<4x1xf32> into vector<7x1xf32>
// CHECK: vector.contract {{.*}} : vector<7x1xf32>, vector<1x1xf32> into vector<7x1xf32>
// CHECK-NOT: green.cpu_schedule
// CHECK-NOT: linalg.matmul
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

// Packed B: the cache loops run n, k, m; each 32x64 panel of B is copied
// into a 2x32x32 ([nc/nr][kc][nr]) tensor above the m loop, and the
// register tiles read their 4x32 B tile from it (panel index j / 32).
// CHECK-LABEL: func.func @packed
// CHECK: scf.for %[[J:.+]] = %{{.+}} to %{{.+}} step %c64
// CHECK: scf.for %[[K:.+]] = %{{.+}} to %{{.+}} step %c32
// CHECK: %[[PANEL:.+]] = tensor.extract_slice %{{.+}}[%[[K]], %[[J]]] [32, 64] [1, 1] : tensor<128x128xf32> to tensor<32x64xf32>
// CHECK: %[[EXP:.+]] = tensor.expand_shape %[[PANEL]] {{\[\[}}0], [1, 2]] output_shape [32, 2, 32]
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<2x32x32xf32>
// CHECK: %[[PACKED:.+]] = linalg.transpose ins(%[[EXP]] : tensor<32x2x32xf32>) outs(%[[EMPTY]] : tensor<2x32x32xf32>) permutation = [1, 0, 2]
// CHECK: scf.for {{.*}} step %c32
// CHECK: %[[ACC:.+]] = vector.transfer_read {{.*}} vector<8x32xf32>
// CHECK: scf.for {{.*}} iter_args({{.*}} = %[[ACC]]) -> (vector<8x32xf32>)
// CHECK: vector.transfer_read %[[PACKED]][{{.*}}]{{.*}} : tensor<2x32x32xf32>, vector<4x32xf32>
// CHECK: vector.contract {{.*}} : vector<8x4xf32>, vector<4x32xf32> into vector<8x32xf32>
func.func @packed(%a: tensor<64x128xf32>, %b: tensor<128x128xf32>, %c: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %r = linalg.matmul {green.cpu_schedule = #green.cpu_schedule<tile = [32, 64, 32], register_tile = [8, 32, 4], parallel_dim = -1, threads = 1, operating_point = 2, pack_b = true>}
         ins(%a, %b : tensor<64x128xf32>, tensor<128x128xf32>) outs(%c : tensor<64x128xf32>) -> tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}

// -----

// Packed B with remainders and two threads: n 33 = 32 + 1 and k 13 = 12 + 1
// are split off and vectorized unpacked (each remainder its own forall);
// inside each thread's m tile the main panel is packed per (n, k) tile.
// CHECK-LABEL: func.func @packed_odd_parallel
// CHECK: scf.forall
// CHECK: linalg.transpose ins({{.*}} : tensor<12x1x32xf32>) outs({{.*}} : tensor<1x12x32xf32>) permutation = [1, 0, 2]
// CHECK: vector.contract {{.*}} : vector<4x4xf32>, vector<4x32xf32> into vector<4x32xf32>
// CHECK: scf.forall.in_parallel
// CHECK: scf.forall
// CHECK: vector.contract {{.*}} : vector<4x1xf32>, vector<1x32xf32> into vector<4x32xf32>
// CHECK: scf.forall
// CHECK: vector.contract {{.*}} : vector<4x4xf32>, vector<4x1xf32> into vector<4x1xf32>
// CHECK: scf.forall
// CHECK: vector.contract {{.*}} : vector<4x1xf32>, vector<1x1xf32> into vector<4x1xf32>
// CHECK-NOT: linalg.matmul
func.func @packed_odd_parallel(%a: tensor<16x13xf32>, %b: tensor<13x33xf32>, %c: tensor<16x33xf32>) -> tensor<16x33xf32> {
  %r = linalg.matmul {green.cpu_schedule = #green.cpu_schedule<tile = [8, 32, 12], register_tile = [4, 32, 4], parallel_dim = 0, threads = 2, operating_point = 2, pack_b = true>}
         ins(%a, %b : tensor<16x13xf32>, tensor<13x33xf32>) outs(%c : tensor<16x33xf32>) -> tensor<16x33xf32>
  return %r : tensor<16x33xf32>
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

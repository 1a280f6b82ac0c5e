// Tiling and vectorizing element-wise linalg.generic ops on tensors.
// RUN: green-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(green-cpu-vectorize-elementwise{vector-bits=256 approximate-math=false}))" | FileCheck %s
// RUN: green-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(green-cpu-vectorize-elementwise{vector-bits=512 approximate-math=false}))" | FileCheck %s --check-prefix=AVX512
// RUN: green-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(green-cpu-vectorize-elementwise{vector-bits=256}))" | FileCheck %s --check-prefix=APPROX

// 7x33 with row and column broadcasts: columns 0-31 as vector<32xf32>
// (4 x 8 lanes at 256 bits, 2 x 16 at 512), one row per step; column 32 is
// split off and stays a scalar generic.
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
#col = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @odd
// CHECK: scf.for {{.*}} -> (tensor<7x32xf32>)
// CHECK-DAG: vector.transfer_read {{.*}} : tensor<7x33xf32>, vector<32xf32>
// CHECK-DAG: vector.transfer_read {{.*}} : tensor<33xf32>, vector<32xf32>
// CHECK-DAG: vector.broadcast {{.*}} to vector<32xf32>
// CHECK: arith.addf {{.*}} : vector<32xf32>
// CHECK: arith.mulf {{.*}} : vector<32xf32>
// CHECK: math.tanh {{.*}} : vector<32xf32>
// CHECK: vector.transfer_write {{.*}} : vector<32xf32>
// CHECK: linalg.generic {{.*}} outs({{.*}} : tensor<7x1xf32>)
// AVX512-LABEL: func.func @odd
// AVX512: math.tanh {{.*}} : vector<32xf32>
// AVX512: linalg.generic {{.*}} outs({{.*}} : tensor<7x1xf32>)
// Vector tanh becomes a polynomial; the scalar remainder keeps math.tanh.
// APPROX-LABEL: func.func @odd
// APPROX-NOT: math.tanh {{.*}} : vector
// APPROX: arith.divf {{.*}} : vector<32xf32>
// APPROX: math.tanh {{.*}} : f32
func.func @odd(%x: tensor<7x33xf32>, %b: tensor<33xf32>, %c: tensor<7xf32>) -> tensor<7x33xf32> {
  %e = tensor.empty() : tensor<7x33xf32>
  %r = linalg.generic {indexing_maps = [#id, #row, #col, #id], iterator_types = ["parallel", "parallel"]}
    ins(%x, %b, %c : tensor<7x33xf32>, tensor<33xf32>, tensor<7xf32>) outs(%e : tensor<7x33xf32>) {
  ^bb0(%a: f32, %bb: f32, %cc: f32, %o: f32):
    %s = arith.addf %a, %bb : f32
    %m = arith.mulf %s, %cc : f32
    %t = math.tanh %m : f32
    linalg.yield %t : f32
  } -> tensor<7x33xf32>
  return %r : tensor<7x33xf32>
}

// -----

// 257 = 256 + 1 in one dimension: an scf.for over the main part, then the
// scalar remainder. At 512 bits, 4 x 16 lanes per step.
#id1 = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @exp257
// CHECK: scf.for
// CHECK: math.exp {{.*}} : vector<32xf32>
// CHECK: linalg.generic {{.*}} outs({{.*}} : tensor<1xf32>)
// AVX512-LABEL: func.func @exp257
// AVX512: math.exp {{.*}} : vector<64xf32>
// AVX512: linalg.generic {{.*}} outs({{.*}} : tensor<1xf32>)
// APPROX-LABEL: func.func @exp257
// APPROX-NOT: math.exp {{.*}} : vector
// APPROX: math.exp {{.*}} : f32
func.func @exp257(%x: tensor<257xf32>) -> tensor<257xf32> {
  %e = tensor.empty() : tensor<257xf32>
  %r = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
    ins(%x : tensor<257xf32>) outs(%e : tensor<257xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = math.exp %a : f32
    linalg.yield %t : f32
  } -> tensor<257xf32>
  return %r : tensor<257xf32>
}

// -----

// Below one vector (7 < 8 lanes): left alone.
#id1 = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @short
// CHECK-NOT: vector.
// CHECK: linalg.generic {{.*}} outs({{.*}} : tensor<7xf32>)
func.func @short(%x: tensor<7xf32>) -> tensor<7xf32> {
  %e = tensor.empty() : tensor<7xf32>
  %r = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
    ins(%x : tensor<7xf32>) outs(%e : tensor<7xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = arith.negf %a : f32
    linalg.yield %t : f32
  } -> tensor<7xf32>
  return %r : tensor<7xf32>
}

// -----

// Negative: dynamic shapes, outer reductions, transposed inputs (strided along
// the vector) and named contractions are left alone.
#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
#red = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @dynamic
// CHECK-NOT: vector.
// CHECK: linalg.generic
func.func @dynamic(%x: tensor<?x64xf32>, %e: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
    ins(%x : tensor<?x64xf32>) outs(%e : tensor<?x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = arith.negf %a : f32
    linalg.yield %t : f32
  } -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}
// Reduction over the outer loop (innermost loop parallel): left alone.
// CHECK-LABEL: func.func @outer_reduction
// CHECK-NOT: vector.
// CHECK: linalg.generic
func.func @outer_reduction(%x: tensor<64x8xf32>, %e: tensor<8xf32>) -> tensor<8xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>], iterator_types = ["reduction", "parallel"]}
    ins(%x : tensor<64x8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = arith.addf %a, %o : f32
    linalg.yield %t : f32
  } -> tensor<8xf32>
  return %r : tensor<8xf32>
}
// CHECK-LABEL: func.func @transposed
// CHECK-NOT: vector.
// CHECK: linalg.generic
func.func @transposed(%x: tensor<64x64xf32>, %e: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %r = linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]}
    ins(%x : tensor<64x64xf32>) outs(%e : tensor<64x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = arith.negf %a : f32
    linalg.yield %t : f32
  } -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}
// CHECK-LABEL: func.func @matmul
// CHECK-NOT: vector.
// CHECK: linalg.matmul
func.func @matmul(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// -----

// Row sums of 33x257: one row per step, 256 columns as partial sums in a
// vector<32xf32> carried in registers across the column loop, merged by a
// 1x32 linalg.reduce; column 256 split off as a scalar reduction.
// CHECK-LABEL: func.func @row_sum
// CHECK: scf.for {{.*}} -> (tensor<33xf32>)
// CHECK: scf.for {{.*}} -> (tensor<1x32xf32>, vector<32xf32>)
// CHECK: vector.transfer_read {{.*}} : tensor<33x257xf32>, vector<32xf32>
// CHECK: arith.addf {{.*}} : vector<32xf32>
// CHECK: linalg.reduce ins({{.*}} : tensor<1x32xf32>)
// CHECK: linalg.reduce ins({{.*}} : tensor<33x1xf32>)
func.func @row_sum(%a: tensor<33x257xf32>) -> tensor<33xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<33xf32>
  %o = linalg.fill ins(%z : f32) outs(%e : tensor<33xf32>) -> tensor<33xf32>
  %r = linalg.reduce ins(%a : tensor<33x257xf32>) outs(%o : tensor<33xf32>) dimensions = [1]
    (%x: f32, %acc: f32) {
      %s = arith.addf %x, %acc : f32
      linalg.yield %s : f32
    }
  return %r : tensor<33xf32>
}

// -----

// A combiner without a neutral element (here x * acc + x) is left alone.
// CHECK-LABEL: func.func @no_neutral
// CHECK-NOT: vector.
// CHECK: linalg.generic
func.func @no_neutral(%x: tensor<4x64xf32>, %e: tensor<4xf32>) -> tensor<4xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
    ins(%x : tensor<4x64xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.mulf %a, %o : f32
    %t = arith.addf %m, %a : f32
    linalg.yield %t : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

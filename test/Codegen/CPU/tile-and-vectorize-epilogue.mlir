// Epilogue groups (green.fusion_group, set by green-fuse) tile-fused into the
// tiles of their contraction by green-cpu-tile-and-vectorize.
// RUN: green-opt %s --split-input-file -mlir-print-op-on-diagnostic=false \
// RUN:   --pass-pipeline="builtin.module(func.func(green-cpu-tile-and-vectorize{remarks=true}))" \
// RUN:   -verify-diagnostics | FileCheck %s
// RUN: green-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(green-cpu-tile-and-vectorize{fuse-epilogues=false}))" \
// RUN:   | FileCheck %s --check-prefix=OFF

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

// Cache tile 64 x 128 of a 256 x 512 result: the epilogue (bias + ReLU) runs
// inside the m/n tile loops, right after the k loop of the same tile. The fill
// and the accumulation write the epilogue's output tile (a slice of the loop's
// output), and the epilogue reads the accumulator through its init: no
// intermediate 256x512 tensor and no temporary per tile.
// CHECK-LABEL: func.func @bias_relu
// CHECK-SAME:    %[[A:.*]]: tensor<256x128xf32>, %[[B:.*]]: tensor<128x512xf32>, %[[BIAS:.*]]: tensor<512xf32>
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<256x512xf32>
// CHECK:         scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %c64 iter_args(%[[O:.*]] = %[[E]])
// CHECK:           scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %c128 iter_args(%[[O2:.*]] = %[[O]])
// CHECK:             %[[TILE:.*]] = tensor.extract_slice %[[O2]][%[[I]], %[[J]]] [64, 128] [1, 1]
// CHECK:             %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[TILE]] : tensor<64x128xf32>)
// CHECK:             %[[ACC:.*]] = scf.for
// CHECK:               vector.contract
// CHECK:             %[[BS:.*]] = tensor.extract_slice %[[BIAS]][%[[J]]] [128] [1]
// CHECK:             %[[EPI:.*]] = linalg.generic
// CHECK-SAME:          ins(%[[BS]] : tensor<128xf32>) outs(%[[ACC]] : tensor<64x128xf32>)
// CHECK:               arith.addf
// CHECK:               arith.maximumf
// CHECK:             tensor.insert_slice %[[EPI]] into %[[O2]][%[[I]], %[[J]]] [64, 128] [1, 1]
// CHECK-NOT:     linalg.generic
// CHECK:         return

// OFF-LABEL: func.func @bias_relu
// OFF:         scf.for
// OFF:         vector.contract
// OFF:       linalg.generic
// OFF-SAME:    ins(%{{.*}}, %{{.*}} : tensor<256x512xf32>, tensor<512xf32>)
func.func @bias_relu(%a: tensor<256x128xf32>, %b: tensor<128x512xf32>, %bias: tensor<512xf32>) -> tensor<256x512xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256x512xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<256x512xf32>) -> tensor<256x512xf32>
  // expected-remark @below {{epilogue group 3 tile-fused: the epilogue runs on each tile of the result}}
  %m = linalg.matmul {green.cpu_schedule = #green.cpu_schedule<tile = [64, 128, 128], register_tile = [8, 32, 4], parallel_dim = -1, threads = 1, operating_point = 2>, green.fusion_group = 3 : i64}
      ins(%a, %b : tensor<256x128xf32>, tensor<128x512xf32>) outs(%f : tensor<256x512xf32>) -> tensor<256x512xf32>
  %r = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m, %bias : tensor<256x512xf32>, tensor<512xf32>) outs(%e : tensor<256x512xf32>) attrs = {green.fusion_group = 3 : i64} {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    %t = arith.maximumf %s, %z : f32
    linalg.yield %t : f32
  } -> tensor<256x512xf32>
  return %r : tensor<256x512xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// Threads: the tiles become an scf.forall (later OpenMP) and the
// contraction inside each tile runs on one thread.
// CHECK-LABEL: func.func @residual_threads
// CHECK:         scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (256, 512) step (64, 128)
// CHECK:           linalg.fill
// CHECK:           vector.contract
// CHECK:           linalg.generic
// CHECK:             arith.addf
// CHECK:           scf.forall.in_parallel
// CHECK-NOT:     scf.forall
func.func @residual_threads(%a: tensor<256x128xf32>, %b: tensor<128x512xf32>, %res: tensor<256x512xf32>) -> tensor<256x512xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256x512xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<256x512xf32>) -> tensor<256x512xf32>
  // expected-remark @below {{epilogue group 0 tile-fused}}
  %m = linalg.matmul {green.cpu_schedule = #green.cpu_schedule<tile = [64, 128, 128], register_tile = [8, 32, 4], parallel_dim = 0, threads = 2, operating_point = 2>, green.fusion_group = 0 : i64}
      ins(%a, %b : tensor<256x128xf32>, tensor<128x512xf32>) outs(%f : tensor<256x512xf32>) -> tensor<256x512xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m, %res : tensor<256x512xf32>, tensor<256x512xf32>) outs(%e : tensor<256x512xf32>) attrs = {green.fusion_group = 0 : i64} {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<256x512xf32>
  return %r : tensor<256x512xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// Negative: no multiple of the register tile (8 x 32) up to the cache tile
// divides 257 x 1025, so the epilogue stays a separate op (with a remark).
// CHECK-LABEL: func.func @not_divisible
// CHECK:         vector.contract
// CHECK:       linalg.generic
// CHECK-SAME:    ins(%{{.*}} : tensor<257x1025xf32>)
func.func @not_divisible(%a: tensor<257x64xf32>, %b: tensor<64x1025xf32>) -> tensor<257x1025xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<257x1025xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<257x1025xf32>) -> tensor<257x1025xf32>
  // expected-remark @below {{epilogue group 1 not tile-fused: no tile smaller than the result}}
  %m = linalg.matmul {green.cpu_schedule = #green.cpu_schedule<tile = [64, 128, 64], register_tile = [8, 32, 4], parallel_dim = -1, threads = 1, operating_point = 2>, green.fusion_group = 1 : i64}
      ins(%a, %b : tensor<257x64xf32>, tensor<64x1025xf32>) outs(%f : tensor<257x1025xf32>) -> tensor<257x1025xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m : tensor<257x1025xf32>) outs(%e : tensor<257x1025xf32>) attrs = {green.fusion_group = 1 : i64} {
  ^bb0(%x: f32, %o: f32):
    %t = arith.maximumf %x, %z : f32
    linalg.yield %t : f32
  } -> tensor<257x1025xf32>
  return %r : tensor<257x1025xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#red = affine_map<(d0, d1) -> (d0)>

// Negative: the user is a reduction (row sums), not an element-wise
// epilogue; the mark alone does not make it fusable.
// CHECK-LABEL: func.func @reduction_user
// CHECK:         vector.contract
// CHECK:       linalg.generic
// CHECK-SAME:    iterator_types = ["parallel", "reduction"]
func.func @reduction_user(%a: tensor<256x64xf32>, %b: tensor<64x256xf32>, %acc: tensor<256xf32>) -> tensor<256xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256x256xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<256x256xf32>) -> tensor<256x256xf32>
  // expected-remark @below {{epilogue group 2 not tile-fused: the epilogue is not element-wise on tensors}}
  %m = linalg.matmul {green.cpu_schedule = #green.cpu_schedule<tile = [64, 128, 64], register_tile = [8, 32, 4], parallel_dim = -1, threads = 1, operating_point = 2>, green.fusion_group = 2 : i64}
      ins(%a, %b : tensor<256x64xf32>, tensor<64x256xf32>) outs(%f : tensor<256x256xf32>) -> tensor<256x256xf32>
  %r = linalg.generic {indexing_maps = [#id, #red], iterator_types = ["parallel", "reduction"]}
      ins(%m : tensor<256x256xf32>) outs(%acc : tensor<256xf32>) attrs = {green.fusion_group = 2 : i64} {
  ^bb0(%x: f32, %o: f32):
    %t = arith.addf %x, %o : f32
    linalg.yield %t : f32
  } -> tensor<256xf32>
  return %r : tensor<256xf32>
}

// -----

#map = affine_map<(d0, d1) -> (d0, d1)>
#red = affine_map<(d0, d1) -> (d0)>

// Row group (no contraction): row sums and a division by them become one loop
// over tiles of 4 rows (4 x 512 floats = 8 KiB per intermediate); the sum's
// fill is fused along and the originals are gone.
// CHECK-LABEL: func.func @rows
// CHECK-NOT:     linalg.generic
// CHECK:         scf.for %[[R:.*]] = %{{.*}} to %{{.*}} step %c4 iter_args(%[[O:.*]] = %{{.*}})
// CHECK:           %[[X:.*]] = tensor.extract_slice %{{.*}}[%[[R]], 0] [4, 512] [1, 1]
// CHECK:           %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<4xf32>)
// CHECK:           %[[S:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<4x512xf32>) outs(%[[F]] : tensor<4xf32>)
// CHECK:           %[[D:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[S]] : tensor<4x512xf32>, tensor<4xf32>)
// CHECK:             arith.divf
// CHECK:           tensor.insert_slice %[[D]] into %[[O]][%[[R]], 0] [4, 512] [1, 1]
// CHECK-NOT:     linalg.generic
// CHECK-NOT:     green.fusion_group
// CHECK:         return
func.func @rows(%a: tensor<64x512xf32>) -> tensor<64x512xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x512xf32>
  %e1 = tensor.empty() : tensor<64xf32>
  %si = linalg.fill ins(%z : f32) outs(%e1 : tensor<64xf32>) -> tensor<64xf32>
  %sum = linalg.generic {indexing_maps = [#map, #red], iterator_types = ["parallel", "reduction"]}
      ins(%a : tensor<64x512xf32>) outs(%si : tensor<64xf32>) attrs = {green.fusion_group = 7 : i64} {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  %d = linalg.generic {indexing_maps = [#map, #red, #map], iterator_types = ["parallel", "parallel"]}
      ins(%a, %sum : tensor<64x512xf32>, tensor<64xf32>) outs(%e : tensor<64x512xf32>) attrs = {green.fusion_group = 7 : i64} {
  ^bb0(%x: f32, %s: f32, %o: f32):
    %q = arith.divf %x, %s : f32
    linalg.yield %q : f32
  } -> tensor<64x512xf32>
  return %d : tensor<64x512xf32>
}

// -----

#map = affine_map<(d0, d1) -> (d0, d1)>
#red = affine_map<(d0, d1) -> (d0)>

// Negative (rows): 4 rows of 512 all fit in one tile: nothing to tile, the
// ops stay as they are and lose the mark.
// CHECK-LABEL: func.func @rows_one_tile
// CHECK-NOT:     scf.for
// CHECK-NOT:     green.fusion_group
// CHECK:         return
func.func @rows_one_tile(%a: tensor<4x512xf32>) -> tensor<4x512xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x512xf32>
  %e1 = tensor.empty() : tensor<4xf32>
  %si = linalg.fill ins(%z : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %sum = linalg.generic {indexing_maps = [#map, #red], iterator_types = ["parallel", "reduction"]}
      ins(%a : tensor<4x512xf32>) outs(%si : tensor<4xf32>) attrs = {green.fusion_group = 8 : i64} {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  // expected-remark @below {{row group 8 not tile-fused: all rows fit in one tile (nothing to tile)}}
  %d = linalg.generic {indexing_maps = [#map, #red, #map], iterator_types = ["parallel", "parallel"]}
      ins(%a, %sum : tensor<4x512xf32>, tensor<4xf32>) outs(%e : tensor<4x512xf32>) attrs = {green.fusion_group = 8 : i64} {
  ^bb0(%x: f32, %s: f32, %o: f32):
    %q = arith.divf %x, %s : f32
    linalg.yield %q : f32
  } -> tensor<4x512xf32>
  return %d : tensor<4x512xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// Packed B: the unfused schedule packs each B panel once above its m loop, so
// the epilogue tiles span all 256 rows and only n is tiled (by 128): one
// outer loop, then the n, k, m cache loops with the panel packed above m.
// CHECK-LABEL: func.func @packed_b
// CHECK:         scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %c128 iter_args
// CHECK-NOT:       step %c64
// CHECK:           tensor.extract_slice %{{.*}}[0, %[[J]]] [256, 128] [1, 1]
// CHECK:           linalg.fill
// CHECK:           linalg.transpose
// CHECK:           scf.for {{.*}} step %c64
// CHECK:           vector.contract
// CHECK:           linalg.generic
// CHECK:             arith.maximumf
func.func @packed_b(%a: tensor<256x128xf32>, %b: tensor<128x512xf32>) -> tensor<256x512xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256x512xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<256x512xf32>) -> tensor<256x512xf32>
  // expected-remark @below {{epilogue group 9 tile-fused}}
  %m = linalg.matmul {green.cpu_schedule = #green.cpu_schedule<tile = [64, 128, 128], register_tile = [8, 32, 4], parallel_dim = -1, threads = 1, operating_point = 2, pack_b = true>, green.fusion_group = 9 : i64}
      ins(%a, %b : tensor<256x128xf32>, tensor<128x512xf32>) outs(%f : tensor<256x512xf32>) -> tensor<256x512xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m : tensor<256x512xf32>) outs(%e : tensor<256x512xf32>) attrs = {green.fusion_group = 9 : i64} {
  ^bb0(%x: f32, %o: f32):
    %t = arith.maximumf %x, %z : f32
    linalg.yield %t : f32
  } -> tensor<256x512xf32>
  return %r : tensor<256x512xf32>
}

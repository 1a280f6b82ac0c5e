// RUN: green-opt %s --split-input-file -verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(green-fuse{target=cpu-zen3}))" \
// RUN:   | FileCheck %s

// A chain of three element-wise ops becomes one generic whose body computes
// all three; the intermediates never reach memory.
#map = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @chain
//  CHECK-SAME:   (%[[A:.+]]: tensor<64x256xf32>, %[[B:.+]]: tensor<64x256xf32>)
//       CHECK:   %[[R:.+]] = linalg.generic
//  CHECK-SAME:     ins(%[[A]], %[[B]] : tensor<64x256xf32>, tensor<64x256xf32>)
//       CHECK:     %[[S:.+]] = arith.addf
//       CHECK:     %[[M:.+]] = arith.maximumf %[[S]]
//       CHECK:     %[[E:.+]] = math.exp %[[M]]
//       CHECK:     linalg.yield %[[E]]
//   CHECK-NOT:   linalg.generic
//       CHECK:   return %[[R]]
func.func @chain(%a: tensor<64x256xf32>, %b: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %e = tensor.empty() : tensor<64x256xf32>
  %0 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<64x256xf32>, tensor<64x256xf32>) outs(%e : tensor<64x256xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<64x256xf32>
  %1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%0 : tensor<64x256xf32>) outs(%e : tensor<64x256xf32>) {
  ^bb0(%x: f32, %o: f32):
    %c0 = arith.constant 0.0 : f32
    %r = arith.maximumf %x, %c0 : f32
    linalg.yield %r : f32
  } -> tensor<64x256xf32>
  // expected-remark @+1 {{elementwise group 0: fused 3 ops (linalg.generic @ }}
  %2 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%1 : tensor<64x256xf32>) outs(%e : tensor<64x256xf32>) {
  ^bb0(%x: f32, %o: f32):
    %r = math.exp %x : f32
    linalg.yield %r : f32
  } -> tensor<64x256xf32>
  return %2 : tensor<64x256xf32>
}

// -----

// Broadcasting: a function of a bias broadcast along rows, fused into the add
// that uses it; the fused op reads the 1 KiB bias instead of a 64 KiB tensor.
#map = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @broadcast
//       CHECK:   linalg.generic
//  CHECK-SAME:     ins(%{{.+}}, %{{.+}} : tensor<256xf32>, tensor<64x256xf32>)
//       CHECK:     arith.mulf
//       CHECK:     arith.addf
//   CHECK-NOT:   linalg.generic
func.func @broadcast(%bias: tensor<256xf32>, %a: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %e = tensor.empty() : tensor<64x256xf32>
  %0 = linalg.generic {indexing_maps = [#row, #map], iterator_types = ["parallel", "parallel"]}
      ins(%bias : tensor<256xf32>) outs(%e : tensor<64x256xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.mulf %x, %x : f32
    linalg.yield %s : f32
  } -> tensor<64x256xf32>
  // expected-remark @+1 {{elementwise group 0: fused 2 ops}}
  %1 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%0, %a : tensor<64x256xf32>, tensor<64x256xf32>) outs(%e : tensor<64x256xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %r = arith.addf %x, %y : f32
    linalg.yield %r : f32
  } -> tensor<64x256xf32>
  return %1 : tensor<64x256xf32>
}

// -----

// A reduction with its element-wise producer (the exp and sum of a softmax):
// the exp is computed inside the reduction's loop.
#map = affine_map<(d0, d1) -> (d0, d1)>
#red = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @reduction_producer
//       CHECK:   linalg.generic
//  CHECK-SAME:     iterator_types = ["parallel", "reduction"]
//       CHECK:     math.exp
//       CHECK:     arith.addf
//   CHECK-NOT:   linalg.generic
func.func @reduction_producer(%a: tensor<64x256xf32>) -> tensor<64xf32> {
  %e = tensor.empty() : tensor<64x256xf32>
  %z = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<64xf32>
  %acc = linalg.fill ins(%z : f32) outs(%e1 : tensor<64xf32>) -> tensor<64xf32>
  %0 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<64x256xf32>) outs(%e : tensor<64x256xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = math.exp %x : f32
    linalg.yield %s : f32
  } -> tensor<64x256xf32>
  // expected-remark @+1 {{elementwise group 0: fused 2 ops}}
  %1 = linalg.generic {indexing_maps = [#map, #red], iterator_types = ["parallel", "reduction"]}
      ins(%0 : tensor<64x256xf32>) outs(%acc : tensor<64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %r = arith.addf %x, %o : f32
    linalg.yield %r : f32
  } -> tensor<64xf32>
  return %1 : tensor<64xf32>
}

// -----

// Matmul + bias + ReLU: the bias and ReLU fuse into one generic, and that
// epilogue is grouped with the matmul for tiling (the intermediate stays in
// L1), recorded as green.fusion_group on both.
#map = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @matmul_epilogue
//       CHECK:   %[[MM:.+]] = linalg.matmul {green.fusion_group = 1 : i64}
//       CHECK:   linalg.generic
//  CHECK-SAME:     ins(%[[MM]], %{{.+}} : tensor<128x512xf32>, tensor<512xf32>)
//  CHECK-SAME:     attrs = {green.fusion_group = 1 : i64}
//       CHECK:     arith.addf
//       CHECK:     arith.maximumf
func.func @matmul_epilogue(%a: tensor<128x256xf32>, %w: tensor<256x512xf32>, %bias: tensor<512xf32>) -> tensor<128x512xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<128x512xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<128x512xf32>) -> tensor<128x512xf32>
  %m = linalg.matmul ins(%a, %w : tensor<128x256xf32>, tensor<256x512xf32>) outs(%f : tensor<128x512xf32>) -> tensor<128x512xf32>
  %0 = linalg.generic {indexing_maps = [#map, #row, #map], iterator_types = ["parallel", "parallel"]}
      ins(%m, %bias : tensor<128x512xf32>, tensor<512xf32>) outs(%e : tensor<128x512xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<128x512xf32>
  // expected-remark @+2 {{elementwise group 0: fused 2 ops}}
  // expected-remark @+1 {{epilogue group 1: fused 3 ops (linalg.matmul @ }}
  %1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%0 : tensor<128x512xf32>) outs(%e : tensor<128x512xf32>) {
  ^bb0(%x: f32, %o: f32):
    %r = arith.maximumf %x, %z : f32
    linalg.yield %r : f32
  } -> tensor<128x512xf32>
  return %1 : tensor<128x512xf32>
}

// -----

// Named element-wise ops are generalized and fused like generics.
// CHECK-LABEL: func.func @named_ops
//       CHECK:   linalg.generic
//       CHECK:     arith.addf
//       CHECK:     arith.mulf
//   CHECK-NOT:   linalg.mul
func.func @named_ops(%a: tensor<4096xf32>, %b: tensor<4096xf32>) -> tensor<4096xf32> {
  %e = tensor.empty() : tensor<4096xf32>
  %0 = linalg.add ins(%a, %b : tensor<4096xf32>, tensor<4096xf32>) outs(%e : tensor<4096xf32>) -> tensor<4096xf32>
  // expected-remark @+1 {{elementwise group 0: fused 2 ops}}
  %1 = linalg.mul ins(%0, %b : tensor<4096xf32>, tensor<4096xf32>) outs(%e : tensor<4096xf32>) -> tensor<4096xf32>
  return %1 : tensor<4096xf32>
}

// -----

// A memref store between producer and consumer: fusing would move the
// producer's computation across it, so nothing is fused.
#map = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @negative_side_effect
//       CHECK:   linalg.generic
//       CHECK:   memref.store
//       CHECK:   linalg.generic
func.func @negative_side_effect(%a: tensor<4096xf32>, %m: memref<f32>) -> tensor<4096xf32> {
  %e = tensor.empty() : tensor<4096xf32>
  %c = arith.constant 1.0 : f32
  %0 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%a : tensor<4096xf32>) outs(%e : tensor<4096xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %c : f32
    linalg.yield %s : f32
  } -> tensor<4096xf32>
  memref.store %c, %m[] : memref<f32>
  // expected-remark @+1 {{not fused with producer linalg.generic @ }}
  %1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%0 : tensor<4096xf32>) outs(%e : tensor<4096xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.mulf %x, %c : f32
    linalg.yield %s : f32
  } -> tensor<4096xf32>
  return %1 : tensor<4096xf32>
}

// -----

// A call (unknown side effects) between producer and consumer.
#map = affine_map<(d0) -> (d0)>
func.func private @log_something()
// CHECK-LABEL: func.func @negative_side_effect_call
//       CHECK:   linalg.generic
//       CHECK:   call @log_something
//       CHECK:   linalg.generic
func.func @negative_side_effect_call(%a: tensor<4096xf32>) -> tensor<4096xf32> {
  %e = tensor.empty() : tensor<4096xf32>
  %c = arith.constant 1.0 : f32
  %0 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%a : tensor<4096xf32>) outs(%e : tensor<4096xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %c : f32
    linalg.yield %s : f32
  } -> tensor<4096xf32>
  func.call @log_something() : () -> ()
  // expected-remark @+1 {{side-effecting 'func.call'}}
  %1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%0 : tensor<4096xf32>) outs(%e : tensor<4096xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.mulf %x, %c : f32
    linalg.yield %s : f32
  } -> tensor<4096xf32>
  return %1 : tensor<4096xf32>
}

// -----

// Dynamic shapes cannot be costed: left unfused, with a remark.
#map = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @negative_dynamic_shape
//       CHECK:   linalg.generic
//       CHECK:   linalg.generic
func.func @negative_dynamic_shape(%a: tensor<?xf32>, %e: tensor<?xf32>) -> tensor<?xf32> {
  %c = arith.constant 1.0 : f32
  %0 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%a : tensor<?xf32>) outs(%e : tensor<?xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %c : f32
    linalg.yield %s : f32
  } -> tensor<?xf32>
  // expected-remark @+1 {{producer cannot be costed: dynamic}}
  %1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%0 : tensor<?xf32>) outs(%e : tensor<?xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.mulf %x, %c : f32
    linalg.yield %s : f32
  } -> tensor<?xf32>
  return %1 : tensor<?xf32>
}

// -----

// A producer with two users is not duplicated without allow-duplication.
#map = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @negative_multi_use
//  CHECK-COUNT-3: linalg.generic
func.func @negative_multi_use(%a: tensor<4096xf32>) -> (tensor<4096xf32>, tensor<4096xf32>) {
  %e = tensor.empty() : tensor<4096xf32>
  %c = arith.constant 1.0 : f32
  %0 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%a : tensor<4096xf32>) outs(%e : tensor<4096xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %c : f32
    linalg.yield %s : f32
  } -> tensor<4096xf32>
  // expected-remark @+1 {{producer has 1 other user(s) and duplicating it needs allow-duplication}}
  %1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%0 : tensor<4096xf32>) outs(%e : tensor<4096xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.mulf %x, %c : f32
    linalg.yield %s : f32
  } -> tensor<4096xf32>
  // expected-remark @+1 {{producer has 1 other user(s) and duplicating it needs allow-duplication}}
  %2 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%0 : tensor<4096xf32>) outs(%e : tensor<4096xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.subf %x, %c : f32
    linalg.yield %s : f32
  } -> tensor<4096xf32>
  return %1, %2 : tensor<4096xf32>, tensor<4096xf32>
}

// -----

// A reduction's result feeding an element-wise op is not fused: the
// producer is not element-wise (upstream's fusion would recompute the sum
// per element).
#map = affine_map<(d0, d1) -> (d0, d1)>
#red = affine_map<(d0, d1) -> (d0)>
#id = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @negative_reduction_producer
//  CHECK-COUNT-2: linalg.generic
func.func @negative_reduction_producer(%a: tensor<64x256xf32>, %acc: tensor<64xf32>) -> tensor<64xf32> {
  %e = tensor.empty() : tensor<64xf32>
  %0 = linalg.generic {indexing_maps = [#map, #red], iterator_types = ["parallel", "reduction"]}
      ins(%a : tensor<64x256xf32>) outs(%acc : tensor<64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %r = arith.addf %x, %o : f32
    linalg.yield %r : f32
  } -> tensor<64xf32>
  // expected-remark @+1 {{linalg::areElementwiseOpsFusable rejects the edge}}
  %1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%0 : tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = math.sqrt %x : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  return %1 : tensor<64xf32>
}

// -----

// A consumer that reads the intermediate twice (x * x) is left alone:
// upstream fuses one operand at a time and would keep the producer alive.
#map = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @negative_two_operands
//  CHECK-COUNT-2: linalg.generic
func.func @negative_two_operands(%a: tensor<4096xf32>) -> tensor<4096xf32> {
  %e = tensor.empty() : tensor<4096xf32>
  %c = arith.constant 1.0 : f32
  %0 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%a : tensor<4096xf32>) outs(%e : tensor<4096xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %c : f32
    linalg.yield %s : f32
  } -> tensor<4096xf32>
  // expected-remark @+1 {{consumer reads the intermediate through several operands}}
  %1 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel"]}
      ins(%0, %0 : tensor<4096xf32>, tensor<4096xf32>) outs(%e : tensor<4096xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.mulf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<4096xf32>
  return %1 : tensor<4096xf32>
}

// -----

// Convolution + ReLU whose 1 MiB result does not fit in L1: grouped for
// tiling.
#map4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv_epilogue
//       CHECK:   linalg.conv_2d_nhwc_hwcf {{{.*}}green.fusion_group = 0 : i64
//       CHECK:   linalg.generic
//  CHECK-SAME:     attrs = {green.fusion_group = 0 : i64}
func.func @conv_epilogue(%x: tensor<1x66x66x16xf32>, %w: tensor<3x3x16x64xf32>) -> tensor<1x64x64x64xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x64x64x64xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x64x64x64xf32>) -> tensor<1x64x64x64xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x66x66x16xf32>, tensor<3x3x16x64xf32>) outs(%f : tensor<1x64x64x64xf32>) -> tensor<1x64x64x64xf32>
  // expected-remark @+1 {{epilogue group 0: fused 2 ops (linalg.conv_2d_nhwc_hwcf @ }}
  %r = linalg.generic {indexing_maps = [#map4, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c : tensor<1x64x64x64xf32>) outs(%e : tensor<1x64x64x64xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maximumf %v, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x64x64x64xf32>
  return %r : tensor<1x64x64x64xf32>
}

// -----

// Negative: a per-row value (layer norm's 1/sqrt(var + eps)) read by every
// element of its row. Fused, rsqrt would run 768 times per row instead of
// once; the model counts that recomputation and keeps the ops apart.
#map = affine_map<(d0, d1) -> (d0, d1)>
#red = affine_map<(d0, d1) -> (d0)>
#vec = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @negative_broadcast_recompute
//       CHECK:   math.rsqrt
//       CHECK:   linalg.generic
//       CHECK:     arith.mulf
func.func @negative_broadcast_recompute(%x: tensor<512x768xf32>, %ssq: tensor<512xf32>) -> tensor<512x768xf32> {
  %e = tensor.empty() : tensor<512x768xf32>
  %e1 = tensor.empty() : tensor<512xf32>
  %rstd = linalg.generic {indexing_maps = [#vec, #vec], iterator_types = ["parallel"]}
      ins(%ssq : tensor<512xf32>) outs(%e1 : tensor<512xf32>) {
  ^bb0(%s: f32, %o: f32):
    %inv = arith.constant 1.302083e-03 : f32
    %eps = arith.constant 1.0e-5 : f32
    %v = arith.mulf %s, %inv : f32
    %ve = arith.addf %v, %eps : f32
    %r = math.rsqrt %ve : f32
    linalg.yield %r : f32
  } -> tensor<512xf32>
  // expected-remark @+1 {{the producer would be recomputed 768x)}}
  %y = linalg.generic {indexing_maps = [#map, #red, #map], iterator_types = ["parallel", "parallel"]}
      ins(%x, %rstd : tensor<512x768xf32>, tensor<512xf32>) outs(%e : tensor<512x768xf32>) {
  ^bb0(%a: f32, %r: f32, %o: f32):
    %n = arith.mulf %a, %r : f32
    linalg.yield %n : f32
  } -> tensor<512x768xf32>
  return %y : tensor<512x768xf32>
}

// -----

// Row group: softmax's max, exp(x - max), sum and division all work on rows.
// None is an element-wise fusion (reductions; exp has two users), but a row
// tile of each intermediate fits in L1: the four ops are marked as one group
// for green-cpu-tile-and-vectorize to fuse over row tiles. The fills of the
// accumulators are not marked (they are fused along).
#map = affine_map<(d0, d1) -> (d0, d1)>
#red = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax_rows
//       CHECK:   linalg.fill ins
//   CHECK-NOT:     green.fusion_group
//  CHECK-SAME:     -> tensor<512xf32>
//       CHECK:   linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]{{.*}} attrs =  {green.fusion_group = [[G:[0-9]+]] : i64}
//       CHECK:     arith.maximumf
//       CHECK:   linalg.generic {{.*}} attrs =  {green.fusion_group = [[G]] : i64}
//       CHECK:     math.exp
//       CHECK:   linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]{{.*}} attrs =  {green.fusion_group = [[G]] : i64}
//       CHECK:     arith.addf
//       CHECK:   linalg.generic {{.*}} attrs =  {green.fusion_group = [[G]] : i64}
//       CHECK:     arith.divf
func.func @softmax_rows(%a: tensor<512x1024xf32>) -> tensor<512x1024xf32> {
  %e = tensor.empty() : tensor<512x1024xf32>
  %e1 = tensor.empty() : tensor<512xf32>
  %ninf = arith.constant -3.0e38 : f32
  %z = arith.constant 0.0 : f32
  %mi = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<512xf32>) -> tensor<512xf32>
  %mx = linalg.generic {indexing_maps = [#map, #red], iterator_types = ["parallel", "reduction"]}
      ins(%a : tensor<512x1024xf32>) outs(%mi : tensor<512xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.maximumf %x, %o : f32
    linalg.yield %m : f32
  } -> tensor<512xf32>
  // expected-remark @+1 {{not fused with producer}}
  %ex = linalg.generic {indexing_maps = [#map, #red, #map], iterator_types = ["parallel", "parallel"]}
      ins(%a, %mx : tensor<512x1024xf32>, tensor<512xf32>) outs(%e : tensor<512x1024xf32>) {
  ^bb0(%x: f32, %m: f32, %o: f32):
    %s = arith.subf %x, %m : f32
    %x1 = math.exp %s : f32
    linalg.yield %x1 : f32
  } -> tensor<512x1024xf32>
  %si = linalg.fill ins(%z : f32) outs(%e1 : tensor<512xf32>) -> tensor<512xf32>
  // expected-remark @+1 {{not fused with producer}}
  %sum = linalg.generic {indexing_maps = [#map, #red], iterator_types = ["parallel", "reduction"]}
      ins(%ex : tensor<512x1024xf32>) outs(%si : tensor<512xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  } -> tensor<512xf32>
  // expected-remark @+3 {{rows group 0: fused 4 ops (linalg.generic @ }}
  // expected-remark @+2 {{duplicating it needs allow-duplication}}
  // expected-remark @+1 {{areElementwiseOpsFusable rejects the edge}}
  %d = linalg.generic {indexing_maps = [#map, #red, #map], iterator_types = ["parallel", "parallel"]}
      ins(%ex, %sum : tensor<512x1024xf32>, tensor<512xf32>) outs(%e : tensor<512x1024xf32>) {
  ^bb0(%x: f32, %s: f32, %o: f32):
    %q = arith.divf %x, %s : f32
    linalg.yield %q : f32
  } -> tensor<512x1024xf32>
  return %d : tensor<512x1024xf32>
}

// -----

// Negative (rows): the exp is also returned, so it must be written anyway;
// the max and the exp stay out of the group (fusing them would compute them
// twice); the sum and the division still form a group.
#map = affine_map<(d0, d1) -> (d0, d1)>
#red = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @negative_rows_external_use
//       CHECK:   linalg.generic
//   CHECK-NOT:     green.fusion_group
//  CHECK-SAME:     {
//       CHECK:     math.exp
//       CHECK:   linalg.generic {{.*}}green.fusion_group
//       CHECK:     arith.addf
func.func @negative_rows_external_use(%a: tensor<512x1024xf32>) -> (tensor<512x1024xf32>, tensor<512x1024xf32>) {
  %e = tensor.empty() : tensor<512x1024xf32>
  %e1 = tensor.empty() : tensor<512xf32>
  %z = arith.constant 0.0 : f32
  %ex = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<512x1024xf32>) outs(%e : tensor<512x1024xf32>) {
  ^bb0(%x: f32, %o: f32):
    %x1 = math.exp %x : f32
    linalg.yield %x1 : f32
  } -> tensor<512x1024xf32>
  %si = linalg.fill ins(%z : f32) outs(%e1 : tensor<512xf32>) -> tensor<512xf32>
  // expected-remark @+1 {{not fused with producer}}
  %sum = linalg.generic {indexing_maps = [#map, #red], iterator_types = ["parallel", "reduction"]}
      ins(%ex : tensor<512x1024xf32>) outs(%si : tensor<512xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  } -> tensor<512xf32>
  // expected-remark @+3 {{rows group 0: fused 2 ops}}
  // expected-remark @+2 {{duplicating it needs allow-duplication}}
  // expected-remark @+1 {{areElementwiseOpsFusable rejects the edge}}
  %d = linalg.generic {indexing_maps = [#map, #red, #map], iterator_types = ["parallel", "parallel"]}
      ins(%ex, %sum : tensor<512x1024xf32>, tensor<512xf32>) outs(%e : tensor<512x1024xf32>) {
  ^bb0(%x: f32, %s: f32, %o: f32):
    %q = arith.divf %x, %s : f32
    linalg.yield %q : f32
  } -> tensor<512x1024xf32>
  return %d, %ex : tensor<512x1024xf32>, tensor<512x1024xf32>
}

// RUN: green-opt %s --split-input-file -verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(green-fuse{target=cpu-zen3 allow-duplication=true}))" \
// RUN:   | FileCheck %s
// With objective=latency the decision is taken on seconds, and the remark
// says so.
// RUN: green-opt %s --split-input-file -o /dev/null -mlir-print-op-on-diagnostic=false \
// RUN:   --green-fuse="target=cpu-zen3 allow-duplication=true objective=latency" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LAT
// LAT: remark: elementwise group 0: fused 2 ops
// LAT: remark: not fused with producer {{.*}}: not profitable (the producer would be duplicated): {{.*}} J fused (objective latency: {{.*}} s -> {{.*}} s)
// The report: one JSON line per function, in the order functions are run.
// RUN: rm -f %t.jsonl
// RUN: green-opt %s --split-input-file --mlir-disable-threading -o /dev/null \
// RUN:   --green-fuse="target=cpu-zen3 allow-duplication=true report=%t.jsonl" 2>/dev/null
// RUN: FileCheck %s --check-prefix=REPORT < %t.jsonl
// REPORT: {"function":"duplicate_broadcast","groups":[{"bytes_saved":{{[0-9]+}},"energy_after_j":{{.*}},"energy_before_j":{{.*}},"id":0,"joules_saved":{{.*}},"kind":"elementwise","ops":["linalg.generic @ {{.*}}fuse-duplication.mlir:{{[0-9]+}}:8 (duplicated)","linalg.generic @ {{.*}}"]},{{.*}}"id":1,{{.*}}],"rejected":[],"schema":"green-fusion-report/1","target":"cpu-zen3"}
// REPORT-NEXT: {"function":"negative_not_profitable","groups":[],"rejected":[{"consumer":"linalg.generic @ {{.*}}","kind":"elementwise","producer":"linalg.generic @ {{.*}}","reason":"not profitable (the producer would be duplicated): {{.*}}"},{{.*}}],"schema":"green-fusion-report/1","target":"cpu-zen3"}

// With allow-duplication, a producer with two users that only reads a small
// broadcast operand is cheaper to recompute in each consumer than to write
// and read back at full size: both consumers get a copy.
#map = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @duplicate_broadcast
//  CHECK-SAME:   (%[[BIAS:.+]]: tensor<256xf32>, %[[A:.+]]: tensor<64x256xf32>, %[[B:.+]]: tensor<64x256xf32>)
//       CHECK:   %[[R1:.+]] = linalg.generic
//  CHECK-SAME:     ins(%[[BIAS]], %[[A]] :
//       CHECK:     arith.mulf
//       CHECK:     arith.addf
//       CHECK:   %[[R2:.+]] = linalg.generic
//  CHECK-SAME:     ins(%[[BIAS]], %[[B]] :
//       CHECK:     arith.mulf
//       CHECK:     arith.subf
//       CHECK:   return %[[R1]], %[[R2]]
func.func @duplicate_broadcast(%bias: tensor<256xf32>, %a: tensor<64x256xf32>, %b: tensor<64x256xf32>) -> (tensor<64x256xf32>, tensor<64x256xf32>) {
  %e = tensor.empty() : tensor<64x256xf32>
  %0 = linalg.generic {indexing_maps = [#row, #map], iterator_types = ["parallel", "parallel"]}
      ins(%bias : tensor<256xf32>) outs(%e : tensor<64x256xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.mulf %x, %x : f32
    linalg.yield %s : f32
  } -> tensor<64x256xf32>
  // expected-remark @+1 {{(duplicated), linalg.generic @ }}
  %1 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%0, %a : tensor<64x256xf32>, tensor<64x256xf32>) outs(%e : tensor<64x256xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %r = arith.addf %x, %y : f32
    linalg.yield %r : f32
  } -> tensor<64x256xf32>
  // expected-remark @+1 {{elementwise group 1: fused 2 ops}}
  %2 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%0, %b : tensor<64x256xf32>, tensor<64x256xf32>) outs(%e : tensor<64x256xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %r = arith.subf %x, %y : f32
    linalg.yield %r : f32
  } -> tensor<64x256xf32>
  return %1, %2 : tensor<64x256xf32>, tensor<64x256xf32>
}

// -----

// A full-size exp with two users: duplicating it re-reads its input and
// recomputes the exp, which costs more than the intermediate's read saves.
#map = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @negative_not_profitable
//  CHECK-COUNT-3: linalg.generic
func.func @negative_not_profitable(%a: tensor<64x256xf32>, %b: tensor<64x256xf32>) -> (tensor<64x256xf32>, tensor<64x256xf32>) {
  %e = tensor.empty() : tensor<64x256xf32>
  %0 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<64x256xf32>) outs(%e : tensor<64x256xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = math.exp %x : f32
    linalg.yield %s : f32
  } -> tensor<64x256xf32>
  // expected-remark @+1 {{not profitable (the producer would be duplicated): }}
  %1 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%0, %b : tensor<64x256xf32>, tensor<64x256xf32>) outs(%e : tensor<64x256xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %r = arith.addf %x, %y : f32
    linalg.yield %r : f32
  } -> tensor<64x256xf32>
  // expected-remark @+1 {{not profitable (the producer would be duplicated)}}
  %2 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%0, %b : tensor<64x256xf32>, tensor<64x256xf32>) outs(%e : tensor<64x256xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %r = arith.mulf %x, %y : f32
    linalg.yield %r : f32
  } -> tensor<64x256xf32>
  return %1, %2 : tensor<64x256xf32>, tensor<64x256xf32>
}

// `remarks=false` silences green-fuse's remarks but not its work;
// --green-lower-cpu passes its own `remarks` option on (default off).
// RUN: green-opt %s --pass-pipeline="builtin.module(func.func(green-fuse{target=cpu-zen4 remarks=false}))" 2>&1 | FileCheck %s --check-prefix=QUIET
// RUN: green-opt %s --pass-pipeline="builtin.module(func.func(green-fuse{target=cpu-zen4}))" 2>&1 | FileCheck %s --check-prefix=LOUD
// RUN: green-opt %s --green-lower-cpu="target=cpu-zen4" 2>&1 | FileCheck %s --check-prefix=QUIET
// RUN: green-opt %s --green-lower-cpu="target=cpu-zen4 remarks=true" 2>&1 | FileCheck %s --check-prefix=LOUD

// QUIET-NOT: remark
// QUIET: func @chain
// QUIET-NOT: remark

// LOUD: remark: elementwise group 0: fused 2 ops

#map = affine_map<(d0) -> (d0)>
func.func @chain(%a: tensor<4096xf32>, %b: tensor<4096xf32>) -> tensor<4096xf32> {
  %e = tensor.empty() : tensor<4096xf32>
  %0 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel"]}
      ins(%a, %b : tensor<4096xf32>, tensor<4096xf32>) outs(%e : tensor<4096xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<4096xf32>
  %1 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel"]}
      ins(%0, %b : tensor<4096xf32>, tensor<4096xf32>) outs(%e : tensor<4096xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.mulf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<4096xf32>
  return %1 : tensor<4096xf32>
}

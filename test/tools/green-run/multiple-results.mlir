// Several results of several ranks and element types come back as a struct
// of descriptors; each is checked against its own --expect.
// RUN: rm -rf %t && %PYTHON %S/Inputs/make_arrays.py three_results %t
// RUN: green-run %s %t/a.npy %t/b.npy --expect %t/p.npy --expect %t/s.npy \
// RUN:   --expect %t/i.npy --runs 2 | FileCheck %s
// CHECK: output 0  tensor<3x5xf32> vs {{.*}}p.npy: PASS
// CHECK: output 1  tensor<f32> vs {{.*}}s.npy: PASS
// CHECK: output 2  tensor<3x5xi32> vs {{.*}}i.npy: PASS
// CHECK: status: pass

// Fewer --expect files than results: only those are checked.
// RUN: green-run %s %t/a.npy %t/b.npy --expect %t/p.npy --runs 1 | FileCheck %s --check-prefix=PARTIAL
// PARTIAL: output 0  tensor<3x5xf32> vs {{.*}}p.npy: PASS
// PARTIAL-NEXT: output 1  tensor<f32>{{$}}
// PARTIAL: status: pass

#map = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (j)>
func.func @three(%a: tensor<3x5xf32>, %b: tensor<5xf32>) -> (tensor<3x5xf32>, tensor<f32>, tensor<3x5xi32>) {
  %e = tensor.empty() : tensor<3x5xf32>
  %p = linalg.generic {indexing_maps = [#map, #row, #map], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<3x5xf32>, tensor<5xf32>) outs(%e : tensor<3x5xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %m = arith.mulf %x, %y : f32
    linalg.yield %m : f32
  } -> tensor<3x5xf32>
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<f32>
  %init = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
  %s = linalg.reduce ins(%p : tensor<3x5xf32>) outs(%init : tensor<f32>) dimensions = [0, 1]
    (%in: f32, %acc: f32) {
      %t = arith.addf %in, %acc : f32
      linalg.yield %t : f32
    }
  %ei = tensor.empty() : tensor<3x5xi32>
  %i = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%p : tensor<3x5xf32>) outs(%ei : tensor<3x5xi32>) {
  ^bb0(%x: f32, %o: i32):
    %c = arith.fptosi %x : f32 to i32
    linalg.yield %c : i32
  } -> tensor<3x5xi32>
  return %p, %s, %i : tensor<3x5xf32>, tensor<f32>, tensor<3x5xi32>
}

// The worked example of docs/energy-model.md: the tool reproduces the table
// computed there by hand, on the round-number target Inputs/textbook.json.
// RUN: green-opt %s --green-energy-report="target=%S/Inputs/textbook.json" -o /dev/null | FileCheck %s
// RUN: green-opt %s --green-energy-report="target=%S/Inputs/textbook.json format=json" -o /dev/null | FileCheck %s --check-prefix=JSON

// CHECK: target          textbook (1 unit)
// CHECK: entry function  @layer
// CHECK: ops costed      5, not costed 0
// CHECK: energy                  41.550 uJ
// CHECK: latency (estimated)     33.444 us
// CHECK: arithmetic              528384 flop
// CHECK: bytes (compulsory)      114692
// CHECK: compute                 790.528 nJ
// CHECK: memory reg              319.488 nJ
// CHECK: memory l1               442.372 nJ
// CHECK: memory dram               6.554 uJ
// CHECK: static                   33.444 uJ
// CHECK: linalg.matmul              40.816 uJ {{.*}} 32.768 us  compute  dram
// CHECK: linalg.generic            553.779 nJ {{.*}} 512.000 ns  compute  l1
// CHECK: linalg.fill               180.268 nJ {{.*}} 163.880 ns  memory   l1

// The JSON carries the same numbers unrounded (keys are sorted).
// JSON: "schema": "green-energy-report/1"
// JSON: "totals": {
// JSON: "compute_j": 7.90528{{[0-9]*}}e-07
// JSON: "dram": 6.5536{{[0-9]*}}e-06
// JSON: "energy_j": 4.15498{{[0-9]*}}e-05
// JSON: "flops": 528384
// JSON: "gco2e_per_1000_inferences": 6.92497{{[0-9]*}}e-06

func.func @layer(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<64x64xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%init : tensor<64x64xf32>) -> tensor<64x64xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>)
                      outs(%acc : tensor<64x64xf32>) -> tensor<64x64xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                          iterator_types = ["parallel", "parallel"]}
      ins(%mm : tensor<64x64xf32>) outs(%init : tensor<64x64xf32>) {
  ^bb0(%x: f32, %out: f32):
    %r = arith.maximumf %x, %zero : f32
    linalg.yield %r : f32
  } -> tensor<64x64xf32>
  return %relu : tensor<64x64xf32>
}

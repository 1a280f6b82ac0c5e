// --green-energy-report on TOSA as importers produce it.
// RUN: green-opt %s --green-energy-report -o /dev/null | FileCheck %s
// RUN: green-opt %s --green-energy-report="format=json output=%t.json" | FileCheck %s --check-prefix=IR
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// RUN: green-opt %s --green-energy-report="target=cpu-zen4 test=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: green-opt %s --green-energy-report="target=gpu-h100 top=1" -o /dev/null | FileCheck %s --check-prefix=GPU

// Without a target option the module's green.target is used.
// CHECK: target          cpu-zen3 (2 units)
// CHECK: entry function  @mlp
// CHECK: ops costed      {{[0-9]+}}, not costed 0
// 2 x (4x64x32 + 4x32x10) MACs = 2 x 9472 flop, plus the bias adds and clamp:
// 18944 + 128 + 128 + 40 = 19240.
// CHECK: arithmetic              19240 flop
// Parameters: 64x32 + 32 + 32x10 + 10 weights and biases (the one-element
// zero points are not parameters).
// CHECK: parameters              2410
// CHECK: Energy by component
// CHECK: compute
// CHECK: memory reg
// CHECK: memory dram
// CHECK: static
// CHECK: Top {{[0-9]+}} ops by energy
// The first hidden layer is the most expensive op, named by its location.
// CHECK-NEXT: op
// CHECK-NEXT: tosa.matmul {{.*}}energy-report.mlir:[[@LINE+34]]:

// The report went to a file; the IR still goes to the output.
// IR: module attributes {green.target = #green.target<"cpu-zen3">}

// Keys are sorted: ops, then schema, target, totals, unknown_ops.
// JSON: "entry_function": "mlp"
// JSON: "name": "tosa.matmul"
// JSON: "resident_level":
// JSON: "f32.fma.contraction": 8192
// JSON: "schema": "green-energy-report/1"
// JSON: "target": {
// JSON: "name": "cpu-zen3"
// JSON: "totals": {
// JSON: "flops": 19240
// JSON: "parameters": 2410
// JSON: "unknown_ops": []

// test=true puts the estimate of every op on the op itself.
// REMARK: energy-report.mlir:[[@LINE+15]]:{{[0-9]+}}: remark: energy {{[0-9.]+e[-+][0-9]+}} J, latency {{[0-9.]+e[-+][0-9]+}} s, 16384 flop, {{[0-9]+}} bytes

// Another target changes the numbers, not the work.
// GPU: target          gpu-h100 (132 units)
// GPU: arithmetic              19240 flop
// GPU: Top 1 ops by energy
// GPU-NOT: tosa.add

module attributes {green.target = #green.target<"cpu-zen3">} {
  func.func @mlp(%x: tensor<1x4x64xf32>) -> tensor<1x4x10xf32> {
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %w1 = "tosa.const"() <{values = dense<0.5> : tensor<1x64x32xf32>}> : () -> tensor<1x64x32xf32>
    %b1 = "tosa.const"() <{values = dense<0.5> : tensor<1x1x32xf32>}> : () -> tensor<1x1x32xf32>
    %w2 = "tosa.const"() <{values = dense<0.5> : tensor<1x32x10xf32>}> : () -> tensor<1x32x10xf32>
    %b2 = "tosa.const"() <{values = dense<0.5> : tensor<1x1x10xf32>}> : () -> tensor<1x1x10xf32>
    %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x4x64xf32>, tensor<1x64x32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x32xf32>
    %hb = tosa.add %h, %b1 : (tensor<1x4x32xf32>, tensor<1x1x32xf32>) -> tensor<1x4x32xf32>
    %r = tosa.clamp %hb {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<1x4x32xf32>) -> tensor<1x4x32xf32>
    %o = tosa.matmul %r, %w2, %zp, %zp : (tensor<1x4x32xf32>, tensor<1x32x10xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x10xf32>
    %y = tosa.add %o, %b2 : (tensor<1x4x10xf32>, tensor<1x1x10xf32>) -> tensor<1x4x10xf32>
    return %y : tensor<1x4x10xf32>
  }
}

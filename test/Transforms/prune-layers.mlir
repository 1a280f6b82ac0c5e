// RUN: green-opt %s --green-prune="ratio=0.5 layers=fc2" | FileCheck %s

// `layers` restricts pruning to the named producers' groups: fc2's group
// (rows of fc3) shrinks, fc1's does not.
// CHECK-LABEL: func.func @layers
// CHECK: tosa.matmul {{.*}} -> tensor<1x1x4xf32>
// CHECK: tosa.matmul {{.*}} : (tensor<1x1x4xf32>, tensor<1x4x2xf32>, {{.*}}) -> tensor<1x1x2xf32>
// CHECK: tosa.matmul {{.*}} : (tensor<1x1x2xf32>, tensor<1x2x1xf32>, {{.*}}) -> tensor<1x1x1xf32>
func.func @layers(%x: tensor<1x1x2xf32>) -> tensor<1x1x1xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w1 = "tosa.const"() <{values = dense<1.0> : tensor<1x2x4xf32>}> : () -> tensor<1x2x4xf32>
  %w2 = "tosa.const"() <{values = dense<1.0> : tensor<1x4x4xf32>}> : () -> tensor<1x4x4xf32>
  %w3 = "tosa.const"() <{values = dense<1.0> : tensor<1x4x1xf32>}> : () -> tensor<1x4x1xf32>
  %h1 = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32> loc("fc1")
  %h2 = tosa.matmul %h1, %w2, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32> loc("fc2")
  %y = tosa.matmul %h2, %w3, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32> loc("fc3")
  return %y : tensor<1x1x1xf32>
}

// The JSON report: per group the kept channels, per layer channels, MACs
// and parameters before and after, and the module's estimated energy.
// RUN: green-opt %s --green-prune="ratio=0.5 layers=fc2 target=cpu-zen3 report=%t.json" -o /dev/null
// RUN: FileCheck %s --check-prefix=REPORT < %t.json
// REPORT-DAG: "schema": "green-prune-report/1"
// REPORT-DAG: "target": "cpu-zen3"
// REPORT-DAG: "energy_before_j":
// REPORT-DAG: "energy_after_j":
// REPORT-DAG: "macs_before": 28,
// REPORT-DAG: "macs_after": 18,
// REPORT-DAG: "params_before": 28,
// REPORT-DAG: "params_after": 18,
// REPORT-DAG: "kept": [

// energy-target searches the smallest cut that meets it, and says so; one it cannot meet (static energy dominates this tiny model) is a
// warning, pruning as far as it can.
// RUN: green-opt %s --green-prune="energy-target=0.999 target=cpu-zen3" -o /dev/null 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: green-opt %s --green-prune="energy-target=0.5 target=cpu-zen3" -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNREACHABLE
// TARGET: remark: green-prune: energy-target 0.999 -> kept {{[0-9]+}} of 8 prunable channels, allocated by layer energy and channel importance (estimated {{.*}} J before, {{.*}} J after)
// UNREACHABLE: warning: green-prune: energy-target 0.5 not reachable; pruning every group to one channel

// layer-ratios gives named layers their own ratio; other groups follow
// `ratio` only when it is given.
// RUN: green-opt %s --green-prune="layer-ratios=fc1:0.5,fc2:0.25" | FileCheck %s --check-prefix=PER
// RUN: green-opt %s --green-prune="layer-ratios=fc1:0.5 ratio=0.75" | FileCheck %s --check-prefix=PERGLOBAL
// RUN: green-opt %s --green-prune="layer-ratios=fc1:0.5" | FileCheck %s --check-prefix=PERONLY
// PER: tosa.matmul {{.*}} -> tensor<1x1x2xf32>
// PER: tosa.matmul {{.*}} : (tensor<1x1x2xf32>, tensor<1x2x3xf32>, {{.*}}) -> tensor<1x1x3xf32>
// PER: tosa.matmul {{.*}} : (tensor<1x1x3xf32>, tensor<1x3x1xf32>, {{.*}}) -> tensor<1x1x1xf32>
// PERGLOBAL: tosa.matmul {{.*}} -> tensor<1x1x2xf32>
// PERGLOBAL: tosa.matmul {{.*}} : (tensor<1x1x2xf32>, tensor<1x2x1xf32>, {{.*}}) -> tensor<1x1x1xf32>
// PERONLY: tosa.matmul {{.*}} -> tensor<1x1x2xf32>
// PERONLY: tosa.matmul {{.*}} : (tensor<1x1x2xf32>, tensor<1x2x4xf32>, {{.*}}) -> tensor<1x1x4xf32>

// The report gives the per-layer ratios and each layer's estimated energy.
// RUN: green-opt %s --green-prune="layer-ratios=fc1:0.5,fc2:0.25 target=cpu-zen3 report=%t.lr.json" -o /dev/null
// RUN: FileCheck %s --check-prefix=LRREPORT < %t.lr.json
// LRREPORT: "layer_ratios": {
// LRREPORT-NEXT: "fc1": 0.5,
// LRREPORT-NEXT: "fc2": 0.25
// LRREPORT: "channels_kept": 2,
// LRREPORT: "energy_after_j":
// LRREPORT: "energy_before_j":
// LRREPORT: "name": "fc1"

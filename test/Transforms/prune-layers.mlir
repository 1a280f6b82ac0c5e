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

// energy-target searches the smallest uniform ratio that meets it, and says
// so; one it cannot meet (static energy dominates this tiny model) is a
// warning, pruning as far as it can.
// RUN: green-opt %s --green-prune="energy-target=0.999 target=cpu-zen3" -o /dev/null 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: green-opt %s --green-prune="energy-target=0.5 target=cpu-zen3" -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNREACHABLE
// TARGET: remark: green-prune: energy-target 0.999 -> ratio 0.{{[0-9]+}} (estimated {{.*}} J before)
// UNREACHABLE: warning: green-prune: energy-target 0.5 not reachable; pruning at ratio 0.99

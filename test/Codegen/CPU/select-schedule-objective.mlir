// Objectives choose differently on a DRAM-bound matrix-vector product
// (1x4096 times 4096x4096, 64 MiB of B streamed from DRAM): latency is
// the same at 2.4 and 3.5 GHz, so energy takes the lower operating point
// (1, less V^2 dynamic energy) while latency keeps the fastest (2). A
// budget below every candidate's latency falls back to the fastest.
// RUN: green-opt %s --green-cpu-select-schedule="target=cpu-zen4 objective=energy" -o /dev/null 2>&1 | FileCheck %s --check-prefix=ENERGY
// RUN: green-opt %s --green-cpu-select-schedule="target=cpu-zen4 objective=latency" -o /dev/null 2>&1 | FileCheck %s --check-prefix=LATENCY
// RUN: green-opt %s --green-cpu-select-schedule="target=cpu-zen4 objective=edp" -o /dev/null 2>&1 | FileCheck %s --check-prefix=EDP
// RUN: green-opt %s --green-cpu-select-schedule="target=cpu-zen4 latency-budget=1e-6" -o /dev/null 2>&1 | FileCheck %s --check-prefix=TIGHT
// RUN: green-opt %s --green-cpu-select-schedule="target=cpu-zen4 latency-budget=2e-3 num-rejected=2" -o /dev/null 2>&1 | FileCheck %s --check-prefix=LOOSE

// ENERGY: remark: chose tile {{.*}} threads 1 operating point 1: {{.*}}; rejected: tile
// LATENCY: remark: chose tile {{.*}} threads 1 operating point 2: {{.*}}; rejected: tile
// EDP: remark: chose tile {{.*}} operating point 1: {{.*}}; rejected: tile
// TIGHT: remark: chose tile {{.*}} operating point 2: {{.*}} (no candidate meets the latency budget of 1.000000e-06 s: fastest chosen); rejected:
// LOOSE: remark: chose tile {{.*}} operating point 1: {{[^;]*}}; rejected: tile {{[^;]*}}; tile {{[^;]*$}}
func.func @matvec(%a: tensor<1x4096xf32>, %b: tensor<4096x4096xf32>, %c: tensor<1x4096xf32>) -> tensor<1x4096xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<1x4096xf32>, tensor<4096x4096xf32>) outs(%c : tensor<1x4096xf32>) -> tensor<1x4096xf32>
  return %r : tensor<1x4096xf32>
}

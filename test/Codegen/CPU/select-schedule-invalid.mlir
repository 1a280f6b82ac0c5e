// Bad options of green-cpu-select-schedule.
// RUN: not green-opt %s --green-cpu-select-schedule="target=no-such-target" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not green-opt %s --green-cpu-select-schedule="target=gpu-h100" 2>&1 | FileCheck %s --check-prefix=NOTCPU
// RUN: not green-opt %s --green-cpu-select-schedule="target=cpu-zen4 latency-budget=-1" 2>&1 | FileCheck %s --check-prefix=BUDGET
// RUN: not green-opt %s --green-cpu-select-schedule="objective=fastest" 2>&1 | FileCheck %s --check-prefix=OBJECTIVE

// MISSING: error: green-cpu-select-schedule: {{.*}}no-such-target
// NOTCPU: error: green-cpu-select-schedule: target 'gpu-h100' is not a CPU
// BUDGET: error: green-cpu-select-schedule: latency-budget must be non-negative, got -1
// OBJECTIVE: Cannot find option named 'fastest'
func.func @f() {
  return
}

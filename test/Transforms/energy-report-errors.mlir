// Errors of --green-energy-report's options and targets: non-zero exit and a
// message that says what is wrong.

// RUN: not green-opt %s --green-energy-report="target=no-such-target" -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: error: green-energy-report: unknown target 'no-such-target': no no-such-target.json in

// An invalid description names the file, the key path and what was expected.
// RUN: not green-opt %s --green-energy-report="target=%S/Inputs/bad-target.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BADFILE
// BADFILE: error: green-energy-report: {{.*}}bad-target.json: compute.f32.fma_pj: expected a positive number, got -3
// BADFILE: bad-target.json: memory[1].bandwith_gbps: unknown key

// RUN: not green-opt %s --green-energy-report="target=cpu-zen3 operating-point=9" -o /dev/null 2>&1 | FileCheck %s --check-prefix=POINT
// POINT: error: green-energy-report: operating-point 9 does not exist: target 'cpu-zen3' has {{[0-9]+}} (0..{{[0-9]+}})

// RUN: not green-opt %s --green-energy-report="assume-dynamic-size=0" -o /dev/null 2>&1 | FileCheck %s --check-prefix=ASSUME
// ASSUME: error: green-energy-report: assume-dynamic-size must be positive or -1, got 0

// RUN: not green-opt %s --green-energy-report="output=/nonexistent-dir/report.txt" -o /dev/null 2>&1 | FileCheck %s --check-prefix=OUTPUT
// OUTPUT: error: green-energy-report: cannot write report to '/nonexistent-dir/report.txt'

// RUN: not green-opt %s --green-energy-report="format=xml" -o /dev/null 2>&1 | FileCheck %s --check-prefix=FORMAT
// FORMAT: Cannot find option named 'xml'

// A module naming a target green-opt has no description for.
// RUN: not green-opt %S/Inputs/unknown-module-target.mlir --green-energy-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=MODTARGET
// MODTARGET: unknown-module-target.mlir:3:1: error: green-energy-report: unknown target 'riscv-someday'

func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = arith.addf %a, %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}

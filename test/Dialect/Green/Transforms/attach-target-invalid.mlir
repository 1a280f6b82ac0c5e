// Errors of --green-attach-target.
// RUN: green-opt %s --split-input-file --verify-diagnostics --green-attach-target="target=cpu-zen4"
// RUN: not green-opt %s --green-attach-target="target=no/such" 2>&1 | FileCheck %s --check-prefix=BADNAME

// A module that already targets other hardware is not silently retargeted.
// expected-error @+1 {{module already targets 'gpu-h100', not 'cpu-zen4' (pass overwrite=true to replace it)}}
module attributes {green.target = #green.target<"gpu-h100">} {
}

// BADNAME: error: green-attach-target: invalid target name 'no/such'

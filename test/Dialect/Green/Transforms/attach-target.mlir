// RUN: green-opt %s --split-input-file --green-attach-target="target=cpu-zen3" | FileCheck %s
// RUN: green-opt %s --split-input-file --green-attach-target="target=gpu-h100 overwrite=true" | FileCheck %s --check-prefix=OVERWRITE

// A module without a target gets one; its contents are untouched.
// CHECK-LABEL: module attributes {green.target = #green.target<"cpu-zen3">}
// CHECK: func.func @no_target
// OVERWRITE-LABEL: module attributes {green.target = #green.target<"gpu-h100">}
module {
  func.func @no_target(%a: tensor<4xf32>) -> tensor<4xf32> {
    return %a : tensor<4xf32>
  }
}

// -----

// Re-attaching the same target is a no-op.
// CHECK-LABEL: module attributes {green.target = #green.target<"cpu-zen3">}
// CHECK: func.func @same_target
// OVERWRITE-LABEL: module attributes {green.target = #green.target<"gpu-h100">}
module attributes {green.target = #green.target<"cpu-zen3">} {
  func.func @same_target() {
    return
  }
}

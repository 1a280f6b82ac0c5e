// With overwrite=true a different target is replaced, with a remark.
// RUN: green-opt %s --green-attach-target="target=gpu-h100 overwrite=true" | FileCheck %s
// RUN: green-opt %s --green-attach-target="target=gpu-h100 overwrite=true" --verify-diagnostics -o /dev/null

// CHECK-LABEL: module attributes {green.target = #green.target<"gpu-h100">}
// CHECK: func.func @replaced
// expected-remark @+1 {{replaced green.target 'tpu-like' with 'gpu-h100'}}
module attributes {green.target = #green.target<"tpu-like">} {
  func.func @replaced() {
    return
  }
}

// Without options the module targets the machine running the compiler.
// RUN: green-opt %s --green-attach-target | FileCheck %s

// CHECK-LABEL: module attributes {green.target = #green.target<"host">}
module {
}

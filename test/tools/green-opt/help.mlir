// --help explains the tool and lists green's passes next to upstream ones.
// RUN: green-opt --help | FileCheck %s
// CHECK: green-opt: energy-aware MLIR optimizer driver
// CHECK: --green-attach-target
// CHECK-SAME: Attach a #green.target to the module
// CHECK: --linalg-generalize-named-ops

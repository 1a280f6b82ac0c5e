// With assume-dynamic-size every dynamic dimension takes that size and the op
// is costed: 16 x 64 = 1024 adds.
// RUN: green-opt %s --green-energy-report="target=cpu-zen3 assume-dynamic-size=16" -o /dev/null 2>&1 | FileCheck %s
// CHECK-NOT: warning
// CHECK: ops costed      1, not costed 0
// CHECK: arithmetic              1024 flop
// CHECK-NOT: Not costed

func.func @dynamic(%a: tensor<?x64xf32>, %b: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %0 = arith.addf %a, %b : tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// First-order Taylor importance |w * dL/dw| from gradient files: fc1's L1
// norms [1, 11, 0.5, 5] keep channels 1 and 3, while the gradients
// (10 on channels 0 and 2, 0.01 on 1 and 3) make 0 and 2 the important
// ones: [10, 0.11, 5, 0.05].
// RUN: rm -rf %t && mkdir -p %t
// RUN: %PYTHON -c "import numpy as np; np.save('%t/fc1.npy', np.array([[[10, 0.01, 10, 0.01]] * 3], np.float32)); np.save('%t/fc2.npy', np.array([[[1, 1]] * 4], np.float32))"
// RUN: green-opt %s --green-prune="ratio=0.5 gradients=%t" 2>&1 | FileCheck %s
// RUN: green-opt %s --green-prune="ratio=0.5" 2>&1 | FileCheck %s --check-prefix=L1
// RUN: green-opt %s --green-prune="ratio=0.5 gradients=%t target=cpu-zen3 report=-" -o /dev/null | FileCheck %s --check-prefix=REPORT
// CHECK: remark: {{.*}}green-prune: kept 2 of 4 channels of 'fc1': [0, 2]
// CHECK: "tosa.const"() <{values = dense<{{\[\[\[}}1.000000e+00, 5.000000e-01], [0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00]]]> : tensor<1x3x2xf32>}>
// L1: remark: {{.*}}green-prune: kept 2 of 4 channels of 'fc1': [1, 3]
// REPORT: "importance": "taylor"

// N:M with gradients: in the block of fc2's column 0 the gradient favours
// rows 0 and 1 over the larger rows 2 and 3.
// RUN: rm -rf %t.nm && mkdir -p %t.nm
// RUN: %PYTHON -c "import numpy as np; np.save('%t.nm/fc1.npy', np.ones((1, 3, 4), np.float32)); np.save('%t.nm/fc2.npy', np.array([[[100, 1], [100, 1], [1, 1], [1, 1]]], np.float32))"
// RUN: green-opt %s --green-prune="mode=n-m layers=fc2 gradients=%t.nm" 2>/dev/null | FileCheck %s --check-prefix=NM
// NM: "tosa.const"() <{values = dense<{{\[\[\[}}1.000000e+00, 0.000000e+00], [3.000000e+00, 0.000000e+00], [0.000000e+00, 6.000000e+00], [0.000000e+00, 8.000000e+00]]]> : tensor<1x4x2xf32>}> {green.sparsity = #green.nm_sparsity<n = 2, m = 4, axis = 1>}
func.func @mlp(%x: tensor<1x2x3xf32>) -> tensor<1x2x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w1 = "tosa.const"() <{values = dense<[[[1.0, 10.0, 0.5, 5.0], [0.0, -1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]]]> : tensor<1x3x4xf32>}> : () -> tensor<1x3x4xf32>
  %b1 = "tosa.const"() <{values = dense<[[[0.1, 0.2, 0.3, 0.4]]]> : tensor<1x1x4xf32>}> : () -> tensor<1x1x4xf32>
  %w2 = "tosa.const"() <{values = dense<[[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]]> : tensor<1x4x2xf32>}> : () -> tensor<1x4x2xf32>
  %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x2x3xf32>, tensor<1x3x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x4xf32> loc("fc1")
  %hb = tosa.add %h, %b1 : (tensor<1x2x4xf32>, tensor<1x1x4xf32>) -> tensor<1x2x4xf32>
  %r = tosa.clamp %hb {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<1x2x4xf32>) -> tensor<1x2x4xf32>
  %y = tosa.matmul %r, %w2, %zp, %zp : (tensor<1x2x4xf32>, tensor<1x4x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2xf32> loc("fc2")
  return %y : tensor<1x2x2xf32>
}

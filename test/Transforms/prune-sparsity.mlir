// N:M and unstructured sparsity: the weights keep their shapes, the pruned
// elements become zero, and the constant says which pattern it holds.
// RUN: green-opt %s --split-input-file --green-prune="mode=n-m" 2>/dev/null | FileCheck %s
// RUN: green-opt %s --split-input-file --green-prune="mode=n-m" -o /dev/null 2>&1 | FileCheck %s --check-prefix=NMR
// RUN: green-opt %s --split-input-file --green-prune="mode=unstructured ratio=0.5" 2>/dev/null | FileCheck %s --check-prefix=UNS
// RUN: green-opt %s --split-input-file --green-prune="mode=unstructured ratio=0.5" -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNSR
// Without splitting, `fc` names both matmuls; only they are thinned.
// RUN: green-opt %s --green-prune="mode=unstructured layer-ratios=fc:0.25" -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNSLR

// 2:4 along K of a matmul weight [1, K, N]: in each block of four rows the
// two largest |w| of every column stay (ties to the lower index).
// NMR: remark: {{.*}}green-prune: 2:4 sparsity on 'fc': 7 of 16 weights non-zero; the CPU back end runs N:M weights dense: no speed-up or energy saving on CPU targets
// CHECK-LABEL: func.func @matmul
// CHECK: "tosa.const"() <{values = dense<{{\[\[\[}}0.000000e+00, 0.000000e+00], [-5.000000e+00, 0.000000e+00], [3.000000e+00, 0.000000e+00], [0.000000e+00, 1.000000e+00], [2.000000e+00, 1.000000e+00], [0.000000e+00, 1.000000e+00], [0.000000e+00, 0.000000e+00], [4.000000e+00, 0.000000e+00]]]> : tensor<1x8x2xf32>}> {green.sparsity = #green.nm_sparsity<n = 2, m = 4, axis = 1>}
// CHECK: tosa.matmul {{.*}} -> tensor<1x2x2xf32>
// Unstructured at 0.5: the eight smallest |w| of sixteen go.
// UNSR: remark: {{.*}}green-prune: unstructured sparsity on 'fc': 8 of 16 weights non-zero; the CPU back end gets no speed-up from unstructured sparsity (dense kernels)
// UNS-LABEL: func.func @matmul
// UNS: {green.sparsity = #green.unstructured_sparsity<nonzeros = 8, total = 16>}
// UNSLR: remark: {{.*}}green-prune: unstructured sparsity on 'fc': 12 of 16 weights non-zero
// UNSLR-NOT: conv
// UNSLR: remark: {{.*}}green-prune: unstructured sparsity on 'fc': 12 of 16 weights non-zero
func.func @matmul(%x: tensor<1x2x8xf32>) -> tensor<1x2x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w = "tosa.const"() <{values = dense<[[[1.0, 0.0], [-5.0, 0.0], [3.0, 0.0], [0.5, 1.0], [2.0, 1.0], [2.0, 1.0], [-1.0, 1.0], [4.0, 1.0]]]> : tensor<1x8x2xf32>}> : () -> tensor<1x8x2xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x2x8xf32>, tensor<1x8x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2xf32> loc("fc")
  return %y : tensor<1x2x2xf32>
}

// -----

// A conv's OHWI weight is blocked along I; a conv with three input
// channels and a depthwise conv stay dense, with a remark.
// NMR: remark: {{.*}}green-prune: 2:4 sparsity on 'conv'
// NMR: remark: {{.*}}green-prune: 'conv3' left dense: its reduction dimension (3) is not a multiple of 4
// NMR: remark: {{.*}}green-prune: 'dw' left dense: a depthwise conv has no reduction over channels for N:M blocks
// CHECK-LABEL: func.func @convs
// CHECK: "tosa.const"() <{values = dense<{{\[\[\[\[}}0.000000e+00, 0.000000e+00, 3.000000e+00, 4.000000e+00]]], {{\[\[\[}}-4.000000e+00, 0.000000e+00, 0.000000e+00, 2.000000e+00]]]]> : tensor<2x1x1x4xf32>}> {green.sparsity = #green.nm_sparsity<n = 2, m = 4, axis = 3>}
// UNSR: remark: {{.*}}green-prune: unstructured sparsity on 'conv': 4 of 8 weights non-zero
// UNSR: remark: {{.*}}green-prune: unstructured sparsity on 'conv3': 3 of 6 weights non-zero
// UNSR: remark: {{.*}}green-prune: unstructured sparsity on 'dw': 1 of 2 weights non-zero
func.func @convs(%x: tensor<1x2x2x4xf32>, %z: tensor<1x2x2x3xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w = "tosa.const"() <{values = dense<[[[[1.0, 2.0, 3.0, 4.0]]], [[[-4.0, 1.0, -1.0, 2.0]]]]> : tensor<2x1x1x4xf32>}> : () -> tensor<2x1x1x4xf32>
  %w3 = "tosa.const"() <{values = dense<[[[[1.0, 2.0, 3.0]]], [[[4.0, 5.0, 6.0]]]]> : tensor<2x1x1x3xf32>}> : () -> tensor<2x1x1x3xf32>
  %wd = "tosa.const"() <{values = dense<[[[[1.0], [2.0]]]]> : tensor<1x1x2x1xf32>}> : () -> tensor<1x1x2x1xf32>
  %b = "tosa.const"() <{values = dense<0.5> : tensor<2xf32>}> : () -> tensor<2xf32>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<2x1x1x4xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32> loc("conv")
  %c3 = tosa.conv2d %z, %w3, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32> loc("conv3")
  %d = tosa.depthwise_conv2d %c, %wd, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<1x1x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32> loc("dw")
  return %c, %c3, %d : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}

// -----

// The report: per layer the non-zeros, the MACs a target exploiting the
// sparsity would do, and that the CPU back end gets no speed-up.
// RUN: green-opt %s --split-input-file --green-prune="mode=n-m target=cpu-zen3 report=%t.json" -o /dev/null 2>/dev/null
// RUN: FileCheck %s --check-prefix=REPORT < %t.json
// REPORT: "cpu_speedup": "none: the CPU back end runs the weights dense",
// REPORT: "macs_after": 64,
// REPORT: "macs_before": 64,
// REPORT: "macs_sparse_target": 32,
// REPORT: "m": 4,
// REPORT: "mode": "n-m",
// REPORT: "n": 2,
func.func @report(%x: tensor<1x4x8xf32>) -> tensor<1x4x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w = "tosa.const"() <{values = dense<1.0> : tensor<1x8x2xf32>}> : () -> tensor<1x8x2xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x4x8xf32>, tensor<1x8x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x2xf32> loc("fc")
  return %y : tensor<1x4x2xf32>
}

// RUN: green-opt %s --split-input-file --green-prune="ratio=0.5" | FileCheck %s
// RUN: green-opt %s --split-input-file --green-prune="ratio=0.5 importance=l2" | FileCheck %s --check-prefix=L2
// RUN: green-opt %s --split-input-file --green-prune="ratio=0.0" | FileCheck %s --check-prefix=NONE

// MLP: fc1's L1 norms are [1, 11, 0.5, 5]: channels 1 and 3 stay; the bias
// and fc2's weight rows follow.
// CHECK-LABEL: func.func @mlp
// CHECK-DAG: %[[W1:.+]] = "tosa.const"() <{values = dense<{{\[\[\[}}1.000000e+01, 5.000000e+00], [-1.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00]]]> : tensor<1x3x2xf32>}>
// CHECK-DAG: %[[B1:.+]] = "tosa.const"() <{values = dense<{{\[\[\[}}2.000000e-01, 4.000000e-01]]]> : tensor<1x1x2xf32>}>
// CHECK-DAG: %[[W2:.+]] = "tosa.const"() <{values = dense<{{\[\[\[}}3.000000e+00, 4.000000e+00], [7.000000e+00, 8.000000e+00]]]> : tensor<1x2x2xf32>}>
// CHECK: %[[H:.+]] = tosa.matmul %{{.+}}, %[[W1]], {{.*}} -> tensor<1x2x2xf32>
// CHECK: %[[HB:.+]] = tosa.add %[[H]], %[[B1]] : (tensor<1x2x2xf32>, tensor<1x1x2xf32>) -> tensor<1x2x2xf32>
// CHECK: %[[R:.+]] = tosa.clamp %[[HB]] {{.*}} -> tensor<1x2x2xf32>
// CHECK: tosa.matmul %[[R]], %[[W2]], {{.*}} : (tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2xf32>
// CHECK-NOT: tensor<1x2x4xf32>
// NONE-LABEL: func.func @mlp
// NONE: tosa.matmul {{.*}} -> tensor<1x2x4xf32>
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

// -----

// conv -> relu -> conv with the NCHW transposes an ONNX import leaves
// between them; the bias is the conv's own operand.
// CHECK-LABEL: func.func @conv_relu_conv
// Norms with the bias: [3, 2.1, 6, 4.2]: filters 2 and 3 stay.
// CHECK-DAG: %[[W1:.+]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}-3.000000e+00, 0.000000e+00]]], {{\[\[\[}}0.000000e+00, 2.000000e-01]]]]> : tensor<2x1x1x2xf32>}>
// CHECK-DAG: %[[B1:.+]] = "tosa.const"() <{values = dense<[3.000000e+00, 4.000000e+00]> : tensor<2xf32>}>
// CHECK-DAG: %[[W2:.+]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}3.000000e+00, 4.000000e+00]]], {{\[\[\[}}7.000000e+00, 8.000000e+00]]], {{\[\[\[}}1.100000e+01, 1.200000e+01]]]]> : tensor<3x1x1x2xf32>}>
// CHECK: %[[C1:.+]] = tosa.conv2d %{{.+}}, %[[W1]], %[[B1]], {{.*}} -> tensor<1x4x4x2xf32>
// CHECK: %[[N:.+]] = tosa.transpose %[[C1]] {{.*}} -> tensor<1x2x4x4xf32>
// CHECK: %[[R:.+]] = tosa.clamp %[[N]] {{.*}} -> tensor<1x2x4x4xf32>
// CHECK: %[[H:.+]] = tosa.transpose %[[R]] {{.*}} -> tensor<1x4x4x2xf32>
// CHECK: tosa.conv2d %[[H]], %[[W2]], {{.*}} -> tensor<1x4x4x3xf32>
func.func @conv_relu_conv(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x3xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w1 = "tosa.const"() <{values = dense<[[[[1.0, 1.0]]], [[[0.1, 0.0]]], [[[-3.0, 0.0]]], [[[0.0, 0.2]]]]> : tensor<4x1x1x2xf32>}> : () -> tensor<4x1x1x2xf32>
  %b1 = "tosa.const"() <{values = dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>}> : () -> tensor<4xf32>
  %w2 = "tosa.const"() <{values = dense<[[[[1.0, 2.0, 3.0, 4.0]]], [[[5.0, 6.0, 7.0, 8.0]]], [[[9.0, 10.0, 11.0, 12.0]]]]> : tensor<3x1x1x4xf32>}> : () -> tensor<3x1x1x4xf32>
  %b2 = "tosa.const"() <{values = dense<0.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %c1 = tosa.conv2d %x, %w1, %b1, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<4x1x1x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32> loc("conv1")
  %n = tosa.transpose %c1 {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %r = tosa.clamp %n {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %h = tosa.transpose %r {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %c2 = tosa.conv2d %h, %w2, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<3x1x1x4xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32> loc("conv2")
  return %c2 : tensor<1x4x4x3xf32>
}

// -----

// Residual add: both branches into the add prune the same channels, chosen
// by their summed norms (a: [1, 0, 4, 0], b: [0, 2, 0, 1] -> [1, 2, 4, 1]).
// CHECK-LABEL: func.func @residual
// CHECK-DAG: %[[WA:.+]] = "tosa.const"() <{values = dense<{{\[\[\[}}0.000000e+00, 4.000000e+00], [0.000000e+00, 0.000000e+00]]]> : tensor<1x2x2xf32>}>
// CHECK-DAG: %[[WB:.+]] = "tosa.const"() <{values = dense<{{\[\[\[}}2.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00]]]> : tensor<1x2x2xf32>}>
// CHECK-DAG: %[[W2:.+]] = "tosa.const"() <{values = dense<{{\[\[\[}}3.000000e+00, 4.000000e+00], [5.000000e+00, 6.000000e+00]]]> : tensor<1x2x2xf32>}>
// CHECK-DAG: %[[A:.+]] = tosa.matmul %{{.+}}, %[[WA]], {{.*}} -> tensor<1x3x2xf32>
// CHECK-DAG: %[[B:.+]] = tosa.matmul %{{.+}}, %[[WB]], {{.*}} -> tensor<1x3x2xf32>
// CHECK-DAG: %[[RA:.+]] = tosa.clamp %[[A]]
// CHECK: %[[S:.+]] = tosa.add %[[RA]], %[[B]] : (tensor<1x3x2xf32>, tensor<1x3x2xf32>) -> tensor<1x3x2xf32>
// CHECK: tosa.matmul %[[S]], %[[W2]], {{.*}} -> tensor<1x3x2xf32>
func.func @residual(%x: tensor<1x3x2xf32>) -> tensor<1x3x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %wa = "tosa.const"() <{values = dense<[[[1.0, 0.0, 4.0, 0.0], [0.0, 0.0, 0.0, 0.0]]]> : tensor<1x2x4xf32>}> : () -> tensor<1x2x4xf32>
  %wb = "tosa.const"() <{values = dense<[[[0.0, 2.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0]]]> : tensor<1x2x4xf32>}> : () -> tensor<1x2x4xf32>
  %w2 = "tosa.const"() <{values = dense<[[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]]> : tensor<1x4x2xf32>}> : () -> tensor<1x4x2xf32>
  %a = tosa.matmul %x, %wa, %zp, %zp : (tensor<1x3x2xf32>, tensor<1x2x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x4xf32> loc("a")
  %ra = tosa.clamp %a {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  %b = tosa.matmul %x, %wb, %zp, %zp : (tensor<1x3x2xf32>, tensor<1x2x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x4xf32> loc("b")
  %s = tosa.add %ra, %b : (tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  %y = tosa.matmul %s, %w2, %zp, %zp : (tensor<1x3x4xf32>, tensor<1x4x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x2xf32> loc("out")
  return %y : tensor<1x3x2xf32>
}

// -----

// NHWC flatten into a linear layer: channel c owns features c, C+c, ...
// (here C = 4 over 2 pixels); a depthwise conv (multiplier 1) carries the
// group from conv1 on to the flatten.
// CHECK-LABEL: func.func @depthwise_flatten
// conv1's norms with the bias: [5.1, 0.2, 6.3, 0.9]: channels 0 and 2 stay,
// so fc keeps rows 0, 2, 4, 6.
// CHECK-DAG: %[[W1:.+]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}5.000000e+00]]], {{\[\[\[}}-6.000000e+00]]]]> : tensor<2x1x1x1xf32>}>
// CHECK-DAG: %[[WD:.+]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}1.000000e+00], [3.000000e+00]]]]> : tensor<1x1x2x1xf32>}>
// CHECK-DAG: %[[BD:.+]] = "tosa.const"() <{values = dense<[-1.000000e+00, -3.000000e+00]> : tensor<2xf32>}>
// CHECK-DAG: %[[WF:.+]] = "tosa.const"() <{values = dense<{{\[\[\[}}0.000000e+00, 1.000000e+00], [4.000000e+00, 5.000000e+00], [8.000000e+00, 9.000000e+00], [1.200000e+01, 1.300000e+01]]]> : tensor<1x4x2xf32>}>
// CHECK: %[[C1:.+]] = tosa.conv2d %{{.+}}, %[[W1]], {{.*}} -> tensor<1x1x2x2xf32>
// CHECK: %[[D:.+]] = tosa.depthwise_conv2d %[[C1]], %[[WD]], %[[BD]], {{.*}} -> tensor<1x1x2x2xf32>
// CHECK: %[[S:.+]] = tosa.const_shape {values = dense<[1, 1, 4]> : tensor<3xindex>}
// CHECK: %[[F:.+]] = tosa.reshape %[[D]], %[[S]] : (tensor<1x1x2x2xf32>, !tosa.shape<3>) -> tensor<1x1x4xf32>
// CHECK: tosa.matmul %[[F]], %[[WF]], {{.*}} -> tensor<1x1x2xf32>
func.func @depthwise_flatten(%x: tensor<1x1x2x1xf32>) -> tensor<1x1x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w1 = "tosa.const"() <{values = dense<[[[[5.0]]], [[[0.0]]], [[[-6.0]]], [[[0.5]]]]> : tensor<4x1x1x1xf32>}> : () -> tensor<4x1x1x1xf32>
  %b1 = "tosa.const"() <{values = dense<[0.1, 0.2, 0.3, 0.4]> : tensor<4xf32>}> : () -> tensor<4xf32>
  %wd = "tosa.const"() <{values = dense<[[[[1.0], [2.0], [3.0], [4.0]]]]> : tensor<1x1x4x1xf32>}> : () -> tensor<1x1x4x1xf32>
  %bd = "tosa.const"() <{values = dense<[-1.0, -2.0, -3.0, -4.0]> : tensor<4xf32>}> : () -> tensor<4xf32>
  %wf = "tosa.const"() <{values = dense<[[[0.0, 1.0], [2.0, 3.0], [4.0, 5.0], [6.0, 7.0], [8.0, 9.0], [10.0, 11.0], [12.0, 13.0], [14.0, 15.0]]]> : tensor<1x8x2xf32>}> : () -> tensor<1x8x2xf32>
  %c1 = tosa.conv2d %x, %w1, %b1, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x2x1xf32>, tensor<4x1x1x1xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x4xf32> loc("conv1")
  %d = tosa.depthwise_conv2d %c1, %wd, %bd, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x2x4xf32>, tensor<1x1x4x1xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x4xf32> loc("dw")
  %s = tosa.const_shape {values = dense<[1, 1, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %f = tosa.reshape %d, %s : (tensor<1x1x2x4xf32>, !tosa.shape<3>) -> tensor<1x1x8xf32>
  %y = tosa.matmul %f, %wf, %zp, %zp : (tensor<1x1x8xf32>, tensor<1x8x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32> loc("fc")
  return %y : tensor<1x1x2xf32>
}

// -----

// L1 and L2 disagree: column norms are L1 [6, 5, 4.5, 0], L2^2 [18, 25,
// 20.25, 0]: l1 keeps channels 0 and 1, l2 channels 1 and 2.
// CHECK-LABEL: func.func @importance
// CHECK: "tosa.const"() <{values = dense<{{\[\[\[}}3.000000e+00, 5.000000e+00], [3.000000e+00, 0.000000e+00]]]> : tensor<1x2x2xf32>}>
// L2-LABEL: func.func @importance
// L2: "tosa.const"() <{values = dense<{{\[\[\[}}5.000000e+00, 4.500000e+00], [0.000000e+00, 0.000000e+00]]]> : tensor<1x2x2xf32>}>
func.func @importance(%x: tensor<1x1x2xf32>) -> tensor<1x1x1xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w1 = "tosa.const"() <{values = dense<[[[3.0, 5.0, 4.5, 0.0], [3.0, 0.0, 0.0, 0.0]]]> : tensor<1x2x4xf32>}> : () -> tensor<1x2x4xf32>
  %w2 = "tosa.const"() <{values = dense<1.0> : tensor<1x4x1xf32>}> : () -> tensor<1x4x1xf32>
  %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32> loc("fc1")
  %y = tosa.matmul %h, %w2, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32> loc("fc2")
  return %y : tensor<1x1x1xf32>
}


// -----

// Concat along the channel axis: each branch is its own group, cut at its
// offset in the concatenated channels (a keeps 1 and 2 of [0..3], b keeps
// 0 and 3 of [4..7]); fc's weight rows follow both.
// CHECK-LABEL: func.func @concat
// CHECK: %[[C:.+]] = tosa.concat %{{.+}}, %{{.+}} {axis = 2 : i32} : (tensor<1x1x2xf32>, tensor<1x1x2xf32>) -> tensor<1x1x4xf32>
// CHECK: %[[R:.+]] = tosa.clamp %[[C]] {{.*}} -> tensor<1x1x4xf32>
// CHECK: %[[WF:.+]] = "tosa.const"() <{values = dense<{{\[\[\[}}1.000000e+00], [2.000000e+00], [4.000000e+00], [7.000000e+00]]]> : tensor<1x4x1xf32>}>
// CHECK: tosa.matmul %[[R]], %[[WF]], {{.*}} : (tensor<1x1x4xf32>, tensor<1x4x1xf32>, {{.*}}) -> tensor<1x1x1xf32>
func.func @concat(%x: tensor<1x1x1xf32>) -> tensor<1x1x1xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %wa = "tosa.const"() <{values = dense<[[[0.1, 5.0, 6.0, 0.2]]]> : tensor<1x1x4xf32>}> : () -> tensor<1x1x4xf32>
  %wb = "tosa.const"() <{values = dense<[[[7.0, 0.3, 0.4, 8.0]]]> : tensor<1x1x4xf32>}> : () -> tensor<1x1x4xf32>
  %a = tosa.matmul %x, %wa, %zp, %zp : (tensor<1x1x1xf32>, tensor<1x1x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32> loc("a")
  %b = tosa.matmul %x, %wb, %zp, %zp : (tensor<1x1x1xf32>, tensor<1x1x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32> loc("b")
  %c = tosa.concat %a, %b {axis = 2 : i32} : (tensor<1x1x4xf32>, tensor<1x1x4xf32>) -> tensor<1x1x8xf32>
  %r = tosa.clamp %c {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<1x1x8xf32>) -> tensor<1x1x8xf32>
  %wf = "tosa.const"() <{values = dense<[[[0.0], [1.0], [2.0], [3.0], [4.0], [5.0], [6.0], [7.0]]]> : tensor<1x8x1xf32>}> : () -> tensor<1x8x1xf32>
  %y = tosa.matmul %r, %wf, %zp, %zp : (tensor<1x1x8xf32>, tensor<1x8x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32> loc("fc")
  return %y : tensor<1x1x1xf32>
}

// -----

// Channel slices (a grouped conv as importers emit it): the slice bounds
// follow the cut (keep [1, 2]: one channel in each half).
// CHECK-LABEL: func.func @slices
// CHECK: %[[H:.+]] = tosa.matmul {{.*}} -> tensor<1x1x2xf32>
// CHECK-DAG: %[[S0:.+]] = tosa.const_shape {values = dense<0> : tensor<3xindex>}
// CHECK-DAG: %[[Z0:.+]] = tosa.const_shape {values = dense<1> : tensor<3xindex>}
// CHECK: tosa.slice %[[H]], %[[S0]], %[[Z0]] : (tensor<1x1x2xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x1x1xf32>
// CHECK-DAG: %[[S1:.+]] = tosa.const_shape {values = dense<[0, 0, 1]> : tensor<3xindex>}
// CHECK-DAG: %[[Z1:.+]] = tosa.const_shape {values = dense<1> : tensor<3xindex>}
// CHECK: tosa.slice %[[H]], %[[S1]], %[[Z1]] : (tensor<1x1x2xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x1x1xf32>
func.func @slices(%x: tensor<1x1x1xf32>) -> tensor<1x1x1xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w1 = "tosa.const"() <{values = dense<[[[1.0, 5.0, 6.0, 2.0]]]> : tensor<1x1x4xf32>}> : () -> tensor<1x1x4xf32>
  %wa = "tosa.const"() <{values = dense<1.0> : tensor<1x2x1xf32>}> : () -> tensor<1x2x1xf32>
  %wb = "tosa.const"() <{values = dense<1.0> : tensor<1x2x1xf32>}> : () -> tensor<1x2x1xf32>
  %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x1x1xf32>, tensor<1x1x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32> loc("fc1")
  %s0 = tosa.const_shape {values = dense<0> : tensor<3xindex>} : () -> !tosa.shape<3>
  %s1 = tosa.const_shape {values = dense<[0, 0, 2]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %sz = tosa.const_shape {values = dense<[1, 1, 2]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %h0 = tosa.slice %h, %s0, %sz : (tensor<1x1x4xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x1x2xf32>
  %h1 = tosa.slice %h, %s1, %sz : (tensor<1x1x4xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x1x2xf32>
  %a = tosa.matmul %h0, %wa, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  %b = tosa.matmul %h1, %wb, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  %y = tosa.add %a, %b : (tensor<1x1x1xf32>, tensor<1x1x1xf32>) -> tensor<1x1x1xf32>
  return %y : tensor<1x1x1xf32>
}

// -----

// If a slice would lose all its channels (keep [2, 3]: none in the first
// half), the group stays whole: an empty grouped conv is not valid.
// CHECK-LABEL: func.func @negative_empty_slice
// CHECK: tosa.matmul {{.*}} -> tensor<1x1x4xf32>
// CHECK: tosa.slice {{.*}} -> tensor<1x1x2xf32>
func.func @negative_empty_slice(%x: tensor<1x1x1xf32>) -> tensor<1x1x1xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w1 = "tosa.const"() <{values = dense<[[[1.0, 2.0, 5.0, 6.0]]]> : tensor<1x1x4xf32>}> : () -> tensor<1x1x4xf32>
  %wa = "tosa.const"() <{values = dense<1.0> : tensor<1x2x1xf32>}> : () -> tensor<1x2x1xf32>
  %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x1x1xf32>, tensor<1x1x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32> loc("fc1")
  %s0 = tosa.const_shape {values = dense<0> : tensor<3xindex>} : () -> !tosa.shape<3>
  %sz = tosa.const_shape {values = dense<[1, 1, 2]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %h0 = tosa.slice %h, %s0, %sz : (tensor<1x1x4xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x1x2xf32>
  %a = tosa.matmul %h0, %wa, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  return %a : tensor<1x1x1xf32>
}

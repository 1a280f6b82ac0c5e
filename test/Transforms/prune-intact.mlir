// RUN: green-opt %s --split-input-file --green-prune="ratio=0.5" -verify-diagnostics | FileCheck %s

// What the pass cannot prove safe stays intact, with a remark on the
// group's producer naming the op. (Producers carry file locations here:
// the diagnostic verifier cannot match remarks at bare name locations.)

// The hidden layer's channels reach the function result: left intact; the
// output layer feeds the result directly: left intact.
// CHECK-LABEL: func.func @negative_returned
// CHECK: tosa.matmul {{.*}} -> tensor<1x2x4xf32>
func.func @negative_returned(%x: tensor<1x2x3xf32>) -> (tensor<1x2x4xf32>, tensor<1x2x2xf32>) {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w1 = "tosa.const"() <{values = dense<1.0> : tensor<1x3x4xf32>}> : () -> tensor<1x3x4xf32>
  %w2 = "tosa.const"() <{values = dense<1.0> : tensor<1x4x2xf32>}> : () -> tensor<1x4x2xf32>
  // expected-remark @+1 {{left intact: 'func.return' at}}
  %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x2x3xf32>, tensor<1x3x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x4xf32>
  // expected-remark @+1 {{left intact: 'func.return'}}
  %y = tosa.matmul %h, %w2, %zp, %zp : (tensor<1x2x4xf32>, tensor<1x4x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2xf32>
  return %h, %y : tensor<1x2x4xf32>, tensor<1x2x2xf32>
}

// -----

// A reduction over the channels has unknown channel semantics.
// CHECK-LABEL: func.func @negative_unknown_op
// CHECK: tosa.conv2d {{.*}} -> tensor<1x2x2x4xf32>
func.func @negative_unknown_op(%x: tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w = "tosa.const"() <{values = dense<1.0> : tensor<4x1x1x1xf32>}> : () -> tensor<4x1x1x1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<4xf32>}> : () -> tensor<4xf32>
  // expected-remark @+1 {{left intact: 'tosa.reduce_sum' at reduce has unknown channel semantics}}
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x1xf32>, tensor<4x1x1x1xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x4xf32>
  %s = tosa.reduce_sum %c {axis = 3 : i32} : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x1xf32> loc("reduce")
  return %s : tensor<1x2x2x1xf32>
}

// -----

// A consumer whose weight is not a constant (attention-style activation x
// activation product) cannot drop its rows.
// CHECK-LABEL: func.func @negative_activation_weight
// CHECK: tosa.matmul {{.*}} -> tensor<1x2x4xf32>
func.func @negative_activation_weight(%x: tensor<1x2x3xf32>, %v: tensor<1x4x2xf32>) -> tensor<1x2x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w1 = "tosa.const"() <{values = dense<1.0> : tensor<1x3x4xf32>}> : () -> tensor<1x3x4xf32>
  // expected-remark @+1 {{left intact: 'tosa.matmul' at attn uses the channels in a tosa.matmul other than as the K dimension of its LHS against a constant weight}}
  %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x2x3xf32>, tensor<1x3x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x4xf32>
  %y = tosa.matmul %h, %v, %zp, %zp : (tensor<1x2x4xf32>, tensor<1x4x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2xf32> loc("attn")
  return %y : tensor<1x2x2xf32>
}

// -----

// A value concatenated with itself along the channel axis would need the
// same channel cut twice: not followed.
// CHECK-LABEL: func.func @negative_concat_channels
func.func @negative_concat_channels(%x: tensor<1x2x3xf32>) -> tensor<1x2x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w1 = "tosa.const"() <{values = dense<1.0> : tensor<1x3x4xf32>}> : () -> tensor<1x3x4xf32>
  %w2 = "tosa.const"() <{values = dense<1.0> : tensor<1x8x2xf32>}> : () -> tensor<1x8x2xf32>
  // expected-remark @+1 {{left intact: 'tosa.concat' at cat concatenates the channels more than once or in an unexpected layout}}
  %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x2x3xf32>, tensor<1x3x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x4xf32>
  %c = tosa.concat %h, %h {axis = 2 : i32} : (tensor<1x2x4xf32>, tensor<1x2x4xf32>) -> tensor<1x2x8xf32> loc("cat")
  // expected-remark @+1 {{left intact: 'func.return'}}
  %y = tosa.matmul %c, %w2, %zp, %zp : (tensor<1x2x8xf32>, tensor<1x8x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2xf32>
  return %y : tensor<1x2x2xf32>
}

// -----

// A reshape that splits a channel across dimensions stops the group.
// CHECK-LABEL: func.func @negative_split_channel
func.func @negative_split_channel(%x: tensor<1x2x3xf32>) -> tensor<1x4x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w1 = "tosa.const"() <{values = dense<1.0> : tensor<1x3x4xf32>}> : () -> tensor<1x3x4xf32>
  // expected-remark @+1 {{left intact: 'tosa.reshape' at split splits a channel across dimensions}}
  %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x2x3xf32>, tensor<1x3x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x4xf32>
  %s = tosa.const_shape {values = dense<[1, 4, 2]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %r = tosa.reshape %h, %s : (tensor<1x2x4xf32>, !tosa.shape<3>) -> tensor<1x4x2xf32> loc("split")
  return %r : tensor<1x4x2xf32>
}

// -----

// A pruned group's producer says which channels stayed.
// CHECK-LABEL: func.func @pruned
func.func @pruned(%x: tensor<1x1x2xf32>) -> tensor<1x1x1xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w1 = "tosa.const"() <{values = dense<[[[1.0, 4.0, 2.0, 3.0], [0.0, 0.0, 0.0, 0.0]]]> : tensor<1x2x4xf32>}> : () -> tensor<1x2x4xf32>
  %w2 = "tosa.const"() <{values = dense<1.0> : tensor<1x4x1xf32>}> : () -> tensor<1x4x1xf32>
  // expected-remark @+1 {{green-prune: kept 2 of 4 channels of '}}
  %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  // expected-remark @+1 {{left intact: 'func.return'}}
  %y = tosa.matmul %h, %w2, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  return %y : tensor<1x1x1xf32>
}

// -----

// A channel slice that would keep none of the group's channels keeps the
// group whole (keep [2, 3]: none in [0, 2)).
// CHECK-LABEL: func.func @negative_empty_slice
func.func @negative_empty_slice(%x: tensor<1x1x1xf32>) -> tensor<1x1x1xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w1 = "tosa.const"() <{values = dense<[[[1.0, 2.0, 5.0, 6.0]]]> : tensor<1x1x4xf32>}> : () -> tensor<1x1x4xf32>
  %wa = "tosa.const"() <{values = dense<1.0> : tensor<1x2x1xf32>}> : () -> tensor<1x2x1xf32>
  // expected-remark @+1 {{left intact: 'tosa.slice' at half would keep none of the group's channels (at this ratio)}}
  %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x1x1xf32>, tensor<1x1x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  %s0 = tosa.const_shape {values = dense<0> : tensor<3xindex>} : () -> !tosa.shape<3>
  %sz = tosa.const_shape {values = dense<[1, 1, 2]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %h0 = tosa.slice %h, %s0, %sz : (tensor<1x1x4xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x1x2xf32> loc("half")
  // expected-remark @+1 {{left intact: 'func.return'}}
  %a = tosa.matmul %h0, %wa, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  return %a : tensor<1x1x1xf32>
}

// -----

// sigmoid(0) = 0.5: the removed channels would still feed the consumer in
// the zeroed reference, so the group stays intact.
// CHECK-LABEL: func.func @negative_sigmoid
// CHECK: tosa.matmul {{.*}} -> tensor<1x1x4xf32>
func.func @negative_sigmoid(%x: tensor<1x1x1xf32>) -> tensor<1x1x1xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w1 = "tosa.const"() <{values = dense<[[[1.0, 2.0, 5.0, 6.0]]]> : tensor<1x1x4xf32>}> : () -> tensor<1x1x4xf32>
  %w2 = "tosa.const"() <{values = dense<1.0> : tensor<1x4x1xf32>}> : () -> tensor<1x4x1xf32>
  // expected-remark @+1 {{left intact: 'tosa.sigmoid' at sig maps the removed channels' zeros to non-zero values}}
  %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x1x1xf32>, tensor<1x1x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  %s = tosa.sigmoid %h : (tensor<1x1x4xf32>) -> tensor<1x1x4xf32> loc("sig")
  // expected-remark @+1 {{left intact: 'func.return'}}
  %y = tosa.matmul %s, %w2, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  return %y : tensor<1x1x1xf32>
}

// -----

// SiLU, x * sigmoid(x), maps zero to zero: pruned.
// CHECK-LABEL: func.func @silu
// CHECK: tosa.matmul {{.*}} -> tensor<1x1x2xf32>
// CHECK: tosa.sigmoid {{.*}} -> tensor<1x1x2xf32>
// CHECK: tosa.mul {{.*}} -> tensor<1x1x2xf32>
func.func @silu(%x: tensor<1x1x1xf32>) -> tensor<1x1x1xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %w1 = "tosa.const"() <{values = dense<[[[1.0, 2.0, 5.0, 6.0]]]> : tensor<1x1x4xf32>}> : () -> tensor<1x1x4xf32>
  %w2 = "tosa.const"() <{values = dense<1.0> : tensor<1x4x1xf32>}> : () -> tensor<1x4x1xf32>
  // expected-remark @+1 {{green-prune: kept 2 of 4 channels of '}}
  %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x1x1xf32>, tensor<1x1x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  %s = tosa.sigmoid %h : (tensor<1x1x4xf32>) -> tensor<1x1x4xf32>
  %m = tosa.mul %h, %s, %sh : (tensor<1x1x4xf32>, tensor<1x1x4xf32>, tensor<1xi8>) -> tensor<1x1x4xf32>
  // expected-remark @+1 {{left intact: 'func.return'}}
  %y = tosa.matmul %m, %w2, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  return %y : tensor<1x1x1xf32>
}

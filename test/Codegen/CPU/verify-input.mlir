// The CPU backend's input contract: every violation is an error naming the
// op at its location.
// RUN: green-opt %s --split-input-file --allow-unregistered-dialect --green-cpu-verify-input --verify-diagnostics | FileCheck %s

// Supported input passes unchanged.
// CHECK-LABEL: func.func @accepted
// CHECK: linalg.matmul
func.func @accepted(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

// An op of a dialect the pipeline does not lower.
func.func @negative_unknown_dialect() {
  // expected-error @+1 {{'foo.bar' op is not supported by the CPU backend: dialect 'foo' is not accepted}}
  "foo.bar"() : () -> ()
  return
}

// -----

// Dynamic shapes are outside the contract.
func.func @negative_dynamic(%n: index) {
  // expected-error @+1 {{'tensor.empty' op is not supported by the CPU backend: dynamic shape 'tensor<?x8xf32>'}}
  %e = tensor.empty(%n) : tensor<?x8xf32>
  return
}

// -----

// A function signature with a dynamic shape.
// expected-error @+1 {{'func.func' op is not supported by the CPU backend: dynamic shape in signature type 'tensor<?xf32>'}}
func.func @negative_dynamic_signature(%a: tensor<?xf32>) {
  return
}

// -----

// Element types the LLVM lowering does not handle.
func.func @negative_complex() {
  // expected-error @+1 {{'tensor.empty' op is not supported by the CPU backend: unsupported element type 'tensor<4xcomplex<f32>>'}}
  %e = tensor.empty() : tensor<4xcomplex<f32>>
  return
}

// -----

// TOSA ops that have no lowering to linalg.
func.func @negative_tosa_custom(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tosa.custom' op is not supported by the CPU backend}}
  %r = tosa.custom %a {domain_name = "d", implementation_attrs = "", operator_name = "op"} : (tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// Integer data the C interface cannot pass: i4 in memory is one element per
// byte, so a caller's packed int4 weights would be misread.
// expected-error @+1 {{'func.func' op is not supported by the CPU backend: sub-byte integer element type (LLVM stores one such element per byte, so packed data would be misread; pass it packed in i8 and unpack it inside the function) in signature type 'tensor<16x8xi4>'}}
func.func @negative_i4_signature(%w: tensor<16x8xi4>) {
  return
}

// -----

// Signed/unsigned integer types (ui8, si8) are outside the contract; the
// pipeline computes on signless integers.
// expected-error @+1 {{'func.func' op is not supported by the CPU backend: signed or unsigned integer element type (the pipeline takes signless integers; unsigned data goes through ops with unsigned casts) in signature type 'tensor<4x4xui8>'}}
func.func @negative_unsigned_signature(%a: tensor<4x4xui8>) {
  return
}

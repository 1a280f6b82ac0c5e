// RUN: green-opt %s --split-input-file --verify-diagnostics --green-fold-quantized-contractions

// A dcast of a quantized function argument has no integer storage to lower
// to (the quantized type would have to cross the function boundary).
func.func @arg(%q: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xf32> {
  // expected-error @+1 {{green-fold-quantized-contractions: cannot lower this quant.dcast}}
  %d = quant.dcast %q : tensor<4x!quant.uniform<i8:f32, 0.5>> to tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// Dynamic shapes are not lowered.
func.func @dynamic(%x: tensor<?xf32>) -> tensor<?xf32> {
  %q = quant.qcast %x : tensor<?xf32> to tensor<?x!quant.uniform<i8:f32, 0.5>>
  // expected-error @+1 {{green-fold-quantized-contractions: cannot lower this quant.dcast}}
  %d = quant.dcast %q : tensor<?x!quant.uniform<i8:f32, 0.5>> to tensor<?xf32>
  return %d : tensor<?xf32>
}

// A static layer, but the second argument is integer (e.g. token ids):
// random calibration inputs would not be meaningful for it.
func.func @ids(%x: tensor<2x4xf32>, %ids: tensor<2xi64>) -> (tensor<2x3xf32>, tensor<2xi64>) {
  %w = arith.constant dense<1.0> : tensor<4x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y, %ids : tensor<2x3xf32>, tensor<2xi64>
}

// A 2x4 @ 4x3 layer with hand-picked weights: per-channel max |w| is 1, 2
// and 1, so the int8 weight scales are 1/127, 2/127 and 1/127.
func.func @layer(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w = arith.constant dense<[[1.0, 0.0, -0.5], [0.5, 2.0, 0.0],
                             [0.0, 1.0, 0.25], [-1.0, 0.0, 1.0]]> : tensor<4x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

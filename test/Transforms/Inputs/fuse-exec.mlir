// Execution cases of fuse-exec.test: one public function each, run with
// --entry. Every pattern green-fuse rewrites, on small shapes.
#map = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
#red = affine_map<(d0, d1) -> (d0)>

// Element-wise chain: add, relu, exp, sub, mul.
func.func @chain(%a: tensor<32x64xf32>, %b: tensor<32x64xf32>) -> tensor<32x64xf32> {
  %e = tensor.empty() : tensor<32x64xf32>
  %c0 = arith.constant 0.0 : f32
  %0 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<32x64xf32>, tensor<32x64xf32>) outs(%e : tensor<32x64xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<32x64xf32>
  %1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%0 : tensor<32x64xf32>) outs(%e : tensor<32x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %r = arith.maximumf %x, %c0 : f32
    linalg.yield %r : f32
  } -> tensor<32x64xf32>
  %2 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%1 : tensor<32x64xf32>) outs(%e : tensor<32x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %r = math.exp %x : f32
    linalg.yield %r : f32
  } -> tensor<32x64xf32>
  %3 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%2, %a : tensor<32x64xf32>, tensor<32x64xf32>) outs(%e : tensor<32x64xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.subf %x, %y : f32
    %m = arith.mulf %s, %y : f32
    linalg.yield %m : f32
  } -> tensor<32x64xf32>
  return %3 : tensor<32x64xf32>
}

// Multi-use broadcast producer (duplicated with allow-duplication), and a
// broadcast operand of the consumers.
func.func @multi_use_broadcast(%bias: tensor<64xf32>, %a: tensor<32x64xf32>, %b: tensor<32x64xf32>) -> (tensor<32x64xf32>, tensor<32x64xf32>) {
  %e = tensor.empty() : tensor<32x64xf32>
  %0 = linalg.generic {indexing_maps = [#row, #map], iterator_types = ["parallel", "parallel"]}
      ins(%bias : tensor<64xf32>) outs(%e : tensor<32x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.mulf %x, %x : f32
    linalg.yield %s : f32
  } -> tensor<32x64xf32>
  %1 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%0, %a : tensor<32x64xf32>, tensor<32x64xf32>) outs(%e : tensor<32x64xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %r = arith.addf %x, %y : f32
    linalg.yield %r : f32
  } -> tensor<32x64xf32>
  %2 = linalg.generic {indexing_maps = [#map, #map, #row, #map], iterator_types = ["parallel", "parallel"]}
      ins(%0, %b, %bias : tensor<32x64xf32>, tensor<32x64xf32>, tensor<64xf32>) outs(%e : tensor<32x64xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32, %o: f32):
    %r = arith.subf %x, %y : f32
    %q = arith.mulf %r, %z : f32
    linalg.yield %q : f32
  } -> tensor<32x64xf32>
  return %1, %2 : tensor<32x64xf32>, tensor<32x64xf32>
}

// Multi-use full-size producer the model does not duplicate; one user fuses
// into a later consumer.
func.func @multi_use_kept(%a: tensor<32x64xf32>, %b: tensor<32x64xf32>) -> (tensor<32x64xf32>, tensor<32x64xf32>) {
  %e = tensor.empty() : tensor<32x64xf32>
  %0 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<32x64xf32>) outs(%e : tensor<32x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = math.tanh %x : f32
    linalg.yield %s : f32
  } -> tensor<32x64xf32>
  %1 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%0, %b : tensor<32x64xf32>, tensor<32x64xf32>) outs(%e : tensor<32x64xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %r = arith.addf %x, %y : f32
    linalg.yield %r : f32
  } -> tensor<32x64xf32>
  %2 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%1 : tensor<32x64xf32>) outs(%e : tensor<32x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %r = arith.mulf %x, %x : f32
    linalg.yield %r : f32
  } -> tensor<32x64xf32>
  return %0, %2 : tensor<32x64xf32>, tensor<32x64xf32>
}

// Softmax: max and sum reductions with their element-wise producers.
func.func @softmax(%a: tensor<16x128xf32>) -> tensor<16x128xf32> {
  %e = tensor.empty() : tensor<16x128xf32>
  %e1 = tensor.empty() : tensor<16xf32>
  %ninf = arith.constant -3.0e38 : f32
  %z = arith.constant 0.0 : f32
  %mi = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<16xf32>) -> tensor<16xf32>
  %mx = linalg.generic {indexing_maps = [#map, #red], iterator_types = ["parallel", "reduction"]}
      ins(%a : tensor<16x128xf32>) outs(%mi : tensor<16xf32>) {
  ^bb0(%x: f32, %o: f32):
    %r = arith.maximumf %x, %o : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  %sh = linalg.generic {indexing_maps = [#map, #red, #map], iterator_types = ["parallel", "parallel"]}
      ins(%a, %mx : tensor<16x128xf32>, tensor<16xf32>) outs(%e : tensor<16x128xf32>) {
  ^bb0(%x: f32, %m: f32, %o: f32):
    %r = arith.subf %x, %m : f32
    linalg.yield %r : f32
  } -> tensor<16x128xf32>
  %ex = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%sh : tensor<16x128xf32>) outs(%e : tensor<16x128xf32>) {
  ^bb0(%x: f32, %o: f32):
    %r = math.exp %x : f32
    linalg.yield %r : f32
  } -> tensor<16x128xf32>
  %si = linalg.fill ins(%z : f32) outs(%e1 : tensor<16xf32>) -> tensor<16xf32>
  %sum = linalg.generic {indexing_maps = [#map, #red], iterator_types = ["parallel", "reduction"]}
      ins(%ex : tensor<16x128xf32>) outs(%si : tensor<16xf32>) {
  ^bb0(%x: f32, %o: f32):
    %r = arith.addf %x, %o : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  %d = linalg.generic {indexing_maps = [#map, #red, #map], iterator_types = ["parallel", "parallel"]}
      ins(%ex, %sum : tensor<16x128xf32>, tensor<16xf32>) outs(%e : tensor<16x128xf32>) {
  ^bb0(%x: f32, %s: f32, %o: f32):
    %r = arith.divf %x, %s : f32
    linalg.yield %r : f32
  } -> tensor<16x128xf32>
  return %d : tensor<16x128xf32>
}

// Matmul + bias + ReLU (epilogue group) on linalg.
func.func @matmul_epilogue(%a: tensor<64x128xf32>, %w: tensor<128x256xf32>, %bias: tensor<256xf32>) -> tensor<64x256xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x256xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<64x256xf32>) -> tensor<64x256xf32>
  %m = linalg.matmul ins(%a, %w : tensor<64x128xf32>, tensor<128x256xf32>) outs(%f : tensor<64x256xf32>) -> tensor<64x256xf32>
  %0 = linalg.generic {indexing_maps = [#map, #row, #map], iterator_types = ["parallel", "parallel"]}
      ins(%m, %bias : tensor<64x256xf32>, tensor<256xf32>) outs(%e : tensor<64x256xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<64x256xf32>
  %1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%0 : tensor<64x256xf32>) outs(%e : tensor<64x256xf32>) {
  ^bb0(%x: f32, %o: f32):
    %r = arith.maximumf %x, %z : f32
    linalg.yield %r : f32
  } -> tensor<64x256xf32>
  return %1 : tensor<64x256xf32>
}

// TOSA: conv + batch norm (folded into the conv) + residual add + clamp, and
// a matmul with a constant transposed weight (transposed at compile time).
func.func @tosa_conv_bn(%x: tensor<1x6x6x3xf32>) -> tensor<1x6x6x4xf32> {
  %w = "tosa.const"() <{values = dense<[[[[0.1, -0.2, 0.3]]], [[[0.4, 0.5, -0.6]]], [[[-0.7, 0.8, 0.9]]], [[[1.0, -1.1, 1.2]]]]> : tensor<4x1x1x3xf32>}> : () -> tensor<4x1x1x3xf32>
  %b = "tosa.const"() <{values = dense<[0.5, -1.0, 0.25, 2.0]> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %mean = "tosa.const"() <{values = dense<[[[[1.0, 2.0, -1.0, 0.5]]]]> : tensor<1x1x1x4xf32>}> : () -> tensor<1x1x1x4xf32>
  %scale = "tosa.const"() <{values = dense<[[[[2.0, 0.5, 1.5, -1.0]]]]> : tensor<1x1x1x4xf32>}> : () -> tensor<1x1x1x4xf32>
  %beta = "tosa.const"() <{values = dense<[[[[0.25, 3.0, -0.5, 1.0]]]]> : tensor<1x1x1x4xf32>}> : () -> tensor<1x1x1x4xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x6x6x3xf32>, tensor<4x1x1x3xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x6x4xf32>
  %s = tosa.sub %c, %mean : (tensor<1x6x6x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x6x6x4xf32>
  %m = tosa.mul %s, %scale, %shift : (tensor<1x6x6x4xf32>, tensor<1x1x1x4xf32>, tensor<1xi8>) -> tensor<1x6x6x4xf32>
  %a = tosa.add %m, %beta : (tensor<1x6x6x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x6x6x4xf32>
  %r = tosa.clamp %a {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  return %r : tensor<1x6x6x4xf32>
}

func.func @tosa_transposed_weight(%x: tensor<1x8x4xf32>) -> tensor<1x8x3xf32> {
  %w = "tosa.const"() <{values = dense<[[[1.0, 2.0, 3.0, 4.0], [-1.0, 0.5, 0.25, 2.0], [0.0, 1.0, -2.0, 3.0]]]> : tensor<1x3x4xf32>}> : () -> tensor<1x3x4xf32>
  %t = tosa.transpose %w {perms = array<i32: 0, 2, 1>} : (tensor<1x3x4xf32>) -> tensor<1x4x3xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.matmul %x, %t, %zp, %zp : (tensor<1x8x4xf32>, tensor<1x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x3xf32>
  %z = tosa.tanh %y : (tensor<1x8x3xf32>) -> tensor<1x8x3xf32>
  return %z : tensor<1x8x3xf32>
}

// Softmax over 64 rows of 256: row group fused over tiles of 8 rows.
func.func @softmax_rows(%a: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %e = tensor.empty() : tensor<64x256xf32>
  %e1 = tensor.empty() : tensor<64xf32>
  %ninf = arith.constant -3.0e38 : f32
  %z = arith.constant 0.0 : f32
  %mi = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<64xf32>) -> tensor<64xf32>
  %mx = linalg.generic {indexing_maps = [#map, #red], iterator_types = ["parallel", "reduction"]}
      ins(%a : tensor<64x256xf32>) outs(%mi : tensor<64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.maximumf %x, %o : f32
    linalg.yield %m : f32
  } -> tensor<64xf32>
  %ex = linalg.generic {indexing_maps = [#map, #red, #map], iterator_types = ["parallel", "parallel"]}
      ins(%a, %mx : tensor<64x256xf32>, tensor<64xf32>) outs(%e : tensor<64x256xf32>) {
  ^bb0(%x: f32, %m: f32, %o: f32):
    %s = arith.subf %x, %m : f32
    %x1 = math.exp %s : f32
    linalg.yield %x1 : f32
  } -> tensor<64x256xf32>
  %si = linalg.fill ins(%z : f32) outs(%e1 : tensor<64xf32>) -> tensor<64xf32>
  %sum = linalg.generic {indexing_maps = [#map, #red], iterator_types = ["parallel", "reduction"]}
      ins(%ex : tensor<64x256xf32>) outs(%si : tensor<64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  %d = linalg.generic {indexing_maps = [#map, #red, #map], iterator_types = ["parallel", "parallel"]}
      ins(%ex, %sum : tensor<64x256xf32>, tensor<64xf32>) outs(%e : tensor<64x256xf32>) {
  ^bb0(%x: f32, %s: f32, %o: f32):
    %q = arith.divf %x, %s : f32
    linalg.yield %q : f32
  } -> tensor<64x256xf32>
  return %d : tensor<64x256xf32>
}

// Layer norm over 32 rows of 768 with gamma and beta: mean, centered values,
// variance (square fused into the sum), rsqrt, scale and shift; one row group
// (2 rows per tile); the per-row mean and rsqrt are not fused into the
// broadcasting consumers (they would be recomputed 768x).
#vec = affine_map<(d0) -> (d0)>
func.func @layernorm(%a: tensor<32x768xf32>, %gamma: tensor<768xf32>, %beta: tensor<768xf32>) -> tensor<32x768xf32> {
  %e = tensor.empty() : tensor<32x768xf32>
  %e1 = tensor.empty() : tensor<32xf32>
  %z = arith.constant 0.0 : f32
  %inv = arith.constant 1.302083333e-03 : f32
  %eps = arith.constant 1.0e-5 : f32
  %zi = linalg.fill ins(%z : f32) outs(%e1 : tensor<32xf32>) -> tensor<32xf32>
  %sum = linalg.generic {indexing_maps = [#map, #red], iterator_types = ["parallel", "reduction"]}
      ins(%a : tensor<32x768xf32>) outs(%zi : tensor<32xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  } -> tensor<32xf32>
  %mean = linalg.generic {indexing_maps = [#vec, #vec], iterator_types = ["parallel"]}
      ins(%sum : tensor<32xf32>) outs(%e1 : tensor<32xf32>) {
  ^bb0(%s: f32, %o: f32):
    %m = arith.mulf %s, %inv : f32
    linalg.yield %m : f32
  } -> tensor<32xf32>
  %cen = linalg.generic {indexing_maps = [#map, #red, #map], iterator_types = ["parallel", "parallel"]}
      ins(%a, %mean : tensor<32x768xf32>, tensor<32xf32>) outs(%e : tensor<32x768xf32>) {
  ^bb0(%x: f32, %m: f32, %o: f32):
    %d = arith.subf %x, %m : f32
    linalg.yield %d : f32
  } -> tensor<32x768xf32>
  %sq = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%cen : tensor<32x768xf32>) outs(%e : tensor<32x768xf32>) {
  ^bb0(%d: f32, %o: f32):
    %q = arith.mulf %d, %d : f32
    linalg.yield %q : f32
  } -> tensor<32x768xf32>
  %ssq = linalg.generic {indexing_maps = [#map, #red], iterator_types = ["parallel", "reduction"]}
      ins(%sq : tensor<32x768xf32>) outs(%zi : tensor<32xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  } -> tensor<32xf32>
  %rstd = linalg.generic {indexing_maps = [#vec, #vec], iterator_types = ["parallel"]}
      ins(%ssq : tensor<32xf32>) outs(%e1 : tensor<32xf32>) {
  ^bb0(%s: f32, %o: f32):
    %v = arith.mulf %s, %inv : f32
    %ve = arith.addf %v, %eps : f32
    %rs = math.rsqrt %ve : f32
    linalg.yield %rs : f32
  } -> tensor<32xf32>
  %y = linalg.generic {indexing_maps = [#map, #red, #row, #row, #map], iterator_types = ["parallel", "parallel"]}
      ins(%cen, %rstd, %gamma, %beta : tensor<32x768xf32>, tensor<32xf32>, tensor<768xf32>, tensor<768xf32>) outs(%e : tensor<32x768xf32>) {
  ^bb0(%d: f32, %rs: f32, %g: f32, %b: f32, %o: f32):
    %n = arith.mulf %d, %rs : f32
    %sc = arith.mulf %n, %g : f32
    %sh = arith.addf %sc, %b : f32
    linalg.yield %sh : f32
  } -> tensor<32x768xf32>
  return %y : tensor<32x768xf32>
}

// Matmul + bias + ReLU + residual add: one epilogue group, tile-fused.
func.func @matmul_residual(%a: tensor<256x64xf32>, %w: tensor<64x512xf32>, %bias: tensor<512xf32>, %res: tensor<256x512xf32>) -> tensor<256x512xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256x512xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<256x512xf32>) -> tensor<256x512xf32>
  %m = linalg.matmul ins(%a, %w : tensor<256x64xf32>, tensor<64x512xf32>) outs(%f : tensor<256x512xf32>) -> tensor<256x512xf32>
  %0 = linalg.generic {indexing_maps = [#map, #row, #map], iterator_types = ["parallel", "parallel"]}
      ins(%m, %bias : tensor<256x512xf32>, tensor<512xf32>) outs(%e : tensor<256x512xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    %r = arith.maximumf %s, %z : f32
    linalg.yield %r : f32
  } -> tensor<256x512xf32>
  %1 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%0, %res : tensor<256x512xf32>, tensor<256x512xf32>) outs(%e : tensor<256x512xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<256x512xf32>
  return %1 : tensor<256x512xf32>
}

// Re-quantization epilogue: i8 x i8 -> i32 matmul, then scale, round,
// clamp to [-128, 127] and truncate to i8 (green-run's random i8 inputs are in
// [-4, 4]: the scaled sums spread over about -20..20, so rounding matters).
func.func @requant(%a: tensor<128x64xi8>, %w: tensor<64x256xi8>) -> tensor<128x256xi8> {
  %z = arith.constant 0 : i32
  %scale = arith.constant 0.0625 : f32
  %lo = arith.constant -128.0 : f32
  %hi = arith.constant 127.0 : f32
  %e = tensor.empty() : tensor<128x256xi32>
  %e8 = tensor.empty() : tensor<128x256xi8>
  %f = linalg.fill ins(%z : i32) outs(%e : tensor<128x256xi32>) -> tensor<128x256xi32>
  %m = linalg.matmul ins(%a, %w : tensor<128x64xi8>, tensor<64x256xi8>) outs(%f : tensor<128x256xi32>) -> tensor<128x256xi32>
  %q = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%m : tensor<128x256xi32>) outs(%e8 : tensor<128x256xi8>) {
  ^bb0(%x: i32, %o: i8):
    %xf = arith.sitofp %x : i32 to f32
    %s = arith.mulf %xf, %scale : f32
    %r = math.roundeven %s : f32
    %c0 = arith.maximumf %r, %lo : f32
    %c1 = arith.minimumf %c0, %hi : f32
    %i = arith.fptosi %c1 : f32 to i8
    linalg.yield %i : i8
  } -> tensor<128x256xi8>
  return %q : tensor<128x256xi8>
}

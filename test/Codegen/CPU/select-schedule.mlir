// Schedule selection by the energy cost model: the chosen schedule is stored
// as #green.cpu_schedule and explained by a remark (checked as a prefix:
// the joules and seconds depend on the target files' numbers).
// RUN: green-opt %s --split-input-file --green-cpu-select-schedule="target=cpu-zen4" --verify-diagnostics | FileCheck %s --check-prefix=ZEN4
// RUN: green-opt %s --split-input-file --green-cpu-select-schedule="target=cpu-zen3 remarks=false" | FileCheck %s --check-prefix=ZEN3
// RUN: green-opt %s --split-input-file --green-cpu-select-schedule="target=cpu-zen4 threads=1 remarks=false" | FileCheck %s --check-prefix=ONE
// RUN: green-opt %s --split-input-file --green-cpu-select-schedule="target=cpu-zen4 pack-b=false remarks=false" | FileCheck %s --check-prefix=NOPACK

// A square GEMM: AVX-512 (16 f32 lanes) takes an 8x32 register tile
// (16 zmm accumulators of 32), AVX2 (8 lanes, 16 registers) a 6x16 one;
// both split m over the two cores.
// ZEN4-LABEL: func.func @gemm
// ZEN4: green.cpu_schedule = #green.cpu_schedule<tile = [128, 128, 64], register_tile = [8, 32, 4], parallel_dim = 0, threads = 2, operating_point = 2>
// ZEN3-LABEL: func.func @gemm
// ZEN3: register_tile = [6, 16, 4], parallel_dim = 0, threads = 2
// ONE-LABEL: func.func @gemm
// ONE: parallel_dim = -1, threads = 1
func.func @gemm(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>, %c: tensor<256x256xf32>) -> tensor<256x256xf32> {
  // expected-remark @+1 {{chose tile [128, 128, 64] register tile [8, 32, 4] parallel dim 0 threads 2 operating point 2: }}
  %r = linalg.matmul ins(%a, %b : tensor<256x256xf32>, tensor<256x256xf32>) outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
  return %r : tensor<256x256xf32>
}

// -----

// Batch matmul: threads go over the batch dimension.
// ZEN4-LABEL: func.func @batch
// ZEN4: #green.cpu_schedule<tile = [1, 64, 64, 32], register_tile = [1, 8, 32, 4], parallel_dim = 0, threads = 2
func.func @batch(%a: tensor<4x64x32xf32>, %b: tensor<4x32x64xf32>, %c: tensor<4x64x64xf32>) -> tensor<4x64x64xf32> {
  // expected-remark @+1 {{chose tile [1, 64, 64, 32] register tile [1, 8, 32, 4] parallel dim 0 threads 2}}
  %r = linalg.batch_matmul ins(%a, %b : tensor<4x64x32xf32>, tensor<4x32x64xf32>) outs(%c : tensor<4x64x64xf32>) -> tensor<4x64x64xf32>
  return %r : tensor<4x64x64xf32>
}

// -----

// Shapes the register tile does not divide: the schedule covers the main
// part (m 7 -> register tile 7, n 33 -> 32 + 1, k 257 -> 256 + 1) and lists
// the rejected candidates.
// ZEN4-LABEL: func.func @odd
// ZEN4: register_tile = [7, 32, 4]
func.func @odd(%a: tensor<7x257xf32>, %b: tensor<257x33xf32>, %c: tensor<7x33xf32>) -> tensor<7x33xf32> {
  // expected-remark @+1 {{register tile [7, 32, 4] parallel dim -1 threads 1 operating point 2: }}
  %r = linalg.matmul ins(%a, %b : tensor<7x257xf32>, tensor<257x33xf32>) outs(%c : tensor<7x33xf32>) -> tensor<7x33xf32>
  return %r : tensor<7x33xf32>
}

// -----

// Rows of B 4 KiB apart (n = 1024): the model charges the in-place B panel
// its L1 misses and chooses to pack it (", B packed" in the remark);
// pack-b=false keeps B in place. At n = 256 (above) B stays in place.
// ZEN4-LABEL: func.func @wide
// ZEN4: pack_b = true
// ONE-LABEL: func.func @wide
// ONE: pack_b = true
// NOPACK-LABEL: func.func @wide
// NOPACK-NOT: pack_b
// NOPACK: return
func.func @wide(%a: tensor<64x256xf32>, %b: tensor<256x1024xf32>, %c: tensor<64x1024xf32>) -> tensor<64x1024xf32> {
  // expected-remark @+1 {{, B packed: }}
  %r = linalg.matmul ins(%a, %b : tensor<64x256xf32>, tensor<256x1024xf32>) outs(%c : tensor<64x1024xf32>) -> tensor<64x1024xf32>
  return %r : tensor<64x1024xf32>
}

// -----

// A single row of register tiles reads B once: packing would only add
// traffic, so B stays in place.
// ZEN4-LABEL: func.func @wide_one_row
// ZEN4-NOT: pack_b
// ZEN4: return
func.func @wide_one_row(%a: tensor<1x256xf32>, %b: tensor<256x1024xf32>, %c: tensor<1x1024xf32>) -> tensor<1x1024xf32> {
  // expected-remark @+1 {{operating point 2: }}
  %r = linalg.matmul ins(%a, %b : tensor<1x256xf32>, tensor<256x1024xf32>) outs(%c : tensor<1x1024xf32>) -> tensor<1x1024xf32>
  return %r : tensor<1x1024xf32>
}

// -----

// A contraction with a unit m dimension besides the real one (an im2col
// GEMM of a single image left as a generic): the unit dimension is
// scheduled like a batch dimension (tile 1).
// ZEN4-LABEL: func.func @unit_m
// ZEN4: register_tile = [1, 8, 32, 4]
#uA = affine_map<(b, m, n, k) -> (b, m, k)>
#uB = affine_map<(b, m, n, k) -> (k, n)>
#uC = affine_map<(b, m, n, k) -> (b, m, n)>
func.func @unit_m(%a: tensor<1x64x32xf32>, %b: tensor<32x64xf32>, %c: tensor<1x64x64xf32>) -> tensor<1x64x64xf32> {
  // expected-remark @+1 {{register tile [1, 8, 32, 4]}}
  %r = linalg.generic {indexing_maps = [#uA, #uB, #uC], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
         ins(%a, %b : tensor<1x64x32xf32>, tensor<32x64xf32>) outs(%c : tensor<1x64x64xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %z, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x64x64xf32>
  return %r : tensor<1x64x64xf32>
}

// -----

// Convolutions are not scheduled by this pass (green-cpu-conv-to-gemm turns
// them into GEMMs first, see conv-to-gemm.mlir) (lowered to loops): no attribute, no remark.
// ZEN4-LABEL: func.func @negative_conv
// ZEN4-NOT: green.cpu_schedule
func.func @negative_conv(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x4x8xf32>, %o: tensor<1x6x6x8xf32>) -> tensor<1x6x6x8xf32> {
  %r = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<1x8x8x4xf32>, tensor<3x3x4x8xf32>) outs(%o : tensor<1x6x6x8xf32>) -> tensor<1x6x6x8xf32>
  return %r : tensor<1x6x6x8xf32>
}

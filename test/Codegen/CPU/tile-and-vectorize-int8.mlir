// Integer GEMM micro-kernels on tensors: B packed into k groups, the
// accumulators in registers, one marked vector.contract group per
// instruction. The target option picks the kernel.
// RUN: green-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(green-cpu-tile-and-vectorize{target=cpu-zen4}))" | FileCheck %s --check-prefix=VNNI
// RUN: green-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(green-cpu-tile-and-vectorize{target=cpu-zen3}))" | FileCheck %s --check-prefix=AVX2

// With VNNI the 64x32 panel of B becomes [32/32][64/4][32*4] bytes with
// packed[p][q][4j + t] = B[4q + t][32p + j], plus 128 x its column sums;
// per 4-deep k group, row r of A + 128 (as u8) is broadcast and
// multiplied with two 64-byte groups of B (A's tile is first copied as
// A xor 0x80, so the broadcasts load from memory); the sums are subtracted once
// after the k loop. The remainders (m: 9 = 8 + 1, k: 66 = 64 + 2) stay
// linalg.matmul for the scalar path.
// VNNI-LABEL: func.func @vnni
// VNNI: %[[EXP:.+]] = tensor.expand_shape %{{.+}} {{\[\[}}0, 1], [2, 3]] output_shape [16, 4, 1, 32] : tensor<64x32xi8> into tensor<16x4x1x32xi8>
// VNNI: %[[PACK:.+]] = linalg.generic {{.*}} ins(%[[EXP]] : tensor<16x4x1x32xi8>) outs(%{{.+}} : tensor<1x16x32x4xi8>)
// VNNI: %[[PACKED:.+]] = tensor.collapse_shape %[[PACK]] {{\[\[}}0], [1], [2, 3]] : tensor<1x16x32x4xi8> into tensor<1x16x128xi8>
// VNNI: %[[SUMS:.+]] = linalg.generic {{.*}}iterator_types = ["reduction", "parallel", "parallel"]{{.*}} outs(%{{.+}} : tensor<1x32xi32>)
// VNNI: arith.shli
// VNNI: %[[APACK:.+]] = linalg.generic {{.*}} ins(%{{.+}} : tensor<8x64xi8>) outs(%{{.+}} : tensor<8x64xi8>)
// VNNI: arith.xori %{{.+}}, %c-128_i8 : i8
// VNNI: scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>,
// VNNI: vector.transfer_read %[[PACKED]]{{.*}} : tensor<1x16x128xi8>, vector<64xi8>
// VNNI: vector.transfer_read %[[PACKED]]{{.*}} : tensor<1x16x128xi8>, vector<64xi8>
// VNNI: vector.transfer_read %[[APACK]]{{.*}} : tensor<8x64xi8>, vector<4xi8>
// VNNI: vector.broadcast %{{.+}} : i32 to vector<16xi32>
// VNNI: arith.extui {{.*}} : vector<16x4xi8> to vector<16x4xi32>
// VNNI: arith.extsi {{.*}} : vector<16x4xi8> to vector<16x4xi32>
// VNNI: vector.contract {{.*}} {green_integer_dot = "vpdpbusd"{{.*}} : vector<16x4xi32>, vector<16x4xi32> into vector<16xi32>
// VNNI: vector.transfer_read %[[SUMS]]{{.*}} : tensor<1x32xi32>, vector<16xi32>
// VNNI: arith.subi {{.*}} : vector<16xi32>
// VNNI: linalg.matmul {{.*}} tensor<8x2xi8>, tensor<2x32xi8>
// VNNI: linalg.matmul {{.*}} tensor<1x66xi8>, tensor<66x32xi8>
// VNNI-NOT: green.cpu_schedule
// With AVX2 the panel is sign-extended to i16 pairs ([1][32][64] x i16) and
// each 4-deep group is two vpmaddwd groups per 8 columns (A's tile copied
// as i16 once per cache tile); no column sums.
// AVX2-LABEL: func.func @vnni
// AVX2: linalg.generic {{.*}} outs(%{{.+}} : tensor<1x32x32x2xi16>)
// AVX2: arith.extsi %{{.+}} : i8 to i16
// AVX2: tensor.collapse_shape {{.*}} into tensor<1x32x64xi16>
// AVX2-NOT: arith.shli
// AVX2: %[[APACK:.+]] = linalg.generic {{.*}} ins(%{{.+}} : tensor<8x64xi8>) outs(%{{.+}} : tensor<8x64xi16>)
// AVX2: vector.transfer_read %[[APACK]]{{.*}} : tensor<8x64xi16>, vector<2xi16>
// AVX2: vector.bitcast %{{.+}} : vector<2xi16> to vector<1xi32>
// AVX2: vector.contract {{.*}} {green_integer_dot = "vpmaddwd"{{.*}} : vector<8x2xi32>, vector<8x2xi32> into vector<8xi32>
// AVX2-NOT: arith.xori
// AVX2-NOT: arith.subi {{.*}} : vector<8xi32>
func.func @vnni(%a: tensor<9x66xi8>, %b: tensor<66x32xi8>, %c: tensor<9x32xi32>) -> tensor<9x32xi32> {
  %r = linalg.matmul {green.cpu_schedule = #green.cpu_schedule<tile = [8, 32, 64], register_tile = [8, 32, 4], parallel_dim = -1, threads = 1, operating_point = 2, pack_b = true>}
         ins(%a, %b : tensor<9x66xi8>, tensor<66x32xi8>) outs(%c : tensor<9x32xi32>) -> tensor<9x32xi32>
  return %r : tensor<9x32xi32>
}

// -----

// Without pack_b (or with n not a multiple of the vector) an integer GEMM
// takes the generic vector.contract path, which is exact too.
// VNNI-LABEL: func.func @unpacked
// VNNI-NOT: green_integer_dot
// VNNI: vector.contract {{.*}} : vector<8x4xi8>, vector<4x16xi8> into vector<8x16xi32>
// VNNI-NOT: green_integer_dot
func.func @unpacked(%a: tensor<8x64xi8>, %b: tensor<64x16xi8>, %c: tensor<8x16xi32>) -> tensor<8x16xi32> {
  %r = linalg.matmul {green.cpu_schedule = #green.cpu_schedule<tile = [8, 16, 64], register_tile = [8, 16, 4], parallel_dim = -1, threads = 1, operating_point = 2>}
         ins(%a, %b : tensor<8x64xi8>, tensor<64x16xi8>) outs(%c : tensor<8x16xi32>) -> tensor<8x16xi32>
  return %r : tensor<8x16xi32>
}

// -----

// int4 weights: B's i4 panel is sign-extended to i8 (VNNI) or i16 (AVX2)
// while it is packed, and its column sums are taken from the i4 values.
// VNNI-LABEL: func.func @i4_weights
// VNNI: tensor.expand_shape %{{.+}} : tensor<64x32xi4> into tensor<16x4x1x32xi4>
// VNNI: linalg.generic {{.*}} ins(%{{.+}} : tensor<16x4x1x32xi4>) outs(%{{.+}} : tensor<1x16x32x4xi8>)
// VNNI: arith.extsi %{{.+}} : i4 to i8
// VNNI: arith.extsi %{{.+}} : i4 to i32
// VNNI: vector.contract {{.*}} {green_integer_dot = "vpdpbusd"
// AVX2-LABEL: func.func @i4_weights
// AVX2: linalg.generic {{.*}} ins(%{{.+}} : tensor<32x2x1x32xi4>) outs(%{{.+}} : tensor<1x32x32x2xi16>)
// AVX2: arith.extsi %{{.+}} : i4 to i16
// AVX2: vector.contract {{.*}} {green_integer_dot = "vpmaddwd"
func.func @i4_weights(%a: tensor<8x64xi8>, %b: tensor<64x32xi4>, %c: tensor<8x32xi32>) -> tensor<8x32xi32> {
  %r = linalg.matmul {green.cpu_schedule = #green.cpu_schedule<tile = [8, 32, 64], register_tile = [8, 32, 4], parallel_dim = -1, threads = 1, operating_point = 2, pack_b = true>}
         ins(%a, %b : tensor<8x64xi8>, tensor<64x32xi4>) outs(%c : tensor<8x32xi32>) -> tensor<8x32xi32>
  return %r : tensor<8x32xi32>
}

// -----

// Mixed input types without packing: no valid vector.contract exists, so
// the register tiles stay linalg.matmul (scalar loops later).
// VNNI-LABEL: func.func @i4_unpacked
// VNNI-NOT: vector.contract
// VNNI: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<8x4xi8>, tensor<4x16xi4>)
// VNNI-NOT: vector.contract
// VNNI: return
func.func @i4_unpacked(%a: tensor<8x64xi8>, %b: tensor<64x16xi4>, %c: tensor<8x16xi32>) -> tensor<8x16xi32> {
  %r = linalg.matmul {green.cpu_schedule = #green.cpu_schedule<tile = [8, 16, 64], register_tile = [8, 16, 4], parallel_dim = -1, threads = 1, operating_point = 2>}
         ins(%a, %b : tensor<8x64xi8>, tensor<64x16xi4>) outs(%c : tensor<8x16xi32>) -> tensor<8x16xi32>
  return %r : tensor<8x16xi32>
}

// -----

// cast_unsigned (u8 x u8): the named vector.contract would sign-extend the
// operands, so these register tiles also stay linalg.matmul (exact scalar
// loops); neither the integer kernel (signed only) nor the generic
// vectorization takes them.
// VNNI-LABEL: func.func @unsigned_cast
// VNNI-NOT: vector.contract
// VNNI: linalg.matmul {cast = #linalg.type_fn<cast_unsigned>} ins(%{{.+}}, %{{.+}} : tensor<8x4xi8>, tensor<4x32xi8>)
// VNNI-NOT: vector.contract
// VNNI: return
func.func @unsigned_cast(%a: tensor<8x64xi8>, %b: tensor<64x32xi8>, %c: tensor<8x32xi32>) -> tensor<8x32xi32> {
  %r = linalg.matmul {cast = #linalg.type_fn<cast_unsigned>, green.cpu_schedule = #green.cpu_schedule<tile = [8, 32, 64], register_tile = [8, 32, 4], parallel_dim = -1, threads = 1, operating_point = 2, pack_b = true>}
         ins(%a, %b : tensor<8x64xi8>, tensor<64x32xi8>) outs(%c : tensor<8x32xi32>) -> tensor<8x32xi32>
  return %r : tensor<8x32xi32>
}

// Attention heads with a fused QKV projection, as torch.onnx.export writes
// torch.nn.MultiheadAttention(8, 4) and green-import-onnx imports it: one
// matmul with 24 outputs, sliced into Q, K and V. Head h owns features
// 2h..2h+1 of each of Q, K and V (feature f: head (f / 2) % 4), so the
// projection keeps 12 outputs, every slice 4, every [heads, ...] tensor 2
// heads and the out-projection 4 input rows.
// RUN: green-opt %s --green-prune="ratio=0.5 layers=/att/MatMul" 2>&1 | FileCheck %s
// CHECK: remark: {{.*}}green-prune: kept 2 of 4 heads (2 features each) of '/att/MatMul': [1, 2]
// CHECK: tosa.matmul {{.*}} : (tensor<1x3x8xf32>, tensor<1x8x12xf32>, {{.*}}) -> tensor<1x3x12xf32>
// CHECK: tosa.const_shape {{.*}}dense<[0, 0, 4]>
// CHECK: tosa.slice {{.*}} -> tensor<3x1x4xf32>
// CHECK: tosa.const_shape {{.*}}dense<[0, 0, 8]>
// CHECK: tosa.slice {{.*}} -> tensor<3x1x4xf32>
// CHECK: tosa.matmul {{.*}} : (tensor<2x3x2xf32>, tensor<2x2x3xf32>, {{.*}}) -> tensor<2x3x3xf32>
// CHECK: tosa.matmul {{.*}} : (tensor<2x3x3xf32>, tensor<2x3x2xf32>, {{.*}}) -> tensor<2x3x2xf32>
// CHECK: tosa.matmul {{.*}} : (tensor<1x3x4xf32>, tensor<1x4x8xf32>, {{.*}}) -> tensor<1x3x8xf32>
#loc1 = loc("x")
module {
  func.func @main(%arg0: tensor<1x3x8xf32> {onnx.name = "x"} loc("x")) -> (tensor<1x3x8xf32> {onnx.name = "y"}) {
    %0 = tosa.transpose %arg0 {perms = array<i32: 1, 0, 2>} : (tensor<1x3x8xf32>) -> tensor<3x1x8xf32> loc(#loc2)
    %1 = tosa.const_shape  {values = dense<[1, 3, 8]> : tensor<3xindex>} : () -> !tosa.shape<3> loc(#loc3)
    %2 = tosa.reshape %0, %1 : (tensor<3x1x8xf32>, !tosa.shape<3>) -> tensor<1x3x8xf32> loc(#loc3)
    %3 = "tosa.const"() <{values = dense_resource<"onnx::MatMul_90"> : tensor<1x8x24xf32>}> : () -> tensor<1x8x24xf32> loc(#loc4)
    %4 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32> loc(#loc3)
    %5 = tosa.matmul %2, %3, %4, %4 : (tensor<1x3x8xf32>, tensor<1x8x24xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x24xf32> loc(#loc3)
    %6 = tosa.const_shape  {values = dense<[3, 1, 24]> : tensor<3xindex>} : () -> !tosa.shape<3> loc(#loc3)
    %7 = tosa.reshape %5, %6 : (tensor<1x3x24xf32>, !tosa.shape<3>) -> tensor<3x1x24xf32> loc(#loc3)
    %8 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1x1x24xf32>}> : () -> tensor<1x1x24xf32> loc(#loc5)
    %9 = tosa.add %8, %7 : (tensor<1x1x24xf32>, tensor<3x1x24xf32>) -> tensor<3x1x24xf32> loc(#loc6)
    %10 = tosa.const_shape  {values = dense<0> : tensor<3xindex>} : () -> !tosa.shape<3> loc(#loc7)
    %11 = tosa.const_shape  {values = dense<[3, 1, 8]> : tensor<3xindex>} : () -> !tosa.shape<3> loc(#loc7)
    %12 = tosa.slice %9, %10, %11 : (tensor<3x1x24xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<3x1x8xf32> loc(#loc7)
    %13 = tosa.const_shape  {values = dense<[0, 0, 8]> : tensor<3xindex>} : () -> !tosa.shape<3> loc(#loc8)
    %14 = tosa.slice %9, %13, %11 : (tensor<3x1x24xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<3x1x8xf32> loc(#loc8)
    %15 = tosa.const_shape  {values = dense<[0, 0, 16]> : tensor<3xindex>} : () -> !tosa.shape<3> loc(#loc9)
    %16 = tosa.slice %9, %15, %11 : (tensor<3x1x24xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<3x1x8xf32> loc(#loc9)
    %17 = tosa.const_shape  {values = dense<[3, 4, 2]> : tensor<3xindex>} : () -> !tosa.shape<3> loc(#loc10)
    %18 = tosa.reshape %12, %17 : (tensor<3x1x8xf32>, !tosa.shape<3>) -> tensor<3x4x2xf32> loc(#loc10)
    %19 = tosa.transpose %18 {perms = array<i32: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32> loc(#loc11)
    %20 = tosa.reshape %14, %17 : (tensor<3x1x8xf32>, !tosa.shape<3>) -> tensor<3x4x2xf32> loc(#loc12)
    %21 = tosa.reshape %16, %17 : (tensor<3x1x8xf32>, !tosa.shape<3>) -> tensor<3x4x2xf32> loc(#loc13)
    %22 = tosa.transpose %21 {perms = array<i32: 1, 0, 2>} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32> loc(#loc14)
    %23 = "tosa.const"() <{values = dense<0.707106769> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32> loc(#loc15)
    %24 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8> loc(#loc15)
    %25 = tosa.mul %19, %23, %24 : (tensor<4x3x2xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<4x3x2xf32> loc(#loc15)
    %26 = tosa.transpose %20 {perms = array<i32: 1, 2, 0>} : (tensor<3x4x2xf32>) -> tensor<4x2x3xf32> loc(#loc16)
    %27 = tosa.matmul %25, %26, %4, %4 : (tensor<4x3x2xf32>, tensor<4x2x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x3x3xf32> loc(#loc17)
    %28 = tosa.reduce_max %27 {axis = 2 : i32} : (tensor<4x3x3xf32>) -> tensor<4x3x1xf32> loc(#loc18)
    %29 = tosa.sub %27, %28 : (tensor<4x3x3xf32>, tensor<4x3x1xf32>) -> tensor<4x3x3xf32> loc(#loc18)
    %30 = tosa.exp %29 : (tensor<4x3x3xf32>) -> tensor<4x3x3xf32> loc(#loc18)
    %31 = tosa.reduce_sum %30 {axis = 2 : i32} : (tensor<4x3x3xf32>) -> tensor<4x3x1xf32> loc(#loc18)
    %32 = tosa.reciprocal %31 : (tensor<4x3x1xf32>) -> tensor<4x3x1xf32> loc(#loc18)
    %33 = tosa.mul %30, %32, %24 : (tensor<4x3x3xf32>, tensor<4x3x1xf32>, tensor<1xi8>) -> tensor<4x3x3xf32> loc(#loc18)
    %34 = tosa.matmul %33, %22, %4, %4 : (tensor<4x3x3xf32>, tensor<4x3x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x3x2xf32> loc(#loc19)
    %35 = tosa.transpose %34 {perms = array<i32: 1, 0, 2>} : (tensor<4x3x2xf32>) -> tensor<3x4x2xf32> loc(#loc20)
    %36 = tosa.reshape %35, %1 : (tensor<3x4x2xf32>, !tosa.shape<3>) -> tensor<1x3x8xf32> loc(#loc21)
    %37 = "tosa.const"() <{values = dense_resource<att.out_proj.weight> : tensor<1x8x8xf32>}> : () -> tensor<1x8x8xf32> loc(#loc22)
    %38 = tosa.matmul %36, %37, %4, %4 : (tensor<1x3x8xf32>, tensor<1x8x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x8xf32> loc(#loc21)
    %39 = tosa.const_shape  {values = dense<[3, 8]> : tensor<2xindex>} : () -> !tosa.shape<2> loc(#loc21)
    %40 = tosa.reshape %38, %39 : (tensor<1x3x8xf32>, !tosa.shape<2>) -> tensor<3x8xf32> loc(#loc21)
    %41 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1x8xf32>}> : () -> tensor<1x8xf32> loc(#loc23)
    %42 = tosa.add %40, %41 : (tensor<3x8xf32>, tensor<1x8xf32>) -> tensor<3x8xf32> loc(#loc21)
    %43 = tosa.reshape %42, %11 : (tensor<3x8xf32>, !tosa.shape<3>) -> tensor<3x1x8xf32> loc(#loc24)
    %44 = tosa.transpose %43 {perms = array<i32: 1, 0, 2>} : (tensor<3x1x8xf32>) -> tensor<1x3x8xf32> loc(#loc25)
    %45 = tosa.clamp %44 {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<1x3x8xf32>) -> tensor<1x3x8xf32> loc(#loc26)
    %46 = "tosa.const"() <{values = dense_resource<"onnx::MatMul_110"> : tensor<1x8x8xf32>}> : () -> tensor<1x8x8xf32> loc(#loc27)
    %47 = tosa.matmul %45, %46, %4, %4 : (tensor<1x3x8xf32>, tensor<1x8x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x8xf32> loc(#loc28)
    %48 = "tosa.const"() <{values = dense<[[[0.165114447, -0.171996519, -0.292985588, -3.040280e-01, 0.35270831, 0.224431917, -0.244388029, 0.138325155]]]> : tensor<1x1x8xf32>}> : () -> tensor<1x1x8xf32> loc(#loc29)
    %49 = tosa.add %48, %47 : (tensor<1x1x8xf32>, tensor<1x3x8xf32>) -> tensor<1x3x8xf32> loc(#loc30)
    return %49 : tensor<1x3x8xf32> loc(#loc)
  } loc(#loc)
} loc(#loc)
#loc = loc("mha.onnx":0:0)
#loc2 = loc("/att/Transpose")
#loc3 = loc("/att/MatMul")
#loc4 = loc("onnx::MatMul_90")
#loc5 = loc("att.in_proj_bias")
#loc6 = loc("/att/Add")
#loc7 = loc("/att/Slice")
#loc8 = loc("/att/Slice_1")
#loc9 = loc("/att/Slice_2")
#loc10 = loc("/att/Reshape")
#loc11 = loc("/att/Transpose_1")
#loc12 = loc("/att/Reshape_1")
#loc13 = loc("/att/Reshape_2")
#loc14 = loc("/att/Transpose_2")
#loc15 = loc("/att/Div_1")
#loc16 = loc("/att/Transpose_3")
#loc17 = loc("/att/MatMul_1")
#loc18 = loc("/att/Softmax")
#loc19 = loc("/att/MatMul_2")
#loc20 = loc("/att/Transpose_4")
#loc21 = loc("/att/Gemm")
#loc22 = loc("att.out_proj.weight")
#loc23 = loc("att.out_proj.bias")
#loc24 = loc("/att/Reshape_4")
#loc25 = loc("/att/Transpose_5")
#loc26 = loc("/Relu")
#loc27 = loc("onnx::MatMul_110")
#loc28 = loc("/fc/MatMul")
#loc29 = loc("fc.bias")
#loc30 = loc("/fc/Add")

{-#
  dialect_resources: {
    builtin: {
      "onnx::MatMul_90": "0x0800000037432E3ED79DCEBE9E832A3E16665D3E8131D3BE26EA86BE31012E3E2C1E1BBEDB2B453CFE28C7BEAEE0B3BD2AD0AABD928BC7BE7BAA4CBDF80E553E56629CBECA39953CAE56203EB56AADBE2D21C0BEA96A5D3DA968123E328FC33B75BDDBBE04B1B73E23FBC43EAF5083BE4C9CB93DCA08FFBB8D2AC93EF27AD43C51B6B5BE1D0219BD4D3552BE7D2A733E611EAEBDB864EFBC64F045BEAA971C3EDE349E3C1FEA8E3E2096603D0A6768BE2DA75B3ECC93C63ED353A63EC7C596BD7D26483E59EDC03EDB92A83E668C223E53F2ACBE7EF4A6BEC5EE973E9D5958BE4FA3BCBD4D79B33D59F5963E13B96F3EDAF1C6BE30F8C23EFF48B13E6041D5BD21499CBEE196A7BEF53E53BBEE05B33E18EA9DBE419E873E36BD0EBE888769BE8AF354BEE69EC33E8927DDBEC73B603E3D527FBEFF02ABBE3BF5BABE7AD0513EB58FBD3D9AF78C3E98F537BB24D1D5BE256DBFBE81DC34BE1F28B3BE4080BABD621674BE943398BE544EAFBD03ECB3BED1BBFBBDD5298CBE6BB7353AD36B6A3D75F393BEF37CB03D6EFCA53DE4B59E3E0491D03E9773C3BC8EB6DCBDFAAAD4BE7D6E90BEC101D23E91645CBE464B8A3E7FC48ABDB332C83E74513E3D6FB3B6BEF12F81BEEFBB80BE95875E3DBBB6FEBC06C514BE74DE463E7D46643E7754B73E3D727FBEE5C9C0BE5C6495BD48CB253E1963953E6F26853D8F0FA03C916783BEC60AB6BC22CB8C3EABE4A9BEFB7BADBE847EB73BAF94203E96ABB9BDA341703E0D88173E4F2D9B3E937FCABD1351DB3E4C5383BD7BB89CBE2168D6BEAE9D01BE3AF07E3EE428233D3AEF91BD416DDBBEF25541BE789635BEF462813DB9FEDDBDB7B49E3EC37CD23E127BCFBE137BBBBD826D49BEEE13C8BE10529E3EE506B03E8D1D84BE7A631FBE456547BBA02C203EF2339B3B1BED3BBE5F49A03E9B9F83BECCD06A3EC2B28ABEC1F84ABE56D18FBE5332DFBDA58D833E1A54D23D0EFD57BE1E5436BD694500BD651EBBBEE1C933BEC307273E45458C3E548CF73DC1B1973E20C81ABCE900BB3E344D623DC6DD483CA5DCB63E5C6A023EAD54B7BE07FD23BE5929AA3E",
      att.out_proj.weight: "0x0800000022792DBBDE8300BD6B200F3E1E6B69BD85AA6ABE4952983CF68F20BE70ED863D9C36423E9799BF3D403B593E353C193D86A826BE7B9C39BEF20251BC65588CBEB1FC94BE5DD3DABDDE7075BEA1E8A33E53EF7CBE6E01753DB38B673E8AEC7ABE1D3885BE1B548EBD86A71DBE20EDA7BE2089A9BE4D04A9BE12F5B33EF2053BBED6700BBEC2EFACBEA77F033EC5EA63BE2D5653BE68CC82BECBAF0F3E10D0233EAB2AC23D90C56FBEF750963EAC4FB7BD979A9B3E4CA43ABEA6A2433DFD98113E578AE5BB9F3D15BEE70395BD661F0DBE5E8C213E876C643EF2BD723E5B7456BE40878F3E4C94563C7A75873E9E669C3E5F782F3E5D45543E522B55BEB8BFDA3D",
      "onnx::MatMul_110": "0x08000000DE51033EEF25ABBE0A8B383C4A94A5BDAF5D7A3EE7318E3D457AFB3DDDEEF13C0AD0F1BD7A6F9C3DF59B73BE5CCD80BC52C186BEAB6786BE811904BE0ED3343D9257CABD762B4BBE655292BE5F7F5CBE9350143E9B1D713D4C6C093ED54E8EBE04EAD53D7864A1BE8E49903E35E2F43D3B79F3BDED331A3EAD1A713EAA9DE33CDECD943E4ABB9E3ECCD06B3DB7EDE43D0DAC2EBE5E4E0F3E000A3DBE6BB37A3EF8DEC43DAA1C6BBE972D963EA5FCEEBBB113823DB44A36BDD280643B771EA33E034C2BBE8BBE24BD79BDF2BDB8D8A2BD42103CBEBD6594BEDFB3153EDFC9543EAA2F2ABE8871CF3DE947D53DE22B5FBEB8D4A63D2A3D5FBDA901E33CA00E423D"
    }
  }
#-}


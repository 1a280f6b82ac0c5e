// Attention heads: a multi-head attention as importers write it (Q, K, V
// projections, reshape [1, S, H, dh], transposes, batched tosa.matmul,
// softmax, the output projection). A projection's features are split into
// heads by a reshape, so the group's channels are whole heads: Q, K and V
// lose the same heads' columns, every [H, ...] tensor loses those heads and
// the output projection the matching rows. Heads 1 and 3 have the largest
// weights.
// RUN: green-opt %s --split-input-file --green-prune="ratio=0.5" 2>/dev/null | FileCheck %s
// RUN: green-opt %s --split-input-file --green-prune="ratio=0.5" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: green-opt %s --split-input-file --green-prune="ratio=0.5 target=cpu-zen3 report=-" -o /dev/null 2>/dev/null | FileCheck %s --check-prefix=REPORT
// REMARK: remark: {{.*}}green-prune: kept 2 of 4 heads (2 features each) of 'q_proj': [1, 3]
// REMARK: remark: {{.*}}green-prune: kept 2 of 4 heads (2 features each) of 'v_proj': [1, 3]
// REMARK: remark: {{.*}}green-prune: kept 2 of 4 heads (2 features each) of 'k_proj': [1, 3]
// REMARK: remark: {{.*}}green-prune: channels of 'out_proj' left intact: 'func.return'
// CHECK-LABEL: func.func @attention
// CHECK: tosa.matmul %arg0, {{.*}} : (tensor<1x3x8xf32>, tensor<1x8x4xf32>, {{.*}}) -> tensor<1x3x4xf32>
// CHECK: tosa.reshape {{.*}} -> tensor<1x3x2x2xf32>
// CHECK: tosa.transpose {{.*}} -> tensor<1x2x3x2xf32>
// CHECK: tosa.reshape {{.*}} -> tensor<2x3x2xf32>
// CHECK: tosa.transpose {{.*}} -> tensor<1x2x2x3xf32>
// CHECK: tosa.matmul {{.*}} : (tensor<2x3x2xf32>, tensor<2x2x3xf32>, {{.*}}) -> tensor<2x3x3xf32>
// CHECK: tosa.reduce_max {{.*}} -> tensor<2x3x1xf32>
// CHECK: tosa.matmul {{.*}} : (tensor<2x3x3xf32>, tensor<2x3x2xf32>, {{.*}}) -> tensor<2x3x2xf32>
// CHECK: tosa.reshape {{.*}} -> tensor<1x3x4xf32>
// CHECK: tosa.matmul {{.*}} : (tensor<1x3x4xf32>, tensor<1x4x8xf32>, {{.*}}) -> tensor<1x3x8xf32>
// REPORT: "channels": 4,
// REPORT-NEXT: "features_per_channel": 2,
// REPORT-NEXT: "kept": [
// REPORT-NEXT: 1,
// REPORT-NEXT: 3
// REPORT-NEXT: ],
// REPORT-NEXT: "producers": [
// REPORT-NEXT: "q_proj",
// REPORT-NEXT: "v_proj",
// REPORT-NEXT: "k_proj"
func.func @attention(%x: tensor<1x3x8xf32>) -> tensor<1x3x8xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<"0xF304353F"> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %s4 = tosa.const_shape {values = dense<[1, 3, 4, 2]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s3 = tosa.const_shape {values = dense<[4, 3, 2]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %kshape = tosa.const_shape {values = dense<[4, 2, 3]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %o3 = tosa.const_shape {values = dense<[1, 3, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %o4 = tosa.const_shape {values = dense<[1, 4, 3, 2]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %wq = "tosa.const"() <{values = dense<"0x6CBF803D7F4687BD1CEC753F6820213EA12189BEFD22393E365EFA3FECD6B53FFE27B4BE55F921BF5F566FBF25E87D3D4ECD94BFEC0AE0BD0437EFBF68988CBF8F548BBE18F221BEEE101E3F9E29C83F979E83BD46E82E3F4C6F7FBFD9FA063FD249E73E8589403D7AC08EBFA5F8B0BF0A5B6ABED57AE13DC1D8C1BF97A5A0BEE20BA3BDDB748A3EB3DBA43E8F76083F5061A7BE70B984BDF685963F905E0F400F2921BF41C8413F3C3401400503963FBA66073E7EBA20BE51F80B404F2F3C40F99B663F5255283FED3B093F47FFE7BFFAF311BBBE0EA83E8B5DF7BF14BA173F18175C3EDB2FB23EC459E3BF02187EBF71745FBE12BC15BFB4FA2640026E3EBF"> : tensor<1x8x8xf32>}> : () -> tensor<1x8x8xf32>
  %bq = "tosa.const"() <{values = dense<"0xF7BE063D98D2D3BCCB25223E7934073EEBB5813DB0A361BE117DAA3BD9048C3D"> : tensor<1x1x8xf32>}> : () -> tensor<1x1x8xf32>
  %wk = "tosa.const"() <{values = dense<"0xD081003F282F9EBEC0E92E40D385FDBFE759A9BE705FEF3E1EB2963DCD3A40402D0BC13D0219A2BE01FC10BF0480D1BF068B23BFA662A13EED2A5F3F288EF83FD82DC1BEAC34583FB9B6DCBEA82417401B965DBEA248BCBECDD5BF3EFB09C63FB2DFA43D38E595BED1C100C0C38B06C0D3AF803ED55DFD3E435B7CBE2E47CEBFB17FDF3EF3E323BFB9E888BF8A786E3F500290BF3CD2453E9F595FBF87DA273E67091BBD13F7CE3DF047853F649B91BFBDE2353F48E1B93E26FFA13F65A7DF3F629FC93E8A15D83E3C39E83D65F808C043498ABDE9FEC4BE4D9508C0E37DC63E758C91BEA2D003BF9741C8BFF224CE3EDAA3373E4946293FC3FBAABC8208C83F"> : tensor<1x8x8xf32>}> : () -> tensor<1x8x8xf32>
  %bk = "tosa.const"() <{values = dense<"0x88970F3ECE8DEB3D063572BE6AA2FB3DBD1B0B3DA6932D3D040E183DFFC61C3D"> : tensor<1x1x8xf32>}> : () -> tensor<1x1x8xf32>
  %wv = "tosa.const"() <{values = dense<"0x438A233E7CC337BE978E36C0034B27BE5FC1CDBECB420A3FCEC5DDBED837003EC77FD9BE27B882BEE0B78DBC95980EC066F3193E693C59BD80A8E3BFF93A66C06257833EEF5C18BEF2854BBFE45DB5BE4982683F1AFCCBBC150C053E4EC20EC002DC523F7EE0EA3EFCD9CC3F5D73923DE3A9EA3EBEEC3D3EF0766B3FB5C469BE5CA83CBF80B1033F91C139C07845B8BE586ED1BD717C05BF75706B3F6CDA99BE35AD5FBE5914853EA00137BF92570540EBF1333EC6DB72BE42A63AC0AF16FBBF451D0B3F3546CFBCA770D9BE8DC01D40DA2D24BFABED95BE427935BF4D27613F71DDA9BEF4089DBE27181AC0FB088C3F265FCE3EA7E773BEE1E37A3E2430F8BF"> : tensor<1x8x8xf32>}> : () -> tensor<1x8x8xf32>
  %bv = "tosa.const"() <{values = dense<"0x324141BD281A0D3E99615E3CCB946C3E9237A1BD3BAF6D3D8B28A0BC4DC2673D"> : tensor<1x1x8xf32>}> : () -> tensor<1x1x8xf32>
  %wo = "tosa.const"() <{values = dense<"0x454D6CBBAEAA8FBE221CDEBEF239C43F16671EBDF81081BFB00AA6BE0394AD3E8D0080BE1A232E3F964E003FA9FE9BBD4AC671BE529D00BF0231B3BEF48F3CBFA8291A3F159C4B3F22C920BF634117BF995E62BF27BFF6BE39CEC6BF323612BF5301263FFDFB30BE08C6DA3E275A7ABE8C5D613FCDFFCB3DCE9543BEEA5AA33F2D2126BE0C511CBF7FC1CE3D7D119FBC537D083F33F0EBBEEE01CE3EB94DDA3E8EEDAABE7029A73D29ACD4BEB821963F7E42B4BE60F967BE616D08BFCF3631BEAF8B40BBD48DC43EDA489CBE873BBEBD864F35BFA2D0D3BE275FB03F7547053F680BC8BED52F2BBFCCBFF9BE08B131BCBA3E8E3C6B8EBEBE79AE24BF8010363F"> : tensor<1x8x8xf32>}> : () -> tensor<1x8x8xf32>
  %bo = "tosa.const"() <{values = dense<"0xA702393D4E6C19BD02C4B4BC4BE558BD565396BE16803D3C5C3FDBBD8959CDBD"> : tensor<1x1x8xf32>}> : () -> tensor<1x1x8xf32>
  %qm = tosa.matmul %x, %wq, %zp, %zp : (tensor<1x3x8xf32>, tensor<1x8x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x8xf32> loc("q_proj")
  %qb = tosa.add %qm, %bq : (tensor<1x3x8xf32>, tensor<1x1x8xf32>) -> tensor<1x3x8xf32>
  %q4 = tosa.reshape %qb, %s4 : (tensor<1x3x8xf32>, !tosa.shape<4>) -> tensor<1x3x4x2xf32>
  %qt = tosa.transpose %q4 {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x3x4x2xf32>) -> tensor<1x4x3x2xf32>
  %q3 = tosa.reshape %qt, %s3 : (tensor<1x4x3x2xf32>, !tosa.shape<3>) -> tensor<4x3x2xf32>
  %km = tosa.matmul %x, %wk, %zp, %zp : (tensor<1x3x8xf32>, tensor<1x8x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x8xf32> loc("k_proj")
  %kb = tosa.add %km, %bk : (tensor<1x3x8xf32>, tensor<1x1x8xf32>) -> tensor<1x3x8xf32>
  %k4 = tosa.reshape %kb, %s4 : (tensor<1x3x8xf32>, !tosa.shape<4>) -> tensor<1x3x4x2xf32>
  %kt = tosa.transpose %k4 {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x3x4x2xf32>) -> tensor<1x4x2x3xf32>
  %k3 = tosa.reshape %kt, %kshape : (tensor<1x4x2x3xf32>, !tosa.shape<3>) -> tensor<4x2x3xf32>
  %vm = tosa.matmul %x, %wv, %zp, %zp : (tensor<1x3x8xf32>, tensor<1x8x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x8xf32> loc("v_proj")
  %vb = tosa.add %vm, %bv : (tensor<1x3x8xf32>, tensor<1x1x8xf32>) -> tensor<1x3x8xf32>
  %v4 = tosa.reshape %vb, %s4 : (tensor<1x3x8xf32>, !tosa.shape<4>) -> tensor<1x3x4x2xf32>
  %vt = tosa.transpose %v4 {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x3x4x2xf32>) -> tensor<1x4x3x2xf32>
  %v3 = tosa.reshape %vt, %s3 : (tensor<1x4x3x2xf32>, !tosa.shape<3>) -> tensor<4x3x2xf32>
  %s = tosa.matmul %q3, %k3, %zp, %zp : (tensor<4x3x2xf32>, tensor<4x2x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x3x3xf32>
  %ss = tosa.mul %s, %scale, %sh : (tensor<4x3x3xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<4x3x3xf32>
  %mx = tosa.reduce_max %ss {axis = 2 : i32} : (tensor<4x3x3xf32>) -> tensor<4x3x1xf32>
  %sd = tosa.sub %ss, %mx : (tensor<4x3x3xf32>, tensor<4x3x1xf32>) -> tensor<4x3x3xf32>
  %ex = tosa.exp %sd : (tensor<4x3x3xf32>) -> tensor<4x3x3xf32>
  %sm = tosa.reduce_sum %ex {axis = 2 : i32} : (tensor<4x3x3xf32>) -> tensor<4x3x1xf32>
  %rc = tosa.reciprocal %sm : (tensor<4x3x1xf32>) -> tensor<4x3x1xf32>
  %pr = tosa.mul %ex, %rc, %sh : (tensor<4x3x3xf32>, tensor<4x3x1xf32>, tensor<1xi8>) -> tensor<4x3x3xf32>
  %av = tosa.matmul %pr, %v3, %zp, %zp : (tensor<4x3x3xf32>, tensor<4x3x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x3x2xf32>
  %a4 = tosa.reshape %av, %o4 : (tensor<4x3x2xf32>, !tosa.shape<4>) -> tensor<1x4x3x2xf32>
  %at = tosa.transpose %a4 {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x4x3x2xf32>) -> tensor<1x3x4x2xf32>
  %a3 = tosa.reshape %at, %o3 : (tensor<1x3x4x2xf32>, !tosa.shape<3>) -> tensor<1x3x8xf32>
  %om = tosa.matmul %a3, %wo, %zp, %zp : (tensor<1x3x8xf32>, tensor<1x8x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x8xf32> loc("out_proj")
  %ob = tosa.add %om, %bo : (tensor<1x3x8xf32>, tensor<1x1x8xf32>) -> tensor<1x3x8xf32>
  return %ob : tensor<1x3x8xf32>
}

// -----

// The heads' scores are summed over the heads axis: no head can go. The
// remark names the reduction, the op that stops whole heads.
// CHECK-LABEL: func.func @heads_summed
// CHECK: tosa.matmul {{.*}} -> tensor<1x3x8xf32>
// REMARK: remark: {{.*}}green-prune: channels of 'q_proj' left intact: 'tosa.reduce_sum' at {{.*}} has unknown channel semantics (when pruning whole heads of 2 features)
func.func @heads_summed(%x: tensor<1x3x8xf32>) -> tensor<1x3x3xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %wq = "tosa.const"() <{values = dense<1.0> : tensor<1x8x8xf32>}> : () -> tensor<1x8x8xf32>
  %wk = "tosa.const"() <{values = dense<2.0> : tensor<1x8x8xf32>}> : () -> tensor<1x8x8xf32>
  %s4 = tosa.const_shape {values = dense<[1, 3, 4, 2]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s3 = tosa.const_shape {values = dense<[4, 3, 2]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %k3s = tosa.const_shape {values = dense<[4, 2, 3]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %q = tosa.matmul %x, %wq, %zp, %zp : (tensor<1x3x8xf32>, tensor<1x8x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x8xf32> loc("q_proj")
  %k = tosa.matmul %x, %wk, %zp, %zp : (tensor<1x3x8xf32>, tensor<1x8x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x8xf32> loc("k_proj")
  %q4 = tosa.reshape %q, %s4 : (tensor<1x3x8xf32>, !tosa.shape<4>) -> tensor<1x3x4x2xf32>
  %qt = tosa.transpose %q4 {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x3x4x2xf32>) -> tensor<1x4x3x2xf32>
  %q3 = tosa.reshape %qt, %s3 : (tensor<1x4x3x2xf32>, !tosa.shape<3>) -> tensor<4x3x2xf32>
  %k4 = tosa.reshape %k, %s4 : (tensor<1x3x8xf32>, !tosa.shape<4>) -> tensor<1x3x4x2xf32>
  %kt = tosa.transpose %k4 {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x3x4x2xf32>) -> tensor<1x4x2x3xf32>
  %k3 = tosa.reshape %kt, %k3s : (tensor<1x4x2x3xf32>, !tosa.shape<3>) -> tensor<4x2x3xf32>
  %sc = tosa.matmul %q3, %k3, %zp, %zp : (tensor<4x3x2xf32>, tensor<4x2x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x3x3xf32>
  %sum = tosa.reduce_sum %sc {axis = 0 : i32} : (tensor<4x3x3xf32>) -> tensor<1x3x3xf32>
  return %sum : tensor<1x3x3xf32>
}

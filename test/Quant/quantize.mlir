// Each scheme of --green-quantize on one 2x4 @ 4x3 layer (weights in
// Inputs/matmul.mlir: per-channel max |w| = 1, 2, 1).

// Representation: per-axis weights (scales 1/127, 2/127, 1/127) recorded as a
// qcast/dcast pair when folding is switched off.
// RUN: green-opt %S/Inputs/matmul.mlir --green-quantize="scheme=int8-weight-only emit-qdq=true target=cpu-zen3" 2>/dev/null | FileCheck %s --check-prefix=QDQ
// QDQ: quant.qcast %{{.*}} : tensor<4x3xf32> to tensor<4x3x!quant.uniform<i8:f32:1, {0.0078740157480314959,0.015748031496062992,0.0078740157480314959}>>
// QDQ: quant.dcast
// QDQ: linalg.matmul

// Per-tensor weights: one scale, 2/127.
// RUN: green-opt %S/Inputs/matmul.mlir --green-quantize="scheme=int8-weight-only per-channel=false emit-qdq=true target=cpu-zen3" 2>/dev/null | FileCheck %s --check-prefix=QDQ-TENSOR
// QDQ-TENSOR: quant.qcast %{{.*}} : tensor<4x3xf32> to tensor<4x3x!quant.uniform<i8:f32, 0.015748031496062992>>

// Static int8, symmetric: activation quantized in a generic (roundeven,
// clamp), i8 x i8 -> i32 matmul into a zero-filled accumulator, then
// sitofp * (s_x * s_w[c]) + init. No quant op is left.
// RUN: green-opt %S/Inputs/matmul.mlir --green-quantize="scheme=int8 target=cpu-zen3 calibration-data=%S/Inputs/calib" 2>&1 | FileCheck %s --check-prefix=INT8
// INT8: remark: green-quantize: layer #0 linalg.matmul at {{.*}}: int8, estimated {{.*}} J (fp32 {{.*}} J), measured sqnr {{[0-9.]+}}; rejected: fp32 ({{.*}} J, 200)
// INT8: remark: green-quantize: scheme=int8, 1 layers, estimated {{.*}} on cpu-zen3, measured sqnr
// INT8-NOT: quant.
// INT8: math.roundeven
// INT8: arith.fptosi %{{.*}} : f32 to i8
// INT8: linalg.fill ins(%{{.*}} : i32)
// INT8: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x4xi8>, tensor<4x3xi8>) outs(%{{.*}} : tensor<2x3xi32>)
// INT8: arith.sitofp %{{.*}} : i32 to f32
// INT8-NOT: arith.subi
// INT8: arith.mulf
// INT8: arith.addf
// INT8-NOT: quant.

// Asymmetric activations: the zero-point term zp_x * colsum(W) is a constant
// subtracted from the i32 accumulator.
// RUN: green-opt %S/Inputs/matmul.mlir --green-quantize="scheme=int8 symmetric=false target=cpu-zen3 calibration-data=%S/Inputs/calib" 2>/dev/null | FileCheck %s --check-prefix=ASYM
// ASYM: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x4xi8>, tensor<4x3xi8>) outs(%{{.*}} : tensor<2x3xi32>)
// ASYM: ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<2x3xi32>, tensor<3xf32>, tensor<3xi32>)
// ASYM: arith.subi
// ASYM: arith.sitofp

// int4 weight-only: two weights per byte (4x3 -> 4x2 i8), unpacked with
// shifts at run time; the matmul stays f32.
// RUN: green-opt %S/Inputs/matmul.mlir --green-quantize="scheme=int4-weight-only target=cpu-zen3" 2>/dev/null | FileCheck %s --check-prefix=INT4
// INT4: affine_map<(d0, d1) -> (d0, d1 floordiv 2)>
// INT4: arith.constant dense<{{.*}}> : tensor<4x2xi8>
// INT4: arith.shrsi
// INT4: arith.select
// INT4: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<4x3xf32>)

// int8 weight-only: i8 constant dequantized by a generic.
// RUN: green-opt %S/Inputs/matmul.mlir --green-quantize="scheme=int8-weight-only target=cpu-zen3" 2>/dev/null | FileCheck %s --check-prefix=W8
// W8: arith.constant dense<{{.*}}> : tensor<4x3xi8>
// W8: arith.sitofp %{{.*}} : i8 to f32
// W8: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<4x3xf32>)

// fp16 / bf16: truncated inputs and weights, f32 accumulation.
// RUN: green-opt %S/Inputs/matmul.mlir --green-quantize="scheme=fp16 target=cpu-zen3" 2>/dev/null | FileCheck %s --check-prefix=F16
// F16: arith.truncf %{{.*}} : f32 to f16
// F16: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x4xf16>, tensor<4x3xf16>) outs(%{{.*}} : tensor<2x3xf32>)
// RUN: green-opt %S/Inputs/matmul.mlir --green-quantize="scheme=bf16 target=cpu-zen4" 2>/dev/null | FileCheck %s --check-prefix=BF16
// BF16: arith.truncf %{{.*}} : f32 to bf16
// BF16: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x4xbf16>, tensor<4x3xbf16>) outs(%{{.*}} : tensor<2x3xf32>)

// Mixed: every option is priced and measured; on a layer this small the
// quantize/dequantize ops cost more than they save, so fp32 stays, and the
// remark lists the rejected options with their joules and errors.
// RUN: green-opt %S/Inputs/matmul.mlir --green-quantize="scheme=mixed target=cpu-zen3 calibration-data=%S/Inputs/calib report=%t.json" 2>&1 -o /dev/null | FileCheck %s --check-prefix=MIXED
// RUN: FileCheck %s --input-file=%t.json --check-prefix=REPORT
// MIXED: remark: green-quantize: layer #0 {{.*}}: fp32, estimated {{.*}} J (fp32 {{.*}} J), measured sqnr 200; rejected: int8 ({{.*}} J, {{.*}}), int8-weight-only ({{.*}} J, {{.*}}), int4-weight-only ({{.*}} J, {{.*}}), fp16 ({{.*}} J, {{.*}}), bf16 (0 J)
// MIXED: scheme=mixed, 1 layers, {{.*}} measured sqnr 200 (budget 30)
// REPORT: "precision": "fp32"
// REPORT: "status": "chosen"
// REPORT: "precision": "int8"
// REPORT: "status": "rejected: saves no energy"
// REPORT: "precision": "bf16"
// REPORT: "status": "rejected: not supported by the target (a CPU without a bf16 feature
// REPORT: "schema": "green-quantize-report/1"

// Without calibration data, int8 calibrates on seeded random inputs and warns.
// RUN: green-opt %S/Inputs/matmul.mlir --green-quantize="scheme=int8 target=cpu-zen3" 2>&1 -o /dev/null | FileCheck %s --check-prefix=RANDOM
// RANDOM: warning: green-quantize: no calibration-data given; calibrating on 8 seeded random inputs (seed 0)

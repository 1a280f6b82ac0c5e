// Bad inputs and options of --green-quantize give clear errors.
// RUN: not green-opt %S/Inputs/matmul.mlir --green-quantize="scheme=int8 target=cpu-zen3 calibration-data=%S/Inputs/no-such-dir" 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: green-quantize: calibration-data '{{.*}}no-such-dir': no such file or directory

// RUN: not green-opt %S/Inputs/matmul.mlir --green-quantize="scheme=int8 target=cpu-zen3 calibration-data=%S/Inputs/empty" 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: error: green-quantize: calibration-data '{{.*}}empty': no .npy files in this directory

// RUN: not green-opt %S/Inputs/matmul.mlir --green-quantize="scheme=int8 target=cpu-zen3 calibration-data=%S/Inputs/not-npy.npy" 2>&1 | FileCheck %s --check-prefix=UNREADABLE
// UNREADABLE: error: green-quantize: cannot read calibration file '{{.*}}not-npy.npy':

// RUN: not green-opt %S/Inputs/matmul.mlir --green-quantize="scheme=int8 target=cpu-zen3 calibration-data=%S/Inputs/wrong-shape.npy" 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: matmul.mlir:3:1: error: green-quantize: calibration data does not match the entry function: argument #0 of @layer: expected tensor<2x4xf32>, got float32 [3, 4] in {{.*}}wrong-shape.npy

// Random inputs cannot stand in for integer arguments: int8 needs data.
// RUN: not green-opt %S/Inputs/int-arg.mlir --green-quantize="scheme=int8 target=cpu-zen3" 2>&1 | FileCheck %s --check-prefix=NODATA
// NODATA: error: green-quantize: no calibration data, and argument #1 of @ids (tensor<2xi64>) cannot be filled with random values; pass calibration-data=<.npy files or directory>

// A precision the target has no instructions for (Zen 3: no bf16).
// RUN: not green-opt %S/Inputs/matmul.mlir --green-quantize="scheme=bf16 target=cpu-zen3" 2>&1 | FileCheck %s --check-prefix=BF16
// BF16: error: green-quantize: target 'cpu-zen3' does not support bf16 (a CPU without a bf16 feature ('avx512bf16', 'avxneconvert' or 'amx-bf16'); {{.*}}cpu-zen3.json)

// Bad option values.
// RUN: not green-opt %S/Inputs/matmul.mlir --green-quantize="percentile=150" 2>&1 | FileCheck %s --check-prefix=PCT
// PCT: error: green-quantize: percentile must be in (0, 100], got 150
// RUN: not green-opt %S/Inputs/matmul.mlir --green-quantize="scheme=mixed error-metric=cosine error-budget=2" 2>&1 | FileCheck %s --check-prefix=COS
// COS: error: green-quantize: error-budget for error-metric=cosine must be in (0, 1], got 2
// RUN: not green-opt %S/Inputs/matmul.mlir --green-quantize="scheme=int8 measure=false" 2>&1 | FileCheck %s --check-prefix=NOMEASURE
// NOMEASURE: error: green-quantize: scheme=int8 calibrates activation ranges by running the model; it cannot be used with measure=false
// RUN: not green-opt %S/Inputs/matmul.mlir --green-quantize="scheme=int3" 2>&1 | FileCheck %s --check-prefix=SCHEME
// SCHEME: for the --scheme option: Cannot find option named 'int3'!
// RUN: not green-opt %S/Inputs/matmul.mlir --green-quantize="method=kl" 2>&1 | FileCheck %s --check-prefix=METHOD
// METHOD: for the --method option: Cannot find option named 'kl'!

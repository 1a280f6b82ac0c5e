// Bad options give clear errors.
// RUN: not green-opt %s --green-prune="ratio=1.0" 2>&1 | FileCheck %s --check-prefix=ONE
// RUN: not green-opt %s --green-prune="ratio=-0.1" 2>&1 | FileCheck %s --check-prefix=NEG
// RUN: not green-opt %s --green-prune="layers=fc9" 2>&1 | FileCheck %s --check-prefix=LAYER
// RUN: not green-opt %s --green-prune="energy-target=1.5" 2>&1 | FileCheck %s --check-prefix=ENERGY
// RUN: not green-opt %s --green-prune="importance=l3" 2>&1 | FileCheck %s --check-prefix=IMP
// RUN: not green-opt %s --green-prune="layer-ratios=fc1:0.5,fc7:0.3" 2>&1 | FileCheck %s --check-prefix=LRNAME
// RUN: not green-opt %s --green-prune="layer-ratios=fc1:1.0" 2>&1 | FileCheck %s --check-prefix=LRONE
// RUN: not green-opt %s --green-prune="layer-ratios=fc2:-0.2" 2>&1 | FileCheck %s --check-prefix=LRNEG
// RUN: not green-opt %s --green-prune="layer-ratios=fc1" 2>&1 | FileCheck %s --check-prefix=LRFORM
// RUN: not green-opt %s --green-prune="layer-ratios=fc1:half" 2>&1 | FileCheck %s --check-prefix=LRHALF
// RUN: not green-opt %s --green-prune="layer-ratios=fc1:0.5,fc1:0.2" 2>&1 | FileCheck %s --check-prefix=LRTWICE
// RUN: not green-opt %s --green-prune="layer-ratios=fc1:0.5 energy-target=0.5" 2>&1 | FileCheck %s --check-prefix=LRENERGY
// RUN: not green-opt %s --green-prune="mode=n-m n=4 m=4" 2>&1 | FileCheck %s --check-prefix=NM
// RUN: not green-opt %s --green-prune="mode=n-m layer-ratios=fc1:0.5" 2>&1 | FileCheck %s --check-prefix=NMLR
// RUN: not green-opt %s --green-prune="mode=unstructured layers=fc9" 2>&1 | FileCheck %s --check-prefix=UNAME
// RUN: not green-opt %s --green-prune="mode=unstructured energy-target=0.5" 2>&1 | FileCheck %s --check-prefix=UENERGY
// RUN: not green-opt %s --green-prune="mode=sparse" 2>&1 | FileCheck %s --check-prefix=MODE

// Gradient files for Taylor importance: missing, mis-shaped, not float32.
// RUN: rm -rf %t && mkdir -p %t/shape %t/dtype %t/none
// RUN: %PYTHON -c "import numpy as np; np.save('%t/shape/fc1.npy', np.ones((3, 4), np.float32)); np.save('%t/dtype/fc1.npy', np.ones((1, 3, 4)))"
// RUN: not green-opt %s --green-prune="gradients=%t/none" 2>&1 | FileCheck %s --check-prefix=GMISSING
// RUN: not green-opt %s --green-prune="gradients=%t/shape" 2>&1 | FileCheck %s --check-prefix=GSHAPE
// RUN: not green-opt %s --green-prune="gradients=%t/dtype" 2>&1 | FileCheck %s --check-prefix=GDTYPE
// RUN: not green-opt %s --green-prune="mode=n-m gradients=%t/none" 2>&1 | FileCheck %s --check-prefix=GMISSING
// RUN: mkdir -p %t/fortran %t/short %t/text
// RUN: %PYTHON -c "import numpy as np; np.save('%t/fortran/fc1.npy', np.asfortranarray(np.ones((1, 3, 4), np.float32))); np.save('%t/short/fc1.npy', np.ones((1, 3, 4), np.float32)); d = open('%t/short/fc1.npy', 'rb').read(); open('%t/short/fc1.npy', 'wb').write(d[:-8]); open('%t/text/fc1.npy', 'w').write('not numpy')"
// RUN: not green-opt %s --green-prune="gradients=%t/fortran" 2>&1 | FileCheck %s --check-prefix=GFORTRAN
// RUN: not green-opt %s --green-prune="gradients=%t/short" 2>&1 | FileCheck %s --check-prefix=GSHORT
// RUN: not green-opt %s --green-prune="gradients=%t/text" 2>&1 | FileCheck %s --check-prefix=GTEXT

// ONE: error: green-prune: ratio must be in [0, 1), got 1
// NEG: error: green-prune: ratio must be in [0, 1), got -0.1
// LAYER: error: green-prune: no prunable layer named 'fc9' (layers: fc1, fc2)
// ENERGY: error: green-prune: energy-target must be in (0, 1] or 0 (off), got 1.5
// IMP: for the --importance option: Cannot find option named 'l3'!
// LRNAME: error: green-prune: no prunable layer named 'fc7' (layers: fc1, fc2)
// LRONE: error: green-prune: ratio of layer 'fc1' must be in [0, 1), got 1.0
// LRNEG: error: green-prune: ratio of layer 'fc2' must be in [0, 1), got -0.2
// LRFORM: error: green-prune: layer-ratios entry 'fc1' is not <layer>:<ratio>
// LRHALF: error: green-prune: layer-ratios entry 'fc1:half' is not <layer>:<ratio>
// LRTWICE: error: green-prune: layer-ratios names 'fc1' twice
// LRENERGY: error: green-prune: energy-target and layer-ratios exclude each other
// NM: error: green-prune: mode=n-m needs 0 < n < m, got 4:4
// NMLR: error: green-prune: layer-ratios applies to mode=channels and mode=unstructured, not n-m
// UNAME: error: green-prune: no layer with weights named 'fc9' (layers: fc1, fc2)
// UENERGY: error: green-prune: energy-target applies to mode=channels only
// MODE: for the --mode option: Cannot find option named 'sparse'!
// GMISSING: error: {{.*}}green-prune: gradient of layer 'fc1': cannot open input file '{{.*}}none{{/|\\}}fc1.npy'
// GSHAPE: error: {{.*}}green-prune: gradient '{{.*}}fc1.npy' of layer 'fc1' has shape 3x4, expected the weight's 'tensor<1x3x4xf32>'
// GDTYPE: error: {{.*}}green-prune: gradient of layer 'fc1': '{{.*}}fc1.npy': dtype must be float32 ('<f4')
// GFORTRAN: error: {{.*}}green-prune: gradient of layer 'fc1': '{{.*}}fc1.npy': must be in C order
// GSHORT: error: {{.*}}green-prune: gradient of layer 'fc1': '{{.*}}fc1.npy': holds 40 bytes of data, expected 48
// GTEXT: error: {{.*}}green-prune: gradient of layer 'fc1': '{{.*}}fc1.npy': not a .npy file

func.func @mlp(%x: tensor<1x2x3xf32>) -> tensor<1x2x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w1 = "tosa.const"() <{values = dense<1.0> : tensor<1x3x4xf32>}> : () -> tensor<1x3x4xf32>
  %w2 = "tosa.const"() <{values = dense<1.0> : tensor<1x4x2xf32>}> : () -> tensor<1x4x2xf32>
  %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x2x3xf32>, tensor<1x3x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x4xf32> loc("fc1")
  %y = tosa.matmul %h, %w2, %zp, %zp : (tensor<1x2x4xf32>, tensor<1x4x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2xf32> loc("fc2")
  return %y : tensor<1x2x2xf32>
}

// f16, i8 (with wrap-around) and i1 travel through .npy as float16, int8 and
// bool, in both directions.
// RUN: rm -rf %t && %PYTHON %S/Inputs/make_arrays.py dtypes %t
// RUN: green-run %s %t/h.npy %t/b.npy %t/c.npy --expect %t/h2.npy --expect %t/b2.npy \
// RUN:   --expect %t/notc.npy --runs 1 --save-outputs %t/out | FileCheck %s
// RUN: %PYTHON -c "import numpy as np; print(*(np.load('%t/out/dtypes.result%%d.npy' %% i).dtype for i in range(3)))" \
// RUN:   | FileCheck %s --check-prefix=SAVED
// CHECK: output 0  tensor<5xf16> vs {{.*}}h2.npy: PASS
// CHECK: output 1  tensor<5xi8> vs {{.*}}b2.npy: PASS
// CHECK: output 2  tensor<5xi1> vs {{.*}}notc.npy: PASS
// CHECK: status: pass
// SAVED: float16 int8 bool

func.func @dtypes(%h: tensor<5xf16>, %b: tensor<5xi8>, %c: tensor<5xi1>) -> (tensor<5xf16>, tensor<5xi8>, tensor<5xi1>) {
  // Element-wise arith on tensors: TOSA's profiles have no i8 add.
  %h2 = arith.addf %h, %h : tensor<5xf16>
  %b2 = arith.addi %b, %b : tensor<5xi8>
  %true = arith.constant dense<true> : tensor<5xi1>
  %notc = arith.xori %c, %true : tensor<5xi1>
  return %h2, %b2, %notc : tensor<5xf16>, tensor<5xi8>, tensor<5xi1>
}

// --lib: a shared library built ahead of time from the same module (lowered
// by green-run --emit-lowered, translated by mlir-translate, compiled by
// clang) runs like the JIT; the module still gives the signature.
// RUN: rm -rf %t && %PYTHON %S/Inputs/make_arrays.py add_clamp %t
// RUN: green-run %s --emit-lowered %t/model.llvm.mlir
// RUN: FileCheck %s --check-prefix=LOWERED < %t/model.llvm.mlir
// RUN: %mlir_translate --mlir-to-llvmir %t/model.llvm.mlir -o %t/model.ll
// RUN: %clang -O2 -shared -fPIC -Wno-override-module %t/model.ll -o %t/model.so
// RUN: green-run %s --lib %t/model.so %t/a.npy %t/b.npy --expect %t/c.npy --runs 2 | FileCheck %s
// LOWERED: llvm.func @_mlir_ciface_add_clamp
// CHECK: @add_clamp from {{.*}}lib.mlir (library {{.*}}model.so)
// CHECK: PASS
// CHECK-NOT: compile
// CHECK: status: pass

// A library without the entry's C interface.
// RUN: echo 'int unrelated;' > %t/unrelated.c
// RUN: %clang -shared -fPIC %t/unrelated.c -o %t/unrelated.so
// RUN: not green-run %s --lib %t/unrelated.so --entry add_clamp 2>&1 | FileCheck %s --check-prefix=NOSYM
// NOSYM: error: library '{{.*}}unrelated.so' does not export '_mlir_ciface_add_clamp' (compile the entry function with llvm.emit_c_interface)

// A library that does not load.
// RUN: not green-run %s --lib %t/a.npy 2>&1 | FileCheck %s --check-prefix=NOLOAD
// NOLOAD: error: cannot load library '{{.*}}a.npy':

func.func @add_clamp(%a: tensor<4x64xf32>, %b: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %s = tosa.add %a, %b : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  %c = tosa.clamp %s {min_val = -0.5 : f32, max_val = 0.5 : f32} : (tensor<4x64xf32>) -> tensor<4x64xf32>
  return %c : tensor<4x64xf32>
}

func.func private @other(%a: tensor<4x64xf32>) -> tensor<4x64xf32> {
  return %a : tensor<4x64xf32>
}

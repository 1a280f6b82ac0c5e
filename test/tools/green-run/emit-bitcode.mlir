// --emit-bitcode: the lowered module as LLVM bitcode, which clang turns into
// a --lib that computes what the JIT computes. A bad pipeline or output path
// is an error and leaves no file.
// RUN: rm -rf %t && %PYTHON %S/Inputs/make_arrays.py add_clamp %t
// RUN: green-run %s --emit-bitcode %t/model.bc
// RUN: %PYTHON -c "import sys; print(open(sys.argv[1], 'rb').read(4))" %t/model.bc | FileCheck %s --check-prefix=MAGIC
// MAGIC: b'BC\xc0\xde'
// RUN: %clang -O2 -shared -fPIC -Wno-override-module %t/model.bc -o %t/model.so
// RUN: green-run %s --lib %t/model.so %t/a.npy %t/b.npy --expect %t/c.npy --runs 2 | FileCheck %s
// CHECK: @add_clamp from {{.*}}emit-bitcode.mlir (library {{.*}}model.so)
// CHECK: PASS
// CHECK: status: pass

// RUN: not green-run %s --pipeline "builtin.module(no-such-pass)" --emit-bitcode %t/bad.bc 2>&1 | FileCheck %s --check-prefix=BADPIPE
// BADPIPE: green-run: error: invalid --pipeline
// RUN: not test -e %t/bad.bc
// RUN: not green-run %s --emit-bitcode %t/no/such/dir/m.bc 2>&1 | FileCheck %s --check-prefix=BADOUT
// BADOUT: green-run: error: {{.*}}m.bc

func.func @add_clamp(%a: tensor<4x64xf32>, %b: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %s = tosa.add %a, %b : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  %c = tosa.clamp %s {min_val = -0.5 : f32, max_val = 0.5 : f32} : (tensor<4x64xf32>) -> tensor<4x64xf32>
  return %c : tensor<4x64xf32>
}

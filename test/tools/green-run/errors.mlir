// Bad input gives one clear error and exit code 1; nothing runs.
// RUN: rm -rf %t && %PYTHON %S/Inputs/make_arrays.py bad %t

// Unreadable or malformed IR.
// RUN: not green-run %t/missing.mlir 2>&1 | FileCheck %s --check-prefix=NO-MLIR
// NO-MLIR: green-run: error: cannot open input file '{{.*}}missing.mlir': No such file or directory
// RUN: not green-run %S/Inputs/malformed.mlir 2>&1 | FileCheck %s --check-prefix=BAD-MLIR
// BAD-MLIR: malformed.mlir:2:10: error: use of undeclared SSA value name
// BAD-MLIR: green-run: error: cannot parse '{{.*}}malformed.mlir'

// Unreadable, malformed or non-.npy input files.
// RUN: not green-run %s %t/missing.npy 2>&1 | FileCheck %s --check-prefix=NO-NPY
// NO-NPY: green-run: error: cannot read '{{.*}}missing.npy': No such file or directory
// RUN: not green-run %s %t/garbage.npy 2>&1 | FileCheck %s --check-prefix=GARBAGE
// GARBAGE: green-run: error: '{{.*}}garbage.npy' is not an .npy file (no \x93NUMPY magic)
// RUN: not green-run %s %t/truncated.npy 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// TRUNCATED: green-run: error: malformed .npy header in '{{.*}}truncated.npy': expected ',' or ')' in 'shape'
// RUN: not green-run %s %t/fortran.npy 2>&1 | FileCheck %s --check-prefix=FORTRAN
// FORTRAN: green-run: error: '{{.*}}fortran.npy' is in Fortran order: only C-order arrays are supported (write it with numpy.ascontiguousarray)

// Wrong dtype, wrong shape, for inputs and for expected outputs.
// RUN: not green-run %s %t/f64.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: green-run: error: input 0 of @relu: expected tensor<4x64xf32>, got float64 [4, 64] in {{.*}}f64.npy (dtype float64 where float32 is needed)
// RUN: not green-run %s --input 0=%t/transposed.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: green-run: error: input 0 of @relu: expected tensor<4x64xf32>, got float32 [64, 4] in {{.*}}transposed.npy (shape [64, 4] where [4, 64] is needed)
// RUN: not green-run %s %t/good.npy --expect %t/i32.npy 2>&1 | FileCheck %s --check-prefix=EXPECT-DTYPE
// EXPECT-DTYPE: green-run: error: expected result 0 of @relu: expected tensor<4x64xf32>, got int32 [4, 64] in {{.*}}i32.npy (dtype int32 where float32 is needed)

// Wrong number of inputs or expected outputs, bad --input.
// RUN: not green-run %s %t/good.npy %t/good.npy 2>&1 | FileCheck %s --check-prefix=TOO-MANY
// TOO-MANY: green-run: error: @relu takes 1 argument, got 2 positional inputs
// RUN: not green-run %s --no-random-inputs 2>&1 | FileCheck %s --check-prefix=TOO-FEW
// TOO-FEW: green-run: error: no input for argument 0 of @relu (tensor<4x64xf32>), and --no-random-inputs is set
// RUN: not green-run %s %t/good.npy --expect %t/good.npy --expect %t/good.npy 2>&1 | FileCheck %s --check-prefix=EXPECTS
// EXPECTS: green-run: error: @relu returns 1 result, got 2 --expect files
// RUN: not green-run %s --input 3=%t/good.npy 2>&1 | FileCheck %s --check-prefix=NO-ARG
// NO-ARG: green-run: error: --input '3={{.*}}good.npy': @relu has no argument 3 (it takes 1)
// RUN: not green-run %s --input x=%t/good.npy 2>&1 | FileCheck %s --check-prefix=BAD-INPUT
// BAD-INPUT: green-run: error: invalid --input 'x={{.*}}good.npy': expected INDEX=FILE or argINDEX=FILE
// RUN: not green-run %s %t/good.npy --input 0=%t/good.npy 2>&1 | FileCheck %s --check-prefix=TWICE
// TWICE: green-run: error: argument 0 of @relu is given twice

// Entry function: missing, ambiguous, dynamically shaped, not on tensors.
// RUN: not green-run %s --entry nope 2>&1 | FileCheck %s --check-prefix=NO-ENTRY
// NO-ENTRY: green-run: error: entry function @nope not found (functions: @relu)
// RUN: not green-run %S/Inputs/two-public.mlir 2>&1 | FileCheck %s --check-prefix=AMBIGUOUS
// AMBIGUOUS: green-run: error: several public functions (@f, @g, @h): choose one with --entry
// RUN: not green-run %S/Inputs/two-public.mlir --entry g 2>&1 | FileCheck %s --check-prefix=DYNAMIC
// DYNAMIC: green-run: error: argument 0 of @g has dynamic shape tensor<?x4xf32>: green-run needs static shapes (specialize the function first)
// RUN: not green-run %S/Inputs/two-public.mlir --entry h 2>&1 | FileCheck %s --check-prefix=MEMREF
// MEMREF: green-run: error: argument 0 of @h has type memref<4xf32>: green-run needs ranked tensors of static shape

// A pipeline that does not parse, and one that fails: MLIR's diagnostics.
// RUN: not green-run %s --pipeline "builtin.module(no-such-pass)" 2>&1 | FileCheck %s --check-prefix=BAD-PIPELINE
// BAD-PIPELINE: green-run: error: invalid --pipeline 'builtin.module(no-such-pass)': {{.*}}'no-such-pass' does not refer to a registered pass or pass pipeline
// RUN: not green-run %s --pipeline "builtin.module(one-shot-bufferize)" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=FAILING-PIPELINE
// FAILING-PIPELINE: errors.mlir:[[@LINE+13]]:{{[0-9]+}}: error: op was not bufferized
// FAILING-PIPELINE: green-run: error: lowering pipeline failed (see the diagnostics above)

// A pipeline that stops short of the LLVM dialect: the translation says why.
// RUN: not green-run %s --pipeline "func.func(tosa-to-linalg)" 2>&1 | FileCheck %s --check-prefix=NOT-LLVM
// NOT-LLVM: error: cannot be converted to LLVM IR
// NOT-LLVM: green-run: error: cannot JIT-compile @relu: could not convert to LLVM IR

// A target that does not exist.
// RUN: not green-run %s --target no-such-target 2>&1 | FileCheck %s --check-prefix=TARGET
// TARGET: green-run: error: {{.*}}no-such-target

func.func @relu(%a: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %c = tosa.clamp %a {min_val = 0.0 : f32, max_val = 3.4028235e38 : f32} : (tensor<4x64xf32>) -> tensor<4x64xf32>
  return %c : tensor<4x64xf32>
}

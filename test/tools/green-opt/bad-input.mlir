// Bad input: non-zero exit and a diagnostic with a location.

// Malformed IR: error with file:line:col.
// RUN: not green-opt %S/Inputs/malformed.mlir 2>&1 | FileCheck %s --check-prefix=MALFORMED
// MALFORMED: malformed.mlir:4:{{[0-9]+}}: error: use of undeclared SSA value name

// Unknown pass flag.
// RUN: not green-opt %s --green-no-such-pass 2>&1 | FileCheck %s --check-prefix=UNKNOWN-PASS
// UNKNOWN-PASS: Unknown command line argument '--green-no-such-pass'

// Unknown pass in a textual pipeline.
// RUN: not green-opt %s --pass-pipeline="builtin.module(green-no-such-pass)" 2>&1 | FileCheck %s --check-prefix=UNKNOWN-PIPE
// UNKNOWN-PIPE: 'green-no-such-pass' does not refer to a registered pass or pass pipeline

// Unknown option of a known pass.
// RUN: not green-opt %s --green-attach-target="tagret=host" 2>&1 | FileCheck %s --check-prefix=UNKNOWN-OPT
// UNKNOWN-OPT: no such option tagret

// Badly typed option value.
// RUN: not green-opt %s --green-attach-target="overwrite=maybe" 2>&1 | FileCheck %s --check-prefix=BAD-VALUE
// BAD-VALUE: '{{maybe}}' is invalid value for boolean argument

// Missing input file.
// RUN: not green-opt %t.does-not-exist.mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: cannot open input file '{{.*}}does-not-exist.mlir': No such file or directory

// Unregistered dialect op: rejected with location.
// RUN: not green-opt %S/Inputs/unregistered.mlir 2>&1 | FileCheck %s --check-prefix=UNREG
// UNREG: unregistered.mlir:3:8: error: Dialect `foo' not found for custom op 'foo.bar'

func.func @ok() {
  return
}

// Verifier and parser errors of the green dialect.
// RUN: green-opt %s --split-input-file --verify-diagnostics

// An empty target name.
// expected-error @+1 {{target name must not be empty}}
module attributes {green.target = #green.target<"">} {
}

// -----

// A name that does not start with a letter.
// expected-error @+1 {{invalid target name '3cpu': expected a letter followed by letters, digits, '-', '_' or '.'}}
module attributes {green.target = #green.target<"3cpu">} {
}

// -----

// A path is not a target name (names are looked up, not opened).
// expected-error @+1 {{invalid target name 'targets/cpu.json'}}
module attributes {green.target = #green.target<"targets/cpu.json">} {
}

// -----

// green.target must hold a #green.target.
// expected-error @+1 {{'green.target' must be a #green.target attribute, got "cpu-zen4"}}
module attributes {green.target = "cpu-zen4"} {
}

// -----

// green.target belongs on a module, not on a function.
module {
  // expected-error @+1 {{'green.target' may only be attached to a builtin.module, not to 'func.func'}}
  func.func @f() attributes {green.target = #green.target<"host">} {
    return
  }
}

// -----

// Unknown green.* discardable attributes are rejected.
// expected-error @+1 {{unknown green dialect attribute 'green.tagret'}}
module attributes {green.tagret = #green.target<"host">} {
}

// -----

// Unknown attribute mnemonic.
// expected-error @+1 {{unknown attribute `targte` in dialect `green`}}
module attributes {green.target = #green.targte<"host">} {
}

// -----

// The name must be a string.
// expected-error @+2 {{expected string}}
// expected-error @+1 {{failed to parse Green_TargetAttr parameter 'name'}}
module attributes {green.target = #green.target<cpu>} {
}

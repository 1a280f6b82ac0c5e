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

// -----

// Cache and register tiles of different ranks.
// expected-error @+1 {{tile and register_tile must have the same rank, got 3 and 2}}
func.func @f() attributes {s = #green.cpu_schedule<tile = [64, 256, 8], register_tile = [4, 16], parallel_dim = -1, threads = 1, operating_point = 0>}

// -----

// A negative tile size.
// expected-error @+1 {{tile sizes must be non-negative, got -1 and 4}}
func.func @f() attributes {s = #green.cpu_schedule<tile = [-1], register_tile = [4], parallel_dim = -1, threads = 1, operating_point = 0>}

// -----

// A cache tile that the register tile does not divide.
// expected-error @+1 {{cache tile 6 is not a multiple of register tile 4}}
func.func @f() attributes {s = #green.cpu_schedule<tile = [6], register_tile = [4], parallel_dim = -1, threads = 1, operating_point = 0>}

// -----

// A parallel dimension out of range.
// expected-error @+1 {{parallel_dim must be -1 or in [0, 1), got 1}}
func.func @f() attributes {s = #green.cpu_schedule<tile = [8], register_tile = [4], parallel_dim = 1, threads = 2, operating_point = 0>}

// -----

// Zero threads.
// expected-error @+1 {{threads must be positive}}
func.func @f() attributes {s = #green.cpu_schedule<tile = [8], register_tile = [4], parallel_dim = 0, threads = 0, operating_point = 0>}

// -----

// Several threads but no parallel dimension.
// expected-error @+1 {{threads must be 1 without a parallel_dim, got 2}}
func.func @f() attributes {s = #green.cpu_schedule<tile = [8], register_tile = [4], parallel_dim = -1, threads = 2, operating_point = 0>}

// -----

// green.cpu_schedule must hold a #green.cpu_schedule.
func.func @f(%a: tensor<4x4xf32>, %c: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'green.cpu_schedule' must be a #green.cpu_schedule attribute, got 1 : i64}}
  %r = linalg.matmul {green.cpu_schedule = 1} ins(%a, %a : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

// green.fusion_group must be a non-negative i64 group id.
func.func @f(%a: tensor<4x4xf32>, %c: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'green.fusion_group' must be a non-negative i64 group id, got "one"}}
  %r = linalg.matmul {green.fusion_group = "one"} ins(%a, %a : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

// green.sparsity must hold a sparsity attribute.
func.func @f() -> tensor<1x4x1xf32> {
  // expected-error @+1 {{'green.sparsity' must be a #green.nm_sparsity or #green.unstructured_sparsity attribute, got 2 : i64}}
  %w = "tosa.const"() <{values = dense<1.0> : tensor<1x4x1xf32>}> {green.sparsity = 2} : () -> tensor<1x4x1xf32>
  return %w : tensor<1x4x1xf32>
}

// -----

// n must be below m.
// expected-error @+1 {{N:M sparsity needs 0 < n < m, got 4:4}}
func.func @f() attributes {s = #green.nm_sparsity<n = 4, m = 4, axis = 1>}

// -----

// The claimed 2:4 pattern must hold: three non-zeros in the first block.
func.func @f() -> tensor<1x4x1xf32> {
  // expected-error @+1 {{'green.sparsity' #green.nm_sparsity<n = 2, m = 4, axis = 1> does not hold: 3 non-zeros in the block at index 0 of axis 1}}
  %w = "tosa.const"() <{values = dense<[[[1.0], [2.0], [0.0], [3.0]]]> : tensor<1x4x1xf32>}> {green.sparsity = #green.nm_sparsity<n = 2, m = 4, axis = 1>} : () -> tensor<1x4x1xf32>
  return %w : tensor<1x4x1xf32>
}

// -----

// The blocked axis must be a multiple of m.
func.func @f() -> tensor<1x3x1xf32> {
  // expected-error @+1 {{'green.sparsity' #green.nm_sparsity<n = 2, m = 4, axis = 1> does not fit 'tensor<1x3x1xf32>': axis out of range or its size is not a multiple of m}}
  %w = "tosa.const"() <{values = dense<0.0> : tensor<1x3x1xf32>}> {green.sparsity = #green.nm_sparsity<n = 2, m = 4, axis = 1>} : () -> tensor<1x3x1xf32>
  return %w : tensor<1x3x1xf32>
}

// -----

// Unstructured: the non-zero count must match the values.
func.func @f() -> tensor<4xf32> {
  // expected-error @+1 {{'green.sparsity' #green.unstructured_sparsity<nonzeros = 1, total = 4> claims 1 non-zeros, the values hold 2}}
  %w = "tosa.const"() <{values = dense<[1.0, 0.0, 2.0, 0.0]> : tensor<4xf32>}> {green.sparsity = #green.unstructured_sparsity<nonzeros = 1, total = 4>} : () -> tensor<4xf32>
  return %w : tensor<4xf32>
}

// -----

// Unstructured: total must be the element count.
func.func @f() -> tensor<4xf32> {
  // expected-error @+1 {{has total 8 but 'tensor<4xf32>' has 4 elements}}
  %w = "tosa.const"() <{values = dense<0.0> : tensor<4xf32>}> {green.sparsity = #green.unstructured_sparsity<nonzeros = 0, total = 8>} : () -> tensor<4xf32>
  return %w : tensor<4xf32>
}

// -----

// expected-error @+1 {{unstructured sparsity needs 0 <= nonzeros <= total and total > 0, got 5 of 4}}
func.func @f() attributes {s = #green.unstructured_sparsity<nonzeros = 5, total = 4>}

// Round trip of the green dialect's attributes.
// RUN: green-opt %s --split-input-file | green-opt --split-input-file | FileCheck %s

// A module names its target.
// CHECK-LABEL: module attributes {green.target = #green.target<"cpu-zen4">}
module attributes {green.target = #green.target<"cpu-zen4">} {
  func.func @f() {
    return
  }
}

// -----

// Names with dots, digits and underscores (e.g. a calibrated copy).
// CHECK-LABEL: module attributes {green.target = #green.target<"cpu-zen3_calibrated.v2">}
module attributes {green.target = #green.target<"cpu-zen3_calibrated.v2">} {
}

// -----

// The attribute can appear as an ordinary attribute value too (e.g. in a
// report or a pass option), not only as the module's green.target.
// CHECK-LABEL: func.func @attr_as_value
// CHECK-SAME: targets = [#green.target<"gpu-h100">, #green.target<"tpu-like">]
func.func @attr_as_value() attributes {targets = [#green.target<"gpu-h100">, #green.target<"tpu-like">]} {
  return
}

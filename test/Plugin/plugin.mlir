// The system mlir-opt loads green as a dialect and pass plugin; this is how
// other compilers use green as a backend.
// RUN: %mlir_opt %s --load-dialect-plugin=%green_plugin --load-pass-plugin=%green_plugin \
// RUN:   --pass-pipeline="builtin.module(green-attach-target{target=cpu-zen3})" | FileCheck %s
// RUN: %mlir_opt --load-pass-plugin=%green_plugin --help | FileCheck %s --check-prefix=HELP
// RUN: not %mlir_opt %S/Inputs/with-target.mlir 2>&1 | FileCheck %s --check-prefix=NOPLUGIN

// CHECK: module attributes {green.target = #green.target<"cpu-zen3">}
// CHECK: func.func @f
// HELP: green-attach-target
// Without the plugin upstream mlir-opt does not know the green dialect.
// NOPLUGIN: error: #"green"<"target<"cpu-zen4">"> : 'none' attribute created with unregistered dialect

module {
  func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {
    %0 = arith.addf %a, %a : tensor<4xf32>
    return %0 : tensor<4xf32>
  }
}

// Parsing green attributes also works through the dialect plugin.
// RUN: %mlir_opt %S/Inputs/with-target.mlir --load-dialect-plugin=%green_plugin | FileCheck %s --check-prefix=PARSE
// PARSE: module attributes {green.target = #green.target<"cpu-zen4">}

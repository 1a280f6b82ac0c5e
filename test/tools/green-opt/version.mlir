// green-opt --version names green-opt's version and the LLVM version.
// RUN: green-opt --version | FileCheck %s
// CHECK: LLVM version 22.
// CHECK: green-opt version {{[0-9]+\.[0-9]+\.[0-9]+}}

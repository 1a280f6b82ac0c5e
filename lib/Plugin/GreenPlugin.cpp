//===- GreenPlugin.cpp - green as a plugin for upstream mlir-opt ----------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Lets the system `mlir-opt` (which links libMLIR.so, as this plugin does)
// load green's dialects and passes:
//
//   mlir-opt --load-dialect-plugin=GreenPlugin.so \
//            --load-pass-plugin=GreenPlugin.so \
//            --pass-pipeline="builtin.module(green-attach-target{target=host})"
//
// Pass flags given as `--green-...` are parsed before the plugin loads, so
// plugin passes must be named through --pass-pipeline.
//
//===----------------------------------------------------------------------===//

#include "green/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

using namespace mlir;

extern "C" LLVM_ATTRIBUTE_WEAK DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "GreenDialects", LLVM_VERSION_STRING,
          [](DialectRegistry *registry) {
            green::registerAllGreenDialects(*registry);
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "GreenPasses", LLVM_VERSION_STRING,
          []() { green::registerAllGreenPasses(); }};
}

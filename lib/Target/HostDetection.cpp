//===- HostDetection.cpp - map the running CPU to a description -----------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// `--target=host` picks the bundled description that best matches the CPU
// green-opt runs on. Detection goes through LLVM's feature detection, so the
// names are LLVM's (the ones `-mattr` takes).
//
//===----------------------------------------------------------------------===//

#include "green/Target/TargetDescription.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace mlir::green;

std::vector<std::string> mlir::green::getHostCPUFeatures() {
  std::vector<std::string> enabled;
  for (const auto &entry : llvm::sys::getHostCPUFeatures())
    if (entry.getValue())
      enabled.push_back(entry.getKey().str());
  // StringMap iteration order is unspecified; callers and reports want a
  // stable order.
  llvm::sort(enabled);
  return enabled;
}

std::string
mlir::green::selectHostTargetName(llvm::ArrayRef<std::string> features) {
  auto has = [&](llvm::StringRef name) {
    return llvm::is_contained(features, name);
  };
  // AVX-512 with VNNI (int8 dot products) and BF16 is what separates the
  // cpu-zen4 description from cpu-zen3 in per-op energy and matrix
  // throughput.
  if (has("avx512f") && has("avx512vnni") && has("avx512bf16"))
    return "cpu-zen4";
  // Everything else, including x86 CPUs with only part of that set (e.g.
  // Intel parts with AVX-512 but no BF16), older AVX2 machines and non-x86
  // hosts, is best approximated by the AVX2 description: its energies are
  // per 256-bit op, which is also what such CPUs effectively run.
  return "cpu-zen3";
}

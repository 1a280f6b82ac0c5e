//===- InitAll.h - register everything green provides -----------*- C++ -*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Every tool, the pass plugin and the C API register green through these two
// functions, so a new dialect or pass area is added in one place.
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_INITALL_H
#define GREEN_INITALL_H

namespace mlir {
class DialectRegistry;

namespace green {

/// Inserts green's dialects and the external interface models green attaches
/// to upstream ops into `registry`.
void registerAllGreenDialects(DialectRegistry &registry);

/// Registers green's passes and pass pipelines with the global pass registry.
void registerAllGreenPasses();

} // namespace green
} // namespace mlir

#endif // GREEN_INITALL_H

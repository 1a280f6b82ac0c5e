//===- ExternalModels.h - EnergyCostOpInterface for upstream ops -*- C++
//-*-===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef GREEN_INTERFACES_EXTERNALMODELS_H
#define GREEN_INTERFACES_EXTERNALMODELS_H

namespace mlir {
class DialectRegistry;

namespace green {

/// Registers the EnergyCostOpInterface external models for upstream ops:
/// every linalg structured op (one generic model), linalg.softmax,
/// linalg.pack/unpack, tosa, arith, math, tensor and memref ops. The models
/// attach when the dialect is loaded into a context using `registry`.
void registerEnergyCostExternalModels(DialectRegistry &registry);

} // namespace green
} // namespace mlir

#endif // GREEN_INTERFACES_EXTERNALMODELS_H

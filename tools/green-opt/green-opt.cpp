//===- green-opt.cpp - green-opt driver ------------------------------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// An mlir-opt with every upstream dialect, extension and pass, plus green's.
//
//===----------------------------------------------------------------------===//

#include "green/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  llvm::cl::AddExtraVersionPrinter([](llvm::raw_ostream &os) {
    os << "green-opt version " << GREEN_OPT_VERSION
       << " (energy-aware MLIR compiler)\n";
  });

  mlir::registerAllPasses();
  mlir::green::registerAllGreenPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::green::registerAllGreenDialects(registry);

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv,
      "green-opt: energy-aware MLIR optimizer driver\n\n"
      "All upstream MLIR dialects and passes are available, plus green's\n"
      "(flags starting with --green-). See docs/ for the passes.\n",
      registry));
}

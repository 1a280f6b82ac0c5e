//===- OpConversionsControlFlow.cpp - If on conditions known at import ----===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// An If whose condition is known at import time (a constant, a shape test on
// static shapes, or a graph input pinned with --const-input) is replaced by
// the nodes of the branch it takes. A condition only known at run time is an
// error that says how to pin it.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

using namespace mlir;
using namespace mlir::green::onnx_import;

static LogicalResult convertIf(NodeImporter &n) {
  const HostTensor *cond = n.getInputConstant(0);
  if (!cond) {
    InFlightDiagnostic diag = n.emitError();
    diag << "condition '" << n.getInputName(0)
         << "' is only known at run time; pin the graph input it depends on "
            "with --const-input <name>=<value>";
    return diag;
  }
  if (cond->getNumElements() != 1)
    return n.emitError() << "condition must have one element";
  bool taken = cond->getInt(0) != 0;
  const onnx::AttributeProto *branch =
      n.getAttr(taken ? "then_branch" : "else_branch");
  if (!branch || !branch->has_g())
    return n.emitError() << "missing " << (taken ? "then" : "else")
                         << "_branch";
  const onnx::GraphProto &graph = branch->g();
  if (graph.output_size() != static_cast<int>(n.getNumOutputs()))
    return n.emitError() << "branch has " << graph.output_size()
                         << " outputs, the node " << n.getNumOutputs();
  ImportState &state = n.getState();
  for (const onnx::TensorProto &tensor : graph.initializer()) {
    llvm::Expected<HostTensor> host =
        decodeTensorProto(state.context, tensor, state.baseDir);
    if (!host)
      return n.emitError() << llvm::toString(host.takeError());
    RankedTensorType type = host->getType();
    state.values[tensor.name()] = ValueInfo{
        Value(), std::make_shared<HostTensor>(std::move(*host)), type};
  }
  if (failed(importNodes(state, graph)))
    return failure();
  for (int i = 0, e = graph.output_size(); i < e; ++i) {
    auto it = state.values.find(graph.output(i).name());
    if (it == state.values.end())
      return n.emitError() << "branch output '" << graph.output(i).name()
                           << "' is not defined";
    if (n.hasOutput(i))
      state.values[n.getNode().output(i)] = it->second;
  }
  return success();
}

void mlir::green::onnx_import::populateControlFlowConverters(
    llvm::StringMap<OpConverter> &converters) {
  converters["If"] = convertIf;
}

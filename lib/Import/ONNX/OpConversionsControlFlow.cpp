//===- OpConversionsControlFlow.cpp - If: folded or scf.if ----------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// An If whose condition is known at import time (a constant, a shape test on
// static shapes, or a graph input pinned with --const-input) is replaced by
// the nodes of the branch it takes. A condition only known at run time
// becomes scf.if with both branches imported into its regions.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::green::onnx_import;

/// Imports the initializers of a branch graph as host values.
static LogicalResult importBranchInitializers(NodeImporter &n,
                                              const onnx::GraphProto &graph) {
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
  return success();
}

/// An If on a condition known only at run time: scf.if, each branch's
/// nodes imported into its region. Both branches must produce the same
/// static types.
static LogicalResult convertRuntimeIf(NodeImporter &n) {
  ImportState &state = n.getState();
  OpBuilder &b = n.getBuilder();
  Location loc = n.getLoc();
  if (n.getInputType(0).getNumElements() != 1)
    return n.emitError() << "condition must have one element";
  Value cond = n.getInput(0);
  auto condType = cast<RankedTensorType>(cond.getType());
  llvm::SmallVector<Value> zeros(
      condType.getRank(), arith::ConstantIndexOp::create(b, loc, 0));
  Value flag = tensor::ExtractOp::create(b, loc, cond, zeros);
  if (!flag.getType().isInteger(1))
    return n.emitError() << "condition must be a bool";
  // Branch types are known once imported: build the branches in a
  // result-less scf.if, then move them into the real one.
  auto draft = scf::IfOp::create(b, loc, TypeRange{}, flag,
                                 /*withElseRegion=*/true);
  llvm::SmallVector<Type> types[2];
  const char *names[2] = {"then_branch", "else_branch"};
  for (int k = 0; k < 2; ++k) {
    const onnx::AttributeProto *branch = n.getAttr(names[k]);
    if (!branch || !branch->has_g())
      return n.emitError() << "missing " << names[k];
    const onnx::GraphProto &graph = branch->g();
    if (graph.output_size() != static_cast<int>(n.getNumOutputs()))
      return n.emitError() << names[k] << " has " << graph.output_size()
                           << " outputs, the node " << n.getNumOutputs();
    Block *block = k == 0 ? draft.thenBlock() : draft.elseBlock();
    Operation *terminator = block->getTerminator();
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(terminator);
    if (failed(importBranchInitializers(n, graph)) ||
        failed(importNodes(state, graph)))
      return failure();
    llvm::SmallVector<Value> results;
    for (const onnx::ValueInfoProto &out : graph.output()) {
      if (!state.values.count(out.name()))
        return n.emitError() << names[k] << " output '" << out.name()
                             << "' is not defined";
      if (state.values[out.name()].offsetU8)
        return n.emitError() << "uint8 branch outputs on a run-time "
                                "condition are not supported";
      results.push_back(state.materialize(out.name(), loc));
      types[k].push_back(results.back().getType());
    }
    scf::YieldOp::create(b, terminator->getLoc(), results);
    terminator->erase();
  }
  if (types[0] != types[1]) {
    InFlightDiagnostic diag = n.emitError();
    diag << "then and else branches produce different types (";
    llvm::interleaveComma(types[0], diag);
    diag << " vs ";
    llvm::interleaveComma(types[1], diag);
    return diag << "); only static, equal types are supported";
  }
  b.setInsertionPoint(draft);
  auto ifOp = scf::IfOp::create(b, loc, types[0], flag,
                                /*withElseRegion=*/true);
  ifOp.getThenRegion().takeBody(draft.getThenRegion());
  ifOp.getElseRegion().takeBody(draft.getElseRegion());
  draft.erase();
  b.setInsertionPointAfter(ifOp);
  // Constants first used inside a branch were materialized there: later
  // uses outside must materialize them again.
  for (auto &entry : state.values) {
    ValueInfo &info = entry.second;
    if (info.constant && info.value && info.value.getDefiningOp() &&
        ifOp->isProperAncestor(info.value.getDefiningOp())) {
      info.value = Value();
      info.offsetU8 = false;
    }
  }
  for (unsigned i = 0; i < n.getNumOutputs(); ++i)
    n.setOutput(i, ifOp.getResult(i));
  return success();
}

static LogicalResult convertIf(NodeImporter &n) {
  const HostTensor *cond = n.getInputConstant(0);
  if (!cond)
    return convertRuntimeIf(n);
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

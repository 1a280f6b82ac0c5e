//===- OpConversionsRNN.cpp - LSTM and GRU, unrolled ----------------------===//
//
// Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// LSTM and GRU (opsets 9 to 18) on a static sequence length, unrolled into
// TOSA ops: the input projection of every time step is one matmul
// ([seq * batch, input] x [input, gates]) with both biases folded in; each
// step then adds H_{t-1} x R^T and applies the gate equations of the ONNX
// specification. Directions forward, reverse and bidirectional; `clip`;
// activations Sigmoid, Tanh, Relu, HardSigmoid (alpha, beta); LSTM peepholes
// (P) and input_forget; GRU linear_before_reset; layout 0 and 1 (opset 14).
// Weights known at import are sliced and transposed at import.
// sequence_lens must be absent or equal the sequence length everywhere.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"

#include <limits>

using namespace mlir;
using namespace mlir::green::onnx_import;

namespace {
struct Activation {
  std::string name;
  float alpha = 0, beta = 0;
};

/// One recurrent node being unrolled.
struct Rnn {
  NodeImporter &n;
  Type elementType;
  int64_t seq, batch, inputSize, hidden, numDirs;
  bool layout1;
  std::optional<float> clip;
  llvm::SmallVector<Activation> activations;

  OpBuilder &b() { return n.getBuilder(); }

  /// Input `i` [dirs, rows, cols] at direction `d`, rows [r0, r0 + count),
  /// transposed to [cols, count].
  Value weightT(unsigned i, int64_t d, int64_t r0, int64_t count) {
    llvm::ArrayRef<int64_t> shape = n.getInputShape(i);
    int64_t cols = shape[2];
    if (const HostTensor *c = n.getInputConstant(i)) {
      HostTensor part = c->sliced({d, r0, 0}, {1, 1, 1}, {1, count, cols})
                            .reshaped({count, cols})
                            .transposed({1, 0});
      return n.createConstant(part);
    }
    Value v = n.createSlice(n.getInput(i), {d, r0, 0}, {1, count, cols});
    v = n.createReshape(v, {count, cols});
    return n.createTranspose(v, {1, 0});
  }

  /// Input `i` [dirs, len] at direction `d`, elements [e0, e0 + count), as
  /// [1, count].
  Value vectorPart(unsigned i, int64_t d, int64_t e0, int64_t count) {
    if (const HostTensor *c = n.getInputConstant(i))
      return n.createConstant(
          c->sliced({d, e0}, {1, 1}, {1, count}));
    return n.createSlice(n.getInput(i), {d, e0}, {1, count});
  }

  /// [M, K] x [K, N].
  Value matmul(Value a, Value w) {
    auto aType = cast<RankedTensorType>(a.getType());
    auto wType = cast<RankedTensorType>(w.getType());
    int64_t m = aType.getDimSize(0), k = aType.getDimSize(1),
            nn = wType.getDimSize(1);
    Value zp = n.createZeroPoint(elementType);
    Value mm = tosa::MatMulOp::create(
        b(), n.getLoc(), RankedTensorType::get({1, m, nn}, elementType),
        n.createReshape(a, {1, m, k}), n.createReshape(w, {1, k, nn}), zp,
        zp);
    return n.createReshape(mm, {m, nn});
  }

  Value add(Value x, Value y) { return *n.createBinary<tosa::AddOp>(x, y); }
  Value sub(Value x, Value y) { return *n.createBinary<tosa::SubOp>(x, y); }
  Value mul(Value x, Value y) { return *n.createMul(x, y); }

  Value activate(const Activation &act, Value x) {
    Location loc = n.getLoc();
    Type t = x.getType();
    if (act.name == "Sigmoid")
      return tosa::SigmoidOp::create(b(), loc, t, x);
    if (act.name == "Tanh")
      return tosa::TanhOp::create(b(), loc, t, x);
    if (act.name == "Relu")
      return tosa::ClampOp::create(
          b(), loc, t, x, b().getFloatAttr(elementType, 0.0),
          b().getFloatAttr(elementType,
                           std::numeric_limits<float>::max()));
    // HardSigmoid: max(0, min(1, alpha x + beta)).
    Value v = mul(x, n.createScalar(elementType, act.alpha, 2));
    v = add(v, n.createScalar(elementType, act.beta, 2));
    return tosa::ClampOp::create(b(), loc, t, v,
                                 b().getFloatAttr(elementType, 0.0),
                                 b().getFloatAttr(elementType, 1.0));
  }

  Value clipped(Value x) {
    if (!clip)
      return x;
    return tosa::ClampOp::create(b(), n.getLoc(), x.getType(), x,
                                 b().getFloatAttr(elementType, -*clip),
                                 b().getFloatAttr(elementType, *clip));
  }

  /// X as [seq, batch, input].
  Value input() {
    Value x = n.getInput(0);
    if (layout1)
      x = n.createTranspose(x, {1, 0, 2});
    return x;
  }

  /// Optional initial state input `i` at direction `d` as [batch, hidden].
  Value initialState(unsigned i, int64_t d) {
    if (!n.hasInput(i))
      return n.createConstant(
          HostTensor::zeros(elementType, {batch, hidden}));
    if (const HostTensor *c = n.getInputConstant(i)) {
      llvm::SmallVector<int64_t> starts = {d, 0, 0},
                                 sizes = {1, batch, hidden};
      if (layout1) {
        starts = {0, d, 0};
        sizes = {batch, 1, hidden};
      }
      return n.createConstant(
          c->sliced(starts, {1, 1, 1}, sizes).reshaped({batch, hidden}));
    }
    Value v = n.getInput(i);
    if (layout1)
      v = n.createTranspose(v, {1, 0, 2});
    v = n.createSlice(v, {d, 0, 0}, {1, batch, hidden});
    return n.createReshape(v, {batch, hidden});
  }

  /// Input projection of all steps for direction `d`: [seq * batch, G * H]
  /// with the biases (W_b + R_b) added.
  Value projectInputs(Value x, int64_t d, int64_t gates, unsigned biasIdx) {
    Value flat = n.createReshape(x, {seq * batch, inputSize});
    Value xw = matmul(flat, weightT(1, d, 0, gates * hidden));
    if (n.hasInput(biasIdx)) {
      Value wb = vectorPart(biasIdx, d, 0, gates * hidden);
      Value rb = vectorPart(biasIdx, d, gates * hidden, gates * hidden);
      xw = add(xw, add(wb, rb));
    }
    return xw;
  }

  Value step(Value xw, int64_t t) {
    int64_t g = cast<RankedTensorType>(xw.getType()).getDimSize(1);
    return n.createSlice(xw, {t * batch, 0}, {batch, g});
  }

  Value gate(Value v, int64_t k) {
    return n.createSlice(v, {0, k * hidden}, {batch, hidden});
  }

  /// Outputs: Y [seq, dirs, batch, hidden] (layout 1: [batch, seq, dirs,
  /// hidden]), and the last states [dirs, batch, hidden] (layout 1: [batch,
  /// dirs, hidden]).
  void setOutputs(llvm::ArrayRef<llvm::SmallVector<Value>> hs,
                  llvm::ArrayRef<llvm::SmallVector<Value>> lastStates) {
    Location loc = n.getLoc();
    if (n.hasOutput(0)) {
      llvm::SmallVector<Value> steps;
      for (int64_t t = 0; t < seq; ++t) {
        llvm::SmallVector<Value> dirs;
        for (int64_t d = 0; d < numDirs; ++d)
          dirs.push_back(n.createReshape(hs[d][t], {1, 1, batch, hidden}));
        steps.push_back(dirs.size() == 1
                            ? dirs.front()
                            : tosa::ConcatOp::create(
                                  b(), loc,
                                  RankedTensorType::get(
                                      {1, numDirs, batch, hidden},
                                      elementType),
                                  dirs, b().getI32IntegerAttr(1))
                                  .getResult());
      }
      Value y = steps.size() == 1
                    ? steps.front()
                    : tosa::ConcatOp::create(
                          b(), loc,
                          RankedTensorType::get({seq, numDirs, batch, hidden},
                                                elementType),
                          steps, b().getI32IntegerAttr(0))
                          .getResult();
      if (layout1)
        y = n.createTranspose(y, {2, 0, 1, 3});
      n.setOutput(0, y);
    }
    for (auto [k, states] : llvm::enumerate(lastStates)) {
      if (!n.hasOutput(k + 1))
        continue;
      llvm::SmallVector<Value> dirs;
      for (Value s : states)
        dirs.push_back(n.createReshape(s, {1, batch, hidden}));
      Value v = dirs.size() == 1
                    ? dirs.front()
                    : tosa::ConcatOp::create(
                          b(), loc,
                          RankedTensorType::get({numDirs, batch, hidden},
                                                elementType),
                          dirs, b().getI32IntegerAttr(0))
                          .getResult();
      if (layout1)
        v = n.createTranspose(v, {1, 0, 2});
      n.setOutput(k + 1, v);
    }
  }
};
} // namespace

/// Common checks and attributes; `gates` is 4 (LSTM) or 3 (GRU).
static FailureOr<Rnn> prepare(NodeImporter &n, int64_t gates,
                              llvm::ArrayRef<const char *> defaults) {
  Type elementType = n.getInputElementType(0);
  if (!isa<FloatType>(elementType))
    return n.emitError() << "only floating-point inputs are supported";
  if (n.getInputRank(0) != 3 || n.getInputRank(1) != 3 ||
      n.getInputRank(2) != 3)
    return n.emitError() << "X, W and R must have rank 3";
  bool layout1 = n.getIntAttr("layout", 0) != 0;
  llvm::ArrayRef<int64_t> xShape = n.getInputShape(0);
  int64_t seq = layout1 ? xShape[1] : xShape[0];
  int64_t batch = layout1 ? xShape[0] : xShape[1];
  std::string direction = n.getStringAttr("direction", "forward");
  int64_t numDirs = direction == "bidirectional" ? 2 : 1;
  if (direction != "forward" && direction != "reverse" &&
      direction != "bidirectional")
    return n.emitError() << "unknown direction '" << direction << "'";
  int64_t hidden = n.getInputShape(2)[2];
  if (n.hasAttr("hidden_size") && n.getIntAttr("hidden_size", 0) != hidden)
    return n.emitError() << "hidden_size differs from R's shape";
  if (n.getInputShape(1)[0] != numDirs ||
      n.getInputShape(1)[1] != gates * hidden ||
      n.getInputShape(1)[2] != xShape[2])
    return n.emitError() << "W has shape " << formatShape(n.getInputShape(1))
                         << ", expected " << numDirs << "x" << gates * hidden
                         << "x" << xShape[2];
  if (n.hasInput(4)) {
    const HostTensor *lens = n.getInputConstant(4);
    if (!lens)
      return n.emitError() << "sequence_lens must be known at import time";
    for (int64_t l : lens->getInts())
      if (l != seq)
        return n.emitError() << "sequence_lens other than the full length ("
                             << seq << ") are not supported";
  }
  Rnn rnn{n, elementType, seq, batch, xShape[2], hidden, numDirs, layout1,
          std::nullopt, {}};
  if (n.hasAttr("clip"))
    rnn.clip = n.getFloatAttr("clip", 0);
  const onnx::AttributeProto *acts = n.getAttr("activations");
  const onnx::AttributeProto *alphas = n.getAttr("activation_alpha");
  const onnx::AttributeProto *betas = n.getAttr("activation_beta");
  size_t perDir = defaults.size();
  for (int64_t d = 0; d < numDirs; ++d)
    for (size_t k = 0; k < perDir; ++k) {
      size_t idx = d * perDir + k;
      Activation a;
      a.name = acts && static_cast<int>(idx) < acts->strings_size()
                   ? acts->strings(idx)
                   : defaults[k];
      if (a.name == "HardSigmoid") {
        a.alpha = 0.2f;
        a.beta = 0.5f;
      }
      if (alphas && static_cast<int>(idx) < alphas->floats_size())
        a.alpha = alphas->floats(idx);
      if (betas && static_cast<int>(idx) < betas->floats_size())
        a.beta = betas->floats(idx);
      if (!llvm::is_contained({"Sigmoid", "Tanh", "Relu", "HardSigmoid"},
                              a.name))
        return n.emitError() << "activation '" << a.name
                             << "' is not supported";
      rnn.activations.push_back(a);
    }
  return rnn;
}

static bool isReverse(NodeImporter &n, int64_t d) {
  std::string direction = n.getStringAttr("direction", "forward");
  return direction == "reverse" || (direction == "bidirectional" && d == 1);
}

static LogicalResult convertLSTM(NodeImporter &n) {
  auto prepared = prepare(n, 4, {"Sigmoid", "Tanh", "Tanh"});
  if (failed(prepared))
    return failure();
  Rnn &r = *prepared;
  bool inputForget = n.getIntAttr("input_forget", 0);
  Value x = r.input();
  llvm::SmallVector<llvm::SmallVector<Value>> hs(r.numDirs);
  llvm::SmallVector<llvm::SmallVector<Value>> last(2);
  for (int64_t d = 0; d < r.numDirs; ++d) {
    const Activation &f = r.activations[d * 3], &g = r.activations[d * 3 + 1],
                     &h = r.activations[d * 3 + 2];
    Value xw = r.projectInputs(x, d, 4, 3);
    Value rT = r.weightT(2, d, 0, 4 * r.hidden);
    Value pi, po, pf;
    if (n.hasInput(7)) {
      pi = r.vectorPart(7, d, 0, r.hidden);
      po = r.vectorPart(7, d, r.hidden, r.hidden);
      pf = r.vectorPart(7, d, 2 * r.hidden, r.hidden);
    }
    Value ht = r.initialState(5, d), ct = r.initialState(6, d);
    hs[d].assign(r.seq, Value());
    for (int64_t s = 0; s < r.seq; ++s) {
      int64_t t = isReverse(n, d) ? r.seq - 1 - s : s;
      Value pre = r.add(r.step(xw, t), r.matmul(ht, rT));
      // Gate order i, o, f, c.
      Value iPre = r.gate(pre, 0), oPre = r.gate(pre, 1),
            fPre = r.gate(pre, 2), cPre = r.gate(pre, 3);
      if (pi) {
        iPre = r.add(iPre, r.mul(pi, ct));
        fPre = r.add(fPre, r.mul(pf, ct));
      }
      Value it = r.activate(f, r.clipped(iPre));
      Value ft;
      if (inputForget)
        ft = r.sub(n.createScalar(r.elementType, 1.0, 2), it);
      else
        ft = r.activate(f, r.clipped(fPre));
      Value cand = r.activate(g, r.clipped(cPre));
      ct = r.add(r.mul(ft, ct), r.mul(it, cand));
      if (po)
        oPre = r.add(oPre, r.mul(po, ct));
      Value ot = r.activate(f, r.clipped(oPre));
      ht = r.mul(ot, r.activate(h, ct));
      hs[d][t] = ht;
    }
    last[0].push_back(ht);
    last[1].push_back(ct);
  }
  r.setOutputs(hs, last);
  return success();
}

static LogicalResult convertGRU(NodeImporter &n) {
  auto prepared = prepare(n, 3, {"Sigmoid", "Tanh"});
  if (failed(prepared))
    return failure();
  Rnn &r = *prepared;
  bool linearBeforeReset = n.getIntAttr("linear_before_reset", 0);
  Value x = r.input();
  llvm::SmallVector<llvm::SmallVector<Value>> hs(r.numDirs);
  llvm::SmallVector<llvm::SmallVector<Value>> last(1);
  for (int64_t d = 0; d < r.numDirs; ++d) {
    const Activation &f = r.activations[d * 2], &g = r.activations[d * 2 + 1];
    // The input projection carries W_b of every gate but only R_b of z
    // and r: R_bh sits inside the reset product with linear_before_reset.
    Value flat = n.createReshape(x, {r.seq * r.batch, r.inputSize});
    Value xw = r.matmul(flat, r.weightT(1, d, 0, 3 * r.hidden));
    Value rbh;
    if (n.hasInput(3)) {
      Value wb = r.vectorPart(3, d, 0, 3 * r.hidden);
      Value rbzr = r.vectorPart(3, d, 3 * r.hidden, 2 * r.hidden);
      rbh = r.vectorPart(3, d, 5 * r.hidden, r.hidden);
      Value zeros =
          n.createConstant(HostTensor::zeros(r.elementType, {1, r.hidden}));
      Value rb = tosa::ConcatOp::create(
          r.b(), n.getLoc(),
          RankedTensorType::get({1, 3 * r.hidden}, r.elementType),
          ValueRange{rbzr, zeros}, r.b().getI32IntegerAttr(1));
      xw = r.add(xw, r.add(wb, rb));
    }
    // Gate order z, r, h.
    Value rzrT = r.weightT(2, d, 0, 2 * r.hidden);
    Value rhT = r.weightT(2, d, 2 * r.hidden, r.hidden);
    Value ht = r.initialState(5, d);
    hs[d].assign(r.seq, Value());
    for (int64_t s = 0; s < r.seq; ++s) {
      int64_t t = isReverse(n, d) ? r.seq - 1 - s : s;
      Value xt = r.step(xw, t);
      Value zr = r.matmul(ht, rzrT);
      Value zt = r.activate(f, r.clipped(r.add(r.gate(xt, 0), r.gate(zr, 0))));
      Value rt = r.activate(f, r.clipped(r.add(r.gate(xt, 1), r.gate(zr, 1))));
      Value hPre;
      if (linearBeforeReset) {
        Value hr = r.matmul(ht, rhT);
        if (rbh)
          hr = r.add(hr, rbh);
        hPre = r.add(r.gate(xt, 2), r.mul(rt, hr));
      } else {
        Value hr = r.matmul(r.mul(rt, ht), rhT);
        if (rbh)
          hr = r.add(hr, rbh);
        hPre = r.add(r.gate(xt, 2), hr);
      }
      Value cand = r.activate(g, r.clipped(hPre));
      // H = (1 - z) h + z H_{t-1} = h + z (H_{t-1} - h).
      ht = r.add(cand, r.mul(zt, r.sub(ht, cand)));
      hs[d][t] = ht;
    }
    last[0].push_back(ht);
  }
  r.setOutputs(hs, last);
  return success();
}

void mlir::green::onnx_import::populateRNNConverters(
    llvm::StringMap<OpConverter> &converters) {
  converters["LSTM"] = convertLSTM;
  converters["GRU"] = convertGRU;
}

# ===- exec_rnn.py - LSTM and GRU models, run and compared ----------------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Usage: exec_rnn.py OUTDIR [NAME...]. The reference is a numpy transcription
# of the equations of ONNX's LSTM/GRU specification (gate orders iofc and
# zrh), itself checked against torch.nn.LSTM / torch.nn.GRU (gate orders
# ifgo and rzn; torch's GRU is linear_before_reset=1) where torch has the
# same configuration.
# ===-----------------------------------------------------------------------=== #
import sys
import zlib

import numpy as np
import torch
from onnx import TensorProto, helper, numpy_helper

from onnx_exec import main

F = TensorProto.FLOAT


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


ACT = {"Sigmoid": lambda x, a, b: sigmoid(x),
       "Tanh": lambda x, a, b: np.tanh(x),
       "Relu": lambda x, a, b: np.maximum(x, 0),
       "HardSigmoid": lambda x, a, b: np.clip(a * x + b, 0, 1)}


def acts_for(names, alphas, betas, d, k):
    i = d * k
    return [(lambda x, f=ACT[names[i + j]], a=alphas[i + j], b=betas[i + j]:
             f(x, a, b)) for j in range(k)]


def lstm_ref(x, W, R, B, h0, c0, P, direction, clip, acts, input_forget):
    seq, batch, _ = x.shape
    dirs, _, hidden = R.shape
    Y = np.zeros((seq, dirs, batch, hidden))
    hs, cs = [], []
    cl = (lambda v: np.clip(v, -clip, clip)) if clip else (lambda v: v)
    for d in range(dirs):
        f, g, h = acts[d]
        H, C = h0[d].astype(np.float64), c0[d].astype(np.float64)
        Wi, Wo, Wf, Wc = np.split(W[d], 4)
        Ri, Ro, Rf, Rc = np.split(R[d], 4)
        b = B[d][:4 * hidden] + B[d][4 * hidden:]
        bi, bo, bf, bc = np.split(b, 4)
        pi, po, pf = np.split(P[d], 3)
        rev = direction == "reverse" or (direction == "bidirectional" and d)
        for s in range(seq):
            t = seq - 1 - s if rev else s
            xt = x[t]
            i = f(cl(xt @ Wi.T + H @ Ri.T + pi * C + bi))
            ft = (1 - i) if input_forget else f(cl(xt @ Wf.T + H @ Rf.T +
                                                   pf * C + bf))
            c = g(cl(xt @ Wc.T + H @ Rc.T + bc))
            C = ft * C + i * c
            o = f(cl(xt @ Wo.T + H @ Ro.T + po * C + bo))
            H = o * h(C)
            Y[t, d] = H
        hs.append(H)
        cs.append(C)
    return Y, np.stack(hs), np.stack(cs)


def gru_ref(x, W, R, B, h0, direction, clip, acts, lbr):
    seq, batch, _ = x.shape
    dirs, _, hidden = R.shape
    Y = np.zeros((seq, dirs, batch, hidden))
    hs = []
    cl = (lambda v: np.clip(v, -clip, clip)) if clip else (lambda v: v)
    for d in range(dirs):
        f, g = acts[d]
        H = h0[d].astype(np.float64)
        Wz, Wr, Wh = np.split(W[d], 3)
        Rz, Rr, Rh = np.split(R[d], 3)
        Wbz, Wbr, Wbh, Rbz, Rbr, Rbh = np.split(B[d], 6)
        rev = direction == "reverse" or (direction == "bidirectional" and d)
        for s in range(seq):
            t = seq - 1 - s if rev else s
            xt = x[t]
            z = f(cl(xt @ Wz.T + H @ Rz.T + Wbz + Rbz))
            r = f(cl(xt @ Wr.T + H @ Rr.T + Wbr + Rbr))
            if lbr:
                hh = g(cl(xt @ Wh.T + r * (H @ Rh.T + Rbh) + Wbh))
            else:
                hh = g(cl(xt @ Wh.T + (r * H) @ Rh.T + Rbh + Wbh))
            H = (1 - z) * hh + z * H
            Y[t, d] = H
        hs.append(H)
    return Y, np.stack(hs)


def build(op, name, seq=4, batch=2, inp=3, hidden=5, direction="forward",
          layout=0, clip=None, activations=None, alphas=None, betas=None,
          input_forget=0, lbr=0, peepholes=False, initial=True, bias=True,
          const_weights=True):
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    g = 4 if op == "LSTM" else 3
    dirs = 2 if direction == "bidirectional" else 1
    f32 = lambda *s: (rng.standard_normal(s) * 0.5).astype(np.float32)
    x = f32(seq, batch, inp)
    W, R = f32(dirs, g * hidden, inp), f32(dirs, g * hidden, hidden)
    B = f32(dirs, 2 * g * hidden) if bias else np.zeros(
        (dirs, 2 * g * hidden), np.float32)
    h0 = f32(dirs, batch, hidden) if initial else np.zeros(
        (dirs, batch, hidden), np.float32)
    c0 = f32(dirs, batch, hidden) if initial else np.zeros(
        (dirs, batch, hidden), np.float32)
    P = f32(dirs, 3 * hidden) if peepholes else np.zeros(
        (dirs, 3 * hidden), np.float32)
    nacts = 3 if op == "LSTM" else 2
    default = (["Sigmoid", "Tanh", "Tanh"] if op == "LSTM"
               else ["Sigmoid", "Tanh"]) * dirs
    names = activations or default
    al = alphas or [0.2 if n == "HardSigmoid" else 0.0 for n in names]
    be = betas or [0.5 if n == "HardSigmoid" else 0.0 for n in names]
    acts = [acts_for(names, al, be, d, nacts) for d in range(dirs)]

    def lay(a, is_x):  # layout 1: batch first
        if not layout:
            return a
        return a.transpose(1, 0, 2)

    feeds, ins, inits = [lay(x, True)], [], []
    ins.append(helper.make_tensor_value_info("x", F, feeds[0].shape))
    names_in = ["x", "W", "R", "B" if bias else "", ""]
    for n_, a in [("W", W), ("R", R)] + ([("B", B)] if bias else []):
        if const_weights:
            inits.append(numpy_helper.from_array(a, n_))
        else:
            ins.append(helper.make_tensor_value_info(n_, F, a.shape))
            feeds.append(a)
    if initial:
        names_in += ["h0"] + (["c0"] if op == "LSTM" else [])
        inits.append(numpy_helper.from_array(lay(h0, False), "h0"))
        if op == "LSTM":
            inits.append(numpy_helper.from_array(lay(c0, False), "c0"))
    if peepholes:
        while len(names_in) < 7:
            names_in.append("")
        names_in.append("P")
        inits.append(numpy_helper.from_array(P, "P"))
    attrs = dict(hidden_size=hidden, direction=direction)
    if layout:
        attrs["layout"] = 1
    if clip:
        attrs["clip"] = clip
    if activations:
        attrs["activations"] = activations
    if alphas:
        attrs["activation_alpha"] = alphas
    if betas:
        attrs["activation_beta"] = betas
    if op == "LSTM" and input_forget:
        attrs["input_forget"] = 1
    if op == "GRU" and lbr:
        attrs["linear_before_reset"] = 1
    outs = ["Y", "Y_h"] + (["Y_c"] if op == "LSTM" else [])
    node = helper.make_node(op, names_in, outs, name=name, **attrs)
    graph = helper.make_graph(
        [node], name, ins,
        [helper.make_tensor_value_info(o, F, None) for o in outs], inits)
    opset = 14 if layout else 13
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    if op == "LSTM":
        ref = lstm_ref(x, W, R, B, h0, c0, P, direction, clip, acts,
                       input_forget)
    else:
        ref = gru_ref(x, W, R, B, h0, direction, clip, acts, lbr)
    ref = [r.astype(np.float32) for r in ref]
    if layout:
        ref[0] = ref[0].transpose(2, 0, 1, 3)
        ref[1:] = [r.transpose(1, 0, 2) for r in ref[1:]]
    torch_check(op, x, W, R, B, h0, c0, direction, hidden, ref, layout,
                clip, activations, peepholes, input_forget, lbr, op)
    return model, feeds, ref


def torch_check(op, x, W, R, B, h0, c0, direction, hidden, ref, layout, clip,
                activations, peepholes, input_forget, lbr, _):
    """The numpy reference against torch, where torch has the same model."""
    if (layout or clip or activations or peepholes or input_forget or
            (op == "GRU" and not lbr)):
        return
    bidir = direction == "bidirectional"
    if direction == "reverse":
        return
    dirs = 2 if bidir else 1
    if op == "LSTM":
        m = torch.nn.LSTM(x.shape[2], hidden, bidirectional=bidir)
        perm = [0, 2, 3, 1]  # torch i f g o  <-  onnx i o f c
    else:
        m = torch.nn.GRU(x.shape[2], hidden, bidirectional=bidir)
        perm = [1, 0, 2]  # torch r z n  <-  onnx z r h
    g = len(perm)
    reorder = lambda a: np.concatenate(
        [np.split(a, g)[p] for p in perm])
    with torch.no_grad():
        for d in range(dirs):
            sfx = "_reverse" if d else ""
            getattr(m, "weight_ih_l0" + sfx).copy_(torch.from_numpy(
                reorder(W[d])))
            getattr(m, "weight_hh_l0" + sfx).copy_(torch.from_numpy(
                reorder(R[d])))
            getattr(m, "bias_ih_l0" + sfx).copy_(torch.from_numpy(
                reorder(B[d][:g * hidden])))
            getattr(m, "bias_hh_l0" + sfx).copy_(torch.from_numpy(
                reorder(B[d][g * hidden:])))
        if op == "LSTM":
            y, (hn, cn) = m(torch.from_numpy(x), (torch.from_numpy(h0),
                                                  torch.from_numpy(c0)))
        else:
            y, hn = m(torch.from_numpy(x), torch.from_numpy(h0))
    y = y.numpy().reshape(x.shape[0], x.shape[1], dirs, hidden).transpose(
        0, 2, 1, 3)
    assert np.allclose(y, ref[0], atol=1e-5), "reference differs from torch"
    assert np.allclose(hn.numpy(), ref[1], atol=1e-5)


MODELS = [
    ("lstm_forward", lambda: build("LSTM", "lstm_forward")),
    ("lstm_reverse", lambda: build("LSTM", "lstm_reverse",
                                   direction="reverse")),
    ("lstm_bidirectional", lambda: build("LSTM", "lstm_bidirectional",
                                         direction="bidirectional")),
    ("lstm_peephole_clip", lambda: build("LSTM", "lstm_peephole_clip",
                                         peepholes=True, clip=0.8,
                                         input_forget=1)),
    ("lstm_layout1_acts", lambda: build(
        "LSTM", "lstm_layout1_acts", layout=1, direction="bidirectional",
        activations=["HardSigmoid", "Tanh", "Relu", "Sigmoid", "Relu",
                     "Tanh"], alphas=[0.3, 0, 0, 0, 0, 0],
        betas=[0.4, 0, 0, 0, 0, 0])),
    ("lstm_no_bias_state_var_w", lambda: build(
        "LSTM", "lstm_no_bias_state_var_w", bias=False, initial=False,
        const_weights=False)),
    ("gru_forward", lambda: build("GRU", "gru_forward")),
    ("gru_linear_before_reset", lambda: build(
        "GRU", "gru_linear_before_reset", lbr=1, direction="bidirectional")),
    ("gru_reverse_clip", lambda: build("GRU", "gru_reverse_clip",
                                       direction="reverse", clip=0.5)),
    ("gru_layout1_var_w", lambda: build("GRU", "gru_layout1_var_w", layout=1,
                                        const_weights=False, seq=3)),
]

if __name__ == "__main__":
    sys.exit(main(MODELS, sys.argv[1]))

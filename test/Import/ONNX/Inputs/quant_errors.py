# Models for quant.test's error cases (usage: quant_errors.py OUTDIR).
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
F, U8 = TensorProto.FLOAT, TensorProto.UINT8


def save(name, nodes, inputs, outputs, inits):
    g = helper.make_graph(nodes, name, inputs, outputs, inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    onnx.save(m, os.path.join(out, name + ".onnx"))


save("runtime_scale",
     [helper.make_node("QuantizeLinear", ["x", "s"], ["q"], name="q")],
     [helper.make_tensor_value_info("x", F, [4]),
      helper.make_tensor_value_info("s", F, [])],
     [helper.make_tensor_value_info("q", U8, None)], [])
save("u8_add",
     [helper.make_node("QuantizeLinear", ["x", "s"], ["q"], name="quant"),
      helper.make_node("Add", ["q", "q"], ["y"], name="add")],
     [helper.make_tensor_value_info("x", F, [4])],
     [helper.make_tensor_value_info("y", U8, None)],
     [numpy_helper.from_array(np.float32(0.5), "s")])

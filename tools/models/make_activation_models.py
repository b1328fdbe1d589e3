#!/usr/bin/env python3
"""Prints the one-node ONNX models that src/node/model/ortActivation.ts embeds as hex.

    /usr/bin/python3 tools/models/make_activation_models.py

Sigmoid: y = Sigmoid(x); Softmax: y = Softmax(x, axis=0) over a [C, N] map. float32, any shape, opset 13, IR 7.
"""
from onnx import TensorProto, helper

for op, attrs in [('Sigmoid', {}), ('Softmax', {'axis': 0})]:
    graph = helper.make_graph([helper.make_node(op, ['x'], ['y'], **attrs)], 'a',
                              [helper.make_tensor_value_info('x', TensorProto.FLOAT, None)],
                              [helper.make_tensor_value_info('y', TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)])
    model.ir_version = 7
    # No onnx.checker here: it insists on a declared shape, while onnxruntime accepts a value of unknown rank,
    # which is what lets one model serve every map size.
    print(op.lower(), model.SerializeToString().hex())

#!/usr/bin/env python3
"""Generates the small ONNX models of the model guards and preprocessing tests (issue 14).

    /usr/bin/python3 tools/models/make_guard_models.py [OUT_DIR]   # default test/fixtures/models

Each model is a few nodes built with onnx.helper; the tests compare SegLens's map with NumPy arithmetic, so the
models are chosen to make that arithmetic obvious:

- guard_sigmoid_named: y = Sigmoid(x) on a [1, 1, H, W] input, output named like PaddleOCR's ("sigmoid_0.tmp_0"):
  it already outputs probabilities, so a config that adds "activation": "sigmoid" must be refused.
- rgb_identity: y = x on a [1, 3, H, W] input: the "map" is the normalised input itself, so a test sees exactly
  what the model was fed (channel order, scale, every band of a float TIFF).
- grey_identity: y = x on a [1, 1, H, W] input, the same for one channel.
"""
import os
import sys

import onnx
from onnx import TensorProto, helper

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'models')
os.makedirs(OUT, exist_ok=True)
FLOAT = TensorProto.FLOAT


def save(name, nodes, inputs, outputs, inits=()):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], producer_name='seglens-tests')
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, name + '.onnx'))


def vi(name, shape, elem=FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


save('guard_sigmoid_named', [helper.make_node('Sigmoid', ['x'], ['sigmoid_0.tmp_0'])],
     [vi('x', [1, 1, 'H', 'W'])], [vi('sigmoid_0.tmp_0', [1, 1, 'H', 'W'])])
save('rgb_identity', [helper.make_node('Identity', ['image'], ['map'])],
     [vi('image', [1, 3, 'H', 'W'])], [vi('map', [1, 3, 'H', 'W'])])
save('grey_identity', [helper.make_node('Identity', ['image'], ['map'])],
     [vi('image', [1, 1, 'H', 'W'])], [vi('map', [1, 1, 'H', 'W'])])

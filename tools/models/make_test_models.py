#!/usr/bin/env python3
"""Generates the tiny ONNX test models of the SegLens model runner and their expected probability maps.

Run with the Python that has numpy, onnx, PIL and torch (here /usr/bin/python3):

    /usr/bin/python3 tools/models/make_test_models.py [OUT_DIR]   # default test/fixtures/models

The models are built node by node with onnx.helper (no training). Every expected map is computed here,
independently of the TypeScript runner: preprocessing in numpy, the model's arithmetic re-implemented in numpy
(explicit convolution loops, not onnxruntime), and bilinear resizing by torch.nn.functional.interpolate
(align_corners=False), the convention SegLens documents. Everything is seeded, so re-running reproduces the files.

Output: <model>.onnx, test images (.png/.npy), <case>.expected.npy (float32 [C, H, W]) and cases.json, which lists
every case (model, image, config, expected file) for test/unit/model/.
"""
import json
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper
from PIL import Image

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'models')
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20261127)
FLOAT = TensorProto.FLOAT
LUMA = np.array([0.299, 0.587, 0.114])


def save_model(name, nodes, inputs, outputs, inits):
    graph = helper.make_graph(nodes, name, inputs, outputs, [numpy_helper.from_array(v, k) for k, v in inits.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], producer_name='seglens-tests')
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, name + '.onnx'))


def vi(name, shape, elem=FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def resize(planes, h, w):
    """Bilinear, half-pixel centres, no antialias: [C, h0, w0] -> [C, h, w] in float64."""
    t = torch.from_numpy(np.ascontiguousarray(planes, dtype=np.float64))[None]
    if t.shape[2] == h and t.shape[3] == w:
        return planes.astype(np.float64)
    return F.interpolate(t, size=(h, w), mode='bilinear', align_corners=False)[0].numpy()


def conv2d(x, w, b, pad):
    """Plain cross-correlation (what ONNX Conv computes) on [Cin, H, W] with zero padding; loops, no library."""
    cout, cin, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    h = x.shape[1] + 2 * pad - kh + 1
    wd = x.shape[2] + 2 * pad - kw + 1
    out = np.zeros((cout, h, wd))
    for o in range(cout):
        out[o] += b[o]
        for i in range(cin):
            for dy in range(kh):
                for dx in range(kw):
                    out[o] += w[o, i, dy, dx] * xp[i, dy:dy + h, dx:dx + wd]
    return out


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - x.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def js_round(v):
    """JavaScript's Math.round (halves go up), which SegLens uses for geometry; Python's round() goes to even."""
    return int(np.floor(v + 0.5))


def normalise(img, order, scale, mean, std):
    """Raw pixels [H, W] or [H, W, C>=3] -> normalised channel-first planes in `order`."""
    img = img.astype(np.float64)
    if order == 'GRAY':
        g = img if img.ndim == 2 else img[..., :3] @ LUMA
        planes = g[None]
    else:
        rgb = np.stack([img] * 3, -1) if img.ndim == 2 else img[..., :3]
        if order == 'BGR':
            rgb = rgb[..., ::-1]
        planes = np.moveaxis(rgb, -1, 0)
    mean = np.array(mean, dtype=np.float64).reshape(-1, 1, 1)
    std = np.array(std, dtype=np.float64).reshape(-1, 1, 1)
    return (planes * scale - mean) / std


def place(planes, in_h, in_w, mode, pad):
    """Forward placement: returns the model input [C, in_h, in_w] and the content box. `pad` holds the per-channel
    tensor value of a black (pixel 0) border, (0 - mean) / std: images are padded before normalisation."""
    c, h, w = planes.shape
    if mode == 'stretch':
        top, left, ch, cw = 0, 0, in_h, in_w
    elif mode == 'letterbox':
        s = min(in_h / h, in_w / w)
        ch, cw = min(max(js_round(h * s), 1), in_h), min(max(js_round(w * s), 1), in_w)
        top, left = (in_h - ch) // 2, (in_w - cw) // 2
    else:
        top, left, ch, cw = 0, 0, h, w
    x = np.broadcast_to(np.asarray(pad, dtype=np.float64).reshape(-1, 1, 1), (c, in_h, in_w)).copy()
    x[:, top:top + ch, left:left + cw] = resize(planes, ch, cw)
    return x, (top, left, ch, cw)


def back(logits, in_h, in_w, box, h, w):
    """Inverse placement: crop the content box (in output pixels, edges rounded) and resize to [C, h, w]."""
    _, oh, ow = logits.shape
    top, left, ch, cw = box
    sy, sx = oh / in_h, ow / in_w
    t, l_ = js_round(top * sy), js_round(left * sx)
    b, r = max(t + 1, js_round((top + ch) * sy)), max(l_ + 1, js_round((left + cw) * sx))
    return resize(logits[:, t:b, l_:r], h, w)


# ---------------------------------------------------------------- test images
grey = rng.integers(0, 256, size=(13, 10), dtype=np.uint8)
rgb = rng.integers(0, 256, size=(20, 27, 3), dtype=np.uint8)
tall = rng.integers(0, 256, size=(30, 18), dtype=np.uint8)
grey16 = rng.integers(0, 65536, size=(9, 11), dtype=np.uint16)
float_img = rng.random((12, 7)).astype(np.float32)
Image.fromarray(grey, 'L').save(os.path.join(OUT, 'grey_13x10.png'))
Image.fromarray(rgb, 'RGB').save(os.path.join(OUT, 'rgb_20x27.png'))
Image.fromarray(tall, 'L').save(os.path.join(OUT, 'grey_30x18.png'))
Image.fromarray(grey16.astype(np.int32)).convert('I;16').save(os.path.join(OUT, 'grey16_9x11.png'))
np.save(os.path.join(OUT, 'float_12x7.npy'), float_img)
assert np.array_equal(np.array(Image.open(os.path.join(OUT, 'grey16_9x11.png'))), grey16)

cases = []


def case(name, model, image, img, config, fn, note):
    expected = fn(img).astype(np.float32)
    np.save(os.path.join(OUT, name + '.expected.npy'), expected)
    cases.append({'name': name, 'model': model + '.onnx', 'image': image, 'config': config,
                  'expected': name + '.expected.npy', 'note': note})


# ---------------------------------------------------------------- 1. sigmoid, 1 channel, dynamic size, pad
w_sig = rng.normal(size=(1, 1, 3, 3)).astype(np.float32)
b_sig = np.array([-0.25], dtype=np.float32)
save_model('sigmoid_dynamic',
           [helper.make_node('Conv', ['image', 'w', 'b'], ['logits'], pads=[1, 1, 1, 1])],
           [vi('image', [1, 1, 'H', 'W'])], [vi('logits', [1, 1, 'H', 'W'])], {'w': w_sig, 'b': b_sig})
demo_like = {'input': 'image', 'output': 'logits', 'layout': 'NCHW', 'size': 'dynamic', 'multipleOf': 8,
             'resize': 'pad', 'colorOrder': 'GRAY', 'scale': 1 / 255, 'mean': [0.2], 'std': [0.5],
             'activation': 'sigmoid', 'classes': ['lesion']}
with open(os.path.join(OUT, 'sigmoid_dynamic.seglens.json'), 'w') as f:
    json.dump(demo_like, f, indent=2)


def run_sigmoid(img, scale=1 / 255, mean=0.2, std=0.5):
    p = normalise(img, 'GRAY', scale, [mean], [std])
    h, w = p.shape[1:]
    in_h, in_w = -(-h // 8) * 8, -(-w // 8) * 8
    x, box = place(p, in_h, in_w, 'pad', [-mean / std])
    return sigmoid(back(conv2d(x, w_sig.astype(np.float64), b_sig, 1), in_h, in_w, box, h, w))


case('sigmoid_pad_grey', 'sigmoid_dynamic', 'grey_13x10.png', grey, demo_like, run_sigmoid,
     'demo-like config: 13x10 padded to 16x16; the 3x3 conv sees the black (pixel 0, then normalised) padding at the bottom/right edges')
case('sigmoid_pad_rgb_luma', 'sigmoid_dynamic', 'rgb_20x27.png', rgb, demo_like, run_sigmoid,
     'an RGB image fed to a GRAY model goes through BT.601 luma')
cfg16 = dict(demo_like)
del cfg16['scale']
case('sigmoid_pad_grey16', 'sigmoid_dynamic', 'grey16_9x11.png', grey16, cfg16,
     lambda im: run_sigmoid(im, scale=1 / 65535), 'no scale given: 16-bit PNG defaults to 1/65535')
cfg_float = dict(cfg16)
case('sigmoid_pad_float_npy', 'sigmoid_dynamic', 'float_12x7.npy', float_img, cfg_float,
     lambda im: run_sigmoid(im, scale=1.0), 'a float32 .npy image defaults to scale 1')

# ---------------------------------------------------------------- 2. softmax, 4 classes, fixed 16x16, dynamic batch
w_soft = rng.normal(size=(4, 3, 1, 1)).astype(np.float32)
b_soft = rng.normal(size=(4,)).astype(np.float32)
save_model('softmax_fixed',
           [helper.make_node('Conv', ['input', 'w', 'b'], ['out'])],
           [vi('input', ['batch', 3, 16, 16])], [vi('out', ['batch', 4, 16, 16])], {'w': w_soft, 'b': b_soft})
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def run_softmax(mode):
    def fn(img):
        p = normalise(img, 'RGB', 1 / 255, MEAN, STD)
        h, w = p.shape[1:]
        x, box = place(p, 16, 16, mode, [-m / s for m, s in zip(MEAN, STD)])
        return softmax(back(conv2d(x, w_soft.astype(np.float64), b_soft, 0), 16, 16, box, h, w))
    return fn


cfg_soft = {'colorOrder': 'RGB', 'mean': MEAN, 'std': STD, 'activation': 'softmax',
            'classes': ['background', 'a', 'b', 'c']}
case('softmax_stretch', 'softmax_fixed', 'rgb_20x27.png', rgb, cfg_soft, run_softmax('stretch'),
     'fixed size inferred from the model, stretch 20x27 -> 16x16 and back')
case('softmax_letterbox', 'softmax_fixed', 'rgb_20x27.png', rgb, dict(cfg_soft, resize='letterbox'),
     run_softmax('letterbox'), 'letterbox: 12x16 content centred at row 2, cropped and resized back')

# ---------------------------------------------------------------- 3. NHWC, BGR, 2 classes, dynamic multiple of 4
w_nhwc = rng.normal(size=(3, 2)).astype(np.float32)
b_nhwc = rng.normal(size=(2,)).astype(np.float32)
save_model('nhwc_bgr',
           [helper.make_node('MatMul', ['x', 'w'], ['xw']), helper.make_node('Add', ['xw', 'b'], ['y'])],
           [vi('x', [1, 'h', 'w', 3])], [vi('y', [1, 'h', 'w', 2])], {'w': w_nhwc, 'b': b_nhwc})


def run_nhwc(img):
    p = normalise(img, 'BGR', 1 / 255, [0.5], [0.25])
    h, w = p.shape[1:]
    in_h, in_w = -(-h // 4) * 4, -(-w // 4) * 4
    x, box = place(p, in_h, in_w, 'pad', [-0.5 / 0.25] * 3)
    logits = np.einsum('chw,ck->khw', x, w_nhwc.astype(np.float64)) + b_nhwc.reshape(-1, 1, 1)
    return softmax(back(logits, in_h, in_w, box, h, w))


case('nhwc_bgr_pad', 'nhwc_bgr', 'rgb_20x27.png', rgb,
     {'colorOrder': 'BGR', 'size': 'dynamic', 'multipleOf': 4, 'mean': [0.5], 'std': [0.25], 'activation': 'softmax'},
     run_nhwc, 'layout NHWC inferred from [1, h, w, 3]; BGR channel order; 20x27 padded to 20x28')

# ---------------------------------------------------------------- 4. fixed 24x24, output at half resolution, letterbox
save_model('strided_fixed',
           [helper.make_node('AveragePool', ['image'], ['pooled'], kernel_shape=[2, 2], strides=[2, 2]),
            helper.make_node('Mul', ['pooled', 'k'], ['scaled']),
            helper.make_node('Add', ['scaled', 'c'], ['logits'])],
           [vi('image', [1, 1, 24, 24])], [vi('logits', [1, 1, 12, 12])],
           {'k': np.array(3.0, dtype=np.float32), 'c': np.array(-1.0, dtype=np.float32)})


def run_strided(img):
    p = normalise(img, 'GRAY', 1 / 255, [0.0], [1.0])
    h, w = p.shape[1:]
    x, box = place(p, 24, 24, 'letterbox', [0.0])
    pooled = x.reshape(1, 12, 2, 12, 2).mean(axis=(2, 4))
    return sigmoid(back(pooled * 3 - 1, 24, 24, box, h, w))


case('strided_letterbox', 'strided_fixed', 'grey_30x18.png', tall, {'resize': 'letterbox', 'activation': 'sigmoid'},
     run_strided, '30x18 letterboxed into 24x24 (24x14 at column 5); the 12x12 output is cropped at columns 3..9')

# ---------------------------------------------------------------- 5. two outputs, pick by name
w_two = rng.normal(size=(2, 1, 1, 1)).astype(np.float32)
b_two = rng.normal(size=(2,)).astype(np.float32)
save_model('two_outputs',
           [helper.make_node('Mul', ['image', 'half'], ['aux']),
            helper.make_node('Conv', ['image', 'w', 'b'], ['z']),
            helper.make_node('Sigmoid', ['z'], ['probs'])],
           [vi('image', [1, 1, 'H', 'W'])], [vi('aux', [1, 1, 'H', 'W']), vi('probs', [1, 2, 'H', 'W'])],
           {'half': np.array(0.5, dtype=np.float32), 'w': w_two, 'b': b_two})


def run_two(img):
    p = normalise(img, 'GRAY', 1 / 255, [0.0], [1.0])
    return sigmoid(conv2d(p, w_two.astype(np.float64), b_two, 0))


case('two_outputs_by_name', 'two_outputs', 'grey_13x10.png', grey,
     {'output': 'probs', 'size': 'dynamic', 'multipleOf': 1, 'activation': 'none'}, run_two,
     'second output picked by name; already probabilities (activation none); multipleOf 1 means no padding')

# ---------------------------------------------------------------- bad models
with open(os.path.join(OUT, 'not_onnx.onnx'), 'w') as f:
    f.write('this is a text file, not an ONNX model\n')
save_model('nan_output',
           [helper.make_node('Sub', ['image', 'ten'], ['neg']), helper.make_node('Sqrt', ['neg'], ['out'])],
           [vi('image', [1, 1, 'H', 'W'])], [vi('out', [1, 1, 'H', 'W'])], {'ten': np.array(10.0, dtype=np.float32)})
save_model('classifier',
           [helper.make_node('GlobalAveragePool', ['image'], ['g']), helper.make_node('Flatten', ['g'], ['f']),
            helper.make_node('MatMul', ['f', 'w'], ['scores'])],
           [vi('image', [1, 1, 'H', 'W'])], [vi('scores', [1, 5])], {'w': np.ones((1, 5), dtype=np.float32)})
save_model('throws',
           [helper.make_node('Reshape', ['image', 'shape'], ['out'])],
           [vi('image', [1, 1, 'H', 'W'])], [vi('out', [1, 1, 'H2', 'W2'])],
           {'shape': np.array([1, 1, 7, 3], dtype=np.int64)})
save_model('label_output',
           [helper.make_node('ArgMax', ['image'], ['labels'], axis=1, keepdims=1)],
           [vi('image', [1, 3, 'H', 'W'])], [vi('labels', [1, 1, 'H', 'W'], TensorProto.INT64)], {})
save_model('rank3_input',
           [helper.make_node('Identity', ['image'], ['out'])],
           [vi('image', [1, 'H', 'W'])], [vi('out', [1, 'H', 'W'])], {})

# A model that asks for 4·10^17 bytes (beyond any 64-bit address space, so the allocation fails even where the
# kernel overcommits memory): the runner must report "ran out of memory" instead of crashing.
save_model('oom',
           [helper.make_node('ConstantOfShape', ['shape'], ['big'],
                             value=helper.make_tensor('v', TensorProto.FLOAT, [1], [1.0])),
            helper.make_node('ReduceSum', ['big'], ['s'], keepdims=1),
            helper.make_node('Add', ['image', 's'], ['out'])],
           [vi('image', [1, 1, 'H', 'W'])], [vi('out', [1, 1, 'H', 'W'])],
           {'shape': np.array([1, 1, 10 ** 8, 10 ** 9], dtype=np.int64)})

# ---------------------------------------------------------------- bench U-Net (3 levels, 8/16/32 channels, random weights)
# Shaped like a small segmentation U-Net so that session.run at 512² is representative when the overhead of pre- and
# post-processing is measured against it (bench/model.bench.ts). Its outputs are not checked: weights are random.
unet_nodes, unet_inits = [], {}


def conv_relu(name, x, cin, cout, relu=True, k=3):
    unet_inits[name + '_w'] = (rng.normal(size=(cout, cin, k, k)) * np.sqrt(2 / (cin * k * k))).astype(np.float32)
    unet_inits[name + '_b'] = np.zeros(cout, dtype=np.float32)
    p = k // 2
    unet_nodes.append(helper.make_node('Conv', [x, name + '_w', name + '_b'], [name + '_c'], pads=[p, p, p, p]))
    if not relu:
        return name + '_c'
    unet_nodes.append(helper.make_node('Relu', [name + '_c'], [name]))
    return name


def block(name, x, cin, cout):
    return conv_relu(name + 'b', conv_relu(name + 'a', x, cin, cout), cout, cout)


def down(name, x):
    unet_nodes.append(helper.make_node('MaxPool', [x], [name], kernel_shape=[2, 2], strides=[2, 2]))
    return name


def up(name, x):
    unet_inits[name + '_scales'] = np.array([1, 1, 2, 2], dtype=np.float32)
    unet_nodes.append(helper.make_node('Resize', [x, '', name + '_scales'], [name], mode='nearest'))
    return name


def concat(name, a, b):
    unet_nodes.append(helper.make_node('Concat', [a, b], [name], axis=1))
    return name


e1 = block('e1', 'image', 1, 8)
e2 = block('e2', down('p1', e1), 8, 16)
mid = block('m', down('p2', e2), 16, 32)
d2 = block('d2', concat('c2', up('u2', mid), e2), 48, 16)
d1 = block('d1', concat('c1', up('u1', d2), e1), 24, 8)
logits = conv_relu('head', d1, 8, 1, relu=False, k=1)
unet_nodes.append(helper.make_node('Identity', [logits], ['logits']))
save_model('bench_unet', unet_nodes, [vi('image', [1, 1, 'H', 'W'])], [vi('logits', [1, 1, 'H', 'W'])], unet_inits)

# ---------------------------------------------------------------- float16 and float64 outputs (already probabilities)
for name, elem, np_type in [('half_output', TensorProto.FLOAT16, np.float16), ('double_output', TensorProto.DOUBLE, np.float64)]:
    save_model(name,
               [helper.make_node('Sigmoid', ['image'], ['s']), helper.make_node('Cast', ['s'], ['p'], to=elem)],
               [vi('image', [1, 1, 'H', 'W'])], [vi('p', [1, 1, 'H', 'W'], elem)], {})
    case(name, name, 'grey_13x10.png', grey, {'multipleOf': 1},
         lambda im, t=np_type: sigmoid(normalise(im, 'GRAY', 1 / 255, [0.0], [1.0])).astype(np.float32).astype(t),
         f'a {np.dtype(np_type).name} output is read and widened to float32')
cases[-2]['tolerance'] = 1e-3  # float16 rounding of onnxruntime's float32 sigmoid may differ from numpy's by one ulp

with open(os.path.join(OUT, 'cases.json'), 'w') as f:
    json.dump(cases, f, indent=2)
print(f'wrote {len(cases)} cases and their models to {os.path.normpath(OUT)}')

#!/usr/bin/env python3
"""Generates the preprocessing test models of issue 14 and their NumPy references.

    PYTHONPATH=<dir with onnx> /usr/bin/python3 tools/models/make_preprocess_cases.py [OUT_DIR]
    # default OUT_DIR: test/fixtures/models/preprocess

Every reference is computed here in NumPy, independently of the TypeScript runner: colour conversion and
normalisation, the placement of each resize mode, bilinear resampling with half-pixel centres and no antialiasing
(PyTorch's interpolate(mode="bilinear", align_corners=False), re-implemented with explicit index arithmetic), the
models' arithmetic (written out, not run through onnxruntime), mmsegmentation's sliding-window placement and the
two blends, and the two conventions for stride-2 outputs. Seeded, so a re-run reproduces the files.

Output: pp_*.onnx models, small images (.png / .npy), <case>.expected.npy and cases.json (one entry per case:
model or tensor-only, image, config, expected, what it checks), read by test/unit/node/model/preprocess.test.ts.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from PIL import Image

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'models', 'preprocess')
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20261207)
FLOAT = TensorProto.FLOAT
LUMA = np.array([0.299, 0.587, 0.114])
cases = []


def save_model(name, nodes, inputs, outputs, inits=None):
    inits = inits or {}
    graph = helper.make_graph(nodes, name, inputs, outputs, [numpy_helper.from_array(v, k) for k, v in inits.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], producer_name='seglens-tests')
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, name + '.onnx'))


def vi(name, shape, elem=FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def axis_table(start, length, out_len):
    """Half-pixel source positions of out_len samples over [start, start + length), clamped like PyTorch."""
    scale = length / out_len
    p = start + (np.arange(out_len) + 0.5) * scale - 0.5
    p = np.clip(p, start, start + length - 1)
    i0 = np.floor(p).astype(int)
    i1 = np.minimum(i0 + 1, start + length - 1)
    return i0, i1, p - i0


def resize(plane, out_h, out_w, rect=None):
    """Bilinear resample of plane[rect] (top, left, h, w) to out_h x out_w, float64."""
    top, left, h, w = rect if rect is not None else (0, 0, plane.shape[0], plane.shape[1])
    y0, y1, wy = axis_table(top, h, out_h)
    x0, x1, wx = axis_table(left, w, out_w)
    a = plane[np.ix_(y0, x0)] * (1 - wx) + plane[np.ix_(y0, x1)] * wx
    b = plane[np.ix_(y1, x0)] * (1 - wx) + plane[np.ix_(y1, x1)] * wx
    return a * (1 - wy[:, None]) + b * wy[:, None]


def js_round(v):
    """Math.round: halves go up."""
    return int(np.floor(v + 0.5))


def nearest_multiple(n, m):
    return max(m, js_round(n / m) * m)


def channels(img, order):
    """[H, W] or [H, W, 3] pixels -> [C, H, W] float64 in the model's colour order."""
    img = img.astype(np.float64)
    if order == 'GRAY':
        return (img if img.ndim == 2 else img[..., :3] @ LUMA)[None]
    rgb = np.repeat(img[..., None], 3, axis=2) if img.ndim == 2 else img[..., :3]
    if order == 'BGR':
        rgb = rgb[..., ::-1]
    return np.moveaxis(rgb, 2, 0)


def normalise(planes, scale, mean, std):
    c = planes.shape[0]
    mean = np.resize(np.array(mean, dtype=np.float64), c)
    std = np.resize(np.array(std, dtype=np.float64), c)
    return (planes * scale - mean[:, None, None]) / std[:, None, None]


def place(norm, in_h, in_w, content, pad):
    """The input tensor [C, in_h, in_w]: pad values, then the resampled image in its content rectangle."""
    c = norm.shape[0]
    out = np.empty((c, in_h, in_w))
    out[:] = np.array(pad)[:, None, None]
    top, left, h, w = content
    for k in range(c):
        out[k, top:top + h, left:left + w] = resize(norm[k], h, w)
    return out


def save(name, arr):
    np.save(os.path.join(OUT, name), np.ascontiguousarray(arr, dtype=np.float32))


# ---------------------------------------------------------------- images
rgb = rng.integers(0, 256, size=(20, 27, 3), dtype=np.uint8)
Image.fromarray(rgb, 'RGB').save(os.path.join(OUT, 'rgb_20x27.png'))
grey = rng.integers(0, 256, size=(13, 10), dtype=np.uint8)
Image.fromarray(grey, 'L').save(os.path.join(OUT, 'grey_13x10.png'))
big = rng.random((40, 37)).astype(np.float32)
np.save(os.path.join(OUT, 'float_40x37.npy'), big)

# ---------------------------------------------------------------- tensor cases (prepareInput only)
MEAN3 = [0.485, 0.456, 0.406]
STD3 = [0.229, 0.224, 0.225]


def tensor_case(name, image, img, config, in_h, in_w, content, pad, order, scale, mean, std, what):
    norm = normalise(channels(img, order), scale, mean, std)
    t = place(norm, in_h, in_w, content, pad)
    save(name + '.expected.npy', t[None])
    cases.append({'name': name, 'kind': 'tensor', 'image': image, 'config': config,
                  'expected': name + '.expected.npy', 'what': what})


# longest side 40, multiple of 8: 20x27 -> s = 40/27 -> 29.6 -> 32, 40.
s = 40 / 27
tensor_case('longest_40_m8', 'rgb_20x27.png', rgb,
            {'layout': 'NCHW', 'colorOrder': 'RGB', 'size': 'dynamic', 'multipleOf': 8, 'resize': 'longest',
             'sideLength': 40, 'mean': MEAN3, 'std': STD3},
            nearest_multiple(20 * s, 8), nearest_multiple(27 * s, 8),
            (0, 0, nearest_multiple(20 * s, 8), nearest_multiple(27 * s, 8)), [0, 0, 0], 'RGB', 1 / 255, MEAN3, STD3,
            'resize longest side to 40, then each side to the nearest multiple of 8 (PaddleOCR-style)')
# shortest side 16, multiple of 4: s = 0.8 -> 16, 21.6 -> 20.
tensor_case('shortest_16_m4', 'rgb_20x27.png', rgb,
            {'layout': 'NCHW', 'colorOrder': 'BGR', 'size': 'dynamic', 'multipleOf': 4, 'resize': 'shortest',
             'sideLength': 16, 'inputRange': 255, 'mean': [103.53, 116.28, 123.675], 'std': [57.375, 57.12, 58.395]},
            16, 20, (0, 0, 16, 20), [0, 0, 0], 'BGR', 1.0, [103.53, 116.28, 123.675], [57.375, 57.12, 58.395],
            'resize shortest side to 16, multiple of 4, BGR with 0–255 means ("inputRange": 255)')
# letterbox into a fixed 32x32 at the top-left, padded with the mean colour (a normalised 0).
f = min(32 / 20, 32 / 27)
tensor_case('letterbox_topleft_meanpad', 'rgb_20x27.png', rgb,
            {'layout': 'NCHW', 'colorOrder': 'RGB', 'size': [32, 32], 'resize': 'letterbox', 'anchor': 'topLeft',
             'padValue': 'mean', 'mean': MEAN3, 'std': STD3},
            32, 32, (0, 0, js_round(20 * f), js_round(27 * f)), [0, 0, 0], 'RGB', 1 / 255, MEAN3, STD3,
            'letterbox anchored top-left, padding with the mean colour')
# letterbox centred, padded with YOLO's grey 114 (in the units of mean: 114/255 with inputRange 1).
g = min(32 / 13, 32 / 10)
h_c, w_c = js_round(13 * g), js_round(10 * g)
pv = 114 / 255
tensor_case('letterbox_center_pad114', 'grey_13x10.png', grey,
            {'layout': 'NCHW', 'colorOrder': 'GRAY', 'size': [32, 32], 'resize': 'letterbox', 'padValue': pv,
             'mean': [0.5], 'std': [0.25]},
            32, 32, ((32 - h_c) // 2, (32 - w_c) // 2, h_c, w_c), [(pv - 0.5) / 0.25], 'GRAY', 1 / 255, [0.5], [0.25],
            'letterbox centred with pad value 114/255 (YOLO grey), normalised like the pixels')
# pad to a multiple of 16, centred.
tensor_case('pad_center_m16', 'grey_13x10.png', grey,
            {'layout': 'NCHW', 'colorOrder': 'GRAY', 'size': 'dynamic', 'multipleOf': 16, 'resize': 'pad',
             'anchor': 'center', 'mean': [0.2], 'std': [0.5]},
            16, 16, (1, 3, 13, 10), [(0 - 0.2) / 0.5], 'GRAY', 1 / 255, [0.2], [0.5],
            'pad to the next multiple of 16 with the image centred (black border, then normalised)')

# ---------------------------------------------------------------- models and map cases


def map_case(name, model, image, config, expected, what):
    save(name + '.expected.npy', expected)
    cases.append({'name': name, 'kind': 'map', 'model': model, 'image': image, 'config': config,
                  'expected': name + '.expected.npy', 'what': what})


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


# float16 input: y = Cast(x) (an identity on the float16-rounded input).
save_model('pp_fp16', [helper.make_node('Cast', ['x'], ['y'], to=FLOAT)],
           [vi('x', [1, 3, 'H', 'W'], TensorProto.FLOAT16)], [vi('y', [1, 3, 'H', 'W'])])
x16 = normalise(channels(rgb, 'RGB'), 1 / 255, 0, 1).astype(np.float16).astype(np.float64)
map_case('fp16_identity', 'pp_fp16.onnx', 'rgb_20x27.png', {'multipleOf': 1}, x16,
         'a float16 image input: the map is the float16-rounded input')

# uint8 input: y = Cast(x) / 255 (the normalisation inside the model, as uint8 exports have it).
save_model('pp_uint8', [helper.make_node('Cast', ['x'], ['xf'], to=FLOAT),
                        helper.make_node('Mul', ['xf', 'k'], ['y'])],
           [vi('x', [1, 1, 'H', 'W'], TensorProto.UINT8)], [vi('y', [1, 1, 'H', 'W'])],
           {'k': np.array([1 / 255], dtype=np.float32)})
map_case('uint8_input', 'pp_uint8.onnx', 'grey_13x10.png', {'multipleOf': 1},
         grey[None].astype(np.float32).astype(np.float64) * np.float32(1 / 255),
         'a uint8 image input takes raw pixels (default inputRange 255)')

# Extra inputs: logits = x * gain + offset, with gain a float [1] and offset an int64 scalar cast to float.
save_model('pp_extra', [helper.make_node('Mul', ['image', 'gain'], ['a']),
                        helper.make_node('Cast', ['offset'], ['b'], to=FLOAT),
                        helper.make_node('Add', ['a', 'b'], ['logits'])],
           [vi('image', [1, 1, 'H', 'W']), vi('gain', [1]), vi('offset', [], TensorProto.INT64)],
           [vi('logits', [1, 1, 'H', 'W'])])
gx = normalise(channels(grey, 'GRAY'), 1 / 255, 0, 1)
map_case('extra_inputs', 'pp_extra.onnx', 'grey_13x10.png',
         {'input': 'image', 'multipleOf': 1, 'activation': 'sigmoid',
          'extraInputs': {'gain': {'type': 'float32', 'shape': [1], 'value': [6]},
                          'offset': {'type': 'int64', 'shape': [], 'value': -3}}},
         sigmoid(gx * 6 - 3), 'constant extra inputs (float32 [1] and an int64 scalar), then sigmoid')

# Two heads: a = x, b = x * x; combined by concat (2 channels) and by mean.
save_model('pp_two_heads', [helper.make_node('Identity', ['x'], ['a']), helper.make_node('Mul', ['x', 'x'], ['b'])],
           [vi('x', [1, 1, 'H', 'W'])], [vi('a', [1, 1, 'H', 'W']), vi('b', [1, 1, 'H', 'W'])])
map_case('combine_concat', 'pp_two_heads.onnx', 'grey_13x10.png',
         {'multipleOf': 1, 'outputs': ['a', 'b'], 'combine': 'concat'},
         np.concatenate([gx, gx.astype(np.float32).astype(np.float64) ** 2]), 'two outputs side by side')
map_case('combine_mean', 'pp_two_heads.onnx', 'grey_13x10.png',
         {'multipleOf': 1, 'outputs': ['a', 'b'], 'combine': 'mean'},
         (gx + gx.astype(np.float32).astype(np.float64) ** 2) / 2, 'two outputs averaged')

# Stride 2: y = AveragePool2x2(x) on a 13x10 image padded to 16x16 (multiple of 16, pad top-left).
save_model('pp_stride2', [helper.make_node('AveragePool', ['x'], ['y'], kernel_shape=[2, 2], strides=[2, 2])],
           [vi('x', [1, 1, 'H', 'W'])], [vi('y', [1, 1, 'h', 'w'])])
padded = np.zeros((16, 16))
padded[:13, :10] = gx[0].astype(np.float32)
pooled = padded.reshape(8, 2, 8, 2).mean(axis=(1, 3))
# crop-then-resize: the 13x10 rectangle at stride 2 is rows [0, round(6.5)=7), cols [0, 5), resampled to 13x10.
crop_first = resize(pooled, 13, 10, (0, 0, 7, 5))
# resize-then-crop: the whole 8x8 output resized to 16x16, then rows [0, 13), cols [0, 10) (no resampling after).
resize_first = resize(pooled, 16, 16)[:13, :10]
map_case('stride2_crop_then_resize', 'pp_stride2.onnx', 'grey_13x10.png',
         {'multipleOf': 16, 'resize': 'pad'}, crop_first[None], 'stride-2 output: crop at output resolution, then resize')
map_case('stride2_resize_then_crop', 'pp_stride2.onnx', 'grey_13x10.png',
         {'multipleOf': 16, 'resize': 'pad', 'strideMode': 'resize-then-crop'}, resize_first[None],
         'stride-2 output: resize to the input, then crop (mmsegmentation)')

# Tiling: a fixed 16x16 model, logits = Conv3x3(x) + b (zero padding), on a 40x37 float image.
wconv = rng.normal(0, 1, size=(1, 1, 3, 3)).astype(np.float32)
bconv = np.array([-0.5], dtype=np.float32)
save_model('pp_fixed16', [helper.make_node('Conv', ['x', 'w', 'b'], ['y'], pads=[1, 1, 1, 1])],
           [vi('x', [1, 1, 16, 16])], [vi('y', [1, 1, 16, 16])], {'w': wconv, 'b': bconv})


def conv3(tile):
    p = np.pad(tile.astype(np.float64), 1)
    out = np.full(tile.shape, float(bconv[0]))
    for dy in range(3):
        for dx in range(3):
            out += float(wconv[0, 0, dy, dx]) * p[dy:dy + tile.shape[0], dx:dx + tile.shape[1]]
    return out


def slide(img, t, overlap, blend):
    """mmsegmentation's slide inference over img with t x t tiles; blend 'mean' or 'linear' weights."""
    H, W = img.shape

    def axis(n):
        size = min(t, n)
        stride = max(1, js_round(size * (1 - overlap)))
        count = max(n - size + stride - 1, 0) // stride + 1
        return [(min(i * stride + size, n) - size, size) for i in range(count)]

    def weights(start, length, total):
        w = np.ones(length)
        if blend != 'linear':
            return w
        ramp = js_round(min(length, total) * overlap)
        i = np.arange(length)
        if ramp > 0 and start > 0:
            w = np.minimum(w, (i + 0.5) / ramp)
        if ramp > 0 and start + length < total:
            w = np.minimum(w, (length - i - 0.5) / ramp)
        return w

    acc = np.zeros((H, W))
    wsum = np.zeros((H, W))
    for top, h in axis(H):
        for left, w in axis(W):
            tile = img[top:top + h, left:left + w]
            logits = conv3(tile)
            wt = weights(top, h, H)[:, None] * weights(left, w, W)[None, :]
            acc[top:top + h, left:left + w] += wt * logits
            wsum[top:top + h, left:left + w] += wt
    return sigmoid(acc / wsum)


for blend in ('mean', 'linear'):
    map_case(f'tiles_{blend}', 'pp_fixed16.onnx', 'float_40x37.npy',
             {'tile': [16, 16], 'overlap': 0.25, 'tileBlend': blend, 'resize': 'pad', 'activation': 'sigmoid'},
             slide(big, 16, 0.25, blend)[None],
             f'a 40x37 image through a fixed 16x16 model in tiles with overlap 0.25, blended by {blend}')

with open(os.path.join(OUT, 'cases.json'), 'w') as fh:
    json.dump(cases, fh, indent=2)
    fh.write('\n')
print(f'{len(cases)} cases written to {OUT}')

#!/usr/bin/env python3
"""Writes the NPY / NPZ / PNG reference files of test/fixtures/io with numpy and PIL.

Each file comes with its expected content in expected.json, written by numpy from the same array (values in C
order as strings: repr of floats, so NaN / inf / -0.0 / subnormals survive JSON), so the TypeScript readers are
checked against files written by the real libraries rather than by our own writer.

Run: /usr/bin/python3 tools/io/make_io_fixtures.py   (numpy, PIL)
"""
import json
import os

import numpy as np
from PIL import Image

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'io')
os.makedirs(OUT, exist_ok=True)
expected = {'npy': {}, 'npz': {}, 'png': {}}


def values(a):
    flat = np.ascontiguousarray(a).reshape(-1)
    if a.dtype.kind == 'f':
        return [repr(float(v)) for v in flat]
    if a.dtype.kind == 'b':
        return [str(int(v)) for v in flat]
    return [str(int(v)) for v in flat]


def sample(dtype, shape):
    dt = np.dtype(dtype)
    n = int(np.prod(shape))
    k = np.arange(n)
    if dt.kind == 'b':
        a = (k % 3 == 0)
    elif dt.kind == 'u':
        info = np.iinfo(dt)
        a = (k * 2654435761) % (int(info.max) + 1)
        a = a.astype(np.uint64)
        a[0] = info.max
        if n > 1:
            a[1] = 0
    elif dt.kind == 'i':
        info = np.iinfo(dt)
        a = ((k * 2654435761) % (int(info.max) + 1)).astype(np.int64) * np.where(k % 2 == 0, 1, -1)
        a[0] = info.min
        if n > 1:
            a[1] = info.max
    else:
        a = (k - n / 2) * 0.37
        specials = [np.nan, np.inf, -np.inf, -0.0, 1e-7, 65504.0 if dt.itemsize == 2 else 1e300 if dt.itemsize == 8 else 3.4e38]
        a = a.astype(np.float64)
        for i, s in enumerate(specials[: max(0, n - 1)]):
            a[i + 1] = s
    return np.asarray(a).astype(dt).reshape(shape)


codes = ['b1', 'u1', 'u2', 'u4', 'u8', 'i1', 'i2', 'i4', 'i8', 'f2', 'f4', 'f8']
for code in codes:
    for endian in ('<', '>'):
        if code in ('b1', 'u1', 'i1') and endian == '>':
            continue
        for order in ('C', 'F'):
            a = sample(np.dtype(endian + code if code not in ('b1', 'u1', 'i1') else code), (3, 4, 5))
            if order == 'F':
                a = np.asfortranarray(a)
            name = f'{code}_{"le" if endian == "<" else "be"}_{order}.npy'
            np.save(os.path.join(OUT, name), a)
            expected['npy'][name] = {'dtype': code, 'shape': list(a.shape), 'values': values(a)}

# Shapes at the edges: 0-d, 1-d, empty, 2-d Fortran float16 and a version 2.0 header.
edge = {
    'scalar_f8.npy': np.array(3.25),
    'vector_i4.npy': np.arange(7, dtype='<i4') - 3,
    'empty_f4.npy': np.zeros((0, 3), dtype='<f4'),
    'f2_F_2d.npy': np.asfortranarray(np.array([[0.5, -2.0, 65504.0], [6.1e-5, 5.96e-8, np.inf]], dtype='<f2')),
}
for name, a in edge.items():
    np.save(os.path.join(OUT, name), a)
    expected['npy'][name] = {'dtype': a.dtype.str[1:], 'shape': list(a.shape), 'values': values(a)}
with open(os.path.join(OUT, 'v2_u2.npy'), 'wb') as f:
    a = np.arange(12, dtype='<u2').reshape(3, 4)
    np.lib.format.write_array(f, a, version=(2, 0))
    expected['npy']['v2_u2.npy'] = {'dtype': 'u2', 'shape': [3, 4], 'values': values(a)}

# NPZ: stored and deflated, named and positional arrays.
prob = np.linspace(0, 1, 2 * 3 * 4, dtype='<f4').reshape(2, 3, 4)
mask = (np.arange(12).reshape(3, 4) % 3).astype('u1')
np.savez(os.path.join(OUT, 'stored.npz'), prob=prob, mask=mask)
np.savez_compressed(os.path.join(OUT, 'deflated.npz'), prob=prob, mask=np.asfortranarray(mask.astype('>i8')))
np.savez(os.path.join(OUT, 'positional.npz'), prob, mask)
expected['npz'] = {
    'stored.npz': {'prob': {'shape': [2, 3, 4], 'values': values(prob)}, 'mask': {'shape': [3, 4], 'values': values(mask)}},
    'deflated.npz': {'prob': {'shape': [2, 3, 4], 'values': values(prob)}, 'mask': {'shape': [3, 4], 'values': values(mask)}},
    'positional.npz': {'arr_0': {'shape': [2, 3, 4], 'values': values(prob)}, 'arr_1': {'shape': [3, 4], 'values': values(mask)}},
}

# PNG: grey 8/16-bit, palette (indices kept), 1-bit, RGB, RGBA and grey+alpha.
rng = np.random.default_rng(7)
g8 = rng.integers(0, 256, (5, 7), dtype=np.uint8)
g16 = rng.integers(0, 65536, (5, 7), dtype=np.uint16)
idx = rng.integers(0, 4, (5, 7), dtype=np.uint8)
bits = rng.integers(0, 2, (5, 9), dtype=np.uint8)
rgb = rng.integers(0, 256, (5, 7, 3), dtype=np.uint8)
rgba = rng.integers(0, 256, (5, 7, 4), dtype=np.uint8)
la = rng.integers(0, 256, (5, 7, 2), dtype=np.uint8)
Image.fromarray(g8, 'L').save(os.path.join(OUT, 'grey8.png'))
Image.fromarray(g16.astype(np.int32), 'I').convert('I;16').save(os.path.join(OUT, 'grey16.png'))
p = Image.fromarray(idx, 'P')
p.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255])
p.save(os.path.join(OUT, 'palette.png'))
Image.fromarray((bits * 255).astype(np.uint8), 'L').convert('1').save(os.path.join(OUT, 'bits1.png'))
Image.fromarray(rgb, 'RGB').save(os.path.join(OUT, 'rgb.png'))
Image.fromarray(rgba, 'RGBA').save(os.path.join(OUT, 'rgba.png'))
Image.fromarray(la, 'LA').save(os.path.join(OUT, 'grey_alpha.png'))
g16_read = np.array(Image.open(os.path.join(OUT, 'grey16.png')))
expected['png'] = {
    'grey8.png': {'shape': [5, 7], 'channels': 1, 'bitDepth': 8, 'colorType': 0, 'values': values(g8)},
    'grey16.png': {'shape': [5, 7], 'channels': 1, 'bitDepth': 16, 'colorType': 0, 'values': values(g16_read)},
    'palette.png': {'shape': [5, 7], 'channels': 1, 'bitDepth': 8, 'colorType': 3, 'values': values(idx),
                    'palette': [[0, 0, 0], [255, 0, 0], [0, 255, 0], [0, 0, 255]]},
    'bits1.png': {'shape': [5, 9], 'channels': 1, 'bitDepth': 1, 'colorType': 0, 'values': values(bits)},
    'rgb.png': {'shape': [5, 7], 'channels': 3, 'bitDepth': 8, 'colorType': 2, 'values': values(rgb)},
    'rgba.png': {'shape': [5, 7], 'channels': 4, 'bitDepth': 8, 'colorType': 6, 'values': values(rgba)},
    'grey_alpha.png': {'shape': [5, 7], 'channels': 2, 'bitDepth': 8, 'colorType': 4, 'values': values(la)},
}
# Record the bit depth PIL actually chose (it packs a 4-colour palette into 2 bits).
for name, e in expected['png'].items():
    with open(os.path.join(OUT, name), 'rb') as f:
        e['bitDepth'] = f.read(25)[24]
with open(os.path.join(OUT, 'expected.json'), 'w') as f:
    json.dump(expected, f, indent=0)
print('wrote', len(expected['npy']), 'npy,', len(expected['npz']), 'npz,', len(expected['png']), 'png')

"""Fixtures of the viewer analysis tests (test/fixtures/analysis/): small samples with bad inputs.

  images/logits.png   + masks/logits.png   + probs/logits.npy    one channel of logits (values outside [0, 1])
  images/nan.png      + masks/nan.png      + probs/nan.npy       a probability map with NaN
  images/small.png    + masks/small.png    + probs/small.npy     probability map half the mask's size
  images/nogt.png                          + probs/nogt.npy      no ground truth at all

Run with /usr/bin/python3 (numpy, PIL) from the repository root.
"""
import os
import numpy as np
from PIL import Image

root = 'test/fixtures/analysis'
for d in ('images', 'masks', 'probs'):
    os.makedirs(os.path.join(root, d), exist_ok=True)

H, W = 24, 32
yy, xx = np.mgrid[0:H, 0:W]
disc = ((yy - 12) ** 2 + (xx - 16) ** 2) < 36
img = (60 + 120 * disc + (xx * 2)).astype(np.uint8)
mask = disc.astype(np.uint8)
soft = 1 / (1 + np.exp(-(6 - np.sqrt((yy - 12.5) ** 2 + (xx - 16.5) ** 2)) * 1.5))


def save(name, prob, with_gt=True):
    Image.fromarray(img).save(os.path.join(root, 'images', name + '.png'))
    if with_gt:
        Image.fromarray(mask).save(os.path.join(root, 'masks', name + '.png'))
    np.save(os.path.join(root, 'probs', name + '.npy'), prob.astype(np.float32))


save('logits', (np.log(soft) - np.log1p(-soft))[None])
nan = soft.copy()
nan[3, 4] = np.nan
save('nan', nan[None])
save('small', soft[::2, ::2][None])
save('nogt', soft[None], with_gt=False)

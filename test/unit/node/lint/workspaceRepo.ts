/**
 * A generated Python repository for the whole-workspace loss lint: losses, metrics, models, utilities and training
 * scripts that import each other through shared helper modules (utils/metrics.py, utils/tensor_ops.py), with the
 * axis=-1 Dice bug planted in a known set of loss files. Used by test/unit/node/lint/workspaceLint.test.ts (small)
 * and bench/lint.bench.ts (200 files), so the bench times the same kind of code the test checks.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const SHARED_METRICS = `import tensorflow as tf


def soft_dice(y_true, y_pred, smooth=1.0):
    """Per-image soft Dice over the spatial and channel axes (NHWC)."""
    inter = tf.reduce_sum(y_true * y_pred, axis=[1, 2, 3])
    union = tf.reduce_sum(y_true, axis=[1, 2, 3]) + tf.reduce_sum(y_pred, axis=[1, 2, 3])
    return tf.reduce_mean((2.0 * inter + smooth) / (union + smooth))


def soft_iou(y_true, y_pred, smooth=1.0):
    inter = tf.reduce_sum(y_true * y_pred, axis=[1, 2, 3])
    union = tf.reduce_sum(y_true + y_pred, axis=[1, 2, 3]) - inter
    return tf.reduce_mean((inter + smooth) / (union + smooth))
`;

const SHARED_OPS = `import torch


def flatten_spatial(x):
    """(B, C, H, W) -> (B, C, H*W)."""
    return x.reshape(x.shape[0], x.shape[1], -1)


def one_hot(labels, num_classes):
    return torch.nn.functional.one_hot(labels.long(), num_classes).permute(0, 3, 1, 2).float()
`;

const kerasLoss = (i: number, buggy: boolean): string => {
  const axis = buggy ? 'axis=-1' : 'axis=[1, 2, 3]';
  return `from tensorflow.keras import backend as K
from utils.metrics import soft_iou


def dice_coef_${i}(y_true, y_pred, smooth=1.0):
    inter = K.sum(y_true * y_pred, ${axis})
    denom = K.sum(y_true, ${axis}) + K.sum(y_pred, ${axis})
    return K.mean((2.0 * inter + smooth) / (denom + smooth))


def dice_loss_${i}(y_true, y_pred):
    return 1.0 - dice_coef_${i}(y_true, y_pred)


def iou_loss_${i}(y_true, y_pred):
    return 1.0 - soft_iou(y_true, y_pred)
`;
};

const torchLoss = (i: number): string => `import torch
import torch.nn as nn
from utils.tensor_ops import flatten_spatial, one_hot


class SoftDiceLoss${i}(nn.Module):
    def __init__(self, num_classes=4, smooth=1.0):
        super().__init__()
        self.num_classes = num_classes
        self.smooth = smooth

    def forward(self, logits, target):
        probs = torch.softmax(logits, dim=1)
        target = one_hot(target, self.num_classes)
        inter = (probs * target).sum(dim=(2, 3))
        card = probs.sum(dim=(2, 3)) + target.sum(dim=(2, 3))
        dice = (2.0 * inter + self.smooth) / (card + self.smooth)
        return 1.0 - dice[:, 1:].mean()


def focal_loss_${i}(logits, target, gamma=2.0):
    prob = torch.sigmoid(logits)
    p_t = torch.where(target == 1, prob, 1 - prob)
    return (-(1 - p_t) ** gamma * torch.log(p_t.clamp_min(1e-7))).mean()
`;

const metric = (i: number): string => `import numpy as np
from utils.metrics import soft_dice


def evaluate_${i}(y_true, y_pred):
    return {"dice": float(soft_dice(y_true, y_pred))}


def pixel_accuracy_${i}(pred, target):
    return float(np.mean(pred == target))
`;

const model = (i: number): string => `import torch.nn as nn


class Block${i}(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(cin, cout, 3, padding=1),
            nn.BatchNorm2d(cout),
            nn.ReLU(inplace=True),
        )

    def forward(self, x):
        return self.conv(x)


class TinyUNet${i}(nn.Module):
    def __init__(self, classes=4):
        super().__init__()
        self.enc = Block${i}(3, 16)
        self.head = nn.Conv2d(16, classes, 1)

    def forward(self, x):
        return self.head(self.enc(x))
`;

const util = (i: number): string => `import os
import json


def load_config_${i}(path):
    with open(os.path.join(path, "config.json")) as f:
        return json.load(f)


def list_images_${i}(folder):
    return sorted(n for n in os.listdir(folder) if n.endswith(".png"))
`;

const train = (i: number, loss: string): string => `import tensorflow as tf
from losses.${loss} import dice_loss_${loss.slice('keras_loss_'.length)}


def build_${i}():
    inputs = tf.keras.Input((128, 128, 3))
    x = tf.keras.layers.Conv2D(1, 1, activation="sigmoid")(inputs)
    model = tf.keras.Model(inputs, x)
    model.compile(optimizer="adam", loss=dice_loss_${loss.slice('keras_loss_'.length)})
    return model
`;

/**
 * Ordinary code that real modules carry besides their losses (augmentation, logging, schedules), so a file is
 * about 100 lines rather than 20: `n` small functions, different per file.
 */
const padding = (i: number, n: number): string => {
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    out.push(`

def augment_${i}_${k}(image, mask, rng, p=0.5):
    """Random flip and brightness jitter of an (H, W, C) image and its (H, W) mask."""
    if rng.random() < p:
        image = image[:, ::-1]
        mask = mask[:, ::-1]
    scale = 1.0 + 0.1 * (rng.random() - 0.5) * ${k + 1}
    image = (image * scale).clip(0, 255)
    history = []
    for step in range(${(k % 3) + 1}):
        history.append({"step": step, "scale": scale})
    return image, mask, history`);
  }
  return out.join('');
};

export interface GeneratedRepo {
  /** Every file written (absolute paths). */
  files: string[];
  /** The loss files with the planted axis=-1 Dice (each has LL101 findings; no other file has any LL101). */
  buggy: string[];
}

/**
 * Writes a repository of `count` Python files (at least 10) under `root`: about a quarter each losses (Keras and
 * PyTorch), metrics and models, the rest utilities and training scripts; one Keras loss in `bugEvery` has the bug; each file gets `pad` ordinary functions (about 10 lines each).
 */
export function writeRepo(root: string, count: number, bugEvery = 10, pad = 6): GeneratedRepo {
  const files: string[] = [];
  const buggy: string[] = [];
  const write = (rel: string, text: string): string => {
    const full = path.join(root, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    // Package markers stay empty, as they usually are.
    writeFileSync(full, rel.endsWith('__init__.py') ? text : text + padding(files.length, pad) + '\n');
    files.push(full);
    return full;
  };
  for (const pkg of ['utils', 'losses', 'metrics', 'models']) write(`${pkg}/__init__.py`, '');
  write('utils/metrics.py', SHARED_METRICS);
  write('utils/tensor_ops.py', SHARED_OPS);
  let kerasCount = 0;
  for (let i = 0; files.length < count; i++) {
    switch (i % 8) {
      case 0:
      case 4: {
        const bug = kerasCount % bugEvery === bugEvery - 1;
        const f = write(`losses/keras_loss_${i}.py`, kerasLoss(i, bug));
        kerasCount++;
        if (bug) buggy.push(f);
        break;
      }
      case 1:
        write(`losses/torch_loss_${i}.py`, torchLoss(i));
        break;
      case 2:
      case 6:
        write(`metrics/metric_${i}.py`, metric(i));
        break;
      case 3:
      case 7:
        write(`models/model_${i}.py`, model(i));
        break;
      case 5:
        write(
          i % 16 === 5 ? `utils/io_${i}.py` : `train_${i}.py`,
          i % 16 === 5 ? util(i) : train(i, `keras_loss_${i - 1}`),
        );
        break;
    }
  }
  return { files, buggy };
}

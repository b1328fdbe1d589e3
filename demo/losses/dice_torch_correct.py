"""A correct soft Dice loss in PyTorch, for comparison with dice_keras.py.

Logits and targets are (B, 1, H, W): channels_first (NCHW), the PyTorch default. The overlap terms are summed
over the spatial dims (2, 3), so each image gets its own Dice score, and the loss is the mean over the batch.
SegLens' loss linter reports nothing for this file.
"""

import torch
from torch import nn


class SoftDiceLoss(nn.Module):
    def __init__(self, eps=1e-6):
        super().__init__()
        self.eps = eps

    def forward(self, logits, target):
        probs = torch.sigmoid(logits)
        target = target.float()
        intersection = (probs * target).sum(dim=(2, 3))
        cardinality = probs.sum(dim=(2, 3)) + target.sum(dim=(2, 3))
        dice = (2.0 * intersection + self.eps) / (cardinality + self.eps)
        return 1.0 - dice.mean()


def train_step(model, optimizer, images, masks, criterion=SoftDiceLoss()):
    optimizer.zero_grad()
    loss = criterion(model(images), masks)
    loss.backward()
    optimizer.step()
    return loss.item()

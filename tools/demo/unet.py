"""The small U-Net shared by both demo models: 4 levels (8, 16, 32, 64 channels), 3 poolings.

Both models of the seed story use exactly this architecture, so the only difference between them is the loss.
"""

from __future__ import annotations

import torch
from torch import nn


def conv_block(in_channels: int, out_channels: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(inplace=True),
        nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(inplace=True),
    )


class UNet(nn.Module):
    """Input [B, 1, H, W] with H and W multiples of 8; output logits [B, classes, H, W]."""

    def __init__(self, classes: int, channels: tuple[int, ...] = (8, 16, 32, 64)) -> None:
        super().__init__()
        self.encoders = nn.ModuleList()
        previous = 1
        for width in channels:
            self.encoders.append(conv_block(previous, width))
            previous = width
        self.pool = nn.MaxPool2d(2)
        self.ups = nn.ModuleList()
        self.decoders = nn.ModuleList()
        for width in reversed(channels[:-1]):
            self.ups.append(nn.ConvTranspose2d(previous, width, 2, stride=2))
            self.decoders.append(conv_block(2 * width, width))
            previous = width
        self.head = nn.Conv2d(previous, classes, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skips = []
        for level, encoder in enumerate(self.encoders):
            x = encoder(x)
            if level < len(self.encoders) - 1:
                skips.append(x)
                x = self.pool(x)
        for up, decoder in zip(self.ups, self.decoders):
            x = decoder(torch.cat([up(x), skips.pop()], dim=1))
        return self.head(x)

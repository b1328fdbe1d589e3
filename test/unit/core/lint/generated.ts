/**
 * Generated Python for the lint's scaling test and benchmark (bench/lint.bench.ts): ordinary model and loss code
 * repeated N times, in the shapes that once made the engine super-linear.
 */

/** A model whose `forward` has `n` lines `x = F.relu(self.conv_i(x)) + x` (and `__init__` `n` conv layers). */
export function longForward(n: number): string {
  const l = ['import torch', 'import torch.nn as nn', 'import torch.nn.functional as F', '', ''];
  l.push('class Net(nn.Module):', '    def __init__(self):', '        super().__init__()');
  for (let i = 0; i < n; i++) l.push(`        self.conv_${i} = nn.Conv2d(8, 8, 3, padding=1)`);
  l.push('', '    def forward(self, x):');
  for (let i = 0; i < n; i++) l.push(`        x = F.relu(self.conv_${i}(x)) + x`);
  l.push('        return x', '');
  return l.join('\n');
}

/** A loss accumulating `n` reduced terms, one per line (`s = s + (pred * target).sum(k) * 2`). */
export function longChain(n: number): string {
  const l = ['import torch', '', '', 'def dice_loss(pred, target):', '    s = 0'];
  for (let i = 0; i < n; i++) l.push(`    s = s + (pred * target).sum(${i % 3}) * 2`);
  l.push('    return 1 - s', '');
  return l.join('\n');
}

/** A loss with `n` optional steps `if flags[i]: x = F.relu(x) * 2` before a soft Dice. */
export function manyBranches(n: number): string {
  const l = [
    'import torch',
    'import torch.nn.functional as F',
    '',
    '',
    'def dice_loss(pred, target, flags):',
  ];
  l.push('    x = pred');
  for (let i = 0; i < n; i++) l.push(`    if flags[${i}]:`, `        x = F.relu(x) * 2`);
  l.push('    return 1 - (x * target).sum() / (x.sum() + target.sum())', '');
  return l.join('\n');
}

/** A helper of `n / 2` lines called `n / 2` times by a loss. */
export function repeatedCalls(n: number): string {
  const l = ['import torch', '', '', 'def helper(p, t):', '    s = p * t'];
  for (let i = 0; i < n / 2; i++) l.push('    s = s * 2 + p');
  l.push('    return s.sum()', '', '', 'def total_loss(pred, target):', '    loss = 0');
  for (let i = 0; i < n / 2; i++) l.push('    loss = loss + helper(pred, target)');
  l.push('    return loss', '');
  return l.join('\n');
}

/** A model of `n` local blocks (`self.block_i = Block()`), each called in `forward` on the running value. */
export function localBlocks(n: number): string {
  const l = ['import torch', 'import torch.nn as nn', '', ''];
  l.push('class Block(nn.Module):', '    def forward(self, x):', '        return torch.relu(x) + x', '', '');
  l.push('class Net(nn.Module):', '    def __init__(self):', '        super().__init__()');
  for (let i = 0; i < n / 2; i++) l.push(`        self.block_${i} = Block()`);
  l.push('', '    def forward(self, x):');
  for (let i = 0; i < n / 2; i++) l.push(`        x = self.block_${i}(x)`);
  l.push('        return torch.sigmoid(x)', '');
  return l.join('\n');
}

/**
 * A per-pixel Dice helper called from `n / 3` metrics with NHWC tensors: every call gets an LL101 naming the helper
 * (function summaries across calls), which must stay linear — one finding and one quick-fix check per call.
 */
export function helperFindingPerCall(n: number): string {
  const l = [
    'from tensorflow.keras import backend as K',
    '',
    '',
    'def _ratio(a, b, smooth=1.0):',
    '    shared = K.sum(a * b, axis=-1)',
    '    return (2.0 * shared + smooth) / (K.sum(a, axis=-1) + K.sum(b, axis=-1) + smooth)',
  ];
  for (let i = 0; l.length < n; i++)
    l.push('', `def dice_metric_${i}(y_true, y_pred):`, '    return K.mean(_ratio(y_true, y_pred))');
  l.push('');
  return l.join('\n');
}

export const GENERATED: ReadonlyArray<{ name: string; make: (n: number) => string }> = [
  { name: 'forward with self.conv_i(x) lines', make: longForward },
  { name: 's = s + … chain', make: longChain },
  { name: 'if-blocks rebinding x', make: manyBranches },
  { name: 'helper called on every line', make: repeatedCalls },
  { name: 'local module blocks called in forward', make: localBlocks },
  { name: 'per-pixel helper reported at every call', make: helperFindingPerCall },
];

// Function summaries across modules (issue 15 §1): a loss in one file hands probabilities to a module class
// imported from another file whose forward applies sigmoid again; the finding is at the call and names the module.
import assert from 'node:assert/strict';
import { getLinter } from './helpers';

const REGION = `import torch
import torch.nn as nn


class RegionTerm(nn.Module):
    def forward(self, scores, masks):
        fg = torch.sigmoid(scores)
        return 1 - (2 * (fg * masks).sum() + 1) / (fg.sum() + masks.sum() + 1)
`;

const LOSS = `import torch
import torch.nn as nn
from parts.region import RegionTerm


class ComboLoss(nn.Module):
    def __init__(self):
        super().__init__()
        self.region = RegionTerm()

    def forward(self, logits, target):
        probs = torch.softmax(logits, dim=1)
        return self.region(probs, target)
`;

describe('core/lint function summaries', () => {
  it('a second activation inside an imported module class is reported at the call, naming the module', async () => {
    const linter = await getLinter();
    const r = linter.lint(LOSS, { modules: { 'parts.region': REGION } });
    r.tree.dispose();
    const ll202 = r.findings.filter((f) => f.rule === 'LL202');
    assert.equal(ll202.length, 1, JSON.stringify(r.findings));
    assert.equal(ll202[0].range.start.line, 12);
    assert.match(
      ll202[0].message,
      /`RegionTerm\.forward` \(module parts\.region\) applies sigmoid to it \(line 7\)/,
    );
    assert.match(ll202[0].message, /already went through softmax/);
  });

  it('without the module text nothing is claimed about the callee', async () => {
    const linter = await getLinter();
    const r = linter.lint(LOSS);
    r.tree.dispose();
    assert.deepEqual(
      r.findings.filter((f) => f.rule === 'LL202'),
      [],
    );
  });

  it('raw logits handed to the same class are fine', async () => {
    const linter = await getLinter();
    const text = LOSS.replace('return self.region(probs, target)', 'return self.region(logits, target)');
    const r = linter.lint(text, { modules: { 'parts.region': REGION } });
    r.tree.dispose();
    assert.deepEqual(
      r.findings.filter((f) => f.rule === 'LL202'),
      [],
    );
  });

  it('through a function imported from another module', async () => {
    const linter = await getLinter();
    const terms = `import torch


def region_term(scores, masks):
    fg = torch.sigmoid(scores)
    return (fg * masks).sum() / (fg.sum() + masks.sum() + 1)
`;
    const text = `import torch
from parts.terms import region_term


def total_loss(logits, target):
    probs = torch.sigmoid(logits)
    return 1 - region_term(probs, target)
`;
    const r = linter.lint(text, { modules: { 'parts.terms': terms } });
    r.tree.dispose();
    const ll202 = r.findings.filter((f) => f.rule === 'LL202');
    assert.equal(ll202.length, 1, JSON.stringify(r.findings));
    assert.equal(ll202[0].range.start.line, 6);
    assert.match(ll202[0].message, /`region_term` \(module parts\.terms\) applies sigmoid to it \(line 5\)/);
  });
});

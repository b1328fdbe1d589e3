import * as assert from 'node:assert/strict';
import { checkRequest, formatEta, progressOf } from '../../../../src/vscode/dataset/run';

describe('vscode/dataset: an evaluation run', () => {
  it('progress: percent, rate and time left from the start time (hand-computed)', () => {
    // 30 of 120 done in 10 s: 3/s, 90 left → 30 s.
    const p = progressOf({ started: 1_000 }, 30, 120, 11_000);
    assert.equal(p.pct, 25);
    assert.equal(p.perSecond, 3);
    assert.equal(p.eta, 30);
    assert.equal(p.message, '30/120 · 3.0/s · 30 s left');
    assert.equal(progressOf({ started: 0 }, 120, 120, 60_000).message, '120/120 · 2.0/s');
    assert.equal(formatEta(125), '2 min 5 s');
  });

  it('a request names what is wrong: unknown model, unknown decoder, nothing paired', () => {
    const plan = { models: ['unet_bce'], items: [{ id: 'a', probs: {} }] };
    assert.deepEqual(checkRequest(plan, ['unet_bce'], ['threshold', 'rankdice'], 'demo'), [
      'threshold',
      'rankdice',
    ]);
    assert.equal(
      checkRequest(plan, ['other'], ['threshold'], 'demo'),
      "No probability folder 'other' in demo.",
    );
    assert.match(
      checkRequest(plan, ['unet_bce'], ['nope'], 'demo') as string,
      /^Unknown decoder in nope; choose from /,
    );
    assert.match(
      checkRequest({ models: ['m'], items: [] }, ['m'], ['threshold'], 'demo') as string,
      /^Nothing to evaluate in demo/,
    );
  });

  it('an ONNX model may be the only source, but needs images', () => {
    const plan = { models: ['unet_bce'], items: [{ id: 'a', image: '/d/images/a.png', probs: {} }] };
    assert.deepEqual(checkRequest(plan, [], ['threshold'], 'demo', true), ['threshold']);
    assert.equal(
      checkRequest(plan, [], ['threshold'], 'demo'),
      'Choose a probability folder or an ONNX model to evaluate.',
    );
    assert.match(
      checkRequest(
        { models: [], items: [{ id: 'a', probs: {} }] },
        [],
        ['threshold'],
        'demo',
        true,
      ) as string,
      /^No image in demo to run the model on/,
    );
  });
});

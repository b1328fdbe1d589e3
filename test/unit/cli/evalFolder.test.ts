import * as assert from 'node:assert/strict';
import { jsonlInOrder, skippedSamples } from '../../../src/cli/commands/evalFolder';
import type { EvalRow } from '../../../src/node/dataset';

const row = (id: string, model: string, decoder: string, error?: string): EvalRow =>
  ({ id, model, decoder, ...(error ? { error } : {}) }) as unknown as EvalRow;

describe('cli/eval folder mode: JSON lines in id order', () => {
  it('holds a sample until all its rows are in and every earlier sample is out, whatever the arrival order', () => {
    const out: string[] = [];
    const items = [
      { id: 'a', probs: {} },
      { id: 'b', probs: {} },
      { id: 'c', probs: {} },
    ];
    const onRow = jsonlInOrder(items, ['threshold', 'rankdice'], ['m'], (r) =>
      out.push(`${r.id}/${r.decoder}`),
    );
    // b completes first, a arrives half, then c, then the rest of a: nothing may be emitted early or lost.
    onRow(row('b', 'm', 'rankdice'));
    onRow(row('a', 'm', 'threshold'));
    onRow(row('b', 'm', 'threshold'));
    assert.deepEqual(out, []);
    onRow(row('c', 'm', 'threshold'));
    onRow(row('a', 'm', 'rankdice'));
    assert.deepEqual(out, ['a/threshold', 'a/rankdice', 'b/threshold', 'b/rankdice']);
    onRow(row('c', 'm', 'rankdice', 'unreadable'));
    assert.deepEqual(out.slice(4), ['c/threshold']);
  });

  it('skipped samples lose the working directory from their paths and reasons', () => {
    const s = skippedSamples(
      [{ id: 'x', model: 'm', path: '/w/data/x.npy', reason: 'bad /w/data/x.npy' }],
      '/w',
    );
    assert.deepEqual(s, [{ id: 'x', model: 'm', path: 'data/x.npy', reason: 'bad data/x.npy' }]);
  });
});

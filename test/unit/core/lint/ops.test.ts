import * as assert from 'node:assert/strict';
import { OP_HANDLERS } from '../../../../src/core/lint/ops';
import type { OpHandlerTable } from '../../../../src/core/lint/ops/call';
import { OP_KINDS, registeredOpSpecs } from '../../../../src/core/lint/signatures';

describe('lint engine: op handler table', () => {
  it('has exactly one handler for every op kind, and nothing else', () => {
    assert.equal(new Set(OP_KINDS).size, OP_KINDS.length, 'an op kind is declared twice');
    assert.deepEqual(Object.keys(OP_HANDLERS).sort(), [...OP_KINDS].sort());
    for (const kind of OP_KINDS) assert.equal(typeof OP_HANDLERS[kind], 'function', kind);
  });

  it('covers every kind a framework signature can produce, and every kind is produced by one', () => {
    const produced = new Set([...registeredOpSpecs().values()].map((s) => s.kind));
    for (const [name, spec] of registeredOpSpecs())
      assert.equal(typeof OP_HANDLERS[spec.kind], 'function', `${name} (${spec.kind}) has no handler`);
    assert.deepEqual([...produced].sort(), [...OP_KINDS].sort(), 'an op kind no signature uses');
  });

  it('a table that misses a kind does not compile (checked by tsc in npm run lint)', () => {
    const { reduce: _dropped, ...partial } = OP_HANDLERS;
    // @ts-expect-error — 'reduce' is missing: OpHandlerTable is Record<OpKind, OpHandler>, every kind required.
    const incomplete: OpHandlerTable = partial;
    assert.equal('reduce' in incomplete, false);
  });
});

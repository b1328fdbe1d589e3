// The protocol's tables: the webview's accepted set is the table of host messages (nested analysis events
// included), and a panel's validator table answers only for its own keys.
import assert from 'node:assert/strict';
import { ANALYSIS_EVENT_TYPES, TO_WEBVIEW, asToWebview, parseFromWebview } from '../../../src/protocol';
import { accepted, byType, typesOf, type ValidatorTable } from '../../../src/protocol/validate';

describe('protocol: message tables', () => {
  it('the webview accepts exactly the host message types, each checked for shape', () => {
    assert.deepEqual([...typesOf(TO_WEBVIEW)].sort(), [
      'analysis',
      'init',
      'loading',
      'probeTile',
      'problems',
      'revealRegion',
      'sample',
    ]);
    assert.ok(asToWebview({ type: 'loading', requestId: 1, label: 'x' }));
    assert.equal(asToWebview({ type: 'loading', label: 'x' }), undefined, 'no request id');
    assert.equal(asToWebview({ type: 'sample', requestId: 1, layers: 'x' }), undefined);
    assert.equal(asToWebview({ type: 'exec' }), undefined);
    assert.equal(asToWebview({ type: 'toString' }), undefined, 'inherited keys are not types');
    assert.equal(asToWebview(null), undefined);
  });

  it('a region to reveal needs a request id and a finite box of positive size', () => {
    const region = (r: unknown) => asToWebview({ type: 'revealRegion', requestId: 3, region: r });
    assert.ok(region({ x: 0, y: 4, width: 1, height: 12 }));
    assert.equal(region({ x: 0, y: 4, width: 0, height: 12 }), undefined, 'empty');
    assert.equal(region({ x: -1, y: 4, width: 2, height: 2 }), undefined, 'negative corner');
    assert.equal(region({ x: 0, y: NaN, width: 2, height: 2 }), undefined, 'NaN');
    assert.equal(region({ x: 0, y: 0, width: '2', height: 2 }), undefined, 'a string');
    assert.equal(region(null), undefined);
    assert.equal(
      asToWebview({ type: 'revealRegion', region: { x: 0, y: 0, width: 1, height: 1 } }),
      undefined,
    );
  });

  it('an analysis message is accepted only with a known, well-shaped event', () => {
    const ev = (event: unknown) => asToWebview({ type: 'analysis', requestId: 2, event });
    assert.ok(ev({ type: 'progress', label: 'a', fraction: 0.5 }));
    assert.ok(ev({ type: 'mask', threshold: 0.5, labels: new Uint8Array(4), selected: 1 }));
    assert.equal(ev({ type: 'mask', threshold: 0.5, labels: [1, 2], selected: 1 }), undefined);
    assert.equal(ev({ kind: 'progress', label: 'a', fraction: 0.5 }), undefined, 'one discriminant: type');
    assert.equal(ev({ type: 'nope' }), undefined);
    assert.ok(typesOf(ANALYSIS_EVENT_TYPES).has('exported'));
  });

  it('analysis requests use the same discriminant as every message', () => {
    assert.deepEqual(parseFromWebview({ type: 'analysis', request: { type: 'cancel' } }), {
      ok: true,
      value: { type: 'analysis', request: { type: 'cancel' } },
    });
    const r = parseFromWebview({ type: 'analysis', request: { kind: 'cancel' } });
    assert.deepEqual(r, { ok: false, error: 'unknown request type undefined' });
  });

  it('byType and accepted serve any panel built on the same tables', () => {
    type Msg = { type: 'ping'; n: number } | { type: 'pong' };
    const table: ValidatorTable<Msg> = {
      ping: (o) => ({ type: 'ping', n: Number(o.n) }),
      pong: () => ({ type: 'pong' }),
    };
    assert.deepEqual(byType(table, { type: 'ping', n: 3, extra: 1 }, 'message'), { type: 'ping', n: 3 });
    assert.throws(() => byType(table, { type: 'constructor' }, 'message'), /unknown message type/);
    assert.equal(accepted({ ping: () => true, pong: () => false }, { type: 'pong' }), undefined);
  });
});

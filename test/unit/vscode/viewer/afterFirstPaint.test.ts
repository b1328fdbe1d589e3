import assert from 'node:assert/strict';
import { AfterFirstPaint } from '../../../../src/vscode/viewer/afterFirstPaint';

/** Fake timers: `fire()` runs every pending timer, as if their time had passed. */
function fakeTimers() {
  const pending = new Map<number, () => void>();
  let next = 1;
  return {
    pending,
    setTimer: (run: () => void) => {
      pending.set(next, run);
      return next++;
    },
    clearTimer: (h: unknown) => void pending.delete(h as number),
    fire: () => {
      for (const [id, run] of [...pending]) {
        pending.delete(id);
        run();
      }
    },
  };
}

describe('viewer: AfterFirstPaint (analysis after the first overlay)', () => {
  it('runs the held work once, when its load is drawn', () => {
    const t = fakeTimers();
    const gate = new AfterFirstPaint(t);
    const ran: number[] = [];
    gate.hold(3, () => ran.push(3), true);
    assert.deepEqual(ran, [], 'held while the picture is on its way');
    gate.release(2);
    assert.deepEqual(ran, [], 'another load drawn: still held');
    gate.release(3);
    assert.deepEqual(ran, [3]);
    gate.release(3);
    t.fire();
    assert.deepEqual(ran, [3], 'never twice: the drawn report cleared the timer');
    assert.equal(t.pending.size, 0);
  });

  it('a newer load drops the older load’s work; its late drawn report runs nothing', () => {
    const t = fakeTimers();
    const gate = new AfterFirstPaint(t);
    const ran: number[] = [];
    gate.hold(1, () => ran.push(1), true);
    gate.hold(2, () => ran.push(2), true);
    assert.equal(t.pending.size, 1, 'the older timer is cleared');
    gate.release(1);
    assert.deepEqual(ran, []);
    gate.release(2);
    assert.deepEqual(ran, [2]);
  });

  it('runs at once when the panel is not visible (a hidden webview draws nothing until shown)', () => {
    const t = fakeTimers();
    const gate = new AfterFirstPaint(t);
    const ran: number[] = [];
    gate.hold(5, () => ran.push(5), false);
    assert.deepEqual(ran, [5]);
    assert.equal(gate.heldFor, undefined);
    assert.equal(t.pending.size, 0);
  });

  it('runs anyway after latestMs when the webview never reports the load drawn', () => {
    const t = fakeTimers();
    let asked = -1;
    const gate = new AfterFirstPaint({
      latestMs: 1234,
      setTimer: (run, ms) => {
        asked = ms;
        return t.setTimer(run);
      },
      clearTimer: t.clearTimer,
    });
    const ran: number[] = [];
    gate.hold(7, () => ran.push(7), true);
    assert.equal(asked, 1234);
    t.fire();
    assert.deepEqual(ran, [7]);
    gate.release(7);
    assert.deepEqual(ran, [7]);
  });

  it('drop forgets the work without running it (panel closed, new load begun)', () => {
    const t = fakeTimers();
    const gate = new AfterFirstPaint(t);
    const ran: number[] = [];
    gate.hold(9, () => ran.push(9), true);
    gate.drop();
    t.fire();
    gate.release(9);
    assert.deepEqual(ran, []);
    assert.equal(gate.heldFor, undefined);
  });

  it('with real timers, runs after latestMs', async () => {
    const gate = new AfterFirstPaint({ latestMs: 10 });
    let ran = false;
    gate.hold(1, () => (ran = true), true);
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(ran, true);
  });
});

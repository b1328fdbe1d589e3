import assert from 'node:assert/strict';
import { Debouncer, type Timers } from '../../../../src/vscode/diagnostics/debounce';

/** Hand-driven clock: timers fire only when the test advances time. */
class FakeTimers implements Timers {
  now = 0;
  private next = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  set(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clear(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, t] of [...this.timers].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at <= this.now && this.timers.delete(id)) t.fn();
    }
  }
  get count(): number {
    return this.timers.size;
  }
}

describe('host/diagnostics debouncer', () => {
  it('runs once after the pause, with the latest callback, per key', () => {
    const clock = new FakeTimers();
    const d = new Debouncer(clock);
    const calls: string[] = [];
    d.schedule('a', () => calls.push('a1'), 300);
    clock.advance(200);
    d.schedule('a', () => calls.push('a2'), 300);
    d.schedule('b', () => calls.push('b1'), 300);
    clock.advance(299);
    assert.deepEqual(calls, []);
    clock.advance(1);
    assert.deepEqual(calls.sort(), ['a2', 'b1']);
    assert.equal(clock.count, 0);
  });

  it('flush runs a pending call now and only once; cancel and dispose drop them', () => {
    const clock = new FakeTimers();
    const d = new Debouncer(clock);
    let n = 0;
    d.schedule('a', () => n++, 300);
    assert.equal(d.has('a'), true);
    assert.equal(d.flush('a'), true);
    assert.equal(n, 1);
    clock.advance(1000);
    assert.equal(n, 1);
    assert.equal(d.flush('a'), false);
    d.schedule('a', () => n++, 300);
    d.cancel('a');
    d.schedule('b', () => n++, 300);
    d.dispose();
    clock.advance(1000);
    assert.equal(n, 1);
    assert.equal(clock.count, 0);
  });
});

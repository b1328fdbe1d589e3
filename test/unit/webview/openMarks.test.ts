import assert from 'node:assert/strict';
import { BusyTime, OpenMarks } from '../../../webview/openMarks';

/** Busy-waits about `ms` milliseconds (the marks measure real time). */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // waiting
  }
}

const ours = () => performance.getEntriesByType('mark').filter((m) => m.name.startsWith('seglens-open-'));

describe('webview: OpenMarks (open-to-overlay timings)', () => {
  it('gives each step the time since the previous mark, and adds up a step that happens twice', () => {
    const marks = new OpenMarks(1234);
    spin(4);
    marks.step('unpackMs');
    spin(6);
    marks.step('modelMs');
    spin(3);
    marks.step('imageMs');
    marks.step('gtMs');
    spin(2);
    marks.step('modelMs');
    const elapsed = marks.elapsed();
    const t = marks.timings();
    assert.equal(t.receivedAt, 1234);
    assert.ok(t.unpackMs >= 4 && t.unpackMs < 50, `unpack ${t.unpackMs}`);
    assert.ok(t.modelMs >= 8 && t.modelMs < 80, `model ${t.modelMs} (6 + 2)`);
    assert.ok(t.imageMs >= 3 && t.imageMs < 50, `image ${t.imageMs}`);
    assert.ok(t.gtMs >= 0 && t.gtMs < 5, `gt ${t.gtMs}`);
    assert.equal(t.probMs, 0, 'a step never marked is 0');
    assert.equal(t.frameMs, 0);
    assert.equal(t.busyMs, 0, 'no busy time given');
    assert.equal(t.pageAt, Math.round(performance.timeOrigin), 'the page started at the clock’s origin');
    assert.equal(t.readyAt, 1234, 'ready: the arrival unless given');
    const sum = t.unpackMs + t.modelMs + t.imageMs + t.gtMs;
    assert.ok(Math.abs(sum - elapsed) < 1, `steps ${sum} add up to the elapsed ${elapsed}`);
  });

  it('leaves no marks behind, also when a message draws nothing', () => {
    const a = new OpenMarks();
    a.step('unpackMs');
    a.timings();
    const b = new OpenMarks();
    b.step('unpackMs');
    b.clear();
    assert.deepEqual(ours(), []);
    assert.equal(
      performance.getEntriesByType('measure').filter((m) => m.name.startsWith('seglens-open-')).length,
      0,
    );
  });

  it('passes the busy time it is given, rounded', () => {
    assert.equal(new OpenMarks().timings(12.345).busyMs, 12.3);
  });

  it('BusyTime: long tasks clipped to the span asked about; none recorded where the API is missing', () => {
    // Node has no Long Tasks API: the observer cannot observe them, so nothing is ever busy.
    const busy = new BusyTime();
    assert.equal(busy.between(0, performance.now()), 0);
    const clipped = new BusyTime() as unknown as { tasks: { start: number; end: number }[] };
    clipped.tasks = [
      { start: 0, end: 100 },
      { start: 150, end: 400 },
      { start: 900, end: 960 },
    ];
    const b = clipped as unknown as BusyTime;
    assert.equal(b.between(50, 300), 50 + 150);
    assert.equal(b.between(0, 1000), 100 + 250 + 60);
    assert.equal(b.between(400, 900), 0);
  });

  it('two loads timed at once keep their own marks', () => {
    const a = new OpenMarks();
    spin(3);
    const b = new OpenMarks();
    b.step('unpackMs');
    spin(2);
    a.step('unpackMs');
    const ta = a.timings();
    const tb = b.timings();
    assert.ok(ta.unpackMs >= 5, `a: ${ta.unpackMs}`);
    assert.ok(tb.unpackMs < ta.unpackMs, `b: ${tb.unpackMs}`);
  });
});

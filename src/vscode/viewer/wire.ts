/**
 * The viewer panel's outgoing messages, packed for the wire (src/protocol/viewerWire.ts) without ever holding the
 * extension host's thread for long: packing a 4096² map runs in slices, and after each ~8 ms of work the packer
 * yields to the event loop. Messages leave in the order they were sent, also when one of them waits for packing.
 * Pure of vscode (the post function is given), so it is unit-tested in plain node.
 */
import { performance } from 'node:perf_hooks';
import { hostStep } from '../../node/workers/hostStep';
import type { Layer, ToWebview } from '../../protocol';
import { runToEnd } from '../../protocol/viewerPixels';
import {
  type PackCache,
  type WireMessage,
  type WireToWebview,
  splitSteps,
  toWireSteps,
  wireLayer,
} from '../../protocol/viewerWire';

/** Longest stretch of packing on the host's thread before it yields to the event loop. */
export const PACK_TURN_MS = 8;

/** Whether a message carries pixels that are packed (everything else is posted as it is). */
export function carriesPixels(msg: ToWebview): boolean {
  if (msg.type === 'sample') return true;
  if (msg.type !== 'analysis') return false;
  const t = msg.event.type;
  return t === 'decoder' || t === 'mask' || t === 'base';
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function* wireSteps(msg: ToWebview, cache: PackCache, slice?: number): Generator<void, WireMessage[]> {
  const wire: WireToWebview = yield* toWireSteps(msg, cache, slice);
  return yield* splitSteps(wire);
}

/**
 * Packs a message (and splits a sample's large raw pixels into parts) in slices of at most about PACK_TURN_MS,
 * yielding to the event loop between them. Returns the messages to post, in order.
 */
export function packInTurns(
  msg: ToWebview,
  cache: PackCache,
  turnMs = PACK_TURN_MS,
  slice?: number,
): Promise<WireMessage[]> {
  return runInTurns(wireSteps(msg, cache, slice), `pack ${msg.type} for the webview`, turnMs);
}

/** Runs a generator of steps to its end, yielding to the event loop after each ~turnMs of them. */
async function runInTurns<T>(steps: Generator<void, T>, step: string, turnMs: number): Promise<T> {
  let start = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) {
      hostStep(step, start);
      return r.value;
    }
    if (performance.now() - start >= turnMs) {
      hostStep(step, start);
      await nextTurn();
      start = performance.now();
    }
  }
}

/**
 * Posts messages in order: one without pixels goes at once unless packed messages are still waiting; one with
 * pixels is packed in turns first. `post` is the webview's postMessage; it is timed as a host step too.
 */
export class WireOutbox {
  private queue: Promise<void> = Promise.resolve();
  private waiting = 0;
  /** Layers being packed ahead of their message (see prepack). */
  private readonly prepacks = new Set<Promise<unknown>>();

  constructor(
    private readonly post: (msg: WireMessage) => void,
    private readonly onError: (msg: ToWebview, e: unknown) => void = () => undefined,
    private readonly turnMs = PACK_TURN_MS,
    /** Packed forms by the pixels they pack (tests pass their own to look into it). */
    private readonly cache: PackCache = new WeakMap(),
  ) {}

  /** Sends `msg`; the returned promise settles once it was handed to `post` (never rejects). */
  send(msg: ToWebview): Promise<void> {
    if (this.waiting === 0 && !carriesPixels(msg)) {
      // Nothing to pack: the wire form is the message itself (toWireSteps returns it without a step).
      this.postNow(msg, runToEnd(toWireSteps(msg)));
      return Promise.resolve();
    }
    this.waiting++;
    const done = this.queue.then(async () => {
      try {
        // A layer packed ahead is taken from the cache once ready, never packed a second time meanwhile.
        if (carriesPixels(msg) && this.prepacks.size > 0) await Promise.all(this.prepacks);
        const wire = carriesPixels(msg)
          ? await packInTurns(msg, this.cache, this.turnMs)
          : [runToEnd(toWireSteps(msg))];
        for (const [i, m] of wire.entries()) {
          // Parts of large pixels: one post per turn of the event loop.
          if (i > 0) await nextTurn();
          this.postNow(msg, m);
        }
      } catch (e) {
        this.onError(msg, e);
      } finally {
        this.waiting--;
      }
    });
    this.queue = done;
    return done;
  }

  /**
   * Packs a layer's pixels ahead of the message that will carry it, in turns like any packing: the viewer calls
   * this as each file of a sample is decoded, while the others still decode, so the sample finds its masks and
   * heatmap levels packed (issue 13: command to overlay). Packing errors surface when the message is sent.
   */
  prepack(layer: Layer): Promise<void> {
    const done = runInTurns(wireLayer(layer, this.cache), 'pack a layer ahead', this.turnMs).then(
      () => undefined,
      () => undefined,
    );
    this.prepacks.add(done);
    void done.then(() => this.prepacks.delete(done));
    return done;
  }

  private postNow(msg: ToWebview, wire: WireMessage): void {
    const start = performance.now();
    try {
      this.post(wire);
    } catch (e) {
      this.onError(msg, e);
    }
    hostStep(`post ${msg.type} to the webview`, start);
  }
}

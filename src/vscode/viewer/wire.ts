/**
 * The viewer panel's outgoing messages, packed for the wire (src/protocol/viewerWire.ts) without ever holding the
 * extension host's thread for long: packing a 4096² map runs in slices, and after each ~8 ms of work the packer
 * yields to the event loop. Messages leave in the order they were sent, also when one of them waits for packing.
 * Pure of vscode (the post function is given), so it is unit-tested in plain node.
 */
import { performance } from 'node:perf_hooks';
import { hostStep } from '../../node/workers/hostStep';
import type { ToWebview } from '../../protocol';
import { runToEnd } from '../../protocol/viewerPixels';
import {
  type PackCache,
  type WireMessage,
  type WireToWebview,
  splitSteps,
  toWireSteps,
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
export async function packInTurns(
  msg: ToWebview,
  cache: PackCache,
  turnMs = PACK_TURN_MS,
  slice?: number,
): Promise<WireMessage[]> {
  const steps = wireSteps(msg, cache, slice);
  let start = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) {
      hostStep(`pack ${msg.type} for the webview`, start);
      return r.value;
    }
    if (performance.now() - start >= turnMs) {
      hostStep(`pack ${msg.type} for the webview`, start);
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
  private readonly cache: PackCache = new WeakMap();

  constructor(
    private readonly post: (msg: WireMessage) => void,
    private readonly onError: (msg: ToWebview, e: unknown) => void = () => undefined,
    private readonly turnMs = PACK_TURN_MS,
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

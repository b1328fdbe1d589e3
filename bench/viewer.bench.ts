/**
 * The viewer's analysis budgets (docs/architecture.md §7, issue 6) on a 1024² trio — label map with 5 classes and a
 * 5-channel sigmoid probability map of soft discs with noise:
 * - open-to-overlay: reading the mask and the map, ranking the pixels, sweep and calibration, and painting the
 *   first error map (the part the analysis adds to the foundation's decode-and-draw; goal ≤ 500 ms);
 * - threshold slider: one step of the incremental update with the repaint of the changed pixels (goal ≤ 50 ms),
 *   against a full recompute of labels, counts and the whole overlay.
 * - viewer transfer (issue 13): what the extension host does to post a 4096² and a 1024² trio and a decoder's mask,
 *   packed (src/protocol/viewerWire.ts) against the old path that posted the raw arrays ("copying path": VS Code
 *   serialises the message and copies every ArrayBuffer into its RPC message, emulated here by the same
 *   JSON.stringify replacer and one Buffer.concat — the real path copies more and writes a socket, so the baseline
 *   is a lower bound), the longest turn of the host's thread while packing, and the webview's unpacking.
 * Printed with ratios, never asserted.
 */
import { writeNpy } from '../src/core/io/npy';
import { decode } from '../src/core/decoders';
import { ERROR_COLOURS, errorCode, paintCodes } from '../src/core/viewmodel/errorMap';
import { labelsToPng } from '../src/core/viewmodel/exportFormats';
import { ThresholdIndex, ThresholdLabels, rankingOf } from '../src/core/viewmodel/thresholdIndex';
import {
  analysisBase,
  analysisDecode,
  analysisThresholdMask,
  loadAnalysisSample,
} from '../src/node/analysis/analysisTasks';
import type { DecoderView, Layer, ToWebview } from '../src/protocol';
import { runToEnd } from '../src/protocol/viewerPixels';
import {
  type WireMessage,
  WireReceiver,
  splitSteps,
  toWireSteps,
  wireBytes,
} from '../src/protocol/viewerWire';
import { PACK_TURN_MS } from '../src/vscode/viewer/wire';
import { report, rng, timeMs, timeMsAsync } from './util';

const N = 1024;
const C = 5;

function trio(): { gtPng: Uint8Array; probNpy: Uint8Array } {
  const rand = rng(7);
  const gt = new Uint8Array(N * N);
  const prob = new Float32Array(C * N * N);
  const centres = Array.from({ length: C }, (_, c) => [200 + c * 150, 300 + (c % 2) * 300, 40 + 10 * c]);
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) {
      const i = y * N + x;
      for (let c = 0; c < C; c++) {
        const [cy, cx, r] = centres[c];
        const d = Math.hypot(y - cy, x - cx) - r;
        if (d < 0) gt[i] = c + 1;
        prob[c * N * N + i] = Math.min(1, Math.max(0, 1 / (1 + Math.exp(d / 3)) + (rand() - 0.5) * 0.02));
      }
    }
  }
  return {
    gtPng: labelsToPng(gt, N, N),
    probNpy: writeNpy({ dtype: 'float32', shape: [C, N, N], data: prob }),
  };
}

/** The ranking of a base built under the budget (this bench's 1024² map always is). */
function localRanking(base: Parameters<typeof rankingOf>[0]): ThresholdIndex {
  const index = rankingOf(base);
  if (!index) throw new Error('the bench map is over the slider budget');
  return index;
}

export async function run(): Promise<void> {
  await runTransfer();
  const { gtPng, probNpy } = trio();
  const files = {
    probBytes: probNpy,
    probSource: 'prob.npy',
    gtBytes: gtPng,
    gtSource: 'gt.png',
    maxPixels: 1e8,
  };
  const settings = { threshold: 0.5, solver: 'auto' as const };
  const rgba = new Uint8ClampedArray(N * N * 4);

  const open = await timeMsAsync(
    async () => {
      const s = await loadAnalysisSample(files, settings);
      const engine = new ThresholdLabels(localRanking(analysisBase(s)), s.gt?.data);
      engine.setThreshold(0.5);
      const gt = s.gt?.data as Uint8Array;
      paintCodes(rgba, ERROR_COLOURS, (i) => errorCode(engine.labels[i], gt[i], 6));
    },
    3,
    1,
  );
  const s = await loadAnalysisSample(files, settings);
  const fg = { data: s.prob.data, shape: [...s.prob.shape] };
  const thresholdOnly = timeMs(() => decode(fg, { decoder: 'threshold', evaluate: false }), 5, 1);
  report(
    `open-to-overlay ${N}² ×${C} classes (read, rank, sweep, calibration, first error map)`,
    open,
    {
      name: 'core threshold decode alone',
      ms: thresholdOnly,
    },
    500,
  );

  const index = localRanking(analysisBase(s));
  const gt = s.gt?.data as Uint8Array;
  const engine = new ThresholdLabels(index, gt);
  engine.setThreshold(0.5);
  let t = 0.5;
  const step = timeMs(
    () => {
      t = t === 0.5 ? 0.51 : 0.5;
      const r = engine.setThreshold(t);
      paintCodes(
        rgba,
        ERROR_COLOURS,
        (i) => errorCode(engine.labels[i], gt[i], 6),
        index.order.subarray(r.from, r.to),
      );
    },
    21,
    3,
  );
  const jump = timeMs(
    () => {
      t = t === 0.1 ? 0.9 : 0.1;
      const r = engine.setThreshold(t);
      paintCodes(
        rgba,
        ERROR_COLOURS,
        (i) => errorCode(engine.labels[i], gt[i], 6),
        index.order.subarray(r.from, r.to),
      );
    },
    11,
    2,
  );
  const full = timeMs(
    () => {
      t = t === 0.5 ? 0.51 : 0.5;
      const fresh = new ThresholdLabels(index, gt);
      fresh.setThreshold(t);
      paintCodes(rgba, ERROR_COLOURS, (i) => errorCode(fresh.labels[i], gt[i], 6));
    },
    7,
    2,
  );
  report(
    `threshold slider step ${N}² (0.50↔0.51, incremental + repaint of changed pixels)`,
    step,
    {
      name: 'full recompute',
      ms: full,
    },
    50,
  );
  report(
    `threshold slider jump ${N}² (0.1↔0.9, incremental)`,
    jump,
    { name: 'full recompute', ms: full },
    50,
  );

  const rd = timeMs(() => analysisDecode(s, 'rankdice', { threshold: 0.5, solver: 'rma' }), 3, 1);
  report(`decoder with metrics ${N}² (RankDice RMA + IMAGE metrics, in the worker)`, rd);

  // Over the slider budget (4096² × 1 class) the slider asks the worker: one mask = read the map + threshold decode.
  const L = 4096;
  const big = new Float32Array(L * L);
  for (let i = 0; i < big.length; i++) big[i] = ((i * 2654435761) >>> 0) / 2 ** 32;
  const bigFiles = {
    probBytes: writeNpy({ dtype: 'float32', shape: [1, L, L], data: big }),
    probSource: 'big.npy',
    maxPixels: 1e8,
  };
  let bt = 0.5;
  const mask = await timeMsAsync(
    async () => {
      bt = bt === 0.5 ? 0.3 : 0.5;
      analysisThresholdMask(await loadAnalysisSample(bigFiles, settings), bt);
    },
    3,
    1,
  );
  const bigSample = await loadAnalysisSample(bigFiles, settings);
  const rank = timeMs(() => analysisBase(bigSample, Infinity), 1, 0);
  report(
    `large-map slider step ${L}² × 1 class (worker mask: read map + threshold decode; no ranking sent)`,
    mask,
    { name: 'building the ranking the webview would need', ms: rank },
  );
}

/**
 * What the extension host does with a posted message (VS Code's serializeWebviewMessage and RPC send): JSON with
 * every ArrayBuffer (a typed array: its whole buffer) replaced by a reference, then one buffer holding the JSON and
 * all the referenced bytes. Returns that buffer's size.
 */
function hostPost(msg: unknown): number {
  const buffers: ArrayBuffer[] = [];
  const ref = (b: ArrayBufferLike) => {
    let i = buffers.indexOf(b as ArrayBuffer);
    if (i < 0) i = buffers.push(b as ArrayBuffer) - 1;
    return { $$vscode_array_buffer_reference$$: true, index: i };
  };
  const json = JSON.stringify(msg, (_k, v: unknown) =>
    v instanceof ArrayBuffer ? ref(v) : ArrayBuffer.isView(v) ? ref(v.buffer) : v,
  );
  return Buffer.concat([Buffer.from(json), ...buffers.map((b) => Buffer.from(b))]).length;
}

export function transferTrio(n: number): {
  sample: Extract<ToWebview, { type: 'sample' }>;
  decoder: ToWebview;
} {
  const image = new Uint8Array(n * n * 3);
  const gt = new Uint8Array(n * n);
  const prob = new Float32Array(n * n);
  const pred = new Uint8Array(n * n);
  const rand = rng(3);
  const c = n / 2;
  const r = n / 4;
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      const i = y * n + x;
      const d = Math.hypot(x - c, y - c);
      image[3 * i] = image[3 * i + 1] = image[3 * i + 2] = (128 + 40 * (rand() - 0.5)) | 0;
      gt[i] = d < r ? 1 : d < 1.2 * r ? 2 : 0;
      prob[i] = 1 / (1 + Math.exp((d - 1.05 * r) / (r / 8)));
      pred[i] = prob[i] > 0.5 ? 1 : 0;
    }
  const layer = (
    role: Layer['role'],
    dtype: 'uint8' | 'float32',
    a: ArrayBufferView,
    channels: 1 | 3,
  ): Layer => ({
    role,
    name: role,
    uri: `file:///${role}`,
    format: 'png',
    sourceDtype: dtype,
    range: { min: 0, max: 1 },
    raster: { width: n, height: n, channels, dtype, pixels: a.buffer as ArrayBuffer },
  });
  const sample: Extract<ToWebview, { type: 'sample' }> = {
    type: 'sample',
    requestId: 1,
    sample: {},
    notes: [],
    layers: [
      layer('image', 'uint8', image, 3),
      layer('gt', 'uint8', gt, 1),
      layer('prob', 'float32', prob, 1),
    ],
  };
  const view: DecoderView = {
    decoder: 'threshold',
    label: 'Threshold 0.5',
    labels: pred,
    solver: null,
    perClass: [],
    meanExpectedDice: null,
    meanExpectedIoU: null,
    notes: [],
    elapsedMs: 1,
  };
  return {
    sample,
    decoder: { type: 'analysis', requestId: 1, event: { type: 'decoder', view: { ...view } } },
  };
}

/** The messages the panel posts for `msg`: packed, large raw pixels split into parts (src/vscode/viewer/wire.ts). */
function wireMessages(msg: ToWebview): WireMessage[] {
  return runToEnd(splitSteps(runToEnd(toWireSteps(msg))));
}

/**
 * The longest stretch of the host's thread for one message as the panel sends it: packing and splitting in turns of
 * PACK_TURN_MS, then one post per turn.
 */
function longestTurn(msg: ToWebview): number {
  const steps = (function* () {
    return yield* splitSteps(yield* toWireSteps(msg));
  })();
  let longest = 0;
  let start = performance.now();
  for (;;) {
    const r = steps.next();
    const now = performance.now();
    if (r.done || now - start >= PACK_TURN_MS) {
      longest = Math.max(longest, now - start);
      if (r.done) {
        for (const m of r.value) {
          const t0 = performance.now();
          hostPost(m);
          longest = Math.max(longest, performance.now() - t0);
        }
        return longest;
      }
      start = performance.now();
    }
  }
}

export async function runTransfer(): Promise<void> {
  for (const n of [4096, 1024]) {
    const { sample, decoder } = transferTrio(n);
    // First, before the copying path's 128 MB buffers make the garbage collector busy.
    const turns = [0, 1, 2, 3].map(() => longestTurn(sample)).slice(1);
    const turn = turns.sort((a, b) => a - b)[1];
    const oldSample = timeMs(() => hostPost(sample), 5, 1);
    const newSample = timeMs(() => wireMessages(sample).forEach(hostPost), 5, 1);
    const messages = wireMessages(sample);
    report(
      `viewer transfer ${n}² trio (RGB image + mask + map): host work per load (packing + every post), ${(wireBytes(messages) / 2 ** 20).toFixed(1)} MB on the wire (was ${(wireBytes(sample) / 2 ** 20).toFixed(1)} MB)`,
      newSample,
      { name: 'old copying path (raw arrays posted)', ms: oldSample },
    );
    report(
      `viewer transfer ${n}² trio: longest turn of the host's thread (a packing turn or one post of ${messages.length}; budget 100 ms)`,
      turn,
      { name: 'old copying path, one post', ms: oldSample },
      100,
    );
    const oldDecoder = timeMs(() => hostPost(decoder), 5, 1);
    const newDecoder = timeMs(() => wireMessages(decoder).forEach(hostPost), 5, 1);
    report(
      `viewer transfer ${n}² decoder mask: host packing + post, ${wireBytes(wireMessages(decoder))} bytes (was ${wireBytes(decoder)})`,
      newDecoder,
      { name: 'old copying path', ms: oldDecoder },
    );
    const receive = () => {
      const r = new WireReceiver();
      for (const m of messages) r.receive(m);
    };
    report(`viewer transfer ${n}² trio: unpacking (and joining parts) in the webview`, timeMs(receive, 5, 1));
  }
}

/**
 * Decode throughput of the core readers at 1024²: NPY float32 [1024,1024] (little- and big-endian), NPY float16,
 * NPZ deflated, and 8-bit PNG label maps, against a plain memcpy of the same bytes.
 */
import { encode } from 'fast-png';
import { zipSync } from 'fflate';
import { readNpy, writeNpy } from '../src/core/io/npy';
import { readNpz } from '../src/core/io/npz';
import { loadLabelMap } from '../src/core/io/load';
import { report, rng, timeMs } from './util';

function bigEndianCopy(npy: Uint8Array, dataOffset: number): Uint8Array {
  const out = Uint8Array.from(npy);
  const header = new TextDecoder().decode(out.subarray(10, dataOffset)).replace("'<f4'", "'>f4'");
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  for (let i = dataOffset; i < out.length; i += 4) {
    out[i] = npy[i + 3];
    out[i + 1] = npy[i + 2];
    out[i + 2] = npy[i + 1];
    out[i + 3] = npy[i];
  }
  return out;
}

export async function run(): Promise<void> {
  const side = 1024;
  const r = rng(7);
  const f32 = new Float32Array(side * side);
  for (let i = 0; i < f32.length; i++) f32[i] = r();
  const npy = writeNpy({ dtype: 'float32', shape: [side, side], data: f32 });
  const offset = npy.length - f32.byteLength;
  const memcpy = { name: 'memcpy', ms: timeMs(() => Uint8Array.from(npy)) };
  report(`memcpy of ${(npy.length / 2 ** 20).toFixed(1)} MiB`, memcpy.ms);
  const le = timeMs(() => readNpy(npy));
  report(
    `npy float32 1024² little-endian (${((npy.length / 2 ** 20 / le) * 1000).toFixed(0)} MiB/s)`,
    le,
    memcpy,
  );
  const be = bigEndianCopy(npy, offset);
  report(
    'npy float32 1024² big-endian (byte swap)',
    timeMs(() => readNpy(be)),
    memcpy,
  );
  const half = new Uint8Array(npy.length / 2 + 128);
  const hdr = `{'descr': '<f2', 'fortran_order': False, 'shape': (${side}, ${side}), }`.padEnd(117) + '\n';
  half.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, hdr.length & 0xff, hdr.length >> 8]);
  for (let i = 0; i < hdr.length; i++) half[10 + i] = hdr.charCodeAt(i);
  report(
    'npy float16 1024² (widened to float32)',
    timeMs(() => readNpy(half.subarray(0, 10 + hdr.length + side * side * 2))),
    memcpy,
  );
  const npz = zipSync({ 'prob.npy': npy }, { level: 6 });
  report(
    'npz deflated float32 1024²',
    timeMs(() => readNpz(npz), 5, 1),
    memcpy,
  );
  const labels = new Uint8Array(side * side);
  for (let i = 0; i < labels.length; i++) labels[i] = Math.floor(i / 4096) % 3;
  const png = encode({ width: side, height: side, data: labels, channels: 1, depth: 8 });
  report(
    'png 8-bit label map 1024² → LabelMap',
    timeMs(() => loadLabelMap(png, { source: 'bench.png' }), 5, 1),
    memcpy,
  );
}

// Runs an ONNX model with onnxruntime-node (the runtime SegLens itself uses) on float32 .npy tensors.
//
//   node tools/demo/ort_run.mjs MODEL.onnx INPUT.npy OUTPUT.npy [INPUT2.npy OUTPUT2.npy ...]
//
// The demo scripts do their pre- and post-processing in numpy and call this only for session.run, so the demo
// probability maps come from the exported ONNX file and not from torch. The model's first input and first
// output are used. Only little-endian float32 C-order arrays are supported, which is all the demo needs.
import { Buffer } from 'node:buffer';
import console from 'node:console';
import { readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import ort from 'onnxruntime-node';

function readNpyFloat32(path) {
  const bytes = readFileSync(path);
  if (bytes.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${path}: not an .npy file`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  const header = bytes.toString('latin1', headerStart, headerStart + headerLength);
  if (!header.includes("'descr': '<f4'") || !header.includes("'fortran_order': False")) {
    throw new Error(`${path}: expected little-endian float32 in C order, header ${header.trim()}`);
  }
  const shape = header
    .match(/'shape': \(([^)]*)\)/)[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const dataStart = headerStart + headerLength;
  // Copy so the Float32Array is aligned regardless of where the header ended.
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset + dataStart, bytes.byteOffset + bytes.length));
  return { shape, data };
}

function writeNpyFloat32(path, shape, data) {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Version 1.0 headers are padded with spaces so the data starts on a 64-byte boundary.
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  writeFileSync(path, Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

const [modelPath, ...pairs] = process.argv.slice(2);
if (!modelPath || pairs.length === 0 || pairs.length % 2 !== 0) {
  console.error('usage: node ort_run.mjs MODEL.onnx INPUT.npy OUTPUT.npy [INPUT2.npy OUTPUT2.npy ...]');
  process.exit(2);
}
const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1 });
const inputName = session.inputNames[0];
const outputName = session.outputNames[0];
for (let i = 0; i < pairs.length; i += 2) {
  const input = readNpyFloat32(pairs[i]);
  const result = await session.run({ [inputName]: new ort.Tensor('float32', input.data, input.shape) });
  const output = result[outputName];
  writeNpyFloat32(pairs[i + 1], output.dims, output.data);
}

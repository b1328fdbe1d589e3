import assert from 'node:assert/strict';
import { ortUnavailableMessage } from '../../../../src/node/model/ort';

describe('node/model: onnxruntime availability message', () => {
  it('says plainly that Intel Macs cannot run models, and what still works', () => {
    const m = ortUnavailableMessage(
      'darwin',
      'x64',
      new Error("Cannot find module '../bin/napi-v6/darwin/x64/…'"),
    );
    assert.match(m, /not available on Intel Macs/);
    assert.match(m, /loss lint work/);
  });
  it('names the platform and the first line of the cause elsewhere', () => {
    const m = ortUnavailableMessage('linux', 'arm64', new Error('libonnxruntime.so.1: cannot open\nstack…'));
    assert.equal(
      m,
      'onnxruntime could not be loaded on linux-arm64 (libonnxruntime.so.1: cannot open); install the SegLens VSIX built for this platform.',
    );
  });
});

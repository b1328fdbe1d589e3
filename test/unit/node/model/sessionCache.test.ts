import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionCache, cleanOrtMessage } from '../../../../src/node/model/sessionCache';
import { repoPath } from '../../../support/repo';

const DIR = repoPath('test/fixtures/models');

describe('model/sessionCache', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'seglens-model-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('reuses one session per file and replaces it when the file changes', async () => {
    const cache = new SessionCache({ intraOpNumThreads: 1 });
    const path = join(tmp, 'm.onnx');
    copyFileSync(join(DIR, 'sigmoid_dynamic.onnx'), path);
    const a = await cache.get(path);
    const b = await cache.get(join(tmp, '.', 'm.onnx'));
    assert.equal(a, b, 'same file, same session');
    assert.equal(a.info.outputs[0].name, 'logits');
    // Overwrite with a different model (and a different mtime): the next lookup must load it.
    copyFileSync(join(DIR, 'two_outputs.onnx'), path);
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const c = await cache.get(path);
    assert.notEqual(c, a);
    assert.deepEqual(
      c.info.outputs.map((o) => o.name),
      ['aux', 'probs'],
    );
    assert.equal(cache.size, 1);
    await cache.dispose();
    assert.equal(cache.size, 0);
  });

  it('keeps at most maxSessions sessions, releasing the least recently used', async () => {
    const cache = new SessionCache({ intraOpNumThreads: 1, maxSessions: 2 });
    const model = (name: string) => join(DIR, `${name}.onnx`);
    const a = await cache.get(model('sigmoid_dynamic'));
    await cache.get(model('two_outputs'));
    assert.equal(await cache.get(model('sigmoid_dynamic')), a, 'a hit refreshes the entry');
    await cache.get(model('nhwc_bgr'));
    assert.equal(cache.size, 2);
    assert.equal(await cache.get(model('sigmoid_dynamic')), a, 'the most recently used one stayed');
    assert.notEqual(await cache.get(model('two_outputs')), undefined);
    await cache.dispose();
  });

  it('does not cache a failed load, so a fixed file loads next time', async () => {
    const cache = new SessionCache({ intraOpNumThreads: 1 });
    const path = join(tmp, 'm.onnx');
    writeFileSync(path, 'not a model');
    await assert.rejects(cache.get(path), /cannot load the model/);
    assert.equal(cache.size, 0);
    copyFileSync(join(DIR, 'sigmoid_dynamic.onnx'), path);
    assert.equal((await cache.get(path)).info.inputs[0].name, 'image');
    await cache.dispose();
  });

  it('shortens onnxruntime messages to the sentence a user can act on', () => {
    const raw =
      "Non-zero status code returned while running Reshape node. Name:'' Status Message: /onnxruntime_src/x/reshape_helper.h:91 " +
      'onnxruntime::ReshapeHelper::ReshapeHelper(const onnxruntime::TensorShape&, bool) a == b was false. The input ' +
      'tensor cannot be reshaped to the requested shape.';
    assert.equal(
      cleanOrtMessage(new Error(raw)),
      'Reshape node: The input tensor cannot be reshaped to the requested shape.',
    );
    assert.equal(
      cleanOrtMessage(new Error('Load model from /m.onnx failed:Protobuf parsing failed.')),
      'Protobuf parsing failed.',
    );
  });
});

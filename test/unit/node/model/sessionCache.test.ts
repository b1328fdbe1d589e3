import * as assert from 'node:assert/strict';
import { copyFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_CACHE_MEMORY_MB,
  MAX_CACHE_MEMORY_MB,
  SessionCache,
  clampCacheMemoryMB,
  cleanOrtMessage,
  memoryEstimate,
} from '../../../../src/node/model/sessionCache';
import { repoPath } from '../../../support/repo';
import { makeTempDir } from '../../../support/tempDir';

const DIR = repoPath('test/fixtures/models');

describe('model/sessionCache', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = makeTempDir('seglens-model').path;
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

  it('keeps the sessions within the memory budget, releasing the least recently used', async () => {
    // Each session is charged at least twice its file (230–272 bytes here): a 600-byte budget holds one.
    const cache = new SessionCache({ intraOpNumThreads: 1, cacheMemoryMB: 600 / (1024 * 1024) });
    const model = (name: string) => join(DIR, `${name}.onnx`);
    const a = await cache.get(model('sigmoid_dynamic'));
    assert.equal(cache.size, 1);
    const b = await cache.get(model('two_outputs'));
    assert.equal(cache.size, 1, 'over budget: the older session was released');
    assert.equal(await cache.get(model('two_outputs')), b, 'the session just used stays');
    assert.notEqual(await cache.get(model('sigmoid_dynamic')), a, 'the released one is created again');
    assert.ok(cache.estimatedBytes >= 2 * 230);
    await cache.dispose();

    // The default budget (2 GB) keeps all three small models, in least-recently-used order.
    const roomy = new SessionCache({ intraOpNumThreads: 1 });
    assert.equal(roomy.budgetBytes, DEFAULT_CACHE_MEMORY_MB * 1024 * 1024);
    const first = await roomy.get(model('sigmoid_dynamic'));
    await roomy.get(model('two_outputs'));
    await roomy.get(model('nhwc_bgr'));
    assert.equal(roomy.size, 3);
    assert.equal(await roomy.get(model('sigmoid_dynamic')), first);
    await roomy.dispose();
  });

  it('reads a budget: default when absent or not positive, capped at the maximum; charges twice the file at least', () => {
    assert.equal(clampCacheMemoryMB(undefined), DEFAULT_CACHE_MEMORY_MB);
    assert.equal(clampCacheMemoryMB(Number.NaN), DEFAULT_CACHE_MEMORY_MB);
    assert.equal(clampCacheMemoryMB(-5), DEFAULT_CACHE_MEMORY_MB);
    assert.equal(clampCacheMemoryMB(512), 512);
    assert.equal(clampCacheMemoryMB(1e9), MAX_CACHE_MEMORY_MB);
    assert.equal(memoryEstimate(100, 0), 200);
    assert.equal(memoryEstimate(100, 5000), 5000);
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

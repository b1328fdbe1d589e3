// The worker RPC all three workers use, with a real thread: typed calls, transfers both ways, progress before the
// answer, cooperative cancellation, the one serialised error shape, in-order serving, and a lost thread.
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { CancelledError, InputError } from '../../../../src/core/errors';
import { RpcChannel, type WorkerLoss } from '../../../../src/node/workers/rpc';
import { repoPath } from '../../../support/repo';

export type ProbeMethods = {
  double: { input: Uint8Array; output: Uint8Array };
  steps: { input: number; output: number; progress: number };
  waitForCancel: { input: null; output: string };
  badFile: { input: string; output: never };
  ordered: { input: { n: number; ms: number }; output: number[] };
  exit: { input: number; output: never };
};

describe('node/workers: worker RPC', function () {
  this.timeout(30_000);
  let channel: RpcChannel<ProbeMethods>;
  const losses: WorkerLoss[] = [];

  before(() => {
    const worker = new Worker(repoPath('test/unit/node/workers/rpcWorker.ts'), {
      execArgv: ['--require', require.resolve('tsx/cjs')],
    });
    channel = new RpcChannel<ProbeMethods>(worker, {
      lostError: (loss, call) =>
        new Error(
          `${call.method} lost: ${'exitCode' in loss ? `exit ${loss.exitCode}` : loss.error.message}`,
        ),
      onLost: (loss) => losses.push(loss),
    });
  });
  after(() => channel.terminate(new Error('done')));

  it('moves buffers both ways and resolves with the typed output', async () => {
    const input = new Uint8Array([1, 2, 3]);
    const out = await channel.call('double', input, { transfer: [input.buffer] });
    assert.equal(input.byteLength, 0, 'the input was moved, not copied');
    assert.deepEqual([...out], [2, 4, 6]);
  });

  it('delivers every progress report before the answer; a throwing callback is ignored', async () => {
    const seen: number[] = [];
    assert.equal(await channel.call('steps', 3, { onProgress: (p) => seen.push(p) }), 3);
    assert.deepEqual(seen, [1, 2, 3]);
    const thrown = await channel.call('steps', 2, {
      onProgress: () => {
        throw new Error('x');
      },
    });
    assert.equal(thrown, 2);
  });

  it('aborting releases the caller at once and the handler sees the cancellation', async () => {
    const ac = new AbortController();
    const p = channel.call('waitForCancel', null, { signal: ac.signal });
    ac.abort();
    await assert.rejects(p, CancelledError);
    assert.equal(channel.size, 0);
    // The worker serves in order, so this answer proves the cancelled handler noticed and returned.
    assert.equal(await channel.call('steps', 1), 1);
    await assert.rejects(channel.call('waitForCancel', null, { signal: ac.signal }), CancelledError);
  });

  it('errors cross as one shape: InputError keeps its class and file', async () => {
    await assert.rejects(channel.call('badFile', 'a/b.png'), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.source, 'a/b.png');
      assert.equal(e.message, 'a/b.png: not an image');
      return true;
    });
  });

  it('serves in arrival order when sequential', async () => {
    const [a, b] = await Promise.all([
      channel.call('ordered', { n: 1, ms: 60 }),
      channel.call('ordered', { n: 2, ms: 0 }),
    ]);
    assert.deepEqual([a.at(-1), b.slice(-2)], [1, [1, 2]]);
  });

  it('a thread that dies fails its calls with the owner’s wording, once', async () => {
    await assert.rejects(channel.call('exit', 4), /^Error: exit lost: exit 4$/);
    assert.equal(channel.alive, false);
    assert.deepEqual(losses, [{ exitCode: 4 }]);
    await assert.rejects(channel.call('steps', 1), /stopped/);
  });
});

/** A worker serving probe methods over the worker RPC, for rpc.test.ts (loaded through tsx). */
import { parentPort } from 'node:worker_threads';
import { InputError } from '../../../../src/core/errors';
import { serve } from '../../../../src/node/workers/rpc';
import type { ProbeMethods } from './rpc.test';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const order: number[] = [];

if (parentPort) {
  serve<ProbeMethods>(
    parentPort,
    {
      double: async (bytes) => {
        const out = bytes.map((b) => b * 2);
        return { value: out, transfer: [out.buffer as ArrayBuffer] };
      },
      steps: async (n, ctx) => {
        for (let i = 1; i <= n; i++) ctx.progress(i);
        return { value: n };
      },
      waitForCancel: async (_input, ctx) => {
        while (!ctx.cancelled) await sleep(5);
        await sleep(1);
        return { value: 'noticed' };
      },
      badFile: async (source) => {
        throw new InputError('not an image', source);
      },
      ordered: async ({ n, ms }) => {
        await sleep(ms);
        order.push(n);
        return { value: [...order] };
      },
      exit: async (code) => process.exit(code),
    },
    { sequential: true },
  );
}

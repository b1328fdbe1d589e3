/**
 * A minimal Debug Adapter Protocol client over TCP, for driving a real debugpy server in plain-node tests: the same
 * requests VS Code sends (initialize, attach, setBreakpoints, configurationDone, stackTrace, evaluate), so the
 * helper's evaluated expression is tested against the debugger users run, without the editor.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

interface DapMessage {
  seq: number;
  type: 'request' | 'response' | 'event';
  command?: string;
  event?: string;
  request_seq?: number;
  success?: boolean;
  message?: string;
  body?: Record<string, unknown>;
}

export class DapClient {
  private seq = 1;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<
    number,
    { resolve: (m: DapMessage) => void; reject: (e: Error) => void }
  >();
  private readonly events: DapMessage[] = [];
  private readonly waiters: { name: string; resolve: (m: DapMessage) => void }[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => this.receive(chunk));
  }

  static connect(port: number): Promise<DapClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new DapClient(socket)));
      socket.once('error', reject);
    });
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const m = /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString('ascii'));
      if (!m) throw new Error('DAP header without Content-Length');
      const length = Number(m[1]);
      if (this.buffer.length < end + 4 + length) return;
      const msg = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as DapMessage;
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.dispatch(msg);
    }
  }

  private dispatch(msg: DapMessage): void {
    if (msg.type === 'response' && msg.request_seq !== undefined) {
      const p = this.pending.get(msg.request_seq);
      this.pending.delete(msg.request_seq);
      if (!p) return;
      if (msg.success) p.resolve(msg);
      else p.reject(new Error(`${msg.command ?? 'request'} failed: ${msg.message ?? ''}`));
    } else if (msg.type === 'event' && msg.event) {
      const i = this.waiters.findIndex((w) => w.name === msg.event);
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(msg);
      else this.events.push(msg);
    }
  }

  /** Sends a request; resolves with the response body (rejects on an unsuccessful response). */
  request(command: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const seq = this.seq++;
    const json = Buffer.from(JSON.stringify({ seq, type: 'request', command, arguments: args }), 'utf8');
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve: (m) => resolve(m.body ?? {}), reject });
      this.socket.write(`Content-Length: ${json.length}\r\n\r\n`);
      this.socket.write(json);
    });
  }

  /** Resolves with the next (or an already received, not yet taken) event of this name. */
  event(name: string): Promise<DapMessage> {
    const i = this.events.findIndex((e) => e.event === name);
    if (i >= 0) return Promise.resolve(this.events.splice(i, 1)[0]);
    return new Promise((resolve) => this.waiters.push({ name, resolve }));
  }

  close(): void {
    this.socket.destroy();
  }
}

export interface PausedDebuggee {
  client: DapClient;
  threadId: number;
  frameId: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `script` under debugpy (test/fixtures/debug/serve.py), attaches, sets one breakpoint at `line` of
 * `breakAt` and resolves once the program stopped there, with the top frame's id.
 */
export async function startPaused(options: {
  python: string;
  serve: string;
  script: string;
  breakAt: string;
  line: number;
  portFile: string;
  env?: Record<string, string>;
}): Promise<PausedDebuggee> {
  const proc = spawn(options.python, [options.serve, options.portFile, options.script], {
    cwd: path.dirname(options.script),
    env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<never>((_, reject) =>
    proc.once('exit', (code) => reject(new Error(`debuggee exited (${code}) before stopping: ${stderr}`))),
  );
  // The server writes the port file once it listens; the wait is on that state (with the process's exit as the
  // failure), not on a delay.
  const port = await Promise.race([
    exited,
    (async () => {
      while (!existsSync(options.portFile)) await new Promise((r) => setTimeout(r, 25));
      return (JSON.parse(readFileSync(options.portFile, 'utf8')) as { port: number }).port;
    })(),
  ]);
  const client = await DapClient.connect(port);
  await client.request('initialize', {
    clientID: 'seglens-test',
    adapterID: 'debugpy',
    linesStartAt1: true,
    columnsStartAt1: true,
    pathFormat: 'path',
  });
  const attached = client.request('attach', { justMyCode: true });
  await client.event('initialized');
  await client.request('setBreakpoints', {
    source: { path: options.breakAt },
    breakpoints: [{ line: options.line }],
  });
  await client.request('configurationDone');
  await attached;
  const stopped = await Promise.race([exited, client.event('stopped')]);
  const threadId = Number(stopped.body?.threadId);
  const trace = await client.request('stackTrace', { threadId, startFrame: 0, levels: 1 });
  const frameId = (trace.stackFrames as { id: number }[])[0].id;
  const stop = async (): Promise<void> => {
    const gone = new Promise<void>((r) => (proc.exitCode !== null ? r() : proc.once('exit', () => r())));
    await client.request('disconnect', { terminateDebuggee: true }).catch(() => undefined);
    client.close();
    await gone;
  };
  return { client, threadId, frameId, process: proc, stop };
}

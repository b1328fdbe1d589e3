/**
 * The paused frame SegLens evaluates in, and the one DAP request it sends there (docs/debugging.md, "Safety"). A
 * request runs only when a debug session has a selected stack frame (VS Code's `activeStackItem`) and the
 * debugger confirms that frame's thread is stopped (a `stackTrace` request listing the frame); otherwise nothing
 * is sent. Works with any debug adapter that evaluates Python, through `customRequest` (no other extension's API).
 */
import * as vscode from 'vscode';
import { evaluateExpression, replyJson, type DebugRequest } from '../../node/debug/request';

export interface PausedFrame {
  session: vscode.DebugSession;
  threadId: number;
  frameId: number;
  /** The frame's file and 1-based line, when the debugger names a file. */
  source?: { uri: vscode.Uri; line: number };
}

/** The fields of a DAP stack frame SegLens reads. */
interface StackFrame {
  id: number;
  line: number;
  source?: { path?: unknown };
}

/**
 * A frame's `source.path` as a URI. Adapters send a path string; through a remote extension host VS Code hands
 * `customRequest` replies back with paths already turned into URI components.
 */
export function sourceUri(p: unknown): vscode.Uri | undefined {
  if (typeof p === 'string' && p)
    return /^[a-z][\w+.-]*:\/\//i.test(p) ? vscode.Uri.parse(p) : vscode.Uri.file(p);
  if (typeof p !== 'object' || p === null) return undefined;
  const u = p as Record<string, unknown>;
  if (typeof u.scheme !== 'string' || typeof u.path !== 'string') return undefined;
  const text = (k: string): string => (typeof u[k] === 'string' ? (u[k] as string) : '');
  return vscode.Uri.from({
    scheme: u.scheme,
    authority: text('authority'),
    path: u.path,
    query: text('query'),
    fragment: text('fragment'),
  });
}

/** Deepest stack searched for the selected frame. */
const MAX_FRAMES = 500;

/**
 * The selected frame of a paused session, or why there is none. With `sessionId` (the Variables view passes it),
 * the frame must belong to that session.
 */
export async function pausedFrame(sessionId?: string): Promise<PausedFrame | string> {
  const item = vscode.debug.activeStackItem;
  if (!item) return 'no debug session is paused: stop at a breakpoint first.';
  if (!(item instanceof vscode.DebugStackFrame)) {
    return 'the debug session is not paused in a frame: pause it, or select a frame in the Call Stack view.';
  }
  if (sessionId !== undefined && item.session.id !== sessionId) {
    return 'the variable belongs to another debug session than the selected frame.';
  }
  let trace: { stackFrames?: StackFrame[] } | undefined;
  try {
    trace = (await item.session.customRequest('stackTrace', {
      threadId: item.threadId,
      startFrame: 0,
      levels: MAX_FRAMES,
    })) as { stackFrames?: StackFrame[] } | undefined;
  } catch {
    return 'the debugged thread is running: pause it first.';
  }
  const frame = trace?.stackFrames?.find((f) => f.id === item.frameId);
  if (!frame) return 'the selected frame is no longer on the stack: select a frame in the Call Stack view.';
  const uri = sourceUri(frame.source?.path);
  return {
    session: item.session,
    threadId: item.threadId,
    frameId: item.frameId,
    source: uri && Number.isInteger(frame.line) ? { uri, line: frame.line } : undefined,
  };
}

/** Sends SegLens' expression for `request` to the paused frame and returns the reply's JSON. */
export async function evaluateInFrame(frame: PausedFrame, request: DebugRequest): Promise<unknown> {
  const response = (await frame.session.customRequest('evaluate', {
    expression: evaluateExpression(request),
    frameId: frame.frameId,
    context: 'repl',
  })) as { result?: unknown } | undefined;
  if (typeof response?.result !== 'string') throw new Error('the debugger returned no result');
  return replyJson(response.result);
}

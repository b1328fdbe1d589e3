/**
 * "View in SegLens" (Variables and Watch views) and "View Expressions in SegLens…" (palette): the values are
 * evaluated in the paused frame by SegLens' fixed helper, saved as `.npy` in a temp folder, and shown in the viewer
 * with their guessed roles (image / mask / probabilities / logits) — the viewer's role picker changes them. The
 * folder is removed when the viewer panel closes.
 */
import * as vscode from 'vscode';
import { splitExpressions } from '../../core/debug/expressions';
import type { TensorRole } from '../../core/debug/roles';
import { errorMessage } from '../../core/errors';
import { prepareForViewer, type ShownValue } from '../../node/debug/prepare';
import { parseViewReply } from '../../node/debug/reply';
import type { TempStore } from '../../node/debug/tempStore';
import type { ViewerContext } from '../viewer/context';
import { setRoleChoice } from '../viewer/roleChoices';
import type { SampleUris } from '../viewer/sampleLoader';
import { ViewerPanel } from '../viewer/viewerPanel';
import { failureText } from './failure';
import { evaluateInFrame, pausedFrame } from './session';
import { INLINE_TRANSFER_MAX_BYTES } from './limits';
import { maxTransferBytes } from './settings';

/** A value as shown, with its axes explained in words. */
export type ViewedValue = Omit<ShownValue, 'dims'> & { dimsText: string };

/** What the view commands return (tests and keybinding users read it). */
export interface ViewResult {
  /** Why nothing was shown, when nothing was. */
  refused?: string;
  panelId?: number;
  values: ViewedValue[];
  /** What each value became, one line each (also shown in the panel's notes). */
  notes: string[];
}

const SLOT: Record<TensorRole, keyof SampleUris> = {
  image: 'image',
  mask: 'gt',
  prob: 'prob',
  logits: 'prob',
};
const ROLE_LABEL: Record<TensorRole, string> = {
  image: 'image',
  mask: 'ground-truth mask',
  prob: 'probabilities',
  logits: 'logits',
};

function range(v: ShownValue): string {
  return v.min !== undefined && v.max !== undefined
    ? `, values ${v.min.toPrecision(4)}…${v.max.toPrecision(4)}`
    : '';
}

/** Shows `expressions` of the paused frame in the viewer. */
export async function viewValues(
  ctx: ViewerContext,
  store: TempStore,
  expressions: string[],
  options: { sessionId?: string; index?: number } = {},
): Promise<ViewResult> {
  const refuse = (why: string): ViewResult => {
    void vscode.window.showInformationMessage(`SegLens: ${why}`);
    return { refused: why, values: [], notes: [] };
  };
  if (expressions.length === 0) return refuse('no expression to view.');
  const frame = await pausedFrame(options.sessionId);
  if (typeof frame === 'string') return refuse(frame);
  const folder = store.create();
  let shown: ShownValue[];
  try {
    const limitBytes = maxTransferBytes();
    const reply = parseViewReply(
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `SegLens: reading ${expressions.join(', ')}` },
        () =>
          evaluateInFrame(frame, {
            op: 'view',
            expressions,
            folder,
            limitBytes,
            inlineBytes: Math.min(limitBytes, INLINE_TRANSFER_MAX_BYTES),
          }),
      ),
    );
    if (!reply.ok) {
      store.remove(folder);
      return refuse(failureText(reply));
    }
    shown = reply.values.map((v) =>
      prepareForViewer(v, folder, { maxElements: limitBytes, index: options.index ?? 0 }),
    );
  } catch (e) {
    store.remove(folder);
    throw new Error(`could not read ${expressions.join(', ')}: ${errorMessage(e)}`, { cause: e });
  }
  const uris: SampleUris = {};
  const notes: string[] = [];
  for (const v of shown) {
    const slot = SLOT[v.role];
    const what =
      `${v.expression}: ${v.kind} ${v.dtype} [${v.shape.join(', ')}]${range(v)} — ${v.dims.text}; ` +
      `shown as ${ROLE_LABEL[v.role]} (${v.guess.why})${v.note ? `, ${v.note}` : ''}.`;
    if (uris[slot]) {
      notes.push(`${v.expression} is not shown: the sample already has its ${ROLE_LABEL[v.role]}.`);
      continue;
    }
    const uri = vscode.Uri.file(v.file);
    uris[slot] = uri;
    if (v.role === 'logits') {
      const channels = v.dims.channel !== undefined ? v.shape[v.dims.channel] : 1;
      setRoleChoice(uri.toString(), { role: 'logits', activation: channels > 1 ? 'softmax' : 'sigmoid' });
    }
    notes.push(what);
  }
  const panel = ViewerPanel.reuseOrCreate(ctx);
  panel.panel.onDidDispose(() => store.remove(folder));
  await panel.load(uris, notes, []);
  return {
    panelId: panel.id,
    values: shown.map(({ dims, ...rest }) => ({ ...rest, dimsText: dims.text })),
    notes,
  };
}

/** The Variables / Watch view's argument: the clicked variable's expression and its session. */
export function variableArg(arg: unknown): { expression: string; sessionId?: string } | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as { sessionId?: unknown; variable?: { evaluateName?: unknown; name?: unknown } };
  const v = a.variable;
  const expression =
    typeof v?.evaluateName === 'string' && v.evaluateName
      ? v.evaluateName
      : typeof v?.name === 'string'
        ? v.name
        : '';
  if (!expression) return undefined;
  return { expression, sessionId: typeof a.sessionId === 'string' ? a.sessionId : undefined };
}

/** The palette's argument (tests, keybindings): `{ expressions: string[] | string, index? }`. */
export function expressionsArg(arg: unknown): { expressions: string[]; index?: number } | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as { expressions?: unknown; index?: unknown };
  const list =
    typeof a.expressions === 'string'
      ? splitExpressions(a.expressions)
      : Array.isArray(a.expressions)
        ? a.expressions.filter((e): e is string => typeof e === 'string' && e.trim() !== '')
        : [];
  if (list.length === 0) return undefined;
  return { expressions: list, index: Number.isInteger(a.index) ? (a.index as number) : undefined };
}

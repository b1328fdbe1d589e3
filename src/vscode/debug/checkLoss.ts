/**
 * "Check Loss at Breakpoint": with the cursor on a loss or metric function (e.g. `dice_coeff`) and the session
 * paused, SegLens calls that function on the prediction and target tensors in the paused frame (on the batch and
 * on each image), computes the true per-image Dice and IoU itself, and shows both side by side with the function's
 * loss-lint findings (the editor's diagnostics for its lines).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { functionAt, functionsOf, targetFirst, type PyFunction } from '../../core/debug/functionAt';
import type { LossTable } from '../../core/debug/lossTable';
import { errorMessage } from '../../core/errors';
import { lossTableOf } from '../../node/debug/prepare';
import { parseLossReply } from '../../node/debug/reply';
import type { TempStore } from '../../node/debug/tempStore';
import { DIAGNOSTIC_SOURCE } from '../diagnostics/ids';
import { failureText } from './failure';
import { LossPanel } from './lossPanel';
import type { LintLine } from './lossHtml';
import { evaluateInFrame, pausedFrame } from './session';
import { INLINE_TRANSFER_MAX_BYTES } from './limits';
import { maxTransferBytes } from './settings';

/** Optional arguments (tests, keybindings); what is missing is taken from the cursor or asked for. */
export interface CheckLossArgs {
  function?: string;
  prediction?: string;
  target?: string;
}

export interface CheckLossResult {
  refused?: string;
  table?: LossTable;
  findings?: LintLine[];
  call?: string;
  /** What the panel's page reports it displays (undefined when it was closed before showing). */
  shown?: { rows: number; verdict: string };
}

function parseArgs(arg: unknown): CheckLossArgs {
  if (typeof arg !== 'object' || arg === null) return {};
  const a = arg as Record<string, unknown>;
  const s = (k: string): string | undefined =>
    typeof a[k] === 'string' && (a[k] as string).trim() ? (a[k] as string).trim() : undefined;
  return { function: s('function'), prediction: s('prediction'), target: s('target') };
}

const ruleOf = (d: vscode.Diagnostic): string =>
  typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');

/** The loss-lint findings published for the function's lines. */
function findingsIn(doc: vscode.TextDocument | undefined, def: PyFunction | undefined): LintLine[] {
  if (!doc || !def) return [];
  return vscode.languages
    .getDiagnostics(doc.uri)
    .filter(
      (d) =>
        d.source === DIAGNOSTIC_SOURCE &&
        d.range.start.line >= def.startLine &&
        d.range.start.line <= def.endLine,
    )
    .sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
    )
    .map((d) => {
      // The lint's diagnostics put a short headline first and the whole message after it (problemText.ts).
      const [headline, ...rest] = d.message.split('\n');
      return {
        rule: ruleOf(d),
        line: d.range.start.line + 1,
        headline,
        message: rest.join('\n') || headline,
      };
    });
}

export async function checkLoss(store: TempStore, arg: unknown): Promise<CheckLossResult> {
  const refuse = (why: string): CheckLossResult => {
    void vscode.window.showInformationMessage(`SegLens: ${why}`);
    return { refused: why };
  };
  const args = parseArgs(arg);
  const frame = await pausedFrame();
  if (typeof frame === 'string') return refuse(frame);
  // The function under the cursor of a Python editor; else the one the session is paused in (e.g. when the viewer
  // panel has the focus).
  const editor = vscode.window.activeTextEditor;
  let doc = editor?.document.languageId === 'python' ? editor.document : undefined;
  let cursor = doc && editor ? editor.selection.active : undefined;
  if (!doc && frame.source) {
    doc = await vscode.workspace.openTextDocument(frame.source.uri).then(
      (d) => d,
      () => undefined,
    );
    cursor = new vscode.Position(frame.source.line - 1, 0);
  }
  const text = doc?.getText() ?? '';
  const atCursor = doc && cursor ? functionAt(text, cursor.line, cursor.character) : undefined;
  const name =
    args.function ??
    atCursor?.name ??
    (await vscode.window.showInputBox({
      title: 'SegLens: Check Loss at Breakpoint',
      ignoreFocusOut: true,
      prompt: `The loss or metric function to check (a name in the paused frame): ${
        doc && cursor
          ? `no function around line ${cursor.line + 1} of ${path.basename(doc.uri.fsPath)}`
          : 'no Python editor, and the debugger names no file for the paused frame'
      }`,
      placeHolder: 'dice_coeff',
    }));
  if (!name) return refuse('no function to check: put the cursor on a loss or metric function.');
  const def = functionsOf(text).find((f) => f.name === name);
  const order = targetFirst(def?.params);
  const [first, second] = def?.params ?? [];
  // The prompts stay open when the focus moves (a panel taking it back as the palette closes, a look at the editor
  // for a variable's name): closing them would cancel the check without a word. Escape still cancels.
  const ask = async (what: string, guess: string): Promise<string | undefined> =>
    vscode.window.showInputBox({
      title: `SegLens: Check ${name}`,
      prompt: `The ${what} tensor (an expression in the paused frame)`,
      value: guess,
      ignoreFocusOut: true,
    });
  const prediction =
    args.prediction ?? (await ask('prediction', (order.targetFirst ? second : first) ?? 'y_pred'));
  if (!prediction) return refuse('no prediction tensor given.');
  const target = args.target ?? (await ask('target', (order.targetFirst ? first : second) ?? 'y_true'));
  if (!target) return refuse('no target tensor given.');

  const folder = store.create();
  let table: LossTable;
  try {
    const limitBytes = maxTransferBytes();
    const reply = parseLossReply(
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `SegLens: calling ${name}` },
        () =>
          evaluateInFrame(frame, {
            op: 'loss',
            function: name,
            prediction,
            target,
            targetFirst: order.targetFirst,
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
    table = lossTableOf(reply, name, folder, limitBytes);
  } catch (e) {
    store.remove(folder);
    throw new Error(`could not check ${name}: ${errorMessage(e)}`, { cause: e });
  }
  const findings = findingsIn(doc, def);
  const call = order.targetFirst ? `${name}(${target}, ${prediction})` : `${name}(${prediction}, ${target})`;
  const shown = await LossPanel.show(
    store,
    {
      table,
      findings,
      where: doc && def ? `${path.basename(doc.uri.fsPath)}:${def.startLine + 1}` : 'the paused frame',
      call,
      orderBecause: order.because,
    },
    folder,
  );
  return { table, findings, call, shown: shown && { rows: shown.rows, verdict: shown.verdict } };
}

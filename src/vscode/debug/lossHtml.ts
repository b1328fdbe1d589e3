/**
 * The page of the "Check Loss at Breakpoint" panel (pure, no vscode): the verdict, one row per image with the
 * user's value next to the true Dice and IoU, and the loss-lint findings of the function. Static content, every
 * text escaped, a CSP that allows only its own nonce-tagged style and one nonce-tagged script, whose only job is to
 * tell the host what the page shows once it is in the DOM (`{ type: 'shown', page, rows, verdict }`).
 */
import type { LossTable } from '../../core/debug/lossTable';

export interface LintLine {
  rule: string;
  /** 1-based line. */
  line: number;
  /** The Problems panel's first line: the code and the rule's first clause. */
  headline: string;
  /** The full message. */
  message: string;
}

export interface LossPage {
  table: LossTable;
  findings: LintLine[];
  /** Where the function is, e.g. "train_step.py:21", and the call made, e.g. "dice_coeff(y_true, y_pred)". */
  where: string;
  call: string;
  /** Why that argument order, e.g. "its parameters are (y_true, y_pred)". */
  orderBecause: string;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** Three decimals, as in the verdict; NaN and infinities spelt out. */
export const fixed3 = (v: number | undefined): string =>
  v === undefined ? '—' : Number.isFinite(v) ? v.toFixed(3) : String(v);

/** The message the page posts once shown; `page` is the number the host gave this page. */
export interface LossPageShown {
  type: 'shown';
  page: number;
  /** Rows of the per-image table in the DOM. */
  rows: number;
  /** The verdict's text as displayed. */
  verdict: string;
}

/** A `shown` message from the page, or undefined for anything else (messages from a webview are not trusted). */
export function parseShown(m: unknown): LossPageShown | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const o = m as Record<string, unknown>;
  if (
    o.type !== 'shown' ||
    !Number.isInteger(o.page) ||
    !Number.isInteger(o.rows) ||
    typeof o.verdict !== 'string'
  )
    return undefined;
  return { type: 'shown', page: o.page as number, rows: o.rows as number, verdict: o.verdict };
}

export function lossHtml(page: LossPage, nonce: string, pageNumber = 0): string {
  const t = page.table;
  const e = escapeHtml;
  const rows = t.rows
    .map((r) => {
      return (
        `<tr${r.agrees === false ? ' class="off"' : ''}><td>${r.index}</td><td class="num">${fixed3(r.yours)}</td>` +
        `<td class="num">${fixed3(r.dice)}</td><td class="num">${fixed3(r.iou)}</td>` +
        `<td class="num">${r.gtPixels}</td><td class="num">${r.predPixels}</td></tr>`
      );
    })
    .join('\n');
  const findings = page.findings.length
    ? `<ul>${page.findings
        .map(
          (f) =>
            `<li><b>${e(f.rule)}</b> line ${f.line}: <code>${e(f.headline)}</code><br>${e(f.message)}</li>`,
        )
        .join('\n')}</ul>`
    : '<p class="dim">No loss-lint finding in this function.</p>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${e(nonce)}'; script-src 'nonce-${e(nonce)}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Check Loss: ${e(t.functionName)}</title>
<style nonce="${e(nonce)}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 16px 16px; }
h1 { font-size: 1.3em; font-weight: 600; }
.verdict { padding: 8px 12px; border-left: 4px solid var(--vscode-charts-green, #3c3); background: var(--vscode-textBlockQuote-background); }
.verdict.bad { border-left-color: var(--vscode-errorForeground, #f44); }
table { border-collapse: collapse; margin: 12px 0; }
th, td { padding: 3px 12px; border-bottom: 1px solid var(--vscode-panel-border, #444); text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.off td:nth-child(2) { color: var(--vscode-errorForeground, #f44); font-weight: 600; }
.dim { color: var(--vscode-descriptionForeground); }
code { font-family: var(--vscode-editor-font-family); }
li { margin-bottom: 6px; }
</style></head>
<body>
<h1>Check Loss at Breakpoint: <code>${e(t.functionName)}</code></h1>
<p class="verdict${t.disagrees ? ' bad' : ''}" id="verdict">${e(t.verdict)}</p>
<p class="dim">Called <code>${e(page.call)}</code> (${e(page.orderBecause)}) at ${e(page.where)} on the whole batch
(it returned shape [${t.batchShape.join(', ')}], mean ${fixed3(t.batchValue)}) and on each image alone.
True Dice and IoU: SegLens' per-image definition (docs/metrics.md) on hard masks, ${e(t.hardening)}.</p>
<table id="perImage">
<thead><tr><th>image</th><th class="num">your ${e(t.functionName)}</th><th class="num">true Dice</th><th class="num">true IoU</th><th class="num">target px</th><th class="num">predicted px</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot><tr><td>mean</td><td class="num">${fixed3(t.batchValue)}</td><td class="num">${fixed3(t.meanDice)}</td><td></td><td></td><td></td></tr></tfoot>
</table>
<h2>Loss lint in <code>${e(t.functionName)}</code></h2>
${findings}
<p class="dim">Prediction: ${e(t.predictionDims)}. Target: ${e(t.targetDims)}. The arrays copied from the program are deleted when this panel closes.</p>
<script nonce="${e(nonce)}">
acquireVsCodeApi().postMessage({ type: 'shown', page: ${Math.floor(pageNumber)}, rows: document.querySelectorAll('#perImage tbody tr').length, verdict: document.getElementById('verdict').textContent });
</script>
</body></html>`;
}

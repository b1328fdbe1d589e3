/**
 * The host↔webview contract, one module per panel, all messages discriminated on `type`:
 *
 * - viewer.ts — the viewer panel (`ToWebview`, `FromWebview`, the persisted state);
 * - sampleParts.ts — a sample sent as a preview first, then its image;
 * - analysis.ts — the decoder-comparison part of the viewer (`AnalysisEvent`, `AnalysisRequest`), carried inside
 *   the viewer's `analysis` messages;
 * - validate.ts — the field readers and the validator tables every panel uses.
 *
 * A new panel adds its own module (its unions, a `ValidatorTable` for what its webview sends, a `TypeTable` for what
 * its webview accepts) and one line here. The host's Node zone (src/node) never imports this package.
 */
export * from './viewer';
export * from './analysis';
export * from './sampleParts';
export type { Parsed, Message, ValidatorTable, TypeTable } from './validate';

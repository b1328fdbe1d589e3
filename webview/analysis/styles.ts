/**
 * Styles of the analysis panel, adopted as a constructed style sheet so the panel needs no extra file in the page
 * (the CSP allows style sheets only from the extension and nonce'd elements; constructed sheets are neither inline
 * markup nor a fetched resource). Colours are the theme's variables; uPlot's essential layout rules are included
 * because its own CSS file is not loaded.
 */
const CSS = `
/* The side area of the workspace (webview/layout.ts): a sticky head with the controls and the live numbers, tabs
   whose bodies scroll on their own, and the export row at the bottom. Nothing in it is wider than the area, so it
   never scrolls sideways: tables wrap their headers and cells, the side-by-side views shrink. */
.analysis-panel { display: flex; flex-direction: column; min-width: 0; min-height: 0; overflow: hidden;
  font-size: 12px; box-sizing: border-box; }
.analysis-panel[hidden], .analysis-panel [hidden] { display: none !important; }
.analysis-head { flex: none; padding: 4px 8px; border-bottom: 1px solid var(--vscode-panel-border, transparent); }
.analysis-panel .row { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 10px; margin: 3px 0; }
.analysis-panel label { display: inline-flex; align-items: center; gap: 4px; }
.analysis-panel select, .analysis-panel input[type=number] { background: var(--vscode-dropdown-background); color: var(--vscode-dropdown-foreground);
  border: 1px solid var(--vscode-dropdown-border, var(--vscode-contrastBorder, transparent)); font: inherit; padding: 1px 2px; max-width: 13em; }
.analysis-panel input[type=number] { width: 5em; }
.analysis-panel input[type=range] { width: 10em; accent-color: var(--vscode-focusBorder); }
.analysis-panel select:focus-visible, .analysis-panel input:focus-visible, .analysis-panel button:focus-visible, .analysis-panel .compare:focus-visible {
  outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
.analysis-panel button.link { background: none; border: 1px solid transparent; color: var(--vscode-textLink-foreground); cursor: pointer; font: inherit; padding: 0 2px; }
.analysis-panel button.act { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: 1px solid var(--vscode-button-border, transparent);
  padding: 2px 8px; font: inherit; cursor: pointer; }
.analysis-panel button.act:hover { background: var(--vscode-button-hoverBackground); }
.analysis-panel .live-numbers { font-variant-numeric: tabular-nums; font-weight: 600; margin: 3px 0; }
.analysis-panel h3 { font-size: 12px; margin: 6px 0 2px; font-weight: 600; }
.analysis-tabs { flex: 1 1 0; min-height: 0; display: flex; flex-direction: column; }
.analysis-tabs vscode-tab-panel { flex: 1 1 0; min-height: 0; overflow: hidden; }
.analysis-tabs vscode-tab-panel[hidden] { display: none; }
.analysis-tabs .tab-scroll { height: 100%; overflow-y: auto; overflow-x: hidden; padding: 4px 8px; box-sizing: border-box; }
.analysis-panel .export-row { flex: none; padding: 2px 8px; border-top: 1px solid var(--vscode-panel-border, transparent); }
.analysis-panel table { border-collapse: collapse; margin: 2px 0 6px; width: 100%; table-layout: auto; }
.analysis-panel th, .analysis-panel td { padding: 1px 3px; text-align: right; border-bottom: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border, transparent));
  white-space: nowrap; font-variant-numeric: tabular-nums; }
/* Numbers never break; headers break between words, names anywhere (a long class name is the one that gives). */
.analysis-panel th { font-weight: 600; vertical-align: bottom; white-space: normal; }
.analysis-panel th:first-child, .analysis-panel td:first-child { text-align: left; white-space: normal; overflow-wrap: anywhere; }
.analysis-panel td:first-child button.link { text-align: left; }
.analysis-panel .decoder-table td:first-child { overflow-wrap: break-word; }
.analysis-panel td.notes { white-space: normal; }
.analysis-panel .object-table td:nth-child(6) { white-space: normal; text-align: left; }
/* Class names may break anywhere (hippocampus+amygdala would widen the table) but keep a readable width. */
.analysis-panel .object-table td:first-child, .analysis-panel .metric-tables td:first-child { min-width: 5em; }
.analysis-panel td.notes { text-align: left; color: var(--vscode-descriptionForeground); padding-bottom: 4px; }
.analysis-panel tr.current td { background: var(--vscode-list-activeSelectionBackground); color: var(--vscode-list-activeSelectionForeground); }
.analysis-panel tr.current td button.link { color: inherit; }
.analysis-panel tr.current { outline: 1px dashed var(--vscode-contrastActiveBorder, transparent); outline-offset: -1px; }
.analysis-panel .hover { font-family: var(--vscode-editor-font-family, monospace); color: var(--vscode-descriptionForeground); min-height: 2.8em; overflow-wrap: anywhere; }
.analysis-panel .muted, .analysis-panel .conventions { color: var(--vscode-descriptionForeground); }
.analysis-panel .conventions { white-space: normal; }
.analysis-panel .problem { color: var(--vscode-errorForeground); }
.legend-swatch { display: inline-block; width: 10px; height: 10px; margin-right: 3px; border: 1px solid var(--vscode-foreground); vertical-align: middle; }
.analysis-panel .compare-row { display: flex; gap: 6px; flex-wrap: wrap; }
.analysis-panel .compare { position: relative; flex: 0 0 calc(50% - 3px); max-width: 320px; aspect-ratio: 1; overflow: hidden;
  border: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder, #888)); cursor: grab; background: var(--vscode-editor-background); }
.analysis-panel .compare canvas { position: absolute; left: 0; top: 0; transform-origin: 0 0; image-rendering: pixelated; }
.analysis-panel .compare .caption { position: absolute; left: 2px; top: 2px; padding: 0 3px; background: var(--vscode-editorWidget-background); font-size: 11px; z-index: 2; }
.analysis-panel .charts { display: flex; flex-direction: column; gap: 8px; }
.analysis-panel .chart { border: 1px solid var(--vscode-panel-border, transparent); padding: 2px; }
.analysis-panel .chart .title { font-weight: 600; }
.uplot, .uplot * { box-sizing: border-box; }
.uplot { line-height: 1.5; width: min-content; }
.u-wrap { position: relative; user-select: none; }
.u-over, .u-under { position: absolute; }
.u-under { overflow: hidden; }
.uplot canvas { display: block; position: relative; width: 100%; height: 100%; }
.u-axis { position: absolute; }
.u-legend { font-size: 11px; margin: auto; text-align: left; }
.analysis-panel table.u-legend { width: auto; margin: 0; }
.analysis-panel .u-legend th, .analysis-panel .u-legend td { border: 0; padding: 0 2px; text-align: left; font-weight: normal; }
.u-legend .u-value { font-variant-numeric: tabular-nums; }
.u-inline { display: block; }
.u-inline * { display: inline-block; }
.u-inline tr { margin-right: 10px; }
.u-legend .u-marker { width: 1em; height: 1em; margin-right: 4px; background-clip: padding-box !important; }
.u-inline:not(.u-live) .u-value { display: none; }
.u-series > * { padding: 2px; }
.u-legend .u-off > * { opacity: 0.3; }
.u-select { position: absolute; pointer-events: none; }
.u-cursor-x, .u-cursor-y { position: absolute; left: 0; top: 0; pointer-events: none; }
.u-hz .u-cursor-x { height: 100%; border-right: 1px dashed var(--vscode-descriptionForeground); }
.u-hz .u-cursor-y { width: 100%; border-bottom: 1px dashed var(--vscode-descriptionForeground); }
.u-cursor-pt { position: absolute; top: 0; left: 0; border-radius: 50%; border: 0 solid; pointer-events: none; background-clip: padding-box !important; }
.u-axis.u-off, .u-select.u-off, .u-cursor-x.u-off, .u-cursor-y.u-off, .u-cursor-pt.u-off { display: none; }
`;

let adopted = false;

export function adoptAnalysisStyles(): void {
  if (adopted) return;
  adopted = true;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/**
 * Styles of the analysis panel, adopted as a constructed style sheet so the panel needs no extra file in the page
 * (the CSP allows style sheets only from the extension and nonce'd elements; constructed sheets are neither inline
 * markup nor a fetched resource). Colours are the theme's variables; uPlot's essential layout rules are included
 * because its own CSS file is not loaded.
 */
const CSS = `
/* The stage takes the space the panel leaves, whatever it shows: with a content-sized basis it grew as it zoomed,
   which changed its fit scale and broke the zoom it shares with the side-by-side views. */
.stage { flex: 1 1 0; min-height: 120px; }
.analysis-panel { flex: 0 1 auto; max-height: 42vh; overflow: auto; border-top: 1px solid var(--vscode-panel-border, transparent);
  padding: 4px 8px; font-size: 12px; }
.analysis-panel[hidden], .analysis-panel [hidden] { display: none !important; }
.analysis-panel .row { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; margin: 4px 0; }
.analysis-panel label { display: inline-flex; align-items: center; gap: 4px; }
.analysis-panel select, .analysis-panel input[type=number] { background: var(--vscode-dropdown-background); color: var(--vscode-dropdown-foreground);
  border: 1px solid var(--vscode-dropdown-border, var(--vscode-contrastBorder, transparent)); font: inherit; padding: 1px 2px; }
.analysis-panel input[type=number] { width: 6em; }
.analysis-panel input[type=range] { width: 12em; accent-color: var(--vscode-focusBorder); }
.analysis-panel select:focus-visible, .analysis-panel input:focus-visible, .analysis-panel button:focus-visible, .analysis-panel .compare:focus-visible {
  outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
.analysis-panel button.link { background: none; border: 1px solid transparent; color: var(--vscode-textLink-foreground); cursor: pointer; font: inherit; padding: 0 2px; }
.analysis-panel button.act { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: 1px solid var(--vscode-button-border, transparent);
  padding: 2px 8px; font: inherit; cursor: pointer; }
.analysis-panel button.act:hover { background: var(--vscode-button-hoverBackground); }
.analysis-panel h3 { font-size: 12px; margin: 8px 0 2px; font-weight: 600; }
.analysis-panel table { border-collapse: collapse; margin: 2px 0 6px; }
.analysis-panel th, .analysis-panel td { padding: 1px 6px; text-align: right; border-bottom: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border, transparent)); white-space: nowrap; }
.analysis-panel td.notes { white-space: normal; text-align: left; min-width: 16em; max-width: 36em; }
.analysis-panel th:first-child, .analysis-panel td:first-child { text-align: left; }
.analysis-panel tr.current td { background: var(--vscode-list-activeSelectionBackground); color: var(--vscode-list-activeSelectionForeground); }
.analysis-panel tr.current td button.link { color: inherit; }
.analysis-panel tr.current { outline: 1px dashed var(--vscode-contrastActiveBorder, transparent); outline-offset: -1px; }
.analysis-panel .hover { font-family: var(--vscode-editor-font-family, monospace); color: var(--vscode-descriptionForeground); min-height: 1.4em; }
.analysis-panel .muted, .analysis-panel .conventions { color: var(--vscode-descriptionForeground); }
.analysis-panel .conventions { max-width: 70em; white-space: normal; }
.analysis-panel .problem { color: var(--vscode-errorForeground); }
.analysis-panel .legend-swatch { display: inline-block; width: 10px; height: 10px; margin-right: 3px; border: 1px solid var(--vscode-foreground); vertical-align: middle; }
.analysis-panel .compare-row { display: flex; gap: 6px; flex-wrap: wrap; }
.analysis-panel .compare { position: relative; width: 260px; height: 260px; overflow: hidden; border: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder, #888));
  cursor: grab; background: var(--vscode-editor-background); }
.analysis-panel .compare canvas { position: absolute; left: 0; top: 0; transform-origin: 0 0; image-rendering: pixelated; }
.analysis-panel .compare .caption { position: absolute; left: 2px; top: 2px; padding: 0 3px; background: var(--vscode-editorWidget-background); font-size: 11px; z-index: 2; }
.analysis-panel .charts { display: flex; flex-wrap: wrap; gap: 8px; }
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

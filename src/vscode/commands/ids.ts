/**
 * Every command the extension contributes, one row each: id and title exactly as in package.json. Kept free of
 * vscode so the manifest test checks this list against package.json in plain node; the handlers (table.ts) are a
 * map typed over these ids, so a row without a handler, or a handler without a row, does not compile.
 *
 * Adding a command: a row here, its entry in package.json `contributes.commands` (and menus), a handler in its
 * zone's handler map. No activation event is needed: VS Code activates on contributed commands by itself.
 */

export interface CommandInfo {
  id: `seglens.${string}`;
  /** The title in package.json (category "SegLens"). */
  title: string;
}

export const COMMANDS = [
  // The viewer.
  { id: 'seglens.openInSegLens', title: 'Open in SegLens' },
  { id: 'seglens.openFiles', title: 'Open Image/Mask/Probability Files…' },
  // The volume viewer (three planes); the explorer's "Open in SegLens" on volume files is hidden from the palette.
  { id: 'seglens.volume.open', title: 'Open Volume…' },
  { id: 'seglens.volume.openFromExplorer', title: 'Open in SegLens' },
  { id: 'seglens.volume.runModel', title: 'Run Model Slice by Slice…' },
  // Loss-code lint.
  { id: 'seglens.lint.currentFile', title: 'Lint Loss Code in Current File' },
  { id: 'seglens.lint.showRuleDocs', title: 'Show Loss-Lint Rule Documentation…' },
  { id: 'seglens.lint.showOutput', title: 'Show Loss-Lint Log' },
  { id: 'seglens.lint.workspace', title: 'Lint Workspace Loss Code' },
  // Models. "Run Model on Image" has two ids because the palette and the explorer want different visibility: the
  // palette id also serves the viewer panel's toolbar button, the explorer id is hidden from the palette like every
  // explorer-only entry. Both run the same code.
  { id: 'seglens.model.runOnImage', title: 'Run Model on Image' },
  { id: 'seglens.model.runOnImageFromExplorer', title: 'Run Model on Image' },
  { id: 'seglens.model.runOnFolder', title: 'Run Model on Folder' },
  { id: 'seglens.model.select', title: 'Select Model…' },
  // The dataset view (two ids for "Evaluate Folder…" for the same reason as "Run Model on Image").
  { id: 'seglens.dataset.evaluateFolder', title: 'Evaluate Folder…' },
  { id: 'seglens.dataset.evaluateFolderFromExplorer', title: 'Evaluate Folder…' },
  { id: 'seglens.dataset.nextWorst', title: 'Dataset: Open Next Row' },
  { id: 'seglens.dataset.previousWorst', title: 'Dataset: Open Previous Row' },
  // The debugger bridge (a paused debug session's tensors; the Variables view's entry is hidden from the palette).
  { id: 'seglens.debug.viewVariable', title: 'View in SegLens' },
  { id: 'seglens.debug.viewExpressions', title: 'View Expressions in SegLens…' },
  { id: 'seglens.debug.checkLoss', title: 'Check Loss at Breakpoint' },
] as const satisfies readonly CommandInfo[];

export type CommandId = (typeof COMMANDS)[number]['id'];

/** The ids of one feature, e.g. `CommandsOf<'model'>` = the `seglens.model.*` commands. */
export type CommandsOf<Feature extends string> = Extract<CommandId, `seglens.${Feature}.${string}`>;

export const COMMAND_IDS: readonly CommandId[] = COMMANDS.map((c) => c.id);

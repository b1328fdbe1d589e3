/** Public surface of the loss-code linter (see types.ts for the contract). */
export { createLinter, resolveOptions } from './linter';
export { RULES } from './rules';
export { suppressionEdit } from './suppress';
export { lintNotebookCells, type CellFindings } from './notebook';
export type * from './types';

/**
 * Public types of the loss-code linter. The editor side (diagnostics, hovers, quick fixes) and the CLI build on
 * these names only; everything else under src/core/lint is an implementation detail.
 *
 * Positions are 0-based lines and 0-based columns counted in UTF-16 code units, exactly like VS Code's
 * `Position`, so a host can hand them to `new vscode.Range(...)` unchanged. The CLI adds 1 when printing.
 */

export type Severity = 'error' | 'warning' | 'info';

/** The tensor layouts the axis engine understands (batch first; 2-D or 3-D images). */
export type Layout = 'NHWC' | 'NCHW' | 'NDHWC' | 'NCDHW';

export type Framework = 'keras' | 'tensorflow' | 'torch' | 'numpy';

export type Role = 'loss' | 'metric' | 'helper';

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based column in UTF-16 code units. */
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** One replacement in the linted text. Ranges of the edits of one fix never overlap. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** A mechanical fix the editor can offer as a quick fix. */
export interface Fix {
  /** Title shown in the light-bulb menu, e.g. "Reduce over axes [1, 2, 3] (NHWC, per image)". */
  title: string;
  edits: TextEdit[];
  /** True when this is the fix the rule recommends most (VS Code's `isPreferred`). */
  preferred?: boolean;
}

export interface Finding {
  /** Stable rule id, e.g. "LL101". Quick fixes and suppressions key off it. */
  rule: string;
  /** Kebab-case rule name, e.g. "overlap-reduced-over-wrong-axes". */
  name: string;
  severity: Severity;
  /** One or two sentences; ends with the assumptions the rule made, e.g. "(assumed layout NHWC: ...)". */
  message: string;
  range: Range;
  /** Longer numeric illustration for hovers (plain text / markdown), when the rule has one. */
  explanation?: string;
  fixes?: Fix[];
  /** Path of the rule's documentation page relative to the extension/package root, e.g. "docs/rules/LL101.md". */
  docs: string;
}

/** Per-rule configuration: 'off' disables the rule, a severity overrides its default. */
export type RuleSetting = 'off' | Severity;

export interface LintOptions {
  /** Layout override (a workspace or per-file setting). 'auto' or undefined: infer it. */
  layout?: Layout | 'auto';
  /** Keyed by rule id ("LL102") or rule name. */
  rules?: Readonly<Record<string, RuleSetting>>;
  /**
   * Whether targets can be empty (semantic segmentation: yes; instance masks: no). Affects LL301-LL303 and
   * LL503. @default true
   */
  targetsCanBeEmpty?: boolean;
  /** LL303: a smoothing constant at or above this is "oversized". @default 10 */
  oversizedSmooth?: number;
  /** LL109: with mean-reduced terms, a smoothing constant at or above this dominates. @default 1e-3 */
  meanSmoothThreshold?: number;
  /** Texts longer than this many UTF-16 units are not linted; one info finding says so. @default 1_000_000 */
  maxLength?: number;
  /**
   * Other Python modules of the project, keyed by dotted module name ("models" or "pkg.models"), with their
   * source text. Classes imported from them are followed (e.g. a model head whose forward ends in sigmoid, fed
   * to BCEWithLogitsLoss in this file: LL202 across files). Only the linted text gets findings. Treat the map
   * as immutable: pass a new object when a module's text changes (its digest is memoised per object).
   */
  modules?: Readonly<Record<string, string>>;
  /**
   * Time budget of one lint in milliseconds: past it the lint stops and one LL000 finding says the file is too
   * large or complex to analyse. The lint worker sets one; undefined: no limit. @default undefined
   */
  timeBudgetMs?: number;
}

/**
 * An opaque parse of one text. Pass it back with the edits that turned its text into the new text to get an
 * incremental re-parse. A tree passed back is consumed (its memory is reused); call `dispose()` on the latest
 * tree when the document closes.
 */
export interface ParsedText {
  readonly text: string;
  /** True when the parser had to recover from syntax errors (findings come from the sound parts only). */
  readonly hasSyntaxErrors: boolean;
  dispose(): void;
}

/**
 * One change as VS Code reports it in `TextDocumentContentChangeEvent`: offsets in UTF-16 units into the
 * text as it was before this change (changes of one event are applied in order).
 */
export interface TextChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

export interface PreviousParse {
  tree: ParsedText;
  edits: readonly TextChange[];
}

export interface LintResult {
  findings: Finding[];
  tree: ParsedText;
}

export interface Linter {
  /**
   * Lints one Python text. Never throws on bad Python: syntax errors are skipped, and a text over the size
   * cap yields a single info finding. With `previous`, the parse is incremental.
   */
  lint(text: string, options?: LintOptions, previous?: PreviousParse): LintResult;
  /** Frees the parser (trees are freed by their own dispose()). */
  dispose(): void;
}

/**
 * Where the two WebAssembly modules come from. Bytes are used as they are; a string is a path or URL handed to
 * web-tree-sitter's own loader (core never opens files itself).
 */
export interface LinterWasm {
  /** web-tree-sitter's runtime, `web-tree-sitter/tree-sitter.wasm`. */
  runtime: Uint8Array | string;
  /** The Python grammar, `tree-sitter-python/tree-sitter-python.wasm`. */
  python: Uint8Array | string;
}

export interface CreateLinterOptions {
  wasm: LinterWasm;
}

/** Registry entry of one rule (see rules/index.ts `RULES`). */
export interface RuleInfo {
  id: string;
  name: string;
  severity: Severity;
  /** "docs/rules/LL101.md" */
  docs: string;
  /** One line for tables and settings descriptions. */
  summary: string;
  /** Catalog group: 1 reduction axes, 2 activations, 3 numerical safety, 4 labels, 5 formula, 6 shapes. */
  group: 1 | 2 | 3 | 4 | 5 | 6;
}

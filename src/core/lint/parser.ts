/**
 * The Python parser: web-tree-sitter with the tree-sitter-python grammar. Both WebAssembly modules are supplied
 * by the caller (bytes or a locator) because core never opens files; they are loaded once per process, on the
 * first createLinter() call, so an editor pays for them only when a Python file is linted.
 */
import type * as TreeSitter from 'web-tree-sitter';
import type { Edit, Language, Parser, Point, Tree } from 'web-tree-sitter';
import type { LinterWasm, ParsedText, TextChange } from './types';
import {
  convertTree,
  lineStartsOf,
  positionAt,
  type ReusableStatements,
  type SNode,
  type SyntaxTree,
} from './syntax';

let runtimeReady: Promise<void> | undefined;
let bindings: typeof TreeSitter | undefined;

/**
 * web-tree-sitter's JavaScript, loaded on first use. It is required, not imported: bundlers resolve an `import`
 * to the package's ES-module build, whose `import.meta.url` is empty inside our CommonJS bundles (dist/cli.js,
 * dist/extension.js), while `require` selects the CommonJS build, which locates itself with __filename.
 */
function treeSitter(): typeof TreeSitter {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  bindings ??= require('web-tree-sitter') as typeof TreeSitter;
  return bindings;
}
let pythonLanguage: Promise<Language> | undefined;

async function loadLanguage(wasm: LinterWasm): Promise<Language> {
  if (!runtimeReady) {
    const runtime = wasm.runtime;
    // Emscripten accepts the module bytes directly, or finds the file through locateFile.
    const moduleOptions =
      typeof runtime === 'string' ? { locateFile: () => runtime } : { wasmBinary: runtime as Uint8Array };
    const { Parser } = treeSitter();
    runtimeReady = Parser.init(moduleOptions as unknown as Parameters<typeof Parser.init>[0]);
    runtimeReady.catch(() => (runtimeReady = undefined));
  }
  await runtimeReady;
  if (!pythonLanguage) {
    pythonLanguage = treeSitter().Language.load(wasm.python);
    pythonLanguage.catch(() => (pythonLanguage = undefined));
  }
  return pythonLanguage;
}

/** A parse result: the tree-sitter tree (kept for incremental re-parsing) and its plain copy. */
export class ParsedPython implements ParsedText {
  private disposed = false;
  constructor(
    readonly text: string,
    private tsTree: Tree | null,
    readonly syntax: SyntaxTree,
  ) {}

  get hasSyntaxErrors(): boolean {
    return this.syntax.nodes.some((n) => n.error);
  }

  /** Hands the tree-sitter tree to the next parse; this object keeps only its plain copy afterwards. */
  takeTree(): Tree | null {
    const t = this.tsTree;
    this.tsTree = null;
    return t;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.tsTree?.delete();
    this.tsTree = null;
  }
}

function pointAt(lineStarts: readonly number[], offset: number): Point {
  const p = positionAt(lineStarts, offset);
  return { row: p.line, column: p.character };
}

/**
 * Applies VS Code-style changes to the old tree (tree.edit) while replaying them on the old text. Returns the
 * text the edits produce, so the caller can check that it equals the new text before trusting the old tree.
 */
function applyChanges(tree: Tree, oldText: string, changes: readonly TextChange[]): string {
  let text = oldText;
  for (const change of changes) {
    const start = change.rangeOffset;
    const oldEnd = start + change.rangeLength;
    if (start < 0 || oldEnd > text.length) return '\u0000invalid';
    const before = lineStartsOf(text);
    const next = text.slice(0, start) + change.text + text.slice(oldEnd);
    const newEnd = start + change.text.length;
    const after = lineStartsOf(next);
    const edit: Edit = {
      startIndex: start,
      oldEndIndex: oldEnd,
      newEndIndex: newEnd,
      startPosition: pointAt(before, start),
      oldEndPosition: pointAt(before, oldEnd),
      newEndPosition: pointAt(after, newEnd),
    };
    tree.edit(edit);
    text = next;
  }
  return text;
}

/** Maps the old top-level statements through the edits; those no edit touched can be reused. */
function reusableStatements(
  old: SyntaxTree,
  changes: readonly TextChange[],
  changedRanges: ReadonlyArray<{ startIndex: number; endIndex: number }>,
): ReusableStatements {
  const byRange = new Map<string, { node: SNode; delta: number }>();
  for (const node of old.root.children) {
    let start = node.start;
    let end = node.end;
    let touched = false;
    for (const c of changes) {
      const cEnd = c.rangeOffset + c.rangeLength;
      if (end < c.rangeOffset) continue;
      if (start > cEnd) {
        const shift = c.text.length - c.rangeLength;
        start += shift;
        end += shift;
        continue;
      }
      touched = true;
      break;
    }
    if (!touched) byRange.set(`${start}:${end}:${node.type}`, { node, delta: start - node.start });
  }
  return { byRange, changed: changedRanges.map((r) => [r.startIndex, r.endIndex] as [number, number]) };
}

export class PythonParser {
  private constructor(private readonly parser: Parser) {}

  static async create(wasm: LinterWasm): Promise<PythonParser> {
    const language = await loadLanguage(wasm);
    const parser = new (treeSitter().Parser)();
    parser.setLanguage(language);
    return new PythonParser(parser);
  }

  parse(text: string, previous?: { tree: ParsedText; edits: readonly TextChange[] }): ParsedPython {
    let oldTree: Tree | null = null;
    let oldSyntax: SyntaxTree | undefined;
    if (previous && previous.tree instanceof ParsedPython) {
      oldTree = previous.tree.takeTree();
      oldSyntax = previous.tree.syntax;
      if (oldTree) {
        // A stale or mismatched edit list would corrupt the parse; fall back to a full parse instead.
        const replayed = applyChanges(oldTree, previous.tree.text, previous.edits);
        if (replayed !== text) {
          oldTree.delete();
          oldTree = null;
        }
      }
      previous.tree.dispose();
    }
    const tree = this.parser.parse(text, oldTree);
    if (!tree) {
      oldTree?.delete();
      throw new Error('tree-sitter returned no tree');
    }
    let reuse: ReusableStatements | undefined;
    if (oldTree && oldSyntax && previous) {
      reuse = reusableStatements(oldSyntax, previous.edits, oldTree.getChangedRanges(tree));
    }
    oldTree?.delete();
    return new ParsedPython(text, tree, convertTree(tree, text, reuse));
  }

  dispose(): void {
    this.parser.delete();
  }
}

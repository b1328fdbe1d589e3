/**
 * `seglens lint FILE|DIR... [--format text|json|sarif] [--layout auto|NHWC|NCHW|NDHWC|NCDHW]` (docs/architecture.md §4):
 * loss-code lint of Python files. Lines and columns are printed 1-based (columns in UTF-16 code units, as in
 * VS Code and SARIF's default). Exit 1 when any error-level finding exists, 2 when an input could not be
 * linted (missing, unreadable, not UTF-8, over the size cap) or on bad usage.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { errorMessage } from '../../core/errors';
import type { Finding, Layout, Linter, LintOptions } from '../../core/lint/types';
import { flag, parseArgs } from '../args';
import { CliCommand, CliIO, UsageError } from '../command';
import { notebookCode } from '../ipynb';
import { diskReader, resolveModules } from '../../node/lint/workspaceModules';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];
const LAYOUTS = ['auto', 'NHWC', 'NCHW', 'NDHWC', 'NCDHW'] as const;
/** Larger Python files are skipped with a message: they are generated code, not hand-written losses. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Siblings read only as import context are smaller: they are not what the user asked to lint. */
const SIBLING_MAX_BYTES = 512 * 1024;
const SKIP_DIRS = new Set(['node_modules', '__pycache__', '.git', '.venv', 'venv', '.tox', 'site-packages']);

const usage = `Usage: seglens lint FILE|DIR... [--format text|json|sarif] [--layout auto|NHWC|NCHW|NDHWC|NCDHW]

Checks hand-written segmentation losses and metrics (Dice, IoU, Tversky, focal, ...) in Python files and
Jupyter notebooks (code cells, linted together like in the editor; findings carry the cell number).
Directories are searched recursively for *.py and *.ipynb files.

Options:
  --format F   text (default), json (array of {file,cell?,line,column,endLine,endColumn,rule,severity,message};
               in a notebook, cell is the 1-based cell number and line/column are inside that cell)
               or sarif (SARIF 2.1.0)
  --json       same as --format json
  --layout L   tensor layout to assume instead of inferring it (default auto)

Exit codes: 0 no error-level finding, 1 error-level findings, 2 bad usage or a file that could not be linted.
`;

export interface JsonFinding {
  file: string;
  /** Notebooks only: the 1-based number of the cell (as Jupyter counts all cells); line and column are in it. */
  cell?: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: Finding['severity'];
  message: string;
}

/** Locates the two WebAssembly files next to the bundle (dist/) or in node_modules. */
function wasmBytes(): { runtime: Uint8Array; python: Uint8Array } {
  const req = createRequire(__filename);
  const find = (local: string, pkg: string): Uint8Array => {
    const candidates = [join(__dirname, local)];
    try {
      candidates.push(req.resolve(pkg));
    } catch {
      // Not installed next to this file; the local copy may still exist.
    }
    for (const c of candidates) {
      try {
        return readFileSync(c);
      } catch {
        continue;
      }
    }
    throw new Error(`cannot find ${pkg} (looked in ${candidates.join(', ')})`);
  };
  return {
    runtime: find('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm'),
    python: find('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm'),
  };
}

/**
 * The lint engine (parser, rules), loaded on first use: `seglens lint` on files with nothing to parse (empty or
 * whitespace only, as a pre-commit hook often passes) never loads it or its WebAssembly (issue 13, start-up).
 */
function engine(): typeof import('../../core/lint') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../core/lint') as typeof import('../../core/lint');
}

/** A Python file with nothing but whitespace has no findings; the parser is not needed to say so. */
const isBlank = (text: string): boolean => !/[^ \t\r\n\f]/.test(text);

const isLintable = (name: string): boolean => name.endsWith('.py') || name.endsWith('.ipynb');

/** Files to lint, each with the name to print: relative to the working directory unless given absolute. */
function collectFiles(
  inputs: string[],
  io: CliIO,
  problems: string[],
): Array<{ path: string; shown: string }> {
  const out: Array<{ path: string; shown: string }> = [];
  // Real paths already taken: a symlink back to a parent (`a -> .`) or two links to one file are visited once.
  const seenReal = new Set<string>();
  let absolute = false;
  const visit = (path: string, explicit: boolean): void => {
    let st;
    let real: string;
    try {
      st = statSync(path);
      real = realpathSync(path);
    } catch (e) {
      problems.push(`${path}: cannot read (${errorMessage(e)})`);
      return;
    }
    if (seenReal.has(real)) return;
    seenReal.add(real);
    if (st.isDirectory()) {
      let entries: string[];
      try {
        entries = readdirSync(path).sort();
      } catch (e) {
        problems.push(`${path}: cannot list directory (${errorMessage(e)})`);
        return;
      }
      for (const name of entries) {
        if (SKIP_DIRS.has(name) || name.startsWith('.')) continue;
        const child = join(path, name);
        let isDir: boolean;
        try {
          isDir = statSync(child).isDirectory();
        } catch {
          continue;
        }
        if (isDir || isLintable(name)) visit(child, false);
      }
    } else if (!st.isFile()) {
      // FIFOs, sockets and devices would block or never end: only regular files are read.
      problems.push(`${path}: skipped, not a regular file`);
    } else if (explicit || isLintable(path)) {
      out.push({ path, shown: absolute ? path : relative(io.cwd, path) || path });
    }
  };
  for (const input of inputs) {
    absolute = isAbsolute(input);
    visit(absolute ? input : resolve(io.cwd, input), true);
  }
  return out;
}

/** Files of one run as importable modules: `pkg/models.py` is "pkg.models" and, for sibling imports, "models". */
function moduleMap(texts: ReadonlyArray<{ path: string; text: string }>): Record<string, string> {
  const out: Record<string, string> = {};
  if (texts.length < 2 || texts.length > 500) return out;
  for (const { path, text } of texts) {
    const parts = path.replace(/\.py$/, '').split(/[\\/]/);
    if (parts[parts.length - 1] === '__init__') parts.pop();
    // Every dotted suffix: "models", "pkg.models", ... (the import root is not known).
    for (let i = parts.length - 1; i >= Math.max(0, parts.length - 4); i--) {
      const name = parts.slice(i).join('.');
      if (name && !(name in out)) out[name] = text;
    }
  }
  return out;
}

function decode(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

function sarif(findings: JsonFinding[]): unknown {
  const level = (s: Finding['severity']): string => (s === 'info' ? 'note' : s);
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'seglens-lint',
            informationUri: 'https://github.com/seglens/seglens',
            rules: engine().RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.summary },
              helpUri: r.docs,
              defaultConfiguration: { level: level(r.severity) },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => ({
          ruleId: f.rule,
          level: level(f.severity),
          message: { text: f.cell !== undefined ? `cell ${f.cell}: ${f.message}` : f.message },
          ...(f.cell !== undefined ? { properties: { cell: f.cell } } : {}),
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file.split('\\').join('/') },
                region: {
                  startLine: f.line,
                  startColumn: f.column,
                  endLine: f.endLine,
                  endColumn: f.endColumn,
                },
              },
            },
          ],
        })),
      },
    ],
  };
}

export const lintCommand: CliCommand = {
  name: 'lint',
  summary: 'check hand-written Dice/IoU/focal loss code for segmentation mistakes',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, { values: ['format', 'layout'], booleans: ['json'] });
    if (args.positionals.length === 0) throw new UsageError('give at least one FILE or DIR');
    const formatFlag = flag(args, 'format');
    if (formatFlag !== undefined && !(FORMATS as readonly string[]).includes(formatFlag)) {
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got '${formatFlag}'`);
    }
    if (formatFlag !== undefined && args.booleans.has('json') && formatFlag !== 'json') {
      throw new UsageError('--json conflicts with --format ' + formatFlag);
    }
    const format: Format =
      (formatFlag as Format | undefined) ?? (args.booleans.has('json') ? 'json' : 'text');
    const layoutFlag = flag(args, 'layout') ?? 'auto';
    const layoutUpper = layoutFlag === 'auto' ? 'auto' : layoutFlag.toUpperCase();
    if (!(LAYOUTS as readonly string[]).includes(layoutUpper)) {
      throw new UsageError(`--layout must be one of ${LAYOUTS.join(', ')}, got '${layoutFlag}'`);
    }
    // The CLI is not waiting on a keystroke: it lints anything under its own byte cap.
    const options: LintOptions = { layout: layoutUpper as Layout | 'auto', maxLength: MAX_FILE_BYTES };

    const problems: string[] = [];
    const files = collectFiles(args.positionals, io, problems);
    // Read everything first: the files of one run are each other's modules (a model head in one file, the
    // loss that consumes it in another).
    const texts: Array<{ path: string; shown: string; text: string }> = [];
    for (const { path: file, shown } of files) {
      let bytes: Uint8Array;
      try {
        const size = statSync(file).size;
        if (size > MAX_FILE_BYTES) {
          problems.push(`${shown}: skipped, ${size} bytes is over the ${MAX_FILE_BYTES}-byte limit for lint`);
          continue;
        }
        bytes = readFileSync(file);
      } catch (e) {
        problems.push(`${shown}: cannot read (${errorMessage(e)})`);
        continue;
      }
      const text = decode(bytes);
      if (text === undefined) {
        problems.push(`${shown}: skipped, not valid UTF-8 text`);
        continue;
      }
      texts.push({ path: file, shown, text });
    }
    // A file linted alone still imports its siblings (`from heads import MaskHead`): read them as modules only.
    const context = [...texts];
    const seen = new Set(texts.map((t) => t.path));
    for (const input of args.positionals) {
      const path = isAbsolute(input) ? input : resolve(io.cwd, input);
      if (!path.endsWith('.py') || !seen.has(path)) continue;
      let siblings: string[];
      try {
        siblings = readdirSync(dirname(path)).filter((n) => n.endsWith('.py'));
      } catch {
        continue;
      }
      for (const name of siblings.slice(0, 200)) {
        const sibling = join(dirname(path), name);
        if (seen.has(sibling)) continue;
        seen.add(sibling);
        try {
          if (statSync(sibling).size > SIBLING_MAX_BYTES) continue;
          const text = decode(readFileSync(sibling));
          if (text !== undefined) context.push({ path: sibling, shown: sibling, text });
        } catch {
          // An unreadable sibling is only missing context, not an input error.
        }
      }
    }
    const modules = moduleMap(context);
    // Project modules that files named on the command line import from other folders (`from utils.metrics import
    // soft_dice` in losses.py): resolved like the editor does, from the file's folder up to the working directory.
    if (texts.length <= 20) {
      const read = diskReader();
      for (const t of texts) {
        if (!t.path.endsWith('.py')) continue;
        const found = await resolveModules(t.path, t.text, { roots: [io.cwd], read });
        for (const [name, text] of Object.entries(found.modules))
          if (!(name in modules)) modules[name] = text;
      }
    }
    if (Object.keys(modules).length) options.modules = modules;
    let linter: Linter | undefined;
    const results: JsonFinding[] = [];
    const push = (shown: string, f: Finding, cell?: number): void => {
      results.push({
        file: shown,
        ...(cell !== undefined ? { cell } : {}),
        line: f.range.start.line + 1,
        column: f.range.start.character + 1,
        endLine: f.range.end.line + 1,
        endColumn: f.range.end.character + 1,
        rule: f.rule,
        severity: f.severity,
        message: f.message,
      });
    };
    for (const { path: file, shown, text } of texts) {
      if (!file.endsWith('.ipynb') && isBlank(text)) continue;
      linter ??= await engine().createLinter({ wasm: wasmBytes() });
      if (file.endsWith('.ipynb')) {
        let nb;
        try {
          nb = notebookCode(text, shown);
        } catch (e) {
          problems.push(`${shown}: ${errorMessage(e)}`);
          continue;
        }
        if (nb.otherLanguage) continue;
        for (const { cell, findings } of engine().lintNotebookCells(linter, nb.cells, options)) {
          for (const f of findings) push(shown, f, nb.cellNumbers[cell]);
        }
        continue;
      }
      const { findings, tree } = linter.lint(text, options);
      tree.dispose();
      for (const f of findings) push(shown, f);
    }
    linter?.dispose();
    for (const p of problems) io.stderr(`seglens lint: ${p}\n`);

    if (format === 'json') io.stdout(JSON.stringify(results, null, 2) + '\n');
    else if (format === 'sarif') io.stdout(JSON.stringify(sarif(results), null, 2) + '\n');
    else {
      for (const r of results) {
        const where = r.cell !== undefined ? `${r.file}#cell${r.cell}` : r.file;
        io.stdout(`${where}:${r.line}:${r.column}: ${r.severity} ${r.rule} ${r.message}\n`);
      }
      const count = (s: Finding['severity']): number => results.filter((r) => r.severity === s).length;
      io.stdout(
        `${results.length} finding${results.length === 1 ? '' : 's'} (${count('error')} errors, ${count('warning')} ` +
          `warnings, ${count('info')} info) in ${files.length} file${files.length === 1 ? '' : 's'}\n`,
      );
    }
    if (problems.length) return 2;
    return results.some((r) => r.severity === 'error') ? 1 : 0;
  },
};

/**
 * Every pointer in the code and the docs resolves inside the repository (issue 10). A clone has no design-notes
 * folder beside it, so a comment that points into that folder or names a doc that was never written is a dead
 * end for the reader. Scanned: src/, webview/, test/ (of test/fixtures only the *.md files: the rest is data),
 * docs/, tools/, bench/, demo/*.md, README.md, CONTRIBUTING.md and CHANGELOG.md. Three kinds of pointer are checked:
 *
 * 1. pointers out of the repository: the design-notes folder beside the checkout (by relative or absolute path), or
 *    a bare name of one of its three documents (the design, the style and the harness notes);
 * 2. repository-relative paths written in text (`docs/….md`, `src/….ts`, `test/fixtures/…`, …): the file must
 *    exist; a `docs/x.md §N` section must be a heading of that file, and `docs/style.md habit N` one of its habits;
 * 3. relative markdown links `[text](target)` in .md files: the target must exist (web links and #anchors are
 *    not checked).
 *
 * Placeholders such as `LLxxx_<name>.ts` or `test/fixtures/lint/*.py` are not pointers and are skipped.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { REPO } from '../../support/repo';

/** This file: skipped by the scan, since its self-check holds dead pointers on purpose. */
const SELF = 'test/unit/architecture/pointers.test.ts';

export interface DeadPointer {
  file: string;
  line: number;
  pointer: string;
  why: string;
}

/** What the scanner needs to know about the repository (a fake one in the self-check below). */
export interface RepoView {
  exists(path: string): boolean;
  read(path: string): string | undefined;
}

const OUT_OF_REPO = /\.\.\/shared\b|\/work\/shared\b|(?<![\w./-])(?:DESIGN|STYLE|HARNESS)\.md\b/g;

/** Top folders whose paths are written repository-relative in comments and docs. */
const ROOTS = ['docs', 'src', 'test', 'tools', 'bench', 'webview', 'media', 'demo'];
const EXTENSIONS = ['md', 'ts', 'mjs', 'js', 'json', 'py', 'sh', 'css', 'png', 'npy', 'npz', 'onnx'];
const REPO_PATH = new RegExp(
  `(?<![\\w./@-])((?:${ROOTS.join('|')})/[\\w./-]*?\\.(?:${EXTENSIONS.join('|')}))(?![\\w*<{-])`,
  'g',
);
/** test/fixtures/<folder> without an extension: the folder must exist. */
const FIXTURE_DIR = /(?<![\w./@-])(test\/fixtures\/[\w-]+)(?![\w.*<{/-])/g;
const SECTION = /(?<![\w./@-])(docs\/[\w./-]+\.md)`?,? §(\d+(?:\.\d+)*)/g;
/**
 * `specs/x.md` or `fixtures/x` without the folder in front: the design notes' own spelling. Such a pointer must
 * resolve next to the file that holds it, or as docs/specs/… or test/fixtures/… of this repository.
 */
const BARE = /(?<![\w./@-])((specs)\/[\w.-]+\.md|(fixtures)\/[\w.-]+(?:\/[\w.-]+)*)/g;
const HABIT = /docs\/style\.md`?,? habits? (\d+)/g;
const MD_LINK = /!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;

/** Written as an example or a pattern, not as a file name. */
function isPlaceholder(p: string): boolean {
  return /xxx|NNN|ZZZ|<|\{|\*|…|\.\.\.|\$/i.test(p) || /\/[A-Za-z]\.\w+$/.test(p);
}

/** The heading numbers of a markdown text: "## 4. The CLI" → "4", "### 0.4 Keys" → "0.4". */
function headingNumbers(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/^#{1,6}\s+§?(\d+(?:\.\d+)*)\.?\s/gm)) out.add(m[1]!);
  return out;
}

/** The number of items in the "Ten habits" list of docs/style.md. */
function habitCount(text: string): number {
  const start = text.search(/^##.*habits/im);
  if (start < 0) return 0;
  const rest = text.slice(start).split(/\n## /)[0]!;
  return [...rest.matchAll(/^(\d+)\.\s/gm)].length;
}

/** The dead pointers of one file's text. `file` is repository-relative, '/'-separated. */
export function scanText(file: string, text: string, repo: RepoView): DeadPointer[] {
  const dead: DeadPointer[] = [];
  const lines = text.split('\n');
  const isMarkdown = file.endsWith('.md');
  lines.forEach((lineText, i) => {
    const line = i + 1;
    const report = (pointer: string, why: string) => dead.push({ file, line, pointer, why });
    for (const m of lineText.matchAll(OUT_OF_REPO)) report(m[0], 'points outside the repository');
    for (const m of lineText.matchAll(REPO_PATH)) {
      const p = m[1]!;
      if (!isPlaceholder(p) && !repo.exists(p)) report(p, 'no such file in the repository');
    }
    for (const m of lineText.matchAll(FIXTURE_DIR)) {
      const p = m[1]!;
      if (!isPlaceholder(p) && !repo.exists(p)) report(p, 'no such folder in the repository');
    }
    for (const m of lineText.matchAll(BARE)) {
      const p = m[1]!;
      const home = m[2] ? `docs/${p}` : `test/${p}`;
      const here = posix.normalize(posix.join(posix.dirname(file), p));
      if (!isPlaceholder(p) && !repo.exists(here) && !repo.exists(home))
        report(p, `neither ${here} nor ${home} exists in the repository`);
    }
    for (const m of lineText.matchAll(SECTION)) {
      const [, doc, section] = m;
      const target = repo.read(doc!);
      if (target !== undefined && !headingNumbers(target).has(section!))
        report(`${doc} §${section}`, `${doc} has no section ${section}`);
    }
    for (const m of lineText.matchAll(HABIT)) {
      const style = repo.read('docs/style.md');
      const n = Number(m[1]);
      if (style !== undefined && !(n >= 1 && n <= habitCount(style)))
        report(m[0], `docs/style.md has no habit ${n}`);
    }
    if (isMarkdown) {
      for (const m of lineText.matchAll(MD_LINK)) {
        const target = m[1]!.split('#')[0]!;
        if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(m[1]!)) continue;
        const resolved = target.startsWith('/')
          ? target.slice(1)
          : posix.normalize(posix.join(posix.dirname(file), decodeURIComponent(target)));
        if (resolved.startsWith('..') || !repo.exists(resolved.replace(/\/$/, '')))
          report(m[1]!, 'link target does not resolve inside the repository');
      }
    }
  });
  return dead;
}

/** The files to scan, repository-relative. */
function scannedFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string, keep: (rel: string) => boolean): void => {
    const abs = join(REPO, dir);
    if (!existsSync(abs)) return;
    for (const name of readdirSync(abs)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const rel = posix.join(dir, name);
      if (statSync(join(REPO, rel)).isDirectory()) walk(rel, keep);
      else if (keep(rel)) out.push(rel);
    }
  };
  const all = () => true;
  for (const dir of ['src', 'webview', 'docs', 'tools', 'bench']) walk(dir, all);
  walk('test', (rel) => (!rel.startsWith('test/fixtures/') || rel.endsWith('.md')) && rel !== SELF);
  walk('demo', (rel) => rel.endsWith('.md') && !rel.includes('/', 'demo/'.length));
  for (const f of ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md'])
    if (existsSync(join(REPO, f))) out.push(f);
  return out.sort();
}

function readText(rel: string): string | undefined {
  const abs = join(REPO, rel);
  if (!existsSync(abs) || !statSync(abs).isFile()) return undefined;
  const bytes = readFileSync(abs);
  // Images, models and other binaries hold no pointers.
  if (bytes.length > 2_000_000 || bytes.includes(0)) return undefined;
  return bytes.toString('utf8');
}

const realRepo: RepoView = {
  exists: (p) => existsSync(join(REPO, p)),
  read: readText,
};

describe('pointers in code and docs', () => {
  it('the scanner reports a dead pointer of every kind (so this test can fail)', () => {
    const fake: RepoView = {
      exists: (p) =>
        [
          'docs/architecture.md',
          'docs/style.md',
          'docs/specs',
          'docs/specs/metrics.md',
          'test/fixtures/rankseg',
        ].includes(p),
      read: (p) =>
        p === 'docs/architecture.md'
          ? '# A\n## 1. Zones\n### 1.2 Rules\n'
          : p === 'docs/style.md'
            ? '## Ten habits\n1. one\n2. two\n'
            : undefined,
    };
    // The out-of-repo names are assembled, so this file itself holds no such pointer.
    const notes = ['..', 'shared'].join('/');
    const harness = ['HARNESS', 'md'].join('.');
    const text = [
      `// see ${notes}/${['DESIGN', 'md'].join('.')} §2 and ${harness}`, // out of the repo (twice)
      '// the rules are in docs/specs/missing.md and src/core/nothing.ts', // two missing files
      '// fixtures in test/fixtures/nowhere', // a missing fixture folder
      '// docs/architecture.md §1, §1.2 and docs/architecture.md §9', // §9 does not exist
      '// docs/style.md habit 2, docs/style.md habit 7', // habit 7 does not exist
      '// placeholders: src/core/lint/rules/LLxxx_<name>.ts, test/fixtures/lint/*.py', // not pointers
      '// as in specs/metrics.md and specs/decoders.md, cases in fixtures/rankseg/', // bare: one missing
    ].join('\n');
    const found = scanText('src/example.ts', text, fake).map((d) => `${d.line}:${d.pointer}`);
    assert.deepEqual(found, [
      `1:${notes}`,
      `1:${harness}`,
      '2:docs/specs/missing.md',
      '2:src/core/nothing.ts',
      '3:test/fixtures/nowhere',
      '4:docs/architecture.md §9',
      '5:docs/style.md habit 7',
      '7:specs/decoders.md',
    ]);
    const md =
      'See [the zones](architecture.md#zones), [specs](specs/), [web](https://x.org) and [gone](gone.md).';
    const links = scanText('docs/readme.md', md, fake).map((d) => d.pointer);
    assert.deepEqual(links, ['gone.md']);
    assert.deepEqual(
      scanText('docs/a.md', '[up](../../outside.md)', fake).map((d) => d.why),
      ['link target does not resolve inside the repository'],
    );
  });

  it('every pointer resolves inside the repository', () => {
    const files = scannedFiles();
    assert.ok(files.length > 200, `only ${files.length} files scanned; is the walk broken?`);
    const dead = files.flatMap((f) => {
      const text = readText(f);
      return text === undefined ? [] : scanText(f, text, realRepo);
    });
    const list = dead.map((d) => `  ${d.file}:${d.line}: ${d.pointer} (${d.why})`);
    assert.equal(
      dead.length,
      0,
      `${dead.length} dead pointer(s); fix the pointer, or write the file it names:\n${list.join('\n')}`,
    );
  });

  it('scans the folders the issue names', () => {
    const files = scannedFiles();
    for (const prefix of ['src/', 'webview/', 'test/', 'docs/', 'tools/', 'bench/'])
      assert.ok(
        files.some((f) => f.startsWith(prefix)),
        `nothing scanned under ${prefix}`,
      );
    assert.ok(!files.some((f) => f.startsWith('test/fixtures/') && !f.endsWith('.md')));
  });
});

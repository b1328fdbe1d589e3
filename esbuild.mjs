// Builds the four bundles: extension host, worker, webview and CLI. `node esbuild.mjs [--watch] [--production]`.
import * as esbuild from 'esbuild';
import process from 'node:process';
import { readFileSync, existsSync, mkdirSync, copyFileSync, cpSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  define: { SEGLENS_VERSION: JSON.stringify(pkg.version) },
};
// Native modules and the editor API are never bundled: they are loaded at run time (lazily).
const nodeExternals = ['vscode', 'sharp', 'onnxruntime-node'];

// CLI start-up (docs/performance.md): dist/cli.js holds only the command table of src/cli/main.ts; each command is
// its own bundle dist/cli-<name>.js, which the table's loader requires when that command runs. So
// `seglens --version` compiles a few kB instead of the whole CLI, and `seglens lint` only the lint command. The
// commands are the table's `require('./commands/<name>')` loaders. The lint command's engine (parser and rules,
// required only when a file has something to parse) is a bundle of its own too: linting empty files loads neither.
const cliCommands = [
  ...readFileSync('src/cli/main.ts', 'utf8').matchAll(/require\('\.\/commands\/(\w+)'\)/g),
].map((m) => m[1]);
const cliParts = {
  ...Object.fromEntries(cliCommands.map((n) => [`cli-${n}`, `src/cli/commands/${n}.ts`])),
  'cli-lint-engine': 'src/core/lint/index.ts',
  'cli-errors': 'src/core/errors.ts',
  'cli-command': 'src/cli/command.ts',
};
// The error classes main.ts tells apart by `instanceof` (InputError, OptionError: exit 2; UsageError: exit 2 with
// the usage) must be one class in every bundle, or a command's bad input would be an "internal error" (exit 3):
// each is a bundle of its own that every CLI bundle requires.
const CLI_SHARED = { 'src/core/errors.ts': 'cli-errors', 'src/cli/command.ts': 'cli-command' };
/** Which `require(path)` of which file becomes a run-time require of another bundle in dist/. */
const CLI_APART = [
  { importer: /src[\\/]cli[\\/]main\.ts$/, path: /^\.\/commands\/(\w+)$/, bundle: (m) => `cli-${m[1]}` },
  {
    importer: /src[\\/]cli[\\/]commands[\\/]lint\.ts$/,
    path: /^\.\.\/\.\.\/core\/lint$/,
    bundle: () => 'cli-lint-engine',
  },
];
const cliPartsApart = {
  name: 'cli-parts-apart',
  setup(build) {
    build.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const target = relative(process.cwd(), resolve(args.resolveDir, args.path)).split(sep).join('/');
      const shared = CLI_SHARED[`${target}.ts`] ?? CLI_SHARED[target];
      if (shared) return { path: `./${shared}.js`, external: true };
      if (args.kind !== 'require-call') return undefined;
      for (const rule of CLI_APART) {
        const m = rule.path.exec(args.path);
        if (m && rule.importer.test(args.importer)) return { path: `./${rule.bundle(m)}.js`, external: true };
      }
      return undefined;
    });
  },
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
    plugins: [cliPartsApart],
  },
  {
    ...common,
    entryPoints: cliParts,
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
    plugins: [cliPartsApart],
  },
  {
    ...common,
    entryPoints: ['src/node/workers/worker.ts'],
    outfile: 'dist/worker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
  },
  {
    ...common,
    entryPoints: ['src/node/model/modelWorker.ts'],
    outfile: 'dist/modelWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
  },
  {
    ...common,
    entryPoints: ['src/node/lint/lintWorker.ts'],
    outfile: 'dist/lintWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
  },
  {
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.ttf': 'file' },
  },
  {
    ...common,
    entryPoints: ['src/vscode/dataset/planWorker.ts'],
    outfile: 'dist/datasetPlanWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
  },
  {
    ...common,
    entryPoints: ['webview/dataset/main.ts'],
    outfile: 'dist/dataset.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.ttf': 'file' },
  },
  {
    // The three-plane volume viewer (its own panel, src/vscode/volume/).
    ...common,
    entryPoints: ['webview/volume/main.ts'],
    outfile: 'dist/volume.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
].filter((b) => Object.values(b.entryPoints).every((e) => existsSync(e)));

// The webview loads codicons from dist/ (its localResourceRoots are dist/ and media/ only), so the font and its
// style sheet are copied there next to the bundles.
function copyAssets() {
  mkdirSync('dist', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf'])
    copyFileSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/${f}`);
  // The loss linter's parser (two WebAssembly modules) and its rule pages, opened from diagnostics, ship in dist/
  // too: the VSIX leaves docs/ out, and dist/ keeps the extension independent of node_modules' layout.
  copyFileSync('node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/tree-sitter.wasm');
  copyFileSync('node_modules/tree-sitter-python/tree-sitter-python.wasm', 'dist/tree-sitter-python.wasm');
  if (existsSync('docs/rules')) cpSync('docs/rules', 'dist/docs/rules', { recursive: true });
}
copyAssets();

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}

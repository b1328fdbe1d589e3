// `npm run package [-- --target <t> | --all]`: platform VSIXes through @vscode/vsce (targets in targets.ts; the
// host's own by default), each followed by a check of what went in: the bundles, sharp with that platform's @img
// packages, onnxruntime-node with that platform's binaries only, and no sources, tests or test host; its size is
// reported against the target's budget. `--check` also installs the host's VSIX into a fresh harness code-server
// (`--install-extension`) and proves it activates there.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { bundleForHost } from './buildSuite';
import { repoRoot } from './server';
import { runIntegrationSuite, type SuiteOutcome } from './suite';
import { TARGETS, VsixTarget, checkVsixEntries, findTarget, hostTarget } from './targets';

/** Entry names of a zip file, read without inflating anything. */
export function zipEntries(file: string): string[] {
  const names: string[] = [];
  unzipSync(readFileSync(file), {
    filter: (entry) => {
      names.push(entry.name);
      return false;
    },
  });
  return names;
}

/** What goes into the staging folder from the repository (the rest comes from `npm ci` for the target). */
const STAGED = [
  'package.json',
  'package-lock.json',
  '.vscodeignore',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'dist',
  'media',
];

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

/**
 * Builds the VSIX of one target: the production bundles are built once in the repository; a staging folder gets
 * them plus a production `node_modules` installed by `npm ci --os --cpu` for that target (so sharp's native
 * packages are the target's, fetched from the npm registry), and a `.vscodeignore` that keeps only the target's
 * onnxruntime binaries. vsce then packages the staging folder. Returns the VSIX path.
 */
export function packageVsix(target: VsixTarget, options: { build?: boolean } = {}): string {
  if (options.build !== false) run('node', ['esbuild.mjs', '--production'], repoRoot);
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    scripts?: Record<string, string>;
  };
  const stage = path.join(repoRoot, 'out', 'package', target.name);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  for (const f of STAGED) cpSync(path.join(repoRoot, f), path.join(stage, f), { recursive: true });
  // The bundles are already built: vsce must not run the build again in a folder without dev dependencies.
  delete pkg.scripts?.['vscode:prepublish'];
  writeFileSync(path.join(stage, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  const ortKeep = target.ortDir;
  const ortDrop = ['darwin/arm64', 'darwin/x64', 'linux/arm64', 'linux/x64', 'win32/arm64', 'win32/x64']
    .filter((d) => d !== ortKeep)
    .map((d) => `node_modules/onnxruntime-node/bin/napi-v*/${d}/**`);
  const ignore = readFileSync(path.join(stage, '.vscodeignore'), 'utf8')
    .split('\n')
    .filter((l) => !/^node_modules\/onnxruntime-node\/bin\//.test(l))
    .concat([`# ${target.name}: onnxruntime binaries of the other platforms`, ...ortDrop, ''])
    .join('\n');
  writeFileSync(path.join(stage, '.vscodeignore'), ignore);
  run(
    'npm',
    [
      'ci',
      '--omit=dev',
      `--os=${target.os}`,
      `--cpu=${target.cpu}`,
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
    ],
    stage,
    { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
  );
  const out = path.join(repoRoot, `${pkg.name}-${pkg.version}-${target.name}.vsix`);
  const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  run(
    'node',
    [
      vsce,
      'package',
      '--allow-missing-repository',
      '--no-rewrite-relative-links',
      '--target',
      target.name,
      '--out',
      out,
    ],
    stage,
  );
  return out;
}

/** Installs the VSIX into a fresh harness code-server and runs the activation probe there. */
export async function checkInstall(vsix: string): Promise<boolean> {
  const outcome = await installOutcome(vsix);
  return outcome.ok && outcome.failed === 0;
}

/**
 * `npm test`'s packaging stage: the host's VSIX built as a release would be, its content checked (each problem
 * counts as a failure), then installed into a fresh harness VS Code and exercised there.
 */
export async function packageStage(): Promise<SuiteOutcome> {
  const target = hostTarget();
  const vsix = packageVsix(target);
  const problems = checkVsixEntries(zipEntries(vsix), target);
  report(vsix, target);
  const install = await installOutcome(vsix);
  return {
    ...install,
    failed: install.failed + problems.length,
    ok: install.ok && problems.length === 0,
    problem: problems.length ? `VSIX content: ${problems.join('; ')}` : install.problem,
  };
}

async function installOutcome(vsix: string): Promise<SuiteOutcome> {
  const probeDir = path.join(repoRoot, 'out', 'vsix-probe');
  const suiteDir = path.join(probeDir, 'suite');
  const extDir = path.join(probeDir, 'ext');
  const outcome = await runIntegrationSuite({
    name: 'vsix',
    installExtensions: [vsix],
    // The suite needs an extension under development to run in; an empty one keeps the installed copy the only
    // SegLens in the host.
    extensionDevelopmentPath: extDir,
    build: async () => {
      await bundleForHost(suiteDir, [
        { in: path.join(repoRoot, 'test', 'integration', 'index.ts'), out: 'index' },
        {
          in: path.join(repoRoot, 'test', 'harness-selftest', 'vsix', 'installedExtension.probe.ts'),
          out: 'installedExtension.test',
        },
      ]);
      mkdirSync(extDir, { recursive: true });
      writeFileSync(
        path.join(extDir, 'package.json'),
        JSON.stringify({
          name: 'vsix-probe',
          publisher: 'seglens-test',
          version: '0.0.0',
          engines: { vscode: '^1.90.0' },
        }),
      );
      return { entry: path.join(suiteDir, 'index.js'), tests: 1 };
    },
  });
  console.log(
    `VSIX install check: ${outcome.passed} passed, ${outcome.failed} failed${outcome.ok ? '' : ` — ${outcome.problem}`}`,
  );
  return outcome;
}

/** Checks one VSIX's file list and size; prints a line per problem. */
function report(vsix: string, target: VsixTarget): boolean {
  const entries = zipEntries(vsix);
  const problems = checkVsixEntries(entries, target);
  const mb = statSync(vsix).size / 1024 / 1024;
  const budget =
    mb <= target.budgetMb
      ? `within its ${target.budgetMb} MB budget`
      : `OVER its ${target.budgetMb} MB budget`;
  console.log(
    `${path.relative(process.cwd(), vsix)}: ${entries.length} files, ${mb.toFixed(1)} MB (${budget})`,
  );
  for (const problem of problems) console.log(`  problem: ${problem}`);
  return problems.length === 0;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const targetAt = args.indexOf('--target');
  const targets = args.includes('--all')
    ? [...TARGETS]
    : [targetAt >= 0 ? findTarget(args[targetAt + 1] ?? '') : hostTarget()];
  const given = args.find((a) => a.endsWith('.vsix'));
  let ok = true;
  let built = false;
  const vsixes: [string, VsixTarget][] = [];
  for (const target of targets) {
    const vsix = given ? path.resolve(given) : packageVsix(target, { build: !built });
    built = true;
    vsixes.push([vsix, target]);
  }
  for (const [vsix, target] of vsixes) ok = report(vsix, target) && ok;
  if (!ok) return 1;
  if (args.includes('--check')) {
    const host = vsixes.find(([, t]) => t.name === hostTarget().name);
    if (!host) throw new Error(`--check installs the host's VSIX (${hostTarget().name}); it was not built`);
    return (await checkInstall(host[0])) ? 0 : 1;
  }
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}

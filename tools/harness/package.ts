// `npm run package`: a linux-x64 VSIX through @vscode/vsce (which runs `vscode:prepublish`, the production build),
// then a check of what went in: the bundles, sharp with its linux-x64 @img packages, onnxruntime-node with its
// linux/x64 binaries only, and no sources, tests or test host. `--check` also installs the VSIX into a fresh
// harness code-server (`--install-extension`) and proves it activates there.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { bundleForHost } from './buildSuite';
import { repoRoot } from './server';
import { runIntegrationSuite } from './suite';

const TARGET = 'linux-x64';

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

/** Problems with a VSIX's file list; empty when it holds what a linux-x64 install needs and nothing it must not. */
export function checkVsixEntries(entries: string[]): string[] {
  const problems: string[] = [];
  const has = (pattern: RegExp): boolean => entries.some((name) => pattern.test(name));
  const required: [string, RegExp][] = [
    ['the manifest', /^extension\/package\.json$/],
    ['the extension bundle', /^extension\/dist\/extension\.js$/],
    ['the webview bundle', /^extension\/dist\/webview\.js$/],
    ['sharp', /^extension\/node_modules\/sharp\/package\.json$/],
    ['sharp’s linux-x64 addon', /^extension\/node_modules\/@img\/sharp-linux-x64\/lib\/.+\.node$/],
    ['libvips for linux-x64', /^extension\/node_modules\/@img\/sharp-libvips-linux-x64\/lib\/libvips/],
    [
      'onnxruntime-node’s linux/x64 binding',
      /^extension\/node_modules\/onnxruntime-node\/bin\/napi-v\d+\/linux\/x64\/onnxruntime_binding\.node$/,
    ],
    [
      'libonnxruntime for linux/x64',
      /^extension\/node_modules\/onnxruntime-node\/bin\/napi-v\d+\/linux\/x64\/libonnxruntime\.so/,
    ],
  ];
  for (const [what, pattern] of required)
    if (!has(pattern)) problems.push(`missing ${what} (${pattern.source})`);
  const forbidden: [string, RegExp][] = [
    ['sources', /^extension\/(src|webview|tools|bench)\//],
    ['tests', /^extension\/(test|out|test-output)\//],
    ['the test host', /^extension\/\.vscode-test(-host)?\//],
    ['TypeScript files', /^extension\/(?!node_modules\/).*\.ts$/],
    [
      'onnxruntime binaries of other platforms',
      /onnxruntime-node\/bin\/napi-v\d+\/(darwin|win32|linux\/arm64)\//,
    ],
    ['sharp binaries of other platforms', /node_modules\/@img\/sharp-(?!linux-x64|libvips-linux-x64)[a-z]+-/],
  ];
  for (const [what, pattern] of forbidden) {
    const hits = entries.filter((name) => pattern.test(name));
    if (hits.length)
      problems.push(`contains ${what}: ${hits.slice(0, 3).join(', ')}${hits.length > 3 ? ', …' : ''}`);
  }
  return problems;
}

/** Runs vsce and returns the VSIX path. */
export function packageVsix(): string {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const out = path.join(repoRoot, `${pkg.name}-${pkg.version}-${TARGET}.vsix`);
  const run = spawnSync(
    'npx',
    [
      'vsce',
      'package',
      '--allow-missing-repository',
      '--no-rewrite-relative-links',
      '--target',
      TARGET,
      '--out',
      out,
    ],
    {
      cwd: repoRoot,
      stdio: 'inherit',
    },
  );
  if (run.status !== 0) throw new Error(`vsce package exited with ${run.status ?? run.signal}`);
  return out;
}

/** Installs the VSIX into a fresh harness code-server and runs the activation probe there. */
export async function checkInstall(vsix: string): Promise<boolean> {
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
  return outcome.ok && outcome.failed === 0;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const given = args.find((a) => a.endsWith('.vsix'));
  const vsix = given ? path.resolve(given) : packageVsix();
  const entries = zipEntries(vsix);
  const problems = checkVsixEntries(entries);
  const mb = (statSync(vsix).size / 1024 / 1024).toFixed(1);
  console.log(`${path.relative(process.cwd(), vsix)}: ${entries.length} files, ${mb} MB`);
  for (const problem of problems) console.log(`  problem: ${problem}`);
  if (problems.length) return 1;
  if (args.includes('--check')) return (await checkInstall(vsix)) ? 0 : 1;
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

// The platforms SegLens ships a VSIX for, one row each: vsce's target name, npm's os/cpu (which pick sharp's
// @img/<os>-<cpu> packages when `npm ci --os --cpu` installs the production tree for that target) and the folder of
// onnxruntime-node's binaries for it. onnxruntime-node ships all its platforms in one package; a VSIX keeps only
// its own. Adding a platform is one row here.

export interface VsixTarget {
  /** vsce `--target`, also the VSIX file-name suffix. */
  name: string;
  /** npm `--os` / `--cpu`: what `npm ci` installs optional native packages for. */
  os: 'win32' | 'darwin' | 'linux';
  cpu: 'x64' | 'arm64';
  /** onnxruntime-node's `bin/napi-v6/<dir>/` (any napi version) for this platform; null when the package ships none. */
  ortDir: string | null;
  /** The files that carry onnxruntime itself beside its binding. */
  ortLibrary: RegExp | null;
  /** Compressed size budget in MB, reported by `npm run package` (never asserted in tests). */
  budgetMb: number;
}

export const TARGETS: readonly VsixTarget[] = [
  {
    name: 'linux-x64',
    os: 'linux',
    cpu: 'x64',
    ortDir: 'linux/x64',
    ortLibrary: /libonnxruntime\.so/,
    budgetMb: 40,
  },
  {
    name: 'linux-arm64',
    os: 'linux',
    cpu: 'arm64',
    ortDir: 'linux/arm64',
    ortLibrary: /libonnxruntime\.so/,
    budgetMb: 35,
  },
  {
    name: 'darwin-arm64',
    os: 'darwin',
    cpu: 'arm64',
    ortDir: 'darwin/arm64',
    ortLibrary: /libonnxruntime\.[\d.]*dylib/,
    budgetMb: 55,
  },
  // onnxruntime-node 1.30 ships no macOS x64 binary: this VSIX views, lints and decodes, and says why it cannot
  // run models (src/node/model/ort.ts).
  { name: 'darwin-x64', os: 'darwin', cpu: 'x64', ortDir: null, ortLibrary: null, budgetMb: 25 },
  {
    name: 'win32-x64',
    os: 'win32',
    cpu: 'x64',
    ortDir: 'win32/x64',
    ortLibrary: /onnxruntime\.dll$/,
    budgetMb: 50,
  },
  {
    name: 'win32-arm64',
    os: 'win32',
    cpu: 'arm64',
    ortDir: 'win32/arm64',
    ortLibrary: /onnxruntime\.dll$/,
    budgetMb: 50,
  },
];

export function findTarget(name: string): VsixTarget {
  const t = TARGETS.find((x) => x.name === name);
  if (!t) throw new Error(`unknown target "${name}"; one of: ${TARGETS.map((x) => x.name).join(', ')}`);
  return t;
}

/** The host's own target, e.g. linux-x64 here. */
export function hostTarget(): VsixTarget {
  return findTarget(`${process.platform}-${process.arch}`);
}

const ORT_DIRS = ['darwin/arm64', 'darwin/x64', 'linux/arm64', 'linux/x64', 'win32/arm64', 'win32/x64'];

/** Problems with a VSIX's file list for `target`; empty when it holds what an install needs and nothing it must not. */
export function checkVsixEntries(entries: readonly string[], target: VsixTarget): string[] {
  const problems: string[] = [];
  const has = (pattern: RegExp): boolean => entries.some((name) => pattern.test(name));
  const sharpPlatform = `${target.os}-${target.cpu}`;
  const addon = /lib\/.+\.node$/;
  const required: [string, RegExp][] = [
    ['the manifest', /^extension\/package\.json$/],
    ['the extension bundle', /^extension\/dist\/extension\.js$/],
    ['the webview bundle', /^extension\/dist\/webview\.js$/],
    ['the CLI bundle', /^extension\/dist\/cli\.js$/],
    ['sharp', /^extension\/node_modules\/sharp\/package\.json$/],
    [
      `sharp’s ${sharpPlatform} addon`,
      new RegExp(`^extension/node_modules/@img/sharp-${sharpPlatform}/${addon.source}`),
    ],
    ['onnxruntime-node', /^extension\/node_modules\/onnxruntime-node\/package\.json$/],
  ];
  // On Windows libvips is inside sharp's own @img package; elsewhere it is a separate one.
  if (target.os !== 'win32') {
    required.push([
      `libvips for ${sharpPlatform}`,
      new RegExp(`^extension/node_modules/@img/sharp-libvips-${sharpPlatform}/lib/libvips`),
    ]);
  }
  if (target.ortDir && target.ortLibrary) {
    const dir = `^extension/node_modules/onnxruntime-node/bin/napi-v\\d+/${target.ortDir}/`;
    required.push([
      `onnxruntime-node’s ${target.ortDir} binding`,
      new RegExp(`${dir}onnxruntime_binding\\.node$`),
    ]);
    required.push([`onnxruntime for ${target.ortDir}`, new RegExp(`${dir}${target.ortLibrary.source}`)]);
  }
  for (const [what, pattern] of required)
    if (!has(pattern)) problems.push(`missing ${what} (${pattern.source})`);

  const otherOrt = ORT_DIRS.filter((d) => d !== target.ortDir).map((d) => d.replace('/', '\\/'));
  const forbidden: [string, RegExp][] = [
    ['sources', /^extension\/(src|webview|tools|bench)\//],
    ['tests', /^extension\/(test|out|test-output)\//],
    ['the test host', /^extension\/\.vscode-test(-host)?\//],
    ['TypeScript files', /^extension\/(?!node_modules\/).*\.ts$/],
    [
      'onnxruntime binaries of other platforms',
      new RegExp(`onnxruntime-node/bin/napi-v\\d+/(${otherOrt.join('|')})/`),
    ],
    [
      'sharp binaries of other platforms',
      new RegExp(`node_modules/@img/sharp-(?!${sharpPlatform}/|libvips-${sharpPlatform}/)[a-z0-9-]+/`),
    ],
  ];
  for (const [what, pattern] of forbidden) {
    const hits = entries.filter((name) => pattern.test(name));
    if (hits.length)
      problems.push(`contains ${what}: ${hits.slice(0, 3).join(', ')}${hits.length > 3 ? ', …' : ''}`);
  }
  return problems;
}

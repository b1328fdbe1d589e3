/**
 * Where "Run Model on Image" keeps the probability maps it hands to the viewer: the extension's own storage folder
 * (never the user's workspace — SegLens writes user files only on an explicit export). The panel then loads the
 * map like any other probability file, so the decoders and metrics apply to it and a panel restored after a reload
 * finds it again. The folder is kept small: the oldest maps beyond a fixed count are deleted.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeNpy } from '../../core/io/npy';
import type { ProbMap } from '../../core/types';
import { baseName } from './messages';

/** Maps kept before the oldest are deleted (each is C×H×W float32: a few MB for typical slices). */
export const MAX_STORED_MAPS = 64;

function stem(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/**
 * `<root>/<model stem>-<hash of model and image paths>/<image stem>.npy`: the file's own name is the image's stem
 * (what the panel shows for the layer), the folder keeps two models — or two images with one stem — apart.
 */
export function storedMapPath(root: string, modelPath: string, imagePath: string): string {
  const hash = createHash('sha256')
    .update(modelPath)
    .update('\0')
    .update(imagePath)
    .digest('hex')
    .slice(0, 12);
  const safe = (s: string) => s.replace(/[^\w.+-]/g, '_');
  return join(root, `${safe(stem(modelPath))}-${hash}`, `${safe(stem(imagePath))}.npy`);
}

export class ProbStore {
  constructor(
    private readonly root: string,
    private readonly maxMaps = MAX_STORED_MAPS,
  ) {}

  /** Writes the map (atomically: temporary file, then rename) and returns its path. */
  async save(modelPath: string, imagePath: string, prob: ProbMap): Promise<string> {
    const path = storedMapPath(this.root, modelPath, imagePath);
    const dir = join(path, '..');
    await mkdir(dir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, writeNpy({ dtype: 'float32', shape: prob.shape, data: prob.data }));
    await rename(tmp, path);
    await this.prune(path);
    return path;
  }

  /** Deletes the oldest maps beyond the limit, never `keep`. Failures only cost disk space, so they are ignored. */
  private async prune(keep: string): Promise<void> {
    const all: { path: string; mtime: number }[] = [];
    for (const dir of await readdir(this.root).catch(() => [] as string[])) {
      for (const f of await readdir(join(this.root, dir)).catch(() => [] as string[])) {
        if (!f.endsWith('.npy')) continue;
        const p = join(this.root, dir, f);
        const s = await stat(p).catch(() => undefined);
        if (s) all.push({ path: p, mtime: s.mtimeMs });
      }
    }
    if (all.length <= this.maxMaps) return;
    all.sort((a, b) => a.mtime - b.mtime);
    for (const old of all.slice(0, all.length - this.maxMaps)) {
      if (old.path !== keep) await unlink(old.path).catch(() => undefined);
    }
  }
}

/**
 * The dataset view's result cache: re-opening a set that has not changed shows its table at once instead of
 * evaluating it again.
 *
 * Key: SHA-256 of the tool version, the evaluation's choices (models, decoders, logits policy) and the set's
 * fingerprint — every paired file's path, size and modification time plus labels.json's bytes, taken by the plan
 * worker (planWorker.ts). Reading every byte of 10,000 maps to hash them would cost more than the ≤ 1 s re-open
 * budget allows; size + mtime changes whenever a tool rewrites a file. Value: the compact row store (typed arrays
 * as they are) and the summary, in one file under the extension's global storage; the five most recent are kept.
 * Pure node (no vscode): the panel passes the folder.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { DatasetSummary } from '../../protocol/dataset';
import { RowStore, type StoreItem, type StoredLabelError } from './rowStore';

declare const SEGLENS_VERSION: string;
const VERSION = typeof SEGLENS_VERSION === 'string' ? SEGLENS_VERSION : 'dev';
/** Bumped when the file layout below changes. */
const FORMAT = 3;
const KEEP = 5;

export function cacheKey(
  fingerprint: string,
  choice: { models: string[]; decoders: string[]; logits: string },
): string {
  return createHash('sha256')
    .update(JSON.stringify({ format: FORMAT, version: VERSION, fingerprint, ...choice }))
    .digest('hex');
}

interface Header {
  format: number;
  items: StoreItem[];
  models: string[];
  decoders: string[];
  classes: { index: number; name: string }[];
  confusionClasses: number;
  thumbSize: number;
  errors: string[];
  labelErrors: StoredLabelError[];
  summary?: DatasetSummary;
  completed: number;
  savedAt: string;
  /** Byte lengths of the binary sections, in order. */
  sections: number[];
}

function bytes(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Writes a finished run (atomically: a temporary file renamed over the entry) and trims the cache. */
/** The store's typed arrays in file order: the one list both saving and loading walk, so they cannot disagree. */
function storeSections(store: RowStore): ArrayBufferView[] {
  return [
    store.values,
    store.flags,
    store.arrived,
    store.counts,
    store.pixels,
    store.hasGt,
    store.confusion,
    store.thumbs,
    store.thumbDims,
  ];
}

export async function saveRun(
  dir: string,
  key: string,
  store: RowStore,
  classes: { index: number; name: string }[],
  summary: DatasetSummary | undefined,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const sections = storeSections(store).map(bytes);
  const header: Header = {
    format: FORMAT,
    items: [...store.items],
    models: store.layout.models,
    decoders: store.layout.decoders,
    classes,
    confusionClasses: store.confusionClasses,
    thumbSize: store.layout.thumbSize,
    errors: store.errors,
    labelErrors: store.labelErrors,
    summary,
    completed: store.completed,
    savedAt: new Date().toISOString(),
    sections: sections.map((s) => s.length),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length, 0);
  const target = path.join(dir, `${key}.bin`);
  const tmp = `${target}.${process.pid}.${Date.now().toString(36)}.tmp`;
  await writeFile(tmp, Buffer.concat([len, json, ...sections]));
  await rename(tmp, target);
  await trim(dir);
}

async function trim(dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.bin'));
  if (names.length <= KEEP) return;
  const dated = await Promise.all(
    names.map(async (n) => ({ n, t: (await stat(path.join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })),
  );
  dated.sort((a, b) => b.t - a.t);
  for (const { n } of dated.slice(KEEP)) await unlink(path.join(dir, n)).catch(() => undefined);
}

/** A cached run, or undefined (no entry, another format, or a damaged file — then it is recomputed). */
export async function loadRun(
  dir: string,
  key: string,
): Promise<{ store: RowStore; summary?: DatasetSummary; savedAt: string } | undefined> {
  let buf: Buffer;
  try {
    buf = await readFile(path.join(dir, `${key}.bin`));
  } catch {
    return undefined;
  }
  try {
    const len = buf.readUInt32LE(0);
    const header = JSON.parse(buf.subarray(4, 4 + len).toString('utf8')) as Header;
    if (header.format !== FORMAT) return undefined;
    const store = new RowStore(
      header.items,
      header.models,
      header.decoders,
      header.classes,
      header.confusionClasses,
      header.thumbSize,
    );
    const targets = storeSections(store);
    let at = 4 + len;
    header.sections.forEach((n, i) => {
      const t = targets[i];
      if (n !== t.byteLength) throw new RangeError('section size');
      bytes(t).set(buf.subarray(at, at + n));
      at += n;
    });
    header.errors.forEach((e, i) => (store.errors[i] = e));
    store.labelErrors.push(...header.labelErrors);
    store.completed = header.completed;
    return { store, summary: header.summary, savedAt: header.savedAt };
  } catch {
    return undefined;
  }
}

/**
 * Steps of `seglens eval` in folder mode that need no flags: JSON lines in id order, the report's rows by model and
 * decoder, and the skipped samples with run-specific paths taken out.
 */
import { sep } from 'node:path';
import { ImageRowJson, rowJson, SkippedSample } from '../../core/dataset/report';
import type { DecoderName } from '../../core/decoders/types';
import type { DatasetItem, EvalRow } from '../../node/dataset';
import { displayPath } from './evalOutput';

/**
 * An onRow callback that hands rows on in id order, each sample's rows sorted by model then decoder: rows are
 * held until every earlier sample has all of its rows (failed rows are not emitted; the report lists them).
 */
export function jsonlInOrder(
  items: readonly DatasetItem[],
  decoders: readonly DecoderName[],
  models: readonly string[],
  emit: (row: EvalRow) => void,
): (row: EvalRow) => void {
  const slots = new Map<string, EvalRow[]>();
  const complete = new Set<string>();
  let next = 0;
  const flush = (): void => {
    while (next < items.length && complete.has(items[next].id)) {
      for (const r of slots.get(items[next].id) as EvalRow[]) if (!r.error) emit(r);
      slots.delete(items[next].id);
      next++;
    }
  };
  return (r) => {
    const list = slots.get(r.id) ?? [];
    list.push(r);
    slots.set(r.id, list);
    if (list.length === decoders.length * models.length) {
      list.sort(
        (x, y) =>
          models.indexOf(x.model) - models.indexOf(y.model) ||
          decoders.indexOf(x.decoder as DecoderName) - decoders.indexOf(y.decoder as DecoderName),
      );
      complete.add(r.id);
      flush();
    }
  };
}

/** The successful rows as report JSON, by model then decoder. */
export function rowsByModel(
  rows: readonly EvalRow[],
  models: readonly string[],
  decoders: readonly DecoderName[],
): Map<string, Map<DecoderName, ImageRowJson[]>> {
  const out = new Map<string, Map<DecoderName, ImageRowJson[]>>();
  for (const m of models) {
    const perDecoder = new Map<DecoderName, ImageRowJson[]>();
    for (const d of decoders)
      perDecoder.set(d, rows.filter((r) => r.model === m && r.decoder === d && !r.error).map(rowJson));
    out.set(m, perDecoder);
  }
  return out;
}

/** Failed samples for the report: paths relative to the working directory, so nothing run-specific is left. */
export function skippedSamples(
  failed: readonly { id: string; model: string; path?: string; reason: string }[],
  cwd: string,
): SkippedSample[] {
  return failed.map((f) => ({
    id: f.id,
    model: f.model,
    ...(f.path ? { path: displayPath(f.path, cwd) } : {}),
    reason: f.reason.split(cwd.endsWith(sep) ? cwd : cwd + sep).join(''),
  }));
}

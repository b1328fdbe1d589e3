/**
 * The pure parts of the dataset panel's set-up: which folder a click means, the pairing preview the panel shows,
 * the table's class scopes and the decoders offered. No vscode import, so plain node tests cover them.
 */
import * as path from 'node:path';
import { DECODERS } from '../../core/decoders';
import { MAX_PREVIEW_ITEMS, type DatasetPreview } from '../../protocol/dataset';
import type { DatasetPlan } from '../../node/dataset';

/** Decoders the view offers: those that need no per-run parameter (top-k needs k, the tuned threshold a value). */
export const VIEW_DECODERS = DECODERS.filter((d) => d.requires.length === 0);

/**
 * The dataset folder of a clicked folder: the folder itself, or its parent when the click was on a role folder
 * (images/, masks/, probs/…), or the grandparent for a model folder inside probs/.
 */
export function datasetRoot(
  folder: string,
  roleFolders: readonly string[],
  modelParents: readonly string[],
): string {
  const base = path.basename(folder).toLowerCase();
  const parent = path.dirname(folder);
  if (roleFolders.some((f) => f.toLowerCase() === base)) return parent;
  if (modelParents.some((f) => f.toLowerCase() === path.basename(parent).toLowerCase()))
    return path.dirname(parent);
  return folder;
}

/** Class scopes of the table: the included classes (background left out), named from labels.json. */
export function classList(plan: DatasetPlan): { index: number; name: string }[] {
  const n = plan.numClasses ?? 2;
  const names = new Map((plan.labels ?? []).map((l) => [l.index, l.name]));
  const out: { index: number; name: string }[] = [];
  for (let c = 1; c < n; c++) out.push({ index: c, name: names.get(c) ?? `class ${c}` });
  return out;
}

/** The pairing preview the panel shows (the first items and unmatched files only: the panel lists, never scrolls 30,000). */
export function previewOf(plan: DatasetPlan, root: string, defaultDecoders: string[]): DatasetPreview {
  const rel = (p: string | undefined) => (p ? path.relative(plan.root, p).split(path.sep).join('/') : '');
  const counts = new Map<string, number>();
  for (const it of plan.items) for (const m of Object.keys(it.probs)) counts.set(m, (counts.get(m) ?? 0) + 1);
  return {
    root,
    total: plan.items.length,
    items: plan.items.slice(0, MAX_PREVIEW_ITEMS).map((it) => ({
      id: it.id,
      image: rel(it.image),
      gt: rel(it.gt),
      models: Object.keys(it.probs),
    })),
    unmatchedTotal: plan.unmatched.length,
    unmatched: plan.unmatched
      .slice(0, MAX_PREVIEW_ITEMS)
      .map((u) => ({ path: rel(u.path), reason: u.reason })),
    models: plan.models.map((name) => ({ name, count: counts.get(name) ?? 0 })),
    decoders: VIEW_DECODERS.map((d) => ({ name: d.name, label: d.label, description: d.description })),
    defaultDecoders: defaultDecoders.filter((d) => VIEW_DECODERS.some((v) => v.name === d)),
    classes: classList(plan),
    withImages: plan.items.filter((it) => it.image).length,
    onnxModels: [],
    classesNote: plan.labelsFile
      ? `Classes from ${rel(plan.labelsFile) || plan.labelsFile}.`
      : 'No labels.json found: masks are read as two classes (background, foreground).',
  };
}

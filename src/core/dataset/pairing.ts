/**
 * Pairing of image / ground-truth / probability / prediction files into samples (DESIGN.md §3), as a pure
 * function over a list of paths, so the extension (workspace files) and the CLI (a folder walk) share it.
 *
 * Default rules: files with the same stem in sibling folders (`images/`, `masks|labels|gt/`, `probs|probabilities/`,
 * `preds/`) or side by side with suffixes (`_mask`, `_gt`, `_label`, `_prob`, `_pred`). Every rule is a glob (see
 * glob.ts) and the rules per role can be replaced. When several rules match a path, the most literal one wins
 * (`masks/*.png` beats `*.png`), so an unsuffixed file is an image only when nothing more specific claims it.
 */
import { CompiledGlob, compileGlob, matchGlob } from './glob';

export type SampleRole = 'image' | 'gt' | 'prob' | 'pred';
export const SAMPLE_ROLES: readonly SampleRole[] = ['image', 'gt', 'prob', 'pred'];

/** One sample: the files found for each role (paths as given). */
export interface Sample {
  /** The sample's stem with its folder relative to the common root of all samples, e.g. "case1/a". */
  id: string;
  image?: string;
  gt?: string;
  prob?: string;
  pred?: string;
}

export type PairingPatterns = Record<SampleRole, readonly string[]>;

const IMAGE_EXT = '{png,jpg,jpeg,tif,tiff,bmp,npy,npz}';
const MASK_EXT = '{png,tif,tiff,npy,npz}';
const PROB_EXT = '{npy,npz,tif,tiff}';

/** The default rules of DESIGN.md §3. */
export const DEFAULT_PAIRING_PATTERNS: PairingPatterns = {
  image: [`{images,imgs,image}/*.${IMAGE_EXT}`, `*.${IMAGE_EXT}`],
  gt: [
    `{masks,labels,gt,mask,label}/*_{mask,gt,label}.${MASK_EXT}`,
    `{masks,labels,gt,mask,label}/*.${MASK_EXT}`,
    `*_{mask,gt,label}.${MASK_EXT}`,
  ],
  prob: [
    `{probs,probabilities,prob}/*_prob.${PROB_EXT}`,
    `{probs,probabilities,prob}/*.${PROB_EXT}`,
    `*_{prob,probs}.${PROB_EXT}`,
  ],
  pred: [
    `{preds,predictions,pred}/*_pred.${MASK_EXT}`,
    `{preds,predictions,pred}/*.${MASK_EXT}`,
    `*_pred.${MASK_EXT}`,
  ],
};

export interface PairingResult {
  /** Samples sorted by id; each has at least one file. */
  samples: Sample[];
  /** Paths no rule matched (other file types). */
  unmatched: string[];
  /** Several files for one role of one sample: the first (in path order) is used, the others are listed here. */
  conflicts: { id: string; role: SampleRole; used: string; ignored: string[] }[];
}

/** The longest common folder prefix (ending in '/') of a list of folder strings. */
function commonFolder(folders: readonly string[]): string {
  if (folders.length === 0) return '';
  let prefix = folders[0];
  for (const f of folders) {
    while (!f.startsWith(prefix)) prefix = prefix.slice(0, prefix.lastIndexOf('/', prefix.length - 2) + 1);
  }
  return prefix;
}

/**
 * Groups paths into samples.
 * @param paths file paths (any separators; backslashes are treated as '/').
 * @param patterns rules per role, replacing the defaults for the roles given.
 * @throws RangeError for a malformed pattern.
 */
export function pairSamples(
  paths: readonly string[],
  patterns: Partial<PairingPatterns> = {},
): PairingResult {
  const rules: { role: SampleRole; glob: CompiledGlob; order: number }[] = [];
  let order = 0;
  for (const role of SAMPLE_ROLES) {
    for (const p of patterns[role] ?? DEFAULT_PAIRING_PATTERNS[role])
      rules.push({ role, glob: compileGlob(p), order: order++ });
  }
  // Most literal first; among equals, the order above (image rules first only matters for equal specificity).
  rules.sort((a, b) => b.glob.specificity - a.glob.specificity || a.order - b.order);
  const groups = new Map<string, { folder: string; stem: string; files: Map<SampleRole, string[]> }>();
  const unmatched: string[] = [];
  for (const original of [...paths].sort()) {
    const path = original.replace(/\\/g, '/');
    let hit: { role: SampleRole; folder: string; stem: string } | null = null;
    for (const r of rules) {
      const m = matchGlob(r.glob, path);
      if (m) {
        hit = { role: r.role, ...m };
        break;
      }
    }
    if (!hit) {
      unmatched.push(original);
      continue;
    }
    const key = hit.folder + hit.stem;
    let g = groups.get(key);
    if (!g) {
      g = { folder: hit.folder, stem: hit.stem, files: new Map() };
      groups.set(key, g);
    }
    const list = g.files.get(hit.role) ?? [];
    list.push(original);
    g.files.set(hit.role, list);
  }
  const root = commonFolder([...groups.values()].map((g) => g.folder));
  const samples: Sample[] = [];
  const conflicts: PairingResult['conflicts'] = [];
  for (const g of groups.values()) {
    const s: Sample = { id: g.folder.slice(root.length) + g.stem };
    for (const [role, files] of g.files) {
      s[role] = files[0];
      if (files.length > 1) conflicts.push({ id: s.id, role, used: files[0], ignored: files.slice(1) });
    }
    samples.push(s);
  }
  samples.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { samples, unmatched, conflicts };
}

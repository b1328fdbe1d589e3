/**
 * Pairing of image / ground-truth / probability / prediction files into samples (docs/architecture.md §3), as a pure
 * function over a list of paths, so the extension (workspace files) and the CLI (a folder walk) share it.
 *
 * Default rules: files with the same stem in sibling folders (`images/`, `masks|labels|gt/`, `probs|probabilities/`,
 * `preds/`) or side by side with suffixes (`_mask`, `_gt`, `_label`, `_prob`, `_pred`). Every rule is a glob (see
 * glob.ts) and the rules per role can be replaced. When several rules match a path, the most literal one wins
 * (`masks/*.png` beats `*.png`), so an unsuffixed file is an image only when nothing more specific claims it.
 */
import { CompiledGlob, compileGlob, matchGlob } from './glob';
import {
  DEFAULT_PAIRING_RULES,
  MASK_EXTENSIONS,
  OPENABLE_EXTENSIONS,
  PROB_EXTENSIONS,
  PairingRules,
  SAMPLE_ROLES,
  SampleRole,
  isRoleFolder,
  roleRules,
} from './roles';
import type { PairCandidate } from './pairFile';

export type { SampleRole } from './roles';
export { SAMPLE_ROLES } from './roles';

/** One sample: the files found for each role (paths as given). */
export interface Sample {
  /** The sample's stem with its folder relative to the common root of all samples, e.g. "case1/a". */
  id: string;
  image?: string;
  gt?: string;
  prob?: string;
  pred?: string;
  /** All probability maps when there are several models (`probs/<model>/`): flat file first, then models A→Z. */
  probCandidates?: PairCandidate[];
  /** All predictions when there are several models (`preds/<model>/`), ordered as `probCandidates`. */
  predCandidates?: PairCandidate[];
}

export type PairingPatterns = Record<SampleRole, readonly string[]>;

const IMAGE_EXT = `{${OPENABLE_EXTENSIONS.join(',')}}`;
const MASK_EXT = `{${MASK_EXTENSIONS.join(',')}}`;
const PROB_EXT = `{${PROB_EXTENSIONS.join(',')}}`;

/** `{a,b}` for a list of names (a bare name for one), the glob alternative of a rule list. */
function alternatives(names: readonly string[]): string {
  return names.length === 1 ? names[0] : `{${names.join(',')}}`;
}

/**
 * Glob patterns equivalent to folder/suffix rules, so the batch pairing and the walk from an opened file share one
 * set of names. Probability and prediction folders also match one model sub-folder level (`probs/unet/a.npy`).
 * Names must not contain glob characters (`*?{},`); roles with an empty list get no pattern of that kind.
 */
export function patternsFromRules(rules: PairingRules): PairingPatterns {
  const out: Record<SampleRole, string[]> = { image: [], gt: [], prob: [], pred: [] };
  for (const role of SAMPLE_ROLES) {
    const { folders, suffixes } = roleRules(role, rules);
    const ext = role === 'image' ? IMAGE_EXT : role === 'prob' ? PROB_EXT : MASK_EXT;
    const f = folders.length > 0 ? alternatives(folders) : undefined;
    const s = suffixes.length > 0 ? alternatives(suffixes) : undefined;
    if (f && s) out[role].push(`${f}/*${s}.${ext}`);
    if (f) out[role].push(`${f}/*.${ext}`);
    if (f && s && role !== 'gt' && role !== 'image') out[role].push(`${f}/**/*${s}.${ext}`);
    if (f && role !== 'gt' && role !== 'image') out[role].push(`${f}/**/*.${ext}`);
    out[role].push(s ? `*${s}.${ext}` : `*.${ext}`);
  }
  return out;
}

/** The default rules of docs/architecture.md §3, as globs. */
export const DEFAULT_PAIRING_PATTERNS: PairingPatterns = patternsFromRules(DEFAULT_PAIRING_RULES);

export interface PairingResult {
  /** Samples sorted by id; each has at least one file. */
  samples: Sample[];
  /** Paths no rule matched (other file types). */
  unmatched: string[];
  /**
   * Several files for one role of one sample: the first (in path order) is used, the others are listed here.
   * Files of different model folders are not conflicts: they are the sample's candidates.
   */
  conflicts: { id: string; role: SampleRole; used: string; ignored: string[] }[];
}

interface FoundFile {
  path: string;
  /** The model sub-folder(s) between the role folder and the file, for `probs/<model>/a.npy`. */
  model?: string;
}

/**
 * The model folder of a file matched by a pattern with a `**` folder span (such as `probs/` + `**` + `/` + `*.npy`):
 * the folders the span covered, or undefined when it covered none (a flat file) or the pattern has no span.
 */
function modelOf(path: string, folder: string, pattern: string): string | undefined {
  const at = pattern.indexOf('/**/');
  if (at < 0) return undefined;
  const before = pattern
    .slice(0, at)
    .replace(/^(\*\*\/)+/, '')
    .split('/').length;
  const segments = path.slice(folder.length).split('/');
  return segments.length > before + 1 ? segments.slice(before, -1).join('/') : undefined;
}

/** Model labels A→Z, ignoring case, then by code point so the order is total. */
function byLabel(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
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
  const groups = new Map<string, { folder: string; stem: string; files: Map<SampleRole, FoundFile[]> }>();
  const unmatched: string[] = [];
  for (const original of [...paths].sort()) {
    const path = original.replace(/\\/g, '/');
    let hit: { role: SampleRole; folder: string; stem: string; pattern: string } | null = null;
    for (const r of rules) {
      const m = matchGlob(r.glob, path);
      // A span over a role folder (`probs/images/a.npy`: a project folder called "probs") or over several
      // folders is not a model layout; a less specific rule (here `images/*`) gets the file instead.
      const model = m ? modelOf(path, m.folder, r.glob.pattern) : undefined;
      if (model !== undefined && (model.includes('/') || isRoleFolder(model))) continue;
      if (m) {
        hit = { role: r.role, pattern: r.glob.pattern, ...m };
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
    list.push({ path: original, model: modelOf(path, hit.folder, hit.pattern) });
    g.files.set(hit.role, list);
  }
  const root = commonFolder([...groups.values()].map((g) => g.folder));
  const samples: Sample[] = [];
  const conflicts: PairingResult['conflicts'] = [];
  for (const g of groups.values()) {
    const s: Sample = { id: g.folder.slice(root.length) + g.stem };
    for (const [role, files] of g.files) {
      // Flat files keep path order and come first; one file per model folder follows, models A→Z.
      const flat = files.filter((f) => f.model === undefined).map((f) => f.path);
      const perModel = new Map<string, string[]>();
      for (const f of files)
        if (f.model !== undefined) perModel.set(f.model, [...(perModel.get(f.model) ?? []), f.path]);
      const models = [...perModel.keys()].sort(byLabel);
      const used = [...flat.slice(0, 1), ...models.map((m) => (perModel.get(m) as string[])[0])];
      s[role] = used[0];
      if (flat.length > 1) conflicts.push({ id: s.id, role, used: flat[0], ignored: flat.slice(1) });
      for (const m of models) {
        const same = perModel.get(m) as string[];
        if (same.length > 1) conflicts.push({ id: s.id, role, used: same[0], ignored: same.slice(1) });
      }
      if ((role === 'prob' || role === 'pred') && models.length > 0) {
        s[`${role}Candidates`] = [
          ...flat
            .slice(0, 1)
            .map((path) => ({ path, label: path.replace(/\\/g, '/').slice(g.folder.length) })),
          ...models.map((model) => ({ path: (perModel.get(model) as string[])[0], label: model, model })),
        ];
      }
    }
    samples.push(s);
  }
  samples.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { samples, unmatched, conflicts };
}

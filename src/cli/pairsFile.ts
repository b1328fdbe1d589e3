/**
 * The --pairs file of `seglens eval`: a JSON list of {"id", "gt", "pred", "prob"?, "spacing"?}. Relative paths are
 * resolved against the folder of the pairs file (falling back to the working directory). Unknown keys and
 * non-scalar ids are refused, naming the entry, so a typo never drops an input silently.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError } from '../core/errors';
import type { CliIO } from './command';
import { readJsonFile } from './commands/metrics';

const PAIR_KEYS = ['id', 'gt', 'pred', 'prob', 'spacing'];

export interface PairEntry {
  id: string;
  gt: string;
  pred: string;
  prob?: string;
  spacing?: number[];
}

export function parsePairs(path: string, io: CliIO): PairEntry[] {
  const parsed = readJsonFile(path, io);
  if (!Array.isArray(parsed))
    throw new InputError('must hold a JSON list of {"id","gt","pred","prob"?,"spacing"?}', path);
  const base = dirname(isAbsolute(path) ? path : resolve(io.cwd, path));
  const locate = (p: string): string => {
    if (isAbsolute(p)) return p;
    const nearPairs = resolve(base, p);
    return existsSync(nearPairs) || !existsSync(resolve(io.cwd, p)) ? nearPairs : resolve(io.cwd, p);
  };
  if (parsed.length === 0) throw new InputError('lists no images', path);
  const ids = new Set<string>();
  return parsed.map((e: unknown, i: number): PairEntry => {
    const where = `entry ${i}`;
    if (typeof e !== 'object' || e === null) throw new InputError(`${where} is not an object`, path);
    const r = e as Record<string, unknown>;
    // A misspelt key ("porb") would silently drop that input: every key must be one we read.
    const unknown = Object.keys(r).filter((k) => !PAIR_KEYS.includes(k));
    if (unknown.length) {
      throw new InputError(
        `${where} has unknown key(s) ${unknown.map((k) => `"${k}"`).join(', ')}; expected ${PAIR_KEYS.join(', ')}`,
        path,
      );
    }
    for (const k of ['gt', 'pred'] as const) {
      if (typeof r[k] !== 'string') throw new InputError(`${where} has no "${k}" path`, path);
    }
    if (r.id !== undefined && typeof r.id !== 'string' && typeof r.id !== 'number') {
      throw new InputError(`${where}: "id" must be a string or a number`, path);
    }
    const id = r.id === undefined ? String(i) : String(r.id);
    if (ids.has(id)) throw new InputError(`${where}: duplicate id '${id}'`, path);
    ids.add(id);
    if (r.prob !== undefined && r.prob !== null && typeof r.prob !== 'string') {
      throw new InputError(`${where}: "prob" must be a path or null`, path);
    }
    let spacing: number[] | undefined;
    if (r.spacing !== undefined && r.spacing !== null) {
      if (
        !Array.isArray(r.spacing) ||
        !r.spacing.every((s) => typeof s === 'number' && Number.isFinite(s) && s > 0)
      ) {
        throw new InputError(`${where}: "spacing" must be a list of positive numbers`, path);
      }
      spacing = r.spacing as number[];
    }
    return {
      id,
      gt: locate(r.gt as string),
      pred: locate(r.pred as string),
      prob: typeof r.prob === 'string' ? locate(r.prob) : undefined,
      spacing,
    };
  });
}

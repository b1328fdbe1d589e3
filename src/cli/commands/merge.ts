/**
 * `seglens merge part_*.json [--json | --csv] [--out F]` (docs/dataset.md): joins the reports of `seglens eval
 * --shard I/N` into the report of one unsharded run. The dataset aggregates are recomputed from the per-image rows
 * and their sufficient statistics, in id order, so the output equals the single run's in every number and row,
 * whatever the order of the part files; only the top-level "run" differs (it lists the parts' runs).
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import {
  buildFolderReport,
  byId,
  ImageRowJson,
  SkippedSample,
  UnmatchedEntry,
} from '../../core/dataset/report';
import type { DecoderName } from '../../core/decoders/types';
import { InputError, errorMessage } from '../../core/errors';
import { MetricsConfig, resolveMetricsConfig } from '../../core/metrics/config';
import { writeAtomically } from '../../node/fs/atomicWrite';
import { flag, parseArgs } from '../args';
import { CliCommand, CliIO, UsageError } from '../command';
import { checkOutput } from '../outputs';
import { TOOL_VERSION } from './evalOutput';
import { folderCsv, folderJson, reviveNonFinite } from './evalOutput';

interface PartRun {
  command?: string;
  configSha256?: string;
  config?: MetricsConfig;
  decoders?: DecoderName[];
  model?: { name?: string };
  models?: { name?: string }[];
  shard?: { index: number; count: number } | null;
  [key: string]: unknown;
}

/** Rows of a part per model, then per decoder. */
type RowsByModel = Map<string, Map<DecoderName, ImageRowJson[]>>;

/** One part as read: its run, rows per model and decoder, skipped samples and unmatched files. */
interface Part {
  file: string;
  run: PartRun;
  rows: RowsByModel;
  skipped: SkippedSample[];
  unmatched: UnmatchedEntry[];
}

function readPart(path: string, io: CliIO): Part {
  const full = isAbsolute(path) ? path : resolve(io.cwd, path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read: ${errorMessage(e)}`, path);
  }
  const rows: RowsByModel = new Map();
  const add = (model: string, decoder: DecoderName, list: ImageRowJson[]): void => {
    const perDecoder = rows.get(model) ?? new Map<DecoderName, ImageRowJson[]>();
    perDecoder.set(decoder, [...(perDecoder.get(decoder) ?? []), ...list]);
    rows.set(model, perDecoder);
  };
  let parsed: Record<string, unknown>;
  try {
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{"type"')) {
      // A JSON-lines part: image lines, skipped lines, one summary line.
      const skipped: SkippedSample[] = [];
      let summary: Record<string, unknown> | undefined;
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        const o = JSON.parse(line) as Record<string, unknown>;
        if (o.type === 'image') {
          const { type: _t, model, decoder, ...row } = o;
          add(String(model), decoder as DecoderName, [reviveNonFinite(row) as unknown as ImageRowJson]);
        } else if (o.type === 'skipped') {
          const { type: _t, ...s } = o;
          skipped.push(s as unknown as SkippedSample);
        } else if (o.type === 'summary') summary = o;
      }
      if (!summary) throw new Error('no summary line (was the run interrupted?)');
      parsed = { ...summary, skipped };
    } else {
      parsed = JSON.parse(text) as Record<string, unknown>;
      type Sections = { decoder: DecoderName; images: unknown[] }[] | undefined;
      const primary = String((parsed.run as PartRun | undefined)?.model?.name);
      for (const d of (parsed.decoders as Sections) ?? [])
        add(primary, d.decoder, reviveNonFinite(d.images) as ImageRowJson[]);
      for (const m of (parsed.models as { model: string; decoders: Sections }[] | undefined) ?? []) {
        for (const d of m.decoders ?? [])
          add(m.model, d.decoder, reviveNonFinite(d.images) as ImageRowJson[]);
      }
    }
  } catch (e) {
    throw new InputError(`not a seglens eval report: ${errorMessage(e)}`, path);
  }
  const run = parsed.run as PartRun | undefined;
  if (!run || run.command !== 'eval' || !Array.isArray(run.decoders) || !run.config) {
    throw new InputError(
      'not a report of seglens eval in folder mode (no "run" with decoders and config)',
      path,
    );
  }
  return {
    file: path,
    run,
    rows,
    skipped: (parsed.skipped as SkippedSample[] | undefined) ?? [],
    unmatched: (parsed.unmatched as UnmatchedEntry[] | undefined) ?? [],
  };
}

/** The model names of a part's run, primary first. */
function modelsOf(run: PartRun): string[] {
  return run.models ? run.models.map((m) => String(m.name)) : [String(run.model?.name)];
}

/** Checks the parts belong to one sharded run: same config and decoders, distinct shards, all present. */
function checkParts(parts: Part[]): void {
  const [first] = parts;
  for (const p of parts.slice(1)) {
    if (p.run.configSha256 !== first.run.configSha256)
      throw new InputError(`its metric config differs from ${first.file}'s`, p.file);
    if (JSON.stringify(p.run.decoders) !== JSON.stringify(first.run.decoders))
      throw new InputError(`its decoders differ from ${first.file}'s`, p.file);
    if (JSON.stringify(modelsOf(p.run)) !== JSON.stringify(modelsOf(first.run)))
      throw new InputError(`its models differ from ${first.file}'s`, p.file);
  }
  const shards = parts.map((p) => p.run.shard);
  if (shards.some((s) => !s)) {
    if (parts.length > 1)
      throw new InputError('is not a shard (run without --shard)', parts[shards.indexOf(null)].file);
    return;
  }
  const count = (shards[0] as { count: number }).count;
  const seen = new Map<number, string>();
  parts.forEach((p, i) => {
    const s = shards[i] as { index: number; count: number };
    if (s.count !== count)
      throw new InputError(`is shard ${s.index}/${s.count}, the others are of ${count}`, p.file);
    const other = seen.get(s.index);
    if (other) throw new InputError(`is shard ${s.index}/${count} again (also ${other})`, p.file);
    seen.set(s.index, p.file);
  });
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length)
    throw new InputError(`shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} missing`, 'merge');
}

export const mergeCommand: CliCommand = {
  name: 'merge',
  summary: 'join the parts of a sharded seglens eval into the report of one run',
  usage: `Usage: seglens merge PART... [--json | --csv] [--out F]

  PART      reports of seglens eval --shard I/N (--json or --jsonl), in any order; all N shards are needed
  --json    the report of seglens eval --json (default); only "run" differs from an unsharded run: it lists
            the parts' runs
  --csv     the CSV of seglens eval --csv
  --out F   write to F (atomically) instead of stdout; never over a part file; an existing F is replaced only
            with --force
  --force   replace an existing --out file

Exit codes: 0 merged, 1 merged but some samples were skipped (listed under "skipped"), 2 bad usage or parts.
`,
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['out'], booleans: ['json', 'csv', 'force'] });
    if (args.positionals.length === 0) throw new UsageError('give the part files to merge');
    const outFlag = flag(args, 'out');
    if (outFlag !== undefined) {
      const here = (p: string): string => (isAbsolute(p) ? p : resolve(io.cwd, p));
      checkOutput(here(outFlag), {
        inputs: args.positionals.map(here),
        force: args.booleans.has('force'),
        what: 'the merged report',
      });
    }
    if (args.booleans.has('json') && args.booleans.has('csv'))
      throw new UsageError('give at most one of --json and --csv');
    const started = Date.now();
    const parts = args.positionals.map((p) => readPart(p, io));
    checkParts(parts);
    parts.sort((a, b) => (a.run.shard?.index ?? 0) - (b.run.shard?.index ?? 0));
    const decoders = parts[0].run.decoders as DecoderName[];
    const config = resolveMetricsConfig(parts[0].run.config as MetricsConfig);
    const models = modelsOf(parts[0].run);
    const rows: RowsByModel = new Map();
    for (const m of models) {
      const perDecoder = new Map<DecoderName, ImageRowJson[]>();
      for (const d of decoders) {
        const all = parts.flatMap((p) => p.rows.get(m)?.get(d) ?? []).sort(byId);
        for (let i = 1; i < all.length; i++) {
          if (all[i].id === all[i - 1].id)
            throw new InputError(`image '${all[i].id}' is in two parts`, 'merge');
        }
        perDecoder.set(d, all);
      }
      rows.set(m, perDecoder);
    }
    const unmatched = new Map<string, UnmatchedEntry>();
    for (const p of parts) for (const u of p.unmatched) unmatched.set(`${u.path}\n${u.reason}`, u);
    const body = buildFolderReport({
      models,
      decoders,
      rows,
      skipped: parts.flatMap((p) => p.skipped),
      unmatched: [...unmatched.values()],
      config,
    });
    const run = {
      tool: 'seglens',
      version: TOOL_VERSION,
      command: 'merge',
      parts: parts.map((p) => ({ file: p.file, run: p.run })),
      timings: { startedAt: new Date(started).toISOString(), wallMs: Date.now() - started },
    };
    const text = args.booleans.has('csv') ? folderCsv(body) : folderJson(run, body);
    const out = flag(args, 'out');
    if (out !== undefined)
      writeAtomically(isAbsolute(out) ? out : resolve(io.cwd, out), text, { what: 'the report' });
    else io.stdout(text);
    return body.skipped.length ? 1 : 0;
  },
};

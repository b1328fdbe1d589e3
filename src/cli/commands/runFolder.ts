/**
 * `seglens run --input DIR --output DIR`: one model session for every image of a folder (creating a session costs
 * seconds for a real model, a run on one image far less), progress on stderr as each image finishes, a failing
 * image reported and skipped without stopping the others, exit 1 when any failed (docs/architecture.md §4).
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { InputError, errorMessage } from '../../core/errors';
import { configToJson } from '../../core/model/config';
import { FolderProgress, planFolderOutputs, runModelOnFolder } from '../../node/model/folderRun';
import { ConfigChoice, ModelRunner } from '../../node/model/runner';
import { CliIO } from '../command';
import { checkOutput } from '../outputs';

/** The picture formats a folder run picks up (the same list as the extension's "Run Model on Folder"). */
export const FOLDER_IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'tif', 'tiff', 'bmp', 'webp'];

export interface FolderRunRequest {
  model: string;
  inputDir: string;
  outputDir: string;
  configPath: string | undefined;
  choice: ConfigChoice;
  force: boolean;
  json: boolean;
  maxPixels: number | undefined;
  limitHint: string;
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** The images of `dir` (not recursive), sorted by name, and how many other files were left out. */
export function listFolderImages(dir: string): { images: string[]; ignored: number } {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    throw new InputError(`cannot list the folder: ${errorMessage(e)}`, dir);
  }
  const images: string[] = [];
  let ignored = 0;
  for (const name of names) {
    const path = join(dir, name);
    let isFile = false;
    try {
      isFile = statSync(path).isFile();
    } catch {
      // A dangling link or a file removed meanwhile is simply not an image of the run.
    }
    if (!isFile) continue;
    if (FOLDER_IMAGE_EXTENSIONS.includes(extname(name).slice(1).toLowerCase())) images.push(path);
    else ignored++;
  }
  return { images, ignored };
}

export async function runOnFolder(req: FolderRunRequest, io: CliIO): Promise<number> {
  const { images, ignored } = listFolderImages(req.inputDir);
  if (images.length === 0) {
    throw new InputError(`no images (${FOLDER_IMAGE_EXTENSIONS.join(', ')}) in the folder`, req.inputDir);
  }
  let out: ReturnType<typeof statSync> | undefined;
  try {
    out = statSync(req.outputDir);
  } catch {
    // Missing: created below, once every check has passed.
  }
  if (out && !out.isDirectory()) {
    throw new InputError(
      '--input is a folder, so --output must be a folder too (one <stem>.npy per image)',
      req.outputDir,
    );
  }
  const plan = planFolderOutputs(images, req.outputDir);
  const protectedInputs = [req.model, ...(req.configPath ? [req.configPath] : []), ...images];
  for (const p of plan)
    checkOutput(p.output, { inputs: protectedInputs, force: true, what: 'a probability map' });
  const existing = plan.filter((p) => p.exists);
  if (existing.length > 0 && !req.force) {
    throw new InputError(
      `${existing.length} of the ${plan.length} maps exist already (first: ${basename(existing[0].output)}); ` +
        'pass --force to replace them',
      req.outputDir,
    );
  }
  mkdirSync(req.outputDir, { recursive: true });

  const runner = new ModelRunner();
  try {
    const t0 = now();
    const inspected = await runner.inspect(req.model, req.choice);
    const loadMs = now() - t0;
    io.stderr(
      `loaded ${basename(req.model)} in ${loadMs.toFixed(0)} ms; one session for ${images.length} image(s)` +
        `${ignored ? ` (${ignored} other file(s) in the folder ignored)` : ''}\n`,
    );
    const seen = new Set(inspected.notes);
    for (const n of inspected.notes) io.stderr(`note: ${n}\n`);
    const files: Record<string, unknown>[] = [];
    const onProgress = (p: FolderProgress): void => {
      const tag = `[${p.done}/${p.total}] ${basename(p.input)}`;
      if (p.status === 'written') {
        io.stderr(
          `${tag} → ${basename(p.output)}: [${(p.shape ?? []).join(', ')}], run ${(p.runMs ?? 0).toFixed(1)} ms\n`,
        );
        // Notes shared by every image are said once; those about this image (EXIF, scale of a 16-bit file) each time.
        for (const n of p.notes ?? []) {
          if (seen.has(n) && !/EXIF|bands kept/.test(n)) continue;
          seen.add(n);
          io.stderr(`  note: ${n}\n`);
        }
      } else if (p.status === 'failed') io.stderr(`${tag}: failed: ${p.error ?? 'unknown error'}\n`);
      files.push({
        input: p.input,
        output: p.output,
        status: p.status,
        ...(p.shape ? { shape: p.shape } : {}),
        ...(p.runMs !== undefined ? { runMs: p.runMs } : {}),
        ...(p.notes ? { notes: p.notes } : {}),
        ...(p.error !== undefined ? { error: p.error } : {}),
      });
    };
    const summary = await runModelOnFolder(runner, req.model, plan, {
      choice: req.choice,
      existing: 'overwrite',
      onProgress,
      maxPixels: req.maxPixels,
      limitHint: req.limitHint,
    });
    const totalMs = now() - t0;
    const loads = runner.sessionLoads;
    io.stderr(
      `${summary.written} of ${summary.total} map(s) written to ${req.outputDir}` +
        `${summary.failed ? `, ${summary.failed} failed` : ''}; model sessions created: ${loads}; ` +
        `${(totalMs / 1000).toFixed(1)} s\n`,
    );
    if (req.json) {
      const json = {
        model: req.model,
        input: req.inputDir,
        output: req.outputDir,
        config: configToJson(inspected.config),
        configSource: inspected.configSource ?? null,
        notes: inspected.notes,
        total: summary.total,
        written: summary.written,
        failed: summary.failed,
        sessionLoads: loads,
        files,
        timings: { loadMs, totalMs },
      };
      io.stdout(JSON.stringify(json, null, 2) + '\n');
    }
    return summary.failed > 0 ? 1 : 0;
  } finally {
    await runner.dispose();
  }
}

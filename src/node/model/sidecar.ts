/**
 * The sidecar model config next to a model file: `unet.seglens.json` (or `unet.onnx.seglens.json`) beside
 * `unet.onnx`. Finding and reading it, reading a config given explicitly, and saving a config the user confirmed.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { InputError, errorMessage } from '../../core/errors';
import {
  ModelConfig,
  ResolvedModelConfig,
  configToJson,
  parseModelConfigText,
} from '../../core/model/config';
import { writeAtomically } from '../fs/atomicWrite';

/** Sidecar names tried next to `unet.onnx`: `unet.seglens.json`, then `unet.onnx.seglens.json`. */
export function sidecarCandidates(modelPath: string): string[] {
  const dir = dirname(modelPath);
  const name = basename(modelPath);
  const stem = name.slice(0, name.length - extname(name).length);
  return [join(dir, `${stem}.seglens.json`), join(dir, `${name}.seglens.json`)];
}

/**
 * Reads the sidecar config of `modelPath`; undefined when there is none. When both names exist, `<stem>.seglens.json`
 * wins (the name SegLens itself writes) and a note says which file was used and which was ignored, since the two
 * may disagree and the user may be editing the other one.
 */
export async function findSidecarConfig(
  modelPath: string,
): Promise<{ config: ModelConfig; source: string; notes: string[] } | undefined> {
  const candidates = sidecarCandidates(modelPath);
  for (let i = 0; i < candidates.length; i++) {
    const path = candidates[i];
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      continue;
    }
    const ignored = candidates.slice(i + 1).filter((p) => existsSync(p));
    const notes = ignored.map(
      (p) =>
        `two sidecar configs: ${basename(path)} was used, ${basename(p)} ignored ` +
        `(<model stem>.seglens.json wins; delete or merge the other)`,
    );
    return { config: parseModelConfigText(text, path), source: path, notes };
  }
  return undefined;
}

/** Reads a config file given explicitly (CLI --config, a setting). */
export async function readConfigFile(path: string): Promise<ModelConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read the config file: ${errorMessage(e)}`, path);
  }
  return parseModelConfigText(text, path);
}

/**
 * Saves a (confirmed) config as the model's sidecar `<stem>.seglens.json`, atomically, and returns its path.
 * An existing file is only replaced with `overwrite` — the caller asks the user first.
 */
export function writeSidecarConfig(
  modelPath: string,
  config: ResolvedModelConfig,
  overwrite = false,
): string {
  const existing = sidecarCandidates(modelPath).find((p) => existsSync(p));
  const path = existing ?? sidecarCandidates(modelPath)[0];
  if (existing && !overwrite)
    throw new InputError('a model config exists already; not overwritten', existing);
  writeAtomically(path, JSON.stringify(configToJson(config), null, 2) + '\n', { what: 'the model config' });
  return path;
}

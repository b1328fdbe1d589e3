/**
 * Replays an input the fuzz suite saved (test-output/fuzz/<target>-seed<S>-<i>.bin, docs/testing.md "Fuzzing")
 * through the parser it failed in, and prints what came out: the parsed shape, the refusal, or the exception with
 * its stack. Usage: `npx tsx tools/fuzz/replay.ts <file> [parser]`; the parser defaults to the one the file name
 * starts with.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { repoPath } from '../../test/support/repo';
import { parsePyLiteral } from '../../src/core/io/pyLiteral';
import { readNpy } from '../../src/core/io/npy';
import { readNpz } from '../../src/core/io/npz';
import { decodePngImage } from '../../src/core/io/png';
import { readArrayFile } from '../../src/core/io/load';
import { parsePalette } from '../../src/core/io/palette';
import { parseClassLabels } from '../../src/node/io/classLabels';
import { readVolume } from '../../src/node/io/volume/read';
import { parsePairs } from '../../src/cli/pairsFile';
import { loadConfig } from '../../src/cli/commands/metrics';

const LIMIT = 1_000_000;

/** Each parser by the prefix of the fuzz target names (test/unit/fuzz/*.test.ts), returning a one-line summary. */
export const PARSERS: Record<string, (bytes: Uint8Array, file: string) => string> = {
  npy: (b, f) => `shape ${readNpy(b, { source: f, maxElements: LIMIT }).shape.join('×')}`,
  'py-literal': (b) =>
    JSON.stringify(parsePyLiteral(new TextDecoder().decode(b)), (_k, v: unknown) =>
      v instanceof Map ? Object.fromEntries(v) : v,
    ),
  npz: (b, f) =>
    Object.entries(readNpz(b, { source: f, maxElements: LIMIT, maxBytes: 1 << 24 }))
      .map(([k, a]) => `${k}: ${a.shape.join('×')}`)
      .join(', '),
  'npz-loader': (b, f) => {
    const a = readArrayFile(b, { source: f, maxElements: LIMIT });
    return 'width' in a ? `image ${a.width}×${a.height}` : `shape ${a.shape.join('×')}`;
  },
  png: (b, f) => {
    const img = decodePngImage(b, { source: f, maxPixels: LIMIT });
    return `${img.width}×${img.height}, ${img.channels} channel(s) of ${img.bitDepth} bits`;
  },
  nifti: (b, f) => describeVolume(b, f),
  'nrrd-mha': (b, f) => describeVolume(b, f),
  pairs: (_b, f) =>
    `${parsePairs(basename(f), { stdout: () => undefined, stderr: () => undefined, cwd: dirname(f) }).length} pairs`,
  labels: (b, f) => `${parseClassLabels(new TextDecoder().decode(b), f).length} classes`,
  config: (_b, f) =>
    `numClasses ${loadConfig(basename(f), { stdout: () => undefined, stderr: () => undefined, cwd: dirname(f) }).numClasses}`,
  palette: (b, f) => `${parsePalette(JSON.parse(new TextDecoder().decode(b)), f).length} palette entries`,
};

function describeVolume(bytes: Uint8Array, file: string): string {
  // A data file named by the header: beside the saved input, else the fuzz seeds' own (test/fixtures/volume).
  const companion = (n: string): Uint8Array => {
    const near = join(dirname(file), n);
    return new Uint8Array(readFileSync(existsSync(near) ? near : repoPath('test/fixtures/volume', n)));
  };
  const v = readVolume(bytes, { source: file, maxElements: LIMIT, readCompanion: companion });
  return `${v.format} ${v.geometry.dims.join('×')} × ${v.channels}, ${v.dtype}, origin ${v.geometry.origin.join(', ')}`;
}

/** The parser for a saved file: the longest PARSERS key its name starts with. */
export function parserFor(file: string): string | undefined {
  const name = basename(file);
  return Object.keys(PARSERS)
    .filter((k) => name.startsWith(k))
    .sort((a, b) => b.length - a.length)[0];
}

export function replay(file: string, parser = parserFor(file)): string {
  if (!parser || !PARSERS[parser]) {
    return `no parser for ${basename(file)}; name one of: ${Object.keys(PARSERS).join(', ')}`;
  }
  try {
    return `${parser}: parsed — ${PARSERS[parser](new Uint8Array(readFileSync(file)), file)}`;
  } catch (e) {
    // A refusal is an expected outcome and needs no stack; anything else is the bug being replayed.
    if (e instanceof Error && (e.name === 'InputError' || e.name === 'OptionError')) {
      return `${parser}: refused — ${e.message}`;
    }
    return e instanceof Error
      ? `${parser}: ${e.name}: ${e.message}\n${e.stack ?? ''}`
      : `${parser}: threw ${String(e)}`;
  }
}

if (require.main === module) {
  const [file, parser] = process.argv.slice(2);
  if (!file) {
    console.error('usage: npx tsx tools/fuzz/replay.ts <saved input> [parser]');
    process.exit(2);
  }
  console.log(replay(file, parser));
}

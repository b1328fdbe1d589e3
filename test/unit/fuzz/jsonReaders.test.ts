/**
 * Fuzzing the JSON inputs SegLens reads: the `seglens eval --pairs` file (src/cli/pairsFile.ts), `labels.json`
 * (src/node/io/classLabels.ts), the `--config` metric settings (src/cli/commands/metrics.ts → src/core/metrics/
 * config.ts) and `--palette` (src/core/io/palette.ts). Inputs: documents built from the keys each reader knows
 * with values of every JSON type (huge, negative, fractional, nested, wrong-typed), unknown and repeated keys,
 * valid files edited line by line and character by character, deep nesting, invalid UTF-8 and random JSON.
 * Driver and counts: test/support/fuzz.ts.
 */
import * as assert from 'node:assert/strict';
import { closeSync, ftruncateSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import fc from 'fast-check';
import type { CliIO } from '../../../src/cli/command';
import { loadConfig } from '../../../src/cli/commands/metrics';
import { parsePairs } from '../../../src/cli/pairsFile';
import { parsePalette } from '../../../src/core/io/palette';
import { parseClassLabels } from '../../../src/node/io/classLabels';
import { loadPaletteFile } from '../../../src/node/io/load';
import { fuzzIt, isProperRefusal } from '../../support/fuzz';
import { applyTextEdit, textEdit } from '../../support/fuzzMutate';
import { useTempDir } from '../../support/tempDir';

/** Any JSON value, with the numbers and strings readers trip on. */
const wild: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  fc.constantFrom(
    0,
    -1,
    1.5,
    1e308,
    -1e308,
    2 ** 31,
    2 ** 53 + 2,
    65536,
    65537,
    1e9,
    '',
    ' ',
    '#ff0000',
    'NaN',
    null,
    true,
  ),
  fc.constantFrom([], {}, [0, 0, 0], [255, 255, 255, 255], ['#000000'], { index: 1 }),
);

/** An object mostly of the keys `keys`, sometimes with an unknown one, each value typed right or wild. */
function objectOf(keys: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const names = Object.keys(keys);
  return fc
    .tuple(
      fc.subarray(names),
      fc.array(fc.boolean(), { minLength: names.length, maxLength: names.length }),
      fc.option(
        fc.tuple(
          fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', 'porb')),
          wild,
        ),
        { freq: 6, nil: undefined },
      ),
      fc.array(wild, { minLength: names.length, maxLength: names.length }),
      fc.tuple(...names.map((n) => keys[n]!)),
    )
    .map(([chosen, typed, extra, wilds, good]) => {
      const o: Record<string, unknown> = {};
      for (const k of chosen) {
        const i = names.indexOf(k);
        o[k] = typed[i] ? good[i] : wilds[i];
      }
      if (extra)
        Object.defineProperty(o, extra[0], {
          value: extra[1],
          enumerable: true,
          configurable: true,
          writable: true,
        });
      return o;
    });
}

/**
 * Text of a document: plain JSON, JSON with edits, deep nesting (as the whole document and as the value of one of
 * the reader's fields, placed by `wrap`), a BOM or invalid UTF-8.
 */
function documents(
  structured: fc.Arbitrary<unknown>,
  valid: string,
  wrap: (deep: string) => string[],
): fc.Arbitrary<Uint8Array> {
  const enc = (s: string) => new TextEncoder().encode(s);
  // Mostly shallow; one in ten is 20,000 deep, past where a recursive walk (JSON.stringify included) overflows.
  const depth = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 500 }) }, fc.constant(20_000));
  const deep = fc
    .tuple(depth, fc.boolean())
    .map(([d, arr]) => (arr ? `${'['.repeat(d)}${']'.repeat(d)}` : `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`));
  return fc.oneof(
    { weight: 8, arbitrary: structured.map((v) => enc(JSON.stringify(v, null, 1))) },
    {
      weight: 4,
      arbitrary: fc
        .array(textEdit(), { minLength: 1, maxLength: 3 })
        .map((edits) => enc(edits.reduce(applyTextEdit, valid))),
    },
    deep.map(enc),
    fc.tuple(deep, fc.nat()).map(([d, i]) => {
      const places = wrap(d);
      return enc(places[i % places.length]!);
    }),
    fc.constant(Uint8Array.of(0xef, 0xbb, 0xbf, ...enc(valid))),
    fc.uint8Array({ maxLength: 64 }).map((b) => Uint8Array.of(...enc(valid.slice(0, 10)), ...b, 0xff, 0xfe)),
    fc.jsonValue().map((v) => enc(JSON.stringify(v))),
  );
}

const path = fc.oneof(
  fc.constantFrom('gt/a.png', 'pred/a.png', '/abs/x.npy', '', '.', '..', 'a\u0000b'),
  fc.string({ maxLength: 10 }),
);
const pairEntry = objectOf({
  id: fc.oneof(fc.string({ maxLength: 5 }), fc.integer({ min: -3, max: 3 })),
  gt: path,
  pred: path,
  prob: fc.oneof(path, fc.constant(null)),
  spacing: fc.oneof(fc.array(fc.double({ min: -1, max: 10 }), { maxLength: 4 }), fc.constant(null)),
});
const PAIRS_VALID = JSON.stringify(
  [
    { id: 'a', gt: 'gt/a.png', pred: 'pred/a.png', prob: 'prob/a.npy', spacing: [0.5, 0.5] },
    { id: 2, gt: 'gt/b.png', pred: 'pred/b.png' },
  ],
  null,
  1,
);

const labelEntry = objectOf({
  index: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(2 ** 31 - 1, 2 ** 31, -1, 0.5)),
  name: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constant('x'.repeat(201))),
  color: fc.oneof(
    fc.constantFrom('#4363d8', '#FFFFFF', '4363d8', '#12345', '#gggggg'),
    fc.string({ maxLength: 8 }),
  ),
});
const LABELS_VALID = JSON.stringify(
  {
    classes: [
      { index: 0, name: 'background' },
      { index: 1, name: 'liver', color: '#4363d8' },
    ],
  },
  null,
  1,
);

const CONFIG_KEYS = {
  numClasses: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.constantFrom(65536, 65537, 0, 2 ** 53)),
  includeBackground: fc.boolean(),
  bothEmpty: fc.constantFrom('best', 'nan', 'zero'),
  connectivity: fc.constantFrom(4, 8, 6, 18, 26, 5),
  nsdTolerance: fc.double({ min: -1, max: 10 }),
  eceBins: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(1e9, 2 ** 31)),
  sweepSteps: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(1e9, 2 ** 31)),
  hdPercentile: fc.double({ min: -10, max: 110 }),
  fBetas: fc.array(fc.double({ min: -1, max: 5 }), { maxLength: 3 }),
  objectSizeBins: fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 4 }),
  ignoreIndex: fc.oneof(fc.integer({ min: -1, max: 300 }), fc.constant(null)),
  backgroundIndex: fc.integer({ min: -1, max: 5 }),
  matchIouThreshold: fc.double({ min: -1, max: 2 }),
};
const CONFIG_VALID = JSON.stringify(
  { numClasses: 3, includeBackground: false, nsdTolerance: 1, eceBins: 15 },
  null,
  1,
);

const paletteDoc = fc.oneof(
  fc.array(
    fc.oneof(
      fc.constantFrom('#000000', '#ff0000', '00ff00', '#fff'),
      fc.tuple(fc.integer({ min: -1, max: 256 }), fc.nat(255), fc.nat(255)),
    ),
    { maxLength: 6 },
  ),
  fc.record({
    classes: fc.array(
      objectOf({
        index: fc.oneof(fc.nat(300), fc.constantFrom(65535, 65536, 1e9, 2 ** 32)),
        color: fc.constantFrom('#000000', '#123456', '#ff0000', [1, 2, 3]),
      }),
      { maxLength: 5 },
    ),
  }),
);
const PALETTE_VALID = JSON.stringify(
  {
    classes: [
      { index: 0, color: '#000000' },
      { index: 3, color: '#ff0000' },
    ],
  },
  null,
  1,
);

describe('fuzz: JSON inputs (pairs, labels.json, --config, --palette)', () => {
  const tmp = useTempDir('seglens-fuzz-json');
  const io = (): CliIO => ({ stdout: () => undefined, stderr: () => undefined, cwd: tmp.path });
  const open = new Map<string, number>();
  /**
   * Writes `bytes` under the working directory and returns the relative name the reader is given. The file is
   * rewritten in place (write, then cut to length) rather than recreated: on ext4, replacing a file's contents with
   * O_TRUNC flushes it to disk, 2 ms per input.
   */
  const put = (name: string, bytes: Uint8Array): string => {
    let fd = open.get(name);
    if (fd === undefined) open.set(name, (fd = openSync(join(tmp.path, name), 'w+')));
    writeSync(fd, bytes, 0, bytes.length, 0);
    ftruncateSync(fd, bytes.length);
    return name;
  };
  after(() => {
    for (const fd of open.values()) closeSync(fd);
    open.clear();
  });

  fuzzIt(
    'pairs file: every entry read is complete, ids unique, spacing positive; anything else is refused naming the file',
    () => ({
      name: 'pairs',
      source: 'pairs.json',
      inputs: documents(
        fc.oneof({ weight: 4, arbitrary: fc.array(pairEntry, { maxLength: 4 }) }, wild),
        PAIRS_VALID,
        (d) =>
          ['id', 'gt', 'pred', 'prob', 'spacing', 'extra'].map(
            (k) => `[{"gt": "a", "pred": "b", "${k}": ${d}}]`,
          ),
      ),
      parse: (bytes) => {
        const pairs = parsePairs(put('pairs.json', bytes), io());
        assert.ok(pairs.length > 0);
        assert.equal(new Set(pairs.map((p) => p.id)).size, pairs.length, 'duplicate ids');
        for (const p of pairs) {
          assert.ok(typeof p.id === 'string' && isAbsolute(p.gt) && isAbsolute(p.pred));
          assert.ok(p.prob === undefined || isAbsolute(p.prob));
          assert.ok(p.spacing === undefined || p.spacing.every((s) => Number.isFinite(s) && s > 0));
        }
      },
      dump: (bytes) => bytes,
    }),
    { seed: 41, minParsedShare: 0.02 },
  );

  fuzzIt(
    'labels.json: classes read have unique integer indices, names and #rrggbb colours; the rest is refused',
    () => ({
      name: 'labels',
      source: 'labels.json',
      inputs: documents(
        fc.oneof(
          { weight: 4, arbitrary: fc.record({ classes: fc.array(labelEntry, { maxLength: 5 }) }) },
          wild,
        ),
        LABELS_VALID,
        (d) => [
          `{"classes": ${d}}`,
          ...['index', 'name', 'color'].map((k) => `{"classes": [{"index": 1, "name": "a", "${k}": ${d}}]}`),
        ],
      ),
      parse: (bytes) => {
        const labels = parseClassLabels(new TextDecoder().decode(bytes), 'labels.json');
        assert.equal(new Set(labels.map((l) => l.index)).size, labels.length);
        for (const l of labels) {
          assert.ok(Number.isInteger(l.index) && l.index >= 0 && l.name.length > 0);
          assert.ok(l.color === undefined || l.color.every((c) => Number.isInteger(c) && c >= 0 && c <= 255));
        }
      },
      dump: (bytes) => bytes,
    }),
    { seed: 42, minParsedShare: 0.02 },
  );

  fuzzIt(
    '--config: settings read are in their documented domains; unknown keys and bad values are refused naming the file',
    () => ({
      name: 'config',
      source: 'config.json',
      inputs: documents(fc.oneof({ weight: 4, arbitrary: objectOf(CONFIG_KEYS) }, wild), CONFIG_VALID, (d) =>
        [...Object.keys(CONFIG_KEYS), 'unknownKey'].map((k) => `{"${k}": ${d}}`),
      ),
      parse: (bytes) => {
        const c = loadConfig(put('config.json', bytes), io());
        assert.ok(Number.isInteger(c.numClasses) && c.numClasses >= 1 && c.numClasses <= 65536);
        assert.ok([4, 8, 6, 18, 26].includes(c.connectivity));
        assert.ok(c.bothEmpty === 'best' || c.bothEmpty === 'nan');
        assert.ok(Number.isFinite(c.nsdTolerance) && c.nsdTolerance >= 0);
      },
      // OptionError describes a value at a bounded depth (describeValue), so a deeply nested one is refused too.
      isRefusal: (e) => {
        return isProperRefusal(e, 'config.json');
      },
      dump: (bytes) => bytes,
    }),
    { seed: 43, minParsedShare: 0.02 },
  );

  fuzzIt(
    '--palette: colours read are [r, g, b] bytes, one class per colour, at most 65,536 classes; the rest is refused',
    () => ({
      name: 'palette',
      source: 'palette.json',
      inputs: fc.tuple(
        documents(fc.oneof({ weight: 4, arbitrary: paletteDoc }, wild), PALETTE_VALID, (d) => [
          `[${d}]`,
          `{"classes": ${d}}`,
          `{"classes": [{"index": ${d}, "color": "#000000"}]}`,
          `{"classes": [{"index": 1, "color": ${d}}]}`,
        ]),
        fc.boolean(),
      ),
      parse: ([bytes, viaFile]) => {
        // The direct form parses the JSON itself; a document that is not JSON goes through the file form, which
        // owns that refusal.
        let json: unknown;
        let direct = !viaFile;
        try {
          json = JSON.parse(new TextDecoder().decode(bytes));
        } catch {
          direct = false;
        }
        const palette = direct
          ? parsePalette(json, 'palette.json')
          : loadPaletteFile(put('palette.json', bytes), { cwd: tmp.path });
        assert.ok(palette.length <= 65536);
        const seen = new Set<string>();
        for (const rgb of palette) {
          if (!rgb) continue;
          assert.ok(rgb.length === 3 && rgb.every((c) => Number.isInteger(c) && c >= 0 && c <= 255));
          assert.ok(!seen.has(rgb.join()), 'two classes with one colour');
          seen.add(rgb.join());
        }
      },
      dump: ([bytes]) => bytes,
    }),
    { seed: 44, minParsedShare: 0.02 },
  );
});

describe('--config: deeply nested values (found by fuzzing)', () => {
  const tmp = useTempDir('seglens-fuzz-config');
  it('a 20,000-deep value of a known key is refused naming the file, not a stack overflow', () => {
    writeFileSync(join(tmp.path, 'deep.json'), `{"numClasses": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
    assert.throws(
      () => loadConfig('deep.json', { stdout: () => undefined, stderr: () => undefined, cwd: tmp.path }),
      (e: Error) => e.name === 'InputError' && e.message.startsWith('deep.json: '),
    );
  });
});

describe('labels.json: deeply nested values (found by fuzzing)', () => {
  it('a 20,000-deep index or colour is refused naming the file, not a stack overflow', () => {
    for (const key of ['index', 'color']) {
      const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
      const text = `{"classes": [{"index": 1, "name": "a", "${key}": ${deep}}]}`;
      assert.throws(
        () => parseClassLabels(text, 'labels.json'),
        (e: Error) =>
          e.name === 'InputError' && /^labels\.json: classes\[0\]: \w+ must .*got a list$/.test(e.message),
      );
    }
  });
});

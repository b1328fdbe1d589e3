/**
 * Fuzzing the NPY reader (src/core/io/npy.ts) and the Python-literal parser of its header (src/core/io/pyLiteral.ts):
 * mutated seed files, and headers generated field by field (dtype, order, shape with huge or negative dims, key
 * order, repeated and extra keys, versions, a header length that lies, data that is short or long) checked
 * against a model of what NumPy accepts. Driver and counts: test/support/fuzz.ts.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { InputError } from '../../../src/core/errors';
import { readNpy, readNpyHeader } from '../../../src/core/io/npy';
import { parsePyLiteral, type PyValue } from '../../../src/core/io/pyLiteral';
import { fuzzIt } from '../../support/fuzz';
import { mutatedBytes } from '../../support/fuzzMutate';
import { repoPath } from '../../support/repo';

const IO = repoPath('test/fixtures/io');
const SEEDS = readdirSync(IO)
  .filter((f) => f.endsWith('.npy'))
  .sort()
  .map((f) => new Uint8Array(readFileSync(`${IO}/${f}`)));
const LIMIT = 1_000_000;
const SOURCE = 'fuzz.npy';

const ARRAY_OF: Record<string, string> = {
  bool: 'Uint8Array',
  uint8: 'Uint8Array',
  int8: 'Int8Array',
  uint16: 'Uint16Array',
  int16: 'Int16Array',
  uint32: 'Uint32Array',
  int32: 'Int32Array',
  uint64: 'BigUint64Array',
  int64: 'BigInt64Array',
  float16: 'Float32Array',
  float32: 'Float32Array',
  float64: 'Float64Array',
};

/** What every parsed array must satisfy: shape of non-negative integers within the limit, data to match. */
function checkArray(bytes: Uint8Array): void {
  const a = readNpy(bytes, { source: SOURCE, maxElements: LIMIT });
  const n = a.shape.reduce((x, y) => x * y, 1);
  assert.ok(
    a.shape.every((d) => Number.isSafeInteger(d) && d >= 0),
    `shape ${a.shape}`,
  );
  assert.ok(n <= LIMIT);
  assert.equal(a.data.length, n, 'data length disagrees with the shape');
  assert.equal(a.data.constructor.name, ARRAY_OF[a.dtype], `array type of ${a.dtype}`);
  const h = readNpyHeader(bytes, { source: SOURCE, maxElements: LIMIT });
  assert.deepEqual(h.shape, a.shape);
}

// ---- structured headers -------------------------------------------------------------------------------------

const SUPPORTED: Record<string, number> = {
  b1: 1,
  '?': 1,
  u1: 1,
  i1: 1,
  u2: 2,
  i2: 2,
  f2: 2,
  u4: 4,
  i4: 4,
  f4: 4,
  u8: 8,
  i8: 8,
  f8: 8,
};

interface HeaderCase {
  descr: string;
  fortran: string;
  dims: (number | string)[];
  /** Key order and extras: each entry one "key: value" item of the dict. */
  order: number[];
  extra: string | undefined;
  quote: "'" | '"';
  version: number;
  /** Added to the true header length (0 = honest). */
  lenDelta: number;
  /** Data bytes relative to what the shape needs (0 = exact). */
  dataDelta: number;
  trailingComma: boolean;
}

const headerCase: fc.Arbitrary<HeaderCase> = fc.record({
  descr: fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom('<', '>', '|', '=', ''), fc.constantFrom(...Object.keys(SUPPORTED)))
        .map(([o, c]) => o + c),
    },
    fc.constantFrom('<c8', '|O', '<U3', '<f3', '|V8', '<M8[s]', '>m8[ns]', '|S5', '', '<', 'f16'),
    fc.string({ maxLength: 6 }),
  ),
  fortran: fc.constantFrom('True', 'False', 'True', 'False', 'None', '1', "'False'"),
  dims: fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 12 }) },
      fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 53, 2 ** 63, -1, 1e6, 1001),
      fc.constantFrom('1.5', 'None', "'3'", '1e3', '(2,)', '-0', '+4', '3L', '0x10'),
    ),
    { maxLength: 5 },
  ),
  order: fc.shuffledSubarray([0, 1, 2, 0, 1, 2], { minLength: 2, maxLength: 6 }),
  extra: fc.option(
    fc.constantFrom("'extra': 1", "'descr': '<f4'", "'shape': ()", '3: 4', "'x': {'y': [1, (2,)]}"),
    { freq: 5, nil: undefined },
  ),
  quote: fc.constantFrom("'" as const, '"' as const),
  version: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(1, 2, 3) }, fc.integer({ min: 0, max: 255 })),
  lenDelta: fc.oneof(
    { weight: 8, arbitrary: fc.constant(0) },
    fc.integer({ min: -40, max: 40 }),
    fc.constantFrom(1 << 20, 0xffff, 2 ** 31),
  ),
  dataDelta: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, fc.integer({ min: -16, max: 16 })),
  trailingComma: fc.boolean(),
});

function renderShape(dims: (number | string)[]): string {
  const items = dims.map(String);
  return `(${items.join(', ')}${items.length === 1 ? ',' : ''})`;
}

type Expect = { kind: 'accept'; shape: number[] } | { kind: 'refuse' } | { kind: 'either' };

/**
 * The file and what NumPy would do with it: read it (with this shape), refuse it, or — for the spellings where our
 * reader is stricter than `ast.literal_eval` but never wrong (`0x10`), or an extra item that repeats a key —
 * either, as long as what is read is consistent.
 */
function buildNpy(c: HeaderCase): { bytes: Uint8Array; expect: Expect } {
  const q = c.quote;
  const values = [
    `${q}descr${q}: ${q}${c.descr}${q}`,
    `${q}fortran_order${q}: ${c.fortran}`,
    `${q}shape${q}: ${renderShape(c.dims)}`,
  ];
  const items = c.order.map((k) => values[k]!);
  if (c.extra) items.push(c.extra);
  const dict = `{${items.join(', ')}${c.trailingComma ? ', ' : ''}}`;
  const text = dict.padEnd(60) + '\n';
  const headStart = c.version === 1 ? 10 : 12;
  const trueLen = text.length;
  const declared = Math.max(0, trueLen + c.lenDelta);
  // What the file's 2- or 4-byte field says after truncation (a delta of 2^16 wraps to an honest length).
  const stored = c.version === 1 ? declared & 0xffff : declared >>> 0;
  const lenDelta = stored - trueLen;

  const dims = c.dims.map((d) =>
    typeof d === 'number' ? d : /^[-+]?\d+L?$/.test(d) ? Number.parseInt(d, 10) + 0 : NaN,
  );
  const dimsOk = dims.every((d) => Number.isSafeInteger(d) && d >= 0);
  const n = dimsOk ? dims.reduce((x, y) => x * y, 1) : NaN;
  const code = /^[<>|=]?(.+)$/.exec(c.descr)?.[1] ?? '';
  const need = dimsOk && n <= LIMIT && code in SUPPORTED ? n * SUPPORTED[code]! : 64;
  const dataLen = Math.max(0, need + c.dataDelta);
  // Cutting only the padding off the header is harmless (the data then starts earlier and is long enough).
  const lengthOk = lenDelta === 0 || (lenDelta < 0 && -lenDelta <= trueLen - dict.length);
  const ok =
    new Set(c.order).size === 3 &&
    (c.version === 1 || c.version === 2 || c.version === 3) &&
    lengthOk &&
    (c.fortran === 'True' || c.fortran === 'False') &&
    dimsOk &&
    code in SUPPORTED &&
    n <= LIMIT &&
    dataLen >= need;
  const unusual =
    c.dims.some((d) => d === '0x10') || (c.extra !== undefined && /^'(descr|shape)'/.test(c.extra));
  const expect: Expect = unusual
    ? { kind: 'either' }
    : ok && c.extra === undefined
      ? { kind: 'accept', shape: dims }
      : { kind: 'refuse' };

  const bytes = new Uint8Array(headStart + trueLen + dataLen);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, c.version & 0xff, 0]);
  const view = new DataView(bytes.buffer);
  if (c.version === 1) view.setUint16(8, stored, true);
  else view.setUint32(8, stored, true);
  for (let i = 0; i < trueLen; i++) bytes[headStart + i] = text.charCodeAt(i);
  // The data are a byte ramp starting at 0 (a NUL: a header length that reaches into the data is never blank).
  for (let i = 0; i < dataLen; i++) bytes[headStart + trueLen + i] = (i * 37) & 0xff;
  return { bytes, expect };
}

// ---- Python literals ----------------------------------------------------------------------------------------

const { pyValue } = fc.letrec<{ pyValue: PyValue }>((tie) => ({
  pyValue: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ maxLength: 8 }).filter((s) => !/[\\'"\n\t]/.test(s)),
    fc.integer({ min: -1e12, max: 1e12 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('pyValue'), { maxLength: 4 }),
    fc.array(tie('pyValue'), { maxLength: 4 }).map((tuple) => ({ tuple })),
    fc
      .array(
        fc.tuple(
          fc.string({ maxLength: 6 }).filter((s) => !/[\\'"\n\t]/.test(s)),
          tie('pyValue'),
        ),
        { maxLength: 4 },
      )
      .map((entries) => new Map(entries)),
  ),
}));

/** Renders a value as Python source, with the spacing and trailing commas varied by `style`. */
function repr(v: PyValue, style: number): string {
  const sp = style & 1 ? ' ' : '';
  const comma = style & 2 ? ',' : '';
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return style & 4 ? `"${v}"` : `'${v}'`;
  if (Array.isArray(v))
    return `[${sp}${v.map((x) => repr(x, style)).join(`,${sp}`)}${v.length ? comma : ''}]`;
  if (v instanceof Map) {
    return `{${[...v].map(([k, x]) => `${repr(k, style)}:${sp}${repr(x, style)}`).join(`,${sp}`)}${v.size ? comma : ''}}`;
  }
  const items = v.tuple.map((x) => repr(x, style));
  return `(${items.join(`,${sp}`)}${items.length === 1 ? ',' : v.tuple.length ? comma : ''})`;
}

/** Literal-ish soup: the characters of the grammar, so inputs get deep into it before failing. */
const soup = fc
  .array(
    fc.constantFrom(
      '{',
      '}',
      '(',
      ')',
      '[',
      ']',
      ',',
      ':',
      "'",
      '"',
      ' ',
      '\\',
      '-',
      '+',
      '1',
      '0',
      '9',
      'L',
      '.',
      'e',
      'True',
      'False',
      'None',
      'x',
      '\n',
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('fuzz: NPY reader and its header literal', () => {
  fuzzIt(
    'NPY: mutated seed files parse consistently or are refused naming the file',
    () => ({
      name: 'npy-mutated',
      source: SOURCE,
      inputs: mutatedBytes(SEEDS, 140),
      parse: (m) => checkArray(m.bytes),
      dump: (m) => m.bytes,
    }),
    { seed: 1, minParsedShare: 0.01 },
  );

  fuzzIt(
    'NPY: generated headers (dtypes, orders, huge/negative dims, keys, versions, lying lengths) match the model',
    () => ({
      name: 'npy-headers',
      source: SOURCE,
      inputs: headerCase,
      parse: (c) => {
        const { bytes, expect } = buildNpy(c);
        let a;
        try {
          a = readNpy(bytes, { source: SOURCE, maxElements: LIMIT });
        } catch (e) {
          if (expect.kind === 'accept' && e instanceof InputError) {
            throw new assert.AssertionError({ message: `a header NumPy reads was refused: ${e.message}` });
          }
          throw e;
        }
        assert.notEqual(expect.kind, 'refuse', 'a header NumPy refuses was accepted');
        if (expect.kind === 'accept') assert.deepEqual(a.shape, expect.shape);
        checkArray(bytes);
      },
      dump: (c) => buildNpy(c).bytes,
    }),
    { seed: 2, minParsedShare: 0.05 },
  );

  fuzzIt(
    'Python literal: rendered values round-trip; literal soup is refused with a RangeError naming the position',
    () => ({
      name: 'py-literal',
      source: 'literal',
      inputs: fc.oneof(
        fc
          .record({ value: pyValue, style: fc.integer({ min: 0, max: 7 }) })
          .map((r) => ({ text: repr(r.value, r.style), value: r.value as PyValue | undefined })),
        soup.map((text) => ({ text, value: undefined as PyValue | undefined })),
        fc.string({ maxLength: 30 }).map((text) => ({ text, value: undefined as PyValue | undefined })),
        fc
          .integer({ min: 1, max: 400 })
          .map((d) => ({ text: '['.repeat(d) + ']'.repeat(d), value: undefined as PyValue | undefined })),
      ),
      parse: ({ text, value }) => {
        const v = parsePyLiteral(text);
        if (value !== undefined) assert.deepEqual(v, value);
      },
      isRefusal: (e) => e instanceof RangeError && /at character \d+$/.test(e.message),
      dump: ({ text }) => text,
    }),
    { seed: 3, minParsedShare: 0.2 },
  );
});

/** Python's own reading of each text: `{ok: value}` (ints as digit strings, tuples and dicts tagged) or `{err}`. */
const PY_READER = `
import ast, io, json, sys, tokenize
# NumPy reads Python 2 headers by dropping the L of long integers first: numpy.lib.format._filter_header.
def filter_header(s):
    tokens = []
    last_was_number = False
    for token in tokenize.generate_tokens(io.StringIO(s).readline):
        if last_was_number and token[0] == tokenize.NAME and token[1] == "L":
            continue
        tokens.append(token)
        last_was_number = token[0] == tokenize.NUMBER
    return tokenize.untokenize(tokens)
def conv(v):
    if v is None or isinstance(v, (bool, str)): return v
    if isinstance(v, int): return {"int": str(v)}
    if isinstance(v, tuple): return {"tuple": [conv(x) for x in v]}
    if isinstance(v, list): return [conv(x) for x in v]
    if isinstance(v, dict): return {"dict": [[conv(k), conv(x)] for k, x in v.items()]}
    return {"other": type(v).__name__}
out = []
for s in json.load(sys.stdin):
    try:
        s = filter_header(s)
        out.append({"ok": conv(ast.literal_eval(s))})
    except Exception as e:
        out.append({"err": type(e).__name__})
print(json.dumps(out))
`;

/** Our value in the same tagged form as PY_READER's. */
function tagged(v: PyValue): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return { int: String(v) };
  if (Array.isArray(v)) return v.map(tagged);
  if (v instanceof Map) return { dict: [...v].map(([k, x]) => [k, tagged(x)]) };
  return { tuple: v.tuple.map(tagged) };
}

describe('Python literal: sound against ast.literal_eval (an independent reference)', () => {
  it('whatever our parser reads, Python reads too, with the same value (4,000 texts; stricter is allowed)', function () {
    const python = '/usr/bin/python3';
    if (!existsSync(python)) this.skip();
    this.timeout(120_000);
    const texts = [
      ...fc.sample(soup, { seed: 91, numRuns: 3000 }),
      ...fc
        .sample(fc.record({ value: pyValue, style: fc.integer({ min: 0, max: 7 }) }), {
          seed: 92,
          numRuns: 1000,
        })
        .map((r) => repr(r.value, r.style)),
    ];
    const r = spawnSync(python, ['-c', PY_READER], {
      input: JSON.stringify(texts),
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    assert.equal(r.status, 0, r.stderr);
    const py = JSON.parse(r.stdout) as ({ ok: unknown } | { err: string })[];
    let ours = 0;
    const disagreements: string[] = [];
    texts.forEach((text, i) => {
      let v: PyValue;
      try {
        v = parsePyLiteral(text);
      } catch {
        return; // refusing what Python reads is allowed: NumPy never writes such headers
      }
      ours++;
      const p = py[i]!;
      // Integers beyond 2^53 are refused later (shapes must be safe integers); compare them as doubles.
      const norm = (x: unknown): unknown =>
        JSON.parse(JSON.stringify(x), (_k, y: unknown) =>
          y && typeof y === 'object' && 'int' in y ? Number((y as { int: string }).int) : y,
        );
      if (!('ok' in p)) disagreements.push(`${JSON.stringify(text)}: we read it, Python raises ${p.err}`);
      else if (JSON.stringify(norm(p.ok)) !== JSON.stringify(norm(tagged(v)))) {
        disagreements.push(
          `${JSON.stringify(text)}: we read ${JSON.stringify(tagged(v))}, Python ${JSON.stringify(p.ok)}`,
        );
      }
    });
    console.log(`      ${texts.length} texts, ${ours} read by us, ${disagreements.length} disagreements`);
    assert.deepEqual(disagreements.slice(0, 10), []);
    assert.ok(ours > 1000);
  });
});

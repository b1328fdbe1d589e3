/**
 * A reader for the small subset of Python literals a .npy header is written in (NumPy writes it with `repr` and
 * reads it with `ast.literal_eval`): dicts, tuples, lists, strings, integers, True/False/None. Parsing it as the
 * literal it is — instead of matching regexes — gives NumPy's answers on the odd cases: a duplicated key keeps its
 * last value, an extra key or a nested structure is visible, and nothing inside a string is mistaken for a key.
 */

export type PyValue = string | number | boolean | null | PyValue[] | PyTuple | PyDict;
export interface PyTuple {
  tuple: PyValue[];
}
export type PyDict = Map<string, PyValue>;

/** Parses `text`; throws a RangeError saying where it stopped making sense. Nesting is limited to `maxDepth`. */
export function parsePyLiteral(text: string, maxDepth = 16): PyValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new RangeError(`${what} at character ${i + 1}`);
  };
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const value = (depth: number): PyValue => {
    if (depth > maxDepth) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') return dict(depth);
    if (c === '(' || c === '[') return sequence(depth, c);
    if (c === "'" || c === '"') return string();
    if (c !== undefined && /[-+\d]/.test(c)) return integer();
    for (const [word, v] of [
      ['True', true],
      ['False', false],
      ['None', null],
    ] as const) {
      if (text.startsWith(word, i) && !/\w/.test(text[i + word.length] ?? '')) {
        i += word.length;
        return v;
      }
    }
    return fail(c === undefined ? 'unexpected end' : `unexpected ${JSON.stringify(c)}`);
  };
  const string = (): string => {
    const q = text[i++];
    let out = '';
    while (i < text.length && text[i] !== q) {
      // A quoted string cannot span lines in Python (ast.literal_eval raises SyntaxError).
      if (text[i] === '\n') fail('unterminated string');
      if (text[i] === '\\') {
        const n = text[i + 1];
        out += n === 'n' ? '\n' : n === 't' ? '\t' : (n ?? '');
        i += 2;
      } else out += text[i++];
    }
    if (text[i] !== q) fail('unterminated string');
    i++;
    return out;
  };
  const integer = (): number => {
    const m = /^[-+]?\d+L?/.exec(text.slice(i, i + 40));
    if (!m) return fail('malformed number');
    // Python 3 refuses leading zeros ("09"), except in zero itself ("00").
    if (/^[-+]?0\d/.test(m[0]) && /[1-9]/.test(m[0])) fail('leading zeros in an integer');
    i += m[0].length;
    if (/^[.eE]/.test(text[i] ?? '')) fail('only integers are expected');
    // `+ 0` turns "-0" into 0: Python's integers have no negative zero, and a shape of (-0,) must equal (0,).
    return Number.parseInt(m[0], 10) + 0;
  };
  const sequence = (depth: number, open: string): PyValue => {
    const close = open === '(' ? ')' : ']';
    i++;
    const items: PyValue[] = [];
    let sawComma = false;
    for (;;) {
      ws();
      if (text[i] === close) {
        i++;
        break;
      }
      items.push(value(depth + 1));
      ws();
      if (text[i] === ',') {
        i++;
        sawComma = true;
      } else if (text[i] !== close) fail(`expected "," or "${close}"`);
    }
    // `(3)` is the number 3 in Python, `(3,)` a tuple: keep that distinction.
    if (open === '(') return items.length === 1 && !sawComma ? items[0]! : { tuple: items };
    return items;
  };
  const dict = (depth: number): PyDict => {
    i++;
    const out: PyDict = new Map();
    for (;;) {
      ws();
      if (text[i] === '}') {
        i++;
        return out;
      }
      const k = value(depth + 1);
      if (typeof k !== 'string') fail('dict keys must be strings');
      ws();
      if (text[i] !== ':') fail('expected ":"');
      i++;
      // A repeated key keeps its last value, as in Python.
      out.set(k as string, value(depth + 1));
      ws();
      if (text[i] === ',') i++;
      else if (text[i] !== '}') fail('expected "," or "}"');
    }
  };
  const v = value(0);
  ws();
  if (i < text.length) fail('trailing characters');
  return v;
}

/**
 * The Python function a cursor is on, from the file's text (pure): the word under the cursor when a `def` of that
 * name is in the file, otherwise the innermost `def` around the cursor. Also which of its two tensor parameters is
 * the target, so SegLens can call it the way the training code does (Keras `fn(y_true, y_pred)`, PyTorch
 * `loss(input, target)`).
 */

export interface PyFunction {
  name: string;
  /** Parameter names in order (without `self`, `*args`, `**kwargs` or defaults). */
  params: string[];
  /** 0-based first and last line of the function (the `def` line through its last indented line). */
  startLine: number;
  endLine: number;
}

const DEF = /^(\s*)(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(([^)]*)\)?/;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function paramsOf(list: string): string[] {
  return list
    .split(',')
    .map((p) => p.trim().split(/[:=]/)[0].trim())
    .filter((p) => /^[A-Za-z_]\w*$/.test(p) && p !== 'self' && p !== 'cls');
}

function functionFrom(lines: readonly string[], defLine: number): PyFunction | undefined {
  const m = DEF.exec(lines[defLine]);
  if (!m) return undefined;
  const indent = m[1].length;
  // Parameters may span lines: collect up to the closing parenthesis.
  let header = lines[defLine].slice(lines[defLine].indexOf('(') + 1);
  for (let i = defLine + 1; !header.includes(')') && i < lines.length && i < defLine + 20; i++)
    header += lines[i];
  const params = paramsOf(header.split(')')[0]);
  let end = defLine;
  for (let i = defLine + 1; i < lines.length; i++) {
    const t = lines[i];
    if (t.trim() === '' || t.trimStart().startsWith('#')) continue;
    if (indentOf(t) <= indent && !/^\s*[)\]]/.test(t)) break;
    end = i;
  }
  return { name: m[2], params, startLine: defLine, endLine: end };
}

/** Every `def` of the text, in order. */
export function functionsOf(text: string): PyFunction[] {
  const lines = text.split(/\r?\n/);
  const out: PyFunction[] = [];
  lines.forEach((line, i) => {
    if (DEF.test(line)) {
      const f = functionFrom(lines, i);
      if (f) out.push(f);
    }
  });
  return out;
}

/** The identifier at `character` of `line`, if any. */
export function wordAt(line: string, character: number): string | undefined {
  const re = /[A-Za-z_]\w*/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (character >= m.index && character <= m.index + m[0].length) return m[0];
  }
  return undefined;
}

/**
 * The function the cursor (0-based line and character) is on: the one named by the word under it, else the
 * innermost one containing the line. `name` only (no params) when the word names a function defined elsewhere.
 */
export function functionAt(
  text: string,
  line: number,
  character: number,
): PyFunction | { name: string } | undefined {
  const lines = text.split(/\r?\n/);
  const all = functionsOf(text);
  const word = line < lines.length ? wordAt(lines[line], character) : undefined;
  const named = word ? all.find((f) => f.name === word) : undefined;
  if (named) return named;
  const around = all.filter((f) => f.startLine <= line && line <= f.endLine).pop();
  if (around) return around;
  // A call like `dice_coeff(` of an imported function: its name, without a definition to read.
  if (
    word &&
    lines[line]
      .slice(lines[line].indexOf(word) + word.length)
      .trimStart()
      .startsWith('(')
  ) {
    return { name: word };
  }
  return undefined;
}

const TARGET = /^(y_?true|true|targets?|gts?|ground_?truth|masks?|labels?|y)$/i;
const PRED = /^(y_?pred|preds?|predictions?|probs?|logits|outputs?|inputs?|input|x|scores?)$/i;

/**
 * Whether the function takes the target first. From its first two parameter names when they say; otherwise the
 * Keras convention (`y_true, y_pred`), with `because` saying it was assumed.
 */
export function targetFirst(params: readonly string[] | undefined): {
  targetFirst: boolean;
  because: string;
} {
  const [a, b] = params ?? [];
  if (a !== undefined && b !== undefined) {
    if (TARGET.test(a) || PRED.test(b))
      return { targetFirst: true, because: `its parameters are (${a}, ${b})` };
    if (PRED.test(a) || TARGET.test(b))
      return { targetFirst: false, because: `its parameters are (${a}, ${b})` };
  }
  return { targetFirst: true, because: 'assumed (y_true, y_pred), the Keras order' };
}

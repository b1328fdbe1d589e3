/**
 * Layout and rank evidence written in the code: shape comments and docstrings ("(B, C, H, W)", "NHWC",
 * "channels_first"), rank checks (`x.dim() == 5`), 3-D axis tuples, and subscripts with one index per axis
 * (`x[:, 1:, :, :, :]` is 5-D). module.ts combines them into a function's layout.
 */
import type { SNode } from './syntax';
import type { Layout } from './types';

export const LAYOUT_3D: Record<'NHWC' | 'NCHW', Layout> = { NHWC: 'NDHWC', NCHW: 'NCDHW' };

/** Shape hints in comments and docstrings: "(B, C, H, W)", "[B, C, D, H, W]", "NHWC", "channels_first". */
export function layoutFromText(text: string): Layout | undefined {
  const tuple = /[([]\s*(?:B|N|b|n|batch)\s*,\s*([^()[\]]{1,40}?)[)\]]/g;
  for (let m = tuple.exec(text); m; m = tuple.exec(text)) {
    const dims = m[1].split(',').map((s) => s.trim().toUpperCase());
    if (dims.length < 2 || dims.length > 4) continue;
    // A literal 1 is a singleton channel axis (binary masks written [B, H, W, 1] or (B, 1, H, W)).
    const c = dims.findIndex(
      (d) => d === 'C' || d === 'K' || d === 'CLASSES' || d === 'NUM_CLASSES' || d === '1',
    );
    const spatial = dims.filter(
      (d) => d === 'H' || d === 'W' || d === 'D' || d === 'Z' || d === 'Y' || d === 'X',
    );
    if (c < 0 || spatial.length < 2) continue;
    const is3d = spatial.length === 3;
    if (c === 0) return is3d ? 'NCDHW' : 'NCHW';
    if (c === dims.length - 1) return is3d ? 'NDHWC' : 'NHWC';
  }
  const word = /\b(NCDHW|NDHWC|NCHW|NHWC|channels_first|channels_last)\b/.exec(text);
  if (word) {
    const w = word[1];
    if (w === 'channels_first') return 'NCHW';
    if (w === 'channels_last') return 'NHWC';
    return w as Layout;
  }
  return undefined;
}

/** Rank 5 from the text of a function: `assert x.dim() == 5`, `x.ndim == 5`, `len(x.shape) == 5`, 3-D axis tuples. */
export function rank5FromText(fnText: string): boolean {
  return (
    /(\.dim\(\)|\.ndim|len\([^)]*\.shape\))\s*==\s*5/.test(fnText) ||
    /(axis|dim|dims)\s*=\s*[[(]\s*(1\s*,\s*)?2\s*,\s*3\s*,\s*4\s*[\])]/.test(fnText)
  );
}

/**
 * The rank a subscript shows: the number of axes it indexes (`x[:, 1:, :, :, :]` → 5, `x[:, 0]` → 2, `x[..., 0]`
 * → 1). `None` adds an axis rather than indexing one, and `...` stands for axes the subscript does not count, so
 * the number is a lower bound on the rank of the subscripted value.
 */
export function subscriptRank(node: SNode): number {
  let n = 0;
  for (const c of node.children)
    if (c.field === 'subscript' && c.type !== 'none' && c.type !== 'ellipsis') n++;
  return n;
}

/** "(B, C, H, W)" or "[B, C, H, W]" -> ["B", "C", "H", "W"] */
export function axesFromComment(text: string): string[] | undefined {
  const m = /#.*?[([]\s*((?:[A-Za-z]\w{0,10}\s*,\s*){1,4}[A-Za-z]\w{0,10})\s*[)\]]/.exec(text);
  if (!m) return undefined;
  const dims = m[1].split(',').map((d) => d.trim().toUpperCase());
  if (!/^(B|N|BATCH)$/.test(dims[0])) return undefined;
  return dims.map((d) =>
    /^(B|N|BATCH)$/.test(d) ? 'B' : /^(C|K|CLASSES|NUM_CLASSES)$/.test(d) ? 'C' : d[0],
  );
}

/**
 * A shape hint for tensors already flattened per sample: "(B, N)", "[batch, -1]", "(B, H*W)" in a docstring or a
 * comment. The matched text, or undefined. Class-first forms ("(B, C)", "(N, C)") are not flat pixel tensors.
 */
export function flatFromText(text: string): string | undefined {
  const m =
    /[([]\s*(?:B|N|bs|batch|batch_size)\s*,\s*(?:N|L|P|HW|H\s*\*\s*W|D\s*\*\s*H\s*\*\s*W|-1|pixels|n_pixels|num_pixels)\s*[)\]]/i.exec(
      text,
    );
  return m ? m[0] : undefined;
}

/**
 * A plain-JavaScript copy of the tree-sitter syntax tree. Every accessor of a web-tree-sitter node crosses into
 * WebAssembly, and the analysis visits nodes many times, so the tree is copied once (iteratively, with a cursor,
 * so deep nesting cannot overflow the stack) and all later passes run on these objects.
 */
import type { Tree, TreeCursor } from 'web-tree-sitter';
import type { Position, Range } from './types';

export interface SNode {
  /** Dense id, unique within one tree; used as a memo key. */
  id: number;
  type: string;
  named: boolean;
  /** Field name in the parent ("function", "arguments", "left", ...), or null. */
  field: string | null;
  /** UTF-16 offsets into the text. */
  start: number;
  end: number;
  parent: SNode | null;
  children: SNode[];
  /** Nesting depth from the root, used to bound recursive analyses. */
  depth: number;
  error: boolean;
}

export interface SyntaxTree {
  root: SNode;
  text: string;
  /** Offsets of the first character of each line. */
  lineStarts: number[];
  /** All nodes in document order (pre-order). */
  nodes: SNode[];
}

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Converts an offset to a 0-based line/character position (binary search over line starts). */
export function positionAt(lineStarts: readonly number[], offset: number): Position {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - lineStarts[lo] };
}

export function rangeOf(tree: SyntaxTree, start: number, end: number): Range {
  const clampedStart = Math.max(0, Math.min(start, tree.text.length));
  const clampedEnd = Math.max(clampedStart, Math.min(end, tree.text.length));
  return { start: positionAt(tree.lineStarts, clampedStart), end: positionAt(tree.lineStarts, clampedEnd) };
}

export function nodeRange(tree: SyntaxTree, node: SNode): Range {
  return rangeOf(tree, node.start, node.end);
}

/** Old top-level statements that an incremental re-parse may reuse, with their offsets in the new text. */
export interface ReusableStatements {
  /** Old top-level nodes whose text did not change, keyed by "newStart:newEnd:type". */
  byRange: Map<string, { node: SNode; delta: number }>;
  /** Ranges (new offsets) where tree-sitter reports structural changes: nodes touching them are re-copied. */
  changed: Array<[number, number]>;
}

interface TypeInfo {
  name: string;
  named: boolean;
}

const typeCache = new WeakMap<object, TypeInfo[]>();

function typeInfo(tsTree: Tree, typeId: number): TypeInfo {
  const language = tsTree.language;
  let table = typeCache.get(language);
  if (!table) {
    table = [];
    typeCache.set(language, table);
  }
  let info = table[typeId];
  if (!info) {
    info = { name: language.nodeTypeForId(typeId) ?? 'ERROR', named: language.nodeTypeIsNamed(typeId) };
    table[typeId] = info;
  }
  return info;
}

function shiftSubtree(node: SNode, delta: number, parent: SNode): void {
  node.parent = parent;
  if (delta === 0) return;
  walk(node, (n) => {
    n.start += delta;
    n.end += delta;
  });
}

/**
 * Copies a tree-sitter tree into SNode objects. Comments are kept (shape hints and suppressions live there).
 * With `reuse`, unchanged top-level statements of the previous copy are moved over instead of copied again,
 * which keeps re-linting after an edit cheap: WebAssembly calls dominate the cost of a copy.
 */
export function convertTree(tsTree: Tree, text: string, reuse?: ReusableStatements): SyntaxTree {
  const cursor: TreeCursor = tsTree.walk();
  const fields = tsTree.language.fields;
  const make = (parent: SNode | null): SNode => {
    const info = typeInfo(tsTree, cursor.nodeTypeId);
    const fieldId = parent ? cursor.currentFieldId : 0;
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    const node: SNode = {
      id: 0,
      type: info.name,
      named: info.named,
      field: fieldId ? (fields[fieldId] ?? null) : null,
      start,
      end,
      parent,
      children: [],
      depth: parent ? parent.depth + 1 : 0,
      // MISSING nodes are zero-width tokens inserted by error recovery.
      error: info.name === 'ERROR' || (start === end && parent !== null && !info.named),
    };
    if (parent) parent.children.push(node);
    return node;
  };
  const root = make(null);
  /** Moves an unchanged old statement under the new root, or returns undefined when it must be copied. */
  const tryReuse = (): SNode | undefined => {
    if (!reuse) return undefined;
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    const key = `${start}:${end}:${typeInfo(tsTree, cursor.nodeTypeId).name}`;
    const old = reuse.byRange.get(key);
    if (!old) return undefined;
    for (const [a, b] of reuse.changed) if (a <= end && b >= start) return undefined;
    reuse.byRange.delete(key);
    shiftSubtree(old.node, old.delta, root);
    root.children.push(old.node);
    return old.node;
  };
  let skipChildren = false;
  const enter = (parent: SNode): SNode => {
    const reused = parent === root ? tryReuse() : undefined;
    skipChildren = reused !== undefined;
    return reused ?? make(parent);
  };
  // Iterative pre-order walk: descend when possible, otherwise move to the next sibling or climb up.
  let current = root;
  outer: for (;;) {
    if (!skipChildren && cursor.gotoFirstChild()) {
      current = enter(current);
      continue;
    }
    for (;;) {
      if (cursor.gotoNextSibling()) {
        current = enter(current.parent as SNode);
        continue outer;
      }
      if (!cursor.gotoParent()) break outer;
      current = current.parent as SNode;
      skipChildren = false;
    }
  }
  cursor.delete();
  const nodes: SNode[] = [];
  walk(root, (n) => {
    n.id = nodes.length;
    nodes.push(n);
  });
  return { root, text, lineStarts: lineStartsOf(text), nodes };
}

export function textOf(tree: SyntaxTree, node: SNode): string {
  return tree.text.slice(node.start, node.end);
}

export function child(node: SNode, field: string): SNode | undefined {
  for (const c of node.children) if (c.field === field) return c;
  return undefined;
}

export function namedChildren(node: SNode): SNode[] {
  return node.children.filter((c) => c.named && c.type !== 'comment');
}

/** Calls `visit` for every node below `root` (pre-order) without recursion; return false to skip children. */
export function walk(root: SNode, visit: (node: SNode) => boolean | void): void {
  const stack: SNode[] = [root];
  while (stack.length) {
    const node = stack.pop() as SNode;
    if (visit(node) === false) continue;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
}

/**
 * True when `node` lies inside an ERROR node (its meaning is uncertain, so rules skip it). A complete function
 * definition is sound on its own even when error recovery wrapped it (and the rest of the file) in an ERROR.
 */
export function insideError(node: SNode): boolean {
  for (let n: SNode | null = node; n; n = n.parent) {
    if (n.error) return true;
    if (n.type === 'function_definition') return false;
  }
  return false;
}

/** Strips redundant parentheses. */
export function unparen(node: SNode): SNode {
  let n = node;
  while (n.type === 'parenthesized_expression') {
    const inner = namedChildren(n)[0];
    if (!inner) break;
    n = inner;
  }
  return n;
}

/** The operator token of a binary/boolean/comparison/unary/augmented node. */
export function operatorOf(tree: SyntaxTree, node: SNode): string {
  const op = child(node, 'operator');
  if (op) return textOf(tree, op);
  const anon = node.children.find((c) => !c.named);
  return anon ? textOf(tree, anon) : '';
}

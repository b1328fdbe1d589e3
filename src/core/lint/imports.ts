/**
 * Import-alias resolution. A call such as `K.sum`, `backend.sum`, `tf.math.reduce_sum` or `torch.sum` is
 * resolved through the module's imports to a dotted path and then to a short canonical name ("K.sum",
 * "tf.reduce_sum", "torch.sum"), so the rules match one spelling per framework function.
 */
import { child, namedChildren, textOf, walk, type SNode, type SyntaxTree } from './syntax';

/** Local name -> fully qualified dotted path ("K" -> "tensorflow.keras.backend"). */
export type AliasMap = Map<string, string>;

/**
 * Aliases that snippets commonly use without importing them (copied from a notebook or a tutorial). They apply
 * only when the module binds the name in no other way.
 */
const CONVENTIONAL: Record<string, string> = {
  K: 'keras.backend',
  B: 'keras.backend',
  tf: 'tensorflow',
  ops: 'keras.ops',
  torch: 'torch',
  F: 'torch.nn.functional',
  nn: 'torch.nn',
  np: 'numpy',
  keras: 'keras',
};

/** Longest prefix first: a qualified path is shortened to the canonical module alias. */
const PREFIXES: Array<[string, string]> = [
  ['tensorflow.python.keras.backend', 'K'],
  ['tensorflow.keras.backend', 'K'],
  ['tensorflow.compat.v1.keras.backend', 'K'],
  ['keras.src.backend', 'K'],
  ['keras.backend', 'K'],
  ['tensorflow.keras.ops', 'ops'],
  ['keras.src.ops', 'ops'],
  ['keras.ops', 'ops'],
  ['tensorflow.keras.losses', 'losses'],
  ['keras.losses', 'losses'],
  ['tensorflow.keras.metrics', 'metrics'],
  ['keras.metrics', 'metrics'],
  ['tensorflow.metrics', 'metrics'],
  ['tensorflow.compat.v1.metrics', 'metrics'],
  ['tensorflow.keras.layers', 'layers'],
  ['keras.layers', 'layers'],
  ['tensorflow.keras.activations', 'activations'],
  ['keras.activations', 'activations'],
  ['tensorflow.keras', 'keras'],
  ['keras', 'keras'],
  ['tensorflow.compat.v1.math', 'tf'],
  ['tensorflow.compat.v1.nn', 'tf'],
  ['tensorflow.compat.v1', 'tf'],
  ['tensorflow.math', 'tf'],
  ['tensorflow.nn', 'tf'],
  ['tensorflow.image', 'tf'],
  ['tensorflow', 'tf'],
  ['torch.nn.functional', 'F'],
  ['torch.nn.modules.loss', 'nn'],
  ['torch.nn', 'nn'],
  ['torch.special', 'torch'],
  ['torch.linalg', 'torch'],
  ['torch', 'torch'],
  ['numpy', 'np'],
  ['math', 'math'],
];

const canonicalCache = new Map<string, string>();

export function canonicalPath(qualified: string): string {
  const hit = canonicalCache.get(qualified);
  if (hit !== undefined) return hit;
  let out = qualified;
  for (const [prefix, alias] of PREFIXES) {
    if (qualified === prefix) {
      out = alias;
      break;
    }
    if (qualified.startsWith(prefix) && qualified.charCodeAt(prefix.length) === 46) {
      out = alias + qualified.slice(prefix.length);
      break;
    }
  }
  // Bounded: the keys are dotted names that appear in linted code.
  if (canonicalCache.size < 10000) canonicalCache.set(qualified, out);
  return out;
}

function dotted(tree: SyntaxTree, node: SNode): string {
  return textOf(tree, node).replace(/\s+/g, '');
}

/** Collects `import a.b as c`, `from a import b as c` anywhere in the module (imports inside functions count). */
export function collectAliases(tree: SyntaxTree): { aliases: AliasMap; imported: Set<string> } {
  const aliases: AliasMap = new Map();
  const imported = new Set<string>();
  walk(tree.root, (node) => {
    if (node.type === 'import_statement') {
      for (const item of namedChildren(node)) {
        if (item.type === 'dotted_name') {
          const path = dotted(tree, item);
          imported.add(path);
          // `import torch.nn.functional` binds `torch`.
          const head = path.split('.')[0];
          aliases.set(head, head);
        } else if (item.type === 'aliased_import') {
          const name = child(item, 'name');
          const alias = child(item, 'alias');
          if (name && alias) {
            const path = dotted(tree, name);
            imported.add(path);
            aliases.set(textOf(tree, alias), path);
          }
        }
      }
      return false;
    }
    if (node.type === 'import_from_statement') {
      const moduleNode = child(node, 'module_name');
      if (!moduleNode) return false;
      const base = dotted(tree, moduleNode);
      imported.add(base);
      for (const item of node.children) {
        if (item === moduleNode) continue;
        if (item.field !== 'name') continue;
        if (item.type === 'dotted_name') {
          const name = dotted(tree, item);
          aliases.set(name, `${base}.${name}`);
        } else if (item.type === 'aliased_import') {
          const name = child(item, 'name');
          const alias = child(item, 'alias');
          if (name && alias) aliases.set(textOf(tree, alias), `${base}.${dotted(tree, name)}`);
        }
      }
      return false;
    }
    return true;
  });
  return { aliases, imported };
}

/**
 * Resolves an expression naming a function (`K.sum`, `tf.math.log`, `sigmoid`) to its canonical name, or
 * undefined when the head is not an imported (or conventional) module name. `locals` are names the module
 * defines itself, which shadow the conventional aliases.
 */
export function resolveName(
  tree: SyntaxTree,
  node: SNode,
  aliases: AliasMap,
  locals: ReadonlySet<string>,
): string | undefined {
  const parts: string[] = [];
  let n: SNode | undefined = node;
  while (n && n.type === 'attribute') {
    const attr = child(n, 'attribute');
    if (!attr) return undefined;
    parts.unshift(textOf(tree, attr));
    n = child(n, 'object');
  }
  if (!n || n.type !== 'identifier') return undefined;
  const head = textOf(tree, n);
  let base = aliases.get(head);
  if (base === undefined && !locals.has(head)) base = CONVENTIONAL[head];
  if (base === undefined) return undefined;
  return canonicalPath([base, ...parts].join('.'));
}

/** The framework family a canonical name belongs to. */
export function frameworkOf(canonical: string): 'keras' | 'torch' | 'numpy' | undefined {
  const head = canonical.split('.')[0];
  if (['K', 'tf', 'ops', 'keras', 'layers', 'losses', 'metrics', 'activations'].includes(head))
    return 'keras';
  if (['torch', 'F', 'nn'].includes(head)) return 'torch';
  if (head === 'np') return 'numpy';
  return undefined;
}

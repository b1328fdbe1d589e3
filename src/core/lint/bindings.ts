/**
 * Where names get their values inside one function: assignments, tuple unpacking, augmented assignments, loop and
 * `with` targets, in source order — plus the module-level and `self.x = …` assignments that calls look up. The axis
 * engine (engine.ts) reads a name's value from the last binding that ends before the use.
 */
import type { Events } from './events';
import type { FunctionInfo, ModuleModel } from './module';
import { child, namedChildren, operatorOf, textOf, walk, type SNode } from './syntax';

export interface Binding {
  /** End offset of the binding statement: uses after it see this binding. */
  end: number;
  /** The binding statement (assignment / loop header), to find the branches it sits in. */
  node?: SNode;
  value?: SNode;
  /** `a += b` */
  augmented?: { op: string; right: SNode; node: SNode };
}

export type Bindings = Map<string, Binding[]>;

const BRANCHING = new Set([
  'if_statement',
  'elif_clause',
  'else_clause',
  'for_statement',
  'while_statement',
  'try_statement',
  'except_clause',
  'match_statement',
]);

function addBinding(bindings: Bindings, name: string, b: Binding): void {
  const list = bindings.get(name);
  if (list) list.push(b);
  else bindings.set(name, [b]);
}

/**
 * Every binding in the body of `fn` (nested functions, classes and lambdas excluded), ordered by position, and the
 * expressions of its return statements. Subscript assignments (`labels[labels == 255] = 0`) go to `mutations`.
 */
export function collectBindings(
  model: ModuleModel,
  fn: FunctionInfo,
  mutations: Events['mutations'],
): { bindings: Bindings; returns: SNode[] } {
  const { tree } = model;
  const bindings: Bindings = new Map();
  const returns: SNode[] = [];
  walk(fn.body, (n) => {
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda')
      return false;
    if (n.type === 'assignment') {
      collectAssignment(model, n, bindings, mutations);
      return true;
    }
    if (n.type === 'augmented_assignment') {
      const left = child(n, 'left');
      const right = child(n, 'right');
      if (left && right && left.type === 'identifier') {
        addBinding(bindings, textOf(tree, left), {
          end: n.end,
          augmented: { op: operatorOf(tree, n).replace('=', ''), right, node: n },
        });
      }
      return true;
    }
    if (n.type === 'for_statement' || n.type === 'with_item' || n.type === 'for_in_clause') {
      const left = child(n, 'left') ?? child(n, 'alias');
      if (left) {
        walk(left, (m) => {
          if (m.type === 'identifier') addBinding(bindings, textOf(tree, m), { end: n.start });
          return true;
        });
      }
      return true;
    }
    if (n.type === 'return_statement') {
      const v = namedChildren(n)[0];
      if (v) returns.push(v);
    }
    return true;
  });
  // Bindings must be ordered by position for the lookup.
  for (const list of bindings.values()) list.sort((a, b) => a.end - b.end);
  return { bindings, returns };
}

/**
 * `collectBindings` memoised per function: a function called from many places (or many times with different
 * arguments) is walked once. The result depends only on the function's syntax, which a FunctionInfo fixes.
 */
const bindingMemo = new WeakMap<
  FunctionInfo,
  { bindings: Bindings; returns: SNode[]; mutations: Events['mutations'] }
>();

export function functionBindings(
  model: ModuleModel,
  fn: FunctionInfo,
): { bindings: Bindings; returns: SNode[]; mutations: Events['mutations'] } {
  let hit = bindingMemo.get(fn);
  if (!hit) {
    const mutations: Events['mutations'] = [];
    hit = { ...collectBindings(model, fn, mutations), mutations };
    bindingMemo.set(fn, hit);
  }
  return hit;
}

function collectAssignment(
  model: ModuleModel,
  n: SNode,
  bindings: Bindings,
  mutations: Events['mutations'],
): void {
  const { tree } = model;
  const left = child(n, 'left');
  const right = child(n, 'right');
  if (!left) return;
  const stmtEnd = n.end;
  if (left.type === 'identifier')
    addBinding(bindings, textOf(tree, left), { end: stmtEnd, value: right, node: n });
  else if (left.type === 'pattern_list' || left.type === 'tuple_pattern') {
    const names = namedChildren(left);
    const values =
      right && (right.type === 'expression_list' || right.type === 'tuple') ? namedChildren(right) : [];
    names.forEach((nm, i) => {
      if (nm.type === 'identifier') {
        addBinding(bindings, textOf(tree, nm), {
          end: stmtEnd,
          node: n,
          value: values.length === names.length ? values[i] : undefined,
        });
      }
    });
  } else if (left.type === 'subscript') {
    const v = child(left, 'value');
    if (v && v.type === 'identifier') mutations.push({ name: textOf(tree, v), node: n });
  }
}

/**
 * Index of the last binding in `list` (sorted by end) that ends at or before offset `at`, or -1. A binary search:
 * a name rebound on every line of a long `forward` (`x = f(x)`) is looked up once per line, so a scan would make
 * the whole function quadratic.
 */
export function lastBindingIndex(list: readonly Binding[], at: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].end <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The last binding of `name` that ends at or before offset `at`. */
export function bindingBefore(bindings: Bindings, name: string, at: number): Binding | undefined {
  const list = bindings.get(name);
  if (!list) return undefined;
  const i = lastBindingIndex(list, at);
  return i >= 0 ? list[i] : undefined;
}

/** The outermost if/for/while/try around `stmt` (inside `fn`) that does not contain offset `at`. */
export function enclosingBranch(fn: FunctionInfo, stmt: SNode, at: number): SNode | undefined {
  let found: SNode | undefined;
  for (let n = stmt.parent; n && n !== fn.body && n !== fn.node; n = n.parent) {
    if (n.start <= at && at < n.end) break;
    if (BRANCHING.has(n.type)) found = n;
  }
  return found;
}

/**
 * Module-level and per-class assignment tables, built once per module model (and per class) on first use: every
 * `self.conv_i(x)` of a long `forward` asks for its attribute, and walking the class each time made linting
 * quadratic in the class's size.
 */
const moduleTables = new WeakMap<ModuleModel, Map<string, SNode | undefined>>();
const classTables = new WeakMap<SNode, Map<string, SNode | undefined>>();

/** The right-hand side of the first module-level `name = …`. */
export function moduleAssignment(model: ModuleModel, name: string): SNode | undefined {
  let table = moduleTables.get(model);
  if (!table) {
    table = new Map();
    const { tree } = model;
    for (const stmt of tree.root.children) {
      const a = stmt.type === 'expression_statement' ? namedChildren(stmt)[0] : undefined;
      if (a && a.type === 'assignment') {
        const left = child(a, 'left');
        if (left && left.type === 'identifier') {
          const key = textOf(tree, left);
          if (!table.has(key)) table.set(key, child(a, 'right'));
        }
      }
    }
    moduleTables.set(model, table);
  }
  return table.get(name);
}

/** The right-hand side of the last `self.<attr> = …` in a class of the module. */
export function selfAssignment(model: ModuleModel, className: string, attr: string): SNode | undefined {
  const cls = model.classes.get(className);
  if (!cls) return undefined;
  let table = classTables.get(cls.node);
  if (!table) {
    table = new Map();
    const { tree } = model;
    walk(cls.node, (n) => {
      if (n.type === 'assignment') {
        const left = child(n, 'left');
        if (left && left.type === 'attribute') {
          const text = textOf(tree, left).replace(/\s+/g, '');
          if (text.startsWith('self.')) table!.set(text.slice(5), child(n, 'right'));
        }
      }
      return true;
    });
    classTables.set(cls.node, table);
  }
  return table.get(attr);
}

/** Statements whose bodies may or may not run (an arm's own nested branches make its end value uncertain). */
export const BRANCHING_TYPES = new Set([
  'if_statement',
  'for_statement',
  'while_statement',
  'try_statement',
  'match_statement',
]);

/** An arm of an `if`: its consequence block, an `elif` or the `else`. */
function isArm(n: SNode): boolean {
  const p = n.parent;
  if (!p || p.type !== 'if_statement') return false;
  return n.type === 'elif_clause' || n.type === 'else_clause' || child(p, 'consequence') === n;
}

/** The `if` statement containing offset `at` in one arm and `stmt` in another, if there is one. */
export function siblingArmIf(stmt: SNode, at: number): SNode | undefined {
  for (let n = stmt.parent; n; n = n.parent) {
    if (n.start <= at && at < n.end) return undefined;
    if (isArm(n) && n.parent && n.parent.start <= at && at < n.parent.end) return n.parent;
  }
  return undefined;
}

/** An arm that ends in return/raise/continue/break: its bindings never reach the code after the `if`. */
export function leavesBlock(arm: SNode): boolean {
  const body = arm.type === 'block' ? arm : (child(arm, 'consequence') ?? child(arm, 'body') ?? arm);
  const stmts = namedChildren(body).filter((c) => c.type !== 'comment');
  const last = stmts[stmts.length - 1];
  return (
    last !== undefined &&
    (last.type === 'return_statement' ||
      last.type === 'raise_statement' ||
      last.type === 'continue_statement' ||
      last.type === 'break_statement')
  );
}

/**
 * The module model: functions, classes, imports, and the context facts of the catalog's §0 — role (loss,
 * metric, helper), framework, layout and rank — each with the reason it was inferred, because every message
 * states its assumptions.
 */
import { canonicalPath, collectAliases, frameworkOf, resolveName } from './imports';
import {
  axesFromComment,
  flatFromText,
  LAYOUT_3D,
  layoutFromText,
  rank5FromText,
  subscriptRank,
} from './layout';
import type { ClassInfo, Family, FunctionInfo, ModuleModel } from './moduleTypes';
import { callArgs, type CallArgs } from './signatures';
import { child, namedChildren, textOf, unparen, walk, type SNode, type SyntaxTree } from './syntax';
import type { Layout, LintOptions, Role } from './types';

export type { ClassInfo, CompileUse, Family, FunctionInfo, ModuleModel } from './moduleTypes';

const LOSS_NAME = /loss|objective|criterion|bce|crossentropy|cross_entropy|focal|nll/i;
const METRIC_NAME =
  /(coef|coeff|coefficient|score|metric|dice|iou|jaccard|accuracy|tversky|f1|overlap|similarity)/i;

function functionInfo(tree: SyntaxTree, node: SNode, className?: string): FunctionInfo | undefined {
  const nameNode = child(node, 'name');
  const paramsNode = child(node, 'parameters');
  const body = child(node, 'body');
  if (!nameNode || !paramsNode || !body) return undefined;
  const params: FunctionInfo['params'] = [];
  for (const p of namedChildren(paramsNode)) {
    if (p.type === 'identifier') params.push({ name: textOf(tree, p), node: p });
    else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
      const n = child(p, 'name');
      const v = child(p, 'value');
      if (n) params.push({ name: textOf(tree, n), node: n, default: v });
    } else if (p.type === 'typed_parameter') {
      const n = namedChildren(p).find((c) => c.type === 'identifier');
      if (n) params.push({ name: textOf(tree, n), node: n });
    }
  }
  if (className && params.length && (params[0].name === 'self' || params[0].name === 'cls')) params.shift();
  let docstring = '';
  const first = namedChildren(body)[0];
  if (first && first.type === 'expression_statement') {
    const s = namedChildren(first)[0];
    if (s && s.type === 'string') docstring = textOf(tree, s);
  }
  return {
    node,
    name: textOf(tree, nameNode),
    className,
    params,
    body,
    role: 'helper',
    roleReason: '',
    roleFromUse: false,
    family: undefined,
    layout: undefined,
    layoutReason: '',
    docstring,
  };
}

/** Identifiers a `compile(loss=...)` / `metrics=[...]` value names. */
function namesIn(tree: SyntaxTree, value: SNode): SNode[] {
  const v = unparen(value);
  if (v.type === 'identifier') return [v];
  if (v.type === 'list' || v.type === 'tuple') return namedChildren(v).flatMap((c) => namesIn(tree, c));
  if (v.type === 'dictionary') {
    return namedChildren(v)
      .filter((p) => p.type === 'pair')
      .flatMap((p) => {
        const val = child(p, 'value');
        return val ? namesIn(tree, val) : [];
      });
  }
  return [];
}

/** Names bound at the top level of the module, and the numeric constants among them (`SMOOTH = 1e-5`). */
function topLevelNames(tree: SyntaxTree): { locals: Set<string>; constants: Map<string, SNode> } {
  const locals = new Set<string>();
  const constants = new Map<string, SNode>();
  for (const stmt of tree.root.children) {
    if (stmt.type !== 'expression_statement') continue;
    const a = namedChildren(stmt)[0];
    const left = a && a.type === 'assignment' ? child(a, 'left') : undefined;
    const right = a && a.type === 'assignment' ? child(a, 'right') : undefined;
    if (left && left.type === 'identifier') {
      const name = textOf(tree, left);
      locals.add(name);
      if (right && (right.type === 'float' || right.type === 'integer' || right.type === 'unary_operator')) {
        constants.set(name, right);
      }
    }
  }
  return { locals, constants };
}

/**
 * Classes and functions (methods included) of the module, in one pass over the pre-order node list: classes
 * first (methods need their class), then functions. Top-level names are added to `locals`.
 */
function collectDefinitions(
  tree: SyntaxTree,
  locals: Set<string>,
  resolve: (node: SNode) => string | undefined,
): { functions: FunctionInfo[]; classes: Map<string, ClassInfo> } {
  const functions: FunctionInfo[] = [];
  const classes = new Map<string, ClassInfo>();
  for (const node of tree.nodes) {
    if (node.type !== 'class_definition') continue;
    const nameNode = child(node, 'name');
    const body = child(node, 'body');
    if (!nameNode || !body) continue;
    const name = textOf(tree, nameNode);
    locals.add(name);
    const superclasses = child(node, 'superclasses');
    const bases = superclasses ? namedChildren(superclasses).map((b) => resolve(b) ?? textOf(tree, b)) : [];
    classes.set(name, { node, name, bases, methods: new Map() });
  }
  for (const node of tree.nodes) {
    if (node.type !== 'function_definition') continue;
    // A method is a function whose parent block (possibly through a decorator) belongs to a class.
    let owner = node.parent;
    if (owner && owner.type === 'decorated_definition') owner = owner.parent;
    const cls =
      owner && owner.type === 'block' && owner.parent?.type === 'class_definition' ? owner.parent : undefined;
    const clsName = cls ? textOf(tree, child(cls, 'name') ?? cls) : undefined;
    const info = clsName ? classes.get(clsName) : undefined;
    const f = functionInfo(tree, node, info ? clsName : undefined);
    if (!f) continue;
    functions.push(f);
    if (info) info.methods.set(f.name, f);
    else if (node.parent === tree.root || node.parent?.parent === tree.root) locals.add(f.name);
  }
  return { functions, classes };
}

/** The module body as a pseudo-function (top-level statements). */
function moduleFunctionOf(tree: SyntaxTree): FunctionInfo {
  return {
    node: tree.root,
    name: '<module>',
    params: [],
    body: tree.root,
    role: 'helper',
    roleReason: '',
    roleFromUse: false,
    family: undefined,
    layout: undefined,
    layoutReason: '',
    docstring: '',
  };
}

/** The 0-based line of a node, by binary search over the line starts. */
function lineOfNode(tree: SyntaxTree, node: SNode): number {
  let lo = 0;
  let hi = tree.lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tree.lineStarts[mid] <= node.start) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** `# seglens: layout=NCHW` anywhere in the file. */
function fileLayoutSetting(model: ModuleModel): ModuleModel['fileLayout'] {
  const { tree } = model;
  for (const n of tree.nodes) {
    if (n.type !== 'comment') continue;
    const m = /seglens:\s*layout\s*[=:]\s*(NHWC|NCHW|NDHWC|NCDHW)\b/.exec(textOf(tree, n));
    if (m) return { layout: m[1] as Layout, reason: `file setting on line ${model.lineOf(n) + 1}` };
  }
  return undefined;
}

/**
 * The module model of one parsed text. `fallbackFamily`: the framework to assume when the text itself shows none
 * (a loss file that only imports its helpers from a project module written in that framework).
 */
export function buildModule(tree: SyntaxTree, options: LintOptions, fallbackFamily?: Family): ModuleModel {
  const { aliases } = collectAliases(tree);
  const { locals, constants } = topLevelNames(tree);
  // Names are resolved many times (scan, family, engine, rules): memoise per node for this lint.
  const resolved = new Map<number, string | undefined>();
  const resolve = (node: SNode): string | undefined => {
    if (resolved.has(node.id)) return resolved.get(node.id);
    const r = resolveName(tree, node, aliases, locals);
    resolved.set(node.id, r);
    return r;
  };
  const { functions, classes } = collectDefinitions(tree, locals, resolve);
  const functionsByName = new Map<string, FunctionInfo>();
  for (const f of functions) if (!f.className && !functionsByName.has(f.name)) functionsByName.set(f.name, f);

  const commentByLine = new Map<number, string>();
  const moduleFunction = moduleFunctionOf(tree);
  const model: ModuleModel = {
    moduleFunction,
    shapeHintAt: (node) => {
      if (commentByLine.size === 0) {
        for (const n of tree.nodes)
          if (n.type === 'comment') commentByLine.set(model.lineOf(n), textOf(tree, n));
        commentByLine.set(-1, '');
      }
      const c = commentByLine.get(model.lineOf(node));
      return c ? axesFromComment(c) : undefined;
    },
    tree,
    aliases,
    locals,
    functions,
    functionsByName,
    classes,
    compileUses: [],
    backwardUses: new Map(),
    calls: [],
    family: undefined,
    constants,
    options,
    resolve,
    lineOf: (node) => lineOfNode(tree, node),
  };
  scanModule(model);
  model.family ??= fallbackFamily;
  const fileLayout = fileLayoutSetting(model);
  if (fileLayout) model.fileLayout = fileLayout;
  const aliasKey = JSON.stringify([...aliases]) + [...locals].sort().join(',');
  const scans = new Map<FunctionInfo, FunctionScan>();
  for (const f of functions) {
    const scan = scanFunction(model, f, aliasKey);
    scans.set(f, scan);
    inferFunctionFacts(model, f, scan);
  }
  moduleFunction.family = model.family;
  inferRoles(model, scans);
  return model;
}

/** 'NCHW' / 'NHWC' from a data-format string (`'channels_first'`, `"channels_last"`). */
function dataFormatLayout(text: string): 'NCHW' | 'NHWC' | undefined {
  return text.includes('channels_first') ? 'NCHW' : text.includes('channels_last') ? 'NHWC' : undefined;
}

/** Module-wide layout evidence: `set_image_data_format(...)` (wins) and the first `data_format=` keyword. */
function noteLayoutEvidence(model: ModuleModel, node: SNode, name: string | undefined, args: CallArgs): void {
  const { tree } = model;
  if (name && /set_image_data_format$/.test(name)) {
    const arg = args.positional[0];
    const text = arg ? textOf(tree, arg) : '';
    const layout = dataFormatLayout(text);
    if (layout) {
      model.moduleLayout = {
        layout,
        reason: `set_image_data_format(${text}) on line ${model.lineOf(node) + 1}`,
      };
    }
  }
  const df = args.keywords.get('data_format');
  if (df && !model.moduleLayout) {
    const text = textOf(tree, df);
    const layout = dataFormatLayout(text);
    if (layout)
      model.moduleLayout = { layout, reason: `data_format=${text} on line ${model.lineOf(df) + 1}` };
  }
}

/** `model.compile(loss=..., metrics=[...])`: the functions named there are a loss / metrics. */
function noteCompileUses(model: ModuleModel, args: CallArgs): void {
  for (const [kw, kind] of [
    ['loss', 'loss'],
    ['metrics', 'metric'],
  ] as const) {
    const v = args.keywords.get(kw);
    if (v)
      for (const n of namesIn(model.tree, v))
        model.compileUses.push({ node: n, name: textOf(model.tree, n), kind });
  }
}

/** `loss = f(...)` … `loss.backward()`: f (or the forward of the class f instantiates) is a loss. */
function noteBackward(model: ModuleModel, fn: SNode, node: SNode, assignedFrom: Map<string, SNode>): void {
  const { tree } = model;
  const obj = child(fn, 'object');
  if (!obj || obj.type !== 'identifier') return;
  const source = assignedFrom.get(textOf(tree, obj));
  const callee = source && source.type === 'call' ? child(source, 'function') : undefined;
  if (!callee || callee.type !== 'identifier') return;
  let target = textOf(tree, callee);
  // `criterion = DiceLoss()` then `loss = criterion(...)`: the class's forward is the loss.
  const inst = assignedFrom.get(target);
  const instFn = inst && inst.type === 'call' ? child(inst, 'function') : undefined;
  if (instFn && instFn.type === 'identifier' && model.classes.has(textOf(tree, instFn))) {
    target = `${textOf(tree, instFn)}.forward`;
  }
  model.backwardUses.set(target, node);
}

const OUTPUT_FUNCTION = /save|write|export|visuali[sz]e|plot|show|dump|predict|infer|post_?process/i;
const INPUT_FUNCTION = /load|read|getitem|dataset|prepare|augment/i;
/** A thresholded or argmaxed prediction: `(prob > 0.5)`, `pred.argmax(1)`. */
const PREDICTION_DECISION = /\b(prob\w*|pred\w*|outputs?|logits?|scores?|y_hat|sigmoid\(.*\))\s*[<>]|argmax/;
const OUTPUT_CALL = /\b(imwrite|imsave|fromarray|np\.save|savez|\.save\(|write_png|to_file)\b/;

/**
 * Integer-mask evidence counts only for masks fed to training (issue 15 §8): a cast of thresholded or argmaxed
 * predictions, a cast in a statement that saves, or in a function that saves, exports or shows results is output
 * code. A function that loads or prepares data is input code whatever it does.
 */
function outputCast(model: ModuleModel, node: SNode): boolean {
  const { tree } = model;
  let stmt: SNode = node;
  for (let n: SNode | null | undefined = node; n; n = n.parent) {
    if (n.type === 'expression_statement' || n.type === 'return_statement') stmt = n;
    if (n.type === 'function_definition') {
      const name = child(n, 'name');
      const fnName = name ? textOf(tree, name) : '';
      if (INPUT_FUNCTION.test(fnName)) return false;
      if (OUTPUT_FUNCTION.test(fnName)) return true;
      break;
    }
  }
  const text = textOf(tree, stmt);
  return PREDICTION_DECISION.test(text) || OUTPUT_CALL.test(text);
}

/** One call of the module scan: framework use, integer-mask evidence, layout evidence, compile(), backward(). */
function scanCall(
  model: ModuleModel,
  node: SNode,
  counts: Record<Family, number>,
  assignedFrom: Map<string, SNode>,
): void {
  const { tree } = model;
  model.calls.push(node);
  const fn = child(node, 'function');
  if (!fn) return;
  const name = model.resolve(fn);
  if (name) {
    const fam = frameworkOf(name);
    if (fam) counts[fam]++;
    if (/\.uint8$/.test(name) && !model.integerMaskEvidence && !outputCast(model, node))
      model.integerMaskEvidence = node;
  }
  const args = callArgs(tree, node);
  noteLayoutEvidence(model, node, name, args);
  if (fn.type !== 'attribute') return;
  const attr = child(fn, 'attribute');
  const attrName = attr ? textOf(tree, attr) : '';
  if (attrName === 'compile') noteCompileUses(model, args);
  if (attrName === 'backward') noteBackward(model, fn, node, assignedFrom);
  if (
    attrName === 'astype' &&
    /uint8|int/.test(textOf(tree, node)) &&
    !model.integerMaskEvidence &&
    !outputCast(model, node)
  ) {
    model.integerMaskEvidence = node;
  }
}

/** One pass over all calls: compile(), backward(), layout evidence, framework use, integer-mask evidence. */
function scanModule(model: ModuleModel): void {
  const { tree } = model;
  const counts = { keras: 0, torch: 0, numpy: 0 };
  const assignedFrom = new Map<string, SNode>();
  walk(tree.root, (node) => {
    if (node.type === 'assignment') {
      const left = child(node, 'left');
      const right = child(node, 'right');
      if (left && right && left.type === 'identifier') assignedFrom.set(textOf(tree, left), right);
    }
    if (
      node.type === 'string' &&
      /uint8|'u1'/.test(textOf(tree, node)) &&
      !model.integerMaskEvidence &&
      !outputCast(model, node)
    ) {
      model.integerMaskEvidence = node;
    }
    if (node.type === 'call') scanCall(model, node, counts, assignedFrom);
    return true;
  });
  // Imports break ties and decide files that call no framework function yet (numpy is imported everywhere,
  // so it weighs less).
  for (const path of new Set(model.aliases.values())) {
    const fam = frameworkOf(canonicalPath(path));
    if (fam) counts[fam] += fam === 'numpy' ? 0.25 : 0.5;
  }
  const best = (Object.entries(counts) as Array<[Family, number]>).sort((a, b) => b[1] - a[1])[0];
  model.family = best[1] > 0 ? best[0] : undefined;
}

/** Facts that depend only on a function's own text (and the module's import aliases). */
interface FunctionScan {
  aliasKey: string;
  counts: Record<Family, number>;
  hinted?: Layout;
  /** A flattened-per-sample shape hint inside the function ("(B, N)"). */
  flat?: string;
  rank5: boolean;
  /** The subscript that showed rank 5 (`x[:, 1:, :, :, :]`), when one did and it is short enough to quote. */
  rank5Subscript?: string;
  permute?: Layout;
  complement: boolean;
  callees: string[];
}

/**
 * Memoised per function node object: an incremental re-parse reuses the node objects of unchanged statements,
 * so re-linting after an edit rescans only the edited function.
 */
const scanMemo = new WeakMap<SNode, FunctionScan>();
const TORCH_METHODS = new Set([
  'view',
  'permute',
  'unsqueeze',
  'contiguous',
  'clamp',
  'clamp_min',
  'float',
  'detach',
]);

function scanFunction(model: ModuleModel, f: FunctionInfo, aliasKey: string): FunctionScan {
  const memo = scanMemo.get(f.node);
  if (memo && memo.aliasKey === aliasKey) return memo;
  const { tree } = model;
  const counts = { keras: 0, torch: 0, numpy: 0 };
  const hints: string[] = [];
  const callees = new Set<string>();
  let complement = false;
  let indexRank5: SNode | undefined;
  walk(f.node, (node) => {
    if (node.type === 'comment') hints.push(textOf(tree, node));
    else if (node.type === 'subscript' && !indexRank5 && subscriptRank(node) >= 5) indexRank5 = node;
    else if (node.type === 'call') {
      const fn = child(node, 'function');
      const name = fn ? model.resolve(fn) : undefined;
      const fam = name ? frameworkOf(name) : undefined;
      if (fam) counts[fam] += 2;
      if (fn && fn.type === 'identifier') callees.add(textOf(tree, fn));
      // Tensor methods with `dim=` or `.view(...)` are PyTorch.
      if (fn && fn.type === 'attribute') {
        if (callArgs(tree, node).keywords.has('dim')) counts.torch++;
        const attr = child(fn, 'attribute');
        if (attr && TORCH_METHODS.has(textOf(tree, attr))) counts.torch++;
      }
    } else if (node.type === 'return_statement' && ownFunction(node) === f.node) {
      const v = namedChildren(node)[0];
      const e = v ? unparen(v) : undefined;
      if (e && e.type === 'binary_operator') {
        const left = child(e, 'left');
        const op = child(e, 'operator');
        if (left && op && textOf(tree, op) === '-' && /^1(\.0*)?$/.test(textOf(tree, left)))
          complement = true;
      }
      if (e && e.type === 'unary_operator' && textOf(tree, e).startsWith('-')) complement = true;
    }
    return true;
  });
  if (f.docstring) hints.push(f.docstring);
  const fnText = textOf(tree, f.node);
  const rank5 = indexRank5 !== undefined || rank5FromText(fnText);
  const subscriptText = indexRank5 ? textOf(tree, indexRank5).replace(/\s+/g, ' ') : '';
  const permuteHint = /\.permute\(\s*0\s*,\s*(3|4)\s*,\s*1\s*,\s*2\s*(,\s*3\s*)?\)/.exec(fnText);
  const scan: FunctionScan = {
    aliasKey,
    counts,
    hinted: hints.map(layoutFromText).find((l) => l !== undefined),
    flat: hints.map(flatFromText).find((l) => l !== undefined),
    rank5,
    rank5Subscript: subscriptText && subscriptText.length <= 40 ? subscriptText : undefined,
    permute: permuteHint ? (permuteHint[1] === '4' ? 'NCDHW' : 'NCHW') : undefined,
    complement,
    callees: [...callees],
  };
  scanMemo.set(f.node, scan);
  return scan;
}

function ownFunction(node: SNode): SNode | undefined {
  for (let n = node.parent; n; n = n.parent)
    if (n.type === 'function_definition' || n.type === 'lambda') return n;
  return undefined;
}

function familyOfFunction(model: ModuleModel, f: FunctionInfo, scan: FunctionScan): Family | undefined {
  const ranked = (Object.entries(scan.counts) as Array<[Family, number]>).sort((a, b) => b[1] - a[1]);
  if (ranked[0][1] > 0) return ranked[0][0];
  if (f.className) {
    const cls = model.classes.get(f.className);
    if (cls?.bases.some((b) => b.startsWith('nn.') || b.startsWith('torch'))) return 'torch';
    if (cls?.bases.some((b) => b.startsWith('losses.') || b.startsWith('keras'))) return 'keras';
  }
  return model.family;
}

function inferFunctionFacts(model: ModuleModel, f: FunctionInfo, scan: FunctionScan): void {
  const { tree } = model;
  f.family = familyOfFunction(model, f, scan);
  if (scan.flat) f.flatInputs = scan.flat;
  if (model.fileLayout) {
    f.layout = model.fileLayout.layout;
    f.layoutReason = model.fileLayout.reason;
    return;
  }
  const setting = model.options.layout;
  if (setting && setting !== 'auto') {
    f.layout = setting;
    f.layoutReason = 'layout setting';
    return;
  }
  if (model.moduleLayout) {
    f.layout = model.moduleLayout.layout;
    f.layoutReason = model.moduleLayout.reason;
  }
  // Shape hints: comments and the docstring inside the function, then the comments just above it.
  let hinted = scan.hinted;
  let prev = f.node.parent?.type === 'decorated_definition' ? f.node.parent : f.node;
  for (let i = 0; i < 3 && !hinted; i++) {
    const idx = prev.parent ? prev.parent.children.indexOf(prev) : -1;
    const sib = idx > 0 && prev.parent ? prev.parent.children[idx - 1] : undefined;
    if (!sib || sib.type !== 'comment') break;
    hinted = layoutFromText(textOf(tree, sib));
    prev = sib;
  }
  if (hinted && !model.moduleLayout) {
    f.layout = hinted;
    f.layoutReason = 'shape comment in the function';
  }
  if (!f.layout && scan.permute) {
    f.layout = scan.permute;
    f.layoutReason = 'one_hot(...).permute to channels_first';
  }
  if (!f.layout) {
    if (f.family === 'keras') {
      f.layout = 'NHWC';
      f.layoutReason = 'Keras default channels_last';
    } else if (f.family === 'torch') {
      f.layout = 'NCHW';
      f.layoutReason = 'PyTorch default channels_first';
    }
  }
  if (f.layout && scan.rank5 && (f.layout === 'NHWC' || f.layout === 'NCHW')) {
    f.layout = LAYOUT_3D[f.layout];
    f.layoutReason += scan.rank5Subscript ? `, rank 5 from ${scan.rank5Subscript}` : ', rank 5 from the code';
  }
}

function setRole(f: FunctionInfo, role: Role, reason: string, fromUse: boolean): void {
  f.role = role;
  f.roleReason = reason;
  f.roleFromUse = fromUse;
}

function inferRoles(model: ModuleModel, scans: Map<FunctionInfo, FunctionScan>): void {
  for (const f of model.functions) {
    const qualified = f.className ? `${f.className}.${f.name}` : f.name;
    const compiled = model.compileUses.find((u) => u.name === f.name && !f.className);
    const backward = model.backwardUses.get(qualified) ?? model.backwardUses.get(f.name);
    const cls = f.className ? model.classes.get(f.className) : undefined;
    if (compiled && compiled.kind === 'loss') setRole(f, 'loss', 'passed to compile(loss=...)', true);
    else if (backward) setRole(f, 'loss', 'its result reaches .backward()', true);
    else if (compiled) setRole(f, 'metric', 'passed to compile(metrics=[...])', true);
    else if (cls && f.name === 'forward' && LOSS_NAME.test(cls.name)) {
      setRole(f, 'loss', `forward of ${cls.name}, a module named like a loss`, false);
    } else if (cls && (f.name === 'call' || f.name === '__call__') && LOSS_NAME.test(cls.name)) {
      setRole(f, 'loss', `call of ${cls.name}, a class named like a loss`, false);
    } else if (!cls && LOSS_NAME.test(f.name)) setRole(f, 'loss', `named like a loss (${f.name})`, false);
    else if (!cls && scans.get(f)?.complement) setRole(f, 'loss', 'returns 1 - x or -x', false);
    else if (!cls && METRIC_NAME.test(f.name)) setRole(f, 'metric', `named like a metric (${f.name})`, false);
  }
  // A helper (or a coefficient) called from a loss is part of the loss: its gradient matters.
  for (let round = 0; round < 5; round++) {
    let any = false;
    for (const f of model.functions) {
      if (f.role !== 'loss') continue;
      for (const name of scans.get(f)?.callees ?? []) {
        const g = model.functionsByName.get(name);
        if (!g || g === f || g.role === 'loss') continue;
        const was = g.role === 'metric' ? `, also a metric: ${g.roleReason}` : '';
        setRole(g, 'loss', `called from the loss ${f.name}${was}`, g.roleFromUse);
        any = true;
      }
    }
    if (!any) break;
  }
}

/**
 * The types of the module model (module.ts builds it): functions, classes, compile/backward uses, and the
 * context facts of the catalog's §0 — role, framework, layout — each with the reason it was inferred.
 */
import type { AliasMap } from './imports';
import type { SNode, SyntaxTree } from './syntax';
import type { Layout, LintOptions, Role } from './types';

export type Family = 'keras' | 'torch' | 'numpy';

export interface FunctionInfo {
  node: SNode;
  name: string;
  /** Enclosing class, for methods. */
  className?: string;
  params: Array<{ name: string; node: SNode; default?: SNode }>;
  body: SNode;
  role: Role;
  roleReason: string;
  /** True when the role comes from how the function is used (compile/backward), not from its name. */
  roleFromUse: boolean;
  family: Family | undefined;
  layout: Layout | undefined;
  layoutReason: string;
  docstring: string;
  /**
   * A docstring or comment inside the function says its tensors are flattened per sample ("(B, N)"): the
   * prediction and target parameters are seeded as [batch, pooled pixels]. The hint as written.
   */
  flatInputs?: string;
}

export interface ClassInfo {
  node: SNode;
  name: string;
  bases: string[];
  methods: Map<string, FunctionInfo>;
}

export interface CompileUse {
  /** `compile(loss=f)` argument node for f. */
  node: SNode;
  name: string;
  kind: 'loss' | 'metric';
}

export interface ModuleModel {
  tree: SyntaxTree;
  aliases: AliasMap;
  /** Names the module defines (functions, classes, top-level assignments): they shadow conventional aliases. */
  locals: Set<string>;
  functions: FunctionInfo[];
  functionsByName: Map<string, FunctionInfo>;
  classes: Map<string, ClassInfo>;
  compileUses: CompileUse[];
  /** Functions whose result reaches `.backward()`, with the call node. */
  backwardUses: Map<string, SNode>;
  family: Family | undefined;
  /** A per-file setting, `# seglens: layout=NCHW`: it overrides the workspace setting and all inference. */
  fileLayout?: { layout: Layout; reason: string };
  /** Module-wide layout evidence (set_image_data_format / data_format=), if any. */
  moduleLayout?: { layout: Layout; reason: string };
  /** Module-level numeric constants (`SMOOTH = 1.0`). */
  constants: Map<string, SNode>;
  options: LintOptions;
  /** Every call in the module, in document order. */
  calls: SNode[];
  /** Evidence that masks are stored as integers (np.uint8, astype('uint8')). */
  integerMaskEvidence?: SNode;
  resolve(node: SNode): string | undefined;
  lineOf(node: SNode): number;
  /** Axes from a shape comment on the line of `node` (`scores = net(x)  # (B, C, L)`). */
  shapeHintAt(node: SNode): string[] | undefined;
  /** The module body as a pseudo-function (top-level statements). */
  moduleFunction: FunctionInfo;
  /** Other modules of the project (LintOptions.modules), by dotted name, parsed on demand. */
  related?: (moduleName: string) => ModuleModel | undefined;
}

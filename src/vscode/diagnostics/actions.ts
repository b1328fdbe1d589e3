/**
 * Builds the light-bulb menu for one finding, as plain data the VS Code adapter turns into CodeActions (and unit
 * tests check without an editor): the rule's own quick fixes (the recommended one marked preferred), a "fix all"
 * when the same rule fires several times with mechanical fixes, the two suppressions, and the documentation.
 */
import type { Finding, Fix, TextEdit } from '../../core/lint/types';
import { LINT_COMMANDS } from './ids';
import { editsOverlap, rangeInside, shapeOf, type LineShape } from './ranges';
import { disableForFileEdit, disableForLineEdit } from './suppressEdits';

export interface ActionSpec {
  title: string;
  /** VS Code CodeActionKind value. */
  kind: 'quickfix';
  /** The finding this action answers (its diagnostic is attached to the action). */
  finding: Finding;
  edits: TextEdit[];
  preferred?: boolean;
  /**
   * 'finding': this action belongs to its finding only; 'file': the same action for every finding of the rule
   * (fix all, disable for the file, documentation), which the light bulb should list once.
   */
  scope: 'finding' | 'file';
  command?: { id: string; title: string; args: unknown[] };
}

/** The pseudo-rule of a file over the size cap: nothing was parsed, so nothing can be fixed or suppressed. */
export const TOO_LARGE_RULE = 'LL000';

function preferredFix(f: Finding): Fix | undefined {
  return f.fixes?.find((x) => x.preferred) ?? (f.fixes?.length === 1 ? f.fixes[0] : undefined);
}

/**
 * Actions for `finding` in a document whose text is `text`. `all` are the document's current findings (for "fix
 * all"); fixes whose edits no longer fit the text (a stale lint) are left out rather than applied wrongly.
 */
export function buildActions(
  finding: Finding,
  text: string,
  all: readonly Finding[],
  eol = '\n',
  shape: LineShape = shapeOf(text),
): ActionSpec[] {
  const out: ActionSpec[] = [];
  const rule = finding.rule;
  const fits = (edits: readonly TextEdit[]): boolean =>
    edits.length > 0 && edits.every((e) => rangeInside(shape, e.range)) && !editsOverlap(edits);

  const fixes = [...(finding.fixes ?? [])].sort((a, b) => Number(!!b.preferred) - Number(!!a.preferred));
  for (const fix of fixes) {
    if (!fits(fix.edits)) continue;
    out.push({
      title: fix.title,
      kind: 'quickfix',
      finding,
      edits: fix.edits,
      preferred: !!fix.preferred,
      scope: 'finding',
    });
  }

  const sameRule = all.filter((f) => f.rule === rule && preferredFix(f));
  if (sameRule.length > 1 && preferredFix(finding)) {
    const edits = sameRule.flatMap((f) => preferredFix(f)?.edits ?? []);
    if (fits(edits)) {
      out.push({
        title: `Fix all ${sameRule.length} ${rule} problems in this file (${preferredFix(finding)?.title})`,
        kind: 'quickfix',
        finding,
        edits,
        scope: 'file',
      });
    }
  }

  if (rule !== TOO_LARGE_RULE) {
    out.push({
      title: `Disable ${rule} for this line`,
      kind: 'quickfix',
      finding,
      edits: [disableForLineEdit(text, finding.range.start.line, rule, eol)],
      scope: 'finding',
    });
    out.push({
      title: `Disable ${rule} for this file`,
      kind: 'quickfix',
      finding,
      edits: [disableForFileEdit(text, rule, eol)],
      scope: 'file',
    });
  }
  out.push({
    title: `Show documentation for ${rule}`,
    kind: 'quickfix',
    finding,
    edits: [],
    scope: 'file',
    command: { id: LINT_COMMANDS.showRuleDocs, title: `Show documentation for ${rule}`, args: [rule] },
  });
  return out;
}

/**
 * The edits of `source.fixAll.seglens` (e.g. `editor.codeActionsOnSave`): every finding's recommended fix, in
 * document order, skipping a fix that would overlap one already taken or no longer fits the text.
 */
export function fixAllEdits(
  findings: readonly Finding[],
  text: string,
  shape: LineShape = shapeOf(text),
): TextEdit[] {
  const taken: TextEdit[] = [];
  const ordered = [...findings].sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  for (const f of ordered) {
    const fix = preferredFix(f);
    if (!fix || fix.edits.length === 0) continue;
    if (!fix.edits.every((e) => rangeInside(shape, e.range))) continue;
    if (editsOverlap([...taken, ...fix.edits])) continue;
    taken.push(...fix.edits);
  }
  return taken;
}

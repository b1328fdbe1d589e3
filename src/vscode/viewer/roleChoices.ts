/**
 * What the user said a file is (image / mask / probability map / logits, and which channel), remembered per file
 * for this workspace: a lone `.npy` map outside a `probs/` folder would otherwise open as a grey picture of its first
 * channel, a lone mask as an RGB image. Kept in memory and persisted in the extension's workspaceState once one is
 * attached; the placement of the files of a sample by the choices is pure (unit-tested).
 */
import type * as vscode from 'vscode';
import { FILE_ROLES, type FileRole, type RoleChoice } from '../../protocol';

const KEY = 'seglens.viewer.roleByFile';
/** Choices kept, newest last; the oldest go beyond this. */
export const MAX_CHOICES = 500;

interface Store {
  record: Record<string, RoleChoice>;
  memento?: vscode.Memento;
}
const STORE: Store = { record: {} };

/** Only well-formed entries of a stored record survive (the store is ours, but an old version may differ). */
export function parseRoleRecord(x: unknown): Record<string, RoleChoice> {
  const out: Record<string, RoleChoice> = {};
  if (typeof x !== 'object' || x === null) return out;
  for (const [uri, v] of Object.entries(x as Record<string, unknown>)) {
    const c = v as Partial<RoleChoice> | null;
    if (!c || !FILE_ROLES.includes(c.role as FileRole)) continue;
    const choice: RoleChoice = { role: c.role as FileRole };
    if (Number.isInteger(c.channel) && (c.channel as number) >= 0) choice.channel = c.channel;
    if (c.activation === 'sigmoid' || c.activation === 'softmax') choice.activation = c.activation;
    out[uri] = choice;
  }
  return out;
}

/** Persists the choices in `memento` (workspaceState) and takes the ones it already holds. */
export function attachRoleChoices(memento: vscode.Memento): void {
  STORE.memento = memento;
  STORE.record = { ...parseRoleRecord(memento.get(KEY)), ...STORE.record };
}

export function roleChoiceOf(uri: string): RoleChoice | undefined {
  return STORE.record[uri];
}

/** Records (or, with null, forgets) the choice for a file. */
export function setRoleChoice(uri: string, choice: RoleChoice | null): void {
  const next = { ...STORE.record };
  delete next[uri];
  if (choice) next[uri] = choice;
  const keys = Object.keys(next);
  for (const k of keys.slice(0, Math.max(0, keys.length - MAX_CHOICES))) delete next[k];
  STORE.record = next;
  void STORE.memento?.update(KEY, next);
}

/** The slots of a sample, as URI strings. */
export interface Slots {
  image?: string;
  gt?: string;
  prob?: string;
}

const SLOT_OF: Record<FileRole, keyof Slots> = { image: 'image', mask: 'gt', prob: 'prob', logits: 'prob' };

/**
 * The sample's files placed by the user's choices: a file chosen as a mask goes to the mask slot, and so on; a file
 * moved into an occupied slot takes it (the file there drops out, with a note). Pure.
 */
export function placeByChoices(
  slots: Slots,
  choiceOf: (uri: string) => RoleChoice | undefined,
  name: (uri: string) => string = (u) => u.split('/').pop() ?? u,
): { slots: Slots; notes: string[] } {
  const out: Slots = {};
  const notes: string[] = [];
  // Files with a choice first, so they win their slot; then the others where they were.
  const entries = (Object.entries(slots) as [keyof Slots, string | undefined][]).filter(
    (e): e is [keyof Slots, string] => e[1] !== undefined,
  );
  for (const [, uri] of entries) {
    const c = choiceOf(uri);
    if (!c) continue;
    const slot = SLOT_OF[c.role];
    out[slot] = uri;
  }
  for (const [slot, uri] of entries) {
    if (choiceOf(uri)) continue;
    if (out[slot] !== undefined) {
      notes.push(
        `${name(uri)} is not shown: you chose ${name(out[slot]!)} as this sample's ${slot === 'gt' ? 'mask' : slot === 'prob' ? 'probability map' : 'image'}.`,
      );
      continue;
    }
    out[slot] = uri;
  }
  return { slots: out, notes };
}

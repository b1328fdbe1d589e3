/**
 * "Read as" and "Channel" next to each file of the sample: the user overrides what SegLens took a file for (a lone
 * `.npy` map read as a grey picture, a mask read as an RGB image) and which channel of a multi-channel file is shown.
 * The host remembers the choice per file (workspaceState) and reloads the sample with it.
 */
import type { FromWebview, Layer, RoleChoice } from '../src/protocol';
import { el } from './dom';

/** The "Read as" options: value → label and the choice it stands for (undefined = automatic). */
export const READ_AS: readonly { value: string; label: string; choice?: Omit<RoleChoice, 'channel'> }[] = [
  { value: 'auto', label: 'Automatic' },
  { value: 'image', label: 'Image', choice: { role: 'image' } },
  { value: 'mask', label: 'Mask', choice: { role: 'mask' } },
  { value: 'prob', label: 'Probability map', choice: { role: 'prob' } },
  { value: 'logits-sigmoid', label: 'Logits → sigmoid', choice: { role: 'logits', activation: 'sigmoid' } },
  { value: 'logits-softmax', label: 'Logits → softmax', choice: { role: 'logits', activation: 'softmax' } },
];

/** The option value of a choice (the inverse of READ_AS). */
export function readAsValue(choice: RoleChoice | undefined): string {
  if (!choice) return 'auto';
  if (choice.role === 'logits') return `logits-${choice.activation ?? 'sigmoid'}`;
  return choice.role;
}

/** The role a layer's slot stands for, when no choice was made (what "Automatic" currently means). */
const SLOT_ROLE: Record<Layer['role'], RoleChoice['role']> = {
  image: 'image',
  gt: 'mask',
  pred: 'mask',
  prob: 'prob',
};

/** The choice the two selects describe; `null` = automatic (forget the choice). */
export function choiceFrom(readAs: string, channel: string, layer: Layer): RoleChoice | null {
  const base = READ_AS.find((o) => o.value === readAs)?.choice;
  const ch = channel === 'auto' ? undefined : Number(channel);
  if (!base && ch === undefined) return null;
  const out: RoleChoice = { ...(base ?? { role: SLOT_ROLE[layer.role] }) };
  if (ch !== undefined && Number.isInteger(ch)) out.channel = ch;
  return out;
}

function select(label: string, options: [string, string][], value: string): HTMLSelectElement {
  const s = el('select', 'role-select');
  s.style.fontSize = '11px';
  s.title = label;
  s.setAttribute('aria-label', label);
  for (const [v, text] of options) {
    const o = el('option', undefined, text);
    o.value = v;
    s.append(o);
  }
  s.value = value;
  return s;
}

/** The picker of one layer. */
export function rolePicker(layer: Layer, post: (m: FromWebview) => void): HTMLElement {
  const box = el('span', 'role-picker');
  box.style.marginLeft = '8px';
  const readAs = select(
    `Read ${layer.name} as`,
    READ_AS.map((o) => [o.value, o.label]),
    readAsValue(layer.choice),
  );
  box.append(el('span', 'muted', 'read as '), readAs);
  const channels = layer.fileChannels ?? 0;
  let channel: HTMLSelectElement | undefined;
  if (channels > 1) {
    const options: [string, string][] = [['auto', 'auto']];
    for (let c = 0; c < Math.min(channels, 256); c++) options.push([String(c), String(c)]);
    channel = select(
      `Channel of ${layer.name}`,
      options,
      layer.choice?.channel !== undefined ? String(layer.choice.channel) : 'auto',
    );
    box.append(el('span', 'muted', ` channel (of ${channels}) `), channel);
  }
  const send = () =>
    post({
      type: 'setRole',
      uri: layer.uri,
      choice: choiceFrom(readAs.value, channel?.value ?? 'auto', layer),
    });
  readAs.addEventListener('change', send);
  channel?.addEventListener('change', send);
  return box;
}

/**
 * Adds a picker to each layer's row in the info panel: the `.layer-info` row whose `data-role` is the layer's (a
 * row without one, such as a large image's "arriving" line drawn from its preview, gets none).
 */
export function addRolePickers(
  info: HTMLElement,
  layers: readonly Layer[],
  post: (m: FromWebview) => void,
): void {
  const rows = [...info.querySelectorAll<HTMLElement>('.layer-info')];
  for (const layer of layers) {
    const row = rows.find((r) => r.dataset.role === layer.role);
    // At the end of the row, after the legend or colour bar, so the file's own line stays as it was.
    if (row && layer.uri) row.append(rolePicker(layer, post));
  }
}

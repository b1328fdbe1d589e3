// Writes the foundation's manifest fields (contributes, activation, capabilities, icon, categories, keywords,
// repository) into package.json. Other helpers own other fields (e.g. scripts), so this script reads the current
// file, replaces only its own keys and writes it back; run it under `flock /tmp/pkg.lock node tools/foundation-manifest.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const EXTENSIONS = ['png', 'jpg', 'jpeg', 'tif', 'tiff', 'bmp', 'webp', 'npy', 'npz'];
const openableWhen = `resourceExtname =~ /^\\.(${EXTENSIONS.join('|')})$/i`;

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

pkg.icon = 'media/icon.png';
pkg.categories = ['Visualization', 'Data Science', 'Machine Learning'];
pkg.keywords = [
  'segmentation',
  'mask',
  'dice',
  'iou',
  'overlay',
  'medical imaging',
  'computer vision',
  'u-net',
];
// No public repository yet: vsce is told so explicitly (--allow-missing-repository) rather than given a guessed URL.
delete pkg.repository;
// Lazy activation only: the commands (implicit since VS Code 1.74) and the restored viewer panel are the ways in
// (docs/style.md, avoid "*").
const MY_ACTIVATION = ['onWebviewPanel:seglens.viewer'];
// Merged too: other zones may add e.g. restrictedConfigurations to the same capability.
pkg.capabilities = {
  ...pkg.capabilities,
  untrustedWorkspaces: {
    ...pkg.capabilities?.untrustedWorkspaces,
    supported: 'limited',
    description:
      'In untrusted workspaces SegLens only views images and masks; running ONNX models is disabled.',
  },
};
const mine = {
  commands: [
    { command: 'seglens.openInSegLens', title: 'Open in SegLens', category: 'SegLens', icon: '$(eye)' },
    { command: 'seglens.openFiles', title: 'Open Image/Mask/Probability Files…', category: 'SegLens' },
  ],
  menus: {
    'explorer/context': [{ command: 'seglens.openInSegLens', when: openableWhen, group: 'navigation@90' }],
    // From VS Code's own image preview, one click takes the shown file into SegLens (with its mask paired).
    'editor/title': [
      {
        command: 'seglens.openInSegLens',
        when: `activeCustomEditorId == imagePreview.previewEditor && ${openableWhen}`,
        group: 'navigation',
      },
    ],
    // Open in SegLens needs a file argument; it is reached from the explorer, never from the palette.
    commandPalette: [{ command: 'seglens.openInSegLens', when: 'false' }],
  },
  configuration: {
    title: 'SegLens',
    properties: {
      'seglens.maxPixels': {
        type: 'number',
        default: 50000000,
        minimum: 1,
        markdownDescription:
          'Largest image (width × height, in pixels) SegLens opens. Larger files are refused from their header, before decoding.',
      },
      'seglens.pairing.imageFolders': {
        type: 'array',
        items: { type: 'string' },
        default: ['images', 'imgs', 'img', 'image'],
        markdownDescription: 'Folder names that hold images; a mask is looked up in a sibling mask folder.',
      },
      'seglens.pairing.maskFolders': {
        type: 'array',
        items: { type: 'string' },
        default: ['masks', 'labels', 'gt', 'mask', 'label'],
        markdownDescription:
          'Sibling folder names searched for the ground-truth mask with the same file stem.',
      },
      'seglens.pairing.maskSuffixes': {
        type: 'array',
        items: { type: 'string' },
        default: ['_mask', '_gt', '_label'],
        markdownDescription:
          'File-name suffixes (before the extension) that mark a ground-truth mask next to its image.',
      },
      'seglens.pairing.probFolders': {
        type: 'array',
        items: { type: 'string' },
        default: ['probs', 'probabilities', 'prob'],
        markdownDescription:
          'Sibling folder names searched for the probability map with the same file stem, directly (`probs/<stem>.npy`) or one level down per model (`probs/<model>/<stem>.npy`; the panel lets you pick the model).',
      },
      'seglens.pairing.probSuffixes': {
        type: 'array',
        items: { type: 'string' },
        default: ['_prob', '_probs'],
        markdownDescription:
          'File-name suffixes that mark a probability map (`.npy`, `.npz` or float TIFF) next to its image.',
      },
      'seglens.pairing.predFolders': {
        type: 'array',
        items: { type: 'string' },
        default: ['preds', 'predictions', 'pred'],
        markdownDescription:
          'Sibling folder names searched for a saved prediction (label map) with the same file stem, directly or one level down per model (`preds/<model>/<stem>.png`).',
      },
      'seglens.pairing.predSuffixes': {
        type: 'array',
        items: { type: 'string' },
        default: ['_pred'],
        markdownDescription: 'File-name suffixes that mark a saved prediction (label map) next to its image.',
      },
      'seglens.overlay.opacity': {
        type: 'number',
        default: 0.5,
        minimum: 0,
        maximum: 1,
        markdownDescription: 'Initial opacity of mask overlays (0 = invisible, 1 = opaque).',
      },
      'seglens.workers.threads': {
        type: 'number',
        default: 0,
        minimum: 0,
        maximum: 16,
        markdownDescription:
          'Worker threads for decoding and analysis. 0 picks one less than the CPU count (at least 2, at most 4).',
      },
    },
  },
};

// Merge: other helpers contribute their own commands, menus, settings and activation events to the same manifest,
// so only the foundation's entries are replaced and everything else is kept as found.
const myCommands = new Set(mine.commands.map((c) => c.command));
const isMine = (entry) => myCommands.has(entry.command);
pkg.activationEvents = [
  ...MY_ACTIVATION,
  ...(pkg.activationEvents ?? []).filter((e) => !MY_ACTIVATION.includes(e) && !e.startsWith('onCommand:')),
];
const c = (pkg.contributes ??= {});
c.commands = [...mine.commands, ...(c.commands ?? []).filter((x) => !isMine(x))];
c.menus ??= {};
for (const [menu, entries] of Object.entries(mine.menus)) {
  c.menus[menu] = [...entries, ...(c.menus[menu] ?? []).filter((x) => !isMine(x))];
}
c.configuration ??= { title: mine.configuration.title, properties: {} };
c.configuration.title ??= mine.configuration.title;
c.configuration.properties = {
  ...mine.configuration.properties,
  ...Object.fromEntries(
    Object.entries(c.configuration.properties ?? {}).filter(([k]) => !(k in mine.configuration.properties)),
  ),
};

writeFileSync('package.json', JSON.stringify(pkg, null, 2) + '\n');

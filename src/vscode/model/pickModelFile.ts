/**
 * The model QuickPick shared by "Select Model…" and the volume panel's "Run Model Slice by Slice…": the
 * workspace's .onnx files (the remembered model marked, and first when asked), then "Browse…" for a file anywhere.
 */
import type { ModelCommandDeps } from './deps';
import { SELECTED_MODEL_KEY } from './ids';
import { baseName } from './messages';

const BROWSE = '\0browse';

export interface ModelPickOptions {
  /** The QuickPick's title. */
  title: string;
  /** The file dialog's title after "Browse…". */
  browseTitle: string;
  /** The detail line of the remembered model. */
  currentDetail: string;
  /** List the remembered model first. @default false */
  currentFirst?: boolean;
}

/** The chosen model's path; undefined when the user dismissed the pick or the dialog. */
export async function pickModelFile(
  deps: ModelCommandDeps,
  o: ModelPickOptions,
): Promise<string | undefined> {
  const current = deps.state.get<string>(SELECTED_MODEL_KEY);
  const found = await deps.findModels();
  const ordered =
    o.currentFirst && current && found.includes(current)
      ? [current, ...found.filter((p) => p !== current)]
      : found;
  const items = ordered.map((p) => ({
    label: baseName(p),
    description: deps.label(p),
    detail: p === current ? o.currentDetail : undefined,
    value: p,
  }));
  items.push({
    label: '$(folder-opened) Browse…',
    description: 'pick an .onnx file anywhere',
    detail: undefined,
    value: BROWSE,
  });
  const picked = await deps.ui.pick(
    items,
    o.title,
    found.length > 0 ? 'ONNX models in this workspace' : 'No .onnx file in this workspace; browse for one',
  );
  if (picked !== BROWSE) return picked;
  return deps.ui.openFile(o.browseTitle, { 'ONNX models': ['onnx'] }, deps.roots()[0]);
}

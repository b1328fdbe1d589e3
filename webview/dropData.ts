/**
 * Reading dropped file locations from drag data, without the DOM (unit-tested in plain node). VS Code hands a
 * webview the files dragged from its explorer as URI lists under several types; see dropTarget for the gesture.
 */
import { MAX_DROPPED_FILES } from '../src/protocol';

/** The two members of a DataTransfer read here. */
export interface DragData {
  readonly types: ArrayLike<string>;
  getData(type: string): string;
}

/** Drag data types that carry file locations, best first (DOM type names are lower-case). */
const URI_TYPES = ['application/vnd.code.uri-list', 'resourceurls', 'text/uri-list'] as const;
/** Types that mark a drag as carrying files at all (checked while dragging, when the data itself is hidden). */
export const FILE_TYPES: readonly string[] = [...URI_TYPES, 'codefiles', 'files'];

/** Parses a `text/uri-list` (RFC 2483): one URI a line, `#` lines are comments. */
export function parseUriList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** VS Code's `resourceurls` type: a JSON array of URI strings. Anything else yields nothing. */
function parseResourceUrls(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((u): u is string => typeof u === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The dropped URIs, from the richest type present: Chromium keeps only the first line of `text/uri-list`, while
 * VS Code's own list types carry them all. At most one more than the host accepts is passed on, so a drop of too
 * many files is refused with a message without sending a huge list.
 */
export function droppedUris(data: DragData): string[] {
  const types = Array.from(data.types, (t) => t.toLowerCase());
  for (const type of URI_TYPES) {
    if (!types.includes(type)) continue;
    const raw = data.getData(type);
    const uris = type === 'resourceurls' ? parseResourceUrls(raw) : parseUriList(raw);
    if (uris.length > 0) return uris.slice(0, MAX_DROPPED_FILES + 1);
  }
  return [];
}

/**
 * The viewer's pairing API. The rules and the folder walk live in core (src/core/dataset/roles.ts and
 * pairFile.ts) so the CLI and the extension pair files the same way; this module keeps the names the host has
 * always imported. The host supplies file-system access as a `ListDir` over `vscode.workspace.fs`
 * (see viewer/sampleLoader.ts), which also reaches remote and virtual folders.
 */
import { pairFile } from '../../core/dataset/pairFile';
import type { FilePairing, ListDir } from '../../core/dataset/pairFile';
import type { PairingRules, SampleRole } from '../../core/dataset/roles';

export {
  DEFAULT_PAIRING_RULES,
  OPENABLE_EXTENSIONS,
  assignRoles,
  isOpenable,
  looksLikeMask,
  modelFolderOf,
  roleOf,
} from '../../core/dataset/roles';
export type { AssignedRoles, PairingRules } from '../../core/dataset/roles';
export type { ListDir, PairCandidate } from '../../core/dataset/pairFile';

/** What pairing found for an opened file (see FilePairing in core). */
export type PairingResult = FilePairing;

/** The role of a file in a sample. */
export type FileRole = SampleRole;

/** Finds the sample of the opened file: its image, mask, and all probability maps and predictions of the image. */
export function pairSample(path: string, rules: PairingRules, listDir: ListDir): Promise<PairingResult> {
  return pairFile(path, rules, listDir);
}

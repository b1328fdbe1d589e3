/**
 * Typed access to the `seglens.*` settings the viewer slice uses. Every value is checked here, so a hand-edited
 * settings.json with a wrong type falls back to the documented default instead of reaching the decoders.
 */
import * as vscode from 'vscode';
import { DEFAULT_MAX_ELEMENTS } from '../core/io/load';
import { PairingRules, DEFAULT_PAIRING_RULES } from '../node/io/pairing';

export interface SegLensSettings {
  /** Largest image (width × height) that is decoded. @default 50_000_000 */
  maxPixels: number;
  pairing: PairingRules;
  /** Initial overlay opacity. @default 0.5 */
  opacity: number;
  /** Worker threads; 0 = CPU count − 1 (at least 1). @default 0 */
  workerThreads: number;
}

export const DEFAULT_MAX_PIXELS = 50_000_000;
/** The setting's maximum (package.json says the same; a unit test keeps them equal). */
export const MAX_PIXELS_CEILING = DEFAULT_MAX_ELEMENTS;

function stringList(v: unknown, fallback: readonly string[]): string[] {
  if (!Array.isArray(v)) return [...fallback];
  const out = v.filter((s): s is string => typeof s === 'string' && s.length > 0 && s.length < 256);
  return out.length === v.length ? out : [...fallback];
}

function numberIn(v: unknown, min: number, max: number, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : fallback;
}

export function readSettings(scope?: vscode.Uri): SegLensSettings {
  const c = vscode.workspace.getConfiguration('seglens', scope);
  return {
    // A value above the ceiling is clamped, never trusted: the byte budgets behind it assume at most 2^28 pixels.
    maxPixels: Math.floor(
      Math.min(
        numberIn(c.get('maxPixels'), 1, Number.MAX_SAFE_INTEGER, DEFAULT_MAX_PIXELS),
        MAX_PIXELS_CEILING,
      ),
    ),
    pairing: {
      imageFolders: stringList(c.get('pairing.imageFolders'), DEFAULT_PAIRING_RULES.imageFolders),
      maskFolders: stringList(c.get('pairing.maskFolders'), DEFAULT_PAIRING_RULES.maskFolders),
      maskSuffixes: stringList(c.get('pairing.maskSuffixes'), DEFAULT_PAIRING_RULES.maskSuffixes),
      probFolders: stringList(c.get('pairing.probFolders'), DEFAULT_PAIRING_RULES.probFolders),
      probSuffixes: stringList(c.get('pairing.probSuffixes'), DEFAULT_PAIRING_RULES.probSuffixes),
      predFolders: stringList(c.get('pairing.predFolders'), DEFAULT_PAIRING_RULES.predFolders),
      predSuffixes: stringList(c.get('pairing.predSuffixes'), DEFAULT_PAIRING_RULES.predSuffixes),
    },
    opacity: numberIn(c.get('overlay.opacity'), 0, 1, 0.5),
    workerThreads: Math.floor(numberIn(c.get('workers.threads'), 0, 16, 0)),
  };
}

/**
 * What every viewer panel shares: the extension's location, the worker pool, settings and the event stream that
 * integration tests (and later features) observe through the extension's API.
 */
import type * as vscode from 'vscode';
import type { LayerRole, Problem } from '../../protocol';
import type { SegLensSettings } from '../settings';
import type { WorkerPool } from '../../node/workers/pool';

/** Observable viewer milestones; the extension's exported API forwards them. */
export type ViewerEvent =
  | { type: 'ready'; panelId: number }
  | {
      type: 'rendered';
      panelId: number;
      requestId: number;
      width: number;
      height: number;
      layers: LayerRole[];
      /** Milliseconds from the load's start until the host posted the pixels (reading and decoding). */
      loadMs?: number;
      /** Milliseconds from posting the pixels until the webview reported them drawn (transfer and drawing). */
      postToDrawnMs?: number;
      /** Of which the webview spent this long drawing (the rest is the message transfer). */
      drawMs?: number;
    }
  | { type: 'problems'; panelId: number; requestId?: number; problems: Problem[] }
  | { type: 'failed'; panelId: number; message: string }
  /** Decoder comparison milestones (host/analysis): results posted, drawn by the panel, exported, problems. */
  | {
      type: 'analysis';
      panelId: number;
      what: 'base' | 'decoder' | 'mask' | 'view' | 'drawn' | 'exported' | 'problem' | 'explain';
      detail: string;
    };

export interface ViewerContext {
  extensionUri: vscode.Uri;
  pool(): WorkerPool;
  settings(scope?: vscode.Uri): SegLensSettings;
  fire(event: ViewerEvent): void;
  log: vscode.LogOutputChannel;
  /** Runs a command of the extension (the panel's toolbar asks for "open files"). */
  openFiles(): Promise<void>;
}
